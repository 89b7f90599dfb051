import type * as Y from "yjs";
import { createDebouncer } from "../documents/debouncer";
import type { CollabExtension } from "./types";

/**
 * Keeps rows derived from a document's content (tracked items) in step with the text: `sync` runs
 * `quietMs` after the last change of a document and whenever it is stored, one document at a time.
 */
export function derivedItems(options: {
  sync: (documentId: string, doc: Y.Doc) => Promise<void>;
  quietMs?: number;
  onError?: (err: unknown, documentId: string) => void;
}): CollabExtension {
  /** The documents changed since their last sync. */
  const changed = new Map<string, Y.Doc>();
  let chain: Promise<void> = Promise.resolve();

  const quiet = createDebouncer<string>({
    waitMs: options.quietMs ?? 1000,
    run(documentId) {
      const doc = changed.get(documentId);
      changed.delete(documentId);
      if (!doc) return chain;
      chain = chain.then(() => options.sync(documentId, doc)).catch((err) => options.onError?.(err, documentId));
      return chain;
    },
  });

  return {
    name: "derived-items",
    onChange({ document }) {
      changed.set(document.id, document.doc);
      quiet.schedule(document.id);
    },
    async onStoreDocument({ document }) {
      await quiet.flush(document.id);
    },
    onReplaceDocument({ document, previous }) {
      if (changed.get(document.id) === previous) changed.set(document.id, document.doc);
    },
    async onDestroy() {
      await quiet.flushAll();
      await chain;
    },
  };
}
