
-- CreateTable
CREATE TABLE "DocumentStar" (
    "userId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentStar_pkey" PRIMARY KEY ("userId","documentId")
);

-- CreateTable
CREATE TABLE "DocumentVisit" (
    "userId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "visitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentVisit_pkey" PRIMARY KEY ("userId","documentId")
);

-- CreateIndex
CREATE INDEX "DocumentStar_documentId_idx" ON "DocumentStar"("documentId");

-- CreateIndex
CREATE INDEX "DocumentVisit_userId_visitedAt_idx" ON "DocumentVisit"("userId", "visitedAt");

-- CreateIndex
CREATE INDEX "DocumentVisit_documentId_idx" ON "DocumentVisit"("documentId");

-- AddForeignKey
ALTER TABLE "DocumentStar" ADD CONSTRAINT "DocumentStar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentStar" ADD CONSTRAINT "DocumentStar_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentVisit" ADD CONSTRAINT "DocumentVisit_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentVisit" ADD CONSTRAINT "DocumentVisit_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
