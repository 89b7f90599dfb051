import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getLucia } from "~/services/auth/auth.server";
import { getCurrentUser } from "~/services/auth/current-user.server";
import { signOut } from "~/services/auth/sessions.server";
import { commandContext } from "~/services/context.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Logout takes no fields; the body is read and dropped so an unread one never resets the connection.
  await request.arrayBuffer().catch(() => undefined);
  const lucia = getLucia();
  const user = await getCurrentUser(request);
  if (user) await signOut(user, commandContext(request, context));
  return redirect("/login", { headers: { "Set-Cookie": lucia.createBlankSessionCookie().serialize() } });
}
