import { database } from "~/models/unit-of-work.server";
import {
  getLitigationDetail,
  getLitigationFacts,
  listDefendantAgencies,
  listLitigationReports,
  listSubmittedFigures,
} from "~/models/litigation.server";
import { listActiveOrganizations } from "~/models/organization.server";
import { listRegionsInScopes } from "~/models/region.server";
import { notFound } from "~/domain/errors";
import {
  agencyTrend,
  lossRate,
  quarterIndex,
  quarterOf,
  quarterShort,
  sumFigures,
  type QuarterFigures,
} from "~/domain/litigation";
import { authorizeLitigation, filingCourtIds, litigationAbilities, trendRegionPaths } from "~/policies/litigation";
import type { CurrentUser } from "~/services/auth/current-user.server";

/** What the 府院联动 pages show (ADR 025): the reports a user reads, one report, the trend. */

export async function loadLitigationIndex(user: CurrentUser, now: Date) {
  const db = database();
  const courtIds = filingCourtIds(user.actor);
  const [reports, courts] = await Promise.all([
    listLitigationReports(db, {
      courtOrgIds: user.actor.memberships.filter((m) => m.orgKind === "COURT").map((m) => m.orgId),
      watchedPaths: trendRegionPaths(user.actor),
    }),
    listActiveOrganizations(db, courtIds),
  ]);
  return { reports, courts: courts.map((c) => ({ id: c.id, name: c.name })), current: quarterOf(now) };
}

export async function loadLitigationReport(user: CurrentUser, id: string) {
  const db = database();
  const facts = await getLitigationFacts(db, id);
  if (!facts || !authorizeLitigation(user.actor, "read", facts).allowed)
    throw notFound("行政诉讼数据不存在或您无权查看。");
  const abilities = litigationAbilities(user.actor, facts);
  const [detail, agencies] = await Promise.all([
    getLitigationDetail(db, id),
    abilities.edit ? listDefendantAgencies(db, facts.regionPath) : Promise.resolve([]),
  ]);
  return { facts, detail, agencies, abilities };
}

/** The quarters shown in the trend: the last eight up to the current one. */
const TREND_QUARTERS = 8;

export interface TrendRow {
  agencyOrgId: string;
  agencyName: string;
  /** Per shown quarter, oldest first: the figures or null when nothing was filed. */
  cells: Array<{ filed: number; lossRate: number | null } | null>;
  rising: boolean;
  doubleDecline: ReturnType<typeof agencyTrend>["doubleDecline"];
}

/**
 * 趋势: per agency of the chosen region (and below), the submitted figures of the last eight
 * quarters, the agencies whose 败诉率 rose two quarters in a row, and 双下降 against the year before.
 */
export async function loadLitigationTrends(user: CurrentUser, wantedPath: string | null, now: Date) {
  const paths = trendRegionPaths(user.actor);
  // The regions watched and the ones below them: a city's justice bureau may look at one county.
  const regions = (await listRegionsInScopes(database(), paths)).filter((r) => r.level !== "TOWNSHIP");
  const regionPath = wantedPath && regions.some((r) => r.path === wantedPath) ? wantedPath : (paths.sort()[0] ?? null);
  if (!regionPath) return null;
  const current = quarterOf(now);
  const end = quarterIndex(current.year, current.quarter);
  const shown = Array.from({ length: TREND_QUARTERS }, (_, i) => end - TREND_QUARTERS + 1 + i);
  const rows = await listSubmittedFigures(database(), regionPath, current.year - 3);
  // A quarter filed by more than one court of the region (a county court and the intermediate one) adds up.
  const byAgency = new Map<string, { name: string; quarters: Map<number, QuarterFigures> }>();
  for (const r of rows) {
    const entry = byAgency.get(r.agencyOrgId) ?? { name: r.agencyName, quarters: new Map() };
    const i = quarterIndex(r.year, r.quarter);
    const had = entry.quarters.get(i);
    entry.quarters.set(i, had ? { ...sumFigures([had, r]), year: r.year, quarter: r.quarter } : { ...r });
    byAgency.set(r.agencyOrgId, entry);
  }
  const latestFiled = Math.max(-1, ...rows.map((r) => quarterIndex(r.year, r.quarter)));
  const trend: TrendRow[] = [...byAgency].map(([agencyOrgId, a]) => {
    const t = agencyTrend([...a.quarters.values()]);
    const last = t.quarters.at(-1);
    return {
      agencyOrgId,
      agencyName: a.name,
      cells: shown.map((i) => {
        const q = a.quarters.get(i);
        return q ? { filed: q.filed, lossRate: lossRate(q) } : null;
      }),
      // A flag about the past stays there: only a rise up to the latest quarter filed in the region counts.
      rising: t.rising && last !== undefined && quarterIndex(last.year, last.quarter) === latestFiled,
      doubleDecline: t.doubleDecline,
    };
  });
  trend.sort((x, y) => Number(y.rising) - Number(x.rising) || x.agencyName.localeCompare(y.agencyName, "zh-CN"));
  // The region as a whole: every agency's quarters added up, for its own 双下降.
  const regionQuarters = new Map<number, QuarterFigures>();
  for (const r of rows) {
    const i = quarterIndex(r.year, r.quarter);
    const had = regionQuarters.get(i);
    regionQuarters.set(i, { ...sumFigures(had ? [had, r] : [r]), year: r.year, quarter: r.quarter });
  }
  const region = agencyTrend([...regionQuarters.values()]).doubleDecline;
  const totals = shown.map((i) => {
    const q = rows.filter((r) => quarterIndex(r.year, r.quarter) === i);
    return q.length ? { filed: sumFigures(q).filed, lossRate: lossRate(sumFigures(q)) } : null;
  });
  return {
    regionPath,
    regions: regions.map((r) => ({ path: r.path, name: r.name })),
    quarters: shown.map((i) => quarterShort(Math.floor(i / 4), (i % 4) + 1)),
    trend,
    totals,
    region,
  };
}
