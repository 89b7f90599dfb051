import type { Tx } from "~/db.server";

export const orgSelect = {
  id: true,
  name: true,
  shortName: true,
  kind: true,
  active: true,
  regionId: true,
  region: { select: { id: true, name: true, level: true, path: true } },
} as const;

export async function getOrganization(tx: Tx, id: string) {
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
