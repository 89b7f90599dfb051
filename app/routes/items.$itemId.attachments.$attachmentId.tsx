import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { readItemAttachment } from "~/services/tracked-items.server";
import { orThrowHttp } from "~/utils/errors";
import { attachmentResponse } from "~/utils/file-response.server";

/** GET /items/:id/attachments/:attachmentId — an attachment of a progress report, for whoever may read the item. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await orThrowHttp(() => readItemAttachment(user, params.itemId, params.attachmentId));
  return attachmentResponse(file);
}
