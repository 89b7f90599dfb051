import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { notFoundCall } from "~/services/api/client.server";

/** Any other path under /api/v1/: a typed 404 in the API's shape (not the HTML error page). */
export function loader({ request }: LoaderFunctionArgs) {
  return notFoundCall(request);
}

export function action({ request }: ActionFunctionArgs) {
  return notFoundCall(request);
}
