
-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "clueId" TEXT,
ADD COLUMN     "cluePart" TEXT;

-- CreateTable
CREATE TABLE "ClueReminder" (
    "clueId" TEXT NOT NULL,
    "deadline" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClueReminder_pkey" PRIMARY KEY ("clueId","deadline","stage","dueDate")
);

-- CreateTable
CREATE TABLE "Clue" (
    "id" TEXT NOT NULL,
    "docNumber" TEXT NOT NULL,
    "fromOrgId" TEXT NOT NULL,
    "toOrgId" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "involvedUnits" TEXT NOT NULL DEFAULT '',
    "involvedPersons" TEXT NOT NULL DEFAULT '',
    "transferredAt" TIMESTAMP(3) NOT NULL,
    "receiptDueAt" TIMESTAMP(3) NOT NULL,
    "needsFeedback" BOOLEAN NOT NULL DEFAULT true,
    "feedbackDueAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'TRANSFERRED',
    "receivedAt" TIMESTAMP(3),
    "receivedById" TEXT,
    "handlingAt" TIMESTAMP(3),
    "returnedAt" TIMESTAMP(3),
    "returnedById" TEXT,
    "returnedReason" TEXT,
    "feedbackOutcome" TEXT,
    "feedbackText" TEXT,
    "feedbackAt" TIMESTAMP(3),
    "feedbackById" TEXT,
    "closedAt" TIMESTAMP(3),
    "closedById" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Clue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClueGrant" (
    "clueId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "grantedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClueGrant_pkey" PRIMARY KEY ("clueId","orgId")
);

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

-- CreateIndex
CREATE INDEX "Attachment_clueId_idx" ON "Attachment"("clueId");

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "Clue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClueReminder" ADD CONSTRAINT "ClueReminder_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "Clue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Clue" ADD CONSTRAINT "Clue_fromOrgId_fkey" FOREIGN KEY ("fromOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Clue" ADD CONSTRAINT "Clue_toOrgId_fkey" FOREIGN KEY ("toOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClueGrant" ADD CONSTRAINT "ClueGrant_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "Clue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClueGrant" ADD CONSTRAINT "ClueGrant_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
