
-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN "caseSummary" TEXT;
ALTER TABLE "Consultation" ADD COLUMN "legalQuestion" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "externalKind" TEXT;

-- CreateTable
CREATE TABLE "ExternalPerson" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "regionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fields" TEXT NOT NULL DEFAULT '[]',
    "title" TEXT NOT NULL,
    "employer" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "userId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ExternalPerson_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ExternalPerson_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ExternalPerson_userId_key" ON "ExternalPerson"("userId");

-- CreateIndex
CREATE INDEX "ExternalPerson_regionId_kind_idx" ON "ExternalPerson"("regionId", "kind");
