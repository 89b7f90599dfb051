import { describe, expect, it } from "vitest";
import type { OrgKind, Role } from "~/domain/organization";
import type { Actor } from "../domain/actor";
import {
  canClose,
  canDecideExtension,
  canReadItem,
  canReopen,
  canReportProgress,
  canRequestExtension,
  canRequestRelease,
  releaseConfirmingOrgIds,
} from "./tracked-item";
import { daysOverdue, extensionCutoff, isOverdue, supervisingOrgIds, type ItemFacts } from "../domain/tracked-item";

const CITY = "/p/c/";
const COUNTY = "/p/c/k/";
const NOW = new Date("2026-11-23T12:00:00+08:00");
const DUE = new Date("2026-11-30T23:59:59.999+08:00");

function actor(role: Role, orgId: string, orgKind: OrgKind = "ENFORCEMENT_AGENCY", regionPath = CITY): Actor {
  return {
    userId: "u1",
    memberships: [{ orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel: "CITY" }],
  };
}

function item(status: string, overrides: Partial<ItemFacts> = {}): ItemFacts {
  return {
    kind: "AGREED_ITEM",
    status,
    ownerOrgId: "owner",
    leadOrgId: "lead",
    orgs: [
      { orgId: "lead", role: "LEAD" },
      { orgId: "support", role: "SUPPORTING" },
    ],
    dueDate: DUE,
    document: {
      ownerOrgId: "owner",
      ownerRegionPath: CITY,
      status: "FINALIZED",
      members: [{ orgId: "court", userId: null, access: "WRITE" }],
    },
    ...overrides,
  };
}

