
-- AlterTable
ALTER TABLE "DocumentVersion" ADD COLUMN     "authors" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'AUTO',
ADD COLUMN     "restoredFromNumber" INTEGER;

-- Versions frozen for countersign before kinds existed.
UPDATE "DocumentVersion" SET "kind" = 'COUNTERSIGN' WHERE "name" LIKE '会签稿%';
