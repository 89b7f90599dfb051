import { Fragment, type Node as PMNode } from "@tiptap/pm/model";
import { yXmlFragmentToProseMirrorFragment } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { editorSchema, YJS_FRAGMENT } from "../../app/editor/schema/extensions";
import { checkSuggestingViews, suggestionView, type SuggestionView } from "../../app/editor/schema/suggestion-check";
import { originOf } from "../origin";
import type { IntegrityViolation, TransactionReview } from "./integrity";

let schema: ReturnType<typeof editorSchema> | null = null;

/**
 * SUGGEST connections may only propose (修订, ADR 019): every update of theirs is read as the
 * document before and after it, and `checkSuggestingViews` must find nothing but the sender's own
 * proposals added, withdrawn or reshaped. The views of the document after an accepted update are
 * kept, so a run of the same sender's updates reads the document once per update, and only the
 * top-level blocks an update changed are converted again (the others are kept by their Yjs element
 * from the previous read). Other origins cost a look at what they changed, once a SUGGEST
 * connection has written.
 */
export function suggestionReview(doc: Y.Doc): TransactionReview {
  schema ??= editorSchema();
  const fragment = doc.getXmlFragment(YJS_FRAGMENT);
  // Each top-level block as last converted, by its Yjs element; dropped when the element changes.
  const blocks = new WeakMap<object, PMNode>();
  const topLevel = (type: object): object | null => {
    let t = type as { _item: Y.Item | null };
    while (t._item && (t._item.parent as unknown) !== fragment)
      t = t._item.parent as unknown as { _item: Y.Item | null };
    return t._item ? t : null;
  };
  const forget = (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) {
      const top = topLevel(type);
      if (top) blocks.delete(top);
    }
  };
  const convert = (el: unknown): PMNode | null => {
    const one = yXmlFragmentToProseMirrorFragment({ toArray: () => [el] } as unknown as Y.XmlFragment, schema!);
    return one.childCount === 1 ? one.child(0) : null;
  };
  const read = () => {
    const children: PMNode[] = [];
    for (const el of fragment.toArray()) {
      let node = blocks.get(el);
      if (!node) {
        const made = convert(el);
        if (!made) continue;
        blocks.set(el, (node = made));
      }
      children.push(node);
    }
    return suggestionView(schema!.topNodeType.create(null, Fragment.fromArray(children)));
  };
  // Bumped after every transaction that changed something: a kept view is current while it matches.
  let changes = 0;
  let kept: { view: SuggestionView; changes: number } | null = null;
  const before = new Map<Y.Transaction, SuggestionView>();
  doc.on("afterTransaction", (tr: Y.Transaction) => {
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) changes++;
    forget(tr);
  });
  const senderOf = (tr: Y.Transaction) => {
    const origin = originOf(tr.origin);
    if (origin?.kind !== "connection" || !origin.connection.info.identity.suggestOnly) return null;
    const { userId, displayName, orgId, orgName } = origin.connection.info.identity;
    return { userId, name: displayName, orgId, orgName };
  };
  return {
    start(tr) {
      if (!senderOf(tr)) return;
      before.set(tr, kept && kept.changes === changes ? kept.view : read());
    },
    finish(tr): IntegrityViolation | null {
      const sender = senderOf(tr);
      const previous = before.get(tr);
      before.delete(tr);
      if (!sender || !previous) return null;
      forget(tr);
      // Only the document body may change: a proposal is never data beside it.
      for (const type of tr.changed.keys()) {
        let root = type as { _item: Y.Item | null };
        while (root._item) root = root._item.parent as unknown as { _item: Y.Item | null };
        if ((root as unknown) !== fragment)
          return { kind: "not-a-suggestion", id: null, reason: "changed data outside the document body" };
      }
      const after = read();
      const refusal = checkSuggestingViews(previous, after, sender);
      if (refusal) return { kind: "not-a-suggestion", id: null, reason: refusal };
      // This transaction's own afterTransaction is still to come.
      kept = { view: after, changes: changes + 1 };
      return null;
    },
  };
}
