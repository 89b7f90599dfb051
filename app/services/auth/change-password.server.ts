import { getDb } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { getLucia } from "./auth.server";
import { hashPassword, verifyPassword } from "./password.server";

export type ChangePasswordResult = { ok: true; setCookie: string } | { ok: false; field: "currentPassword"; message: string };

/**
 * Changes the user's own password and signs them out everywhere: every session is invalidated and
 * a fresh one is issued for this browser only.
 */
export async function changePassword(input: { userId: string; displayName: string; orgId: string | null; currentPassword: string; newPassword: string; ip: string | null; userAgent: string | null }): Promise<ChangePasswordResult> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, field: "currentPassword", message: "当前密码不正确" };
  }
  const passwordHash = await hashPassword(input.newPassword);
  const lucia = getLucia();
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: { passwordHash, passwordChangedAt: new Date() } });
    await tx.session.deleteMany({ where: { userId: input.userId } });
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
  });
  const session = await lucia.createSession(input.userId, { ip: input.ip, userAgent: input.userAgent });
  return { ok: true, setCookie: lucia.createSessionCookie(session.id).serialize() };
}