describe("tracked item policies (truth tables)", () => {
  it("read: owner, owner orgs, document members, supervising upper region; not strangers", () => {
    const table: Array<[string, Actor, boolean]> = [
      ["owner viewer", actor("VIEWER", "owner", "JUSTICE_BUREAU"), true],
      ["lead viewer", actor("VIEWER", "lead"), true],
      ["supporting liaison", actor("LIAISON", "support"), true],
      ["document member org", actor("LIAISON", "court", "COURT"), true],
      ["upper-region justice bureau", actor("COORDINATOR", "province-sfj", "JUSTICE_BUREAU", "/p/"), true],
      ["same-region other justice bureau", actor("COORDINATOR", "other-sfj", "JUSTICE_BUREAU", CITY), false],
      ["lower-region justice bureau", actor("COORDINATOR", "county-sfj", "JUSTICE_BUREAU", COUNTY), false],
      ["stranger agency", actor("COORDINATOR", "stranger"), false],
    ];
    for (const [name, a, expected] of table) expect(canReadItem(a, item("NOT_STARTED")), name).toBe(expected);
  });

  it("progress: lead and supporting orgs (not VIEWERs), only while active and not closed", () => {
    const table: Array<[string, Actor, string, boolean]> = [
      ["lead drafter, not started", actor("DRAFTER", "lead"), "NOT_STARTED", true],
      ["lead liaison, in progress", actor("LIAISON", "lead"), "IN_PROGRESS", true],
      ["supporting coordinator, done", actor("COORDINATOR", "support"), "DONE", true],
      ["lead viewer", actor("VIEWER", "lead"), "IN_PROGRESS", false],
      [
        "owner coordinator (not an owner org of the work)",
        actor("COORDINATOR", "owner", "JUSTICE_BUREAU"),
        "IN_PROGRESS",
        false,
      ],
      ["document member org", actor("DRAFTER", "court", "COURT"), "IN_PROGRESS", false],
      ["lead drafter, draft item", actor("DRAFTER", "lead"), "DRAFT", false],
      ["lead drafter, closed", actor("DRAFTER", "lead"), "CLOSED", false],
      ["lead drafter, removed", actor("DRAFTER", "lead"), "REMOVED", false],
    ];
    for (const [name, a, status, expected] of table) expect(canReportProgress(a, item(status)), name).toBe(expected);
  });

  it("extensions: the lead asks before the deadline while open; the owner's coordinator or admin decides", () => {
    const after = new Date(DUE.getTime() + 1000);
    const table: Array<[string, boolean]> = [
      ["lead drafter, before due", canRequestExtension(actor("DRAFTER", "lead"), item("IN_PROGRESS"), NOW)],
      ["lead drafter, after due", canRequestExtension(actor("DRAFTER", "lead"), item("IN_PROGRESS"), after)],
      ["supporting drafter", canRequestExtension(actor("DRAFTER", "support"), item("IN_PROGRESS"), NOW)],
      ["lead viewer", canRequestExtension(actor("VIEWER", "lead"), item("IN_PROGRESS"), NOW)],
      ["lead drafter, done", canRequestExtension(actor("DRAFTER", "lead"), item("DONE"), NOW)],
      [
        "lead drafter, no due date",
        canRequestExtension(actor("DRAFTER", "lead"), item("IN_PROGRESS", { dueDate: null }), NOW),
      ],
      [
        "owner coordinator decides",
        canDecideExtension(actor("COORDINATOR", "owner", "JUSTICE_BUREAU"), item("IN_PROGRESS")),
      ],
      ["owner admin decides", canDecideExtension(actor("ADMIN", "owner", "JUSTICE_BUREAU"), item("IN_PROGRESS"))],
      ["owner drafter decides", canDecideExtension(actor("DRAFTER", "owner", "JUSTICE_BUREAU"), item("IN_PROGRESS"))],
      ["lead coordinator decides", canDecideExtension(actor("COORDINATOR", "lead"), item("IN_PROGRESS"))],
    ];
    expect(Object.fromEntries(table)).toEqual({
      "lead drafter, before due": true,
      "lead drafter, after due": false,
      "supporting drafter": false,
      "lead viewer": false,
      "lead drafter, done": false,
      "lead drafter, no due date": false,
      "owner coordinator decides": true,
      "owner admin decides": true,
      "owner drafter decides": false,
      "lead coordinator decides": false,
    });
  });

  it("销号 and reopen: only the convening org's COORDINATOR, from DONE and CLOSED", () => {
    const coord = actor("COORDINATOR", "owner", "JUSTICE_BUREAU");
    expect(canClose(coord, item("DONE"))).toBe(true);
    expect(canClose(coord, item("IN_PROGRESS"))).toBe(false);
    expect(canClose(actor("ADMIN", "owner", "JUSTICE_BUREAU"), item("DONE"))).toBe(false);
    expect(canClose(actor("DRAFTER", "owner", "JUSTICE_BUREAU"), item("DONE"))).toBe(false);
    expect(canClose(actor("COORDINATOR", "lead"), item("DONE"))).toBe(false);
    expect(canReopen(coord, item("CLOSED"))).toBe(true);
    expect(canReopen(coord, item("DONE"))).toBe(false);
    expect(canReopen(actor("COORDINATOR", "lead"), item("CLOSED"))).toBe(false);
  });

  it("overdue is derived: open work past the end of its due day, counted in days", () => {
    const afterOneDay = new Date(DUE.getTime() + 10 * 3600_000);
    expect(isOverdue({ status: "IN_PROGRESS", dueDate: DUE }, NOW)).toBe(false);
    expect(isOverdue({ status: "IN_PROGRESS", dueDate: DUE }, afterOneDay)).toBe(true);
    expect(daysOverdue({ status: "NOT_STARTED", dueDate: DUE }, afterOneDay)).toBe(1);
    expect(daysOverdue({ status: "NOT_STARTED", dueDate: DUE }, new Date(DUE.getTime() + 7.5 * 86_400_000))).toBe(8);
    for (const status of ["DONE", "CLOSED", "DRAFT", "REMOVED"])
      expect(isOverdue({ status, dueDate: DUE }, afterOneDay), status).toBe(false);
    expect(isOverdue({ status: "IN_PROGRESS", dueDate: null }, afterOneDay)).toBe(false);
  });
});

