
-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN     "carriedItemIds" TEXT NOT NULL DEFAULT '[]';
