import { z } from "zod";
import { isPostgresUrl, type Prisma, type Tx } from "~/db.server";
import { actorProvinceRoots, type Actor } from "~/domain/actor";
import {
  ACTIVE_STATUSES,
  ITEM_KIND_LABELS,
  ITEM_KINDS,
  ITEM_STATUS_LABELS,
  OPEN_STATUSES,
  type ItemKind,
  type ItemStatus,
} from "~/domain/tracked-item";
import { itemScopeWhere } from "~/models/tracked-item.server";
import { documentPolicySelect } from "~/models/document.server";
import { addDaysIso, chinaDay, chinaMonth, endOfChinaDay } from "~/domain/dates";
import { flagParam, idParam, nameParam, pageParam, pickParam, searchParam, searchTerms } from "~/utils/list-query";

/**
 * 台账: the tracked items an actor may see (always inside `itemScopeWhere`), filtered by a query that
 * lives in the URL, sorted, paged, aggregated for the charts and iterated in keyset pages for the
 * .xlsx export. Search is a substring AND over `searchText` (docs/decisions/008-ledger-search.md).
 */

export const LEDGER_PAGE_SIZE = 50;
/** Statuses the ledger can filter on (REMOVED never shows). */
export const LEDGER_STATUSES = [
  "NOT_STARTED",
  "IN_PROGRESS",
  "DONE",
  "CLOSED",
  "DRAFT",
] as const satisfies readonly ItemStatus[];
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];
export const LEDGER_SORTS = ["due", "due-desc", "number", "status", "updated"] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];
export const LEDGER_SORT_LABELS: Record<LedgerSort, string> = {
  due: "最早到期在前",
  "due-desc": "最晚到期在前",
  number: "按来源与序号",
  status: "未完成在前",
  updated: "最近更新在前",
};

export interface LedgerQuery {
  kind: ItemKind | null;
  lead: string | null;
  supporting: string | null;
  /** Region of the owner (convening) org, including lower regions. */
  region: string | null;
  /** Explicit status selection; empty means the tracked statuses. */
  statuses: LedgerStatus[];
  /** Also show 草拟中 items (of documents not yet finalized). */
  drafts: boolean;
  overdue: boolean;
  /** Open items due from now to the end of the N-th day (China time). */
  dueWithin: number | null;
  series: string | null;
  consultation: string | null;
  q: string;
  sort: LedgerSort;
  page: number;
}

export const DEFAULT_LEDGER_QUERY: LedgerQuery = {
  kind: null,
  lead: null,
  supporting: null,
  region: null,
  statuses: [],
  drafts: false,
  overdue: false,
  dueWithin: null,
  series: null,
  consultation: null,
  q: "",
  sort: "due",
  page: 1,
};

const fields = {
  kind: z.enum(ITEM_KINDS),
  lead: idParam,
  supporting: idParam,
  region: idParam,
  drafts: flagParam,
  overdue: flagParam,
  dueWithin: z.coerce.number().int().min(0).max(3650),
  series: nameParam,
  consultation: idParam,
  q: searchParam,
  sort: z.enum(LEDGER_SORTS),
  page: pageParam,
};
/** URL parameter of each field (short, stable: saved links depend on them). */
const PARAM: Record<Exclude<keyof LedgerQuery, "statuses">, string> & { statuses: string } = {
  kind: "kind",
  lead: "lead",
  supporting: "support",
  region: "region",
  statuses: "status",
  drafts: "drafts",
  overdue: "overdue",
  dueWithin: "due",
  series: "series",
  consultation: "consultation",
  q: "q",
  sort: "sort",
  page: "page",
};

/**
 * The ledger query from the URL. Every field is validated on its own with zod and falls back to
 * its default when missing or invalid, so a hand-edited or stale link still opens the page.
 */