describe("supervised cases (联合挂牌督办)", () => {
  const caseDue = new Date("2027-05-31T23:59:59.999+08:00");
  const listed = (status: string, overrides: Partial<ItemFacts> = {}) =>
    item(status, {
      kind: "SUPERVISED_CASE",
      dueDate: caseDue,
      orgs: [
        { orgId: "lead", role: "LEAD" },
        { orgId: "sfj", role: "SUPERVISING" },
        { orgId: "jw", role: "SUPERVISING" },
      ],
      ...overrides,
    });

  it("督办单位 read but do not report progress; the 承办单位 does", () => {
    expect(canReadItem(actor("VIEWER", "jw"), listed("IN_PROGRESS"))).toBe(true);
    expect(canReportProgress(actor("COORDINATOR", "jw"), listed("IN_PROGRESS"))).toBe(false);
    expect(canReportProgress(actor("DRAFTER", "lead"), listed("IN_PROGRESS"))).toBe(true);
  });

  it("extensions close one calendar month before the 督办期限 (not at it)", () => {
    expect(extensionCutoff(listed("IN_PROGRESS"))?.toISOString()).toBe(
      new Date("2027-04-30T23:59:59.999+08:00").toISOString(),
    );
    expect(
      canRequestExtension(actor("DRAFTER", "lead"), listed("IN_PROGRESS"), new Date("2027-04-30T20:00:00+08:00")),
    ).toBe(true);
    expect(
      canRequestExtension(actor("DRAFTER", "lead"), listed("IN_PROGRESS"), new Date("2027-05-01T08:00:00+08:00")),
    ).toBe(false);
    // an agreed item keeps its deadline as the cutoff
    expect(
      canRequestExtension(
        actor("DRAFTER", "lead"),
        item("IN_PROGRESS", { dueDate: caseDue }),
        new Date("2027-05-20T08:00:00+08:00"),
      ),
    ).toBe(true);
  });

  it("a case is never closed directly: release goes through every 督办单位", () => {
    expect(canClose(actor("COORDINATOR", "owner"), listed("DONE"))).toBe(false);
    expect(canRequestRelease(actor("COORDINATOR", "sfj"), listed("DONE"))).toBe(true);
    expect(canRequestRelease(actor("DRAFTER", "sfj"), listed("DONE"))).toBe(false);
    expect(canRequestRelease(actor("COORDINATOR", "sfj"), listed("IN_PROGRESS"))).toBe(false);
    expect(canRequestRelease(actor("COORDINATOR", "lead"), listed("DONE"))).toBe(false);
    expect(releaseConfirmingOrgIds(actor("ADMIN", "jw"), listed("DONE"))).toEqual(["jw"]);
  });

  it("without named 督办单位 the listing's owner supervises", () => {
    expect(supervisingOrgIds(listed("DONE", { orgs: [{ orgId: "lead", role: "LEAD" }] }))).toEqual(["owner"]);
  });
});

describe("行政执法监督: the justice bureau of a region reads the work of its law-enforcement units", () => {
  const SIBLING = "/p/c/s/";
  const countyCase = item("IN_PROGRESS", {
    orgs: [
      { orgId: "county-agency", role: "LEAD", orgKind: "ENFORCEMENT_AGENCY", regionPath: COUNTY },
      { orgId: "court", role: "SUPPORTING", orgKind: "COURT", regionPath: SIBLING },
    ],
  });

  it("lets the county's and the city's justice bureau read a case a county unit leads, without acting on it", () => {
    const county = actor("COORDINATOR", "county-bureau", "JUSTICE_BUREAU", COUNTY);
    expect(canReadItem(county, countyCase)).toBe(true);
    expect(canReadItem(actor("VIEWER", "city-bureau", "JUSTICE_BUREAU", CITY), countyCase)).toBe(true);
    expect(canReportProgress(county, countyCase)).toBe(false);
    expect(canClose(county, { ...countyCase, status: "DONE" })).toBe(false);
  });

  it("does not reach a sibling county, a court of the region, or a unit that is not law enforcement", () => {
    expect(canReadItem(actor("COORDINATOR", "sibling-bureau", "JUSTICE_BUREAU", SIBLING), countyCase)).toBe(false);
    expect(canReadItem(actor("COORDINATOR", "county-court", "COURT", COUNTY), countyCase)).toBe(false);
    // The supporting court lies in the sibling county: that is no law-enforcement unit to supervise.
    const courtOnly = item("IN_PROGRESS", {
      orgs: [{ orgId: "court", role: "LEAD", orgKind: "COURT", regionPath: SIBLING }],
    });
    expect(canReadItem(actor("COORDINATOR", "sibling-bureau", "JUSTICE_BUREAU", SIBLING), courtOnly)).toBe(false);
  });
});
