import path from "node:path";
import Database from "better-sqlite3";
import type { Pool } from "pg";
import * as Y from "yjs";
import type { DerivedContent } from "../../app/editor/schema/derive";

export interface StoredDocument {
  /** Compacted state, or null before the first compaction. */
  state: Uint8Array | null;
  /** Log entries after the snapshot, in order. */
  updates: Uint8Array[];
}

/** The Yjs update log and its compacted snapshot. */
export interface DocumentStore {
  load(documentId: string): Promise<StoredDocument>;
  /** Appends one (merged) update per document, in one transaction. */
  appendMany(entries: Array<{ documentId: string; update: Uint8Array }>): Promise<void>;
  /**
   * Replaces the snapshot with `state` and deletes the log entries it covers, atomically. On
   * PostgreSQL (several processes) the new snapshot is `state` merged with the stored snapshot and
   * log, so changes this process has not seen are never lost; `rederive` gives the derived content
   * of the merged state when it differs. Resolves false, without writing, when another process is
   * compacting the same document right now.
   */
  compact(
    documentId: string,
    state: Uint8Array,
    derived: DerivedContent,
    rederive?: (state: Uint8Array) => DerivedContent,
  ): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The store speaks SQL directly instead of through Prisma: Prisma 6.19's JS engine takes ~25 ms to
 * read a 127 KB Bytes column (≈ 75 ms for 380 KB) on the event loop, which made every cold join and
 * compaction stall all documents (docs/decisions/005-own-collab-server.md). Same tables, same
 * migrations; Prisma stays the owner of the schema.
 */
export function createDocumentStore(databaseUrl: string): DocumentStore {
  return /^postgres(ql)?:\/\//.test(databaseUrl)
    ? postgresStore(databaseUrl)
    : sqliteStore(databaseUrl.replace(/^file:/, ""));
}

/**
 * The new text is to be searched (ADR 028): the compaction marks the document for the search index's job in its
 * own transaction, so a stored text is never left unindexed by a crash.
 */
const SQLITE_MARK_SEARCH =
  'INSERT INTO "SearchDirty" ("kind", "recordId", "dirtyAt") VALUES (\'document\', ?, ?) ' +
  'ON CONFLICT ("kind", "recordId") DO UPDATE SET "dirtyAt" = excluded."dirtyAt"';
const POSTGRES_MARK_SEARCH =
  'INSERT INTO "SearchDirty" ("kind", "recordId", "dirtyAt") VALUES (\'document\', $1, now() AT TIME ZONE \'UTC\') ' +
  'ON CONFLICT ("kind", "recordId") DO UPDATE SET "dirtyAt" = EXCLUDED."dirtyAt"';

/** Prisma's SQLite DateTime text format. */
const sqliteNow = () => new Date().toISOString().replace("Z", "+00:00");

function sqliteStore(file: string): DocumentStore {
  const db = new Database(path.resolve(file));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const snapshot = db.prepare<[string], { state: Buffer; lastSeq: number }>(
    'SELECT "state", "lastSeq" FROM "DocumentSnapshot" WHERE "documentId" = ?',
  );
  const log = db.prepare<[string, number], { data: Buffer }>(
    'SELECT "data" FROM "DocumentUpdate" WHERE "documentId" = ? AND "seq" > ? ORDER BY "seq"',
  );
  const insert = db.prepare<[string, Buffer, string]>(
    'INSERT INTO "DocumentUpdate" ("documentId", "data", "createdAt") VALUES (?, ?, ?)',
  );
  const maxSeq = db.prepare<[string], { seq: number | null }>(
    'SELECT MAX("seq") AS "seq" FROM "DocumentUpdate" WHERE "documentId" = ?',
  );
  const upsert = db.prepare<[string, Buffer, string, string, number, string]>(
    'INSERT INTO "DocumentSnapshot" ("documentId", "state", "json", "text", "lastSeq", "updatedAt") VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT ("documentId") DO UPDATE SET "state" = excluded."state", "json" = excluded."json", "text" = excluded."text", "lastSeq" = MAX("lastSeq", excluded."lastSeq"), "updatedAt" = excluded."updatedAt"',
  );
  const prune = db.prepare<[string, number]>('DELETE FROM "DocumentUpdate" WHERE "documentId" = ? AND "seq" <= ?');
  const markSearch = db.prepare<[string, string]>(SQLITE_MARK_SEARCH);
  const appendTx = db.transaction((entries: Array<{ documentId: string; update: Uint8Array }>) => {
    const now = sqliteNow();
    for (const e of entries)
      insert.run(e.documentId, Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength), now);
  });
  const compactTx = db.transaction((documentId: string, state: Uint8Array, json: string, text: string) => {
    const lastSeq = maxSeq.get(documentId)?.seq ?? 0;
    upsert.run(
      documentId,
      Buffer.from(state.buffer, state.byteOffset, state.byteLength),
      json,
      text,
      lastSeq,
      sqliteNow(),
    );
    prune.run(documentId, lastSeq);
    markSearch.run(documentId, sqliteNow());
  });
  return {
    async load(documentId) {
      const snap = snapshot.get(documentId);
      const rows = log.all(documentId, snap?.lastSeq ?? 0);
      return { state: snap ? new Uint8Array(snap.state) : null, updates: rows.map((r) => new Uint8Array(r.data)) };
    },
    async appendMany(entries) {
      if (entries.length) appendTx(entries);
    },
    async compact(documentId, state, derived) {
      compactTx(documentId, state, JSON.stringify(derived.json), derived.text);
      return true;
    },
    async close() {
      db.close();
    },
  };
}

