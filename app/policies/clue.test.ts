import { describe, expect, it } from "vitest";
import type { Actor } from "~/domain/actor";
import { CLUE_STATUSES, type ClueFacts, type ClueStatus } from "~/domain/clue";
import { ROLES, type OrgKind, type Role } from "~/domain/organization";
import {
  authorizeClue,
  authorizeTransfer,
  canViewClueStats,
  clueAbilities,
  clueHandlerOrgIds,
  clueRelation,
  clueStatsOrgIds,
  isClueHandler,
  isGrantableUnit,
  transferringOrgIds,
  type ClueAction,
} from "./clue";

const PROVINCE = "/p/";
const CITY = "/p/c/";
const OTHER_CITY = "/p/o/";

function actor(role: Role, orgId: string, orgKind: OrgKind, regionPath = CITY): Actor {
  return {
    userId: "u1",
    memberships: [{ orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel: "CITY" }],
  };
}
const join = (...actors: Actor[]): Actor => ({ userId: "u1", memberships: actors.flatMap((a) => a.memberships) });

// 市司法局 ("sfj") transfers to 市纪委监委 ("jw"); 省纪委监委 ("pjw") is granted access.
function clue(status: ClueStatus = "TRANSFERRED", overrides: Partial<ClueFacts> = {}): ClueFacts {
  return { fromOrgId: "sfj", toOrgId: "jw", status, needsFeedback: true, grantOrgIds: ["pjw"], ...overrides };
}

/** The units an actor's org may have to the clue, with the answer of `clueRelation` for a COORDINATOR. */
const UNITS: Array<{ name: string; orgId: string; kind: OrgKind; region: string; relation: string | null }> = [
  { name: "sending unit", orgId: "sfj", kind: "JUSTICE_BUREAU", region: CITY, relation: "sender" },
  { name: "receiving unit", orgId: "jw", kind: "DISCIPLINE_COMMISSION", region: CITY, relation: "receiver" },
  {
    name: "granted upper commission",
    orgId: "pjw",
    kind: "DISCIPLINE_COMMISSION",
    region: PROVINCE,
    relation: "granted",
  },
  { name: "upper-region justice bureau", orgId: "psfj", kind: "JUSTICE_BUREAU", region: PROVINCE, relation: null },
  {
    name: "upper commission not granted",
    orgId: "pjw2",
    kind: "DISCIPLINE_COMMISSION",
    region: PROVINCE,
    relation: null,
  },
  { name: "抄送-like same-city procuratorate", orgId: "procu", kind: "PROCURATORATE", region: CITY, relation: null },
  { name: "same-city government", orgId: "gov", kind: "GOVERNMENT", region: CITY, relation: null },
  { name: "sibling-city justice bureau", orgId: "osfj", kind: "JUSTICE_BUREAU", region: OTHER_CITY, relation: null },
];

const refused = (kind: "forbidden" | "conflict") => expect.objectContaining({ allowed: false, kind });
const ALLOWED = { allowed: true };

describe("clueRelation and read: every role × relation", () => {
  for (const unit of UNITS) {
    for (const role of ROLES) {
      const expected = role === "COORDINATOR" ? unit.relation : null;
      it(`${unit.name} · ${role} → ${expected ?? "none"}`, () => {
        const who = actor(role, unit.orgId, unit.kind, unit.region);
        expect(clueRelation(who, clue())).toBe(expected);
        expect(authorizeClue(who, "read", clue())).toEqual(expected ? ALLOWED : refused("forbidden"));
      });
    }
  }

  it("the strongest relation wins, and another role in the same unit adds nothing", () => {
    const both = join(
      actor("COORDINATOR", "jw", "DISCIPLINE_COMMISSION"),
      actor("COORDINATOR", "sfj", "JUSTICE_BUREAU"),
    );
    expect(clueRelation(both, clue())).toBe("sender");
    const viewerAndAdmin = join(actor("VIEWER", "sfj", "JUSTICE_BUREAU"), actor("ADMIN", "sfj", "JUSTICE_BUREAU"));
    expect(clueRelation(viewerAndAdmin, clue())).toBeNull();
  });

  it("a grant reaches nobody once it is gone", () => {
    expect(
      clueRelation(
        actor("COORDINATOR", "pjw", "DISCIPLINE_COMMISSION", PROVINCE),
        clue("TRANSFERRED", { grantOrgIds: [] }),
      ),
    ).toBeNull();
  });
});

