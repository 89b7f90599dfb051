import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { CASE_FIELDS } from "~/domain/typical-case";
import { invalid, isDomainError, type DomainError } from "~/domain/errors";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import {
  loadCaseFacts,
  overrideFinding,
  publishCase,
  reopenForCorrection,
  runCaseCheck,
  submitCase,
  updateCaseMeta,
  withdrawCase,
} from "~/services/typical-cases.server";
import { actionError, httpError, orThrowHttp } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { lineListField, optionalText, text, z, zodFieldErrors } from "~/utils/validation";

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
 * The refusal body of this JSON API: the contract's `{ ok: false, error, id, fieldErrors }`, with the
 * message also as `message` (what the case panel and API clients read) and `fieldErrors` always present.
 */
function refusal(error: DomainError) {
  return json(
    { ...actionError(error), message: error.message, fieldErrors: error.fieldErrors ?? {} },
    { status: error.status },
  );
}

/**
 * POST /documents/:id/case — the typical-case workflow around the shared editor: 脱敏检查 (JSON
 * findings for the page), overrides, metadata, 提交审核, 发布, 撤回, 更正. Every answer is JSON.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const facts = await orThrowHttp(() => loadCaseFacts(user, params.documentId));
  const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success)
    return refusal(invalid(parsed.error.issues[0]?.message ?? "填写的内容有误。", zodFieldErrors(parsed.error)));
  const v = parsed.data;
  const ctx = commandContext(request, context);
  try {
    switch (v.intent) {
      case "check":
        return json({ ok: true as const, intent: v.intent, ...(await runCaseCheck(user, facts, ctx)) });
      case "override":
        await overrideFinding(user, facts, { key: v.key, reason: v.reason }, ctx);
        break;
      case "meta":
        await updateCaseMeta(user, facts, { title: v.title, field: v.field, batch: v.batch, parties: v.parties }, ctx);
        break;
      case "submit":
        return json({ ok: true as const, intent: v.intent, ...(await submitCase(user, facts, ctx)) });
      case "publish":
        return json({
          ok: true as const,
          intent: v.intent,
          ...(await publishCase(user, facts, { slug: v.slug.trim(), note: v.note }, ctx)),
        });
      case "withdraw":
        await withdrawCase(user, facts, v.note, ctx);
        break;
      case "reopen":
        await reopenForCorrection(user, facts, v.reason, ctx);
        break;
    }
    return json({ ok: true as const, intent: v.intent });
  } catch (error) {
    if (isDomainError(error)) return refusal(error);
    throw error;
  }
}

export async function loader() {
  throw httpError("NOT_FOUND");
}
