import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireAdmin } from "~/services/admin.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  return redirect("/admin/orgs");
}

/** A UI route (not a resource route), so a 403 renders the Chinese error page inside the shell. */
export default function AdminIndex() {
  return null;
}
