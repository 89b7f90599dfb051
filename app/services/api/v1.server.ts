import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { API_TOKEN_MAX_DAYS } from "~/domain/api-token";
import { DomainError } from "~/domain/errors";
import { isId } from "~/domain/ids";
import { countLedgerRows, getRegionPath, ledgerWhere, listLedgerPage, parseLedgerQuery } from "~/models/ledger.server";
import {
  MAX_PUBLIC_PAGE,
  MAX_PUBLIC_PAGE_SIZE,
  PUBLIC_PAGE_SIZE,
  parsePublicCaseQuery,
} from "~/models/publication.server";
import { database } from "~/models/unit-of-work.server";
import { searchPublicCases } from "~/services/public-cases/cases.server";
import { loadRegister } from "~/services/recommendation-pages.server";
import { reportProgress, type ItemContext } from "~/services/tracked-items.server";
import type { ApiClient } from "./client.server";
import {
  API_DEFAULT_PAGE_SIZE,
  API_MAX_PAGE_SIZE,
  ErrorSchema,
  PageParams,
  errorResponses,
  isoDate,
  parseOr400,
  readJson,
} from "./contract.server";
import { BEARER_SCHEME, ItemSchema, RecommendationSchema, itemJson, recommendationJson } from "./resources.server";
import { registerCluePaths } from "./clues.server";
import { registerExportPath } from "./export.server";
import { registerListingPaths } from "./listings.server";
import { registerLitigationPaths } from "./litigation.server";

extendZodWithOpenApi(z);

/**
 * Version 1 of the data-exchange API (互联互通, ADR 027): its zod schemas (the input it accepts and
 * the JSON it answers), the handlers the resource routes call, and the OpenAPI 3.1 document
 * generated from the same schemas.
 */

// --- schemas ---

/** The ledger's filters (the same parameters as the 台账 page, read by `parseLedgerQuery`). */
const LedgerFilterParams = z.object({
  kind: z.string().optional().openapi({ description: "事项类型" }),
  lead: z.string().optional().openapi({ description: "牵头单位 id" }),
  support: z.string().optional().openapi({ description: "配合单位 id" }),
  region: z.string().optional().openapi({ description: "召集单位所在区划 id（含下级）" }),
  status: z.string().optional().openapi({ description: "状态，逗号分隔" }),
  drafts: z.string().optional().openapi({ description: "含草拟中事项（1）" }),
  overdue: z.string().optional().openapi({ description: "仅逾期（1）" }),
  due: z.string().optional().openapi({ description: "N 天内到期" }),
  series: z.string().optional().openapi({ description: "会商系列" }),
  consultation: z.string().optional().openapi({ description: "会商 id" }),
  q: z.string().optional().openapi({ description: "全文检索" }),
  sort: z.string().optional().openapi({ description: "排序：due、due-desc、number、status、updated" }),
  page: z.string().optional().openapi({ description: "页码，从 1 开始" }),
  pageSize: z
    .string()
    .optional()
    .openapi({ description: `每页条数，1–${API_MAX_PAGE_SIZE}，默认 ${API_DEFAULT_PAGE_SIZE}` }),
});

export const ItemPageSchema = z
  .object({
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    items: z.array(ItemSchema),
  })
  .openapi("ItemPage");

const RecommendationViewParams = z
  .object({
    view: z.enum(["to", "from", "copy"]).optional().openapi({ description: "to 收到的、from 发出的、copy 抄送的" }),
  })
  .strict();

export const RecommendationListSchema = z
  .object({
    view: z.enum(["to", "from", "copy"]),
    counts: z.object({ to: z.number().int(), from: z.number().int(), copy: z.number().int() }),
    items: z.array(RecommendationSchema),
  })
  .openapi("RecommendationList");

export const ProgressInputSchema = z
  .object({
    text: z.string().trim().min(1).max(2000).openapi({ description: "进展情况" }),
    newStatus: z
      .enum(["IN_PROGRESS", "DONE"])
      .nullable()
      .optional()
      .openapi({ description: "新状态：IN_PROGRESS 推进中、DONE 已完成待销号" }),
  })
  .strict()
  .openapi("ProgressInput");

export const ProgressResultSchema = z.object({ ok: z.literal(true) }).openapi("ProgressResult");

const CaseParams = z
  .object({
    q: z.string().max(100).optional().openapi({ description: "检索词（空格分隔，全部匹配）" }),
    batch: z.string().max(40).optional().openapi({ description: "批次" }),
    field: z.string().max(40).optional().openapi({ description: "领域" }),
    page: z.coerce.number().int().min(1).max(MAX_PUBLIC_PAGE).default(1).openapi({ description: "页码，从 1 开始" }),
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PUBLIC_PAGE_SIZE)
      .default(PUBLIC_PAGE_SIZE)
      .openapi({ description: `每页条数，1–${MAX_PUBLIC_PAGE_SIZE}` }),
  })
  .strict();

export const CaseSchema = z
  .object({
    slug: z.string(),
    url: z.string(),
    title: z.string(),
    version: z.number().int(),
    keywords: z.array(z.string()),
    field: z.string(),
    batch: z.string(),
    orgs: z.array(z.string()),
    firstPublishedAt: isoDate,
    publishedAt: isoDate,
    excerpt: z.string(),
  })
  .openapi("TypicalCase");

export const CasePageSchema = z
  .object({
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    items: z.array(CaseSchema),
  })
  .openapi("TypicalCasePage");

