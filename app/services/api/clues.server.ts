import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { CLUE_SOURCES, CLUE_STATUSES, FEEDBACK_OUTCOMES, clueRouteLabel } from "~/domain/clue";
import { DomainError } from "~/domain/errors";
import { hasControlChars } from "~/utils/validation";
import { loadClueRegister } from "~/services/clue-pages.server";
import {
  giveClueFeedback,
  receiveClue,
  requireClue,
  returnClue,
  startHandlingClue,
  type ClueContext,
} from "~/services/clues.server";
import type { ApiClient } from "./client.server";
import { errorResponses, iso, isoDate, parseOr400, readJson } from "./contract.server";

/**
 * 线索移送 over the data-exchange API (ADR 027): the receiving unit's system lists its clues and
 * reports 签收, 开始办理, 退回 and 反馈 through the clue commands — the same policy, audit rows and
 * notifications as the clue page. Like the register page, the API never carries a clue's content
 * (问题摘要, 涉及单位, 涉及人员) or its files: those stay on the clue page, for its handlers.
 */

const ClueListParams = z
  .object({
    view: z.enum(["in", "out", "granted"]).optional().openapi({ description: "in 移入、out 移出、granted 授权查阅" }),
    status: z.enum(CLUE_STATUSES).optional().openapi({ description: "状态" }),
    source: z.enum(CLUE_SOURCES).optional().openapi({ description: "线索来源" }),
    overdue: z
      .enum(["receipt", "feedback", "any"])
      .optional()
      .openapi({ description: "receipt 逾期未签收、feedback 逾期未反馈、any 任一逾期" }),
  })
  .strict();

export const ClueRowSchema = z
  .object({
    id: z.string(),
    docNumber: z.string().openapi({ description: "移送文号" }),
    route: z.string().openapi({ description: "移送类别代码" }),
    category: z.string().openapi({ description: "移送类别" }),
    source: z.enum(CLUE_SOURCES),
    status: z.enum(CLUE_STATUSES),
    fromOrg: z.string(),
    toOrg: z.string(),
    transferredAt: isoDate,
    receiptDueAt: isoDate,
    receivedAt: isoDate.nullable(),
    needsFeedback: z.boolean(),
    feedbackDueAt: isoDate.nullable(),
    feedbackAt: isoDate.nullable(),
    feedbackOutcome: z.enum(FEEDBACK_OUTCOMES).nullable(),
  })
  .openapi("Clue");

const ClueListSchema = z
  .object({
    view: z.enum(["in", "out", "granted"]),
    counts: z.record(
      z.enum(["in", "out", "granted"]),
      z.object({ total: z.number().int(), overdueReceipt: z.number().int(), overdueFeedback: z.number().int() }),
    ),
    items: z.array(ClueRowSchema),
  })
  .openapi("ClueList");

const text = (max: number, what: string) =>
  z
    .string()
    .max(max)
    .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, `请填写${what}`)
    .openapi({ description: what, maxLength: max });

export const ClueFeedbackSchema = z
  .object({
    outcome: z
      .enum(FEEDBACK_OUTCOMES)
      .openapi({ description: "办理结果：FILED 立案、PRELIMINARY 初核、NOT_FILED 不予立案、REFERRED 转办" }),
    text: text(2000, "办理情况说明"),
  })
  .strict()
  .openapi("ClueFeedback");

export const ClueReturnSchema = z
  .object({ reason: text(500, "退回原因") })
  .strict()
  .openapi("ClueReturn");

const EmptySchema = z.object({}).strict();

const ClueStepResultSchema = z.object({ ok: z.literal(true), status: z.enum(CLUE_STATUSES) }).openapi("ClueStepResult");

