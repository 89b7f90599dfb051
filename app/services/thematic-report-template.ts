import type { ChartSpec } from "~/domain/chart";
import { CLUE_ROUTES, FEEDBACK_OUTCOME_LABELS, type ClueRouteKey, type FeedbackOutcome } from "~/domain/clue";
import { formatDate } from "~/domain/dates";
import { percentLabel } from "~/domain/litigation";
import { RECOMMENDATION_KIND_LABELS, RECOMMENDATION_KINDS } from "~/domain/recommendation";
import {
  THEMATIC_SECTION_TITLES,
  THEMATIC_SECTIONS,
  onTimeRate,
  share,
  sumRecommendations,
  type ItemCounts,
  type ThematicFigures,
  type ThematicSection,
} from "~/domain/thematic-report";
import {
  chartNode,
  heading,
  paragraph,
  tableNode,
  toChineseNumber,
  type TemplateNode,
} from "~/services/document-templates";

/**
 * The first content of a 专题报告 (ADR 026): per section a short generated text the drafters then
 * edit, a table and a figure (图N), all written from the figures frozen at generation.
 */

/** "2026年" / "2026年上半年" / "2026年1月1日至2026年9月30日". */
export function periodLabel(from: string, to: string): string {
  const [fy, fm, fd] = from.split("-").map(Number);
  const [ty, tm, td] = to.split("-").map(Number);
  if (fy === ty && fm === 1 && fd === 1) {
    if (tm === 12 && td === 31) return `${fy}年`;
    if (tm === 6 && td === 30) return `${fy}年上半年`;
    if (tm === 9 && td === 30) return `${fy}年前三季度`;
  }
  return `${fy}年${fm}月${fd}日至${ty}年${tm}月${td}日`;
}

export function thematicReportTitle(f: Pick<ThematicFigures, "regionName" | "periodFrom" | "periodTo">): string {
  return `关于${f.regionName}${periodLabel(f.periodFrom, f.periodTo)}行政执法监督工作情况的专题报告`;
}

export function thematicReportTemplate(f: ThematicFigures): TemplateNode {
  const period = periodLabel(f.periodFrom, f.periodTo);
  return {
    type: "doc",
    content: [
      paragraph(
        `根据行政执法监督与各类监督贯通协调工作安排，现将${f.regionName}${period}行政执法监督及整改落实情况报告如下。本报告数据由系统于${formatDate(new Date(f.asOf))}自动汇总生成，统计范围为${f.regionName}及所辖地区各单位。`,
      ),
      ...THEMATIC_SECTIONS.flatMap((s, i) => [
        heading(`${toChineseNumber(i + 1)}、${THEMATIC_SECTION_TITLES[s]}`),
        paragraph(sectionText(s, f, period)),
        tableNode(sectionTable(s, f)),
        chartNode(sectionChart(s, f), THEMATIC_SECTION_TITLES[s]),
      ]),
      heading(`${toChineseNumber(THEMATIC_SECTIONS.length + 1)}、存在的问题和下一步工作建议`),
      paragraph("（请起草单位根据以上情况补充。）"),
    ],
  };
}

const n = (v: number) => String(v);

function itemsText(noun: string, c: ItemCounts, closedLabel = "已销号", unit = "项"): string {
  return (
    `${noun}${c.total}${unit}，${closedLabel}${c.closed}${unit}、已完成待销号${c.done}${unit}、推进中${c.open}${unit}（其中逾期未完成${c.overdue}${unit}），` +
    `${closedLabel === "已销号" ? "完成率" : `${closedLabel}率`}${percentLabel(share(c.closed, c.total))}。`
  );
}

