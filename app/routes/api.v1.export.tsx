import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed } from "~/services/api/client.server";
import { exportData } from "~/services/api/export.server";
import { clientIp } from "~/utils/request.server";

/** GET /api/v1/export — everything the token's org may read, as one streamed .zip of JSON Lines (ADR 027). */
export function loader({ request }: LoaderFunctionArgs) {
  return handleApiCall(request, "READ", (client) =>
    exportData(client, new URL(request.url), { ip: clientIp(request) }),
  );
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request);
}
