import type { Prisma, Tx } from "~/db.server";
import { consultationListSelect, type ConsultationListRow } from "~/models/consultation.server";
import { CONSULTATION_STATUSES, type ConsultationStatus } from "~/domain/consultation";
import {
  idParam,
  listSearch,
  parseBaseListQuery,
  pickChoice,
  pickParam,
  searchTerms,
  type BaseListQuery,
} from "~/utils/list-query";

/**
 * 会商 list: the consultations a user sees (`consultationScopeWhere`, unchanged), narrowed by a
 * query that lives in the URL like the ledger's (ADR 029). The search looks at the title, the
 * series, the place and the agenda (stored as a JSON array of strings).
 */

export const CONSULTATION_PAGE_SIZE = 20;
export const CONSULTATION_SORTS = ["updated", "title", "date", "date-asc"] as const satisfies readonly [
  string,
  ...string[],
];
export type ConsultationSort = (typeof CONSULTATION_SORTS)[number];
export const CONSULTATION_SORT_LABELS: Record<ConsultationSort, string> = {
  updated: "最近更新在前",
  title: "按会议名称",
  date: "会议时间最晚在前",
  "date-asc": "会议时间最早在前",
};

export interface ConsultationListQuery extends BaseListQuery<ConsultationSort> {
  status: ConsultationStatus | null;
  convener: string | null;
}

export const DEFAULT_CONSULTATION_QUERY: ConsultationListQuery = {
  q: "",
  status: null,
  convener: null,
  series: null,
  from: null,
  to: null,
  sort: "updated",
  page: 1,
};

/** The query from the URL (`from`/`to` bound the 会议日期); a parameter that does not parse is ignored. */
export function parseConsultationQuery(params: URLSearchParams): ConsultationListQuery {
  return {
    ...parseBaseListQuery(params, CONSULTATION_SORTS, DEFAULT_CONSULTATION_QUERY.sort),
    status: pickChoice(CONSULTATION_STATUSES, params.get("status")),
    convener: pickParam(idParam, params.get("convener"), null),
  };
}

/** The canonical query string (defaults left out, without "?") of a query with some fields changed. */
export function consultationSearch(query: ConsultationListQuery, changes: Partial<ConsultationListQuery> = {}): string {
  const q = { ...query, ...changes };
  return listSearch(q, DEFAULT_CONSULTATION_QUERY.sort, [
    ["status", q.status],
    ["convener", q.convener],
  ]);
}

/** The scope AND every filter (`held` is the 会议日期 range on the start, null when ignored). */
export function consultationListWhere(
  scope: Prisma.ConsultationWhereInput,
  query: ConsultationListQuery,
  held: { gte?: Date; lte?: Date } | null,
): Prisma.ConsultationWhereInput {
  const and: Prisma.ConsultationWhereInput[] = [scope];
  if (query.status) and.push({ status: query.status });
  if (query.convener) and.push({ conveningOrgId: query.convener });
  if (query.series) and.push({ series: query.series });
  if (held) and.push({ startsAt: held });
  for (const term of searchTerms(query.q))
    and.push({
      OR: [
        { title: { contains: term } },
        { series: { contains: term } },
        { place: { contains: term } },
        { agenda: { contains: term } },
      ],
    });
  return { AND: and };
}

const ORDER: Record<ConsultationSort, Prisma.ConsultationOrderByWithRelationInput[]> = {
  updated: [{ updatedAt: "desc" }, { id: "asc" }],
  title: [{ title: "asc" }, { number: "asc" }, { id: "asc" }],
  date: [{ startsAt: "desc" }, { id: "asc" }],
  "date-asc": [{ startsAt: "asc" }, { id: "asc" }],
};

export async function countConsultations(tx: Tx, where: Prisma.ConsultationWhereInput): Promise<number> {
  return tx.consultation.count({ where });
}

export async function listConsultationPage(
  tx: Tx,
  where: Prisma.ConsultationWhereInput,
  opts: { sort: ConsultationSort; page: number; pageSize?: number },
): Promise<ConsultationListRow[]> {
  const size = opts.pageSize ?? CONSULTATION_PAGE_SIZE;
  return tx.consultation.findMany({
    where,
    orderBy: ORDER[opts.sort],
    skip: (opts.page - 1) * size,
    take: size,
    select: consultationListSelect,
  });
}

/** The filter choices, from the scope: convening orgs and series of the consultations in it. */
export async function consultationFilterOptions(tx: Tx, scope: Prisma.ConsultationWhereInput) {
  const groups = await tx.consultation.groupBy({ by: ["conveningOrgId", "series"], where: scope });
  const orgIds = [...new Set(groups.map((g) => g.conveningOrgId))];
  const orgs = orgIds.length
    ? await tx.organization.findMany({
        where: { id: { in: orgIds } },
        select: { id: true, name: true },
        orderBy: { name: "asc" },
      })
    : [];
  return {
    orgs,
    series: [...new Set(groups.map((g) => g.series))].sort((a, b) => a.localeCompare(b, "zh-CN")),
  };
}
