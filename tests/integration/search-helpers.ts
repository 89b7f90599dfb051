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

/** Until the server's index job has taken every mark. */
export async function searchIndexed(timeoutMs = 20_000) {
  await waitFor(async () => (await getDb().searchDirty.count()) === 0, timeoutMs, "search index job");
}
