/**
 * Rebuilds the global search index (ADR 028) from every document and consultation, whatever it holds now:
 *
 *   npm run search:reindex            (DATABASE_URL as for the app; the server may keep running)
 *
 * Each record is written in its own short transaction, so a running server keeps serving; records changed
 * meanwhile are marked and re-indexed by the server's job as usual.
 */
import { disconnectDb } from "../app/db.server";
import { reindexAll } from "../app/services/search/search-indexer.server";

const started = Date.now();
try {
  const { indexed } = await reindexAll((m) => console.log(m));
  console.log(`search index rebuilt: ${indexed} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await disconnectDb();
}
