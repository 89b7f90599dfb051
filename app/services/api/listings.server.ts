import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { listListingPage } from "~/models/data-export.server";
import { countLedgerRows, getRegionPath, ledgerWhere, parseLedgerQuery } from "~/models/ledger.server";
import { database } from "~/models/unit-of-work.server";
import type { ApiClient } from "./client.server";
import { API_DEFAULT_PAGE_SIZE, API_MAX_PAGE_SIZE, PageParams, errorResponses, parseOr400 } from "./contract.server";
import { ListingExtra, listingJson } from "./export.server";
import { BEARER_SCHEME, ItemSchema } from "./resources.server";

/**
 * 联合挂牌督办清单 over the data-exchange API (ADR 027): the supervised cases (SUPERVISED_CASE items)
 * the token's org reads on the 台账, with their 督办单位 — the ledger's scope and filters, the kind fixed.
 */

const ListingFilterParams = z.object({
  status: z.string().optional().openapi({ description: "状态，逗号分隔（NOT_STARTED、IN_PROGRESS、DONE、CLOSED）" }),
  region: z.string().optional().openapi({ description: "挂牌单位所在区划 id（含下级）" }),
  overdue: z.string().optional().openapi({ description: "仅逾期（1）" }),
  q: z.string().optional().openapi({ description: "全文检索" }),
  page: z.string().optional().openapi({ description: "页码，从 1 开始" }),
  pageSize: z
    .string()
    .optional()
    .openapi({ description: `每页条数，1–${API_MAX_PAGE_SIZE}，默认 ${API_DEFAULT_PAGE_SIZE}` }),
});

const ListingSchema = ItemSchema.extend(ListingExtra.shape).openapi("Listing");

const ListingPageSchema = z
  .object({
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    items: z.array(ListingSchema),
  })
  .openapi("ListingPage");

/** GET /api/v1/listings: one page of the supervised cases in the token's ledger scope. */
export async function listListings(client: ApiClient, url: URL, now = new Date()) {
  const { page, pageSize } = parseOr400(PageParams, Object.fromEntries(url.searchParams));
  const query = { ...parseLedgerQuery(url.searchParams), kind: "SUPERVISED_CASE" as const, page };
  const db = database();
  const regionPath = await getRegionPath(db, query.region);
  const where = ledgerWhere(client.user.actor, query, { now, regionPath });
  const [rows, total] = await Promise.all([listListingPage(db, where, page, pageSize), countLedgerRows(db, where)]);
  const body: z.infer<typeof ListingPageSchema> = { page, pageSize, total, items: rows.map(listingJson) };
  return body;
}

export function registerListingPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "get",
    path: "/api/v1/listings",
    summary: "联合挂牌督办案件（本单位协调员在台账上可见的范围），含督办单位",
    tags: ["挂牌督办"],
    security: [{ [BEARER_SCHEME]: [] }],
    request: { query: ListingFilterParams },
    responses: {
      200: { description: "一页挂牌督办案件", content: { "application/json": { schema: ListingPageSchema } } },
      ...errorResponses([400, 401, 429]),
    },
  });
}
