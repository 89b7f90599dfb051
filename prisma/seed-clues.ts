import { getDb } from "../app/db.server";
import { addDaysIso, chinaDay } from "../app/domain/dates";
import { createEventBus } from "../app/services/events.server";
import {
  giveClueFeedback,
  receiveClue,
  startHandlingClue,
  transferClue,
  type ClueContext,
} from "../app/services/clues.server";
import { seedActor } from "./seed-actor";

export const DEMO_CLUE_OVERDUE_NUMBER = "示司移〔2026〕7号";
export const DEMO_CLUE_FEEDBACK_NUMBER = "示司移〔2026〕5号";

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

/**
 * Demo clues (线索移送, ADR 023) on top of the directory (run by `npm run db:seed`), both sent by
 * 市司法局 (sfj.coord):
 *  1. to 市纪委监委, transferred ten days ago and not yet signed for — overdue for receipt;
 *  2. to 市人民检察院, signed for, handled and answered (立案) — waiting for 市司法局 to 办结.
 * Written through the services the pages use, at the past times they happened (their `now`).
 * Idempotent: each is skipped once its 文号 exists.
 */
export async function seedClues(): Promise<string[]> {
  const db = getDb();
  const org = async (name: string) =>
    (await db.organization.findUniqueOrThrow({ where: { name }, select: { id: true } })).id;
  const events = createEventBus();
  const today = chinaDay();
  /** The context of a command run `daysAgo` days ago at 10:00 China time. */
  const at = (daysAgo: number): ClueContext => ({
    ip: null,
    events,
    now: new Date(`${addDaysIso(today, -daysAgo)}T10:00:00+08:00`),
  });
  const exists = async (fromOrgId: string, docNumber: string) =>
    (await db.clue.findUnique({ where: { fromOrgId_docNumber: { fromOrgId, docNumber } }, select: { id: true } })) !==
    null;
  const sfj = await org("示例市司法局");
  const created: string[] = [];

  if (!(await exists(sfj, DEMO_CLUE_OVERDUE_NUMBER))) {
    await transferClue(
      await seedActor("sfj.coord"),
      {
        fromOrgId: sfj,
        toOrgId: await org("示例市纪委监委"),
        docNumber: DEMO_CLUE_OVERDUE_NUMBER,
        source: "CASE_REVIEW",
        summary:
          "2026年行政执法案卷评查中发现，某执法大队在3起占道经营处罚案件中，对同一当事人多次作出处罚决定后又予以撤销，罚没款去向不明，相关执法人员涉嫌违规办理“人情案”。",
        involvedUnits: "示例市城市管理综合行政执法局某执法大队",
        involvedPersons: "执法人员甲（某执法大队副大队长）、执法人员乙（某执法中队队员）",
        needsFeedback: true,
        feedbackDue: null,
        files: [],
      },
      at(10),
    );
    created.push(`线索 ${DEMO_CLUE_OVERDUE_NUMBER}（市司法局移送市纪委监委，逾期未签收）`);
  }

  if (!(await exists(sfj, DEMO_CLUE_FEEDBACK_NUMBER))) {
    const { id } = await transferClue(
      await seedActor("sfj.coord"),
      {
        fromOrgId: sfj,
        toOrgId: await org("示例市人民检察院"),
        docNumber: DEMO_CLUE_FEEDBACK_NUMBER,
        source: "SUPERVISION",
        summary:
          "行政执法监督中发现，某县自然资源部门对群众多次举报的非法占用耕地建房行为长期未依法查处，涉案耕地约12亩已被硬化，可能损害国家利益和社会公共利益。",
        involvedUnits: "甲县自然资源局",
        involvedPersons: "违法建设当事人丙",
        needsFeedback: true,
        feedbackDue: addDaysIso(today, 10),
        files: [{ name: "执法监督发现问题情况.pdf", type: "application/pdf", data: PDF }],
      },
      at(20),
    );
    const procu = await seedActor("procu.coord");
    await receiveClue(procu, id, at(18));
    await startHandlingClue(procu, id, at(17));
    await giveClueFeedback(
      procu,
      id,
      {
        outcome: "FILED",
        text: "经审查，已作为行政公益诉讼案件立案，并向甲县自然资源局发出诉前检察建议，督促其依法履行查处职责。",
        files: [],
      },
      at(3),
    );
    created.push(`线索 ${DEMO_CLUE_FEEDBACK_NUMBER}（市司法局移送市人民检察院，已反馈：立案）`);
  }
  return created;
}