// --- handlers ---

/** GET /api/v1/items: the 台账 in the token's scope, with the ledger page's filters. */
export async function listItems(client: ApiClient, url: URL, now = new Date()) {
  const { page, pageSize } = parseOr400(PageParams, Object.fromEntries(url.searchParams));
  const query = { ...parseLedgerQuery(url.searchParams), page };
  const db = database();
  const regionPath = await getRegionPath(db, query.region);
  const where = ledgerWhere(client.user.actor, query, { now, regionPath });
  const [rows, total] = await Promise.all([listLedgerPage(db, where, query, pageSize), countLedgerRows(db, where)]);
  const body: z.infer<typeof ItemPageSchema> = {
    page,
    pageSize,
    total,
    items: rows.map(itemJson),
  };
  return body;
}

/** GET /api/v1/recommendations: the org's register (to / from / copy), as the recommendations page lists it. */
export async function listRecommendations(client: ApiClient, url: URL) {
  const { view: asked } = parseOr400(RecommendationViewParams, Object.fromEntries(url.searchParams));
  const { view, counts, rows } = await loadRegister(client.user.actor, asked ?? null);
  const body: z.infer<typeof RecommendationListSchema> = {
    view,
    counts,
    items: rows.map(recommendationJson),
  };
  return body;
}

/** GET /api/v1/cases: the published typical cases (the same releases as the public /cases pages). */
export async function listCases(url: URL) {
  const params = parseOr400(CaseParams, Object.fromEntries(url.searchParams));
  const list = await searchPublicCases({
    ...parsePublicCaseQuery(url.searchParams),
    page: params.page,
    pageSize: params.pageSize,
  });
  const body: z.infer<typeof CasePageSchema> = {
    page: list.page,
    pageSize: list.pageSize,
    total: list.total,
    items: list.rows.map((r) => ({
      slug: r.slug,
      url: `/cases/${r.slug}`,
      title: r.title,
      version: r.version,
      keywords: r.keywords,
      field: r.field,
      batch: r.batch,
      orgs: r.orgs,
      firstPublishedAt: r.firstPublishedAt.toISOString(),
      publishedAt: r.publishedAt.toISOString(),
      excerpt: r.excerpt,
    })),
  };
  return body;
}

/** POST /api/v1/items/{id}/progress: 报送进展 through the item page's command (the same policy decides). */
export async function postProgress(client: ApiClient, itemId: string | undefined, request: Request, ctx: ItemContext) {
  if (!isId(itemId)) throw new DomainError("NOT_FOUND", "事项不存在。");
  const input = parseOr400(ProgressInputSchema, await readJson(request));
  await reportProgress(client.user, itemId, { text: input.text, newStatus: input.newStatus ?? null, files: [] }, ctx);
  const body: z.infer<typeof ProgressResultSchema> = { ok: true };
  return body;
}

// --- the OpenAPI document ---

let cachedDocument: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

export function openApiDocument() {
  if (cachedDocument) return cachedDocument;
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", BEARER_SCHEME, {
    type: "http",
    scheme: "bearer",
    description: `单位接口令牌（ct_ 开头），由本单位系统管理员在“系统管理 → 接口令牌”创建，有效期 1–${API_TOKEN_MAX_DAYS} 天。只能放在 Authorization 请求头中。`,
  });
  registry.register("Error", ErrorSchema);
  const security = [{ [bearer.name]: [] }];
  registry.registerPath({
    method: "get",
    path: "/api/v1/items",
    summary: "台账事项（本单位协调员可见范围）",
    tags: ["台账"],
    security,
    request: { query: LedgerFilterParams },
    responses: {
      200: { description: "一页事项", content: { "application/json": { schema: ItemPageSchema } } },
      ...errorResponses([400, 401, 403, 429]),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/recommendations",
    summary: "本单位收到、发出或抄送的建议书",
    tags: ["建议书"],
    security,
    request: { query: RecommendationViewParams },
    responses: {
      200: { description: "建议书列表", content: { "application/json": { schema: RecommendationListSchema } } },
      ...errorResponses([400, 401, 403, 429]),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/cases",
    summary: "已发布的典型案例",
    tags: ["典型案例"],
    security,
    request: { query: CaseParams },
    responses: {
      200: { description: "一页案例", content: { "application/json": { schema: CasePageSchema } } },
      ...errorResponses([400, 401, 403, 429]),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/items/{itemId}/progress",
    summary: "报送事项进展（需读写令牌）",
    tags: ["台账"],
    security,
    request: {
      params: z.object({ itemId: z.string().openapi({ description: "事项 id" }) }),
      body: { required: true, content: { "application/json": { schema: ProgressInputSchema } } },
    },
    responses: {
      200: { description: "已报送", content: { "application/json": { schema: ProgressResultSchema } } },
      ...errorResponses([400, 401, 403, 404, 409, 413, 429]),
    },
  });
  registerCluePaths(registry, security);
  registerLitigationPaths(registry, security);
  registerListingPaths(registry);
  registerExportPath(registry);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  cachedDocument = generator.generateDocument({
    openapi: "3.1.0",
    info: {
      title: "会商协同 数据交换接口（互联互通）",
      version: "1.0.0",
      description:
        '供其他业务系统调用的版本化接口。所有非 2xx 应答均为 { "error": { "id", "message" } }，message 为中文说明。',
    },
    servers: [{ url: "/" }],
  });
  return cachedDocument;
}