function postgresStore(url: string): DocumentStore {
  // pg loads with the first query, not at start (ADR 030); a process on SQLite never imports it.
  let opened: Promise<Pool> | undefined;
  const connect = () =>
    (opened ??= import("pg").then(({ Pool }) => {
      const pool = new Pool({ connectionString: url, max: 4 });
      // An idle connection lost while PostgreSQL restarts: the pool replaces it; never an uncaught error.
      pool.on("error", () => undefined);
      return pool;
    }));
  return {
    async load(documentId) {
      const pool = await connect();
      const snap = await pool.query<{ state: Buffer; lastSeq: number }>(
        'SELECT "state", "lastSeq" FROM "DocumentSnapshot" WHERE "documentId" = $1',
        [documentId],
      );
      // Every remaining log row: compaction deletes exactly the rows it merged, so a row committed
      // late by another process (with a lower seq than the snapshot's) is still read.
      const rows = await pool.query<{ data: Buffer }>(
        'SELECT "data" FROM "DocumentUpdate" WHERE "documentId" = $1 ORDER BY "seq"',
        [documentId],
      );
      return {
        state: snap.rows[0] ? new Uint8Array(snap.rows[0].state) : null,
        updates: rows.rows.map((r) => new Uint8Array(r.data)),
      };
    },
    async appendMany(entries) {
      if (entries.length === 0) return;
      const values = entries.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2}, now())`).join(", ");
      const pool = await connect();
      await pool.query(
        `INSERT INTO "DocumentUpdate" ("documentId", "data", "createdAt") VALUES ${values}`,
        entries.flatMap((e) => [e.documentId, Buffer.from(e.update)]),
      );
    },
    async compact(documentId, state, derived, rederive) {
      const pool = await connect();
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        // One compaction of a document at a time across all processes; a busy one is skipped.
        const lock = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok", [
          documentId,
        ]);
        if (!lock.rows[0]?.ok) {
          await client.query("ROLLBACK");
          return false;
        }
        const snap = await client.query<{ state: Buffer }>(
          'SELECT "state" FROM "DocumentSnapshot" WHERE "documentId" = $1',
          [documentId],
        );
        const log = await client.query<{ seq: number; data: Buffer }>(
          'SELECT "seq", "data" FROM "DocumentUpdate" WHERE "documentId" = $1 ORDER BY "seq"',
          [documentId],
        );
        const seqs = log.rows.map((r) => r.seq);
        const lastSeq = seqs.length ? seqs[seqs.length - 1] : 0;
        const parts = [
          ...snap.rows.map((r) => new Uint8Array(r.state)),
          ...log.rows.map((r) => new Uint8Array(r.data)),
        ];
        let merged = state;
        let content = derived;
        if (parts.length) {
          merged = Y.mergeUpdates([...parts, state]);
          // Something this process had not seen (written by another one): derive from the merge.
          if (rederive && !sameBytes(Y.encodeStateVectorFromUpdate(merged), Y.encodeStateVectorFromUpdate(state)))
            content = rederive(merged);
        }
        await client.query(
          'INSERT INTO "DocumentSnapshot" ("documentId", "state", "json", "text", "lastSeq", "updatedAt") VALUES ($1, $2, $3, $4, $5, now()) ' +
            'ON CONFLICT ("documentId") DO UPDATE SET "state" = EXCLUDED."state", "json" = EXCLUDED."json", "text" = EXCLUDED."text", "lastSeq" = GREATEST("DocumentSnapshot"."lastSeq", EXCLUDED."lastSeq"), "updatedAt" = now()',
          [documentId, Buffer.from(merged), JSON.stringify(content.json), content.text, lastSeq],
        );
        await client.query(POSTGRES_MARK_SEARCH, [documentId]);
        if (seqs.length)
          await client.query('DELETE FROM "DocumentUpdate" WHERE "documentId" = $1 AND "seq" = ANY($2::int[])', [
            documentId,
            seqs,
          ]);
        await client.query("COMMIT");
        return true;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await opened?.then(
        (pool) => pool.end(),
        () => undefined,
      );
    },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
