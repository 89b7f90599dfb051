import type { Tx } from "~/db.server";
import { isId } from "~/domain/ids";
import { quarterIndex, quarterShort } from "~/domain/litigation";
import { RECOMMENDATION_KINDS, type RecommendationKind } from "~/domain/recommendation";
import { ACTIVE_STATUSES, OPEN_STATUSES, type ItemKind } from "~/domain/tracked-item";
import {
  emptyItemCounts,
  emptyRecommendationCounts,
  type ItemCounts,
  type ThematicFigures,
} from "~/domain/thematic-report";

/**
 * 专题报告 data (ADR 026): the figures of a region (and the regions below) over a period, read from
 * the records themselves — counts only, no names of persons, no clue contents — and the reports
 * generated from them.
 */

export interface FigureScope {
  regionPath: string;
  regionName: string;
  /** Start of the first China day, end of the last. */
  from: Date;
  to: Date;
  /** When the figures are read: what is overdue is overdue at this moment. */
  asOf: Date;
  periodFrom: string;
  periodTo: string;
}

const inRegion = (path: string) => ({ region: { path: { startsWith: path } } });

function countItems(rows: ReadonlyArray<{ status: string; dueDate: Date | null }>, asOf: Date): ItemCounts {
  const c = emptyItemCounts();
  for (const r of rows) {
    if (!ACTIVE_STATUSES.has(r.status)) continue;
    c.total++;
    if (r.status === "CLOSED") c.closed++;
    else if (r.status === "DONE") c.done++;
    else if (OPEN_STATUSES.has(r.status)) {
      c.open++;
      if (r.dueDate && r.dueDate < asOf) c.overdue++;
    }
  }
  return c;
}

/** Items of a kind owned by the region's units and put into tracking within the period. */
async function trackedItems(tx: Tx, kind: ItemKind, s: FigureScope) {
  return tx.trackedItem.findMany({
    where: {
      kind,
      ownerOrg: inRegion(s.regionPath),
      activatedAt: { gte: s.from, lte: s.to },
      status: { in: [...ACTIVE_STATUSES] },
    },
    select: { status: true, dueDate: true },
  });
}