export function parseLedgerQuery(params: URLSearchParams): LedgerQuery {
  const d = DEFAULT_LEDGER_QUERY;
  const statuses = [...new Set(params.getAll(PARAM.statuses).flatMap((s) => s.split(",")))].filter(
    (s): s is LedgerStatus => (LEDGER_STATUSES as readonly string[]).includes(s),
  );
  return {
    kind: pickParam(fields.kind, params.get(PARAM.kind), d.kind),
    lead: pickParam(fields.lead, params.get(PARAM.lead), d.lead),
    supporting: pickParam(fields.supporting, params.get(PARAM.supporting), d.supporting),
    region: pickParam(fields.region, params.get(PARAM.region), d.region),
    statuses: LEDGER_STATUSES.filter((s) => statuses.includes(s)),
    drafts: pickParam(fields.drafts, params.get(PARAM.drafts), d.drafts),
    overdue: pickParam(fields.overdue, params.get(PARAM.overdue), d.overdue),
    dueWithin: pickParam(fields.dueWithin, params.get(PARAM.dueWithin), d.dueWithin),
    series: pickParam(fields.series, params.get(PARAM.series), d.series),
    consultation: pickParam(fields.consultation, params.get(PARAM.consultation), d.consultation),
    q: pickParam(fields.q, params.get(PARAM.q), d.q),
    sort: pickParam(fields.sort, params.get(PARAM.sort), d.sort),
    page: pickParam(fields.page, params.get(PARAM.page), d.page),
  };
}

/** The canonical query string (defaults omitted, without "?") of a query with some fields changed. */
export function ledgerSearch(query: LedgerQuery, changes: Partial<LedgerQuery> = {}): string {
  const q = { ...query, ...changes };
  const out = new URLSearchParams();
  const put = (key: keyof LedgerQuery, value: string | null) => {
    if (value !== null && value !== "") out.append(PARAM[key], value);
  };
  put("kind", q.kind);
  put("lead", q.lead);
  put("supporting", q.supporting);
  put("region", q.region);
  for (const s of q.statuses) put("statuses", s);
  put("drafts", q.drafts ? "1" : null);
  put("overdue", q.overdue ? "1" : null);
  put("dueWithin", q.dueWithin === null ? null : String(q.dueWithin));
  put("series", q.series);
  put("consultation", q.consultation);
  put("q", q.q);
  put("sort", q.sort === DEFAULT_LEDGER_QUERY.sort ? null : q.sort);
  put("page", q.page > 1 ? String(q.page) : null);
  return out.toString();
}

/** True when the query filters anything (sort and page aside). */
export function hasLedgerFilters(query: LedgerQuery): boolean {
  return ledgerSearch(query, { sort: DEFAULT_LEDGER_QUERY.sort, page: 1 }) !== "";
}

/** Statuses the query shows: the explicit choice, else the tracked ones; 草拟中 added when asked. */
export function effectiveStatuses(query: LedgerQuery): LedgerStatus[] {
  const chosen = query.statuses.length ? query.statuses : LEDGER_STATUSES.filter((s) => ACTIVE_STATUSES.has(s));
  return LEDGER_STATUSES.filter((s) => chosen.includes(s) || (s === "DRAFT" && query.drafts));
}

const OPEN = [...OPEN_STATUSES];

/** Open work past its due day (逾期): derived from dueDate vs now, never stored. */
export function overdueWhere(now: Date): Prisma.TrackedItemWhereInput {
  return { status: { in: OPEN }, dueDate: { lt: now } };
}

/** Open work due from now to the end of the N-th China day from today (临期). */
export function dueWithinWhere(now: Date, days: number): Prisma.TrackedItemWhereInput {
  return { status: { in: OPEN }, dueDate: { gte: now, lte: endOfChinaDay(addDaysIso(chinaDay(now), days)) } };
}

/** The region filter's path (null when the id is unknown: the filter is then ignored). */
export async function getRegionPath(tx: Tx, regionId: string | null): Promise<string | null> {
  if (!regionId) return null;
  return (await tx.region.findUnique({ where: { id: regionId }, select: { path: true } }))?.path ?? null;
}

/**
 * The Prisma where of a ledger query: the actor's scope AND every filter. 逾期 and N 天内到期 together
 * mean either (the items needing attention), not both.
 */
