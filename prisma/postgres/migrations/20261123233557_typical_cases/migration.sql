
-- CreateTable
CREATE TABLE "TypicalCase" (
    "documentId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "batch" TEXT NOT NULL,
    "parties" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TypicalCase_pkey" PRIMARY KEY ("documentId")
);

-- CreateTable
CREATE TABLE "RedactionOverride" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "byId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RedactionOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Publication" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "keywords" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "batch" TEXT NOT NULL,
    "orgs" TEXT NOT NULL,
    "json" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'PUBLISHED',
    "current" BOOLEAN NOT NULL DEFAULT true,
    "note" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedById" TEXT NOT NULL,

    CONSTRAINT "Publication_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TypicalCase_batch_idx" ON "TypicalCase"("batch");

-- CreateIndex
CREATE UNIQUE INDEX "RedactionOverride_documentId_key_key" ON "RedactionOverride"("documentId", "key");

-- CreateIndex
CREATE INDEX "Publication_documentId_version_idx" ON "Publication"("documentId", "version");

-- CreateIndex
CREATE INDEX "Publication_current_state_publishedAt_idx" ON "Publication"("current", "state", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Publication_slug_version_key" ON "Publication"("slug", "version");

-- AddForeignKey
ALTER TABLE "TypicalCase" ADD CONSTRAINT "TypicalCase_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RedactionOverride" ADD CONSTRAINT "RedactionOverride_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "TypicalCase"("documentId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Publication" ADD CONSTRAINT "Publication_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
