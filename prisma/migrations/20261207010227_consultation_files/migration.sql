
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Attachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reportId" TEXT,
    "recommendationId" TEXT,
    "clueId" TEXT,
    "cluePart" TEXT,
    "consultationId" TEXT,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ProgressReport" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attachment_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attachment_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "Clue" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attachment_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Attachment" ("clueId", "cluePart", "createdAt", "data", "fileName", "id", "mimeType", "recommendationId", "reportId", "sha256", "size") SELECT "clueId", "cluePart", "createdAt", "data", "fileName", "id", "mimeType", "recommendationId", "reportId", "sha256", "size" FROM "Attachment";
DROP TABLE "Attachment";
ALTER TABLE "new_Attachment" RENAME TO "Attachment";
CREATE INDEX "Attachment_reportId_idx" ON "Attachment"("reportId");
CREATE INDEX "Attachment_recommendationId_idx" ON "Attachment"("recommendationId");
CREATE INDEX "Attachment_clueId_idx" ON "Attachment"("clueId");
CREATE INDEX "Attachment_consultationId_idx" ON "Attachment"("consultationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
