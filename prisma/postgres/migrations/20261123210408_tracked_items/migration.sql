
-- CreateTable
CREATE TABLE "TrackedItem" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceDocumentId" TEXT NOT NULL,
    "ownerOrgId" TEXT NOT NULL,
    "consultationId" TEXT,
    "series" TEXT,
    "number" INTEGER NOT NULL,
    "wording" TEXT NOT NULL,
    "searchText" TEXT NOT NULL DEFAULT '',
    "leadOrgId" TEXT,
    "dueDate" TIMESTAMP(3),
    "feedbackCycle" TEXT NOT NULL DEFAULT 'NONE',
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "activatedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "lastProgressAt" TIMESTAMP(3),
    "lastProgressText" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackedItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackedItemOrg" (
    "itemId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "TrackedItemOrg_pkey" PRIMARY KEY ("itemId","orgId")
);

-- CreateTable
CREATE TABLE "ProgressReport" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "newStatus" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProgressReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExtensionRequest" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "currentDue" TIMESTAMP(3) NOT NULL,
    "requestedDue" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionComment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExtensionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ItemReminder" (
    "itemId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ItemReminder_pkey" PRIMARY KEY ("itemId","stage","dueDate")
);

-- CreateTable
CREATE TABLE "JobLock" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobLock_pkey" PRIMARY KEY ("name")
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

-- AddForeignKey
ALTER TABLE "TrackedItem" ADD CONSTRAINT "TrackedItem_sourceDocumentId_fkey" FOREIGN KEY ("sourceDocumentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackedItem" ADD CONSTRAINT "TrackedItem_ownerOrgId_fkey" FOREIGN KEY ("ownerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackedItem" ADD CONSTRAINT "TrackedItem_leadOrgId_fkey" FOREIGN KEY ("leadOrgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackedItemOrg" ADD CONSTRAINT "TrackedItemOrg_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackedItemOrg" ADD CONSTRAINT "TrackedItemOrg_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgressReport" ADD CONSTRAINT "ProgressReport_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ProgressReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemReminder" ADD CONSTRAINT "ItemReminder_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrackedItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
