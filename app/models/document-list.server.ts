import type { Prisma, Tx } from "~/db.server";
import { DOCUMENT_STATUSES, DOCUMENT_TYPES, type DocumentStatus, type DocumentType } from "~/domain/document";
import {
  flagParam,
  idParam,
  listSearch,
  parseBaseListQuery,
  pickChoice,
  pickParam,
  searchTerms,
  type BaseListQuery,
} from "~/utils/list-query";

/**
 * 文书 list: the documents a user reaches through an org membership or individually (the list's
 * scope, unchanged), narrowed by a query that lives in the URL like the ledger's (ADR 029).
 */

export const DOCUMENT_PAGE_SIZE = 20;
export const DOCUMENT_SORTS = ["updated", "title", "created", "created-asc"] as const satisfies readonly [
  string,
  ...string[],
];
export type DocumentSort = (typeof DOCUMENT_SORTS)[number];
export const DOCUMENT_SORT_LABELS: Record<DocumentSort, string> = {
  updated: "最近更新在前",
  title: "按标题",
  created: "最新创建在前",
  "created-asc": "最早创建在前",
};

export interface DocumentListQuery extends BaseListQuery<DocumentSort> {
  type: DocumentType | null;
  status: DocumentStatus | null;
  owner: string | null;
  /** 仅看我关注的. */
  starred: boolean;
}

export const DEFAULT_DOCUMENT_QUERY: DocumentListQuery = {
  q: "",
  type: null,
  status: null,
  owner: null,
  series: null,
  from: null,
  to: null,
  starred: false,
  sort: "updated",
  page: 1,
};

/** The query from the URL (`from`/`to` bound the 创建日期); a parameter that does not parse is ignored. */
export function parseDocumentQuery(params: URLSearchParams): DocumentListQuery {
  return {
    ...parseBaseListQuery(params, DOCUMENT_SORTS, DEFAULT_DOCUMENT_QUERY.sort),
    type: pickChoice(DOCUMENT_TYPES, params.get("type")),
    status: pickChoice(DOCUMENT_STATUSES, params.get("status")),
    owner: pickParam(idParam, params.get("owner"), null),
    starred: pickParam(flagParam, params.get("starred"), false),
  };
}

/** The canonical query string (defaults left out, without "?") of a query with some fields changed. */
export function documentSearch(query: DocumentListQuery, changes: Partial<DocumentListQuery> = {}): string {
  const q = { ...query, ...changes };
  return listSearch(q, DEFAULT_DOCUMENT_QUERY.sort, [
    ["type", q.type],
    ["status", q.status],
    ["owner", q.owner],
    ["starred", q.starred ? "1" : null],
  ]);
}

/** The scope AND every filter of the query (`created` is the 创建日期 range, null when ignored). */
export function documentListWhere(
  scope: Prisma.DocumentWhereInput,
  query: DocumentListQuery,
  ctx: { userId: string; created: { gte?: Date; lte?: Date } | null },
): Prisma.DocumentWhereInput {
  const and: Prisma.DocumentWhereInput[] = [scope];
  if (query.type) and.push({ type: query.type });
  if (query.status) and.push({ status: query.status });
  if (query.owner) and.push({ ownerOrgId: query.owner });
  if (query.series) and.push({ consultation: { is: { series: query.series } } });
  if (ctx.created) and.push({ createdAt: ctx.created });
  if (query.starred) and.push({ stars: { some: { userId: ctx.userId } } });
  for (const term of searchTerms(query.q)) and.push({ title: { contains: term } });
  return { AND: and };
}

const ORDER: Record<DocumentSort, Prisma.DocumentOrderByWithRelationInput[]> = {
  updated: [{ updatedAt: "desc" }, { id: "asc" }],
  title: [{ title: "asc" }, { id: "asc" }],
  created: [{ createdAt: "desc" }, { id: "asc" }],
  "created-asc": [{ createdAt: "asc" }, { id: "asc" }],
};

const rowSelect = {
  id: true,
  title: true,
  type: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  ownerOrg: { select: { name: true } },
  consultation: { select: { series: true, number: true } },
  snapshot: { select: { updatedAt: true } },
  _count: { select: { members: true } },
} as const satisfies Prisma.DocumentSelect;

export type DocumentListPageRow = Prisma.DocumentGetPayload<{ select: typeof rowSelect }> & { starred: boolean };

export async function countDocuments(tx: Tx, where: Prisma.DocumentWhereInput): Promise<number> {
  return tx.document.count({ where });
}

/** One page of rows in the query's order, each with whether the user starred it. */
export async function listDocumentPage(
  tx: Tx,
  where: Prisma.DocumentWhereInput,
  opts: { userId: string; sort: DocumentSort; page: number; pageSize?: number },
): Promise<DocumentListPageRow[]> {
  const size = opts.pageSize ?? DOCUMENT_PAGE_SIZE;
  const rows = await tx.document.findMany({
    where,
    orderBy: ORDER[opts.sort],
    skip: (opts.page - 1) * size,
    take: size,
    select: { ...rowSelect, stars: { where: { userId: opts.userId }, select: { userId: true } } },
  });
  return rows.map(({ stars, ...r }) => ({ ...r, starred: stars.length > 0 }));
}

/**
 * The filter choices, from the scope (never names an org or series the user sees no document of):
 * owner orgs and the consultation series of the documents in scope.
 */
export async function documentFilterOptions(tx: Tx, scope: Prisma.DocumentWhereInput) {
  const [owners, series] = await Promise.all([
    tx.document.groupBy({ by: ["ownerOrgId"], where: scope }),
    tx.consultation.findMany({
      where: { minutes: { is: scope } },
      distinct: ["series"],
      select: { series: true },
    }),
  ]);
  const orgs = owners.length
    ? await tx.organization.findMany({
        where: { id: { in: owners.map((o) => o.ownerOrgId) } },
        select: { id: true, name: true },
        orderBy: { name: "asc" },
      })
    : [];
  return { orgs, series: series.map((s) => s.series).sort((a, b) => a.localeCompare(b, "zh-CN")) };
}