function sectionText(s: ThematicSection, f: ThematicFigures, period: string): string {
  switch (s) {
    case "consultations":
      return `${period}，共召开行政执法监督协调会商${f.consultations.held}次，形成${itemsText("议定事项", f.consultations.items)}`;
    case "recommendations": {
      const t = sumRecommendations(f.recommendations);
      const kinds = RECOMMENDATION_KINDS.filter((k) => f.recommendations[k].received > 0)
        .map((k) => `${RECOMMENDATION_KIND_LABELS[k]}${f.recommendations[k].received}件`)
        .join("、");
      return `${period}，各单位共收到各类建议书${t.received}件${kinds ? `（${kinds}）` : ""}；按期书面回复${t.repliedOnTime}件，逾期回复${t.repliedLate}件，逾期未回复${t.overdue}件，尚在回复期限内${t.pending}件，按期回复率${percentLabel(onTimeRate(t))}。`;
    }
    case "rectification":
      return `针对建议书制定的整改方案中，纳入跟踪的${itemsText("整改措施", f.rectification)}`;
    case "listings":
      return `联合挂牌督办${itemsText("案件", f.listings, "解除挂牌", "件")}`;
    case "clues": {
      const routes = Object.entries(f.clues.byRoute)
        .map(([k, v]) => `${CLUE_ROUTES[k as ClueRouteKey]?.label ?? k}${v}件`)
        .join("、");
      return `共移送问题线索${f.clues.transferred}件${routes ? `，其中${routes}` : ""}；已签收${f.clues.received}件，被退回${f.clues.returned}件，已反馈办理结果${f.clues.answered}件。（线索内容和涉及人员信息不在本报告中统计。）`;
    }
    case "litigation": {
      const l = f.litigation;
      if (!l.quarters.length) return "统计期间内法院尚未报送行政诉讼案件数据。";
      return `根据法院报送的${l.quarters.join("、")}数据，以行政机关为被告的一审行政案件收案${l.filed}件，审结${l.concluded}件，行政机关败诉${l.lost}件，败诉率${percentLabel(share(l.lost, l.concluded))}；行政机关负责人出庭应诉${l.headAppeared}件，出庭应诉率${percentLabel(share(l.headAppeared, l.concluded))}；调解撤诉${l.mediatedWithdrawn}件。`;
    }
    case "cases": {
      const fields = Object.entries(f.cases.byField)
        .map(([k, v]) => `${k}${v}件`)
        .join("、");
      return `共发布行政执法典型案例${f.cases.published}件${fields ? `（${fields}）` : ""}。`;
    }
  }
}

function sectionTable(s: ThematicSection, f: ThematicFigures): string[][] {
  const items = (c: ItemCounts, closedLabel = "已销号") => [
    [
      "总数",
      closedLabel,
      "已完成待销号",
      "推进中",
      "逾期未完成",
      closedLabel === "已销号" ? "完成率" : `${closedLabel}率`,
    ],
    [n(c.total), n(c.closed), n(c.done), n(c.open), n(c.overdue), percentLabel(share(c.closed, c.total))],
  ];
  switch (s) {
    case "consultations":
      return [
        ["召开会商（次）", "议定事项", "已销号", "逾期未完成", "完成率"],
        [
          n(f.consultations.held),
          n(f.consultations.items.total),
          n(f.consultations.items.closed),
          n(f.consultations.items.overdue),
          percentLabel(share(f.consultations.items.closed, f.consultations.items.total)),
        ],
      ];
    case "recommendations":
      return [
        ["种类", "收到", "按期回复", "逾期回复", "逾期未回复", "按期回复率"],
        ...RECOMMENDATION_KINDS.map((k) => {
          const c = f.recommendations[k];
          return [
            RECOMMENDATION_KIND_LABELS[k],
            n(c.received),
            n(c.repliedOnTime),
            n(c.repliedLate),
            n(c.overdue),
            percentLabel(onTimeRate(c)),
          ];
        }),
      ];
    case "rectification":
      return items(f.rectification);
    case "listings":
      return items(f.listings, "解除挂牌");
    case "clues":
      return [
        ["移送路径", "件数"],
        ...Object.entries(f.clues.byRoute).map(([k, v]) => [CLUE_ROUTES[k as ClueRouteKey]?.label ?? k, n(v ?? 0)]),
        ["合计", n(f.clues.transferred)],
        ...Object.entries(f.clues.byOutcome).map(([k, v]) => [
          `反馈结果：${FEEDBACK_OUTCOME_LABELS[k as FeedbackOutcome] ?? k}`,
          n(v ?? 0),
        ]),
      ];
    case "litigation": {
      const l = f.litigation;
      return [
        ["收案", "审结", "败诉", "败诉率", "出庭", "出庭率", "调撤"],
        [
          n(l.filed),
          n(l.concluded),
          n(l.lost),
          percentLabel(share(l.lost, l.concluded)),
          n(l.headAppeared),
          percentLabel(share(l.headAppeared, l.concluded)),
          n(l.mediatedWithdrawn),
        ],
      ];
    }
    case "cases":
      return [
        ["领域", "件数"],
        ...Object.entries(f.cases.byField).map(([k, v]) => [k, n(v)]),
        ["合计", n(f.cases.published)],
      ];
  }
}

