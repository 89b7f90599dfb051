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
