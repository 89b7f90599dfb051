import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import type { Tx } from "../app/db.server";
import { editorSchema, YJS_FRAGMENT } from "../app/editor/schema/extensions";
import { syncTrackedItems } from "../app/models/tracked-item.server";
import type { TemplateNode } from "../app/services/document-templates";

/**
 * Replaces a draft's content as the collab server would store it (the demo data is written with no
 * collab server running): the Yjs state, the derived JSON and text, then its tracked items. Runs in
 * the caller's transaction.
 */
export async function writeSeedContent(tx: Tx, documentId: string, content: TemplateNode): Promise<void> {
  const schema = editorSchema();
  const node = schema.nodeFromJSON(content);
  const ydoc = prosemirrorJSONToYDoc(schema, node.toJSON(), YJS_FRAGMENT);
  await tx.documentSnapshot.update({
    where: { documentId },
    data: {
      state: new Uint8Array(Y.encodeStateAsUpdate(ydoc)),
      json: JSON.stringify(node.toJSON()),
      text: node.textBetween(0, node.content.size, "\n", " "),
    },
  });
  await syncTrackedItems(tx, documentId, node.toJSON());
}
