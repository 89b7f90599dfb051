import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { listCases } from "~/services/api/v1.server";

/** GET /api/v1/cases — published typical cases (ADR 027). */
export function loader({ request }: LoaderFunctionArgs) {
  return handleApiCall(request, "READ", () => listCases(new URL(request.url)));
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request);
}
