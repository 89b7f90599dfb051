import { describe, expect, it } from "vitest";
import type { OrgKind, Role } from "~/domain/organization";
import type { Actor } from "../domain/actor";
import { canConvene, consultationAccess } from "./consultation";
import { type ConsultationAccess, type ConsultationFacts } from "../domain/consultation";

const CITY = "/p/c/";
const COUNTY = "/p/c/k/";
const actor = (
  role: Role,
  orgId: string,
  kind: OrgKind = "ENFORCEMENT_AGENCY",
  regionPath = CITY,
  userId = "u",
): Actor => ({
  userId,
  memberships: [{ orgId, orgKind: kind, role, regionId: regionPath, regionPath, regionLevel: "CITY" }],
});
const facts = (participants: ConsultationFacts["participants"], conveningRegionPath = CITY): ConsultationFacts => ({
  conveningOrgId: "sfj",
  conveningRegionPath,
  participants,
});

describe("consultation access truth table", () => {
  const invitedCourt = [{ orgId: "court", userId: null }];
  const table: Array<[string, Actor, ConsultationFacts, ConsultationAccess]> = [
    ["convening coordinator", actor("COORDINATOR", "sfj", "JUSTICE_BUREAU"), facts([]), "manage"],
    ["convening admin", actor("ADMIN", "sfj", "JUSTICE_BUREAU"), facts([]), "manage"],
    ["convening drafter", actor("DRAFTER", "sfj", "JUSTICE_BUREAU"), facts([]), "read"],
    ["invited court liaison", actor("LIAISON", "court", "COURT"), facts(invitedCourt), "read"],
    ["uninvited court liaison", actor("LIAISON", "court2", "COURT"), facts(invitedCourt), "none"],
    ["uninvited procuratorate liaison", actor("LIAISON", "procu", "PROCURATORATE"), facts(invitedCourt), "none"],
    [
      "person invited by name",
      actor("LIAISON", "procu", "PROCURATORATE", CITY, "p1"),
      facts([{ orgId: "procu", userId: "p1" }]),
      "read",
    ],
    [
      "colleague of a person invited by name",
      actor("LIAISON", "procu", "PROCURATORATE", CITY, "p2"),
      facts([{ orgId: "procu", userId: "p1" }]),
      "none",
    ],
    [
      "city justice bureau over a county consultation",
      actor("VIEWER", "cjb", "JUSTICE_BUREAU"),
      facts([], COUNTY),
      "read",
    ],
    ["city court over a county consultation", actor("COORDINATOR", "cc", "COURT"), facts([], COUNTY), "none"],
  ];
  for (const [name, who, f, expected] of table)
    it(`${name} → ${expected}`, () => expect(consultationAccess(who, f)).toBe(expected));

  it("only ADMIN and COORDINATOR convene for their own org", () => {
    expect(canConvene(actor("COORDINATOR", "sfj"), "sfj")).toBe(true);
    expect(canConvene(actor("DRAFTER", "sfj"), "sfj")).toBe(false);
    expect(canConvene(actor("COORDINATOR", "sfj"), "other")).toBe(false);
  });
});
