/**
 * 专题报告 (ADR 026): the figures a report on a region and a period is generated from — consultations
 * and their agreed items, recommendations and replies, rectification measures, joint listings, clues
 * (counts only), litigation, typical cases — as one JSON value frozen into the report, and the list of
 * what changed when the same figures are read again. Pure: no I/O.
 */
import { CLUE_ROUTES, FEEDBACK_OUTCOME_LABELS, type ClueRouteKey, type FeedbackOutcome } from "./clue";
import { RECOMMENDATION_KIND_LABELS, RECOMMENDATION_KINDS, type RecommendationKind } from "./recommendation";

export interface ItemCounts {
  /** Items tracked (source final, not removed). */
  total: number;
  /** 已销号 */
  closed: number;
  /** 已完成待销号 */
  done: number;
  /** 未开始 / 推进中 */
  open: number;
  /** Open and past their deadline when the figures were read. */
  overdue: number;
}

export interface RecommendationCounts {
  received: number;
  repliedOnTime: number;
  repliedLate: number;
  /** Not replied and past the reply deadline. */
  overdue: number;
  /** Not replied, deadline still ahead. */
  pending: number;
}

export interface ThematicFigures {
  version: 1;
  /** When the figures were read (ISO). */
  asOf: string;
  regionName: string;
  /** China days, inclusive: 2026-01-01 … 2026-06-30 */
  periodFrom: string;
  periodTo: string;
  consultations: { held: number; items: ItemCounts };
  recommendations: Record<RecommendationKind, RecommendationCounts>;
  rectification: ItemCounts;
  listings: ItemCounts;
  clues: {
    transferred: number;
    received: number;
    returned: number;
    answered: number;
    byRoute: Partial<Record<ClueRouteKey, number>>;
    byOutcome: Partial<Record<FeedbackOutcome, number>>;
  };
  litigation: {
    /** The quarters within the period with submitted figures: "2026Q1". */
    quarters: string[];
    filed: number;
    concluded: number;
    lost: number;
    headAppeared: number;
    mediatedWithdrawn: number;
  };
  cases: { published: number; byField: Record<string, number> };
}

export const THEMATIC_SECTIONS = [
  "consultations",
  "recommendations",
  "rectification",
  "listings",
  "clues",
  "litigation",
  "cases",
] as const;
export type ThematicSection = (typeof THEMATIC_SECTIONS)[number];
export const THEMATIC_SECTION_TITLES: Record<ThematicSection, string> = {
  consultations: "行政执法监督协调会商及议定事项落实情况",
  recommendations: "各类建议书办理情况",
  rectification: "整改措施落实情况",
  listings: "联合挂牌督办情况",
  clues: "问题线索移送情况",
  litigation: "行政诉讼案件情况",
  cases: "典型案例发布情况",
};

/** A percentage with one decimal, or null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 1000) / 10 : null;
}

export const emptyItemCounts = (): ItemCounts => ({ total: 0, closed: 0, done: 0, open: 0, overdue: 0 });
export const emptyRecommendationCounts = (): RecommendationCounts => ({
  received: 0,
  repliedOnTime: 0,
  repliedLate: 0,
  overdue: 0,
  pending: 0,
});

/** 按期回复率: replies on time among the recommendations whose reply was due or given. */
export function onTimeRate(c: RecommendationCounts): number | null {
  return share(c.repliedOnTime, c.repliedOnTime + c.repliedLate + c.overdue);
}

export function sumRecommendations(f: ThematicFigures["recommendations"]): RecommendationCounts {
  const total = emptyRecommendationCounts();
  for (const k of RECOMMENDATION_KINDS)
    for (const key of Object.keys(total) as Array<keyof RecommendationCounts>) total[key] += f[k][key];
  return total;
}

/** One figure of a report, named for people: the line of the "what changed" table. */
export interface FigureLine {
  section: ThematicSection;
  label: string;
  value: number | null;
  unit: string;
}

