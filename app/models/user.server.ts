import type { Prisma, Tx } from "~/db.server";
import type { Actor } from "~/domain/actor";
import { isExternalKind } from "~/domain/external";
import { isOrgKind, isRegionLevel, isRole } from "~/domain/organization";

const membershipSelect = {
  id: true,
  role: true,
  org: {
    select: {
      id: true,
      name: true,
      shortName: true,
      kind: true,
      region: { select: { id: true, name: true, level: true, path: true } },
    },
  },
} as const;

/** One membership of a user with its org and the org's region. */
export type MembershipView = Prisma.MembershipGetPayload<{ select: typeof membershipSelect }>;

export async function getUserMemberships(tx: Tx, userId: string): Promise<MembershipView[]> {
  return tx.membership.findMany({ where: { userId }, select: membershipSelect, orderBy: { createdAt: "asc" } });
}

/** The memberships of an active user; null when the user is disabled or unknown. */
export async function getActiveUserMemberships(tx: Tx, userId: string): Promise<MembershipView[] | null> {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { active: true, memberships: { select: membershipSelect, orderBy: { createdAt: "asc" } } },
  });
  return user?.active ? user.memberships : null;
}

/** Memberships of several users at once (the periodic access re-check of live connections). */
export async function getMembershipsOfUsers(
  tx: Tx,
  userIds: readonly string[],
): Promise<Map<string, MembershipView[]>> {
  const rows = await tx.membership.findMany({
    where: { userId: { in: [...userIds] }, user: { active: true } },
    select: { ...membershipSelect, userId: true },
    orderBy: { createdAt: "asc" },
  });
  const out = new Map<string, MembershipView[]>(userIds.map((id) => [id, []]));
  for (const { userId, ...m } of rows) out.get(userId)?.push(m);
  return out;
}

/** Builds the policy actor from memberships; rows with unknown vocabularies are ignored. */
export function buildActor(userId: string, memberships: MembershipView[], externalKind?: string | null): Actor {
  return {
    userId,
    external: isExternalKind(externalKind) ? externalKind : null,
    memberships: memberships.flatMap((m) => {
      const kind = m.org.kind;
      const level = m.org.region.level;
      if (!isRole(m.role) || !isOrgKind(kind) || !isRegionLevel(level)) return [];
      return [
        {
          orgId: m.org.id,
          orgKind: kind,
          role: m.role,
          regionId: m.org.region.id,
          regionPath: m.org.region.path,
          regionLevel: level,
        },
      ];
    }),
  };
}

export async function getUserByUsername(tx: Tx, username: string) {
  return tx.user.findUnique({
    where: { username },
    select: { id: true, username: true, displayName: true, active: true },
  });
}

const adminUserSelect = {
  id: true,
  username: true,
  displayName: true,
  active: true,
  createdAt: true,
  memberships: { select: membershipSelect, orderBy: { createdAt: "asc" } },
} as const;

/** A user as the administration shows them: the account and every membership with its org and region. */
export type AdminUser = Prisma.UserGetPayload<{ select: typeof adminUserSelect }>;

export async function getUserForAdmin(tx: Tx, id: string): Promise<AdminUser | null> {
  return tx.user.findUnique({ where: { id }, select: adminUserSelect });
}

const userRowSelect = {
  id: true,
  username: true,
  displayName: true,
  active: true,
  memberships: { select: { id: true, role: true, org: { select: { id: true, name: true } } } },
} as const;

export type AdminUserRow = Prisma.UserGetPayload<{ select: typeof userRowSelect }>;

/** Users having a membership in an org whose region path starts with one of the scopes. */
export async function listUsersInScopes(
  tx: Tx,
  scopes: string[],
  q: string | undefined,
  take = 200,
): Promise<AdminUserRow[]> {
  return tx.user.findMany({
    where: {
      memberships: { some: { org: { OR: scopes.map((s) => ({ region: { path: { startsWith: s } } })) } } },
      ...(q ? { OR: [{ username: { contains: q } }, { displayName: { contains: q } }] } : {}),
    },
    select: userRowSelect,
    orderBy: { username: "asc" },
    take,
  });
}

export async function createUser(
  tx: Tx,
  input: {
    id: string;
    username: string;
    displayName: string;
    passwordHash: string;
    mustChangePassword?: boolean;
    /** An outside participant's account (ADR 024): its kind; null/absent for agency staff. */
    externalKind?: string | null;
  },
) {
  return tx.user.create({
    data: {
      id: input.id,
      username: input.username,
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      mustChangePassword: input.mustChangePassword ?? false,
      externalKind: input.externalKind ?? null,
    },
    select: { id: true, username: true, displayName: true },
  });
}

export async function updateUserProfile(tx: Tx, id: string, input: { displayName: string; active: boolean }) {
  return tx.user.update({
    where: { id },
    data: { displayName: input.displayName, active: input.active },
    select: { id: true },
  });
}

/**
 * Sets a new password hash and clears the per-account lockout counters; `mustChange` when an
 * administrator chose it (the user sets their own at the next sign-in).
 */
export async function setUserPassword(tx: Tx, id: string, passwordHash: string, opts: { mustChange: boolean }) {
  return tx.user.update({
    where: { id },
    data: {
      passwordHash,
      passwordChangedAt: new Date(),
      failedLogins: 0,
      lockedUntil: null,
      mustChangePassword: opts.mustChange,
    },
    select: { id: true },
  });
}

