-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN     "minutesId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Consultation_minutesId_key" ON "Consultation"("minutesId");

-- AddForeignKey
ALTER TABLE "Consultation" ADD CONSTRAINT "Consultation_minutesId_fkey" FOREIGN KEY ("minutesId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

