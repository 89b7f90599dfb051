import { describe, expect, it } from "vitest";
import type { Actor } from "~/domain/actor";
import { ROLES, type OrgKind, type Role } from "~/domain/organization";
import {
  authorizePool,
  authorizePoolEntry,
  browsablePoolRegionPaths,
  canBrowsePool,
  canKeepPool,
  canOpenPool,
  poolEntryAbilities,
  poolKeeperOrgId,
  poolKeeperRegionPaths,
  type PoolEntryAction,
  type PoolEntryFacts,
} from "./external";

const PROVINCE = "/p/";
const CITY = "/p/c/";
const COUNTY = "/p/c/k/";
const OTHER_CITY = "/p/o/";

function actor(role: Role, orgId: string, orgKind: OrgKind, regionPath = CITY): Actor {
  return {
    userId: "u1",
    memberships: [{ orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel: "CITY" }],
  };
}
const join = (...actors: Actor[]): Actor => ({ userId: "u1", memberships: actors.flatMap((a) => a.memberships) });

/** The four kinds of actor of the pool: its keeper, a browser, someone unrelated, an outside participant. */
const keeper = actor("COORDINATOR", "sfj", "JUSTICE_BUREAU");
const keeperAdmin = actor("ADMIN", "sfj", "JUSTICE_BUREAU");
const browser = actor("COORDINATOR", "scjgj", "ENFORCEMENT_AGENCY");
const countyBrowser = actor("ADMIN", "kgov", "GOVERNMENT", COUNTY);
const drafter = actor("DRAFTER", "sfj", "JUSTICE_BUREAU");
const otherCityKeeper = actor("COORDINATOR", "osfj", "JUSTICE_BUREAU", OTHER_CITY);
const external: Actor = { userId: "x1", memberships: [], external: "EXPERT" };

const entry = (overrides: Partial<PoolEntryFacts> = {}): PoolEntryFacts => ({
  regionPath: CITY,
  status: "ACTIVE",
  hasAccount: false,
  ...overrides,
});

const refused = (kind: "forbidden" | "conflict") => expect.objectContaining({ allowed: false, kind });
const ALLOWED = { allowed: true };
const KEEPER_ACTIONS: PoolEntryAction[] = ["edit", "deactivate", "openAccount"];

describe("who keeps the pool", () => {
  it("the ADMIN/COORDINATOR of the region's justice bureau, for its own region only", () => {
    for (const who of [keeper, keeperAdmin]) {
      expect(poolKeeperRegionPaths(who)).toEqual([CITY]);
      expect(canKeepPool(who, CITY)).toBe(true);
      expect(canKeepPool(who, PROVINCE)).toBe(false);
      expect(canKeepPool(who, COUNTY)).toBe(false);
      expect(canKeepPool(who, OTHER_CITY)).toBe(false);
      expect(poolKeeperOrgId(who, CITY)).toBe("sfj");
      expect(poolKeeperOrgId(who, PROVINCE)).toBeNull();
    }
  });

  it("every role of every kind: only a justice bureau's ADMIN/COORDINATOR keeps", () => {
    for (const kind of ["JUSTICE_BUREAU", "ENFORCEMENT_AGENCY", "GOVERNMENT", "COURT"] as const)
      for (const role of ROLES) {
        const who = actor(role, "o", kind);
        const keeps = kind === "JUSTICE_BUREAU" && (role === "ADMIN" || role === "COORDINATOR");
        expect(canKeepPool(who, CITY), `${kind} ${role}`).toBe(keeps);
        expect(authorizePool(who, "add"), `${kind} ${role}`).toEqual(keeps ? ALLOWED : refused("forbidden"));
      }
  });

  it("keeps several regions' pools with several memberships", () => {
    const both = join(keeper, otherCityKeeper, browser);
    expect(poolKeeperRegionPaths(both).sort()).toEqual([CITY, OTHER_CITY].sort());
    expect(poolKeeperOrgId(both, OTHER_CITY)).toBe("osfj");
  });
});

