import { describe, expect, it } from "vitest";
import { testActor } from "./fixtures";
import {
  authorizeFiling,
  authorizeLitigation,
  canOpenLitigation,
  canViewLitigationTrends,
  filingCourtIds,
  trendRegionPaths,
  type LitigationAction,
  type LitigationReportFacts,
} from "./litigation";

const CITY = "/p/c/";
const COUNTY = "/p/c/k/";
const OTHER = "/p/o/";

const report = (o: Partial<LitigationReportFacts> = {}): LitigationReportFacts => ({
  courtOrgId: "court",
  regionPath: CITY,
  status: "DRAFT",
  bulletinDocumentId: null,
  ...o,
});

const courtDrafter = testActor("DRAFTER", "court", "COURT", CITY);
const courtLiaison = testActor("LIAISON", "court", "COURT", CITY);
const courtViewer = testActor("VIEWER", "court", "COURT", CITY);
const otherCourt = testActor("DRAFTER", "kcourt", "COURT", COUNTY);
const sfjCoord = testActor("COORDINATOR", "sfj", "JUSTICE_BUREAU", CITY);
const sfjDrafter = testActor("DRAFTER", "sfj", "JUSTICE_BUREAU", CITY);
const sfjViewer = testActor("VIEWER", "sfj", "JUSTICE_BUREAU", CITY);
const provinceSfj = testActor("COORDINATOR", "psfj", "JUSTICE_BUREAU", "/p/");
const countySfj = testActor("COORDINATOR", "ksfj", "JUSTICE_BUREAU", COUNTY);
const otherCitySfj = testActor("COORDINATOR", "osfj", "JUSTICE_BUREAU", OTHER);
const government = testActor("ADMIN", "gov", "GOVERNMENT", CITY);
const agency = testActor("COORDINATOR", "scjg", "ENFORCEMENT_AGENCY", CITY);
const procuratorate = testActor("COORDINATOR", "procu", "PROCURATORATE", CITY);

const allowed = (a: Parameters<typeof authorizeLitigation>[0], action: LitigationAction, r = report()) =>
  authorizeLitigation(a, action, r).allowed;

describe("府院联动 policy", () => {
  it("lets the court read its drafts, and the watching units of the region and above only once 报送", () => {
    for (const a of [courtDrafter, courtLiaison, courtViewer]) expect(allowed(a, "read")).toBe(true);
    for (const a of [sfjCoord, provinceSfj, government, countySfj, otherCitySfj, agency, procuratorate, otherCourt])
      expect(allowed(a, "read")).toBe(false);
    const submitted = report({ status: "SUBMITTED" });
    for (const a of [sfjCoord, sfjViewer, provinceSfj, government, courtViewer])
      expect(allowed(a, "read", submitted)).toBe(true);
    // A county's justice bureau does not read the city's court; nor does another city, an agency or a procuratorate.
    for (const a of [countySfj, otherCitySfj, agency, procuratorate, otherCourt])
      expect(allowed(a, "read", submitted)).toBe(false);
  });

  it("lets the court's acting members file and 报送 a draft, nobody once it is submitted", () => {
    for (const a of [courtDrafter, courtLiaison]) {
      expect(allowed(a, "edit")).toBe(true);
      expect(allowed(a, "submit")).toBe(true);
    }
    for (const a of [courtViewer, sfjCoord]) expect(allowed(a, "edit")).toBe(false);
    const done = authorizeLitigation(courtDrafter, "edit", report({ status: "SUBMITTED" }));
    expect(done).toEqual({ allowed: false, kind: "conflict", reason: "数据已报送，不能再修改。" });
    expect(authorizeLitigation(courtViewer, "edit", report()).allowed).toBe(false);
  });

  it("lets the court's drafters and the region's justice bureau generate the 通报 once, after 报送", () => {
    const submitted = report({ status: "SUBMITTED" });
    for (const a of [courtDrafter, sfjCoord, sfjDrafter]) expect(allowed(a, "generateBulletin", submitted)).toBe(true);
    for (const a of [courtLiaison, courtViewer, sfjViewer, provinceSfj, government])
      expect(allowed(a, "generateBulletin", submitted)).toBe(false);
    expect(authorizeLitigation(courtDrafter, "generateBulletin", report()).allowed).toBe(false);
    expect(
      authorizeLitigation(courtDrafter, "generateBulletin", report({ status: "SUBMITTED", bulletinDocumentId: "d" })),
    ).toMatchObject({ allowed: false, kind: "conflict" });
  });

  it("offers filing to courts, the pages to courts and watchers, the trend to watchers only", () => {
    expect(filingCourtIds(courtDrafter)).toEqual(["court"]);
    expect(filingCourtIds(courtViewer)).toEqual([]);
    expect(authorizeFiling(courtDrafter, "court").allowed).toBe(true);
    expect(authorizeFiling(courtDrafter, "kcourt").allowed).toBe(false);
    expect(authorizeFiling(sfjCoord, "court").allowed).toBe(false);
    for (const a of [courtViewer, sfjViewer, government]) expect(canOpenLitigation(a)).toBe(true);
    for (const a of [agency, procuratorate]) expect(canOpenLitigation(a)).toBe(false);
    expect(canViewLitigationTrends(sfjViewer)).toBe(true);
    expect(canViewLitigationTrends(courtDrafter)).toBe(false);
    expect(trendRegionPaths(sfjCoord)).toEqual([CITY]);
  });
});
