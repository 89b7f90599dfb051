-- Hand-written (ADR 028), PostgreSQL only: the tokens as a stored generated tsvector column, GIN-indexed.
-- With the expression index, ts_rank re-parsed the tokens of every hit (about four times the text), and a
-- stored tsvector is read instead. Prisma does not model the column (scripts/new-migration.sh leaves it alone).
ALTER TABLE "SearchEntry" ADD COLUMN "tsv" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "tokens")) STORED;
CREATE INDEX "SearchEntry_tsv_idx" ON "SearchEntry" USING GIN ("tsv");
DROP INDEX "SearchEntry_tokens_fts_idx";
