import type { Prisma, Tx } from "~/db.server";
import { isId } from "~/domain/ids";
import type { CaseField, Figures } from "~/domain/litigation";
import { newId as newRowId } from "~/utils/ids";

/** 府院联动 data (ADR 025): quarterly reports of the courts, their figures per agency and notable cases. */

/** Kinds of unit that can be a defendant of an administrative suit (行政机关). */
export const DEFENDANT_KINDS = ["ENFORCEMENT_AGENCY", "GOVERNMENT", "JUSTICE_BUREAU", "JUSTICE_OFFICE"];

/** What the policy needs, or null when the report does not exist. */
export async function getLitigationFacts(tx: Tx, id: string) {
  if (!isId(id)) return null;
  const r = await tx.litigationReport.findUnique({
    where: { id },
    select: {
      id: true,
      courtOrgId: true,
      year: true,
      quarter: true,
      status: true,
      bulletinDocumentId: true,
      courtOrg: { select: { name: true, regionId: true, region: { select: { path: true, name: true } } } },
    },
  });
  if (!r) return null;
  return {
    id: r.id,
    courtOrgId: r.courtOrgId,
    courtName: r.courtOrg.name,
    regionId: r.courtOrg.regionId,
    regionName: r.courtOrg.region.name,
    regionPath: r.courtOrg.region.path,
    year: r.year,
    quarter: r.quarter,
    status: r.status,
    bulletinDocumentId: r.bulletinDocumentId,
  };
}
export type LitigationFactsRow = NonNullable<Awaited<ReturnType<typeof getLitigationFacts>>>;

export async function findLitigationReport(tx: Tx, courtOrgId: string, year: number, quarter: number) {
  return tx.litigationReport.findUnique({
    where: { courtOrgId_year_quarter: { courtOrgId, year, quarter } },
    select: { id: true },
  });
}

export async function insertLitigationReport(
  tx: Tx,
  input: { id: string; courtOrgId: string; year: number; quarter: number; createdById: string },
) {
  await tx.litigationReport.create({ data: input });
}

/** The figures and cases of a report, agencies named, in the order of the agencies' names. */
export async function getLitigationDetail(tx: Tx, id: string) {
  const [figures, cases, report] = await Promise.all([
    tx.litigationFigure.findMany({
      where: { reportId: id },
      select: {
        agencyOrgId: true,
        filed: true,
        concluded: true,
        lost: true,
        headAppeared: true,
        mediatedWithdrawn: true,
        agencyOrg: { select: { name: true } },
      },
      orderBy: { agencyOrg: { name: "asc" } },
    }),
    tx.litigationCase.findMany({
      where: { reportId: id },
      select: {
        id: true,
        agencyOrgId: true,
        caseNumber: true,
        cause: true,
        outcome: true,
        problem: true,
        agencyOrg: { select: { name: true } },
      },
      orderBy: { position: "asc" },
    }),
    tx.litigationReport.findUnique({
      where: { id },
      select: { submittedAt: true, updatedAt: true },
    }),
  ]);
  return {
    figures: figures.map(({ agencyOrg, ...f }) => ({ ...f, agencyName: agencyOrg.name })),
    cases: cases.map(({ agencyOrg, ...c }) => ({ ...c, agencyName: agencyOrg.name })),
    submittedAt: report?.submittedAt ?? null,
    updatedAt: report?.updatedAt ?? null,
  };
}

/** The active units that may be named as defendants in a court's region (and below). */
export async function listDefendantAgencies(tx: Tx, regionPath: string) {
  return tx.organization.findMany({
    where: { active: true, kind: { in: DEFENDANT_KINDS }, region: { path: { startsWith: regionPath } } },
    select: { id: true, name: true, shortName: true },
    orderBy: { name: "asc" },
  });
}

export type FigureRow = Figures & { agencyOrgId: string };
export type CaseRow = Record<CaseField, string> & { agencyOrgId: string };

/** Marks a DRAFT report changed (and locks its row in the transaction); false when it is no longer a draft. */
async function touchDraft(tx: Tx, reportId: string): Promise<boolean> {
  const touched = await tx.litigationReport.updateMany({
    where: { id: reportId, status: "DRAFT" },
    data: { updatedAt: new Date() },
  });
  return touched.count === 1;
}

