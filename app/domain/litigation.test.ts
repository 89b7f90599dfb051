import { describe, expect, it } from "vitest";
import {
  agencyTrend,
  appearanceRate,
  figureProblems,
  isFilableQuarter,
  lossRate,
  percentLabel,
  quarterLabel,
  quarterOf,
  type QuarterFigures,
} from "./litigation";

const q = (year: number, quarter: number, filed: number, concluded: number, lost: number): QuarterFigures => ({
  year,
  quarter,
  filed,
  concluded,
  lost,
  headAppeared: 0,
  mediatedWithdrawn: 0,
});

describe("府院联动 figures", () => {
  it("derives the rates from the concluded cases, with one decimal, and none without any", () => {
    expect(lossRate({ lost: 1, concluded: 3 })).toBe(33.3);
    expect(appearanceRate({ headAppeared: 2, concluded: 3 })).toBe(66.7);
    expect(lossRate({ lost: 0, concluded: 0 })).toBeNull();
    expect(percentLabel(null)).toBe("—");
    expect(percentLabel(12.5)).toBe("12.5%");
  });

  it("refuses impossible figures with Chinese reasons", () => {
    const ok = { filed: 5, concluded: 4, lost: 1, headAppeared: 3, mediatedWithdrawn: 1 };
    expect(figureProblems(ok)).toEqual([]);
    expect(figureProblems({ ...ok, lost: 5 })).toContain("行政机关败诉数不能大于审结数");
    expect(figureProblems({ ...ok, headAppeared: 9 })).toContain("负责人出庭应诉数不能大于审结数");
    expect(figureProblems({ ...ok, lost: 3, mediatedWithdrawn: 2 })).toContain("败诉数与调解撤诉数之和不能大于审结数");
    expect(figureProblems({ ...ok, filed: -1 })).toEqual(["收案数应为不小于 0 的整数"]);
    expect(figureProblems({ ...ok, filed: 1.5 })).toEqual(["收案数应为不小于 0 的整数"]);
    expect(figureProblems({ ...ok, filed: 100_001 })).toEqual(["收案数不能超过 100000"]);
  });

  it("names quarters in China time and files only quarters that have begun", () => {
    expect(quarterOf(new Date("2026-03-31T16:30:00Z"))).toEqual({ year: 2026, quarter: 2 });
    expect(quarterLabel(2026, 3)).toBe("2026年第三季度");
    const now = new Date("2026-07-02T02:00:00Z");
    expect(isFilableQuarter(2026, 3, now)).toBe(true);
    expect(isFilableQuarter(2026, 4, now)).toBe(false);
    expect(isFilableQuarter(2026, 0, now)).toBe(false);
    expect(isFilableQuarter(1999, 1, now)).toBe(false);
  });

  it("flags a 败诉率 that rose in each of the last two quarters, not one that rose once or had a gap", () => {
    expect(agencyTrend([q(2026, 1, 10, 10, 1), q(2026, 2, 10, 10, 2), q(2026, 3, 10, 10, 3)]).rising).toBe(true);
    // Given in any order.
    expect(agencyTrend([q(2026, 3, 10, 10, 3), q(2026, 1, 10, 10, 1), q(2026, 2, 10, 10, 2)]).rising).toBe(true);
    expect(agencyTrend([q(2026, 1, 10, 10, 1), q(2026, 2, 10, 10, 2), q(2026, 3, 10, 10, 2)]).rising).toBe(false);
    // Q2 missing: no two consecutive rises.
    expect(agencyTrend([q(2026, 1, 10, 10, 1), q(2026, 3, 10, 10, 3)]).rising).toBe(false);
    // Across the year: 2025 Q4 → 2026 Q1 → Q2.
    expect(agencyTrend([q(2025, 4, 10, 10, 0), q(2026, 1, 10, 10, 1), q(2026, 2, 10, 10, 2)]).rising).toBe(true);
    // Nothing concluded in one quarter: no rate, no flag.
    expect(agencyTrend([q(2026, 1, 10, 10, 1), q(2026, 2, 3, 0, 0), q(2026, 3, 10, 10, 3)]).rising).toBe(false);
  });

  it("reads 双下降 from the same quarters of the year before", () => {
    const t = agencyTrend([q(2025, 1, 12, 10, 3), q(2025, 2, 12, 10, 2), q(2026, 1, 10, 10, 2), q(2026, 2, 9, 10, 1)]);
    expect(t.doubleDecline).toEqual({ year: 2026, filed: [24, 19], lossRate: [25, 15], met: true });
    const up = agencyTrend([q(2025, 1, 12, 10, 1), q(2026, 1, 10, 10, 2)]);
    expect(up.doubleDecline?.met).toBe(false);
    expect(agencyTrend([q(2026, 1, 10, 10, 2)]).doubleDecline).toBeNull();
  });
});
