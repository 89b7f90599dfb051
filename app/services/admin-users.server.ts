import { database, isUniqueViolation, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { getOrganization } from "~/models/organization.server";
import {
  clearAccountLoginThrottle,
  countUserMemberships,
  createMembership,
  createUser,
  deleteMembership,
  findMembership,
  getMembership,
  getUserByUsername,
  getUserForAdmin,
  setUserPassword,
  updateMembershipRole,
  updateUserProfile,
} from "~/models/user.server";
import type { AdminAction } from "~/policies/administration";
import { endUserSessions } from "~/services/auth/sessions.server";
import { hashPassword } from "~/services/auth/password.server";
import { ROLE_LABELS, isRole, type Role } from "~/domain/organization";
import { forbidden, invalid } from "~/domain/errors";
import { httpError } from "~/utils/errors";
import { newId } from "~/utils/ids";
import { idField } from "~/utils/validation";
import { administers, auditActor, type AdminContext } from "./admin.server";

/**
 * Commands of the 用户 pages. The route has resolved the user named by the URL (requireManagedUser);
 * each command loads the org or membership its input names, checks the admin's scope, writes with its
 * audit row in one transaction and ends the user's sessions after commit where the change requires it.
 * Refusals are domain errors with the field they concern.
 */

export const USERNAME_TAKEN = "用户名已被使用";
const MEMBERSHIP_EXISTS = "该用户在此单位已有该角色";
const NO_SUCH_MEMBERSHIP = "该单位身份不存在或已被移除，请刷新页面。";

/** Account-wide changes of an admin of another region belong to that region's admins. */
export const FOREIGN_ADMIN_MESSAGE =
  "该用户同时是您管理范围以外单位的管理员，其账号信息和密码只能由相应区划的管理员修改。";

function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : role;
}

/**
 * The user named by the URL, if the admin may manage them: 404 for unknown ids, 403 unless the
 * user has at least one membership in an org the admin administers.
 */
export async function requireManagedUser(ctx: AdminContext, userIdParam: string | undefined, action: AdminAction) {
  const parsed = idField.safeParse(userIdParam);
  const user = parsed.success ? await getUserForAdmin(database(), parsed.data) : null;
  if (!user) throw httpError("NOT_FOUND", "该用户不存在。");
  const managed = user.memberships.filter((m) =>
    administers(ctx, action, { orgId: m.org.id, regionPath: m.org.region.path }),
  );
  if (managed.length === 0) throw httpError("FORBIDDEN", "该用户不在您的管理范围内。");
  // Account-wide changes (name, active, password) of an admin of a region outside the actor's
  // scope would hand the actor that admin's wider powers: those belong to that region's admins.
  const foreignAdmin = user.memberships.some(
    (m) => m.role === "ADMIN" && !administers(ctx, action, { orgId: m.org.id, regionPath: m.org.region.path }),
  );
  return { user, auditOrgId: managed[0].org.id, foreignAdmin };
}

export type ManagedUser = Awaited<ReturnType<typeof requireManagedUser>>;

/** An active org of the admin's scope for a new membership, or a refusal on `orgId`. */
async function managedOrg(ctx: AdminContext, orgId: string, action: AdminAction) {
  const org = await getOrganization(database(), orgId);
  if (!org || !org.active || !administers(ctx, action, { orgId: org.id, regionPath: org.region.path }))
    throw invalid("请选择您管理范围内的启用单位", { orgId: ["请选择您管理范围内的启用单位"] });
  return org;
}

export async function adminCreateUser(
  ctx: AdminContext,
  input: { username: string; displayName: string; password: string; orgId: string; role: Role },
): Promise<{ id: string }> {
  const org = await managedOrg(ctx, input.orgId, "user.create");
  const passwordHash = await hashPassword(input.password);
  try {
    return await transaction(async (tx) => {
      if (await getUserByUsername(tx, input.username)) throw invalid(USERNAME_TAKEN, { username: [USERNAME_TAKEN] });
      const user = await createUser(tx, {
        id: newId(),
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        mustChangePassword: true,
      });
      await createMembership(tx, { id: newId(), userId: user.id, orgId: org.id, role: input.role });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: org.id,
        action: "user.created",
        targetType: "User",
        targetId: user.id,
        summary: `新建用户 ${user.displayName}（${user.username}），单位：${org.name}，角色：${roleLabel(input.role)}`,
      });
      return { id: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid(USERNAME_TAKEN, { username: [USERNAME_TAKEN] });
    throw error;
  }
}

/** Name and active flag. Deactivating ends every session of the user; nobody deactivates themselves. */
export async function adminUpdateUserProfile(
  ctx: AdminContext,
  { user, auditOrgId, foreignAdmin }: ManagedUser,
  input: { displayName: string; active: boolean },
): Promise<{ changed: boolean }> {
  if (foreignAdmin) throw forbidden(FOREIGN_ADMIN_MESSAGE);
  if (user.id === ctx.user.id && !input.active)
    throw invalid("不能停用您本人的账号", { active: ["不能停用您本人的账号"] });
  const changes: string[] = [];
  if (user.displayName !== input.displayName) changes.push(`姓名「${user.displayName}」→「${input.displayName}」`);
  if (user.active !== input.active) changes.push(input.active ? "重新启用账号" : "停用账号并注销其全部登录会话");
  if (changes.length === 0) return { changed: false };
  await transaction(async (tx) => {
    await updateUserProfile(tx, user.id, input);
    await recordAudit(tx, {
      ...auditActor(ctx),
      orgId: auditOrgId,
      action: "user.updated",
      targetType: "User",
      targetId: user.id,
      summary: `修改用户 ${user.username}：${changes.join("；")}`,
    });
  });
  if (user.active && !input.active) await endUserSessions(ctx.events, user.id);
  // A new name shows at once in the user's own pages and presence (cached sessions are forgotten).
  else ctx.events.publish({ type: "user.access_changed", userId: user.id });
  return { changed: true };
}

export async function adminAddMembership(
  ctx: AdminContext,
  { user }: ManagedUser,
  input: { orgId: string; role: Role },
): Promise<{ id: string }> {
  const org = await managedOrg(ctx, input.orgId, "membership.manage");
  const { role } = input;
  try {
    const membership = await transaction(async (tx) => {
      if (await findMembership(tx, { userId: user.id, orgId: org.id, role }))
        throw invalid(MEMBERSHIP_EXISTS, { role: [MEMBERSHIP_EXISTS] });
      const created = await createMembership(tx, { id: newId(), userId: user.id, orgId: org.id, role });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: org.id,
        action: "membership.added",
        targetType: "User",
        targetId: user.id,
        summary: `为用户 ${user.displayName}（${user.username}）添加单位身份：${org.name} · ${roleLabel(role)}`,
      });
      return created;
    });
    ctx.events.publish({ type: "user.access_changed", userId: user.id });
    return { id: membership.id };
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid(MEMBERSHIP_EXISTS, { role: [MEMBERSHIP_EXISTS] });
    throw error;
  }
}

