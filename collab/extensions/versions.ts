import type * as Y from "yjs";
import { createDebouncer } from "../documents/debouncer";
import type { CollabExtension, CollabIdentity } from "./types";

export interface VersionSettings {
  /** Quiet time after the last change before an automatic version is taken. */
  idleMs: number;
  /** Longest stretch of continuous editing without an automatic version. */
  maxIntervalMs: number;
}

export const defaultVersionSettings: VersionSettings = { idleMs: 2 * 60_000, maxIntervalMs: 10 * 60_000 };

export interface AutoVersion {
  documentId: string;
  doc: Y.Doc;
  /** Everyone whose accepted updates went into this version, in order of first change. */
  authors: Array<Pick<CollabIdentity, "userId" | "displayName" | "orgName">>;
}

interface Pending {
  doc: Y.Doc;
  authors: Map<string, AutoVersion["authors"][number]>;
  firstChangeAt: number;
}

/**
 * Automatic versions (版本) while a document is being edited: after `idleMs` without a change, after
 * `maxIntervalMs` of continuous editing (at its next change), and whenever the document is stored on
 * request (before a named or countersign version, so that one carries who changed what), when the
 * last editor leaves and at shutdown. `save` writes the version (it skips content equal to the latest
 * version).
 */
export function versions(options: {
  save: (version: AutoVersion) => Promise<void>;
  settings?: Partial<VersionSettings>;
  onError?: (err: unknown, documentId: string) => void;
}): CollabExtension {
  const s = { ...defaultVersionSettings, ...options.settings };
  const pending = new Map<string, Pending>();
  let chain: Promise<void> = Promise.resolve();

  const take = (documentId: string): Promise<void> => {
    idle.cancel(documentId);
    const p = pending.get(documentId);
    if (!p) return chain;
    pending.delete(documentId);
    const version: AutoVersion = { documentId, doc: p.doc, authors: [...p.authors.values()] };
    // One at a time, so numbers follow the order changes were made.
    chain = chain.then(() => options.save(version)).catch((err) => options.onError?.(err, documentId));
    return chain;
  };
  const idle = createDebouncer<string>({ waitMs: s.idleMs, run: take });

  return {
    name: "versions",
    onChange({ document, connection }) {
      let p = pending.get(document.id);
      if (!p) {
        p = { doc: document.doc, authors: new Map(), firstChangeAt: Date.now() };
        pending.set(document.id, p);
      }
      const { userId, displayName, orgName } = connection.identity;
      if (!p.authors.has(userId)) p.authors.set(userId, { userId, displayName, orgName });
      if (Date.now() - p.firstChangeAt >= s.maxIntervalMs) void take(document.id);
      else idle.schedule(document.id);
    },
    async onStoreDocument({ document }) {
      await take(document.id);
    },
    onReplaceDocument({ document, previous }) {
      const p = pending.get(document.id);
      if (p && p.doc === previous) p.doc = document.doc;
    },
    async onDestroy() {
      await Promise.all([...pending.keys()].map((id) => take(id)));
      await chain;
    },
  };
}
