import { transformToSuggestionTransaction } from "@handlewithcare/prosemirror-suggest-changes";
import type { Mark, Node as PMNode } from "@tiptap/pm/model";
import type { EditorState, Transaction } from "@tiptap/pm/state";
import { isSuggestionMark, suggestionId, type SuggestionAuthor } from "~/domain/suggestion";
import { checkSuggestingChange } from "./suggestion-check";
import { SUGGESTION_ANCHOR } from "./suggestions";

/** Why a change could not be made as a proposal (shown to the user; nothing is sent). */
export type SuggestRefusal =
  | "other-author" // it would change or remove another unit's proposal
  | "formatting" // a change of a block's kind or attributes (heading level, table layout)
  | "failed"; // the transform could not express it

export const SUGGEST_REFUSAL_MESSAGES: Record<SuggestRefusal, string> = {
  "other-author": "修订模式下不能改动其他单位的修订；可对其发表批注，或由起草单位接受或拒绝。",
  formatting: "修订模式下不能修改段落类型或表格结构；请以批注提出。",
  failed: "该修改无法以修订方式记录，请换一种方式修改或以批注提出。",
};

export interface SuggestOptions {
  author: SuggestionAuthor;
  /** The time on new marks (ISO 8601). */
  now: () => string;
  /** A fresh random id part. */
  random: () => string;
}

/**
 * An editor transaction as a proposal (修订, ADR 019): the library's transform writes insertions and
 * deletions as marks, then
 * - marks it put on whole blocks (a proposed paragraph, 议定事项 or row; y-tiptap would drop them)
 *   become marks on the block's text, an anchor character in an empty block;
 * - every new mark names its author, unit and time, with an id of the author's own (the library
 *   reuses a neighbour's id, which may be another unit's);
 * - the result must pass the same check the collab server applies (`checkSuggestingChange`): what
 *   would be refused there is refused here, before it is sent.
 * Returns the transaction to dispatch, or the reason it cannot be made.
 */
export function suggestTransaction(
  original: Transaction,
  state: EditorState,
  options: SuggestOptions,
): { tr: Transaction } | { refused: SuggestRefusal } {
  const newId = () => suggestionId(options.author, options.random());
  let tr: Transaction;
  try {
    tr = transformToSuggestionTransaction(original, state, newId);
    if (!blockMarksToText(tr, options.author.userId)) return { refused: "formatting" };
    attribute(tr, state.doc, options, newId);
  } catch {
    return { refused: "failed" };
  }
  const refusal = checkSuggestingChange(state.doc, tr.doc, options.author.userId);
  if (refusal) return { refused: refusal.includes("another author") ? "other-author" : "failed" };
  return { tr };
}

/**
 * Moves insertion and deletion marks from blocks to their text. A change of a block's attributes
 * (a modification mark) is kept only on a block the author is proposing wholly (e.g. the settings of
 * a proposed 议定事项): it goes with the block when rejected. Elsewhere it cannot be proposed: false.
 */
function blockMarksToText(tr: Transaction, userId: string): boolean {
  const marked: { pos: number; node: PMNode; marks: Mark[] }[] = [];
  const ownInsertion = (node: PMNode) => {
    let own = node.content.size > 0;
    node.descendants((child) => {
      if (!child.isInline) return true;
      const mark = child.marks.find((m) => m.type.name === "insertion");
      if (!mark || (mark.attrs.authorId != null && mark.attrs.authorId !== userId)) own = false;
      return false;
    });
    return own;
  };
  for (let again = true; again;) {
    again = false;
    tr.doc.descendants((node, pos) => {
      if (again || node.isInline) return false;
      const mod = node.marks.find((m) => m.type.name === "modification");
      if (mod && ownInsertion(node)) {
        tr.removeNodeMark(pos, mod);
        again = true;
      }
      return !again;
    });
  }
  tr.doc.descendants((node, pos) => {
    if (node.isInline) return false;
    const marks = node.marks.filter((m) => isSuggestionMark(m.type.name));
    if (marks.length) marked.push({ pos, node, marks });
    return true;
  });
  if (marked.some((b) => b.marks.some((m) => m.type.name === "modification"))) return false;
  // Last first: an anchor inserted in an empty block shifts only what follows it.
  for (const { pos, marks } of marked.reverse()) {
    for (const mark of marks) tr.removeNodeMark(pos, mark);
    const node = tr.doc.nodeAt(pos)!;
    const textblocks: number[] = [];
    node.descendants((child, at) => {
      if (child.isTextblock) textblocks.push(pos + 1 + at);
      return !child.isTextblock;
    });
    if (node.isTextblock) textblocks.push(pos);
    for (const at of textblocks.reverse()) {
      const block = tr.doc.nodeAt(at)!;
      if (block.content.size === 0) tr.insertText(SUGGESTION_ANCHOR, at + 1);
      const filled = tr.doc.nodeAt(at)!;
      for (const mark of marks) tr.addMark(at + 1, at + 1 + filled.content.size, mark);
    }
  }
  return true;
}

/** Gives every mark the transform wrote (no author yet) its author, unit, time and an own id. */
function attribute(tr: Transaction, before: PMNode, options: SuggestOptions, newId: () => string): void {
  const { author } = options;
  const own = `${author.userId}.`;
  // The attributes of the author's existing suggestions, by id: typing on extends them unchanged.
  const existing = new Map<string, Record<string, unknown>>();
  before.descendants((node) => {
    for (const m of node.marks)
      if (isSuggestionMark(m.type.name) && m.attrs.authorId === author.userId)
        existing.set(String(m.attrs.id), m.attrs);
    return true;
  });
  const renamed = new Map<string, string>();
  const at = options.now();
  const fixes: { from: number; to: number; old: Mark; next: Mark }[] = [];
  tr.doc.descendants((node, pos) => {
    if (!node.isInline) return true;
    for (const mark of node.marks) {
      if (!isSuggestionMark(mark.type.name) || mark.attrs.authorId != null) continue;
      let id = String(mark.attrs.id);
      if (!id.startsWith(own)) {
        if (!renamed.has(id)) renamed.set(id, newId());
        id = renamed.get(id)!;
      }
      const attrs = existing.get(id) ?? {
        id,
        authorId: author.userId,
        authorName: author.name,
        orgId: author.orgId,
        orgName: author.orgName,
        at,
      };
      fixes.push({
        from: pos,
        to: pos + node.nodeSize,
        old: mark,
        next: mark.type.create({ ...mark.attrs, ...attrs }),
      });
    }
    return false;
  });
  for (const { from, to, old, next } of fixes) {
    tr.removeMark(from, to, old);
    tr.addMark(from, to, next);
  }
}