export function ledgerWhere(
  actor: Actor,
  query: LedgerQuery,
  ctx: { now: Date; regionPath: string | null },
): Prisma.TrackedItemWhereInput {
  const and: Prisma.TrackedItemWhereInput[] = [itemScopeWhere(actor), { status: { in: effectiveStatuses(query) } }];
  if (query.kind) and.push({ kind: query.kind });
  if (query.lead) and.push({ leadOrgId: query.lead });
  if (query.supporting) and.push({ orgs: { some: { orgId: query.supporting, role: "SUPPORTING" } } });
  if (query.region && ctx.regionPath) and.push({ ownerOrg: { region: { path: { startsWith: ctx.regionPath } } } });
  if (query.series) and.push({ series: query.series });
  if (query.consultation) and.push({ consultationId: query.consultation });
  const attention = [
    ...(query.overdue ? [overdueWhere(ctx.now)] : []),
    ...(query.dueWithin !== null ? [dueWithinWhere(ctx.now, query.dueWithin)] : []),
  ];
  if (attention.length === 1) and.push(attention[0]);
  if (attention.length > 1) and.push({ OR: attention });
  for (const term of searchTerms(query.q, { lowerCase: true })) and.push({ searchText: { contains: term } });
  return { AND: and };
}

// ---- admission ---------------------------------------------------------------------------------

/**
 * A first-come-first-served gate for ledger loads. On SQLite every query runs on the event loop, so
 * N concurrent ledger pages interleave and all of them finish after N × the work of one (processor
 * sharing); admitting a few at a time lets each finish in turn: the same throughput, about half
 * the mean wait and a bounded tail. PostgreSQL runs queries in its own processes: more at once.
 * One per process (the Remix build is loaded once); nothing else is kept here.
 */
