import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { Transform } from "@tiptap/pm/transform";
import { initProseMirrorDoc, relativePositionToAbsolutePosition, updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COMMENT_MARK } from "~/domain/comment";
import { conflict, invalid } from "~/domain/errors";
import { YJS_FRAGMENT } from "~/editor/schema/extensions";

/**
 * Writing and reading the anchors of comment threads in a document's text (ADR 017). Runs inside
 * the collab server's `applyChange`, on the Y.Doc every editor shares.
 */

/** Whitespace-insensitive comparison of a quote with the text now at its place. */
const same = (a: string, b: string) => a.replace(/\s+/g, "") === b.replace(/\s+/g, "");

function markRange(ydoc: Y.Doc, schema: Schema, doc: PMNode, range: { from: number; to: number }, threadId: string) {
  const mark = schema.marks[COMMENT_MARK];
  if (!mark) throw new Error("the editor schema has no comment mark");
  const next = new Transform(doc).addMark(range.from, range.to, mark.create({ threadId })).doc;
  updateYFragment(ydoc, ydoc.getXmlFragment(YJS_FRAGMENT), next, { mapping: new Map(), isOMark: new Map() });
}

/**
 * Anchors a new thread at a selection given as two Yjs relative positions (from the editor that
 * made it): they are resolved in the shared document, and the quote must still be what lies there.
 */
export function anchorAtSelection(
  ydoc: Y.Doc,
  schema: Schema,
  input: { anchor: unknown; head: unknown; quote: string; threadId: string },
): void {
  const { doc, range } = selectionRange(ydoc, schema, input);
  markRange(ydoc, schema, doc, range, input.threadId);
}

/**
 * The ProseMirror range of a selection given as two Yjs relative positions, checked against the
 * quote; nothing is written (a comment on a frozen version keeps the range until the draft reopens).
 */
export function selectionRange(
  ydoc: Y.Doc,
  schema: Schema,
  input: { anchor: unknown; head: unknown; quote: string },
): { doc: PMNode; range: { from: number; to: number } } {
  const fragment = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(fragment, schema);
  const resolve = (json: unknown) => {
    try {
      return relativePositionToAbsolutePosition(ydoc, fragment, Y.createRelativePositionFromJSON(json), mapping);
    } catch {
      return null;
    }
  };
  const a = resolve(input.anchor);
  const b = resolve(input.head);
  if (a === null || b === null) throw conflict("所选文字已不在文书中，请重新选择后批注。");
  const range = { from: Math.min(a, b), to: Math.max(a, b) };
  if (range.from === range.to) throw invalid("请先选中要批注的文字。");
  if (!same(doc.textBetween(range.from, range.to, "\n", " "), input.quote)) {
    throw conflict("所选文字刚被他人修改，请重新选择后批注。");
  }
  return { doc, range };
}

/**
 * Anchors a thread opened on a frozen version at its positions, once the draft is reopened with
 * that version's text. false when the text there is no longer the quote (nothing is written).
 */
export function anchorAtPositions(
  ydoc: Y.Doc,
  schema: Schema,
  input: { from: number; to: number; quote: string; threadId: string },
): boolean {
  const { doc } = initProseMirrorDoc(ydoc.getXmlFragment(YJS_FRAGMENT), schema);
  if (input.from < 0 || input.to > doc.content.size || input.from >= input.to) return false;
  if (!same(doc.textBetween(input.from, input.to, "\n", " "), input.quote)) return false;
  markRange(ydoc, schema, doc, input, input.threadId);
  return true;
}

type JsonNode = { marks?: Array<{ type?: unknown; attrs?: { threadId?: unknown } }>; content?: JsonNode[] };

/** The ids of the threads anchored in a document's ProseMirror JSON. */
export function anchoredThreadIds(json: unknown): Set<string> {
  const ids = new Set<string>();
  const visit = (node: JsonNode) => {
    for (const m of node.marks ?? []) {
      if (m.type === COMMENT_MARK && typeof m.attrs?.threadId === "string") ids.add(m.attrs.threadId);
    }
    node.content?.forEach(visit);
  };
  if (json && typeof json === "object") visit(json as JsonNode);
  return ids;
}
