import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { readRecommendationFile } from "~/services/recommendation-pages.server";
import { orThrowHttp } from "~/utils/errors";
import { attachmentResponse } from "~/utils/file-response.server";

/** GET /recommendations/:id/files/:fileId — the original of a recommendation, for whoever may read it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await orThrowHttp(() => readRecommendationFile(user, params.recommendationId, params.fileId));
  return attachmentResponse(file);
}
