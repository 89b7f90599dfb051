
-- CreateTable
CREATE TABLE "TrackedItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "sourceDocumentId" TEXT NOT NULL,
    "ownerOrgId" TEXT NOT NULL,
    "consultationId" TEXT,
    "series" TEXT,
    "number" INTEGER NOT NULL,
    "wording" TEXT NOT NULL,
    "searchText" TEXT NOT NULL DEFAULT '',
    "leadOrgId" TEXT,
    "dueDate" DATETIME,
    "feedbackCycle" TEXT NOT NULL DEFAULT 'NONE',
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "activatedAt" DATETIME,
    "closedAt" DATETIME,
    "lastProgressAt" DATETIME,
    "lastProgressText" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TrackedItem_sourceDocumentId_fkey" FOREIGN KEY ("sourceDocumentId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TrackedItem_ownerOrgId_fkey" FOREIGN KEY ("ownerOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TrackedItem_leadOrgId_fkey" FOREIGN KEY ("leadOrgId") REFERENCES "Organization" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TrackedItemOrg" (
    "itemId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    PRIMARY KEY ("itemId", "orgId"),
    CONSTRAINT "TrackedItemOrg_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TrackedItemOrg_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProgressReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "itemId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "newStatus" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProgressReport_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reportId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ProgressReport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExtensionRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "itemId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "currentDue" DATETIME NOT NULL,
    "requestedDue" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "decisionComment" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExtensionRequest_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ItemReminder" (
    "itemId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "dueDate" DATETIME NOT NULL,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("itemId", "stage", "dueDate"),
    CONSTRAINT "ItemReminder_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobLock" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "TrackedItem_sourceDocumentId_idx" ON "TrackedItem"("sourceDocumentId");

-- CreateIndex
CREATE INDEX "TrackedItem_status_dueDate_idx" ON "TrackedItem"("status", "dueDate");

-- CreateIndex
CREATE INDEX "TrackedItem_leadOrgId_status_idx" ON "TrackedItem"("leadOrgId", "status");

-- CreateIndex
CREATE INDEX "TrackedItem_ownerOrgId_status_idx" ON "TrackedItem"("ownerOrgId", "status");

-- CreateIndex
CREATE INDEX "TrackedItem_kind_status_idx" ON "TrackedItem"("kind", "status");

-- CreateIndex
CREATE INDEX "TrackedItem_series_idx" ON "TrackedItem"("series");

-- CreateIndex
CREATE INDEX "TrackedItemOrg_orgId_role_idx" ON "TrackedItemOrg"("orgId", "role");

-- CreateIndex
CREATE INDEX "ProgressReport_itemId_createdAt_idx" ON "ProgressReport"("itemId", "createdAt");

-- CreateIndex
CREATE INDEX "Attachment_reportId_idx" ON "Attachment"("reportId");

-- CreateIndex
CREATE INDEX "ExtensionRequest_itemId_status_idx" ON "ExtensionRequest"("itemId", "status");
