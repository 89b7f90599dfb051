import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { listRecommendations } from "~/services/api/v1.server";

/** GET /api/v1/recommendations — the org's recommendations (ADR 027). */
export function loader({ request }: LoaderFunctionArgs) {
  return handleApiCall(request, "READ", (client) => listRecommendations(client, new URL(request.url)));
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request);
}
