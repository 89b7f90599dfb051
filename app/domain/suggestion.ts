/**
 * 修订 (suggestions, issue 20 / ADR 019): changes a unit proposes in the text, which the drafting unit
 * accepts or rejects. They live in the document as marks — a suggested insertion, a suggested
 * deletion (the text stays, struck through), a suggested change of formatting — named as
 * @handlewithcare/prosemirror-suggest-changes names them, so its transaction transform can write them.
 */
export const SUGGESTION_MARKS = ["insertion", "deletion", "modification"] as const;
export type SuggestionKind = (typeof SUGGESTION_MARKS)[number];

export const SUGGESTION_KIND_LABELS: Record<SuggestionKind, string> = {
  insertion: "插入",
  deletion: "删除",
  modification: "格式修改",
};

export function isSuggestionMark(name: string): name is SuggestionKind {
  return (SUGGESTION_MARKS as readonly string[]).includes(name);
}

/** Who proposed a suggestion: kept on every mark, so attribution survives copy, export and import. */
export interface SuggestionAuthor {
  userId: string;
  name: string;
  orgId: string | null;
  orgName: string | null;
}

/**
 * A suggestion id that includes its author: two units suggesting at the same moment never share an
 * id, so accepting one never accepts the other's text.
 */
export function suggestionId(author: Pick<SuggestionAuthor, "userId">, random: string): string {
  return `${author.userId}.${random}`;
}

export function authorOfSuggestionId(id: string): string | null {
  const dot = id.indexOf(".");
  return dot > 0 ? id.slice(0, dot) : null;
}

/** What a suggestion id looks like (`<userId>.<random>`); anything else is refused before lookup. */
export const SUGGESTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}$/;
