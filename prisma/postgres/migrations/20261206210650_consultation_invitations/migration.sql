
-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "rsvpChasedAt" TIMESTAMP(3),
ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ConsultationParticipant" ADD COLUMN     "delegateUserId" TEXT,
ADD COLUMN     "rsvp" TEXT NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "rsvpAt" TIMESTAMP(3),
ADD COLUMN     "rsvpById" TEXT,
ADD COLUMN     "rsvpReason" TEXT;

-- CreateIndex
CREATE INDEX "ConsultationParticipant_delegateUserId_idx" ON "ConsultationParticipant"("delegateUserId");

-- AddForeignKey
ALTER TABLE "ConsultationParticipant" ADD CONSTRAINT "ConsultationParticipant_delegateUserId_fkey" FOREIGN KEY ("delegateUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationParticipant" ADD CONSTRAINT "ConsultationParticipant_rsvpById_fkey" FOREIGN KEY ("rsvpById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
