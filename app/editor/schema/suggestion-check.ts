import type { Node as PMNode } from "@tiptap/pm/model";
import { isSuggestionMark } from "~/domain/suggestion";
import { listSuggestions, rejectSuggestions, type SuggestionSummary } from "./suggestions";

/**
 * What the collab server will hold a SUGGEST connection to (ADR 019): its change may only propose.
 * Compared on the documents before and after its update:
 * - the text that counts (every open suggestion rejected) is unchanged — no plain insertion,
 *   deletion or change of formatting;
 * - every suggestion that appeared names the sender as its author;
 * - every suggestion of someone else is still there, word for word (the sender may withdraw or
 *   reshape only their own).
 * Returns the refusal's reason, or null when the change is a proposal. Linear in the document's
 * size; the server keeps the previous document's views so that each update costs one pass.
 */
export function checkSuggestingChange(before: PMNode, after: PMNode, sender: string | Sender): string | null {
  return checkSuggestingViews(suggestionView(before), suggestionView(after), sender);
}

/** Who sends the change, as the collab server knows them (the session, the acting unit). */
export interface Sender {
  userId: string;
  name: string;
  orgId: string | null;
  orgName: string | null;
}

/** What the check compares of one document: kept by the collab server for the next update. */
export interface SuggestionView {
  /** The text that counts: every open suggestion rejected, the trailing empty paragraphs left out. */
  rejected: PMNode;
  suggestions: Map<string, SuggestionSummary>;
  /** Every distinct attribution (author, name, unit id, unit name) on a suggestion mark. */
  attributions: Set<string>;
}

export function suggestionView(doc: PMNode): SuggestionView {
  return {
    rejected: withoutTrailingEmpty(rejectSuggestions(doc)),
    suggestions: keyed(listSuggestions(doc)),
    attributions: attributionsOf(doc),
  };
}

const attribution = (a: { authorId?: unknown; authorName?: unknown; orgId?: unknown; orgName?: unknown }) =>
  [a.authorId, a.authorName, a.orgId, a.orgName].map((v) => (v == null ? "" : String(v))).join("\u0000");

function attributionsOf(doc: PMNode): Set<string> {
  const out = new Set<string>();
  doc.descendants((node) => {
    for (const m of node.marks) if (isSuggestionMark(m.type.name)) out.add(attribution(m.attrs));
    return true;
  });
  return out;
}

/** `checkSuggestingChange` on views already computed (the one before is the previous update's after). */
export function checkSuggestingViews(
  before: SuggestionView,
  after: SuggestionView,
  sender: string | Sender,
): string | null {
  const senderId = typeof sender === "string" ? sender : sender.userId;
  if (!before.rejected.eq(after.rejected)) return "changed text outside 修订";
  // Every attribution that appears is the sender's own, person and unit as the session says.
  if (typeof sender !== "string") {
    const own = attribution({
      authorId: sender.userId,
      authorName: sender.name,
      orgId: sender.orgId,
      orgName: sender.orgName,
    });
    for (const a of after.attributions)
      if (!before.attributions.has(a) && a !== own) return "修订 attributed to someone else";
  }
  const old = before.suggestions;
  const now = after.suggestions;
  for (const [key, s] of now) {
    if (old.has(key)) continue;
    if (s.authorId !== senderId) return `修订 ${s.id} attributed to someone else`;
  }
  for (const [key, s] of old) {
    if (s.authorId === senderId) continue;
    const kept = now.get(key);
    if (!kept || kept.text !== s.text || kept.authorId !== s.authorId) return `修订 ${s.id} of another author changed`;
  }
  return null;
}

/**
 * The document without the empty paragraphs at its end. Every editor keeps one there (Tiptap's
 * trailing node, so the caret can go below a final 议定事项 or table) and adds it outside every
 * transaction a user makes: it says nothing, so it is no change of the text.
 */
function withoutTrailingEmpty(doc: PMNode): PMNode {
  let end = doc.childCount;
  while (end > 1) {
    const last = doc.child(end - 1);
    if (last.type.name !== "paragraph" || last.content.size > 0) break;
    end--;
  }
  return end === doc.childCount ? doc : doc.copy(doc.content.cut(0, doc.content.size - trailingSize(doc, end)));
}

function trailingSize(doc: PMNode, keep: number): number {
  let size = 0;
  for (let i = keep; i < doc.childCount; i++) size += doc.child(i).nodeSize;
  return size;
}

function keyed(list: SuggestionSummary[]): Map<string, SuggestionSummary> {
  return new Map(list.map((s) => [`${s.kind}:${s.id}`, s]));
}
