import { getDb, isUniqueViolation } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import {
  clearAccountLoginThrottle,
  countUserMemberships,
  createMembership,
  createUser,
  deleteMembership,
  findMembership,
  getUserByUsername,
  setUserPassword,
  updateMembershipRole,
  updateUserProfile,
} from "~/models/user.server";
import { endUserSessions } from "~/services/auth/sessions.server";
import { hashPassword } from "~/services/auth/password.server";
import { ROLE_LABELS, isRole, type Role } from "~/domain/organization";
import { newId } from "~/utils/ids";
import { auditActor, fail, type AdminContext, type WriteResult } from "./admin.server";

/**
 * Writes of the 用户 pages. Callers have parsed the input, loaded the user/org/membership it names
 * and authorized the actor on them; these functions write with their audit row in one transaction
 * and end the user's sessions after commit where the change requires it.
 */

interface OrgRef {
  id: string;
  name: string;
}

export interface TargetUser {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
}

const USERNAME_TAKEN = "用户名已被使用";
const MEMBERSHIP_EXISTS = "该用户在此单位已有该角色";

function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : role;
}

export async function adminCreateUser(
  ctx: AdminContext,
  input: { username: string; displayName: string; password: string; org: OrgRef; role: Role },
): Promise<WriteResult<{ id: string }>> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().$transaction(async (tx) => {
      if (await getUserByUsername(tx, input.username)) return fail({ username: [USERNAME_TAKEN] });
      const user = await createUser(tx, {
        id: newId(),
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        mustChangePassword: true,
      });
      await createMembership(tx, { id: newId(), userId: user.id, orgId: input.org.id, role: input.role });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: input.org.id,
        action: "user.created",
        targetType: "User",
        targetId: user.id,
        summary: `新建用户 ${user.displayName}（${user.username}），单位：${input.org.name}，角色：${roleLabel(input.role)}`,
      });
      return { ok: true as const, value: { id: user.id } };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail({ username: [USERNAME_TAKEN] });
    throw error;
  }
}

/** Name and active flag. Deactivating ends every session of the user. */
export async function adminUpdateUserProfile(
  ctx: AdminContext,
  user: TargetUser,
  input: { displayName: string; active: boolean },
  auditOrgId: string,
): Promise<WriteResult<{ changed: boolean }>> {
  const changes: string[] = [];
  if (user.displayName !== input.displayName) changes.push(`姓名「${user.displayName}」→「${input.displayName}」`);
  if (user.active !== input.active) changes.push(input.active ? "重新启用账号" : "停用账号并注销其全部登录会话");
  if (changes.length === 0) return { ok: true, value: { changed: false } };
  await getDb().$transaction(async (tx) => {
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
  return { ok: true, value: { changed: true } };
}

export async function adminAddMembership(
  ctx: AdminContext,
  user: TargetUser,
  org: OrgRef,
  role: Role,
): Promise<WriteResult<{ id: string }>> {
  try {
    const result = await getDb().$transaction(async (tx) => {
      if (await findMembership(tx, { userId: user.id, orgId: org.id, role }))
        return fail({ role: [MEMBERSHIP_EXISTS] });
      const membership = await createMembership(tx, { id: newId(), userId: user.id, orgId: org.id, role });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: org.id,
        action: "membership.added",
        targetType: "User",
        targetId: user.id,
        summary: `为用户 ${user.displayName}（${user.username}）添加单位身份：${org.name} · ${roleLabel(role)}`,
      });
      return { ok: true as const, value: { id: membership.id } };
    });
    if (result.ok) ctx.events.publish({ type: "user.access_changed", userId: user.id });
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) return fail({ role: [MEMBERSHIP_EXISTS] });
    throw error;
  }
}

/** Removes one membership; a user keeps at least one (deactivate the account instead). */
export async function adminRemoveMembership(
  ctx: AdminContext,
  user: TargetUser,
  membership: { id: string; role: string; org: OrgRef },
): Promise<WriteResult<{ id: string }>> {
  const result = await getDb().$transaction(async (tx) => {
    if ((await countUserMemberships(tx, user.id)) <= 1) {
      return fail({ "": ["用户至少需要保留一个单位身份。如不再使用该账号，请改为停用账号。"] });
    }
    await deleteMembership(tx, membership.id);
    await recordAudit(tx, {
      ...auditActor(ctx),
      orgId: membership.org.id,
      action: "membership.removed",
      targetType: "User",
      targetId: user.id,
      summary: `移除用户 ${user.displayName}（${user.username}）的单位身份：${membership.org.name} · ${roleLabel(membership.role)}`,
    });
    return { ok: true as const, value: { id: membership.id } };
  });
  if (result.ok) ctx.events.publish({ type: "user.access_changed", userId: user.id });
  return result;
}

/** Changes the role of one membership in place (e.g. 起草人 → 只读用户); the user's live connections follow at once. */
export async function adminChangeRole(
  ctx: AdminContext,
  user: TargetUser,
  membership: { id: string; role: string; org: OrgRef },
  role: Role,
): Promise<WriteResult<{ changed: boolean }>> {
  if (membership.role === role) return { ok: true, value: { changed: false } };
  try {
    await getDb().$transaction(async (tx) => {
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
    if (isUniqueViolation(error)) return fail({ role: [MEMBERSHIP_EXISTS] });
    throw error;
  }
  ctx.events.publish({ type: "user.access_changed", userId: user.id });
  return { ok: true, value: { changed: true } };
}

/**
 * Sets a new password chosen by the admin, lifts any sign-in lock, and ends every session of the
 * user; the user must choose their own password at the next sign-in.
 */
export async function adminResetPassword(
  ctx: AdminContext,
  user: TargetUser,
  password: string,
  auditOrgId: string,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await getDb().$transaction(async (tx) => {
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
