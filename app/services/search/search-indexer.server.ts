import { SEARCH_KINDS, isSearchKind, type SearchKind } from "~/domain/search";
import { acquireJobLock, releaseJobLock, renewJobLock } from "~/models/job-lock.server";
import { SEARCH_SOURCES, organisationNames, sourceTimes } from "~/models/search-sources.server";
import {
  clearSearchDirty,
  countSearchEntries,
  entryRecordIdsPage,
  hasSearchDirty,
  indexedSourceTimes,
  markSearchDirty,
  nextSearchDirty,
  searchIndex,
} from "~/models/search.server";
import { database, transaction } from "~/models/unit-of-work.server";
import { entryTokens, loadSearchDictionary } from "./search-tokens.server";

/**
 * The search index's background job (ADR 028): takes the `search-index` lease, re-indexes the records marked in
 * `SearchDirty` (oldest first, a batch at a time) and, when asked, sweeps every source for records whose index
 * row is missing or older than the record. Never on a request's path; several processes may run it — the lease
 * keeps it to one at a time, and a mark is cleared only if it was not renewed meanwhile.
 */

const LEASE = "search-index";
const LEASE_MS = 60_000;
const BATCH = 50;
/** Records a sweep compares at a time. */
const SWEEP_PAGE = 500;

export interface IndexRunResult {
  ran: boolean;
  indexed: number;
  removed: number;
  marked: number;
}

/** Writes (or removes) the index row of one record from its source, in one transaction. */
export async function indexRecord(kind: SearchKind, recordId: string): Promise<"indexed" | "removed"> {
  await loadSearchDictionary();
  const source = await SEARCH_SOURCES[kind](database(), recordId);
  // Segmenting is CPU work outside the transaction: the write itself stays short.
  const tokens = source ? entryTokens(source.title, source.body) : "";
  return transaction(async (tx) => {
    if (!source) {
      await searchIndex().remove(tx, kind, recordId);
      return "removed" as const;
    }
    await searchIndex().write(tx, { kind, recordId, ...source, tokens });
    return "indexed" as const;
  });
}

/** Entries written per transaction by the bulk path. */
const WRITE_BATCH = 200;
/** A batch of long documents takes a few seconds on a loaded machine: more than Prisma's default 5 s is allowed. */
const BULK_TX = { timeoutMs: 60_000 };

/**
 * The bulk path (reindex, bench): reads the records' sources (concurrently, a batch at a time), segments them
 * outside any transaction and writes (or removes) their entries through the adapter, one transaction per
 * `WRITE_BATCH` entries. Same result as `indexRecord` on each id.
 */
export async function indexRecords(
  kind: SearchKind,
  recordIds: readonly string[],
): Promise<{ indexed: number; removed: number; segmentMs: number }> {
  await loadSearchDictionary();
  let indexed = 0;
  let removed = 0;
  let segmentMs = 0;
  for (let i = 0; i < recordIds.length; i += WRITE_BATCH) {
    const ids = recordIds.slice(i, i + WRITE_BATCH);
    const sources = await Promise.all(ids.map((id) => SEARCH_SOURCES[kind](database(), id)));
    const t0 = performance.now();
    const tokens = sources.map((s) => (s ? entryTokens(s.title, s.body) : ""));
    segmentMs += performance.now() - t0;
    await transaction(async (tx) => {
      for (let k = 0; k < ids.length; k++) {
        const source = sources[k];
        if (source) {
          await searchIndex().write(tx, { kind, recordId: ids[k], ...source, tokens: tokens[k] });
          indexed++;
        } else {
          await searchIndex().remove(tx, kind, ids[k]);
          removed++;
        }
      }
    }, BULK_TX);
  }
  return { indexed, removed, segmentMs };
}

/**
 * Marks every record whose index row is missing or older than its source, and rows whose record is gone (or
 * is no longer to be found), a page at a time in id order.
 */
