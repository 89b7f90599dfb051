import { markSearchDirty } from "~/models/search.server";
import type { Prisma, Tx } from "~/db.server";
import { newId } from "~/utils/ids";

/**
 * The public side of 典型案例: `Publication` only (the frozen, redacted releases). Nothing here
 * touches Document, TypicalCase or DocumentSnapshot, so no private data (当事人, drafts) can reach
 * the public pages. Rows are written by the publishing workflow (the end of this file); a correction
 * or a withdrawal adds a version and moves `current` to it.
 */

export const PUBLIC_PAGE_SIZE = 20;
export const MAX_PUBLIC_PAGE_SIZE = 50;
/** Pages beyond this are refused as empty (bots walking page=999999 cost nothing). */
export const MAX_PUBLIC_PAGE = 500;
export const MAX_QUERY_LENGTH = 100;
export const MAX_SEARCH_TERMS = 8;
const EXCERPT_LENGTH = 120;

export type PublicationState = "PUBLISHED" | "WITHDRAWN";

export interface PublicCaseQuery {
  q: string;
  batch: string;
  field: string;
  page: number;
  pageSize?: number;
}

export interface PublicCaseRow {
  /** The row's id and version: with the state, what the list's ETag is made of. */
  id: string;
  version: number;
  slug: string;
  title: string;
  keywords: string[];
  field: string;
  batch: string;
  orgs: string[];
  /** When the case was first published (version 1). */
  firstPublishedAt: Date;
  /** When the current version was published (a correction's date when version > 1). */
  publishedAt: Date;
  excerpt: string;
}

export interface Facet {
  value: string;
  count: number;
}

export interface PublicCaseList {
  rows: PublicCaseRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** Distinct values among all current published cases (not narrowed by the query), with counts. */
  facets: { batches: Facet[]; fields: Facet[] };
}

export interface PublicCaseVersion {
  id: string;
  version: number;
  state: PublicationState;
  note: string | null;
  publishedAt: Date;
}

/** What a public page or feed entry shows of one publication. */
interface PublishedFields {
  id: string;
  slug: string;
  version: number;
  state: PublicationState;
  title: string;
  keywords: string[];
  field: string;
  batch: string;
  orgs: string[];
  /** ProseMirror JSON of the frozen, redacted text (untrusted: render through layoutContent). */
  json: string;
  note: string | null;
  publishedAt: Date;
  firstPublishedAt: Date;
}

export interface PublicCase extends PublishedFields {
  sha256: string;
  /** Every version of the case, oldest first (for the 更正/撤回 history). */
  versions: PublicCaseVersion[];
}

export interface FeedEntry extends PublishedFields {
  text: string;
}

/** The query of /cases from its URL: bounded lengths, a sane page (1 when missing or wrong). */
export function parsePublicCaseQuery(params: URLSearchParams): PublicCaseQuery {
  const str = (name: string, max: number) => (params.get(name) ?? "").replace(/\s+/g, " ").trim().slice(0, max);
  const rawPage = params.get("page") ?? "";
  const page = /^\d{1,6}$/.test(rawPage) ? Math.min(Math.max(Number(rawPage), 1), MAX_PUBLIC_PAGE + 1) : 1;
  return { q: str("q", MAX_QUERY_LENGTH), batch: str("batch", 40), field: str("field", 40), page };
}

/**
 * Search terms: whitespace (also the full-width space) separates them and all must occur. LIKE's
 * wildcards, the escape character and the double quote (JSON syntax of `keywords`) separate terms too:
 * Prisma's `contains` does not escape them on SQLite, so they cannot be searched for literally.
 */
