import type { Actor } from "~/domain/actor";
import { supervisingRegionPaths } from "~/domain/actor";
import { ENFORCEMENT_SUPERVISING_KINDS, SUPERVISING_KINDS } from "~/domain/organization";
import { FOLLOWING_KINDS } from "~/domain/recommendation";
import {
  MAX_QUERY_LENGTH,
  NO_SEARCH_FILTERS,
  SEARCH_KINDS,
  SEARCH_KIND_LABELS,
  matchedPassage,
  markWords,
  parseSearchQuery,
  searchStatusLabel,
  type SearchFilters,
  type SearchKind,
  type SearchOutcome,
} from "~/domain/search";
import { CLUE_HANDLING_ROLES } from "~/policies/clue";
import { listOrganizationChoicesInScopes } from "~/models/organization.server";
import { searchIndex, type SearchReader } from "~/models/search.server";
import { database } from "~/models/unit-of-work.server";

/**
 * Global search for a signed-in actor (ADR 028): the query is parsed into index tokens, and one statement per
 * adapter matches and keeps only the records the actor's policies let it read — hits, counts and passages
 * never come from anything else.
 */

/** What the index query needs of an actor: its user id, orgs and the regions it supervises below. */
export function searchReaderOf(actor: Actor): SearchReader {
  return {
    userId: actor.userId,
    orgIds: [...new Set(actor.memberships.map((m) => m.orgId))],
    supervisingPaths: supervisingRegionPaths(actor, SUPERVISING_KINDS),
    enforcementPaths: supervisingRegionPaths(actor, ENFORCEMENT_SUPERVISING_KINDS),
    followingPaths: supervisingRegionPaths(actor, FOLLOWING_KINDS),
    clueOrgIds: [...new Set(actor.memberships.filter((m) => CLUE_HANDLING_ROLES.has(m.role)).map((m) => m.orgId))],
  };
}

export const TOO_LONG_MESSAGE = `搜索内容过长，请不超过 ${MAX_QUERY_LENGTH} 个字。`;

/**
 * Searches what the actor may read. `filters` are already valid (the route parses them); a status is applied
 * only with a kind, since statuses are each kind's own.
 */
export async function search(
  actor: Actor,
  input: { q: string; filters?: SearchFilters; limit?: number },
): Promise<SearchOutcome> {
  const parsed = parseSearchQuery(input.q);
  if (!parsed.ok)
    return parsed.reason === "tooLong" ? { state: "tooLong", message: TOO_LONG_MESSAGE } : { state: "empty" };
  const { query } = parsed;
  const f = input.filters ?? NO_SEARCH_FILTERS;
  const rows = await searchIndex().search(database(), query, searchReaderOf(actor), {
    kinds: f.kind ? [f.kind] : SEARCH_KINDS,
    unit: f.unit,
    status: f.kind ? f.status : null,
    fromDay: f.from,
    toDay: f.to,
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
      href: h.href,
      title: markWords(h.title, query.words),
      passage: matchedPassage(h.body, query.words),
      statusLabel: searchStatusLabel(h.kind, h.status),
      date: h.recordDay || null,
    })),
  };
}

/** The units the 单位 filter offers: every org of the actor's regions and below (names are not confidential). */
export async function searchUnitChoices(actor: Actor): Promise<Array<{ id: string; name: string }>> {
  return listOrganizationChoicesInScopes(database(), [...new Set(actor.memberships.map((m) => m.regionPath))]);
}
