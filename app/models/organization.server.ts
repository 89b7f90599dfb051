import type { Prisma, Tx } from "~/db.server";

export const orgSelect = {
  id: true,
  name: true,
  shortName: true,
  kind: true,
  active: true,
  regionId: true,
  region: { select: { id: true, name: true, level: true, path: true } },
} as const;

/** An org with its region, as the administration and the commands naming an org read it. */
export type OrganizationRow = Prisma.OrganizationGetPayload<{ select: typeof orgSelect }>;

export async function getOrganization(tx: Tx, id: string): Promise<OrganizationRow | null> {
  return tx.organization.findUnique({ where: { id }, select: orgSelect });
}

export async function getOrganizationByName(tx: Tx, name: string) {
  return tx.organization.findUnique({ where: { name }, select: { id: true } });
}

export async function listOrganizationsInScopes(tx: Tx, scopes: string[]) {
  if (scopes.length === 0) return [];
  return tx.organization.findMany({
    where: { OR: scopes.map((s) => ({ region: { path: { startsWith: s } } })) },
    select: { ...orgSelect, _count: { select: { memberships: true } } },
    orderBy: [{ region: { path: "asc" } }, { name: "asc" }],
  });
}

/** Ids and names of the orgs placed in the scopes, by region then name (a filter's choices). */
export async function listOrganizationChoicesInScopes(tx: Tx, scopes: readonly string[]) {
  if (scopes.length === 0) return [];
  return tx.organization.findMany({
    where: { OR: scopes.map((s) => ({ region: { path: { startsWith: s } } })) },
    select: { id: true, name: true },
    orderBy: [{ region: { path: "asc" } }, { name: "asc" }],
  });
}

/** Ids of the orgs placed in the scopes (for filtering audit events and options). */
export async function listOrganizationIdsInScopes(tx: Tx, scopes: string[]): Promise<string[]> {
  if (scopes.length === 0) return [];
  const rows = await tx.organization.findMany({
    where: { OR: scopes.map((s) => ({ region: { path: { startsWith: s } } })) },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export interface OrganizationInput {
  name: string;
  shortName: string | null;
  kind: string;
  regionId: string;
}

export async function createOrganization(tx: Tx, input: OrganizationInput & { id: string }) {
  return tx.organization.create({
    data: { id: input.id, name: input.name, shortName: input.shortName, kind: input.kind, regionId: input.regionId },
    select: orgSelect,
  });
}

export async function updateOrganization(tx: Tx, id: string, input: OrganizationInput & { active: boolean }) {
  return tx.organization.update({
    where: { id },
    data: {
      name: input.name,
      shortName: input.shortName,
      kind: input.kind,
      regionId: input.regionId,
      active: input.active,
    },
    select: orgSelect,
  });
}

const memberSelect = {
  id: true,
  role: true,
  user: { select: { id: true, username: true, displayName: true, active: true } },
} as const;

export type OrganizationMember = Prisma.MembershipGetPayload<{ select: typeof memberSelect }>;

/** Members of one org with their user, for the admin's org page. */
export async function listOrganizationMembers(tx: Tx, orgId: string): Promise<OrganizationMember[]> {
  return tx.membership.findMany({
    where: { orgId },
    select: memberSelect,
    orderBy: [{ user: { username: "asc" } }, { role: "asc" }],
  });
}

const directorySelect = { id: true, name: true, kind: true, region: { select: { name: true, path: true } } } as const;

export type DirectoryOrganization = Prisma.OrganizationGetPayload<{ select: typeof directorySelect }>;

/** Active orgs under the given region paths, for pickers (the org directory is not secret within a deployment's province). */
export async function listDirectoryOrganizations(tx: Tx, rootPaths: string[]): Promise<DirectoryOrganization[]> {
  if (rootPaths.length === 0) return [];
  return tx.organization.findMany({
    where: { active: true, OR: rootPaths.map((p) => ({ region: { path: { startsWith: p } } })) },
    select: directorySelect,
    orderBy: [{ region: { path: "asc" } }, { name: "asc" }],
  });
}

/** How many of these orgs exist and are active. */
export async function countActiveOrganizations(tx: Tx, ids: readonly string[]): Promise<number> {
  return tx.organization.count({ where: { id: { in: [...ids] }, active: true } });
}

/** Names of orgs by id (unknown ids are absent). */
export async function getOrganizationNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.organization.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return new Map(rows.map((o) => [o.id, o.name]));
}

/** The active ones of these orgs, with their kind (checks of who may issue, receive or be copied). */
export async function listActiveOrganizations(tx: Tx, ids: readonly string[]) {
  return tx.organization.findMany({
    where: { id: { in: [...new Set(ids)] }, active: true },
    select: { id: true, name: true, kind: true },
  });
}
