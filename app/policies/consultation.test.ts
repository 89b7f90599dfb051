import { describe, expect, it } from "vitest";
import type { OrgKind, Role } from "~/domain/organization";
import type { Actor } from "../domain/actor";
import { authorizeConsultation, authorizeReply, canConvene, consultationAccess } from "./consultation";
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
const facts = (
  participants: ConsultationFacts["participants"],
  conveningRegionPath = CITY,
  status = "PLANNED",
): ConsultationFacts => ({
  conveningOrgId: "sfj",
  conveningRegionPath,
  status,
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
      "colleague a person invited by name delegated to",
      actor("LIAISON", "procu", "PROCURATORATE", CITY, "p2"),
      facts([{ orgId: "procu", userId: "p1", delegateUserId: "p2" }]),
      "read",
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

describe("invitation decisions (ADR 021)", () => {
  const court = { orgId: "court", userId: null };
  const person = { orgId: "procu", userId: "p1", delegateUserId: "p2" };
  const coordinator = actor("COORDINATOR", "sfj", "JUSTICE_BUREAU");
  const drafter = actor("DRAFTER", "sfj", "JUSTICE_BUREAU");

  it("any member of an invited org answers its row; a named row only its person or their delegate", () => {
    const f = facts([court, person]);
    expect(authorizeReply(actor("VIEWER", "court", "COURT"), f, court).allowed).toBe(true);
    expect(authorizeReply(actor("VIEWER", "court2", "COURT"), f, court)).toMatchObject({ kind: "forbidden" });
    expect(authorizeReply(actor("LIAISON", "procu", "PROCURATORATE", CITY, "p1"), f, person).allowed).toBe(true);
    expect(authorizeReply(actor("LIAISON", "procu", "PROCURATORATE", CITY, "p2"), f, person).allowed).toBe(true);
    expect(authorizeReply(actor("LIAISON", "procu", "PROCURATORATE", CITY, "p3"), f, person)).toMatchObject({
      kind: "forbidden",
    });
    expect(authorizeReply(coordinator, f, court)).toMatchObject({ kind: "forbidden" });
  });

  it("replies only while PLANNED: a conflict once cancelled or drafting", () => {
    const who = actor("VIEWER", "court", "COURT");
    expect(authorizeReply(who, facts([court], CITY, "CANCELLED"), court)).toMatchObject({
      kind: "conflict",
      reason: "会商已取消，无需回执。",
    });
    expect(authorizeReply(who, facts([court], CITY, "DRAFTING"), court)).toMatchObject({ kind: "conflict" });
  });

  it("the convener reschedules, cancels and chases only while PLANNED; attendance and minutes not once cancelled", () => {
    for (const action of ["reschedule", "cancel", "chaseReplies"] as const) {
      expect(authorizeConsultation(coordinator, action, facts([court])).allowed, action).toBe(true);
      expect(authorizeConsultation(drafter, action, facts([court])), action).toMatchObject({ kind: "forbidden" });
      expect(authorizeConsultation(coordinator, action, facts([court], CITY, "DRAFTING")), action).toMatchObject({
        kind: "conflict",
      });
    }
    for (const action of ["recordAttendance", "createMinutes"] as const) {
      expect(authorizeConsultation(coordinator, action, facts([court], CITY, "DRAFTING")).allowed, action).toBe(true);
      expect(authorizeConsultation(coordinator, action, facts([court], CITY, "CANCELLED")), action).toMatchObject({
        kind: "conflict",
        reason: "会商已取消。",
      });
    }
  });
});
