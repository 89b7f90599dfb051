
-- CreateTable
CREATE TABLE "ClueReminder" (
    "clueId" TEXT NOT NULL,
    "deadline" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "dueDate" DATETIME NOT NULL,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("clueId", "deadline", "stage", "dueDate"),
    CONSTRAINT "ClueReminder_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "Clue" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Clue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "docNumber" TEXT NOT NULL,
    "fromOrgId" TEXT NOT NULL,
    "toOrgId" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "involvedUnits" TEXT NOT NULL DEFAULT '',
    "involvedPersons" TEXT NOT NULL DEFAULT '',
    "transferredAt" DATETIME NOT NULL,
    "receiptDueAt" DATETIME NOT NULL,
    "needsFeedback" BOOLEAN NOT NULL DEFAULT true,
    "feedbackDueAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'TRANSFERRED',
    "receivedAt" DATETIME,
    "receivedById" TEXT,
    "handlingAt" DATETIME,
    "returnedAt" DATETIME,
    "returnedById" TEXT,
    "returnedReason" TEXT,
    "feedbackOutcome" TEXT,
    "feedbackText" TEXT,
    "feedbackAt" DATETIME,
    "feedbackById" TEXT,
    "closedAt" DATETIME,
    "closedById" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Clue_fromOrgId_fkey" FOREIGN KEY ("fromOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Clue_toOrgId_fkey" FOREIGN KEY ("toOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ClueGrant" (
    "clueId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "grantedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("clueId", "orgId"),
    CONSTRAINT "ClueGrant_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "Clue" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ClueGrant_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Attachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reportId" TEXT,
    "recommendationId" TEXT,
    "clueId" TEXT,
    "cluePart" TEXT,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ProgressReport" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attachment_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attachment_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "Clue" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Attachment" ("createdAt", "data", "fileName", "id", "mimeType", "recommendationId", "reportId", "sha256", "size") SELECT "createdAt", "data", "fileName", "id", "mimeType", "recommendationId", "reportId", "sha256", "size" FROM "Attachment";
DROP TABLE "Attachment";
ALTER TABLE "new_Attachment" RENAME TO "Attachment";
CREATE INDEX "Attachment_reportId_idx" ON "Attachment"("reportId");
CREATE INDEX "Attachment_recommendationId_idx" ON "Attachment"("recommendationId");
CREATE INDEX "Attachment_clueId_idx" ON "Attachment"("clueId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Clue_fromOrgId_status_idx" ON "Clue"("fromOrgId", "status");

-- CreateIndex
CREATE INDEX "Clue_toOrgId_status_idx" ON "Clue"("toOrgId", "status");

-- CreateIndex
CREATE INDEX "Clue_status_receiptDueAt_idx" ON "Clue"("status", "receiptDueAt");

-- CreateIndex
CREATE INDEX "Clue_status_feedbackDueAt_idx" ON "Clue"("status", "feedbackDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Clue_fromOrgId_docNumber_key" ON "Clue"("fromOrgId", "docNumber");

-- CreateIndex
CREATE INDEX "ClueGrant_orgId_idx" ON "ClueGrant"("orgId");
