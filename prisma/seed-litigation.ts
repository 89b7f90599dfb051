import { getDb } from "../app/db.server";
import { quarterLabel } from "../app/domain/litigation";
import { createEventBus } from "../app/services/events.server";
import {
  createLitigationBulletin,
  openLitigationQuarter,
  saveLitigationCases,
  saveLitigationFigures,
  submitLitigationReport,
  type LitigationContext,
} from "../app/services/litigation.server";
import { seedActor } from "./seed-actor";

/**
 * 府院联动 demo data (ADR 025): seven quarters (2025 Q1 – 2026 Q3) of administrative-litigation
 * figures filed and 报送 by 示例市中级人民法院 (court.drafter), in which 示例市城市管理综合行政执法局's
 * 败诉率 rises two quarters in a row (the trend flags it) while the city as a whole achieves 双下降,
 * two notable cases in the last quarter, and that quarter's 通报 generated for co-drafting.
 * Written through the services the pages use. Idempotent: a quarter already filed is left alone.
 */
export const DEMO_RISING_AGENCY = "示例市城市管理综合行政执法局";
export const DEMO_LITIGATION_QUARTERS: ReadonlyArray<readonly [number, number]> = [
  [2025, 1],
  [2025, 2],
  [2025, 3],
  [2025, 4],
  [2026, 1],
  [2026, 2],
  [2026, 3],
];

/** [filed, concluded, lost, headAppeared, mediatedWithdrawn] per agency and quarter (index into the list above). */
const FIGURES: Record<string, ReadonlyArray<readonly [number, number, number, number, number]>> = {
  示例市市场监督管理局: [
    [14, 12, 2, 9, 3],
    [13, 12, 2, 10, 2],
    [15, 13, 2, 11, 3],
    [12, 12, 1, 11, 2],
    [11, 10, 1, 9, 2],
    [10, 10, 1, 9, 3],
    [12, 11, 1, 10, 2],
  ],
  示例市生态环境局: [
    [6, 5, 1, 3, 1],
    [7, 6, 1, 4, 1],
    [5, 5, 1, 4, 0],
    [6, 6, 1, 5, 1],
    [5, 5, 0, 5, 1],
    [4, 4, 1, 4, 0],
    [5, 5, 0, 5, 1],
  ],
  [DEMO_RISING_AGENCY]: [
    [18, 16, 3, 8, 4],
    [17, 16, 3, 9, 3],
    [16, 15, 2, 10, 4],
    [15, 14, 2, 10, 3],
    [14, 10, 1, 8, 3],
    [13, 10, 2, 8, 2],
    [12, 10, 3, 8, 2],
  ],
  示例市交通运输局: [
    [8, 7, 1, 5, 2],
    [7, 7, 1, 5, 1],
    [8, 7, 1, 6, 2],
    [6, 6, 1, 6, 1],
    [6, 6, 1, 6, 1],
    [7, 6, 0, 6, 2],
    [5, 5, 0, 5, 1],
  ],
  示例市人民政府: [
    [4, 4, 1, 4, 0],
    [3, 3, 0, 3, 1],
    [4, 3, 1, 3, 0],
    [3, 3, 0, 3, 1],
    [3, 3, 0, 3, 0],
    [2, 2, 0, 2, 1],
    [3, 3, 0, 3, 0],
  ],
  甲县综合行政执法局: [
    [5, 5, 1, 2, 1],
    [6, 5, 1, 3, 1],
    [5, 4, 1, 3, 1],
    [4, 4, 0, 3, 1],
    [4, 4, 1, 3, 0],
    [5, 4, 0, 4, 1],
    [4, 4, 0, 4, 1],
  ],
};

const CASES = [
  {
    agency: DEMO_RISING_AGENCY,
    caseNumber: "（2026）示01行初27号",
    cause: "行政强制拆除",
    outcome: "确认被诉强制拆除行为违法",
    problem: "未依法履行催告程序即实施强制拆除，未听取当事人陈述申辩，执法全过程记录缺失。",
  },
  {
    agency: DEMO_RISING_AGENCY,
    caseNumber: "（2026）示01行初31号",
    cause: "行政处罚（占道经营）",
    outcome: "判决撤销被诉处罚决定",
    problem: "处罚决定认定事实的证据仅有现场照片，未制作现场笔录，适用自由裁量基准不当。",
  },
  {
    agency: "示例市市场监督管理局",
    caseNumber: "（2026）示01行初35号",
    cause: "行政许可（食品经营许可）",
    outcome: "驳回原告诉讼请求",
    problem: "许可审查程序规范，负责人出庭应诉并当庭说明审查标准，可作为规范执法的正面案例。",
  },
];

export async function seedLitigation(): Promise<string[]> {
  const db = getDb();
  const court = await db.organization.findUniqueOrThrow({
    where: { name: "示例市中级人民法院" },
    select: { id: true },
  });
  const agencies = new Map(
    (
      await db.organization.findMany({
        where: { name: { in: [...Object.keys(FIGURES), ...CASES.map((c) => c.agency)] } },
        select: { id: true, name: true },
      })
    ).map((o) => [o.name, o.id]),
  );
  const drafter = await seedActor("court.drafter");
  const events = createEventBus();
  const done: string[] = [];
  for (const [index, [year, quarter]] of DEMO_LITIGATION_QUARTERS.entries()) {
    if (
      await db.litigationReport.findUnique({
        where: { courtOrgId_year_quarter: { courtOrgId: court.id, year, quarter } },
      })
    )
      continue;
    // Filed in the second week after the quarter ends.
    const endMonth = quarter * 3;
    const filedOn = quarter === 4 ? `${year + 1}-01-12` : `${year}-${String(endMonth + 1).padStart(2, "0")}-12`;
    const ctx: LitigationContext = { ip: null, events, now: new Date(`${filedOn}T10:00:00+08:00`) };
    const { id } = await openLitigationQuarter(drafter, { courtOrgId: court.id, year, quarter }, ctx);
    await saveLitigationFigures(
      drafter,
      id,
      Object.entries(FIGURES).map(([name, rows]) => {
        const [filed, concluded, lost, headAppeared, mediatedWithdrawn] = rows[index];
        return { agencyOrgId: agencies.get(name)!, filed, concluded, lost, headAppeared, mediatedWithdrawn };
      }),
      ctx,
    );
    const last = index === DEMO_LITIGATION_QUARTERS.length - 1;
    if (last)
      await saveLitigationCases(
        drafter,
        id,
        CASES.map(({ agency, ...c }) => ({ agencyOrgId: agencies.get(agency)!, ...c })),
        ctx,
      );
    await submitLitigationReport(drafter, id, ctx);
    if (last) {
      await createLitigationBulletin(drafter, id, { ...ctx, now: new Date(`${filedOn}T15:00:00+08:00`) });
      done.push(`${quarterLabel(year, quarter)}行政诉讼案件审理情况通报 (drafting, court + 市司法局)`);
    }
  }
  if (done.length || !(await db.litigationReport.count()))
    done.unshift(
      `府院联动: ${DEMO_LITIGATION_QUARTERS.length} quarters of 市中院 figures, ${DEMO_RISING_AGENCY} flagged`,
    );
  return done;
}
