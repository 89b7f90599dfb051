import { database } from "~/models/unit-of-work.server";
import {
  getPublicCase,
  listFeedEntries,
  listPublishedCases,
  type FeedEntry,
  type PublicCase,
  type PublicCaseList,
  type PublicCaseQuery,
} from "~/models/publication.server";

/**
 * The reads of the public case routes (/cases, /cases/:slug, /cases/feed.xml): releases only, never a
 * document or its private metadata (see app/models/publication.server.ts).
 */

/** Current published cases, newest first, searched and filtered; with the batch and field facets. */
export async function searchPublicCases(query: PublicCaseQuery): Promise<PublicCaseList> {
  return listPublishedCases(database(), query);
}

/** The case at /cases/:slug (published or withdrawn) with its version history, or null. */
export async function findPublicCase(slug: string): Promise<PublicCase | null> {
  return getPublicCase(database(), slug);
}

/** The Atom feed's entries: the current release of the latest cases. */
export async function listPublicFeed(take: number): Promise<FeedEntry[]> {
  return listFeedEntries(database(), take);
}
