import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { getLitigationReport } from "~/services/api/litigation.server";

/** GET /api/v1/litigation/{id} — one quarter's figures and cases (ADR 025, 027). */
export function loader({ request, params }: LoaderFunctionArgs) {
  return handleApiCall(request, "READ", (client) => getLitigationReport(client, params.reportId));
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request);
}