/** A membership of the user that the admin may change (`verb`: 修改 / 移除); the admin's own ADMIN one is not. */
async function managedMembership(ctx: AdminContext, user: ManagedUser["user"], membershipId: string, verb: string) {
  const membership = await getMembership(database(), membershipId);
  if (!membership || membership.userId !== user.id) throw invalid(NO_SUCH_MEMBERSHIP);
  if (!administers(ctx, "membership.manage", { orgId: membership.org.id, regionPath: membership.org.region.path }))
    throw forbidden(`该单位不在您的管理范围内，不能${verb}此身份。`);
  if (user.id === ctx.user.id && membership.role === "ADMIN")
    throw invalid(`不能${verb}您本人的管理员身份，请由其他管理员操作。`);
  return membership;
}

/**
 * Removes one membership; a user keeps at least one (deactivate the account instead). `stillManaged`:
 * whether the admin still manages the user afterwards.
 */
export async function adminRemoveMembership(
  ctx: AdminContext,
  { user }: ManagedUser,
  membershipId: string,
): Promise<{ stillManaged: boolean }> {
  const membership = await managedMembership(ctx, user, membershipId, "移除");
  await transaction(async (tx) => {
    if ((await countUserMemberships(tx, user.id)) <= 1)
      throw invalid("用户至少需要保留一个单位身份。如不再使用该账号，请改为停用账号。");
    await deleteMembership(tx, membership.id);
    await recordAudit(tx, {
      ...auditActor(ctx),
      orgId: membership.org.id,
      action: "membership.removed",
      targetType: "User",
      targetId: user.id,
      summary: `移除用户 ${user.displayName}（${user.username}）的单位身份：${membership.org.name} · ${roleLabel(membership.role)}`,
    });
  });
  ctx.events.publish({ type: "user.access_changed", userId: user.id });
  const stillManaged = user.memberships.some(
    (m) =>
      m.id !== membership.id && administers(ctx, "user.update", { orgId: m.org.id, regionPath: m.org.region.path }),
  );
  return { stillManaged };
}

/** Changes the role of one membership in place (e.g. 起草人 → 只读用户); the user's live connections follow at once. */
export async function adminChangeRole(
  ctx: AdminContext,
  { user }: ManagedUser,
  input: { membershipId: string; role: Role },
): Promise<{ changed: boolean }> {
  const membership = await managedMembership(ctx, user, input.membershipId, "修改");
  const { role } = input;
  if (membership.role === role) return { changed: false };
  try {
    await transaction(async (tx) => {
      await updateMembershipRole(tx, membership.id, role);
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: membership.org.id,
        action: "membership.role_changed",
        targetType: "User",
        targetId: user.id,
        summary: `修改用户 ${user.displayName}（${user.username}）在 ${membership.org.name} 的角色：${roleLabel(membership.role)} → ${roleLabel(role)}`,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid(MEMBERSHIP_EXISTS);
    throw error;
  }
  ctx.events.publish({ type: "user.access_changed", userId: user.id });
  return { changed: true };
}

/**
 * Sets a new password chosen by the admin, lifts any sign-in lock, and ends every session of the
 * user; the user must choose their own password at the next sign-in.
 */
export async function adminResetPassword(
  ctx: AdminContext,
  { user, auditOrgId, foreignAdmin }: ManagedUser,
  password: string,
): Promise<void> {
  if (foreignAdmin) throw forbidden(FOREIGN_ADMIN_MESSAGE);
  const passwordHash = await hashPassword(password);
  await transaction(async (tx) => {
    await setUserPassword(tx, user.id, passwordHash, { mustChange: true });
    await clearAccountLoginThrottle(tx, user.username);
    await recordAudit(tx, {
      ...auditActor(ctx),
      orgId: auditOrgId,
      action: "auth.password_reset",
      targetType: "User",
      targetId: user.id,
      summary: `管理员重置了用户 ${user.displayName}（${user.username}）的密码，并注销其全部登录会话`,
    });
  });
  await endUserSessions(ctx.events, user.id);
}