const ACTIONS: Array<Exclude<ClueAction, "read">> = [
  "receive",
  "return",
  "startHandling",
  "feedback",
  "close",
  "grant",
];

/** Which actions each relation's COORDINATOR may take in each status (no feedback asked: `needsFeedback` false). */
function expected(
  relation: string | null,
  action: Exclude<ClueAction, "read">,
  status: ClueStatus,
  needsFeedback: boolean,
): boolean {
  if (relation === "sender") return action === "grant" || (action === "close" && status === "FEEDBACK");
  if (relation !== "receiver") return false;
  switch (action) {
    case "receive":
      return status === "TRANSFERRED";
    case "return":
      return status === "TRANSFERRED" || status === "RECEIVED";
    case "startHandling":
      return status === "RECEIVED";
    case "feedback":
      return status === "HANDLING";
    case "close":
      return status === "HANDLING" && !needsFeedback;
    case "grant":
      return true;
    default:
      return false;
  }
}

describe("actions: every role × relation × status", () => {
  for (const needsFeedback of [true, false])
    for (const status of CLUE_STATUSES)
      for (const unit of UNITS)
        for (const role of ROLES)
          it(`${unit.name} · ${role} · ${status}${needsFeedback ? "" : " (no feedback asked)"}`, () => {
            const who = actor(role, unit.orgId, unit.kind, unit.region);
            const c = clue(status, { needsFeedback });
            const abilities = clueAbilities(who, c);
            for (const action of ACTIONS) {
              const want = expected(role === "COORDINATOR" ? unit.relation : null, action, status, needsFeedback);
              expect(authorizeClue(who, action, c).allowed, action).toBe(want);
              expect(abilities[action], action).toBe(want);
            }
          });
});

describe("refusals say who may (403) before the state (409)", () => {
  const receiver = actor("COORDINATOR", "jw", "DISCIPLINE_COMMISSION");
  const sender = actor("COORDINATOR", "sfj", "JUSTICE_BUREAU");
  const viewer = actor("VIEWER", "jw", "DISCIPLINE_COMMISSION");

  it("feedback on a clue not received is a conflict with its reason", () => {
    expect(authorizeClue(receiver, "feedback", clue("TRANSFERRED"))).toEqual({
      allowed: false,
      kind: "conflict",
      reason: "线索尚未签收，不能反馈办理结果。",
    });
    expect(authorizeClue(receiver, "feedback", clue("RECEIVED"))).toEqual(refused("conflict"));
    expect(authorizeClue(receiver, "feedback", clue("FEEDBACK"))).toEqual(refused("conflict"));
  });

  it("the receiver's other roles and the sender are refused as who they are, whatever the state", () => {
    for (const status of CLUE_STATUSES) {
      expect(authorizeClue(viewer, "receive", clue(status))).toEqual(refused("forbidden"));
      expect(authorizeClue(sender, "receive", clue(status))).toEqual(refused("forbidden"));
      expect(authorizeClue(sender, "feedback", clue(status))).toEqual(refused("forbidden"));
    }
  });

  it("办结: the receiver of a clue with feedback is told who may; a clue needing feedback must get it first", () => {
    expect(authorizeClue(receiver, "close", clue("FEEDBACK"))).toEqual(refused("forbidden"));
    expect(authorizeClue(receiver, "close", clue("HANDLING"))).toEqual(refused("conflict"));
    expect(authorizeClue(sender, "close", clue("HANDLING"))).toEqual(refused("conflict"));
    expect(authorizeClue(sender, "close", clue("HANDLING", { needsFeedback: false }))).toEqual(refused("forbidden"));
    expect(authorizeClue(sender, "close", clue("CLOSED"))).toEqual(refused("conflict"));
    expect(
      authorizeClue(actor("COORDINATOR", "pjw", "DISCIPLINE_COMMISSION", PROVINCE), "close", clue("FEEDBACK")),
    ).toEqual(refused("forbidden"));
  });
});

