
-- CreateTable
CREATE TABLE "DocumentStar" (
    "userId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "documentId"),
    CONSTRAINT "DocumentStar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DocumentStar_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocumentVisit" (
    "userId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "visitedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "documentId"),
    CONSTRAINT "DocumentVisit_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DocumentVisit_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DocumentStar_documentId_idx" ON "DocumentStar"("documentId");

-- CreateIndex
CREATE INDEX "DocumentVisit_userId_visitedAt_idx" ON "DocumentVisit"("userId", "visitedAt");

-- CreateIndex
CREATE INDEX "DocumentVisit_documentId_idx" ON "DocumentVisit"("documentId");
