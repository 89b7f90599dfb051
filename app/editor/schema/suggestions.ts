import {
  applySuggestion,
  applySuggestions,
  revertSuggestion,
  revertSuggestions,
} from "@handlewithcare/prosemirror-suggest-changes";
import type { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, type Command } from "@tiptap/pm/state";
import { Transform } from "@tiptap/pm/transform";
import { isSuggestionMark, type SuggestionKind } from "~/domain/suggestion";

/** The marker the library leaves where a suggestion crosses a paragraph boundary (an Enter, a join). */
export const SUGGESTION_ANCHOR = "\u200B";

/**
 * The document as if every open 修订 were rejected (ADR 019): suggested insertions removed (a
 * proposed paragraph break joined again), suggested deletions and changes of formatting kept as they
 * were, no suggestion mark left. What nobody has accepted yet never becomes an agreed item, a hash,
 * a published sentence or a clean export. Returns the same node when there is nothing to reject.
 * The library's own commands resolve the marks it wrote, so the editor and the server agree.
 */
export function rejectSuggestions(doc: PMNode): PMNode {
  return hasSuggestions(doc) ? resolve(doc, "reject", null) : doc;
}

/** The document as if every open 修订 were accepted (the text the drafting unit would get). */
export function acceptSuggestions(doc: PMNode): PMNode {
  return hasSuggestions(doc) ? resolve(doc, "accept", null) : doc;
}

/** The document with the suggestions `ids` accepted or rejected, the others left open. */
export function resolveSuggestions(doc: PMNode, ids: readonly string[], how: "accept" | "reject"): PMNode {
  return ids.length ? resolve(doc, how, ids) : doc;
}

function resolve(doc: PMNode, how: "accept" | "reject", ids: readonly string[] | null): PMNode {
  // The anchors of the side that stays carry nothing: drop them first, so that neither the
  // rejected text nor the accepted one keeps an invisible character the author never typed.
  // A paragraph (or 议定事项) that is wholly a rejected insertion or an accepted deletion goes as a
  // block: the library would empty it and leave the empty block behind.
  let current = dropWholeBlocks(doc, how === "reject" ? "insertion" : "deletion", ids);
  current = dropAnchors(current, how === "reject" ? "deletion" : "insertion", ids);
  const run = (command: Command) => {
    command(EditorState.create({ doc: current }), (tr) => {
      current = tr.doc;
    });
  };
  if (!ids) run(how === "reject" ? revertSuggestions : applySuggestions);
  else for (const id of ids) run(how === "reject" ? revertSuggestion(id) : applySuggestion(id));
  return current;
}

const marked = (node: PMNode, kind: SuggestionKind, ids: readonly string[] | null) =>
  node.marks.some((m) => m.type.name === kind && (!ids || ids.includes(String(m.attrs.id))));

/** Removes the textblocks whose every character carries a `kind` mark (of `ids`), but never a container's last block. */
function dropWholeBlocks(doc: PMNode, kind: SuggestionKind, ids: readonly string[] | null): PMNode {
  const ranges: { from: number; to: number }[] = [];
  doc.descendants((node, pos, parent) => {
    if (!node.isTextblock) return true;
    let whole = node.content.size > 0;
    node.forEach((child) => {
      if (!marked(child, kind, ids)) whole = false;
    });
    if (whole && parent && parent.childCount > 1) ranges.push({ from: pos, to: pos + node.nodeSize });
    return false;
  });
  if (!ranges.length) return doc;
  const tr = new Transform(doc);
  for (const { from, to } of ranges.reverse()) {
    // Not the last block left in its container (its siblings may have gone before it).
    const $from = tr.doc.resolve(from);
    if ($from.parent.childCount > 1) tr.delete(from, to);
  }
  return tr.doc;
}

/** Removes the anchor characters carrying a `kind` mark (of `ids`, or of every suggestion). */
function dropAnchors(doc: PMNode, kind: SuggestionKind, ids: readonly string[] | null): PMNode {
  const positions: number[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText || !node.text?.includes(SUGGESTION_ANCHOR)) return true;
    if (!marked(node, kind, ids)) return true;
    for (let i = 0; i < node.text.length; i++) if (node.text[i] === SUGGESTION_ANCHOR) positions.push(pos + i);
    return true;
  });
  if (!positions.length) return doc;
  const tr = new Transform(doc);
  for (const at of positions.reverse()) tr.delete(at, at + 1);
  return tr.doc;
}

export function hasSuggestions(node: PMNode): boolean {
  let found = false;
  node.descendants((child) => {
    if (found) return false;
    if (child.marks.some((m) => isSuggestionMark(m.type.name))) found = true;
    return !found;
  });
  return found;
}

/** One open suggestion, in document order: its id, kind, author and the text it concerns. */
export interface SuggestionSummary {
  id: string;
  kind: SuggestionKind;
  authorId: string | null;
  authorName: string | null;
  orgId: string | null;
  orgName: string | null;
  at: string | null;
  text: string;
}

/** The open suggestions of a document, one entry per id and kind, in document order. */
export function listSuggestions(doc: PMNode): SuggestionSummary[] {
  const byKey = new Map<string, SuggestionSummary>();
  doc.descendants((node) => {
    for (const mark of node.marks) {
      if (!isSuggestionMark(mark.type.name)) continue;
      const id = String(mark.attrs.id ?? "");
      const key = `${mark.type.name}:${id}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          id,
          kind: mark.type.name,
          authorId: str(mark.attrs.authorId),
          authorName: str(mark.attrs.authorName),
          orgId: str(mark.attrs.orgId),
          orgName: str(mark.attrs.orgName),
          at: str(mark.attrs.at),
          text: "",
        };
        byKey.set(key, entry);
      }
      entry.text += (node.isText ? (node.text ?? "") : node.textContent).replaceAll(SUGGESTION_ANCHOR, "");
    }
    return true;
  });
  return [...byKey.values()];
}

const str = (v: unknown) => (v == null ? null : String(v));
