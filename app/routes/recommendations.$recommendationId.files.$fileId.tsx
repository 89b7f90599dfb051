import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getRecommendationFacts } from "~/models/recommendation.server";
import { canReadRecommendation } from "~/policies/recommendation";
import { requireUser } from "~/services/auth/current-user.server";
import { httpError } from "~/utils/errors";
import { attachmentResponse } from "~/utils/file-response.server";

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** GET /recommendations/:id/files/:fileId — the original of a recommendation, for whoever may read it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!ID.test(params.recommendationId ?? "") || !ID.test(params.fileId ?? ""))
    throw httpError("NOT_FOUND", "附件不存在。");
  const facts = await getRecommendationFacts(getDb(), params.recommendationId!);
  if (!facts) throw httpError("NOT_FOUND", "附件不存在。");
  if (!canReadRecommendation(user.actor, facts)) throw httpError("FORBIDDEN", "您无权查看该附件。");
  const file = await getDb().attachment.findFirst({
    where: { id: params.fileId, recommendationId: facts.id },
    select: { fileName: true, mimeType: true, size: true, data: true, sha256: true },
  });
  if (!file) throw httpError("NOT_FOUND", "附件不存在。");
  return attachmentResponse(file);
}
