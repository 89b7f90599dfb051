import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { invalid } from "~/domain/errors";
import { SUGGESTION_ID_PATTERN } from "~/domain/suggestion";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { requireDocumentAccess } from "~/services/document-access.server";
import { decideSuggestions, MAX_SUGGESTION_IDS } from "~/services/suggestions.server";
import { actionError, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { idField, z } from "~/utils/validation";

/**
 * /documents/:id/suggestions — 修订 decided from the editor's side panel (ADR 019).
 * POST intent accept | reject (the owner unit's drafters) or withdraw (the author), with one or more
 * `id`s, a unit's (`orgId`) or all (`all=on`); answers `{ ok: true, decided }` or the refusal
 * `{ ok: false, error, id }`.
 */
const suggestionId = z
  .string({ invalid_type_error: "修订编号格式不正确。" })
  .regex(SUGGESTION_ID_PATTERN, "修订编号格式不正确。");

const Input = z
  .object({
    intent: z.enum(["accept", "reject", "withdraw"], { errorMap: () => ({ message: "未知的操作。" }) }),
    id: z.array(suggestionId).max(MAX_SUGGESTION_IDS, `一次最多处理 ${MAX_SUGGESTION_IDS} 条修订。`),
    orgId: idField.optional(),
    all: z.literal("on").optional(),
  })
  .refine((v) => v.id.length > 0 || v.orgId || v.all, { message: "请选择要处理的修订。" });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const form = await readFormData(request);
  const parsed = Input.safeParse({
    intent: form.get("intent"),
    id: form.getAll("id"),
    orgId: form.get("orgId") || undefined,
    all: form.get("all") || undefined,
  });
  if (!parsed.success)
    return json(actionError(invalid(parsed.error.issues[0]?.message ?? "未知的操作。")), { status: 400 });
  const { intent, id, orgId, all } = parsed.data;
  const scope = id.length ? { ids: id } : orgId ? { orgId } : { all: true as const };
  return runAction(async () => {
    const { decided } = await decideSuggestions(
      user,
      facts,
      intent,
      all && !id.length ? { all: true } : scope,
      commandContext(request, context),
    );
    return json({ ok: true as const, decided });
  });
}
