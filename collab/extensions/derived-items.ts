import type * as Y from "yjs";
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
  const quietMs = options.quietMs ?? 1000;
  const timers = new Map<string, { doc: Y.Doc; timer: NodeJS.Timeout }>();
  let chain: Promise<void> = Promise.resolve();

  const run = (documentId: string, doc: Y.Doc): Promise<void> => {
    const t = timers.get(documentId);
    if (t) clearTimeout(t.timer);
    timers.delete(documentId);
    chain = chain.then(() => options.sync(documentId, doc)).catch((err) => options.onError?.(err, documentId));
    return chain;
  };

  return {
    name: "derived-items",
    onChange({ document }) {
      const t = timers.get(document.id);
      if (t) clearTimeout(t.timer);
      const timer = setTimeout(() => void run(document.id, document.doc), quietMs);
      timer.unref();
      timers.set(document.id, { doc: document.doc, timer });
    },
    async onStoreDocument({ document }) {
      if (timers.has(document.id)) await run(document.id, document.doc);
    },
    onReplaceDocument({ document, previous }) {
      const t = timers.get(document.id);
      if (t && t.doc === previous) t.doc = document.doc;
    },
    async onDestroy() {
      await Promise.all([...timers.entries()].map(([id, t]) => run(id, t.doc)));
      await chain;
    },
  };
}
