
-- CreateTable
CREATE TABLE "SearchEntry" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "tokens" TEXT NOT NULL,
    "sourceAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SearchEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchDirty" (
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "dirtyAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SearchDirty_pkey" PRIMARY KEY ("kind","recordId")
);

-- CreateIndex
CREATE UNIQUE INDEX "SearchEntry_kind_recordId_key" ON "SearchEntry"("kind", "recordId");

-- CreateIndex
CREATE INDEX "SearchDirty_dirtyAt_idx" ON "SearchDirty"("dirtyAt");

-- Hand-written (ADR 028): the full-text index over SearchEntry.tokens — the pre-segmented, space-joined tokens
-- as a tsvector of the 'simple' configuration (no stemming, no stop words), GIN-indexed by expression, and queries
-- use the same expression.
CREATE INDEX "SearchEntry_tokens_fts_idx" ON "SearchEntry" USING GIN (to_tsvector('simple', "tokens"));
