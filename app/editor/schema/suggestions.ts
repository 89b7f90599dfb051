import { Fragment, type Mark, type Node as PMNode } from "@tiptap/pm/model";
import { isSuggestionMark, type SuggestionKind } from "~/domain/suggestion";

/**
 * The document as if every open 修订 were rejected (ADR 019): suggested insertions removed,
 * suggested deletions and changes of formatting kept as they were, no suggestion mark left. What
 * nobody has accepted yet never becomes an agreed item, a hash, a published sentence or a clean
 * export. Returns the same node when there is nothing to reject.
 */
export function rejectSuggestions(doc: PMNode): PMNode {
  return hasSuggestions(doc) ? (resolve(doc, "reject") ?? doc.type.createAndFill()!) : doc;
}

/** The document as if every open 修订 were accepted (the text the drafting unit would get). */
export function acceptSuggestions(doc: PMNode): PMNode {
  return hasSuggestions(doc) ? (resolve(doc, "accept") ?? doc.type.createAndFill()!) : doc;
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
      entry.text += node.isText ? node.text : node.textContent;
    }
    return true;
  });
  return [...byKey.values()];
}

const str = (v: unknown) => (v == null ? null : String(v));

const withoutSuggestionMarks = (marks: readonly Mark[]) => marks.filter((m) => !isSuggestionMark(m.type.name));

/**
 * Rebuilds a node with the suggestions resolved one way. Returns null when the node itself goes
 * (rejected insertion, accepted deletion). A container left without content is refilled the way the
 * schema requires (e.g. a paragraph in an emptied list item), or dropped when it cannot be.
 */
function resolve(node: PMNode, how: "accept" | "reject"): PMNode | null {
  const names = new Set(node.marks.map((m) => m.type.name));
  const goes = how === "reject" ? names.has("insertion") : names.has("deletion");
  if (goes) return null;
  const marks = withoutSuggestionMarks(node.marks);
  if (node.isText) return node.mark(marks);
  const children: PMNode[] = [];
  node.content.forEach((child) => {
    const kept = resolve(child, how);
    if (kept) children.push(kept);
  });
  const content = Fragment.from(children);
  if (node.type.validContent(content)) return node.type.create(node.attrs, content, marks);
  return node.type.createAndFill(node.attrs, content, marks) ?? node.type.createAndFill(node.attrs, null, marks);
}
