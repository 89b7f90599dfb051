import { database, transaction, isUniqueViolation } from "~/models/unit-of-work.server";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import {
  countLitigationFigures,
  findLitigationReport,
  findRegionJusticeBureau,
  getLitigationDetail,
  getLitigationFacts,
  insertLitigationReport,
  listDefendantAgencies,
  listSubmittedFigures,
  markLitigationSubmitted,
  replaceLitigationCases,
  replaceLitigationFigures,
  setLitigationBulletin,
  type CaseRow,
  type FigureRow,
  type LitigationFactsRow,
} from "~/models/litigation.server";
import { formatDate } from "~/domain/dates";
import { conflict, invalid, notFound, type FieldErrors } from "~/domain/errors";
import { MAX_CASES, caseFieldProblems, figureProblems, isFilableQuarter, quarterLabel } from "~/domain/litigation";
import { enforce } from "~/policies/decision";
import { authorizeFiling, authorizeLitigation } from "~/policies/litigation";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { createDocumentTx } from "~/services/create-document.server";
import { bulletinTemplate, bulletinTitle } from "~/services/litigation-bulletin";
import { litigationTemplate, readLitigationWorkbook } from "~/services/import/litigation-workbook.server";
import { notifyAudience } from "~/services/notify.server";
import { newId } from "~/utils/ids";

/**
 * 府院联动 commands (ADR 025): a court opens a quarter, enters its figures by form or by its
 * workbook, adds notable cases and 报送; then the court or the region's justice bureau generates
 * the 通报, a document they draft, countersign and export together.
 */

export type LitigationContext = Pick<CommandContext, "ip" | "events" | "now">;

async function loadReadable(user: CurrentUser, id: string): Promise<LitigationFactsRow> {
  const facts = await getLitigationFacts(database(), id);
  if (!facts || !authorizeLitigation(user.actor, "read", facts).allowed)
    throw notFound("行政诉讼数据不存在或您无权查看。");
  return facts;
}

async function audit(
  tx: Parameters<typeof recordAudit>[0],
  user: CurrentUser,
  r: { id: string; courtOrgId: string },
  action: AuditAction,
  summary: string,
  ip: string | null,
) {
  await recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: r.courtOrgId,
    action,
    targetType: "LitigationReport",
    targetId: r.id,
    summary,
    ip,
  });
}

