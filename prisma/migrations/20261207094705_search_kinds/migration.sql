-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SearchEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "tokens" TEXT NOT NULL,
    "href" TEXT NOT NULL DEFAULT '',
    "units" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT '',
    "recordDay" TEXT NOT NULL DEFAULT '',
    "sourceAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_SearchEntry" ("body", "id", "kind", "recordId", "sourceAt", "title", "tokens", "updatedAt") SELECT "body", "id", "kind", "recordId", "sourceAt", "title", "tokens", "updatedAt" FROM "SearchEntry";
DROP TABLE "SearchEntry";
ALTER TABLE "new_SearchEntry" RENAME TO "SearchEntry";
CREATE INDEX "SearchEntry_kind_status_idx" ON "SearchEntry"("kind", "status");
CREATE UNIQUE INDEX "SearchEntry_kind_recordId_key" ON "SearchEntry"("kind", "recordId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