/** Every figure of a report as named lines, in the order of the report. */
export function figureLines(f: ThematicFigures): FigureLine[] {
  const lines: FigureLine[] = [];
  const add = (section: ThematicSection, label: string, value: number | null, unit = "件") =>
    lines.push({ section, label, value, unit });
  const items = (section: ThematicSection, noun: string, c: ItemCounts, closedLabel = "已销号") => {
    add(section, `${noun}总数`, c.total, "项");
    add(section, closedLabel, c.closed, "项");
    add(section, "已完成待销号", c.done, "项");
    add(section, "推进中", c.open, "项");
    add(section, "逾期未完成", c.overdue, "项");
    add(section, closedLabel === "已销号" ? "完成率" : `${closedLabel}率`, share(c.closed, c.total), "%");
  };
  add("consultations", "召开会商", f.consultations.held, "次");
  items("consultations", "议定事项", f.consultations.items);
  for (const k of RECOMMENDATION_KINDS) {
    const c = f.recommendations[k];
    const label = RECOMMENDATION_KIND_LABELS[k];
    add("recommendations", `${label}收到`, c.received);
    add("recommendations", `${label}按期回复`, c.repliedOnTime);
    add("recommendations", `${label}逾期回复`, c.repliedLate);
    add("recommendations", `${label}逾期未回复`, c.overdue);
  }
  add("recommendations", "按期回复率", onTimeRate(sumRecommendations(f.recommendations)), "%");
  items("rectification", "整改措施", f.rectification);
  items("listings", "挂牌督办案件", f.listings, "解除挂牌");
  add("clues", "移送线索", f.clues.transferred);
  add("clues", "已签收", f.clues.received);
  add("clues", "被退回", f.clues.returned);
  add("clues", "已反馈办理结果", f.clues.answered);
  for (const [route, n] of Object.entries(f.clues.byRoute))
    add("clues", `移送：${CLUE_ROUTES[route as ClueRouteKey]?.label ?? route}`, n ?? 0);
  for (const [outcome, n] of Object.entries(f.clues.byOutcome))
    add("clues", `结果：${FEEDBACK_OUTCOME_LABELS[outcome as FeedbackOutcome] ?? outcome}`, n ?? 0);
  add("litigation", "收案数", f.litigation.filed);
  add("litigation", "审结数", f.litigation.concluded);
  add("litigation", "行政机关败诉数", f.litigation.lost);
  add("litigation", "败诉率", share(f.litigation.lost, f.litigation.concluded), "%");
  add("litigation", "出庭应诉率", share(f.litigation.headAppeared, f.litigation.concluded), "%");
  add("cases", "发布典型案例", f.cases.published);
  for (const [field, n] of Object.entries(f.cases.byField)) add("cases", `领域：${field}`, n);
  return lines;
}

export interface FigureChange extends FigureLine {
  before: number | null;
}

/** The figures that differ between the frozen report and a new reading (a line new on either side counts). */
export function figureChanges(frozen: ThematicFigures, now: ThematicFigures): FigureChange[] {
  const key = (l: FigureLine) => `${l.section}|${l.label}`;
  const before = new Map(figureLines(frozen).map((l) => [key(l), l]));
  const after = figureLines(now);
  const changes: FigureChange[] = [];
  for (const l of after) {
    const b = before.get(key(l));
    if (!b) {
      if (l.value) changes.push({ ...l, before: null });
    } else if (b.value !== l.value) changes.push({ ...l, before: b.value });
    before.delete(key(l));
  }
  for (const b of before.values()) if (b.value) changes.push({ ...b, value: null, before: b.value });
  return changes;
}

/** A frozen figures value read back, or null when it is not one (a report generated by a later version). */
export function parseThematicFigures(json: string): ThematicFigures | null {
  try {
    const v = JSON.parse(json) as ThematicFigures;
    return v && v.version === 1 && typeof v.asOf === "string" ? v : null;
  } catch {
    return null;
  }
}

/** The longest period a report covers: five years. */
export const MAX_PERIOD_DAYS = 5 * 366;
