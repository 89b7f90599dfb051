import { describe, expect, it } from "vitest";
import {
  chartDescription,
  chartSvg,
  chartWords,
  formatChartValue,
  niceScale,
  parseChartSpec,
  type ChartSpec,
} from "./chart";

const bar: ChartSpec = {
  kind: "bar",
  title: "各单位收案数",
  unit: "件",
  categories: ["示例市公安局", "示例市司法局", "示例市市场监督管理局"],
  series: [
    { name: "2025年", values: [12, 8, 23] },
    { name: "2026年", values: [15, null, 7.5] },
  ],
};

const line: ChartSpec = {
  kind: "line",
  title: "各季度纠错率",
  unit: "%",
  categories: ["第一季度", "第二季度", "第三季度", "第四季度"],
  series: [{ name: "纠错率", values: [12.5, 10.25, 9, 11] }],
};

describe("parseChartSpec", () => {
  it("accepts good specs, as objects or JSON", () => {
    expect(parseChartSpec(bar)).toEqual(bar);
    expect(parseChartSpec(JSON.stringify(line))).toEqual(line);
    // title and unit may be left out; unknown keys are dropped
    expect(parseChartSpec({ kind: "bar", categories: ["甲"], series: [{ values: [0] }], extra: 1 })).toEqual({
      kind: "bar",
      title: "",
      unit: "",
      categories: ["甲"],
      series: [{ name: "", values: [0] }],
    });
    // the largest allowed chart
    const big = {
      kind: "bar",
      title: "题".repeat(80),
      unit: "万元",
      categories: Array.from({ length: 24 }, (_, i) => `单位${i}`.padEnd(30, "甲")),
      series: Array.from({ length: 6 }, (_, s) => ({ name: `系列${s}`, values: Array(24).fill(1e9) })),
    };
    expect(parseChartSpec(big)).not.toBeNull();
  });

  it("drops control characters and folds whitespace in strings", () => {
    expect(parseChartSpec({ ...bar, title: " 各单位\n收案数\u0000 " })?.title).toBe("各单位 收案数");
  });

  it("refuses anything else", () => {
    const bad: unknown[] = [
      null,
      undefined,
      42,
      "",
      "{not json",
      "[]",
      [],
      { ...bar, kind: "pie" },
      { ...bar, categories: [] },
      { ...bar, categories: Array.from({ length: 25 }, (_, i) => String(i)) },
      { ...bar, categories: ["甲", 2, "丙"] },
      { ...bar, series: [] },
      { ...bar, series: Array.from({ length: 7 }, () => ({ name: "x", values: [1, 2, 3] })) },
      { ...bar, series: [{ name: "x", values: [1, 2] }] },
      { ...bar, series: [{ name: "x", values: [1, 2, 3, 4] }] },
      { ...bar, series: [{ name: "x", values: [1, Number.NaN, 3] }] },
      { ...bar, series: [{ name: "x", values: [1, Infinity, 3] }] },
      { ...bar, series: [{ name: "x", values: [1, -1, 3] }] },
      { ...bar, series: [{ name: "x", values: [1, 1e9 + 1, 3] }] },
      { ...bar, series: [{ name: "x", values: [1, "2", 3] }] },
      { ...bar, series: [{ name: "x", values: "1,2,3" }] },
      { ...bar, series: [{ name: 5, values: [1, 2, 3] }] },
      { ...bar, series: [{ name: "名".repeat(31), values: [1, 2, 3] }] },
      { ...bar, title: "题".repeat(81) },
      { ...bar, title: 7 },
      { ...bar, unit: "单位".repeat(6) },
      { ...bar, categories: ["类".repeat(31), "乙", "丙"] },
      { ...bar, series: [{ name: "x", values: Array(100_000).fill(1) }] },
      "x".repeat(70_000),
    ];
    for (const raw of bad) expect(parseChartSpec(raw), JSON.stringify(raw)?.slice(0, 80)).toBeNull();
  });
});

