import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { listListings } from "~/services/api/listings.server";

/** GET /api/v1/listings — the 联合挂牌督办 cases in the token's ledger scope (ADR 027). */
export function loader({ request }: LoaderFunctionArgs) {
  return handleApiCall(request, "READ", (client) => listListings(client, new URL(request.url)));
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request);
}
