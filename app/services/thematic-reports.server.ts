import { database, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { getDocumentFacts } from "~/models/document.server";
import { getOrganization } from "~/models/organization.server";
import {
  collectThematicFigures,
  getThematicReport,
  insertThematicReport,
  type FigureScope,
} from "~/models/thematic-report.server";
import { chinaDay, endOfChinaDay, formatDateTime, isIsoDay, startOfChinaDay, DAY_MS } from "~/domain/dates";
import { invalid, notFound } from "~/domain/errors";
import { MAX_PERIOD_DAYS, figureChanges, parseThematicFigures } from "~/domain/thematic-report";
import { enforce } from "~/policies/decision";
import { documentAccess } from "~/policies/document";
import { authorizeThematicReport } from "~/policies/thematic-report";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { createDocumentTx } from "~/services/create-document.server";
import { periodLabel, thematicReportTemplate, thematicReportTitle } from "~/services/thematic-report-template";
import { newId } from "~/utils/ids";

/**
 * 专题报告 (ADR 026): generated for a unit's region and a period from the live data, as a draft the
 * unit edits like any document; its figures are frozen with the time they were read, and can be
 * compared with a new reading ("刷新数据").
 */

export interface ThematicReportInput {
  orgId: string;
  from: string;
  to: string;
}

/** The period as the page gave it, checked: two China days, in order, at most five years, not starting in the future. */
function checkPeriod(input: ThematicReportInput, now: Date) {
  const errors: Record<string, string[]> = {};
  if (!isIsoDay(input.from)) errors.from = ["请选择开始日期"];
  if (!isIsoDay(input.to)) errors.to = ["请选择结束日期"];
  if (Object.keys(errors).length) throw invalid("请选择统计期间", errors);
  const from = startOfChinaDay(input.from);
  const to = endOfChinaDay(input.to);
  if (to < from) throw invalid("结束日期不能早于开始日期", { to: ["结束日期不能早于开始日期"] });
  if (input.from > chinaDay(now)) throw invalid("开始日期不能晚于今天", { from: ["开始日期不能晚于今天"] });
  if ((to.getTime() - from.getTime()) / DAY_MS > MAX_PERIOD_DAYS)
    throw invalid("统计期间不能超过五年", { from: ["统计期间不能超过五年"] });
  return { from, to };
}

async function scopeOf(orgId: string, period: { from: Date; to: Date }, input: ThematicReportInput, now: Date) {
  const org = await getOrganization(database(), orgId);
  if (!org || !org.active) throw invalid("所选单位不存在或已停用", { orgId: ["所选单位不存在或已停用"] });
  const scope: FigureScope = {
    regionPath: org.region.path,
    regionName: org.region.name,
    from: period.from,
    to: period.to,
    asOf: now,
    periodFrom: input.from,
    periodTo: input.to,
  };
  return { org, scope };
}

export async function generateThematicReport(
  user: CurrentUser,
  input: ThematicReportInput,
  ctx: Pick<CommandContext, "ip" | "now">,
): Promise<{ documentId: string; reportId: string }> {
  enforce(authorizeThematicReport(user.actor, input.orgId));
  const period = checkPeriod(input, ctx.now);
  const { org, scope } = await scopeOf(input.orgId, period, input, ctx.now);
  const figures = await collectThematicFigures(database(), scope);
  const documentId = newId();
  const reportId = newId();
  const title = thematicReportTitle(figures);
  await transaction(async (tx) => {
    await createDocumentTx(tx, {
      id: documentId,
      type: "THEMATIC_REPORT",
      title,
      ownerOrgId: org.id,
      createdById: user.id,
      members: [],
      content: thematicReportTemplate(figures),
    });
    await insertThematicReport(tx, {
      id: reportId,
      documentId,
      orgId: org.id,
      regionId: org.region.id,
      periodFrom: period.from,
      periodTo: period.to,
      figures: JSON.stringify(figures),
      generatedAt: ctx.now,
      createdById: user.id,
    });
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: org.id,
      action: "report.generated",
      targetType: "ThematicReport",
      targetId: reportId,
      summary: `生成《${title}》（${org.region.name}，${periodLabel(input.from, input.to)}，数据截至${formatDateTime(ctx.now)}）`,
      ip: ctx.ip,
    });
  });
  return { documentId, reportId };
}

/**
 * 刷新数据: the frozen figures of a report next to a new reading of the same region and period, and
 * the lines that differ. For whoever reads the report's document.
 */
export async function compareThematicFigures(user: CurrentUser, reportId: string, now: Date) {
  const db = database();
  const report = await getThematicReport(db, reportId);
  const facts = report ? await getDocumentFacts(db, report.documentId) : null;
  if (!report || !facts || documentAccess(user.actor, facts) === "none") throw notFound("专题报告不存在或您无权查看。");
  const frozen = parseThematicFigures(report.figures);
  if (!frozen) throw notFound("该专题报告的数据无法读取。");
  const current = await collectThematicFigures(db, {
    regionPath: report.region.path,
    regionName: report.region.name,
    from: report.periodFrom,
    to: report.periodTo,
    asOf: now,
    periodFrom: frozen.periodFrom,
    periodTo: frozen.periodTo,
  });
  return {
    report: {
      id: report.id,
      documentId: report.documentId,
      title: report.document.title,
      generatedAt: report.generatedAt,
      period: periodLabel(frozen.periodFrom, frozen.periodTo),
      regionName: report.region.name,
    },
    frozen,
    current,
    changes: figureChanges(frozen, current),
  };
}
