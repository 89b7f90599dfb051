-- AlterTable
ALTER TABLE "SearchEntry" ADD COLUMN     "href" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "recordDay" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "status" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "units" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "SearchEntry_kind_status_idx" ON "SearchEntry"("kind", "status");
