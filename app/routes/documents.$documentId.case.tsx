import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getDocumentFacts } from "~/models/document.server";
import { documentAccess } from "~/policies/document";
import { CASE_FIELDS } from "~/domain/typical-case";
import { requireUser } from "~/services/auth/current-user.server";
import {
  overrideFinding,
  publishCase,
  reopenForCorrection,
  runCaseCheck,
  submitCase,
  updateCaseMeta,
  withdrawCase,
} from "~/services/typical-cases.server";
import { httpError } from "~/utils/errors";
import { clientIp, readFormData } from "~/utils/request.server";
import { lineListField, optionalText, text, z } from "~/utils/validation";

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("check") }),
  z.object({ intent: z.literal("override"), key: z.string().min(3).max(260), reason: text({ max: 300 }) }),
  z.object({
    intent: z.literal("meta"),
    title: text({ max: 100 }),
    field: z.enum(CASE_FIELDS, { errorMap: () => ({ message: "请选择领域" }) }),
    batch: text({ max: 20 }),
    parties: lineListField({ maxChars: 3000 }),
  }),
  z.object({ intent: z.literal("submit") }),
  z.object({
    intent: z.literal("publish"),
    slug: z.string().max(80, "网址名称不能超过 80 个字符").default(""),
    note: optionalText({ max: 500 }),
  }),
  z.object({ intent: z.literal("withdraw"), note: text({ max: 500 }) }),
  z.object({ intent: z.literal("reopen"), reason: text({ max: 500 }) }),
]);

/**
 * POST /documents/:id/case — the typical-case workflow around the shared editor: 脱敏检查 (JSON
 * findings for the page), overrides, metadata, 提交审核, 发布, 撤回, 更正. Every answer is JSON.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.documentId ?? "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw httpError("NOT_FOUND", "文书不存在。");
  const facts = await getDocumentFacts(getDb(), id);
  if (!facts || facts.type !== "TYPICAL_CASE") throw httpError("NOT_FOUND", "典型案例不存在。");
  if (documentAccess(user.actor, facts) === "none")
    throw httpError("FORBIDDEN", "您不是此案例的发布单位成员，无权操作。");
  const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0])] ??= []).push(issue.message);
    return json(
      { ok: false as const, message: parsed.error.issues[0]?.message ?? "填写的内容有误。", fieldErrors },
      { status: 400 },
    );
  }
  const v = parsed.data;
  const ctx = { ip: clientIp(request), events: context.events, collab: context.collab };
  const result =
    v.intent === "check"
      ? await runCaseCheck(user, facts, ctx)
      : v.intent === "override"
        ? await overrideFinding(user, facts, { key: v.key, reason: v.reason }, ctx)
        : v.intent === "meta"
          ? await updateCaseMeta(
              user,
              facts,
              { title: v.title, field: v.field, batch: v.batch, parties: v.parties },
              ctx,
            )
          : v.intent === "submit"
            ? await submitCase(user, facts, ctx)
            : v.intent === "publish"
              ? await publishCase(user, facts, { slug: v.slug.trim(), note: v.note }, ctx)
              : v.intent === "withdraw"
                ? await withdrawCase(user, facts, v.note, ctx)
                : await reopenForCorrection(user, facts, v.reason, ctx);
  if (!result.ok)
    return json(
      { ok: false as const, message: result.message, fieldErrors: result.fieldErrors ?? {} },
      { status: result.status },
    );
  return json({ ...result, intent: v.intent });
}

export async function loader() {
  throw httpError("NOT_FOUND");
}