describe("transfer, handler units, statistics", () => {
  it("only a sending-kind unit's COORDINATOR transfers, from that unit", () => {
    expect(authorizeTransfer(actor("COORDINATOR", "sfj", "JUSTICE_BUREAU"), "sfj")).toEqual(ALLOWED);
    expect(authorizeTransfer(actor("COORDINATOR", "scjg", "ENFORCEMENT_AGENCY"), "scjg")).toEqual(ALLOWED);
    expect(authorizeTransfer(actor("COORDINATOR", "fzb", "RULE_OF_LAW_OFFICE"), "fzb")).toEqual(ALLOWED);
    expect(authorizeTransfer(actor("COORDINATOR", "procu", "PROCURATORATE"), "procu")).toEqual(ALLOWED);
    // 纪委监委 receives only; a court takes no part; other roles never transfer; not for another unit.
    expect(authorizeTransfer(actor("COORDINATOR", "jw", "DISCIPLINE_COMMISSION"), "jw")).toEqual(refused("forbidden"));
    expect(authorizeTransfer(actor("COORDINATOR", "court", "COURT"), "court")).toEqual(refused("forbidden"));
    for (const role of ROLES.filter((r) => r !== "COORDINATOR"))
      expect(authorizeTransfer(actor(role, "sfj", "JUSTICE_BUREAU"), "sfj"), role).toEqual(refused("forbidden"));
    expect(authorizeTransfer(actor("COORDINATOR", "sfj", "JUSTICE_BUREAU"), "other")).toEqual(refused("forbidden"));
  });

  it("handler units are COORDINATOR memberships in units that take part in clue transfer", () => {
    const many = join(
      actor("COORDINATOR", "sfj", "JUSTICE_BUREAU"),
      actor("COORDINATOR", "court", "COURT"),
      actor("VIEWER", "jw", "DISCIPLINE_COMMISSION"),
      actor("COORDINATOR", "jw2", "DISCIPLINE_COMMISSION"),
    );
    expect(clueHandlerOrgIds(many).sort()).toEqual(["jw2", "sfj"]);
    expect(transferringOrgIds(many)).toEqual(["sfj"]);
    expect(isClueHandler(actor("ADMIN", "sfj", "JUSTICE_BUREAU"))).toBe(false);
    expect(isClueHandler(actor("COORDINATOR", "gov", "GOVERNMENT"))).toBe(false);
  });

  it("statistics: a justice bureau's COORDINATOR, for its own bureau", () => {
    expect(clueStatsOrgIds(actor("COORDINATOR", "sfj", "JUSTICE_BUREAU"))).toEqual(["sfj"]);
    expect(canViewClueStats(actor("ADMIN", "sfj", "JUSTICE_BUREAU"))).toBe(false);
    expect(canViewClueStats(actor("COORDINATOR", "jw", "DISCIPLINE_COMMISSION"))).toBe(false);
  });
});

describe("isGrantableUnit: an upper-level 纪委监委 only", () => {
  const regions = { fromRegionPath: CITY, toRegionPath: CITY };
  it("a discipline commission strictly above either unit", () => {
    expect(isGrantableUnit({ kind: "DISCIPLINE_COMMISSION", regionPath: PROVINCE }, regions)).toBe(true);
    expect(
      isGrantableUnit(
        { kind: "DISCIPLINE_COMMISSION", regionPath: PROVINCE },
        { fromRegionPath: "/p/c/k/", toRegionPath: "/x/" },
      ),
    ).toBe(true);
  });
  it("not the same region, a lower or another region, nor another kind above", () => {
    expect(isGrantableUnit({ kind: "DISCIPLINE_COMMISSION", regionPath: CITY }, regions)).toBe(false);
    expect(isGrantableUnit({ kind: "DISCIPLINE_COMMISSION", regionPath: "/p/c/k/" }, regions)).toBe(false);
    expect(isGrantableUnit({ kind: "DISCIPLINE_COMMISSION", regionPath: OTHER_CITY }, regions)).toBe(false);
    for (const kind of ["JUSTICE_BUREAU", "PROCURATORATE", "GOVERNMENT"])
      expect(isGrantableUnit({ kind, regionPath: PROVINCE }, regions), kind).toBe(false);
  });
});
