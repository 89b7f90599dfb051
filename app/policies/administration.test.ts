import { describe, expect, it } from "vitest";
import type { OrgKind, RegionLevel, Role } from "~/domain/organization";
import type { Actor, Placement } from "../domain/actor";
import { canAccessAdmin, canAdminister, canViewOrgData, visibleRegionScopes } from "./administration";

// Region tree: province P ⊃ city C ⊃ county K ⊃ township T; sibling city C2.
const P = "/p/";
const C = "/p/c/";
const C2 = "/p/c2/";
const K = "/p/c/k/";
const T = "/p/c/k/t/";
const levelOf: Record<string, RegionLevel> = {
  [P]: "PROVINCE",
  [C]: "CITY",
  [C2]: "CITY",
  [K]: "COUNTY",
  [T]: "TOWNSHIP",
};

function actor(role: Role, orgKind: OrgKind, regionPath: string, orgId = `org-${orgKind}-${regionPath}`): Actor {
  return {
    userId: `u-${role}`,
    memberships: [{ orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel: levelOf[regionPath] }],
  };
}
const at = (regionPath: string, orgId = `target${regionPath}`): Placement => ({ orgId, regionPath });

describe("administration policy truth table", () => {
  // [who, target region, may administer]
  const table: Array<[string, Actor, string, boolean]> = [
    ["city admin, own city", actor("ADMIN", "JUSTICE_BUREAU", C), C, true],
    ["city admin, county below", actor("ADMIN", "JUSTICE_BUREAU", C), K, true],
    ["city admin, township below", actor("ADMIN", "JUSTICE_BUREAU", C), T, true],
    ["city admin, province above", actor("ADMIN", "JUSTICE_BUREAU", C), P, false],
    ["city admin, sibling city", actor("ADMIN", "JUSTICE_BUREAU", C), C2, false],
    ["province admin, any city", actor("ADMIN", "JUSTICE_BUREAU", P), C2, true],
    ["county admin, city above", actor("ADMIN", "JUSTICE_BUREAU", K), C, false],
    ["coordinator is no admin", actor("COORDINATOR", "JUSTICE_BUREAU", C), C, false],
    ["drafter is no admin", actor("DRAFTER", "COURT", C), C, false],
    ["liaison is no admin", actor("LIAISON", "PROCURATORATE", C), C, false],
    ["publisher is no admin", actor("PUBLISHER", "JUSTICE_BUREAU", C), C, false],
    ["viewer is no admin", actor("VIEWER", "ENFORCEMENT_AGENCY", C), C, false],
  ];
  const actions = ["org.update", "user.update", "user.resetPassword", "membership.manage", "audit.view"] as const;
  for (const [name, who, region, expected] of table) {
    for (const action of actions) {
      it(`${name}: ${action} → ${expected}`, () => {
        expect(canAdminister(who, action, at(region))).toBe(expected);
      });
    }
  }

  it("admin pages: only ADMIN members get in", () => {
    expect(canAccessAdmin(actor("ADMIN", "COURT", C))).toBe(true);
    for (const role of ["COORDINATOR", "DRAFTER", "LIAISON", "PUBLISHER", "VIEWER"] as const) {
      expect(canAccessAdmin(actor(role, "JUSTICE_BUREAU", P))).toBe(false);
    }
  });

  it("an actor with no memberships can do nothing", () => {
    const nobody: Actor = { userId: "x", memberships: [] };
    expect(canAccessAdmin(nobody)).toBe(false);
    expect(canAdminister(nobody, "audit.view")).toBe(false);
    expect(canViewOrgData(nobody, at(C))).toBe(false);
  });
});

describe("org data visibility (上级监督下级)", () => {
  const table: Array<[string, Actor, Placement, boolean]> = [
    ["own org", actor("VIEWER", "ENFORCEMENT_AGENCY", C, "me"), at(C, "me"), true],
    ["another org, same region, non-supervising", actor("DRAFTER", "ENFORCEMENT_AGENCY", C, "me"), at(C), false],
    ["court sees no other org", actor("LIAISON", "COURT", C, "me"), at(K), false],
    ["city justice bureau sees county below", actor("VIEWER", "JUSTICE_BUREAU", C), at(K), true],
    ["city justice bureau sees township below", actor("COORDINATOR", "JUSTICE_BUREAU", C), at(T), true],
    ["city justice bureau does not see sibling city", actor("COORDINATOR", "JUSTICE_BUREAU", C), at(C2), false],
    ["county justice bureau does not see the city", actor("COORDINATOR", "JUSTICE_BUREAU", K), at(C), false],
    ["city government sees its county", actor("VIEWER", "GOVERNMENT", C), at(K), true],
    ["procuratorate does not see lower levels", actor("COORDINATOR", "PROCURATORATE", C), at(K), false],
  ];
  for (const [name, who, target, expected] of table) {
    it(`${name} → ${expected}`, () => expect(canViewOrgData(who, target)).toBe(expected));
  }

  it("list scopes are the supervising memberships' regions only", () => {
    expect(visibleRegionScopes(actor("COORDINATOR", "JUSTICE_BUREAU", C))).toEqual([C]);
    expect(visibleRegionScopes(actor("COORDINATOR", "COURT", C))).toEqual([]);
  });
});