/** GET /api/v1/clues: the register of the token org's clues, as the 线索 page lists it. */
export async function listClues(client: ApiClient, url: URL, now = new Date()) {
  const params = parseOr400(ClueListParams, Object.fromEntries(url.searchParams));
  const { view, counts, rows } = await loadClueRegister(client.user.actor, params.view ?? null, {
    status: params.status,
    source: params.source,
    overdue: params.overdue,
    now,
  });
  const body: z.infer<typeof ClueListSchema> = {
    view,
    counts,
    items: rows.map((r) => ({
      id: r.id,
      docNumber: r.docNumber,
      route: r.route,
      category: clueRouteLabel(r.route),
      source: r.source as (typeof CLUE_SOURCES)[number],
      status: r.status as (typeof CLUE_STATUSES)[number],
      fromOrg: r.fromOrg.name,
      toOrg: r.toOrg.name,
      transferredAt: r.transferredAt.toISOString(),
      receiptDueAt: r.receiptDueAt.toISOString(),
      receivedAt: iso(r.receivedAt),
      needsFeedback: r.needsFeedback,
      feedbackDueAt: iso(r.feedbackDueAt),
      feedbackAt: iso(r.feedbackAt),
      feedbackOutcome: r.feedbackOutcome as (typeof FEEDBACK_OUTCOMES)[number] | null,
    })),
  };
  return body;
}

export type ClueStep = "receipt" | "handling" | "return" | "feedback";

/** An empty body, or `{}`: a step without input refuses anything else rather than ignore it. */
async function readEmpty(request: Request): Promise<void> {
  const declared = request.headers.get("Content-Length");
  if ((declared === null || declared === "0") && !request.headers.get("Content-Type")) return;
  parseOr400(EmptySchema, await readJson(request));
}

/** POST /api/v1/clues/{id}/{step}: one step of the clue's lifecycle through its command. */
export async function postClueStep(
  client: ApiClient,
  clueId: string | undefined,
  step: ClueStep,
  request: Request,
  ctx: ClueContext,
) {
  const facts = await requireClue(client.user, clueId);
  switch (step) {
    case "receipt":
      await readEmpty(request);
      await receiveClue(client.user, facts.id, ctx);
      break;
    case "handling":
      await readEmpty(request);
      await startHandlingClue(client.user, facts.id, ctx);
      break;
    case "return": {
      const input = parseOr400(ClueReturnSchema, await readJson(request));
      await returnClue(client.user, facts.id, input.reason, ctx);
      break;
    }
    case "feedback": {
      const input = parseOr400(ClueFeedbackSchema, await readJson(request));
      await giveClueFeedback(client.user, facts.id, { outcome: input.outcome, text: input.text, files: [] }, ctx);
      break;
    }
    default:
      throw new DomainError("NOT_FOUND", "没有这个接口，请查看 /api/docs。");
  }
  const after = await requireClue(client.user, facts.id);
  const body: z.infer<typeof ClueStepResultSchema> = {
    ok: true,
    status: after.status as (typeof CLUE_STATUSES)[number],
  };
  return body;
}

const STEPS: Array<{ step: ClueStep; summary: string; body?: z.ZodTypeAny }> = [
  { step: "receipt", summary: "签收线索（移入单位）" },
  { step: "handling", summary: "开始办理线索（已签收的线索）" },
  { step: "return", summary: "退回线索（说明原因）", body: ClueReturnSchema },
  { step: "feedback", summary: "反馈办理结果（办理中的线索）", body: ClueFeedbackSchema },
];

export function registerCluePaths(registry: OpenAPIRegistry, security: Array<Record<string, string[]>>) {
  registry.registerPath({
    method: "get",
    path: "/api/v1/clues",
    summary: "本单位移入、移出或获授权查阅的线索（不含问题摘要、涉及单位和涉及人员）",
    tags: ["线索移送"],
    security,
    request: { query: ClueListParams },
    responses: {
      200: { description: "线索登记簿", content: { "application/json": { schema: ClueListSchema } } },
      ...errorResponses([400, 401, 403, 429]),
    },
  });
  for (const s of STEPS) {
    registry.registerPath({
      method: "post",
      path: `/api/v1/clues/{clueId}/${s.step}`,
      summary: `${s.summary}（需读写令牌）`,
      tags: ["线索移送"],
      security,
      request: {
        params: z.object({ clueId: z.string().openapi({ description: "线索 id" }) }),
        ...(s.body ? { body: { required: true, content: { "application/json": { schema: s.body } } } } : {}),
      },
      responses: {
        200: {
          description: "已办理，返回线索的新状态",
          content: { "application/json": { schema: ClueStepResultSchema } },
        },
        ...errorResponses([400, 401, 403, 404, 409, 413, 429]),
      },
    });
  }
}
