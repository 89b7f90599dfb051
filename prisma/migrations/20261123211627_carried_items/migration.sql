
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Consultation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "conveningOrgId" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "place" TEXT NOT NULL,
    "agenda" TEXT NOT NULL,
    "carriedItemIds" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'PLANNED',
    "createdById" TEXT NOT NULL,
    "minutesId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Consultation_conveningOrgId_fkey" FOREIGN KEY ("conveningOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Consultation_minutesId_fkey" FOREIGN KEY ("minutesId") REFERENCES "Document" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Consultation" ("agenda", "conveningOrgId", "createdAt", "createdById", "endsAt", "id", "kind", "minutesId", "number", "place", "series", "startsAt", "status", "title", "updatedAt") SELECT "agenda", "conveningOrgId", "createdAt", "createdById", "endsAt", "id", "kind", "minutesId", "number", "place", "series", "startsAt", "status", "title", "updatedAt" FROM "Consultation";
DROP TABLE "Consultation";
ALTER TABLE "new_Consultation" RENAME TO "Consultation";
CREATE UNIQUE INDEX "Consultation_minutesId_key" ON "Consultation"("minutesId");
CREATE INDEX "Consultation_startsAt_idx" ON "Consultation"("startsAt");
CREATE UNIQUE INDEX "Consultation_conveningOrgId_series_number_key" ON "Consultation"("conveningOrgId", "series", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
