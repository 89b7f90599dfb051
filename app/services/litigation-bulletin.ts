import {
  agencyTrend,
  appearanceRate,
  lossRate,
  percentLabel,
  quarterIndex,
  quarterLabel,
  quarterShort,
  sumFigures,
  type Figures,
  type QuarterFigures,
} from "~/domain/litigation";
import {
  chartNode,
  heading,
  paragraph,
  tableNode,
  textNode,
  toChineseNumber,
  type TemplateNode,
} from "~/services/document-templates";

/**
 * The first content of a 府院联动通报 (ADR 025): the quarter's figures as text, a table per agency,
 * two figures (图) and the notable cases, then the problems the trend shows. Everything is static
 * content of the document: the drafters edit the words, the figures stay as they were at generation.
 */

export interface BulletinInput {
  courtName: string;
  justiceBureauName: string | null;
  regionName: string;
  year: number;
  quarter: number;
  figures: Array<Figures & { agencyName: string }>;
  cases: Array<{ agencyName: string; caseNumber: string; cause: string; outcome: string; problem: string }>;
  /** Every submitted quarter of the region's courts (for the trend), this one included. */
  history: Array<QuarterFigures & { agencyName: string }>;
  /** When the figures were read: printed under the title of the figures' section. */
  asOf: string;
}

export function bulletinTitle(regionName: string, year: number, quarter: number): string {
  return `${regionName}${quarterLabel(year, quarter)}行政诉讼案件审理情况通报`;
}

export function bulletinTemplate(b: BulletinInput): TemplateNode {
  const total = sumFigures(b.figures);
  const previous = quarterBefore(b.year, b.quarter);
  const before = sumFigures(b.history.filter((h) => h.year === previous.year && h.quarter === previous.quarter));
  const hasBefore = b.history.some((h) => h.year === previous.year && h.quarter === previous.quarter);
  const rows = [...b.figures].sort((a, c) => c.filed - a.filed || a.agencyName.localeCompare(c.agencyName, "zh-CN"));
  const rising = risingAgencies(b.history, b.year, b.quarter);
  return {
    type: "doc",
    content: [
      paragraph(
        `根据府院联动工作机制，现将${b.regionName}${quarterLabel(b.year, b.quarter)}行政诉讼案件审理情况通报如下（数据截至${b.asOf}，由${b.courtName}报送）：`,
      ),
      heading("一、总体情况"),
      paragraph(
        `本季度，${b.courtName}共受理以行政机关为被告的一审行政案件${total.filed}件，审结${total.concluded}件；` +
          `行政机关败诉${total.lost}件，败诉率${percentLabel(lossRate(total))}；` +
          `行政机关负责人出庭应诉${total.headAppeared}件，出庭应诉率${percentLabel(appearanceRate(total))}；` +
          `调解撤诉${total.mediatedWithdrawn}件。` +
          (hasBefore
            ? `与上季度相比，收案数${change(before.filed, total.filed, "件")}，败诉率${rateChange(lossRate(before), lossRate(total))}。`
            : ""),
      ),
      heading("二、各被告单位情况"),
      figuresTable(rows, total, b.regionName),
      paragraph(
        "注：收案、审结、败诉、出庭、调撤分别为收案数、审结数、行政机关败诉数、行政机关负责人出庭应诉数、调解撤诉数（件）；败诉率、出庭率按审结数计算。",
      ),
      chartNode(
        {
          kind: "bar",
          title: "各单位收案数与败诉数",
          unit: "件",
          categories: rows.slice(0, 12).map((r) => shortName(r.agencyName)),
          series: [
            { name: "收案数", values: rows.slice(0, 12).map((r) => r.filed) },
            { name: "败诉数", values: rows.slice(0, 12).map((r) => r.lost) },
          ],
        },
        "各单位收案数与败诉数",
      ),
      ...trendChart(b),
      heading("三、典型案件"),
      ...(b.cases.length
        ? b.cases.flatMap((c, i) => [
            heading(`（${toChineseNumber(i + 1)}）${c.agencyName}${c.cause}案`, 2),
            labelled("案号", c.caseNumber),
            labelled("裁判结果", c.outcome),
            labelled("暴露的执法问题", c.problem),
          ])
        : [paragraph("本季度无需要通报的典型案件。")]),
      heading("四、存在的问题和工作建议"),
      ...(rising.length
        ? [
            paragraph(
              `${rising.join("、")}败诉率连续两个季度上升，建议司法行政机关加强行政执法监督，必要时发出行政执法监督意见书，并列入下次协调会商议题。`,
            ),
          ]
        : []),
      paragraph(
        "各行政机关要落实负责人出庭应诉制度，针对败诉案件暴露的问题逐案分析原因、完善制度，从源头上减少行政争议。（起草单位请补充）",
      ),
    ],
  };
}