function createGate(limit: number) {
  let running = 0;
  const queue: Array<() => void> = [];
  return async function run<T>(work: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

const gate = createGate(isPostgresUrl(process.env.DATABASE_URL ?? "") ? 8 : 2);

/** Runs a ledger load (page, charts, export setup) when a slot is free. */
export function admitLedgerLoad<T>(work: () => Promise<T>): Promise<T> {
  return gate(work);
}

// ---- sorting and keyset pages -------------------------------------------------------------------

type SortField = "dueDate" | "status" | "updatedAt" | "activatedAt" | "sourceDocumentId" | "number" | "id";
interface SortKey {
  field: SortField;
  dir: "asc" | "desc";
  /** Nullable columns sort their nulls last in both directions. */
  nullable?: boolean;
}

const SORT_KEYS: Record<LedgerSort, SortKey[]> = {
  due: [
    { field: "dueDate", dir: "asc", nullable: true },
    { field: "number", dir: "asc" },
    { field: "id", dir: "asc" },
  ],
  "due-desc": [
    { field: "dueDate", dir: "desc", nullable: true },
    { field: "number", dir: "asc" },
    { field: "id", dir: "asc" },
  ],
  // Newest sources first (activatedAt is shared by a document's items), items in their order.
  number: [
    { field: "activatedAt", dir: "desc", nullable: true },
    { field: "sourceDocumentId", dir: "desc" },
    { field: "number", dir: "asc" },
    { field: "id", dir: "asc" },
  ],
  // Status codes sort NOT_STARTED, IN_PROGRESS, DRAFT, DONE, CLOSED descending: open work first.
  status: [
    { field: "status", dir: "desc" },
    { field: "dueDate", dir: "asc", nullable: true },
    { field: "id", dir: "asc" },
  ],
  updated: [
    { field: "updatedAt", dir: "desc" },
    { field: "id", dir: "asc" },
  ],
};

export function ledgerOrderBy(sort: LedgerSort): Prisma.TrackedItemOrderByWithRelationInput[] {
  return SORT_KEYS[sort].map(
    (k) =>
      ({
        [k.field]: k.nullable ? { sort: k.dir, nulls: "last" } : k.dir,
      }) as Prisma.TrackedItemOrderByWithRelationInput,
  );
}

type KeyValues = Partial<Record<SortField, Date | string | number | null>>;

/** Rows strictly after `row` in the sort order (lexicographic over the keys, nulls last). */
function afterWhere(keys: SortKey[], row: KeyValues): Prisma.TrackedItemWhereInput {
  const branches: Prisma.TrackedItemWhereInput[] = [];
  keys.forEach((k, i) => {
    const value = row[k.field] ?? null;
    // Nothing sorts after a null (nulls last) except rows equal on it, which later keys decide.
    if (value === null) return;
    const beyond = { [k.field]: { [k.dir === "asc" ? "gt" : "lt"]: value } } as Prisma.TrackedItemWhereInput;
    const equal = keys.slice(0, i).map((p) => ({ [p.field]: row[p.field] ?? null }) as Prisma.TrackedItemWhereInput);
    branches.push({
      AND: [...equal, k.nullable ? { OR: [beyond, { [k.field]: null } as Prisma.TrackedItemWhereInput] } : beyond],
    });
  });
  return { OR: branches };
}

// ---- rows ---------------------------------------------------------------------------------------

export const ledgerRowSelect = {
  id: true,
  kind: true,
  number: true,
  wording: true,
  status: true,
  dueDate: true,
  feedbackCycle: true,
  series: true,
  activatedAt: true,
  closedAt: true,
  lastProgressAt: true,
  lastProgressText: true,
  createdAt: true,
  updatedAt: true,
  sourceDocumentId: true,
  leadOrg: { select: { name: true, shortName: true } },
  ownerOrg: { select: { name: true } },
  orgs: {
    where: { role: "SUPPORTING" },
    select: { org: { select: { name: true, shortName: true } } },
    orderBy: { orgId: "asc" },
  },
  sourceDocument: {
    select: {
      id: true,
      title: true,
      consultation: { select: { number: true, series: true } },
      // Whether the reader may open the source (a supervising unit follows items of minutes it is not in).
      ...documentPolicySelect,
    },
  },
} satisfies Prisma.TrackedItemSelect;

export type LedgerRow = Prisma.TrackedItemGetPayload<{ select: typeof ledgerRowSelect }>;

/**
 * One page of rows (LEDGER_PAGE_SIZE), in the query's order. The sort runs over ids only (a
 * "deferred join": sorting every matching row with all its columns costs twice as much), then the
 * page's rows are read by primary key.
 */
export async function listLedgerPage(
  tx: Tx,
  where: Prisma.TrackedItemWhereInput,
  query: LedgerQuery,
  pageSize: number = LEDGER_PAGE_SIZE,
): Promise<LedgerRow[]> {
  const ids = (
    await tx.trackedItem.findMany({
      where,
      orderBy: ledgerOrderBy(query.sort),
      skip: (query.page - 1) * pageSize,
      take: pageSize,
      select: { id: true },
    })
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = new Map(
    (await tx.trackedItem.findMany({ where: { id: { in: ids } }, select: ledgerRowSelect })).map((r) => [r.id, r]),
  );
  return ids.map((id) => rows.get(id)).filter((r): r is LedgerRow => r !== undefined);
}

/** How many rows the query matches (the API's paging total). */
export async function countLedgerRows(tx: Tx, where: Prisma.TrackedItemWhereInput): Promise<number> {
  return tx.trackedItem.count({ where });
}

/**
 * Every row of the query in its order, read in keyset pages of `batch` rows (the export): memory
 * stays flat however many items match, and no page costs an OFFSET scan.
 */
export async function* iterateLedgerRows(
  tx: Tx,
  where: Prisma.TrackedItemWhereInput,
  sort: LedgerSort,
  batch = 1000,
): AsyncGenerator<LedgerRow[]> {
  const keys = SORT_KEYS[sort];
  const orderBy = ledgerOrderBy(sort);
  let last: LedgerRow | null = null;
  for (;;) {
    const page: LedgerRow[] = await tx.trackedItem.findMany({
      where: last ? { AND: [where, afterWhere(keys, last)] } : where,
      orderBy,
      take: batch,
      select: ledgerRowSelect,
    });
    if (page.length) yield page;
    if (page.length < batch) return;
    last = page[page.length - 1];
  }
}

// ---- aggregates for the summary and the charts ---------------------------------------------------

export interface LedgerStats {
  total: number;
  /** With the overdue part of each (only open statuses have one). */
  byStatus: Array<{ status: string; count: number; overdue: number }>;
  overdue: number;
  dueSoon: number;
  /** Lead orgs by item count (all of them; the page shows the first ones), with the overdue part. */
  byLead: Array<{ orgId: string | null; name: string; shortName: string; count: number; overdue: number }>;
  /** The last 12 China-time months, oldest first: items due in the month and items closed in it. */
  trend: Array<{ month: string; label: string; due: number; closed: number }>;
  /** Consultation series among the matching items. */
  series: string[];
}

/** The 12 months ending with the current one, and the UTC instant the first one starts. */
export function trendMonths(now: Date): { months: string[]; start: Date } {
  const [y, m] = chinaMonth(now).split("-").map(Number);
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return { months, start: new Date(`${months[0]}-01T00:00:00+08:00`) };
}

/**
 * Counts for the summary and the charts over the same filtered scope, with four aggregate queries
 * (each one pass over the scope, the costly part of a ledger query):
 * - groupBy lead org × status × series: the total, the status counts, the lead bars and the
 *   series present (the choices of the series filter);
 * - groupBy lead org × status over the overdue items (an index range on status + dueDate);
 * - groupBy due day × status within the trend window (≤ 5 groups a day): due per month and 临期;
 * - groupBy closing instant of the (still) closed items within the window: closed per month.
 * Months are folded here in China time.
 */
export async function ledgerStats(
  tx: Tx,
  where: Prisma.TrackedItemWhereInput,
  now: Date,
  dueSoonDays = 7,
): Promise<LedgerStats> {
  const { months, start } = trendMonths(now);
  const soon = dueWithinWhere(now, dueSoonDays);
  const soonEnd = (soon.dueDate as { lte: Date }).lte;
  const monthEnd = new Date(`${nextMonth(months[months.length - 1])}-01T00:00:00+08:00`);
  const dueWindow = { gte: start, lte: soonEnd.getTime() > monthEnd.getTime() ? soonEnd : monthEnd };
  const [groups, overdueByLead, dueDays, closedDays] = await Promise.all([
    tx.trackedItem.groupBy({ by: ["leadOrgId", "status", "series"], where, _count: { _all: true } }),
    tx.trackedItem.groupBy({
      by: ["leadOrgId", "status"],
      where: { AND: [where, overdueWhere(now)] },
      _count: { _all: true },
    }),
    tx.trackedItem.groupBy({
      by: ["dueDate", "status"],
      where: { AND: [where, { dueDate: dueWindow }] },
      _count: { _all: true },
    }),
    tx.trackedItem.groupBy({
      by: ["closedAt"],
      where: { AND: [where, { status: "CLOSED", closedAt: { gte: start } }] },
      _count: { _all: true },
    }),
  ]);
  const add = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  const byStatus = new Map<string, number>();
  const byLead = new Map<string | null, number>();
  const series = new Set<string>();
  for (const g of groups) {
    add(byStatus, g.status, g._count._all);
    add(byLead, g.leadOrgId, g._count._all);
    if (g.series) series.add(g.series);
  }
  const leadIds = [...byLead.keys()].filter((x): x is string => x !== null);
  const names = new Map(
    (leadIds.length
      ? await tx.organization.findMany({
          where: { id: { in: leadIds } },
          select: { id: true, name: true, shortName: true },
        })
      : []
    ).map((o) => [o.id, o]),
  );
  const overdueOf = new Map<string | null, number>();
  const overdueByStatus = new Map<string, number>();
  for (const g of overdueByLead) {
    add(overdueOf, g.leadOrgId, g._count._all);
    add(overdueByStatus, g.status, g._count._all);
  }
  const due = new Map<string, number>();
  let dueSoon = 0;
  for (const g of dueDays) {
    if (!g.dueDate) continue;
    add(due, chinaMonth(g.dueDate), g._count._all);
    if (OPEN_STATUSES.has(g.status) && g.dueDate.getTime() >= now.getTime() && g.dueDate.getTime() <= soonEnd.getTime())
      dueSoon += g._count._all;
  }
  const closed = new Map<string, number>();
  for (const g of closedDays) if (g.closedAt) add(closed, chinaMonth(g.closedAt), g._count._all);
  return {
    total: [...byStatus.values()].reduce((a, n) => a + n, 0),
    byStatus: [...byStatus].map(([status, count]) => ({ status, count, overdue: overdueByStatus.get(status) ?? 0 })),
    overdue: overdueByLead.reduce((a, g) => a + g._count._all, 0),
    dueSoon,
    byLead: [...byLead]
      .map(([orgId, count]) => {
        const org = orgId ? names.get(orgId) : undefined;
        const name = org?.name ?? (orgId ? "（单位已删除）" : "（未指定牵头单位）");
        return { orgId, name, shortName: org?.shortName ?? name, count, overdue: overdueOf.get(orgId) ?? 0 };
      })
      .sort((a, b) => b.count - a.count || b.overdue - a.overdue || a.name.localeCompare(b.name, "zh-CN")),
    trend: months.map((month) => ({
      month,
      label: `${Number(month.slice(5))}月`,
      due: due.get(month) ?? 0,
      closed: closed.get(month) ?? 0,
    })),
    series: [...series].sort((a, b) => a.localeCompare(b, "zh-CN")),
  };
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}

/** Kinds present in the query, with counts (the export writes one sheet per kind). */
export async function countLedgerByKind(tx: Tx, where: Prisma.TrackedItemWhereInput): Promise<Map<ItemKind, number>> {
  const groups = await tx.trackedItem.groupBy({ by: ["kind"], where, _count: { _all: true } });
  return new Map(
    groups
      .filter((g) => (ITEM_KINDS as readonly string[]).includes(g.kind))
      .map((g) => [g.kind as ItemKind, g._count._all]),
  );
}

// ---- filter choices ----------------------------------------------------------------------------

/** Orgs of the actor's province (the directory is not secret within a deployment). */
function provinceOrgsWhere(roots: string[]): Prisma.OrganizationWhereInput {
  return { active: true, OR: roots.map((p) => ({ region: { path: { startsWith: p } } })) };
}

function provinceRegionsWhere(roots: string[]): Prisma.RegionWhereInput {
  return { OR: roots.map((p) => ({ path: { startsWith: p } })) };
}

/** A consultation is named only when the actor sees items of it (an id in a URL reveals nothing else). */
async function visibleConsultation(tx: Tx, actor: Actor, consultationId: string | null) {
  if (!consultationId) return null;
  const item = await tx.trackedItem.findFirst({
    where: { AND: [itemScopeWhere(actor), { consultationId }] },
    select: {
      sourceDocument: {
        select: { consultation: { select: { id: true, series: true, number: true, title: true } } },
      },
    },
  });
  return item?.sourceDocument.consultation ?? null;
}

/**
 * Choices for the filter form: orgs and regions of the actor's province; the consultation series
 * are those of `ledgerStats` (the matching items), except while a series is chosen: then those of
 * the query without it (`seriesWhere`).
 */
export async function ledgerFilterOptions(
  tx: Tx,
  actor: Actor,
  opts: { consultationId: string | null; seriesWhere: Prisma.TrackedItemWhereInput | null },
) {
  const roots = actorProvinceRoots(actor);
  const [orgs, regions, series, consultation] = await Promise.all([
    roots.length
      ? tx.organization.findMany({
          where: provinceOrgsWhere(roots),
          select: { id: true, name: true, region: { select: { path: true } } },
          orderBy: [{ region: { path: "asc" } }, { name: "asc" }],
        })
      : [],
    roots.length
      ? tx.region.findMany({
          where: provinceRegionsWhere(roots),
          select: { id: true, name: true, path: true },
          orderBy: { path: "asc" },
        })
      : [],
    opts.seriesWhere
      ? tx.trackedItem.groupBy({ by: ["series"], where: { AND: [opts.seriesWhere, { series: { not: null } }] } })
      : null,
    visibleConsultation(tx, actor, opts.consultationId),
  ]);
  return {
    orgs: orgs.map((o) => ({ id: o.id, name: o.name })),
    regions: regions.map((r) => ({ id: r.id, name: r.name, depth: r.path.split("/").filter(Boolean).length - 1 })),
    series: series
      ? series
          .map((s) => s.series)
          .filter((s): s is string => s !== null)
          .sort((a, b) => a.localeCompare(b, "zh-CN"))
      : null,
    consultation,
  };
}

// ---- filters in words --------------------------------------------------------------------------

/**
 * What `ledgerFilterLabels` names: the orgs and regions the actor can choose from (those of
 * `ledgerFilterOptions`, or just the ones a query uses), the consultation when the actor sees items
 * of it, and the region filter's path (null: the region is unknown and the filter ignored).
 */
export interface LedgerFilterNames {
  orgs: ReadonlyArray<{ id: string; name: string }>;
  regions: ReadonlyArray<{ id: string; name: string }>;
  consultation: { series: string; number: number } | null;
  regionPath: string | null;
}

/** A filter of a query in words ("牵头：市市场监管局", "仅逾期"), with the field that holds it. */
export interface LedgerFilterLabel {
  field: Exclude<keyof LedgerQuery, "sort" | "page">;
  label: string;
}

/**
 * The active filters of a query in words, in the order of the form: the chips of the ledger page
 * (当前筛选) and the title and file name of the export. Ignored filters (an unknown region) are left out.
 */
export function ledgerFilterLabels(query: LedgerQuery, names: LedgerFilterNames): LedgerFilterLabel[] {
  const orgName = new Map(names.orgs.map((o) => [o.id, o.name]));
  const regionName = new Map(names.regions.map((r) => [r.id, r.name]));
  const out: LedgerFilterLabel[] = [];
  const add = (field: LedgerFilterLabel["field"], label: string) => out.push({ field, label });
  if (query.q) add("q", `搜索“${query.q}”`);
  if (query.kind) add("kind", `类别：${ITEM_KIND_LABELS[query.kind]}`);
  if (query.lead) add("lead", `牵头：${orgName.get(query.lead) ?? "（未知单位）"}`);
  if (query.supporting) add("supporting", `配合：${orgName.get(query.supporting) ?? "（未知单位）"}`);
  if (query.region && names.regionPath) add("region", `区划：${regionName.get(query.region) ?? "（其他区划）"}及下级`);
  if (query.statuses.length) add("statuses", `状态：${query.statuses.map((s) => ITEM_STATUS_LABELS[s]).join("、")}`);
  if (query.drafts) add("drafts", "含草拟中事项");
  if (query.overdue) add("overdue", "仅逾期");
  if (query.dueWithin !== null) add("dueWithin", `${query.dueWithin} 天内到期`);
  if (query.series) add("series", `会商系列：${query.series}`);
  if (query.consultation) {
    const c = names.consultation;
    add("consultation", c ? `会商：${c.series} 第${c.number}期` : "会商：（无可见事项）");
  }
  return out;
}

/**
 * The names `ledgerFilterLabels` needs for one query, by the rules of `ledgerFilterOptions` but
 * reading only the orgs, region and consultation the query names (the export).
 */
export async function ledgerFilterNames(
  tx: Tx,
  actor: Actor,
  query: LedgerQuery,
  regionPath: string | null,
): Promise<LedgerFilterNames> {
  const roots = actorProvinceRoots(actor);
  const orgIds = [query.lead, query.supporting].filter((x): x is string => x !== null);
  const [orgs, regions, consultation] = await Promise.all([
    roots.length && orgIds.length
      ? tx.organization.findMany({
          where: { AND: [provinceOrgsWhere(roots), { id: { in: orgIds } }] },
          select: { id: true, name: true },
        })
      : [],
    roots.length && query.region && regionPath
      ? tx.region.findMany({
          where: { AND: [provinceRegionsWhere(roots), { id: query.region }] },
          select: { id: true, name: true },
        })
      : [],
    visibleConsultation(tx, actor, query.consultation),
  ]);
  return { orgs, regions, consultation, regionPath };
}
