
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DocumentVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "documentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "name" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'AUTO',
    "authors" TEXT NOT NULL DEFAULT '[]',
    "restoredFromNumber" INTEGER,
    "state" BLOB NOT NULL,
    "json" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DocumentVersion_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DocumentVersion" ("createdAt", "createdById", "documentId", "id", "json", "name", "number", "sha256", "state", "text") SELECT "createdAt", "createdById", "documentId", "id", "json", "name", "number", "sha256", "state", "text" FROM "DocumentVersion";
DROP TABLE "DocumentVersion";
ALTER TABLE "new_DocumentVersion" RENAME TO "DocumentVersion";
CREATE UNIQUE INDEX "DocumentVersion_documentId_number_key" ON "DocumentVersion"("documentId", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Versions frozen for countersign before kinds existed.
UPDATE "DocumentVersion" SET "kind" = 'COUNTERSIGN' WHERE "name" LIKE '会签稿%';