export function publicSearchTerms(q: string): string[] {
  return [...new Set(q.split(/[\s%_\\"]+/).filter(Boolean))].slice(0, MAX_SEARCH_TERMS);
}

const LIVE: Prisma.PublicationWhereInput = { current: true, state: "PUBLISHED" };

function listWhere(query: PublicCaseQuery): Prisma.PublicationWhereInput {
  const and: Prisma.PublicationWhereInput[] = [LIVE];
  if (query.batch) and.push({ batch: query.batch });
  if (query.field) and.push({ field: query.field });
  for (const term of publicSearchTerms(query.q)) {
    and.push({ OR: [{ title: { contains: term } }, { keywords: { contains: term } }, { text: { contains: term } }] });
  }
  return { AND: and };
}

/** Current published cases, newest first, searched and filtered; with the batch and field facets. */
export async function listPublishedCases(tx: Tx, query: PublicCaseQuery): Promise<PublicCaseList> {
  const pageSize = Math.min(Math.max(Math.trunc(query.pageSize ?? PUBLIC_PAGE_SIZE), 1), MAX_PUBLIC_PAGE_SIZE);
  const page = Math.min(Math.max(Math.trunc(query.page) || 1, 1), MAX_PUBLIC_PAGE + 1);
  const where = listWhere(query);
  const [total, batches, fields] = await Promise.all([
    tx.publication.count({ where }),
    tx.publication.groupBy({ by: ["batch"], where: LIVE, _count: { _all: true } }),
    tx.publication.groupBy({ by: ["field"], where: LIVE, _count: { _all: true } }),
  ]);
  const rows =
    total > 0 && page <= MAX_PUBLIC_PAGE
      ? await tx.publication.findMany({
          where,
          orderBy: [{ publishedAt: "desc" }, { slug: "asc" }],
          skip: (page - 1) * pageSize,
          take: pageSize,
          select: {
            id: true,
            version: true,
            slug: true,
            title: true,
            keywords: true,
            field: true,
            batch: true,
            orgs: true,
            text: true,
            publishedAt: true,
          },
        })
      : [];
  const firsts = await firstPublishedAt(
    tx,
    rows.filter((r) => r.version > 1).map((r) => r.slug),
  );
  const terms = publicSearchTerms(query.q);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      version: r.version,
      slug: r.slug,
      title: r.title,
      keywords: stringArray(r.keywords),
      field: r.field,
      batch: r.batch,
      orgs: stringArray(r.orgs),
      firstPublishedAt: firsts.get(r.slug) ?? r.publishedAt,
      publishedAt: r.publishedAt,
      excerpt: excerpt(r.text, terms),
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    facets: {
      // Batches are "2026年上半年"-like labels: the newest first; fields by count, then name.
      batches: batches
        .map((b) => ({ value: b.batch, count: b._count._all }))
        .sort((a, b) => (a.value < b.value ? 1 : a.value > b.value ? -1 : 0)),
      fields: fields
        .map((f) => ({ value: f.field, count: f._count._all }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, "zh-CN")),
    },
  };
}

/**
 * The case at /cases/:slug: its current row (published or withdrawn) and every version's note, or
 * null when no current row has the slug.
 */
export async function getPublicCase(tx: Tx, slug: string): Promise<PublicCase | null> {
  const row = await tx.publication.findFirst({
    where: { slug, current: true, state: { in: ["PUBLISHED", "WITHDRAWN"] } },
    orderBy: { version: "desc" },
    select: {
      id: true,
      slug: true,
      version: true,
      state: true,
      title: true,
      keywords: true,
      field: true,
      batch: true,
      orgs: true,
      json: true,
      sha256: true,
      note: true,
      publishedAt: true,
    },
  });
  if (!row) return null;
  const versions = await tx.publication.findMany({
    where: { slug },
    orderBy: { version: "asc" },
    select: { id: true, version: true, state: true, note: true, publishedAt: true },
  });
  return {
    id: row.id,
    slug: row.slug,
    version: row.version,
    state: asState(row.state),
    title: row.title,
    keywords: stringArray(row.keywords),
    field: row.field,
    batch: row.batch,
    orgs: stringArray(row.orgs),
    json: row.json,
    sha256: row.sha256,
    note: row.note,
    publishedAt: row.publishedAt,
    firstPublishedAt: versions[0]?.publishedAt ?? row.publishedAt,
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      state: asState(v.state),
      note: v.note,
      publishedAt: v.publishedAt,
    })),
  };
}

/**
 * The Atom feed's entries: the current row of every case, newest first — withdrawn ones too, so a
 * reader's copy of the entry is replaced by the withdrawal notice.
 */
export async function listFeedEntries(tx: Tx, take = 50): Promise<FeedEntry[]> {
  const rows = await tx.publication.findMany({
    where: { current: true, state: { in: ["PUBLISHED", "WITHDRAWN"] } },
    orderBy: [{ publishedAt: "desc" }, { slug: "asc" }],
    take: Math.min(Math.max(Math.trunc(take), 1), 200),
    select: {
      id: true,
      slug: true,
      version: true,
      state: true,
      title: true,
      keywords: true,
      field: true,
      batch: true,
      orgs: true,
      json: true,
      text: true,
      note: true,
      publishedAt: true,
    },
  });
  const firsts = await firstPublishedAt(
    tx,
    rows.filter((r) => r.version > 1).map((r) => r.slug),
  );
  return rows.map((r) => ({
    ...r,
    state: asState(r.state),
    keywords: stringArray(r.keywords),
    orgs: stringArray(r.orgs),
    firstPublishedAt: firsts.get(r.slug) ?? r.publishedAt,
  }));
}

