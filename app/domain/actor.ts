import type { ExternalKind } from "~/domain/external";
import type { OrgKind, RegionLevel, Role } from "~/domain/organization";

/**
 * What policies know about the signed-in user: one entry per membership, with the org's region
 * path ("/province/city/county/") so region containment is a prefix test.
 */
export interface ActorMembership {
  orgId: string;
  orgKind: OrgKind;
  role: Role;
  regionId: string;
  regionPath: string;
  regionLevel: RegionLevel;
}

export interface Actor {
  userId: string;
  memberships: readonly ActorMembership[];
  /** An outside participant (专家, 特邀监督员, 代表/委员, ADR 024): no memberships, invited things only. */
  external?: ExternalKind | null;
}

/** The org/region a resource sits in. */
export interface Placement {
  orgId: string;
  regionPath: string;
}

/** true when `inner` is `outer` or below it in the region tree. */
export function regionContains(outerPath: string, innerPath: string): boolean {
  return innerPath.startsWith(outerPath);
}

/** true when `inner` lies strictly below `outer`: 上级监督下级 reaches the lower regions, not its own. */
export function regionBelow(outerPath: string, innerPath: string): boolean {
  return innerPath !== outerPath && regionContains(outerPath, innerPath);
}

/**
 * The regions whose lower regions the actor supervises (上级监督下级): those of its memberships in
 * orgs of `kinds`. Policies test one region with `regionBelow`; list queries turn these into a where.
 */
export function supervisingRegionPaths(actor: Actor, kinds: ReadonlySet<string>): string[] {
  return [...new Set(actor.memberships.filter((m) => kinds.has(m.orgKind)).map((m) => m.regionPath))];
}

/** A region's path and those of the regions above it ("/p/c/k/" → "/p/", "/p/c/", "/p/c/k/"). */
export function regionAndAncestorPaths(regionPath: string): string[] {
  const ids = regionPath.split("/").filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i + 1).join("/")}/`);
}

/** The province a region lies in ("/p/c/k/" → "/p/"): the org directory is shared within one. */
export function provinceRootPath(regionPath: string): string {
  return `/${regionPath.split("/").filter(Boolean)[0] ?? ""}/`;
}

/** The provinces of the actor's memberships (the directories its pickers offer). */
export function actorProvinceRoots(actor: Actor): string[] {
  return [...new Set(actor.memberships.map((m) => provinceRootPath(m.regionPath)))];
}
