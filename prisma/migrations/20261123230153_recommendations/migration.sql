
-- AlterTable
ALTER TABLE "TrackedItem" ADD COLUMN "responsible" TEXT;
ALTER TABLE "TrackedItem" ADD COLUMN "standard" TEXT;

-- CreateTable
CREATE TABLE "Recommendation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "docNumber" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "problems" TEXT NOT NULL DEFAULT '',
    "issuerOrgId" TEXT NOT NULL,
    "recipientOrgId" TEXT NOT NULL,
    "issuedOn" DATETIME NOT NULL,
    "receivedOn" DATETIME NOT NULL,
    "replyDueDate" DATETIME NOT NULL,
    "replyDueReason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'REGISTERED',
    "planDocumentId" TEXT,
    "replyDocumentId" TEXT,
    "repliedAt" DATETIME,
    "repliedLate" BOOLEAN NOT NULL DEFAULT false,
    "closedAt" DATETIME,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Recommendation_issuerOrgId_fkey" FOREIGN KEY ("issuerOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Recommendation_recipientOrgId_fkey" FOREIGN KEY ("recipientOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Recommendation_planDocumentId_fkey" FOREIGN KEY ("planDocumentId") REFERENCES "Document" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Recommendation_replyDocumentId_fkey" FOREIGN KEY ("replyDocumentId") REFERENCES "Document" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecommendationCopy" (
    "recommendationId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,

    PRIMARY KEY ("recommendationId", "orgId"),
    CONSTRAINT "RecommendationCopy_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RecommendationCopy_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Attachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reportId" TEXT,
    "recommendationId" TEXT,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ProgressReport" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attachment_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Attachment" ("createdAt", "data", "fileName", "id", "mimeType", "reportId", "sha256", "size") SELECT "createdAt", "data", "fileName", "id", "mimeType", "reportId", "sha256", "size" FROM "Attachment";
DROP TABLE "Attachment";
ALTER TABLE "new_Attachment" RENAME TO "Attachment";
CREATE INDEX "Attachment_reportId_idx" ON "Attachment"("reportId");
CREATE INDEX "Attachment_recommendationId_idx" ON "Attachment"("recommendationId");
CREATE TABLE "new_Countersign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "documentId" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "round" INTEGER NOT NULL,
    "versionId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "decision" TEXT NOT NULL DEFAULT 'PENDING',
    "comment" TEXT,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Countersign_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Countersign_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DocumentVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Countersign" ("comment", "createdAt", "decidedAt", "decidedById", "decision", "documentId", "id", "orgId", "round", "versionId") SELECT "comment", "createdAt", "decidedAt", "decidedById", "decision", "documentId", "id", "orgId", "round", "versionId" FROM "Countersign";
DROP TABLE "Countersign";
ALTER TABLE "new_Countersign" RENAME TO "Countersign";
CREATE INDEX "Countersign_orgId_decision_idx" ON "Countersign"("orgId", "decision");
CREATE UNIQUE INDEX "Countersign_documentId_subject_round_orgId_key" ON "Countersign"("documentId", "subject", "round", "orgId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Recommendation_planDocumentId_key" ON "Recommendation"("planDocumentId");

-- CreateIndex
CREATE UNIQUE INDEX "Recommendation_replyDocumentId_key" ON "Recommendation"("replyDocumentId");

-- CreateIndex
CREATE INDEX "Recommendation_recipientOrgId_status_idx" ON "Recommendation"("recipientOrgId", "status");

-- CreateIndex
CREATE INDEX "Recommendation_status_replyDueDate_idx" ON "Recommendation"("status", "replyDueDate");

-- CreateIndex
CREATE UNIQUE INDEX "Recommendation_issuerOrgId_docNumber_key" ON "Recommendation"("issuerOrgId", "docNumber");

-- CreateIndex
CREATE INDEX "RecommendationCopy_orgId_idx" ON "RecommendationCopy"("orgId");
