import type { Node as PMNode } from "@tiptap/pm/model";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { editorSchema, YJS_FRAGMENT } from "../../app/editor/schema/extensions";
import { checkSuggestingChange } from "../../app/editor/schema/suggestion-check";
import { originOf } from "../origin";
import type { IntegrityViolation, TransactionReview } from "./integrity";

let schema: ReturnType<typeof editorSchema> | null = null;

/**
 * SUGGEST connections may only propose (修订, ADR 019): every update of theirs is read as the
 * document before and after it, and `checkSuggestingChange` must find nothing but the sender's own
 * proposals added, withdrawn or reshaped. The document after an accepted update is kept, so a run
 * of the same sender's updates converts the document once per update. Other origins cost nothing.
 */
export function suggestionReview(doc: Y.Doc): TransactionReview {
  schema ??= editorSchema();
  const fragment = doc.getXmlFragment(YJS_FRAGMENT);
  const read = () => yXmlFragmentToProseMirrorRootNode(fragment, schema!);
  // Bumped after every transaction that changed something: a kept view is current while it matches.
  let changes = 0;
  let kept: { doc: PMNode; changes: number } | null = null;
  const before = new Map<Y.Transaction, PMNode>();
  doc.on("afterTransaction", (tr: Y.Transaction) => {
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) changes++;
  });
  const senderOf = (tr: Y.Transaction) => {
    const origin = originOf(tr.origin);
    return origin?.kind === "connection" && origin.connection.info.identity.suggestOnly
      ? origin.connection.info.identity.userId
      : null;
  };
  return {
    start(tr) {
      if (!senderOf(tr)) return;
      before.set(tr, kept && kept.changes === changes ? kept.doc : read());
    },
    finish(tr): IntegrityViolation | null {
      const sender = senderOf(tr);
      const previous = before.get(tr);
      before.delete(tr);
      if (!sender || !previous) return null;
      // Only the document body may change: a proposal is never data beside it.
      for (const type of tr.changed.keys()) {
        let root = type as { _item: Y.Item | null };
        while (root._item) root = root._item.parent as unknown as { _item: Y.Item | null };
        if ((root as unknown) !== fragment)
          return { kind: "not-a-suggestion", id: null, reason: "changed data outside the document body" };
      }
      const after = read();
      const refusal = checkSuggestingChange(previous, after, sender);
      if (refusal) return { kind: "not-a-suggestion", id: null, reason: refusal };
      // This transaction's own afterTransaction is still to come.
      kept = { doc: after, changes: changes + 1 };
      return null;
    },
  };
}
