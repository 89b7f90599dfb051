import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getItemFacts } from "~/models/tracked-item.server";
import { canReadItem } from "~/policies/tracked-item";
import { requireUser } from "~/services/auth/current-user.server";
import { httpError } from "~/utils/errors";
import { attachmentResponse } from "~/utils/file-response.server";

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** GET /items/:id/attachments/:attachmentId — an attachment of a progress report, for whoever may read the item. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!ID.test(params.itemId ?? "") || !ID.test(params.attachmentId ?? ""))
    throw httpError("NOT_FOUND", "附件不存在。");
  const facts = await getItemFacts(getDb(), params.itemId!);
  if (!facts) throw httpError("NOT_FOUND", "附件不存在。");
  if (!canReadItem(user.actor, facts)) throw httpError("FORBIDDEN", "您无权查看该附件。");
  const file = await getDb().attachment.findFirst({
    where: { id: params.attachmentId, report: { itemId: facts.id } },
    select: { fileName: true, mimeType: true, size: true, data: true, sha256: true },
  });
  if (!file) throw httpError("NOT_FOUND", "附件不存在。");
  return attachmentResponse(file);
}