/** 填报: the court's report of a quarter, opened once (asked again, the one that exists). */
export async function openLitigationQuarter(
  user: CurrentUser,
  input: { courtOrgId: string; year: number; quarter: number },
  ctx: LitigationContext,
): Promise<{ id: string }> {
  enforce(authorizeFiling(user.actor, input.courtOrgId));
  if (!isFilableQuarter(input.year, input.quarter, ctx.now))
    throw invalid("只能填报已经开始的季度。", { quarter: ["只能填报已经开始的季度。"] });
  const db = database();
  const existing = await findLitigationReport(db, input.courtOrgId, input.year, input.quarter);
  if (existing) return existing;
  const id = newId();
  try {
    await transaction(async (tx) => {
      await insertLitigationReport(tx, { id, ...input, createdById: user.id });
      await audit(
        tx,
        user,
        { id, courtOrgId: input.courtOrgId },
        "litigation.opened",
        `开始填报${quarterLabel(input.year, input.quarter)}行政诉讼案件数据`,
        ctx.ip,
      );
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const again = await findLitigationReport(db, input.courtOrgId, input.year, input.quarter);
    if (again) return again;
    throw error;
  }
  return { id };
}

async function loadEditable(user: CurrentUser, id: string) {
  const r = await loadReadable(user, id);
  enforce(authorizeLitigation(user.actor, "edit", r));
  return r;
}

/** The figures entered in the form, one row per agency; blank rows were left out by the page. */
export async function saveLitigationFigures(
  user: CurrentUser,
  id: string,
  rows: FigureRow[],
  ctx: LitigationContext,
): Promise<void> {
  const r = await loadEditable(user, id);
  const agencies = new Set((await listDefendantAgencies(database(), r.regionPath)).map((a) => a.id));
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `agency.${row.agencyOrgId}`;
    if (!agencies.has(row.agencyOrgId) || seen.has(row.agencyOrgId)) errors[key] = ["被告单位不在本地区行政机关名录中"];
    else {
      const problems = figureProblems(row);
      if (problems.length) errors[key] = problems;
    }
    seen.add(row.agencyOrgId);
  }
  if (Object.keys(errors).length)
    throw invalid(`有 ${Object.keys(errors).length} 个单位的数据需要修改，未保存。`, errors);
  await transaction(async (tx) => {
    if (!(await replaceLitigationFigures(tx, id, rows))) throw conflict("数据已报送，不能再修改。");
    await audit(
      tx,
      user,
      r,
      "litigation.figures_saved",
      `保存${quarterLabel(r.year, r.quarter)}行政诉讼案件数据：${rows.length} 个被告单位`,
      ctx.ip,
    );
  });
}

/** The notable cases entered in the form (the whole list, in order). */
export async function saveLitigationCases(
  user: CurrentUser,
  id: string,
  cases: CaseRow[],
  ctx: LitigationContext,
): Promise<void> {
  const r = await loadEditable(user, id);
  if (cases.length > MAX_CASES) throw invalid(`最多填写 ${MAX_CASES} 件典型案件。`);
  const agencies = new Set((await listDefendantAgencies(database(), r.regionPath)).map((a) => a.id));
  const errors: FieldErrors = {};
  cases.forEach((c, i) => {
    const problems = caseFieldProblems(c);
    if (!agencies.has(c.agencyOrgId)) problems.unshift("请选择本地区的被告单位");
    if (problems.length) errors[`case.${i}`] = problems;
  });
  if (Object.keys(errors).length) throw invalid("典型案件有需要修改的地方，未保存。", errors);
  await transaction(async (tx) => {
    if (!(await replaceLitigationCases(tx, id, cases))) throw conflict("数据已报送，不能再修改。");
    await audit(
      tx,
      user,
      r,
      "litigation.cases_saved",
      `保存${quarterLabel(r.year, r.quarter)}典型案件 ${cases.length} 件`,
      ctx.ip,
    );
  });
}

/**
 * 上传工作簿: the court's .xlsx replaces the figures and the notable cases, only when every row is
 * right (otherwise every problem is listed and nothing changes).
 */
export async function importLitigationWorkbook(
  user: CurrentUser,
  id: string,
  file: { name: string; data: Uint8Array },
  ctx: LitigationContext,
): Promise<{ figures: number; cases: number }> {
  const r = await loadEditable(user, id);
  const agencies = await listDefendantAgencies(database(), r.regionPath);
  const read = await readLitigationWorkbook(file.data, agencies);
  await transaction(async (tx) => {
    if (!(await replaceLitigationFigures(tx, id, read.figures))) throw conflict("数据已报送，不能再修改。");
    await replaceLitigationCases(tx, id, read.cases);
    await audit(
      tx,
      user,
      r,
      "litigation.workbook_imported",
      `导入工作簿：${read.figures.length} 个被告单位、典型案件 ${read.cases.length} 件`,
      ctx.ip,
    );
  });
  return { figures: read.figures.length, cases: read.cases.length };
}

/** 报送: the figures go to the justice bureau, government and 依法治理办 of the region; no more changes. */
export async function submitLitigationReport(user: CurrentUser, id: string, ctx: LitigationContext): Promise<void> {
  const r = await loadReadable(user, id);
  enforce(authorizeLitigation(user.actor, "submit", r));
  const db = database();
  if ((await countLitigationFigures(db, id)) === 0) throw invalid("请先填写至少一个被告单位的数据再报送。");
  const bureau = await findRegionJusticeBureau(db, r.regionId);
  const events = await transaction(async (tx) => {
    if (!(await markLitigationSubmitted(tx, id, ctx.now))) throw conflict("数据已报送。");
    await audit(tx, user, r, "litigation.submitted", `报送${quarterLabel(r.year, r.quarter)}行政诉讼案件数据`, ctx.ip);
    if (!bureau) return [];
    return notifyAudience(
      tx,
      { orgIds: [bureau.id], roles: ["COORDINATOR", "DRAFTER"], except: user.id },
      {
        kind: "litigation.submitted",
        title: `${r.courtName}报送了${quarterLabel(r.year, r.quarter)}行政诉讼案件数据`,
        body: "可查看各被告单位的收结案、败诉和出庭应诉情况，并共同起草通报。",
        link: `/litigation/${id}`,
      },
    );
  });
  for (const e of events) ctx.events.publish(e);
}

/**
 * 生成通报: a 府院联动通报 owned by the court, co-drafted by the region's justice bureau, with the
 * quarter's figures, tables and charts as its first content. Asked again: the one that exists.
 */
export async function createLitigationBulletin(
  user: CurrentUser,
  id: string,
  ctx: LitigationContext,
): Promise<{ documentId: string }> {
  const r = await loadReadable(user, id);
  if (r.bulletinDocumentId) return { documentId: r.bulletinDocumentId };
  enforce(authorizeLitigation(user.actor, "generateBulletin", r));
  const db = database();
  const [detail, bureau, history] = await Promise.all([
    getLitigationDetail(db, id),
    findRegionJusticeBureau(db, r.regionId),
    listSubmittedFigures(db, r.regionPath, r.year - 2),
  ]);
  const documentId = newId();
  const content = bulletinTemplate({
    courtName: r.courtName,
    justiceBureauName: bureau?.name ?? null,
    regionName: r.regionName,
    year: r.year,
    quarter: r.quarter,
    figures: detail.figures,
    cases: detail.cases,
    history,
    asOf: formatDate(detail.submittedAt ?? ctx.now),
  });
  const title = bulletinTitle(r.regionName, r.year, r.quarter);
  const events = await transaction(async (tx) => {
    await createDocumentTx(tx, {
      id: documentId,
      type: "LITIGATION_BULLETIN",
      title,
      ownerOrgId: r.courtOrgId,
      createdById: user.id,
      members: bureau ? [{ orgId: bureau.id, access: "WRITE" as const }] : [],
      content,
    });
    if (!(await setLitigationBulletin(tx, id, documentId))) return null;
    await audit(tx, user, r, "litigation.bulletin_created", `生成《${title}》`, ctx.ip);
    return notifyAudience(
      tx,
      { orgIds: [r.courtOrgId, ...(bureau ? [bureau.id] : [])], roles: ["COORDINATOR", "DRAFTER"], except: user.id },
      {
        kind: "litigation.bulletin_created",
        title: `请共同起草：${title}`,
        body: `由${quarterLabel(r.year, r.quarter)}报送的数据生成，含各单位情况表和统计图`,
        link: `/documents/${documentId}`,
      },
    );
  });
  if (events === null) {
    const again = await getLitigationFacts(db, id);
    if (again?.bulletinDocumentId) return { documentId: again.bulletinDocumentId };
    throw conflict("通报状态已变化，请刷新后重试。");
  }
  for (const e of events) ctx.events.publish(e);
  return { documentId };
}

/** The court's template for this report, with what it holds so far (a filled-in copy to correct). */
export async function litigationWorkbookFor(
  user: CurrentUser,
  id: string,
): Promise<{ fileName: string; data: Buffer }> {
  const r = await loadReadable(user, id);
  const db = database();
  const [agencies, detail] = await Promise.all([listDefendantAgencies(db, r.regionPath), getLitigationDetail(db, id)]);
  const data = await litigationTemplate({
    courtName: r.courtName,
    year: r.year,
    quarter: r.quarter,
    agencies,
    figures: detail.figures,
    cases: detail.cases,
  });
  return { fileName: `${r.courtName}${quarterLabel(r.year, r.quarter)}行政诉讼案件数据.xlsx`, data };
}
