import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { editorSchema, YJS_FRAGMENT } from "./extensions";

export interface DerivedContent {
  /** ProseMirror JSON of the document, as the editor would produce it. */
  json: unknown;
  /** Plain text, blocks separated by newlines. */
  text: string;
}

/**
 * Turns the Yjs state into ProseMirror JSON and plain text with the editor's own schema. Nodes the
 * schema does not know are dropped by the binding rather than failing the whole document.
 */
export function createDeriver() {
  const schema = editorSchema();
  return (doc: Y.Doc): DerivedContent => {
    const node = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(YJS_FRAGMENT), schema);
    return { json: node.toJSON(), text: node.textBetween(0, node.content.size, "\n", " ") };
  };
}