describe("niceScale", () => {
  it("rounds the maximum and keeps 4 or 5 steps", () => {
    expect(niceScale(31)).toEqual({ max: 40, step: 10, ticks: 4 });
    expect(niceScale(12)).toEqual({ max: 20, step: 5, ticks: 4 });
    expect(niceScale(0)).toEqual({ max: 4, step: 1, ticks: 4 });
    expect(niceScale(0.35)).toEqual({ max: 0.4, step: 0.1, ticks: 4 });
    expect(niceScale(1e9)).toEqual({ max: 1e9, step: 2e8, ticks: 5 });
    for (const max of [1, 3, 7, 9.5, 48, 99, 101, 250, 999, 12345]) {
      const s = niceScale(max);
      expect(s.max).toBeGreaterThanOrEqual(max);
      expect(s.ticks).toBeGreaterThanOrEqual(4);
      expect(s.ticks).toBeLessThanOrEqual(5);
    }
  });
});

describe("chartSvg", () => {
  it("is a standalone SVG document with every value, category, series name and the unit", () => {
    const svg = chartSvg(bar);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="360" viewBox="0 0 640 360"/,
    );
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain('fill="#ffffff"');
    for (const v of ["12", "8", "23", "15", "7.5", "—"]) expect(svg).toContain(`>${v}</text>`);
    for (const c of bar.categories) expect(svg).toContain(c.slice(0, 3));
    for (const s of bar.series) expect(svg).toContain(`>${s.name}</text>`);
    expect(svg).toContain("单位：件");
    expect(svg).toContain("Noto Sans CJK SC");
    // no script, no reference to anything outside
    expect(svg).not.toMatch(/<script|href=|url\((?!#)|@import/i);
  });

  it("draws lines with markers and a value at every point, without a legend for one series", () => {
    const svg = chartSvg(line);
    for (const v of ["12.5", "10.25", "9", "11"]) expect(svg).toContain(`>${v}</text>`);
    expect(svg).toContain("<path");
    expect(svg).toContain("<circle");
    expect(svg).not.toContain(">纠错率</text>");
    expect(svg).toContain("单位：%");
  });

  it("escapes every text", () => {
    const evil: ChartSpec = {
      kind: "bar",
      title: `<script>alert("x")</script>`,
      unit: "&'",
      categories: ["<script>alert(1)</script>", `"><img src=x>`],
      series: [
        { name: "<b>a</b>", values: [1, 2] },
        { name: "b&c", values: [3, 4] },
      ],
    };
    const parsed = parseChartSpec(evil);
    expect(parsed?.categories[0]).toBe("<script>alert(1)</script>"); // kept as text
    const svg = chartSvg(parsed!);
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<img");
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("&lt;b&gt;a&lt;/b&gt;");
    expect(svg).toContain("b&amp;c");
    expect(svg).toContain("单位：&amp;&#39;");
  });

  it("is deterministic and honours the size and font", () => {
    expect(chartSvg(bar)).toBe(chartSvg(structuredClone(bar)));
    const svg = chartSvg(bar, { width: 800, height: 450, fontFamily: "SimHei" });
    expect(svg).toContain('width="800" height="450" viewBox="0 0 800 450"');
    expect(svg).toContain('font-family="SimHei"');
  });

  it("fits many categories and series: every value still written, long labels turned", () => {
    const many: ChartSpec = {
      kind: "bar",
      title: "",
      unit: "件",
      categories: Array.from({ length: 24 }, (_, i) => `示例市第${i + 1}执法大队`),
      series: Array.from({ length: 6 }, (_, s) => ({
        name: `系列${s}`,
        values: Array.from({ length: 24 }, (_, i) => i * 10 + s),
      })),
    };
    const svg = chartSvg(many);
    for (const v of [0, 5, 231, 235]) expect(svg).toContain(`>${v}</text>`);
    expect(svg).toContain("rotate(-45");
    expect(svg).toContain("<pattern");
  });
});

describe("words of a chart", () => {
  it("states every number in the description", () => {
    expect(chartDescription(line)).toBe(
      "图：各季度纠错率。第一季度 12.5%，第二季度 10.25%，第三季度 9%，第四季度 11%。",
    );
    expect(chartDescription(bar, "收案情况")).toBe(
      "图：收案情况。2025年：示例市公安局 12件，示例市司法局 8件，示例市市场监督管理局 23件；" +
        "2026年：示例市公安局 15件，示例市司法局 无数据，示例市市场监督管理局 7.5件。",
    );
    expect(formatChartValue(1 / 3)).toBe("0.33");
    expect(chartWords(bar)).toContain("示例市司法局");
  });
});
