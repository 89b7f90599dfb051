import type { Tx } from "~/db.server";
import type { Actor } from "~/policies/actor";
import { isOrgKind, isRegionLevel, isRole } from "~/utils/domain";

export interface MembershipView {
  id: string;
  role: string;
  org: { id: string; name: string; shortName: string | null; kind: string; region: { id: string; name: string; level: string; path: string } };
}

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

export async function getUserMemberships(tx: Tx, userId: string): Promise<MembershipView[]> {
  return tx.membership.findMany({ where: { userId }, select: membershipSelect, orderBy: { createdAt: "asc" } });
}

/** Builds the policy actor from memberships; rows with unknown vocabularies are ignored. */
export function buildActor(userId: string, memberships: MembershipView[]): Actor {
  return {
    userId,
    memberships: memberships.flatMap((m) => {
      const kind = m.org.kind;
      const level = m.org.region.level;
      if (!isRole(m.role) || !isOrgKind(kind) || !isRegionLevel(level)) return [];
      return [{ orgId: m.org.id, orgKind: kind, role: m.role, regionId: m.org.region.id, regionPath: m.org.region.path, regionLevel: level }];
    }),
  };
}

export async function getUserByUsername(tx: Tx, username: string) {
  return tx.user.findUnique({ where: { username }, select: { id: true, username: true, displayName: true, active: true } });
}

export async function getUserForAdmin(tx: Tx, id: string) {
  return tx.user.findUnique({
    where: { id },
    select: { id: true, username: true, displayName: true, active: true, createdAt: true, memberships: { select: membershipSelect, orderBy: { createdAt: "asc" } } },
  });
}

/** Users having a membership in an org whose region path starts with one of the scopes. */
export async function listUsersInScopes(tx: Tx, scopes: string[], q: string | undefined, take = 200) {
  return tx.user.findMany({
    where: {
      memberships: { some: { org: { OR: scopes.map((s) => ({ region: { path: { startsWith: s } } })) } } },
      ...(q ? { OR: [{ username: { contains: q } }, { displayName: { contains: q } }] } : {}),
    },
    select: {
      id: true,
      username: true,
      displayName: true,
      active: true,
      memberships: { select: { id: true, role: true, org: { select: { id: true, name: true } } } },
    },
    orderBy: { username: "asc" },
    take,
  });
}
