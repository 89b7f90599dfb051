import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { getLucia } from "~/services/auth/auth.server";
import { getCurrentUser } from "~/services/auth/current-user.server";
import { endSession } from "~/services/auth/sessions.server";
import { clientIp } from "~/utils/request.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Logout takes no fields; the body is read and dropped so an unread one never resets the connection.
  await request.arrayBuffer().catch(() => undefined);
  const lucia = getLucia();
  const user = await getCurrentUser(request);
  if (user) {
    await endSession(context.events, user.id, user.sessionId);
    await recordAudit(getDb(), {
      actorId: user.id,
      actorName: user.displayName,
      orgId: user.memberships[0]?.org.id ?? null,
      action: "auth.logout",
      targetType: "User",
      targetId: user.id,
      summary: `${user.displayName} 退出登录`,
      ip: clientIp(request),
    });
  }
  return redirect("/login", { headers: { "Set-Cookie": lucia.createBlankSessionCookie().serialize() } });
}
