import { expect } from "vitest";
import { getDb } from "~/db.server";
import type { PassagePart, SearchOutcome } from "~/domain/search";
import { waitFor } from "../collab/client";
import type { RunningServer } from "./helpers";

/** What the search route answers (its loader's data). */
export type SearchPage = SearchOutcome & { q: string; notice: string | null };

/** n random CJK characters: words nobody else's data holds (a shared PostgreSQL database included). */
export const rare = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(0x4e00 + Math.floor(Math.random() * 0x5000))).join("");

export const marked = (parts: PassagePart[]) => parts.filter((p) => p.mark).map((p) => p.text);

/** GET /search as the cookie's user, as data. */
export async function findAs(app: RunningServer, cookie: string, q: string, extra = ""): Promise<SearchPage> {
  const res = await app.request(`/search?q=${encodeURIComponent(q)}${extra}&_data=routes%2F_app.search`, { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as SearchPage;
}

export const resultIds = (p: SearchPage) => (p.state === "results" ? p.results.map((r) => r.id) : []);

/**
 * Until the index job has taken the marks of these records (of every record when none are given). On the
 * PostgreSQL check every test file's server shares one database and one `search-index` lease, and other files
 * keep writing: only this test's own records are waited for, for as long as a loaded machine may need.
 */
export async function searchIndexed(recordIds?: readonly string[], timeoutMs = 60_000) {
  const where = recordIds ? { recordId: { in: [...recordIds] } } : {};
  await waitFor(async () => (await getDb().searchDirty.count({ where })) === 0, timeoutMs, "search index job");
}