/**
 * One row per agency and a 合计 row. Eight columns fit the 156 mm of a 公文 page in 四号 only with
 * short headers (explained in the note below the table) and the agencies' names without their region.
 */
function figuresTable(rows: Array<Figures & { agencyName: string }>, total: Figures, regionName: string): TemplateNode {
  const head = ["被告单位", "收案", "审结", "败诉", "败诉率", "出庭", "出庭率", "调撤"];
  const line = (name: string, f: Figures) => [
    name,
    String(f.filed),
    String(f.concluded),
    String(f.lost),
    percentLabel(lossRate(f)),
    String(f.headAppeared),
    percentLabel(appearanceRate(f)),
    String(f.mediatedWithdrawn),
  ];
  return tableNode([head, ...rows.map((r) => line(withoutRegion(r.agencyName, regionName), r)), line("合计", total)]);
}

/** The region's 败诉率 over the last eight submitted quarters, when there are at least two. */
function trendChart(b: BulletinInput): TemplateNode[] {
  const upTo = quarterIndex(b.year, b.quarter);
  const quarters = [...new Set(b.history.map((h) => quarterIndex(h.year, h.quarter)))]
    .filter((i) => i <= upTo)
    .sort((x, y) => x - y)
    .slice(-8);
  if (quarters.length < 2) return [];
  const rates = quarters.map((i) =>
    lossRate(sumFigures(b.history.filter((h) => quarterIndex(h.year, h.quarter) === i))),
  );
  const filed = quarters.map((i) =>
    b.history.filter((h) => quarterIndex(h.year, h.quarter) === i).reduce((n, h) => n + h.filed, 0),
  );
  const labels = quarters.map((i) => quarterShort(Math.floor(i / 4), (i % 4) + 1));
  return [
    chartNode(
      {
        kind: "line",
        title: "全地区行政机关败诉率",
        unit: "%",
        categories: labels,
        series: [{ name: "败诉率", values: rates }],
      },
      "近期各季度行政机关败诉率",
    ),
    chartNode(
      {
        kind: "bar",
        title: "全地区收案数",
        unit: "件",
        categories: labels,
        series: [{ name: "收案数", values: filed }],
      },
      "近期各季度收案数",
    ),
  ];
}

/** Agencies whose 败诉率 rose in each of the last two quarters up to this one. */
export function risingAgencies(history: BulletinInput["history"], year: number, quarter: number): string[] {
  const upTo = quarterIndex(year, quarter);
  const byAgency = new Map<string, QuarterFigures[]>();
  for (const h of history) {
    if (quarterIndex(h.year, h.quarter) > upTo) continue;
    byAgency.set(h.agencyName, [...(byAgency.get(h.agencyName) ?? []), h]);
  }
  return [...byAgency]
    .filter(([, rows]) => {
      const t = agencyTrend(rows);
      const last = t.quarters.at(-1);
      return t.rising && last && quarterIndex(last.year, last.quarter) === upTo;
    })
    .map(([name]) => name)
    .sort((a, b) => a.localeCompare(b, "zh-CN"));
}

function labelled(label: string, value: string): TemplateNode {
  return { type: "paragraph", content: [textNode(`${label}：`, true), textNode(value)] };
}

function quarterBefore(year: number, quarter: number) {
  return quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
}

function change(before: number, now: number, unit: string): string {
  if (now === before) return "持平";
  return now > before ? `增加${now - before}${unit}` : `减少${before - now}${unit}`;
}

function rateChange(before: number | null, now: number | null): string {
  if (before === null || now === null) return "无可比数据";
  if (before === now) return "持平";
  const d = Math.abs(now - before).toFixed(1);
  return now > before ? `上升${d}个百分点` : `下降${d}个百分点`;
}

/** "示例市城市管理综合行政执法局" → "城市管理综合行政执法局" in a table of that city's agencies. */
function withoutRegion(name: string, regionName: string): string {
  return name.startsWith(regionName) && name.length > regionName.length + 2 ? name.slice(regionName.length) : name;
}

/** "示例市市场监督管理局" → "市场监督管理局": the region's name is the same for every bar. */
function shortName(name: string): string {
  const short = name.replace(/^示例[省市]|^.{2,6}?[市县区](?=.{3,})/, "");
  return short.length > 10 ? `${short.slice(0, 9)}…` : short;
}
