import type { Prisma, Tx } from "~/db.server";
import type { RegionLevel } from "~/domain/organization";

export const regionSelect = { id: true, name: true, level: true, code: true, parentId: true, path: true } as const;

export async function getRegion(tx: Tx, id: string) {
  return tx.region.findUnique({ where: { id }, select: regionSelect });
}

/** Regions strictly below `path` (the query form of `regionBelow`: 上级监督下级 in list scopes). */
export function belowRegionWhere(path: string): Prisma.RegionWhereInput {
  return { path: { startsWith: path, not: path } };
}

/** Regions at or below any of the scope paths, ordered for a tree. */
export async function listRegionsInScopes(tx: Tx, scopes: string[]) {
  if (scopes.length === 0) return [];
  return tx.region.findMany({
    where: { OR: scopes.map((s) => ({ path: { startsWith: s } })) },
    select: regionSelect,
    orderBy: { path: "asc" },
  });
}

export interface CreateRegionInput {
  id: string;
  name: string;
  level: RegionLevel;
  code?: string | null;
  parent: { id: string; path: string } | null;
}

export async function createRegion(tx: Tx, input: CreateRegionInput) {
  return tx.region.create({
    data: {
      id: input.id,
      name: input.name,
      level: input.level,
      code: input.code ?? null,
      parentId: input.parent?.id ?? null,
      path: `${input.parent?.path ?? "/"}${input.id}/`,
    },
    select: regionSelect,
  });
}

export async function getRegionByCode(tx: Tx, code: string) {
  return tx.region.findUnique({ where: { code }, select: { id: true } });
}

/** A child of `parentId` with exactly this name, if any (names are unique among siblings by convention). */
export async function findChildRegionByName(tx: Tx, parentId: string, name: string) {
  return tx.region.findFirst({ where: { parentId, name }, select: { id: true } });
}