/** Lifts the sign-in throttle of one account (the key sign-in uses: `user:<username>`). */
export async function clearAccountLoginThrottle(tx: Tx, username: string): Promise<void> {
  await tx.loginThrottle.deleteMany({ where: { key: `user:${username}` } });
}

export async function getMembership(tx: Tx, id: string) {
  return tx.membership.findUnique({ where: { id }, select: { ...membershipSelect, userId: true } });
}

export async function findMembership(tx: Tx, input: { userId: string; orgId: string; role: string }) {
  return tx.membership.findUnique({ where: { userId_orgId_role: input }, select: { id: true } });
}

export async function createMembership(tx: Tx, input: { id: string; userId: string; orgId: string; role: string }) {
  return tx.membership.create({ data: input, select: { id: true } });
}

export async function updateMembershipRole(tx: Tx, id: string, role: string): Promise<void> {
  await tx.membership.update({ where: { id }, data: { role } });
}

export async function deleteMembership(tx: Tx, id: string): Promise<void> {
  await tx.membership.delete({ where: { id } });
}

export async function countUserMemberships(tx: Tx, userId: string): Promise<number> {
  return tx.membership.count({ where: { userId } });
}

/** Active users with a membership in one of `orgIds`, or listed by id, with their memberships (mention pickers). */
export async function listPeopleOfOrgs(tx: Tx, input: { orgIds: readonly string[]; userIds?: readonly string[] }) {
  return tx.user.findMany({
    where: {
      active: true,
      OR: [
        { memberships: { some: { orgId: { in: [...input.orgIds] } } } },
        ...(input.userIds?.length ? [{ id: { in: [...input.userIds] } }] : []),
      ],
    },
    select: {
      id: true,
      displayName: true,
      memberships: { select: { orgId: true, role: true, org: { select: { name: true, shortName: true } } } },
    },
    orderBy: { displayName: "asc" },
  });
}

/** Of `userIds`, the active users with a membership of the org (in any role). */
export async function listActiveMemberIds(tx: Tx, orgId: string, userIds: readonly string[]): Promise<string[]> {
  const rows = await tx.membership.findMany({
    where: { orgId, userId: { in: [...userIds] }, user: { active: true } },
    select: { userId: true },
  });
  return rows.map((r) => r.userId);
}

/** Active users holding one of `roles` in one of the orgs (who is notified for them). */
export async function listActiveUserIdsWithRole(
  tx: Tx,
  orgIds: readonly string[],
  roles: readonly string[],
): Promise<string[]> {
  const rows = await tx.membership.findMany({
    where: { orgId: { in: [...orgIds] }, role: { in: [...roles] }, user: { active: true } },
    select: { userId: true },
  });
  return rows.map((r) => r.userId);
}

/** Active members of the orgs with their names, by name (pickers of people, e.g. 主持人 / 记录人). */
export async function listActiveStaff(tx: Tx, orgIds: readonly string[]) {
  return tx.membership.findMany({
    where: { orgId: { in: [...orgIds] }, user: { active: true } },
    select: { userId: true, orgId: true, user: { select: { displayName: true } }, org: { select: { name: true } } },
    orderBy: { user: { displayName: "asc" } },
  });
}

/**
 * Active users holding one of `roles` in one of `orgIds`, one row per membership: who is told
 * about an item, a recommendation or a deadline.
 */
export async function listActiveMembers(
  tx: Tx,
  orgIds: readonly string[],
  roles: readonly string[],
): Promise<Array<{ userId: string; orgId: string; role: string }>> {
  if (orgIds.length === 0) return [];
  return tx.membership.findMany({
    where: { orgId: { in: [...new Set(orgIds)] }, role: { in: [...roles] }, user: { active: true } },
    select: { userId: true, orgId: true, role: true },
  });
}

/** Display names of users by id (unknown ids are absent). */
export async function getUserNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, displayName: true },
  });
  return new Map(rows.map((u) => [u.id, u.displayName]));
}

const signInSelect = {
  id: true,
  displayName: true,
  passwordHash: true,
  active: true,
  mustChangePassword: true,
  memberships: { select: { orgId: true }, take: 1, orderBy: { createdAt: "asc" } },
} as const;

export type SignInUser = Prisma.UserGetPayload<{ select: typeof signInSelect }>;

/** What signing in checks about an account (its first org is the audit's), or null. */
export async function getSignInUser(tx: Tx, username: string): Promise<SignInUser | null> {
  return tx.user.findUnique({ where: { username }, select: signInSelect });
}

/** The stored password hash of a user, or null when there is no such user. */
export async function getPasswordHash(tx: Tx, id: string): Promise<string | null> {
  return (await tx.user.findUnique({ where: { id }, select: { passwordHash: true } }))?.passwordHash ?? null;
}

/** Whether the user closed the 工作台's first-use card. */
export async function isTourDismissed(tx: Tx, userId: string): Promise<boolean> {
  const row = await tx.user.findUnique({ where: { id: userId }, select: { tourDismissedAt: true } });
  return row?.tourDismissedAt != null;
}

export async function dismissTour(tx: Tx, userId: string, at: Date): Promise<void> {
  await tx.user.updateMany({ where: { id: userId, tourDismissedAt: null }, data: { tourDismissedAt: at } });
}
