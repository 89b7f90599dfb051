import { createHash } from "node:crypto";
import * as Y from "yjs";
import { COMMENT_MARK } from "~/domain/comment";
import { createDeriver } from "~/editor/schema/derive";
import { editorSchema } from "~/editor/schema/extensions";
import type { Tx } from "~/models/unit-of-work.server";
import { readStoredState, type VersionContent } from "~/models/document-version.server";

/**
 * A document's content as versions store it: the Yjs state, the ProseMirror JSON and plain text
 * derived from it with the editor's schema (the collab server's deriver), and the SHA-256 of the JSON.
 * The models store and read states; deriving belongs here, on the caller's side.
 */

/**
 * SHA-256 (hex) of a version's canonical content: its ProseMirror JSON as serialized, without the
 * comment marks (ADR 017: a 批注 is not content, so opening or resolving one never changes a hash).
 */
export function contentHash(json: string): string {
  return createHash("sha256").update(withoutCommentMarks(json), "utf8").digest("hex");
}

type JsonNode = { marks?: Array<{ type?: unknown }>; content?: JsonNode[]; [key: string]: unknown };

/** The JSON with every comment mark removed (a text without comments is returned as it is). */
export function withoutCommentMarks(json: string): string {
  if (!json.includes(`"type":"${COMMENT_MARK}"`)) return json;
  const strip = (node: JsonNode): JsonNode => {
    const out: JsonNode = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "content") out.content = (value as JsonNode[]).map(strip);
      else if (key === "marks") {
        const kept = (value as NonNullable<JsonNode["marks"]>).filter((m) => m.type !== COMMENT_MARK);
        if (kept.length) out.marks = kept;
      } else out[key] = value;
    }
    return out;
  };
  // Through the schema: text nodes that differed only by a comment mark join again, as in the editor.
  return JSON.stringify(
    editorSchema()
      .nodeFromJSON(strip(JSON.parse(json) as JsonNode))
      .toJSON(),
  );
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

const deriveKept = createDeriver({ suggestions: "kept" });

/**
 * The document's current JSON as stored with its open 修订 (ADR 019): only the Word export 含修订 reads
 * it; everything that counts reads `readStoredContent` (every open suggestion rejected).
 */
export async function readStoredJsonWithSuggestions(tx: Tx, documentId: string): Promise<unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await readStoredState(tx, documentId));
  const { json } = deriveKept(doc);
  doc.destroy();
  return json;
}

/** The document's current content as stored (snapshot + log); call the collab server's storeDocument first. */
export async function readStoredContent(tx: Tx, documentId: string): Promise<VersionContent> {
  return contentOfState(await readStoredState(tx, documentId));
}
