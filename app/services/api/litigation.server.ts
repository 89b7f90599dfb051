import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { LITIGATION_STATUSES, appearanceRate, lossRate, type LitigationStatus } from "~/domain/litigation";
import { loadLitigationIndex, loadLitigationReport } from "~/services/litigation-pages.server";
import type { ApiClient } from "./client.server";
import { errorResponses, iso, isoDate, parseOr400 } from "./contract.server";

/**
 * 府院联动 figures over the data-exchange API (ADR 025, 027): the reports the token's org reads on
 * the 府院联动 page — a court its own, the watching units of a region the submitted ones — and one
 * report's figures with the derived rates and its notable cases.
 */

const ReportListParams = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional().openapi({ description: "年度" }),
    quarter: z.coerce.number().int().min(1).max(4).optional().openapi({ description: "季度 1–4" }),
    status: z.enum(LITIGATION_STATUSES).optional().openapi({ description: "DRAFT 填报中、SUBMITTED 已报送" }),
  })
  .strict();

const ReportSummarySchema = z
  .object({
    id: z.string(),
    court: z.string(),
    year: z.number().int(),
    quarter: z.number().int(),
    status: z.enum(LITIGATION_STATUSES),
    submittedAt: isoDate.nullable(),
    agencies: z.number().int().openapi({ description: "填报的被告单位数" }),
    cases: z.number().int().openapi({ description: "典型案件数" }),
  })
  .openapi("LitigationReportSummary");

const ReportListSchema = z.object({ items: z.array(ReportSummarySchema) }).openapi("LitigationReportList");

const rateSchema = z
  .number()
  .nullable()
  .openapi({ description: "百分比，保留一位小数（以审结数为分母；审结数为 0 时为 null）" });

const ReportSchema = z
  .object({
    id: z.string(),
    court: z.string(),
    region: z.string(),
    year: z.number().int(),
    quarter: z.number().int(),
    status: z.enum(LITIGATION_STATUSES),
    submittedAt: isoDate.nullable(),
    figures: z.array(
      z.object({
        agency: z.string().openapi({ description: "被告单位" }),
        filed: z.number().int().openapi({ description: "收案数" }),
        concluded: z.number().int().openapi({ description: "审结数" }),
        lost: z.number().int().openapi({ description: "行政机关败诉数" }),
        lossRate: rateSchema,
        headAppeared: z.number().int().openapi({ description: "负责人出庭应诉数" }),
        appearanceRate: rateSchema,
        mediatedWithdrawn: z.number().int().openapi({ description: "调解撤诉数" }),
      }),
    ),
    cases: z.array(
      z.object({
        agency: z.string(),
        caseNumber: z.string().openapi({ description: "案号" }),
        cause: z.string().openapi({ description: "案由" }),
        outcome: z.string().openapi({ description: "裁判结果" }),
        problem: z.string().openapi({ description: "暴露的执法问题" }),
      }),
    ),
  })
  .openapi("LitigationReport");

/** GET /api/v1/litigation: the quarterly reports the org reads, newest first. */
export async function listLitigationReports(client: ApiClient, url: URL, now = new Date()) {
  const params = parseOr400(ReportListParams, Object.fromEntries(url.searchParams));
  const { reports } = await loadLitigationIndex(client.user, now);
  const body: z.infer<typeof ReportListSchema> = {
    items: reports
      .filter(
        (r) =>
          (params.year === undefined || r.year === params.year) &&
          (params.quarter === undefined || r.quarter === params.quarter) &&
          (params.status === undefined || r.status === params.status),
      )
      .map((r) => ({
        id: r.id,
        court: r.courtName,
        year: r.year,
        quarter: r.quarter,
        status: r.status as LitigationStatus,
        submittedAt: iso(r.submittedAt),
        agencies: r.agencies,
        cases: r.cases,
      })),
  };
  return body;
}

/** GET /api/v1/litigation/{id}: one report's figures and cases (404 when the org may not read it). */
export async function getLitigationReport(client: ApiClient, reportId: string | undefined) {
  const { facts, detail } = await loadLitigationReport(client.user, reportId ?? "");
  const body: z.infer<typeof ReportSchema> = {
    id: facts.id,
    court: facts.courtName,
    region: facts.regionName,
    year: facts.year,
    quarter: facts.quarter,
    status: facts.status as LitigationStatus,
    submittedAt: iso(detail.submittedAt),
    figures: detail.figures.map((f) => ({
      agency: f.agencyName,
      filed: f.filed,
      concluded: f.concluded,
      lost: f.lost,
      lossRate: lossRate(f),
      headAppeared: f.headAppeared,
      appearanceRate: appearanceRate(f),
      mediatedWithdrawn: f.mediatedWithdrawn,
    })),
    cases: detail.cases.map((c) => ({
      agency: c.agencyName,
      caseNumber: c.caseNumber,
      cause: c.cause,
      outcome: c.outcome,
      problem: c.problem,
    })),
  };
  return body;
}

export function registerLitigationPaths(registry: OpenAPIRegistry, security: Array<Record<string, string[]>>) {
  registry.registerPath({
    method: "get",
    path: "/api/v1/litigation",
    summary: "府院联动行政诉讼季度数据（法院：本院填报的；司法局、人民政府、依法治理办：本地区已报送的）",
    tags: ["府院联动"],
    security,
    request: { query: ReportListParams },
    responses: {
      200: { description: "季度数据列表", content: { "application/json": { schema: ReportListSchema } } },
      ...errorResponses([400, 401, 429]),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/litigation/{reportId}",
    summary: "一个季度的收结案数据（含败诉率、出庭率）和典型案件",
    tags: ["府院联动"],
    security,
    request: { params: z.object({ reportId: z.string().openapi({ description: "季度数据 id" }) }) },
    responses: {
      200: { description: "季度数据", content: { "application/json": { schema: ReportSchema } } },
      ...errorResponses([401, 404, 429]),
    },
  });
}
