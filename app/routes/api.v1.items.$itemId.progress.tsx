import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { commandContext } from "~/services/context.server";
import { postProgress } from "~/services/api/v1.server";

/** POST /api/v1/items/{itemId}/progress — 报送进展 (WRITE scope; the item policy decides, ADR 027). */
export function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request);
  const ctx = commandContext(request, context);
  return handleApiCall(request, "WRITE", (client) => postProgress(client, params.itemId, request, ctx));
}

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request);
}
