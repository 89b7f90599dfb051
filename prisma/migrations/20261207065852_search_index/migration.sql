
-- CreateTable
CREATE TABLE "SearchEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "tokens" TEXT NOT NULL,
    "sourceAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SearchDirty" (
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "dirtyAt" DATETIME NOT NULL,

    PRIMARY KEY ("kind", "recordId")
);

-- CreateIndex
CREATE UNIQUE INDEX "SearchEntry_kind_recordId_key" ON "SearchEntry"("kind", "recordId");

-- CreateIndex
CREATE INDEX "SearchDirty_dirtyAt_idx" ON "SearchDirty"("dirtyAt");

-- Hand-written (ADR 028): the full-text index over SearchEntry.tokens. Contentless FTS5 (rowid = SearchEntry.id):
-- the tokens are pre-segmented and space-joined, so unicode61 splits exactly on the spaces; the text shown
-- (title, body) stays in SearchEntry. contentless_delete lets a row be deleted or replaced by its rowid.
CREATE VIRTUAL TABLE "SearchFts" USING fts5("tokens", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
