import { z } from "zod";
import { endOfChinaDay, isIsoDay, startOfChinaDay } from "~/domain/dates";

/**
 * What the lists with filters in the URL share (台账, 文书, 会商): each parameter is validated on
 * its own and falls back to its default when missing or invalid, so a hand-edited or stale link
 * still opens the page; search terms are substrings that must all occur (docs/decisions/008).
 */

export const MAX_SEARCH_TERMS = 8;

export const idParam = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const flagParam = z.enum(["1", "true", "on"]).transform(() => true);
/** A series name: control characters never belong in one. */
export const nameParam = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u);
/** The search box: control characters become spaces, runs of spaces one. */
export const searchParam = z
  .string()
  .max(200)
  .transform((s) =>
    s
      .replace(/\p{Cc}/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
export const pageParam = z.coerce.number().int().min(1).max(100_000);
/** A calendar day YYYY-MM-DD (China time), a real one. */
export const dayParam = z.string().refine(isIsoDay);

/** The parameter's value when it parses, else the fallback. */
export function pickParam<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, raw: string | null, fallback: T): T {
  if (raw === null || raw === "") return fallback;
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : fallback;
}

/** One of `values`, or null (unknown values are ignored). */
export function pickChoice<T extends string>(values: readonly T[], raw: string | null): T | null {
  return raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : null;
}

/**
 * Search terms: whitespace separates them, all must occur (AND). LIKE's wildcards and PostgreSQL's
 * escape character (%, _ and the backslash) separate terms too — Prisma's `contains` does not escape
 * them and SQLite's LIKE has no default escape, so they cannot be searched for literally on both —
 * and so does the double quote (stored JSON arrays are searched too). `lowerCase` for text stored
 * lower-cased (the ledger's `searchText`).
 */
export function searchTerms(q: string, { lowerCase = false } = {}): string[] {
  const text = lowerCase ? q.toLowerCase() : q;
  return [...new Set(text.split(/[\s%_\\"]+/).filter(Boolean))].slice(0, MAX_SEARCH_TERMS);
}

/**
 * A 起止日期 filter in China days as an instant range; a start after the end is ignored with a note
 * in Chinese rather than showing nothing.
 */
export function dayRange(
  from: string | null,
  to: string | null,
): { range: { gte?: Date; lte?: Date } | null; notice: string | null } {
  if (from && to && from > to) return { range: null, notice: "起始日期晚于截止日期，已忽略日期范围。" };
  if (!from && !to) return { range: null, notice: null };
  return {
    range: { ...(from ? { gte: startOfChinaDay(from) } : {}), ...(to ? { lte: endOfChinaDay(to) } : {}) },
    notice: null,
  };
}

/** The parameters every list with a search box, a series, a day range, a sort and pages shares. */
export interface BaseListQuery<S extends string> {
  q: string;
  series: string | null;
  /** From / to, China days (YYYY-MM-DD). */
  from: string | null;
  to: string | null;
  sort: S;
  page: number;
}

export function parseBaseListQuery<S extends string>(
  params: URLSearchParams,
  sorts: readonly [S, ...S[]],
  defaultSort: S,
): BaseListQuery<S> {
  return {
    q: pickParam(searchParam, params.get("q"), ""),
    series: pickParam(nameParam, params.get("series"), null),
    from: pickParam(dayParam, params.get("from"), null),
    to: pickParam(dayParam, params.get("to"), null),
    sort: pickParam(z.enum(sorts), params.get("sort"), defaultSort),
    page: pickParam(pageParam, params.get("page"), 1),
  };
}

/**
 * The canonical query string (without "?") of a list query: the list's own filters, then the shared
 * ones; the default sort and page 1 are left out.
 */
export function listSearch<S extends string>(
  q: BaseListQuery<S>,
  defaultSort: S,
  own: ReadonlyArray<readonly [string, string | null | undefined]>,
): string {
  return buildSearch([
    ["q", q.q],
    ...own,
    ["series", q.series],
    ["from", q.from],
    ["to", q.to],
    ["sort", q.sort === defaultSort ? null : q.sort],
    ["page", q.page > 1 ? String(q.page) : null],
  ]);
}

/**
 * One page of a list and its total: the count first, so a page beyond the end shows the last one
 * (and an empty list reads nothing more).
 */
export async function readPage<R>(
  page: number,
  pageSize: number,
  count: () => Promise<number>,
  list: (page: number) => Promise<R[]>,
): Promise<{ total: number; page: number; pageCount: number; rows: R[] }> {
  const total = await count();
  const clamped = clampPage(page, total, pageSize);
  return { total, ...clamped, rows: total ? await list(clamped.page) : [] };
}

/** The page to show: a page beyond the end shows the last one. */
export function clampPage(page: number, total: number, pageSize: number): { page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return { page: Math.min(page, pageCount), pageCount };
}

/** A canonical query string (without "?"): empty values left out, in the order given. */
export function buildSearch(entries: ReadonlyArray<readonly [string, string | null | undefined]>): string {
  const out = new URLSearchParams();
  for (const [key, value] of entries) if (value !== null && value !== undefined && value !== "") out.append(key, value);
  return out.toString();
}

/** `path?search`, or the path alone when there is nothing to search for. */
export function withSearch(path: string, search: string): string {
  return search ? `${path}?${search}` : path;
}

/**
 * The links of a list page over its query: the canonical search of the shown page, whether anything
 * is filtered, 清除, the 当前筛选 chips (each removing its field) and the sort links.
 */
export function listLinks<S extends string, Q extends BaseListQuery<S>>(opts: {
  path: string;
  query: Q;
  defaults: Q;
  searchOf: (query: Q, changes?: Partial<Q>) => string;
  sorts: readonly S[];
  sortLabels: Record<S, string>;
  labels: ReadonlyArray<{ field: keyof Q; label: string }>;
  page: number;
}) {
  const { path, query, defaults, searchOf } = opts;
  const href = (changes: Partial<Q>) => withSearch(path, searchOf(query, { page: 1, ...changes }));
  return {
    search: searchOf(query, { page: opts.page } as Partial<Q>),
    filtered: searchOf(query, { sort: defaults.sort, page: 1 } as Partial<Q>) !== "",
    /** The sort the filter form keeps (a hidden field), null for the default one. */
    keptSort: query.sort === defaults.sort ? null : query.sort,
    clearHref: href({ ...defaults, sort: query.sort }),
    chips: opts.labels.map((l) => ({ label: l.label, remove: href({ [l.field]: defaults[l.field] } as Partial<Q>) })),
    sorts: opts.sorts.map((s) => ({
      value: s,
      label: opts.sortLabels[s],
      href: href({ sort: s } as Partial<Q>),
      current: s === query.sort,
    })),
  };
}
