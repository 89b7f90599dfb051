import * as Y from "yjs";
import type { DerivedContent } from "../documents/derive";
import type { DocumentStore } from "../documents/store";
import type { CollabExtension } from "./types";

export interface PersistenceSettings {
  /** Quiet time after the last update before the batch is written. */
  debounceMs: number;
  /** Longest an accepted update waits in memory, however busy the document. */
  maxDelayMs: number;
  /** Log entries after which the log is folded into the snapshot. */
  compactAfter: number;
  /** Wait before retrying a failed write. */
  retryMs: number;
}

export const defaultPersistence: PersistenceSettings = { debounceMs: 100, maxDelayMs: 500, compactAfter: 200, retryMs: 1000 };

interface DocState {
  doc: Y.Doc | null;
  pending: Uint8Array[];
  timer: NodeJS.Timeout | null;
  firstPendingAt: number;
  lastSeq: number;
  logEntries: number;
  /** Changed since the last compaction. */
  dirty: boolean;
  /** Serializes writes for this document. */
  chain: Promise<void>;
}

export interface Persistence extends CollabExtension {
  /** Writes every pending batch and compacts changed documents (graceful shutdown). */
  flushAll(): Promise<void>;
}

/**
 * Update log + compaction (DESIGN §4.7): accepted updates are batched (debounce with a cap) and
 * appended as one merged entry; the log is compacted into the snapshot, with derived JSON and text,
 * inside a transaction when it grows past `compactAfter` and when the last client leaves.
 * Unchanged documents are never rewritten. A failed write keeps the batch and retries.
 */
export function persistence(options: { store: DocumentStore; derive: (doc: Y.Doc) => DerivedContent; settings?: Partial<PersistenceSettings>; onError?: (err: unknown, documentId: string) => void }): Persistence {
  const s = { ...defaultPersistence, ...options.settings };
  const docs = new Map<string, DocState>();
  const state = (id: string): DocState => {
    let st = docs.get(id);
    if (!st) {
      st = { doc: null, pending: [], timer: null, firstPendingAt: 0, lastSeq: 0, logEntries: 0, dirty: false, chain: Promise.resolve() };
      docs.set(id, st);
    }
    return st;
  };
  const serialize = (st: DocState, fn: () => Promise<void>): Promise<void> => {
    const next = st.chain.then(fn, fn);
    st.chain = next.catch(() => undefined);
    return next;
  };

  async function writeBatch(id: string, st: DocState): Promise<void> {
    if (st.pending.length === 0) return;
    const batch = st.pending;
    st.pending = [];
    st.firstPendingAt = 0;
    try {
      st.lastSeq = await options.store.append(id, batch.length === 1 ? batch[0] : Y.mergeUpdates(batch));
      st.logEntries++;
    } catch (err) {
      st.pending = [...batch, ...st.pending];
      st.firstPendingAt = Date.now();
      options.onError?.(err, id);
      schedule(id, st, s.retryMs);
      throw err;
    }
  }

  async function compact(id: string, st: DocState): Promise<void> {
    if (!st.doc || !st.dirty) return;
    await writeBatch(id, st);
    const stateUpdate = Y.encodeStateAsUpdate(st.doc);
    await options.store.compact(id, stateUpdate, options.derive(st.doc), st.lastSeq);
    st.logEntries = 0;
    st.dirty = false;
  }

  function flush(id: string, st: DocState): Promise<void> {
    if (st.timer) clearTimeout(st.timer);
    st.timer = null;
    return serialize(st, async () => {
      await writeBatch(id, st);
      if (st.logEntries >= s.compactAfter) await compact(id, st);
    });
  }

  function schedule(id: string, st: DocState, delay?: number) {
    if (st.timer) clearTimeout(st.timer);
    const waited = st.firstPendingAt ? Date.now() - st.firstPendingAt : 0;
    const wait = delay ?? Math.max(0, Math.min(s.debounceMs, s.maxDelayMs - waited));
    st.timer = setTimeout(() => {
      st.timer = null;
      flush(id, st).catch(() => undefined);
    }, wait);
  }

  return {
    name: "persistence",
    async onLoadDocument({ documentId, doc }) {
      const stored = await options.store.load(documentId);
      Y.transact(
        doc,
        () => {
          if (stored.state) Y.applyUpdate(doc, stored.state);
          for (const u of stored.updates) Y.applyUpdate(doc, u);
        },
        "persistence",
      );
      const st = state(documentId);
      st.doc = doc;
      st.lastSeq = stored.lastSeq;
      st.logEntries = stored.updates.length;
      // A log left by a crash is folded in at the next store.
      st.dirty = stored.updates.length > 0;
    },
    onChange({ document, update }) {
      const st = state(document.id);
      st.doc = document.doc;
      st.pending.push(update);
      st.dirty = true;
      if (!st.firstPendingAt) st.firstPendingAt = Date.now();
      schedule(document.id, st);
    },
    async onStoreDocument({ document }) {
      const st = state(document.id);
      st.doc = document.doc;
      if (st.timer) clearTimeout(st.timer);
      st.timer = null;
      await serialize(st, () => compact(document.id, st));
    },
    onUnloadDocument({ documentId }) {
      const st = docs.get(documentId);
      if (st && st.pending.length === 0 && !st.timer) docs.delete(documentId);
    },
    async flushAll() {
      await Promise.allSettled(
        [...docs.entries()].map(([id, st]) => {
          if (st.timer) clearTimeout(st.timer);
          st.timer = null;
          return serialize(st, () => compact(id, st));
        }),
      );
    },
    async onDestroy() {
      await this.flushAll();
    },
  };
}
