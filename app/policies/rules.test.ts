import { describe, expect, it } from "vitest";
import type { Actor, ActorMembership } from "~/domain/actor";
import { ROLES, type OrgKind, type Role } from "~/domain/organization";
import {
  ACTING_ROLES,
  COORDINATING_ROLES,
  DECIDING_ROLES,
  DRAFTING_ROLES,
  PUBLISHING_ROLES,
  WRITING_ROLES,
  actorSupervises,
  hasRole,
  orgsWithRole,
  supervisesBelow,
  type RoleSet,
} from "./rules";

// Region tree: province P ⊃ city C ⊃ county K; sibling city C2 (whose path starts like C's name).
const P = "/p/";
const C = "/p/c/";
const C2 = "/p/c2/";
const K = "/p/c/k/";

function membership(
  role: Role,
  orgId: string,
  orgKind: OrgKind = "ENFORCEMENT_AGENCY",
  regionPath = C,
): ActorMembership {
  return { orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel: "CITY" };
}
const actor = (...memberships: ActorMembership[]): Actor => ({ userId: "u1", memberships });
const members = (set: RoleSet) => ROLES.filter((r) => set.has(r));

describe("role sets", () => {
  it("acting: everyone but VIEWER and PUBLISHER", () => {
    expect(members(ACTING_ROLES)).toEqual(["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"]);
  });
  it("drafting: ADMIN, COORDINATOR, DRAFTER", () => {
    expect(members(DRAFTING_ROLES)).toEqual(["ADMIN", "COORDINATOR", "DRAFTER"]);
  });
  it("deciding: ADMIN and COORDINATOR", () => {
    expect(members(DECIDING_ROLES)).toEqual(["ADMIN", "COORDINATOR"]);
  });
  it("writing: everyone but VIEWER", () => {
    expect(members(WRITING_ROLES)).toEqual(["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON", "PUBLISHER"]);
  });
  it("coordinating: COORDINATOR only (not ADMIN)", () => {
    expect(members(COORDINATING_ROLES)).toEqual(["COORDINATOR"]);
  });
  it("publishing: PUBLISHER only", () => {
    expect(members(PUBLISHING_ROLES)).toEqual(["PUBLISHER"]);
  });
  it("no set holds a role outside ROLES", () => {
    for (const set of [
      ACTING_ROLES,
      DRAFTING_ROLES,
      DECIDING_ROLES,
      WRITING_ROLES,
      COORDINATING_ROLES,
      PUBLISHING_ROLES,
    ])
      expect(members(set).length).toBe(set.size);
  });
});

describe("hasRole", () => {
  const a = actor(membership("DRAFTER", "o1"), membership("VIEWER", "o2"));

  it("true for a role of the set in that org", () => {
    expect(hasRole(a, "o1", DRAFTING_ROLES)).toBe(true);
  });
  it("false for a role outside the set, in another org, or for no org", () => {
    expect(hasRole(a, "o1", DECIDING_ROLES)).toBe(false);
    expect(hasRole(a, "o2", DRAFTING_ROLES)).toBe(false);
    expect(hasRole(a, "o3", DRAFTING_ROLES)).toBe(false);
    expect(hasRole(a, null, DRAFTING_ROLES)).toBe(false);
  });
  it("roles do not carry over between an actor's orgs", () => {
    // DRAFTER in o1 and VIEWER in o2 does not make a drafter of o2
    expect(hasRole(a, "o2", WRITING_ROLES)).toBe(false);
  });
  it("an actor without memberships has no role", () => {
    expect(hasRole(actor(), "o1", ACTING_ROLES)).toBe(false);
  });
});

describe("orgsWithRole", () => {
  it("the orgs, in membership order, where the actor holds a role of the set", () => {
    const a = actor(
      membership("LIAISON", "o1"),
      membership("VIEWER", "o2"),
      membership("COORDINATOR", "o3"),
      membership("PUBLISHER", "o4"),
    );
    expect(orgsWithRole(a, ACTING_ROLES)).toEqual(["o1", "o3"]);
    expect(orgsWithRole(a, PUBLISHING_ROLES)).toEqual(["o4"]);
    expect(orgsWithRole(a, DECIDING_ROLES)).toEqual(["o3"]);
    expect(orgsWithRole(actor(), ACTING_ROLES)).toEqual([]);
  });
});

describe("supervisesBelow (上级监督下级)", () => {
  const table: Array<[string, ActorMembership, string, boolean]> = [
    ["city justice bureau, county below", membership("VIEWER", "s", "JUSTICE_BUREAU", C), K, true],
    ["province government, city below", membership("VIEWER", "g", "GOVERNMENT", P), C, true],
    [
      "province rule-of-law office, county two levels below",
      membership("VIEWER", "r", "RULE_OF_LAW_OFFICE", P),
      K,
      true,
    ],
    ["city justice bureau, its own region", membership("ADMIN", "s", "JUSTICE_BUREAU", C), C, false],
    ["city justice bureau, the province above", membership("ADMIN", "s", "JUSTICE_BUREAU", C), P, false],
    ["city justice bureau, sibling city with a like prefix", membership("ADMIN", "s", "JUSTICE_BUREAU", C), C2, false],
    ["county justice bureau, the city above", membership("ADMIN", "s", "JUSTICE_BUREAU", K), C, false],
    ["province court (not supervising)", membership("ADMIN", "c", "COURT", P), K, false],
    ["province procuratorate (not supervising)", membership("ADMIN", "p", "PROCURATORATE", P), K, false],
    ["province justice office (not supervising)", membership("ADMIN", "j", "JUSTICE_OFFICE", P), K, false],
  ];
  for (const [name, m, region, expected] of table)
    it(`${name} → ${expected}`, () => expect(supervisesBelow(m, region)).toBe(expected));

  it("the supervising kinds can be narrowed or widened", () => {
    const gov = membership("VIEWER", "g", "GOVERNMENT", P);
    const court = membership("VIEWER", "c", "COURT", P);
    expect(supervisesBelow(gov, C, new Set<OrgKind>(["JUSTICE_BUREAU"]))).toBe(false);
    expect(supervisesBelow(court, C, new Set<OrgKind>(["COURT"]))).toBe(true);
  });
});

describe("actorSupervises", () => {
  it("true when any membership supervises the region", () => {
    const a = actor(membership("DRAFTER", "court", "COURT", P), membership("VIEWER", "sfj", "JUSTICE_BUREAU", C));
    expect(actorSupervises(a, K)).toBe(true);
    expect(actorSupervises(a, C)).toBe(false);
    expect(actorSupervises(a, C2)).toBe(false);
  });

  it("honours the kinds", () => {
    const a = actor(membership("VIEWER", "gov", "GOVERNMENT", P));
    expect(actorSupervises(a, C)).toBe(true);
    expect(actorSupervises(a, C, new Set<OrgKind>(["JUSTICE_BUREAU"]))).toBe(false);
    expect(actorSupervises(actor(), C)).toBe(false);
  });
});