// ---------------------------------------------------------------------------------------------

async function firstPublishedAt(tx: Tx, slugs: string[]): Promise<Map<string, Date>> {
  if (!slugs.length) return new Map();
  const groups = await tx.publication.groupBy({
    by: ["slug"],
    where: { slug: { in: slugs } },
    _min: { publishedAt: true },
  });
  return new Map(groups.flatMap((g) => (g._min.publishedAt ? [[g.slug, g._min.publishedAt] as const] : [])));
}

function asState(v: string): PublicationState {
  return v === "WITHDRAWN" ? "WITHDRAWN" : "PUBLISHED";
}

/** A JSON array of strings from a column; anything else (bad JSON, non-strings, blanks) is dropped. */
export function stringArray(raw: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.trim())
    .filter(Boolean)
    .slice(0, 50);
}

/**
 * About EXCERPT_LENGTH characters of the text: around the first search term found, else from the
 * start of the case facts (the text opens with the 关键词 section, which the list shows already).
 */
export function excerpt(text: string, terms: string[] = []): string {
  const flat = text.replace(/\s+/g, " ").trim();
  let start = 0;
  const hit = terms
    .map((t) => flat.indexOf(t))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0];
  if (hit !== undefined) {
    start = Math.max(0, hit - 30);
  } else if (flat.startsWith("关键词")) {
    const facts = flat.indexOf("基本案情");
    if (facts >= 0) start = facts + "基本案情".length;
  }
  const chars = Array.from(flat.slice(start).trimStart());
  const body = chars.slice(0, EXCERPT_LENGTH).join("");
  return `${start > 0 && hit !== undefined ? "…" : ""}${body}${chars.length > EXCERPT_LENGTH ? "…" : ""}`;
}

// ---------------------------------------------------------------------------------------------
// The publishing workflow's side (典型案例 service): a case's releases.

/** The newest release of a case (its slug is kept by corrections), or null when never published. */
export async function getLatestPublication(tx: Tx, documentId: string) {
  return tx.publication.findFirst({
    where: { documentId },
    orderBy: { version: "desc" },
    select: { slug: true, version: true },
  });
}

const currentSelect = {
  id: true,
  slug: true,
  version: true,
  title: true,
  keywords: true,
  field: true,
  batch: true,
  orgs: true,
  sha256: true,
  state: true,
} as const;

export type CurrentPublication = Prisma.PublicationGetPayload<{ select: typeof currentSelect }>;

/** The release /cases shows for a case (published or withdrawn), or null. */
export async function getCurrentPublication(tx: Tx, documentId: string): Promise<CurrentPublication | null> {
  return tx.publication.findFirst({ where: { documentId, current: true }, select: currentSelect });
}

export interface ReleaseInput {
  documentId: string;
  slug: string;
  version: number;
  title: string;
  /** JSON arrays, as stored. */
  keywords: string;
  orgs: string;
  field: string;
  batch: string;
  json: string;
  text: string;
  sha256: string;
  state: PublicationState;
  note: string | null;
  publishedById: string;
}

/** Adds a release of a case and makes it the current one (inside the caller's transaction). */
export async function addRelease(tx: Tx, input: ReleaseInput): Promise<void> {
  await tx.publication.updateMany({ where: { documentId: input.documentId, current: true }, data: { current: false } });
  await tx.publication.create({ data: { id: newId(), ...input } });
  await markSearchDirty(tx, "case", [input.documentId]);
}

/** When each case was first published (its version 1), by document id. */
export async function firstPublishedAtByDocument(tx: Tx, documentIds: readonly string[]): Promise<Map<string, Date>> {
  const groups = await tx.publication.groupBy({
    by: ["documentId"],
    where: { documentId: { in: [...documentIds] }, version: 1 },
    _min: { publishedAt: true },
  });
  return new Map(groups.flatMap((g) => (g._min.publishedAt ? [[g.documentId, g._min.publishedAt] as const] : [])));
}

/** The slugs ever used that start with `prefix` (a batch's readable slugs, to number the next one). */
export async function listSlugsWithPrefix(tx: Tx, prefix: string): Promise<string[]> {
  const rows = await tx.publication.findMany({
    where: { slug: { startsWith: prefix } },
    select: { slug: true },
    distinct: ["slug"],
  });
  return rows.map((r) => r.slug);
}