const SHORT_KIND: Record<string, string> = {
  PROCURATORIAL: "检察建议",
  JUDICIAL: "司法建议",
  DISCIPLINARY: "纪检监察建议",
  RECONSIDERATION: "复议意见",
  SUPERVISION: "监督意见",
};

function sectionChart(s: ThematicSection, f: ThematicFigures): ChartSpec {
  const items = (title: string, c: ItemCounts, closedLabel = "已销号"): ChartSpec => ({
    kind: "bar",
    title,
    unit: "项",
    categories: [closedLabel, "已完成待销号", "推进中（未逾期）", "逾期未完成"],
    series: [{ name: "数量", values: [c.closed, c.done, c.open - c.overdue, c.overdue] }],
  });
  switch (s) {
    case "consultations":
      return items("议定事项落实情况", f.consultations.items);
    case "recommendations":
      return {
        kind: "bar",
        title: "各类建议书收到和按期回复情况",
        unit: "件",
        categories: RECOMMENDATION_KINDS.map((k) => SHORT_KIND[k]),
        series: [
          { name: "收到", values: RECOMMENDATION_KINDS.map((k) => f.recommendations[k].received) },
          { name: "按期回复", values: RECOMMENDATION_KINDS.map((k) => f.recommendations[k].repliedOnTime) },
        ],
      };
    case "rectification":
      return items("整改措施落实情况", f.rectification);
    case "listings":
      return items("挂牌督办案件办理情况", f.listings, "解除挂牌");
    case "clues": {
      const routes = Object.entries(f.clues.byRoute);
      return {
        kind: "bar",
        title: "问题线索移送情况",
        unit: "件",
        categories: routes.length ? routes.map(([k]) => CLUE_ROUTES[k as ClueRouteKey]?.label ?? k) : ["移送线索"],
        series: [{ name: "件数", values: routes.length ? routes.map(([, v]) => v ?? 0) : [0] }],
      };
    }
    case "litigation": {
      const l = f.litigation;
      return {
        kind: "bar",
        title: "行政诉讼案件情况",
        unit: "件",
        categories: ["收案", "审结", "败诉", "负责人出庭", "调解撤诉"],
        series: [{ name: "件数", values: [l.filed, l.concluded, l.lost, l.headAppeared, l.mediatedWithdrawn] }],
      };
    }
    case "cases": {
      const fields = Object.entries(f.cases.byField);
      return {
        kind: "bar",
        title: "典型案例发布情况",
        unit: "件",
        categories: fields.length ? fields.map(([k]) => k.slice(0, 30)) : ["典型案例"],
        series: [{ name: "件数", values: fields.length ? fields.map(([, v]) => v) : [0] }],
      };
    }
  }
}