describe("who browses the pool", () => {
  it("a convener sees the pools of its region and the regions above, not below or beside", () => {
    for (const who of [keeper, browser]) {
      expect(canOpenPool(who)).toBe(true);
      expect(authorizePool(who, "open")).toEqual(ALLOWED);
      expect(canBrowsePool(who, CITY)).toBe(true);
      expect(canBrowsePool(who, PROVINCE)).toBe(true);
      expect(canBrowsePool(who, COUNTY)).toBe(false);
      expect(canBrowsePool(who, OTHER_CITY)).toBe(false);
      expect(browsablePoolRegionPaths(who).sort()).toEqual([CITY, PROVINCE].sort());
    }
    expect(browsablePoolRegionPaths(countyBrowser).sort()).toEqual([COUNTY, CITY, PROVINCE].sort());
  });

  it("a browser who is not a keeper reads entries but may not change them", () => {
    expect(authorizePool(browser, "add")).toEqual(refused("forbidden"));
    expect(authorizePoolEntry(browser, "browse", entry())).toEqual(ALLOWED);
    for (const action of KEEPER_ACTIONS)
      expect(authorizePoolEntry(browser, action, entry()), action).toEqual(refused("forbidden"));
    expect(poolEntryAbilities(browser, entry())).toEqual({
      edit: false,
      deactivate: false,
      reactivate: false,
      openAccount: false,
      resetPassword: false,
    });
  });

  it("a keeper browses the province's pool but keeps only its own", () => {
    expect(authorizePoolEntry(keeper, "browse", entry({ regionPath: PROVINCE }))).toEqual(ALLOWED);
    expect(authorizePoolEntry(keeper, "edit", entry({ regionPath: PROVINCE }))).toEqual(refused("forbidden"));
  });

  it("unrelated actors: a DRAFTER / VIEWER, another city's keeper, nobody at all", () => {
    for (const who of [drafter, actor("VIEWER", "scjgj", "ENFORCEMENT_AGENCY"), { userId: "n", memberships: [] }]) {
      expect(canOpenPool(who)).toBe(false);
      expect(authorizePool(who, "open")).toEqual(refused("forbidden"));
      expect(browsablePoolRegionPaths(who)).toEqual([]);
      expect(authorizePoolEntry(who, "browse", entry())).toEqual(refused("forbidden"));
      for (const action of KEEPER_ACTIONS)
        expect(authorizePoolEntry(who, action, entry()), action).toEqual(refused("forbidden"));
    }
    expect(authorizePoolEntry(otherCityKeeper, "browse", entry())).toEqual(refused("forbidden"));
    expect(authorizePoolEntry(otherCityKeeper, "edit", entry())).toEqual(refused("forbidden"));
  });

  it("an outside participant's account sees no pool at all, whatever else it carries", () => {
    expect(canOpenPool(external)).toBe(false);
    expect(authorizePool(external, "open")).toEqual(refused("forbidden"));
    expect(authorizePool(external, "add")).toEqual(refused("forbidden"));
    expect(browsablePoolRegionPaths(external)).toEqual([]);
    for (const action of ["browse", ...KEEPER_ACTIONS, "reactivate"] as PoolEntryAction[])
      expect(authorizePoolEntry(external, action, entry({ status: "INACTIVE" })), action).toEqual(refused("forbidden"));
    // Even a (mis-built) external actor holding a keeper's membership is refused.
    const odd: Actor = { ...keeper, external: "SUPERVISOR" };
    expect(canOpenPool(odd)).toBe(false);
    expect(authorizePool(odd, "add")).toEqual(refused("forbidden"));
    expect(authorizePoolEntry(odd, "edit", entry())).toEqual(refused("forbidden"));
  });
});

describe("the keeper's actions and the entry's state", () => {
  it("停用 an active entry, 启用 an inactive one; the other way round is a conflict", () => {
    expect(authorizePoolEntry(keeper, "deactivate", entry())).toEqual(ALLOWED);
    expect(authorizePoolEntry(keeper, "reactivate", entry())).toEqual(refused("conflict"));
    expect(authorizePoolEntry(keeper, "deactivate", entry({ status: "INACTIVE" }))).toEqual(refused("conflict"));
    expect(authorizePoolEntry(keeper, "reactivate", entry({ status: "INACTIVE" }))).toEqual(ALLOWED);
    expect(authorizePoolEntry(keeper, "edit", entry({ status: "INACTIVE" }))).toEqual(ALLOWED);
  });

  it("开通账号 once, for an active entry", () => {
    expect(authorizePoolEntry(keeper, "openAccount", entry())).toEqual(ALLOWED);
    expect(authorizePoolEntry(keeper, "openAccount", entry({ hasAccount: true }))).toEqual({
      allowed: false,
      kind: "conflict",
      reason: "该人员已开通账号",
    });
    expect(authorizePoolEntry(keeper, "openAccount", entry({ status: "INACTIVE" }))).toEqual(refused("conflict"));
    expect(poolEntryAbilities(keeper, entry())).toEqual({
      edit: true,
      deactivate: true,
      reactivate: false,
      openAccount: true,
      resetPassword: false,
    });
    // 重置密码: only an account there is, of an entry in the pool.
    expect(authorizePoolEntry(keeper, "resetPassword", entry({ hasAccount: true }))).toEqual(ALLOWED);
    expect(authorizePoolEntry(keeper, "resetPassword", entry({ hasAccount: true, status: "INACTIVE" }))).toEqual(
      refused("conflict"),
    );
  });

  it("who comes before the state: a browser is refused as a browser, whatever the state", () => {
    expect(authorizePoolEntry(browser, "openAccount", entry({ hasAccount: true }))).toEqual(refused("forbidden"));
    expect(authorizePoolEntry(browser, "reactivate", entry())).toEqual(refused("forbidden"));
  });

  it("refusals say why in Chinese", () => {
    for (const d of [
      authorizePool(drafter, "open"),
      authorizePool(browser, "add"),
      authorizePool(external, "open"),
      authorizePoolEntry(browser, "edit", entry()),
      authorizePoolEntry(keeper, "deactivate", entry({ status: "INACTIVE" })),
    ])
      expect(d.allowed ? "" : d.reason).toMatch(/[\u4e00-\u9fff]/);
  });
});
