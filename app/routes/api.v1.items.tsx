import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { listItems } from "~/services/api/v1.server";

/** GET /api/v1/items — the 台账 in the token's scope (ADR 027). */
export function loader({ request }: LoaderFunctionArgs) {
  return handleApiCall(request, "READ", (client) => listItems(client, new URL(request.url)));
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request);
}
