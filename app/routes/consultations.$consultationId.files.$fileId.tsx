import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { readConsultationFile } from "~/services/consultation-access.server";
import { orThrowHttp } from "~/utils/errors";
import { attachmentResponse } from "~/utils/file-response.server";

/**
 * GET /consultations/:consultationId/files/:fileId — a material of a consultation (会议材料; for a
 * 个案咨询 the case file), for whoever reads the consultation: its units and its 特邀 guests.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await orThrowHttp(() => readConsultationFile(user, params.consultationId, params.fileId));
  return attachmentResponse(file);
}
