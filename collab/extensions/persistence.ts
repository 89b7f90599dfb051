import * as Y from "yjs";
import { CloseCode } from "../../app/protocol/collab";
import type { DerivedContent } from "../../app/editor/schema/derive";
import { createDebouncer } from "../documents/debouncer";
import type { DocumentStore } from "../documents/store";
import { CollabRefusal, type CollabExtension } from "./types";

export interface PersistenceSettings {
  /** Quiet time after the last update before pending updates are written. */
  debounceMs: number;
  /** Longest an accepted update waits in memory, however busy the server. */
  maxDelayMs: number;
  /** Log entries of one document after which its log is folded into the snapshot. */
  compactAfter: number;
  /** Wait before retrying a failed write. */
  retryMs: number;
  /**
   * Accepted updates held in memory because the database cannot take them (all documents of the
   * process). Beyond it, writers' updates are refused with 4503 until the backlog is written; the
   * clients keep their edits and send them again when they reconnect.
   */
  maxPendingBytes: number;
  /**
   * Scale-out: changes relayed from another process are logged by that process; if it died before
   * writing them, this one's snapshot carries them. A document with relayed changes is compacted
   * at the latest this long after the first of them.
   */
  remoteCheckpointMs: number;
}

export const defaultPersistence: PersistenceSettings = {
  // A crash loses at most the last ~80 ms of accepted edits (ADR 032): all documents' pending updates
  // are appended in one transaction, so a busy server still writes only ~12 times a second.
  debounceMs: 40,
  maxDelayMs: 80,
  compactAfter: 200,
  retryMs: 1000,
  maxPendingBytes: 16 * 1024 * 1024,
  remoteCheckpointMs: 30_000,
};

interface DocState {
  documentId: string;
  doc: Y.Doc;
  pending: Uint8Array[];
  logEntries: number;
  /** Changed since the last compaction. */
  dirty: boolean;
}

export interface Persistence extends CollabExtension {
  /** Writes everything pending and compacts changed documents (graceful shutdown). */
  flushAll(): Promise<void>;
  /**
   * Stores now what other processes relayed here (a peer died: those changes may be stored nowhere
   * else, and a second failure must not lose them, ADR 032).
   */
  checkpointRemoteChanges(): Promise<void>;
}

const sizeOf = (parts: Uint8Array[]) => parts.reduce((n, p) => n + p.byteLength, 0);

/** A document's state, created on its first change if it was never loaded here (applyChange). */
function stateIn(docs: Map<string, DocState>, document: { id: string; doc: Y.Doc }): DocState {
  let st = docs.get(document.id);
  if (!st) {
    st = { documentId: document.id, doc: document.doc, pending: [], logEntries: 0, dirty: false };
    docs.set(document.id, st);
  }
  return st;
}

/** Derived content of a stored state (a compaction that merged changes this process had not seen). */
function deriveState(derive: (doc: Y.Doc) => DerivedContent, state: Uint8Array): DerivedContent {
  const doc = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(doc, state);
    return derive(doc);
  } finally {
    doc.destroy();
  }
}

/** Runs the functions it is given one after another, whether the previous one failed or not. */
function serialQueue(): (fn: () => Promise<void>) => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  return (fn) => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
}

/**
 * Update log + compaction (architecture.md "The collab pipeline"). Accepted updates wait in memory at most `maxDelayMs`
 * (debounced by `debounceMs`); then every document's pending updates are merged and appended in
 * one statement for the whole server, so the number of database writes does not grow with the
 * number of open documents. A document's log is compacted into its snapshot, with derived JSON and
 * text, inside a transaction when it passes `compactAfter` entries and when its last client leaves.
 * Unchanged documents are never rewritten. A failed write keeps the updates and retries.
 * All writes go through one queue, so a compaction never races an append.
 */
