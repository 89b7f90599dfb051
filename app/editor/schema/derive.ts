import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { documentText } from "./chart";
import { editorSchema, YJS_FRAGMENT } from "./extensions";
import { rejectSuggestions } from "./suggestions";

export interface DerivedContent {
  /** ProseMirror JSON of the document, as the editor would produce it. */
  json: unknown;
  /** Plain text, blocks separated by newlines. */
  text: string;
}

/**
 * Turns the Yjs state into ProseMirror JSON and plain text with the editor's own schema. Nodes the
 * schema does not know are dropped by the binding rather than failing the whole document. A figure
 * (统计图) reads as 图：<caption> in the text (`documentText`).
 *
 * Open 修订 are rejected first (ADR 019): versions, hashes, tracked items, the redaction check and
 * the clean exports all read this, so a proposal counts only once it is accepted. `suggestions:
 * "kept"` gives the document as it is, suggestion marks included (the review list, Word with
 * tracked changes).
 */
export function createDeriver(options: { suggestions?: "rejected" | "kept" } = {}) {
  const keep = options.suggestions === "kept";
  return (doc: Y.Doc): DerivedContent => {
    const raw = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(YJS_FRAGMENT), editorSchema());
    const node = keep ? raw : rejectSuggestions(raw);
    return { json: node.toJSON(), text: documentText(node) };
  };
}

/**
 * Both views from one conversion: `rejected` (what counts, as `createDeriver()` gives) and `kept`
 * (suggestion marks included: comment anchors inside a suggested insertion are still there). When
 * the document has no suggestion, both are the same object.
 */
export function createDualDeriver() {
  return (doc: Y.Doc): { rejected: DerivedContent; kept: DerivedContent } => {
    const raw = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(YJS_FRAGMENT), editorSchema());
    const toContent = (node: typeof raw): DerivedContent => ({
      json: node.toJSON(),
      text: documentText(node),
    });
    const kept = toContent(raw);
    const rejectedNode = rejectSuggestions(raw);
    return { kept, rejected: rejectedNode === raw ? kept : toContent(rejectedNode) };
  };
}