/** Replaces the figures of a DRAFT report; false when it is no longer a draft. */
export async function replaceLitigationFigures(tx: Tx, reportId: string, rows: FigureRow[]): Promise<boolean> {
  if (!(await touchDraft(tx, reportId))) return false;
  await tx.litigationFigure.deleteMany({ where: { reportId } });
  if (rows.length)
    await tx.litigationFigure.createMany({
      data: rows.map((r) => ({ id: newRowId(), reportId, ...r })),
    });
  return true;
}

/** Replaces the notable cases of a DRAFT report; false when it is no longer a draft. */
export async function replaceLitigationCases(tx: Tx, reportId: string, rows: CaseRow[]): Promise<boolean> {
  if (!(await touchDraft(tx, reportId))) return false;
  await tx.litigationCase.deleteMany({ where: { reportId } });
  if (rows.length)
    await tx.litigationCase.createMany({
      data: rows.map((r, position) => ({ id: newRowId(), reportId, position, ...r })),
    });
  return true;
}

export async function countLitigationFigures(tx: Tx, reportId: string): Promise<number> {
  return tx.litigationFigure.count({ where: { reportId } });
}

/** DRAFT → SUBMITTED; false when it was not a draft any more. */
export async function markLitigationSubmitted(tx: Tx, reportId: string, at: Date): Promise<boolean> {
  const r = await tx.litigationReport.updateMany({
    where: { id: reportId, status: "DRAFT" },
    data: { status: "SUBMITTED", submittedAt: at },
  });
  return r.count === 1;
}

/** Links the 通报; false when another one was linked first. */
export async function setLitigationBulletin(tx: Tx, reportId: string, documentId: string): Promise<boolean> {
  const r = await tx.litigationReport.updateMany({
    where: { id: reportId, bulletinDocumentId: null },
    data: { bulletinDocumentId: documentId },
  });
  return r.count === 1;
}

/** Reports the actor reads: its courts' own, and the submitted ones of the watched regions. */
export async function listLitigationReports(tx: Tx, scope: { courtOrgIds: string[]; watchedPaths: string[] }) {
  const or: Prisma.LitigationReportWhereInput[] = [];
  if (scope.courtOrgIds.length) or.push({ courtOrgId: { in: scope.courtOrgIds } });
  for (const path of scope.watchedPaths)
    or.push({ status: "SUBMITTED", courtOrg: { region: { path: { startsWith: path } } } });
  if (!or.length) return [];
  const rows = await tx.litigationReport.findMany({
    where: { OR: or },
    select: {
      id: true,
      year: true,
      quarter: true,
      status: true,
      submittedAt: true,
      bulletinDocumentId: true,
      courtOrg: { select: { name: true } },
      _count: { select: { figures: true, cases: true } },
    },
    orderBy: [{ year: "desc" }, { quarter: "desc" }, { courtOrg: { name: "asc" } }],
    take: 200,
  });
  return rows.map((r) => ({
    id: r.id,
    year: r.year,
    quarter: r.quarter,
    status: r.status,
    submittedAt: r.submittedAt,
    bulletinDocumentId: r.bulletinDocumentId,
    courtName: r.courtOrg.name,
    agencies: r._count.figures,
    cases: r._count.cases,
  }));
}

/**
 * Submitted figures of the courts of a region and below, from a quarter on (`fromYear`): the raw
 * rows the trend is computed from, one per agency, court and quarter.
 */
export async function listSubmittedFigures(tx: Tx, regionPath: string, fromYear: number) {
  const rows = await tx.litigationFigure.findMany({
    where: {
      report: {
        status: "SUBMITTED",
        year: { gte: fromYear },
        courtOrg: { region: { path: { startsWith: regionPath } } },
      },
    },
    select: {
      agencyOrgId: true,
      filed: true,
      concluded: true,
      lost: true,
      headAppeared: true,
      mediatedWithdrawn: true,
      agencyOrg: { select: { name: true } },
      report: { select: { year: true, quarter: true } },
    },
  });
  return rows.map(({ agencyOrg, report, ...f }) => ({
    ...f,
    agencyName: agencyOrg.name,
    year: report.year,
    quarter: report.quarter,
  }));
}

/** The active justice bureau of a region: the court's partner for the 通报. */
export async function findRegionJusticeBureau(tx: Tx, regionId: string) {
  return tx.organization.findFirst({
    where: { regionId, kind: "JUSTICE_BUREAU", active: true },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}
