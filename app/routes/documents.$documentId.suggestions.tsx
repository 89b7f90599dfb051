import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { invalid } from "~/domain/errors";
import { SUGGESTION_ID_PATTERN } from "~/domain/suggestion";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { requireDocumentAccess } from "~/services/document-access.server";
import { MAX_REVISED_DOCX_BYTES } from "~/services/import/word-revisions";
import { decideSuggestions, importWordRevisions, MAX_SUGGESTION_IDS } from "~/services/suggestions.server";
import { actionError, runAction } from "~/utils/errors";
import { formFiles, isMultipart, readFormData, readMultipartForm } from "~/utils/request.server";
import { idField, z } from "~/utils/validation";

/**
 * /documents/:id/suggestions — 修订 decided from the editor's side panel (ADR 019).
 * POST intent accept | reject (the owner unit's drafters) or withdraw (the author), with one or more
 * `id`s, a unit's (`orgId`) or all (`all=on`); answers `{ ok: true, decided }` or the refusal
 * `{ ok: false, error, id }`.
 * POST multipart intent=import with `file` (导入修订稿): the tracked changes of a revised .docx
 * become the importer's 修订; answers `{ ok: true, placed, unplaced }` or the refusal.
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
  if (isMultipart(request)) return importRevisions(request, context, user, facts);
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

async function importRevisions(
  request: Request,
  context: ActionFunctionArgs["context"],
  user: Awaited<ReturnType<typeof requireUser>>,
  facts: Awaited<ReturnType<typeof requireDocumentAccess>>["facts"],
) {
  const read = await readMultipartForm(request, MAX_REVISED_DOCX_BYTES);
  if (!read.ok) return json(actionError(invalid(read.message)), { status: 400 });
  if (read.form.get("intent") !== "import") return json(actionError(invalid("未知的操作。")), { status: 400 });
  const [file] = await formFiles(read.form, "file");
  if (!file) return json(actionError(invalid("请选择要导入的修订稿（.docx）。")), { status: 400 });
  return runAction(async () => {
    const report = await importWordRevisions(user, facts, file.data, commandContext(request, context));
    return json({ ok: true as const, ...report });
  });
}
