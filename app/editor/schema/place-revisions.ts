import type { Node as PMNode } from "@tiptap/pm/model";
import { Transform } from "@tiptap/pm/transform";
import { suggestionId, type SuggestionAuthor } from "~/domain/suggestion";

/**
 * Places the tracked changes of a revised Word file onto the current document as 修订 (ADR 019):
 * each change is found by the text around it (and, for a deletion, its own text) in exactly one
 * paragraph; one found nowhere or in several places is reported, never applied blindly.
 */

export interface RevisionToPlace {
  kind: "insertion" | "deletion";
  text: string;
  before: string;
  after: string;
  /** Changes of one group (a replacement: deletion then insertion) share one suggestion id. */
  group: number;
  /** When the change was made (ISO 8601), if known. */
  date: string | null;
  /** The person named in the file (the unit is the importer's). */
  authorName: string | null;
}

export interface UnplacedRevision<T extends RevisionToPlace = RevisionToPlace> {
  change: T;
  reason: "not-found" | "ambiguous" | "no-context";
}

interface Block {
  text: string;
  /** Document position of each character offset, and of the end. */
  positions: number[];
}

function blocksOf(doc: PMNode): Block[] {
  const blocks: Block[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    let text = "";
    const positions: number[] = [];
    node.forEach((child, offset) => {
      const at = pos + 1 + offset;
      if (child.isText) {
        for (let i = 0; i < child.text!.length; i++) positions.push(at + i);
        text += child.text;
      }
    });
    positions.push(pos + 1 + node.content.size);
    blocks.push({ text, positions });
    return false;
  });
  return blocks;
}

/** Where `needle` occurs in the document's paragraphs: none, one (its block and offset), or several. */
function find(blocks: Block[], needle: string): { block: Block; offset: number } | "none" | "many" {
  let found: { block: Block; offset: number } | null = null;
  for (const block of blocks) {
    let from = block.text.indexOf(needle);
    while (from >= 0) {
      if (found) return "many";
      found = { block, offset: from };
      from = block.text.indexOf(needle, from + 1);
    }
  }
  return found ?? "none";
}

export function placeRevisions<T extends RevisionToPlace>(
  doc: PMNode,
  changes: readonly T[],
  author: SuggestionAuthor,
  options: { now: string; random: () => string },
): { doc: PMNode; placed: number; unplaced: UnplacedRevision<T>[] } {
  const blocks = blocksOf(doc);
  const ids = new Map<number, string>();
  const unplaced: UnplacedRevision<T>[] = [];
  const steps: { from: number; to: number; change: T }[] = [];
  for (const change of changes) {
    if (!change.text.trim() && change.kind === "deletion") continue;
    if (!change.before && !change.after) {
      unplaced.push({ change, reason: "no-context" });
      continue;
    }
    const needle = change.before + (change.kind === "deletion" ? change.text : "") + change.after;
    const hit = find(blocks, needle);
    if (hit === "none" || hit === "many") {
      unplaced.push({ change, reason: hit === "none" ? "not-found" : "ambiguous" });
      continue;
    }
    const start = hit.offset + change.before.length;
    const end = change.kind === "deletion" ? start + change.text.length : start;
    steps.push({ from: hit.block.positions[start]!, to: hit.block.positions[end]!, change });
  }
  // Last first, so earlier positions stay valid; at one position the deletion is marked before
  // the insertion goes in (marking shifts nothing).
  steps.sort((a, b) => b.from - a.from || (a.change.kind === "deletion" ? -1 : 1));
  const tr = new Transform(doc);
  const schema = doc.type.schema;
  for (const { from, to, change } of steps) {
    let id = ids.get(change.group);
    if (!id) ids.set(change.group, (id = suggestionId(author, options.random())));
    const mark = schema.marks[change.kind]!.create({
      id,
      authorId: author.userId,
      authorName: change.authorName || author.name,
      orgId: author.orgId,
      orgName: author.orgName,
      at: change.date && !Number.isNaN(Date.parse(change.date)) ? new Date(change.date).toISOString() : options.now,
    });
    if (change.kind === "deletion") tr.addMark(from, to, mark);
    else {
      tr.insert(from, schema.text(change.text));
      tr.addMark(from, from + change.text.length, mark);
    }
  }
  return { doc: tr.doc, placed: steps.length, unplaced };
}

/** A Word comment to anchor: the text its range covers and the text around it. */
export interface CommentToPlace {
  quote: string;
  before: string;
  after: string;
}

/**
 * Anchors Word comments as 批注 marks (new thread ids from `newThreadId`), each found by its quote
 * and the text around it in exactly one paragraph; the others are returned unplaced.
 */
export function placeComments<T extends CommentToPlace>(
  doc: PMNode,
  comments: readonly T[],
  newThreadId: () => string,
): { doc: PMNode; placed: Array<{ comment: T; threadId: string; quote: string }>; unplaced: T[] } {
  const blocks = blocksOf(doc);
  const tr = new Transform(doc);
  const mark = doc.type.schema.marks.comment;
  const placed: Array<{ comment: T; threadId: string; quote: string }> = [];
  const unplaced: T[] = [];
  for (const comment of comments) {
    const hit = mark && comment.quote.trim() ? find(blocks, comment.before + comment.quote + comment.after) : "none";
    if (hit === "none" || hit === "many") {
      unplaced.push(comment);
      continue;
    }
    const start = hit.offset + comment.before.length;
    const from = hit.block.positions[start]!;
    const to = hit.block.positions[start + comment.quote.length]!;
    const threadId = newThreadId();
    // Marks shift nothing: every range found in the original stays valid.
    tr.addMark(from, to, mark!.create({ threadId }));
    placed.push({ comment, threadId, quote: comment.quote.replaceAll("\u200B", "") });
  }
  return { doc: tr.doc, placed, unplaced };
}
