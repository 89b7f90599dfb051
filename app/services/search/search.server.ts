import type { Actor } from "~/domain/actor";
import { supervisingRegionPaths } from "~/domain/actor";
import { SUPERVISING_KINDS } from "~/domain/organization";
import {
  MAX_QUERY_LENGTH,
  SEARCH_KINDS,
  SEARCH_KIND_LABELS,
  matchedPassage,
  markWords,
  parseSearchQuery,
  type SearchKind,
  type SearchOutcome,
} from "~/domain/search";
import { searchIndex, type SearchReader } from "~/models/search.server";
import { database } from "~/models/unit-of-work.server";

/**
 * Global search for a signed-in actor (ADR 028): the query is parsed into index tokens, and one statement per
 * adapter matches and keeps only the records the actor's policies let it read — hits, counts and passages
 * never come from anything else.
 */

const HREF: Record<SearchKind, (id: string) => string> = {
  document: (id) => `/documents/${id}`,
  consultation: (id) => `/consultations/${id}`,
};

/** What the index query needs of an actor: its user id, orgs and the regions it supervises below. */
export function searchReaderOf(actor: Actor): SearchReader {
  return {
    userId: actor.userId,
    orgIds: [...new Set(actor.memberships.map((m) => m.orgId))],
    supervisingPaths: supervisingRegionPaths(actor, SUPERVISING_KINDS),
  };
}

export const TOO_LONG_MESSAGE = `搜索内容过长，请不超过 ${MAX_QUERY_LENGTH} 个字。`;

export async function search(
  actor: Actor,
  input: { q: string; kind?: SearchKind | null; limit?: number },
): Promise<SearchOutcome> {
  const parsed = parseSearchQuery(input.q);
  if (!parsed.ok)
    return parsed.reason === "tooLong" ? { state: "tooLong", message: TOO_LONG_MESSAGE } : { state: "empty" };
  const { query } = parsed;
  const rows = await searchIndex().search(database(), query, searchReaderOf(actor), {
    kinds: input.kind ? [input.kind] : SEARCH_KINDS,
    limit: Math.min(Math.max(input.limit ?? 50, 1), 100),
  });
  const counts = Object.fromEntries(SEARCH_KINDS.map((k) => [k, rows.counts[k] ?? 0])) as Record<SearchKind, number>;
  return {
    state: "results",
    words: query.words,
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    results: rows.hits.map((h) => ({
      kind: h.kind,
      kindLabel: SEARCH_KIND_LABELS[h.kind],
      id: h.recordId,
      href: HREF[h.kind](h.recordId),
      title: markWords(h.title, query.words),
      passage: matchedPassage(h.body, query.words),
    })),
  };
}
