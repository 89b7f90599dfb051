
-- DropIndex
DROP INDEX "Countersign_documentId_round_orgId_key";

-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "recommendationId" TEXT,
ALTER COLUMN "reportId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Countersign" ADD COLUMN     "subject" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "TrackedItem" ADD COLUMN     "responsible" TEXT,
ADD COLUMN     "standard" TEXT;

-- CreateTable
CREATE TABLE "Recommendation" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "docNumber" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "problems" TEXT NOT NULL DEFAULT '',
    "issuerOrgId" TEXT NOT NULL,
    "recipientOrgId" TEXT NOT NULL,
    "issuedOn" TIMESTAMP(3) NOT NULL,
    "receivedOn" TIMESTAMP(3) NOT NULL,
    "replyDueDate" TIMESTAMP(3) NOT NULL,
    "replyDueReason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'REGISTERED',
    "planDocumentId" TEXT,
    "replyDocumentId" TEXT,
    "repliedAt" TIMESTAMP(3),
    "repliedLate" BOOLEAN NOT NULL DEFAULT false,
    "closedAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Recommendation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecommendationCopy" (
    "recommendationId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,

    CONSTRAINT "RecommendationCopy_pkey" PRIMARY KEY ("recommendationId","orgId")
);

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

-- CreateIndex
CREATE INDEX "Attachment_recommendationId_idx" ON "Attachment"("recommendationId");

-- CreateIndex
CREATE UNIQUE INDEX "Countersign_documentId_subject_round_orgId_key" ON "Countersign"("documentId", "subject", "round", "orgId");

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recommendation" ADD CONSTRAINT "Recommendation_issuerOrgId_fkey" FOREIGN KEY ("issuerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recommendation" ADD CONSTRAINT "Recommendation_recipientOrgId_fkey" FOREIGN KEY ("recipientOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recommendation" ADD CONSTRAINT "Recommendation_planDocumentId_fkey" FOREIGN KEY ("planDocumentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recommendation" ADD CONSTRAINT "Recommendation_replyDocumentId_fkey" FOREIGN KEY ("replyDocumentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecommendationCopy" ADD CONSTRAINT "RecommendationCopy_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecommendationCopy" ADD CONSTRAINT "RecommendationCopy_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