export async function sweepSearchIndex(kinds: readonly SearchKind[] = SEARCH_KINDS): Promise<number> {
  let marked = 0;
  const mark = async (kind: SearchKind, ids: string[]) => {
    if (!ids.length) return;
    await transaction((tx) => markSearchDirty(tx, kind, ids));
    marked += ids.length;
  };
  for (const kind of kinds) {
    const db = database();
    for (let after: string | null = null; ;) {
      const page = await sourceTimes(db, kind, { after, take: SWEEP_PAGE });
      if (!page.length) break;
      const indexed = await indexedSourceTimes(
        db,
        kind,
        page.map(([id]) => id),
      );
      await mark(
        kind,
        page.filter(([id, at]) => (indexed.get(id) ?? -1) < at).map(([id]) => id),
      );
      after = page[page.length - 1][0];
    }
    for (let after: string | null = null; ;) {
      const ids = await entryRecordIdsPage(db, kind, after, SWEEP_PAGE);
      if (!ids.length) break;
      const present = new Set((await sourceTimes(db, kind, { ids })).map(([id]) => id));
      await mark(
        kind,
        ids.filter((id) => !present.has(id)),
      );
      after = ids[ids.length - 1];
    }
  }
  return marked;
}

/** Loads the domain terms and every organisation's name into the segmenter (new names only). */
export async function refreshSearchDictionary(): Promise<void> {
  await loadSearchDictionary(await organisationNames(database()));
}

/**
 * One run: nothing to do → no write at all; otherwise under the lease, batch after batch until the queue is
 * empty, the lease is lost or `signal` aborts.
 */
export async function runSearchIndex(opts: {
  holder: string;
  sweep?: boolean;
  signal?: AbortSignal;
  log?: (msg: string) => void;
}): Promise<IndexRunResult> {
  const result: IndexRunResult = { ran: false, indexed: 0, removed: 0, marked: 0 };
  if (!opts.sweep && !(await hasSearchDirty(database()))) return result;
  if (!(await acquireJobLock(database(), LEASE, opts.holder, LEASE_MS))) return result;
  result.ran = true;
  let dictionary = false;
  try {
    if (opts.sweep) result.marked = await sweepSearchIndex();
    while (!opts.signal?.aborted) {
      const batch = await nextSearchDirty(database(), BATCH);
      if (!batch.length) break;
      // jieba loads (a few tenths of a second) only once there is something to index: a restart over an index
      // that is up to date never loads it (ADR 030).
      if (!dictionary) await refreshSearchDictionary();
      dictionary = true;
      for (const mark of batch) {
        if (opts.signal?.aborted) break;
        const kind = mark.kind as SearchKind;
        try {
          if (isSearchKind(kind)) {
            const done = await indexRecord(kind, mark.recordId);
            if (done === "indexed") result.indexed++;
            else result.removed++;
          }
        } catch (err) {
          opts.log?.(`[search] ${kind} ${mark.recordId}: ${err instanceof Error ? err.message : String(err)}`);
        }
        // A record that fails is not retried in a loop: its mark goes; the next sweep marks it again.
        await clearSearchDirty(database(), mark.kind, mark.recordId, mark.dirtyAt);
      }
      if (!(await renewJobLock(database(), LEASE, opts.holder, LEASE_MS))) break;
    }
  } finally {
    await releaseJobLock(database(), LEASE, opts.holder).catch(() => undefined);
  }
  return result;
}

/** Rebuilds everything (npm run search:reindex): every record of every kind, whatever the index holds. */
export async function reindexAll(
  log: (msg: string) => void = () => undefined,
): Promise<{ indexed: number; removed: number; segmentMs: number }> {
  await refreshSearchDictionary();
  let indexed = 0;
  let removed = 0;
  let segmentMs = 0;
  for (const kind of SEARCH_KINDS) {
    let count = 0;
    const started = performance.now();
    for (let after: string | null = null; ;) {
      const page = await sourceTimes(database(), kind, { after, take: SWEEP_PAGE });
      if (!page.length) break;
      const done = await indexRecords(
        kind,
        page.map(([id]) => id),
      );
      count += done.indexed;
      removed += done.removed;
      segmentMs += done.segmentMs;
      after = page[page.length - 1][0];
    }
    // Entries whose record is gone (or no longer to be found).
    for (let after: string | null = null; ;) {
      const ids = await entryRecordIdsPage(database(), kind, after, SWEEP_PAGE);
      if (!ids.length) break;
      const present = new Set((await sourceTimes(database(), kind, { ids })).map(([id]) => id));
      const gone = ids.filter((id) => !present.has(id));
      if (gone.length) removed += (await indexRecords(kind, gone)).removed;
      after = ids[ids.length - 1];
    }
    indexed += count;
    log(`[search] ${kind}: ${count} indexed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  log(`[search] ${await countSearchEntries(database())} entries`);
  return { indexed, removed, segmentMs };
}