export async function collectThematicFigures(tx: Tx, s: FigureScope): Promise<ThematicFigures> {
  const consultations = await tx.consultation.findMany({
    where: {
      conveningOrg: inRegion(s.regionPath),
      startsAt: { gte: s.from, lte: s.to },
      status: { not: "CANCELLED" },
      // A meeting still ahead on the day of reading was not held yet.
      endsAt: { lte: s.asOf },
    },
    select: { minutesId: true },
  });
  const minutesIds = consultations.flatMap((c) => (c.minutesId ? [c.minutesId] : []));
  const [agreed, recommendations, rectification, listings, clues, litigation, publications] = await Promise.all([
    minutesIds.length
      ? tx.trackedItem.findMany({
          where: { kind: "AGREED_ITEM", sourceDocumentId: { in: minutesIds }, status: { in: [...ACTIVE_STATUSES] } },
          select: { status: true, dueDate: true },
        })
      : Promise.resolve([]),
    tx.recommendation.findMany({
      where: { recipientOrg: inRegion(s.regionPath), receivedOn: { gte: s.from, lte: s.to } },
      select: { kind: true, repliedAt: true, repliedLate: true, replyDueDate: true },
    }),
    trackedItems(tx, "RECTIFICATION_MEASURE", s),
    trackedItems(tx, "SUPERVISED_CASE", s),
    tx.clue.findMany({
      where: { fromOrg: inRegion(s.regionPath), transferredAt: { gte: s.from, lte: s.to } },
      select: { route: true, receivedAt: true, returnedAt: true, feedbackAt: true, feedbackOutcome: true },
    }),
    tx.litigationFigure.findMany({
      where: { report: { status: "SUBMITTED", courtOrg: inRegion(s.regionPath) } },
      select: {
        filed: true,
        concluded: true,
        lost: true,
        headAppeared: true,
        mediatedWithdrawn: true,
        report: { select: { year: true, quarter: true } },
      },
    }),
    tx.publication.findMany({
      where: { version: 1, publishedAt: { gte: s.from, lte: s.to }, document: { ownerOrg: inRegion(s.regionPath) } },
      select: { field: true },
    }),
  ]);

  const byKind = Object.fromEntries(RECOMMENDATION_KINDS.map((k) => [k, emptyRecommendationCounts()])) as Record<
    RecommendationKind,
    ReturnType<typeof emptyRecommendationCounts>
  >;
  for (const r of recommendations) {
    const c = byKind[r.kind as RecommendationKind];
    if (!c) continue;
    c.received++;
    if (r.repliedAt) {
      if (r.repliedLate) c.repliedLate++;
      else c.repliedOnTime++;
    } else if (r.replyDueDate < s.asOf) c.overdue++;
    else c.pending++;
  }

  const clueFigures: ThematicFigures["clues"] = {
    transferred: clues.length,
    received: clues.filter((c) => c.receivedAt).length,
    returned: clues.filter((c) => c.returnedAt).length,
    answered: clues.filter((c) => c.feedbackAt).length,
    byRoute: {},
    byOutcome: {},
  };
  for (const c of clues) {
    const route = c.route as keyof ThematicFigures["clues"]["byRoute"];
    clueFigures.byRoute[route] = (clueFigures.byRoute[route] ?? 0) + 1;
    if (c.feedbackOutcome) {
      const o = c.feedbackOutcome as keyof ThematicFigures["clues"]["byOutcome"];
      clueFigures.byOutcome[o] = (clueFigures.byOutcome[o] ?? 0) + 1;
    }
  }

  // A quarter counts when it begins within the period (its figures are the court's for that quarter).
  const first = quarterStartIndex(s.periodFrom);
  const last = quarterStartIndex(s.periodTo, true);
  const quarters = new Set<number>();
  const lit = { quarters: [] as string[], filed: 0, concluded: 0, lost: 0, headAppeared: 0, mediatedWithdrawn: 0 };
  for (const f of litigation) {
    const i = quarterIndex(f.report.year, f.report.quarter);
    if (i < first || i > last) continue;
    quarters.add(i);
    lit.filed += f.filed;
    lit.concluded += f.concluded;
    lit.lost += f.lost;
    lit.headAppeared += f.headAppeared;
    lit.mediatedWithdrawn += f.mediatedWithdrawn;
  }
  lit.quarters = [...quarters].sort((a, b) => a - b).map((i) => quarterShort(Math.floor(i / 4), (i % 4) + 1));

  const byField: Record<string, number> = {};
  for (const p of publications) byField[p.field || "其他"] = (byField[p.field || "其他"] ?? 0) + 1;

  return {
    version: 1,
    asOf: s.asOf.toISOString(),
    regionName: s.regionName,
    periodFrom: s.periodFrom,
    periodTo: s.periodTo,
    consultations: { held: consultations.length, items: countItems(agreed, s.asOf) },
    recommendations: byKind,
    rectification: countItems(rectification, s.asOf),
    listings: countItems(listings, s.asOf),
    clues: clueFigures,
    litigation: lit,
    cases: { published: publications.length, byField },
  };
}

/**
 * The index of the first quarter beginning on or after a China day ("2026-01-01" → 2026Q1,
 * "2026-02-10" → 2026Q2); with `upTo`, of the last quarter beginning on or before it.
 */
function quarterStartIndex(day: string, upTo = false): number {
  const [y, m, d] = day.split("-").map(Number);
  const q = Math.floor((m - 1) / 3);
  const startsOnIt = (m - 1) % 3 === 0 && d === 1;
  if (upTo) return quarterIndex(y, q + 1);
  return startsOnIt ? quarterIndex(y, q + 1) : quarterIndex(y, q + 1) + 1;
}

export async function insertThematicReport(
  tx: Tx,
  input: {
    id: string;
    documentId: string;
    orgId: string;
    regionId: string;
    periodFrom: Date;
    periodTo: Date;
    figures: string;
    generatedAt: Date;
    createdById: string;
  },
) {
  await tx.thematicReport.create({ data: input });
}

/** A report with its document's facts for the policy, or null. */
export async function getThematicReport(tx: Tx, id: string) {
  if (!isId(id)) return null;
  return tx.thematicReport.findUnique({
    where: { id },
    select: {
      id: true,
      documentId: true,
      orgId: true,
      periodFrom: true,
      periodTo: true,
      figures: true,
      generatedAt: true,
      document: { select: { title: true, status: true } },
      region: { select: { path: true, name: true } },
    },
  });
}

/** Where a generated document's figures came from: its 府院联动 report or its 专题报告 record. */
export async function findGeneratedSource(tx: Tx, documentId: string) {
  const [litigation, thematic] = await Promise.all([
    tx.litigationReport.findUnique({ where: { bulletinDocumentId: documentId }, select: { id: true } }),
    tx.thematicReport.findUnique({ where: { documentId }, select: { id: true } }),
  ]);
  if (litigation) return { kind: "litigation" as const, id: litigation.id };
  if (thematic) return { kind: "thematic" as const, id: thematic.id };
  return null;
}
