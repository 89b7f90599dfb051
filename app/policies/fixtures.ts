import type { Actor } from "~/domain/actor";
import type { OrgKind, RegionLevel, Role } from "~/domain/organization";

/**
 * Actors for the policy tests: one membership of `role` in an org of `orgKind` whose region is
 * `regionPath` (paths like "/p/c/": province, city, county by depth), and several joined into one.
 */
export function testActor(role: Role, orgId: string, orgKind: OrgKind, regionPath: string): Actor {
  const depth = regionPath.split("/").filter(Boolean).length;
  const regionLevel: RegionLevel =
    (["PROVINCE", "CITY", "COUNTY", "TOWNSHIP"] as const)[Math.min(depth, 4) - 1] ?? "CITY";
  return {
    userId: `u-${orgId}-${role}`,
    memberships: [{ orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel }],
  };
}

export const joinActors = (...actors: Actor[]): Actor => ({
  userId: actors[0]?.userId ?? "u",
  memberships: actors.flatMap((a) => a.memberships),
});
