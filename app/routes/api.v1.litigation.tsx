import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { listLitigationReports } from "~/services/api/litigation.server";

/** GET /api/v1/litigation — the 府院联动 quarterly reports the org reads (ADR 025, 027). */
export function loader({ request }: LoaderFunctionArgs) {
  return handleApiCall(request, "READ", (client) => listLitigationReports(client, new URL(request.url)));
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request);
}
