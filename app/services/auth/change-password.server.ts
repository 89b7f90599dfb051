import { parseWithZod } from "@conform-to/zod";
import { json, redirect } from "@remix-run/node";
import { transaction, database } from "~/models/unit-of-work.server";
import { invalid, isDomainError } from "~/domain/errors";
import { recordAudit } from "~/models/audit.server";
import { getPasswordHash, setUserPassword } from "~/models/user.server";
import { conformReply } from "~/utils/errors";
import type { EventBus } from "~/domain/events";
import { PASSWORD_FIELDS, PasswordChangeSchema } from "~/utils/password-rule";
import { clientIp, readFormData } from "~/utils/request.server";
import type { CurrentUser } from "./current-user.server";
import { getLucia } from "./auth.server";
import { hashPassword, verifyPassword } from "./password.server";
import { endUserSessionsIn } from "./sessions.server";

/**
 * Changes the user's own password and signs them out everywhere: every session is invalidated (and
 * every live connection they hold closed) and a fresh one is issued for this browser only. Also the
 * first-sign-in password of an account an administrator created or reset. Refused (400) when the
 * current password is wrong.
 */
export async function changePassword(
  input: {
    userId: string;
    displayName: string;
    orgId: string | null;
    currentPassword: string;
    newPassword: string;
    ip: string | null;
    userAgent: string | null;
  },
  events: EventBus,
): Promise<{ setCookie: string }> {
  const db = database();
  const hash = await getPasswordHash(db, input.userId);
  if (hash === null || !(await verifyPassword(hash, input.currentPassword)))
    throw invalid("当前密码不正确", { currentPassword: ["当前密码不正确"] });
  const passwordHash = await hashPassword(input.newPassword);
  const lucia = getLucia();
  const announce = await transaction(async (tx) => {
    await setUserPassword(tx, input.userId, passwordHash, { mustChange: false });
    const ended = await endUserSessionsIn(tx, events, input.userId);
    await recordAudit(tx, {
      actorId: input.userId,
      actorName: input.displayName,
      orgId: input.orgId,
      action: "auth.password_changed",
      targetType: "User",
      targetId: input.userId,
      summary: `${input.displayName} 修改了密码，其他设备上的登录已全部退出`,
      ip: input.ip,
    });
    return ended;
  });
  announce();
  const session = await lucia.createSession(input.userId, { ip: input.ip, userAgent: input.userAgent });
  return { setCookie: lucia.createSessionCookie(session.id).serialize() };
}

/** The password forms' action (account page, first sign-in): validate, change, redirect with the new cookie. */
export async function passwordChangeAction(request: Request, user: CurrentUser, events: EventBus, redirectTo: string) {
  const submission = parseWithZod(await readFormData(request), { schema: PasswordChangeSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: PASSWORD_FIELDS }), { status: 400 });
  try {
    const { setCookie } = await changePassword(
      {
        userId: user.id,
        displayName: user.displayName,
        orgId: user.memberships[0]?.org.id ?? null,
        currentPassword: submission.value.currentPassword,
        newPassword: submission.value.newPassword,
        ip: clientIp(request),
        userAgent: request.headers.get("User-Agent"),
      },
      events,
    );
    return redirect(redirectTo, { headers: { "Set-Cookie": setCookie } });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json(submission.reply({ ...conformReply(error), hideFields: PASSWORD_FIELDS }), { status: error.status });
  }
}
