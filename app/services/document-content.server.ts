import { createHash } from "node:crypto";
import * as Y from "yjs";
import { createDeriver } from "~/editor/schema/derive";
import type { Tx } from "~/models/unit-of-work.server";
import { readStoredState, type VersionContent } from "~/models/document-version.server";

/**
 * A document's content as versions store it: the Yjs state, the ProseMirror JSON and plain text
 * derived from it with the editor's schema (the collab server's deriver), and the SHA-256 of the JSON.
 * The models store and read states; deriving belongs here, on the caller's side.
 */

/** SHA-256 (hex) of a version's canonical content: its ProseMirror JSON as serialized. */
export function contentHash(json: string): string {
  return createHash("sha256").update(json, "utf8").digest("hex");
}

const derive = createDeriver();

/** Content of a Yjs document as a version would store it. */
export function contentOf(doc: Y.Doc): VersionContent {
  const derived = derive(doc);
  const json = JSON.stringify(derived.json);
  return { state: Y.encodeStateAsUpdate(doc), json, text: derived.text, sha256: contentHash(json) };
}

/** Content of a stored Yjs state (an update). */
export function contentOfState(state: Uint8Array): VersionContent {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const content = contentOf(doc);
  doc.destroy();
  return content;
}

/** The document's current content as stored (snapshot + log); call the collab server's storeDocument first. */
export async function readStoredContent(tx: Tx, documentId: string): Promise<VersionContent> {
  return contentOfState(await readStoredState(tx, documentId));
}
