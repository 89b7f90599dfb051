import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { COMMENT_MAX_LENGTH, QUOTE_MAX_LENGTH } from "~/domain/comment";
import { invalid } from "~/domain/errors";
import { requireUser } from "~/services/auth/current-user.server";
import {
  changeComment,
  openThread,
  presentComments,
  replyToThread,
  setThreadResolved,
} from "~/services/comments.server";
import { commandContext } from "~/services/context.server";
import { requireDocumentAccess } from "~/services/document-access.server";
import { actionError, orThrowHttp, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { idField, z } from "~/utils/validation";

/**
 * /documents/:id/comments — 批注 of a document (ADR 017), as JSON for the editor's side panel.
 * GET: the threads, the viewer's abilities and the people and units they may mention.
 * POST: one intent per form; answers `{ ok: true, … }` or the refusal `{ ok: false, error, id }`.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  return json(await orThrowHttp(() => presentComments(user, facts)), {
    headers: { "Cache-Control": "private, no-store" },
  });
}

/** A Yjs relative position as the editor serialized it (checked again when it is resolved). */
const relativePosition = z
  .string({ required_error: "请先选中要批注的文字。" })
  .max(2000, "选区信息无效，请重新选择。")
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "选区信息无效，请重新选择。" });
      return z.NEVER;
    }
  });

const body = z
  .string({ required_error: "批注内容不能为空。", invalid_type_error: "批注内容格式不正确。" })
  .max(COMMENT_MAX_LENGTH + 100, `批注内容不能超过 ${COMMENT_MAX_LENGTH} 个字符。`);
const mentions = z.array(idField).max(20, "一条批注最多提及 20 个人员或单位。").default([]);

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("open"),
    anchor: relativePosition,
    head: relativePosition,
    quote: z.string({ required_error: "请先选中要批注的文字。" }).max(QUOTE_MAX_LENGTH + 500, "选中的文字过长。"),
    body,
    mentionUser: mentions,
    mentionOrg: mentions,
  }),
  z.object({ intent: z.literal("reply"), threadId: idField, body, mentionUser: mentions, mentionOrg: mentions }),
  z.object({ intent: z.enum(["resolve", "reopen"]), threadId: idField }),
  z.object({ intent: z.literal("edit"), commentId: idField, body }),
  z.object({ intent: z.literal("delete"), commentId: idField }),
]);

/** Form fields as the intent schemas read them (repeated mention fields become arrays). */
function intentInput(form: FormData) {
  const fields: Record<string, unknown> = Object.fromEntries(form);
  fields.mentionUser = form.getAll("mentionUser");
  fields.mentionOrg = form.getAll("mentionOrg");
  return fields;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const parsed = Intent.safeParse(intentInput(await readFormData(request)));
  if (!parsed.success)
    return json(actionError(invalid(parsed.error.issues[0]?.message ?? "未知的操作。")), { status: 400 });
  const ctx = commandContext(request, context);
  const input = parsed.data;
  return runAction(async () => {
    switch (input.intent) {
      case "open": {
        const mentionInput = { userIds: input.mentionUser, orgIds: input.mentionOrg };
        const selection = { anchor: input.anchor, head: input.head, quote: input.quote };
        const { threadId } = await openThread(
          user,
          facts,
          { ...selection, body: input.body, mentions: mentionInput },
          ctx,
        );
        return json({ ok: true as const, threadId });
      }
      case "reply": {
        const mentionInput = { userIds: input.mentionUser, orgIds: input.mentionOrg };
        const { commentId } = await replyToThread(user, facts, { ...input, mentions: mentionInput }, ctx);
        return json({ ok: true as const, commentId });
      }
      case "resolve":
      case "reopen":
        await setThreadResolved(user, facts, { threadId: input.threadId, resolved: input.intent === "resolve" }, ctx);
        return json({ ok: true as const });
      case "edit":
      case "delete":
        await changeComment(
          user,
          facts,
          { commentId: input.commentId, body: input.intent === "edit" ? input.body : null },
          ctx,
        );
        return json({ ok: true as const });
    }
  });
}
