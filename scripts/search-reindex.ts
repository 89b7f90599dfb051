/**
 * Rebuilds the global search index (ADR 028) from every record of every kind, whatever it holds now:
 *
 *   npm run search:reindex            (DATABASE_URL as for the app; the server may keep running)
 *
 * Sources are read and segmented a batch at a time and written through the index adapter in transactions of
 * 200 entries (`indexRecords`), so a running server keeps serving between them; records changed meanwhile
 * are marked and re-indexed by the server's job as usual.
 */
import { disconnectDb } from "../app/db.server";
import { reindexAll } from "../app/services/search/search-indexer.server";

const started = Date.now();
try {
  const { indexed, removed, segmentMs } = await reindexAll((m) => console.log(m));
  console.log(
    `search index rebuilt: ${indexed} records (${removed} stale entries removed) in ${((Date.now() - started) / 1000).toFixed(1)} s, segmenting ${(segmentMs / 1000).toFixed(1)} s`,
  );
} finally {
  await disconnectDb();
}