export function persistence(options: {
  store: DocumentStore;
  derive: (doc: Y.Doc) => DerivedContent;
  settings?: Partial<PersistenceSettings>;
  onError?: (err: unknown, documentId: string | null) => void;
}): Persistence {
  const s = { ...defaultPersistence, ...options.settings };
  const docs = new Map<string, DocState>();
  const stateOf = (document: { id: string; doc: Y.Doc }) => stateIn(docs, document);
  const serialize = serialQueue();
  let pendingBytes = 0;
  const rederive = (state: Uint8Array) => deriveState(options.derive, state);
  /** All pending updates, written together `debounceMs` after the last, at most `maxDelayMs` after the first. */
  const writes = createDebouncer<"all">({
    waitMs: s.debounceMs,
    maxWaitMs: s.maxDelayMs,
    keepAlive: true,
    run: () => serialize(writePending),
  });
  /** Checkpoints of relayed changes, at the latest `remoteCheckpointMs` after the first (per document state). */
  const checkpoints = createDebouncer<DocState>({
    waitMs: s.remoteCheckpointMs,
    run: (st) => serialize(() => compact(st.documentId, st)).catch((err) => options.onError?.(err, st.documentId)),
  });

  async function writePending(): Promise<void> {
    const batch: Array<{ documentId: string; update: Uint8Array; st: DocState; parts: Uint8Array[] }> = [];
    for (const [documentId, st] of docs) {
      if (st.pending.length === 0) continue;
      const parts = st.pending;
      st.pending = [];
      batch.push({ documentId, update: parts.length === 1 ? parts[0] : Y.mergeUpdates(parts), st, parts });
    }
    if (batch.length === 0) return;
    try {
      await options.store.appendMany(batch.map(({ documentId, update }) => ({ documentId, update })));
      pendingBytes -= sizeOf(batch.flatMap((b) => b.parts));
    } catch (err) {
      for (const b of batch) b.st.pending = [...b.parts, ...b.st.pending];
      options.onError?.(err, null);
      writes.scheduleIn("all", s.retryMs);
      throw err;
    }
    for (const b of batch) b.st.logEntries++;
    for (const b of batch) if (b.st.logEntries >= s.compactAfter) await compact(b.documentId, b.st);
  }

  async function compact(documentId: string, st: DocState): Promise<void> {
    if (!st.dirty) return;
    if (st.pending.length) await writePending();
    // Another process compacting the same document at this moment: leave it dirty for the next time.
    if (!(await options.store.compact(documentId, Y.encodeStateAsUpdate(st.doc), options.derive(st.doc), rederive)))
      return;
    st.logEntries = 0;
    st.dirty = false;
    checkpoints.cancel(st);
  }

  return {
    name: "persistence",
    async onLoadDocument({ documentId, doc }) {
      const stored = await options.store.load(documentId);
      // A log left by a crash is folded in at the next store.
      docs.set(documentId, {
        documentId,
        doc,
        pending: [],
        logEntries: stored.updates.length,
        dirty: stored.updates.length > 0,
      });
      if (stored.updates.length === 0) return stored.state ?? undefined;
      return Y.mergeUpdates(stored.state ? [stored.state, ...stored.updates] : stored.updates);
    },
    onChange({ document, update }) {
      const st = stateOf(document);
      st.pending.push(update);
      pendingBytes += update.byteLength;
      st.dirty = true;
      writes.schedule("all");
    },
    beforeChange({ size }) {
      if (pendingBytes > 0 && pendingBytes + size > s.maxPendingBytes)
        throw new CollabRefusal(CloseCode.UNAVAILABLE, "storage unavailable: edits paused");
    },
    onRemoteChange({ document }) {
      const state = stateOf(document);
      state.dirty = true;
      if (!checkpoints.isScheduled(state)) checkpoints.schedule(state);
    },
    async onStoreDocument({ document }) {
      const st = docs.get(document.id);
      if (st) await serialize(() => compact(document.id, st));
    },
    onReplaceDocument({ document, previous }) {
      const st = docs.get(document.id);
      if (st && st.doc === previous) st.doc = document.doc;
    },
    onUnloadDocument({ documentId }) {
      const st = docs.get(documentId);
      if (st && st.pending.length === 0 && !st.dirty) {
        checkpoints.cancel(st);
        docs.delete(documentId);
      }
    },
    async checkpointRemoteChanges() {
      await checkpoints.flushAll();
    },
    async flushAll() {
      writes.cancel("all");
      await serialize(async () => {
        await writePending();
        for (const [id, st] of docs) await compact(id, st).catch((err) => options.onError?.(err, id));
      });
    },
    async onDestroy() {
      await this.flushAll();
    },
  };
}
