import { describe, expect, it } from "vitest";
import { RECOMMENDATION_KINDS } from "./recommendation";
import {
  emptyItemCounts,
  emptyRecommendationCounts,
  figureChanges,
  figureLines,
  onTimeRate,
  parseThematicFigures,
  type ThematicFigures,
} from "./thematic-report";

const figures = (): ThematicFigures => ({
  version: 1,
  asOf: "2026-12-07T02:00:00.000Z",
  regionName: "示例市",
  periodFrom: "2026-01-01",
  periodTo: "2026-12-07",
  consultations: { held: 2, items: { ...emptyItemCounts(), total: 5, closed: 1, open: 4, overdue: 1 } },
  recommendations: Object.fromEntries(
    RECOMMENDATION_KINDS.map((k) => [k, emptyRecommendationCounts()]),
  ) as ThematicFigures["recommendations"],
  rectification: emptyItemCounts(),
  listings: emptyItemCounts(),
  clues: {
    transferred: 2,
    received: 1,
    returned: 0,
    answered: 1,
    byRoute: { JUSTICE_TO_DISCIPLINE: 2 },
    byOutcome: {},
  },
  litigation: { quarters: ["2026Q1"], filed: 10, concluded: 8, lost: 2, headAppeared: 6, mediatedWithdrawn: 1 },
  cases: { published: 1, byField: { 市场监管: 1 } },
});

describe("专题报告 figures", () => {
  it("names every figure, rates included", () => {
    const lines = figureLines(figures());
    expect(lines.find((l) => l.label === "完成率")).toMatchObject({ section: "consultations", value: 20, unit: "%" });
    expect(lines.find((l) => l.label === "败诉率")).toMatchObject({ value: 25 });
    expect(lines.find((l) => l.label === "移送：违规违纪、职务违法犯罪线索")).toMatchObject({ value: 2 });
    expect(lines.find((l) => l.label === "领域：市场监管")).toMatchObject({ value: 1 });
  });

  it("lists exactly what changed between two readings, new and vanished lines included", () => {
    const before = figures();
    expect(figureChanges(before, figures())).toEqual([]);
    const after = figures();
    after.consultations.items.closed = 2;
    after.consultations.items.open = 3;
    after.clues.byOutcome.FILED = 1;
    after.cases.byField = {};
    after.cases.published = 0;
    const changes = figureChanges(before, after).map((c) => `${c.label}:${c.before}→${c.value}`);
    expect(changes).toEqual(
      expect.arrayContaining([
        "已销号:1→2",
        "推进中:4→3",
        "完成率:20→40",
        "结果：立案:null→1",
        "发布典型案例:1→0",
        "领域：市场监管:1→null",
      ]),
    );
    expect(changes).toHaveLength(6);
  });

  it("counts replies on time among those due or given, and reads back only its own JSON", () => {
    expect(
      onTimeRate({ ...emptyRecommendationCounts(), repliedOnTime: 1, repliedLate: 1, overdue: 2, pending: 5 }),
    ).toBe(25);
    expect(onTimeRate(emptyRecommendationCounts())).toBeNull();
    expect(parseThematicFigures(JSON.stringify(figures()))?.regionName).toBe("示例市");
    expect(parseThematicFigures("{")).toBeNull();
    expect(parseThematicFigures(JSON.stringify({ version: 2 }))).toBeNull();
  });
});
