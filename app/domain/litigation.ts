/**
 * 府院联动 (ADR 025): the courts' quarterly administrative-litigation figures per defendant agency, the
 * rates derived from them, and the trend the justice bureau watches (双下降, rising 败诉率).
 * Pure: no I/O.
 */

/** The answer to anyone else opening the 府院联动 pages. */
export const LITIGATION_REFUSAL = "府院联动供人民法院、司法行政机关、人民政府和依法治理办使用。";

export const LITIGATION_STATUSES = ["DRAFT", "SUBMITTED"] as const;
export type LitigationStatus = (typeof LITIGATION_STATUSES)[number];
export const LITIGATION_STATUS_LABELS: Record<LitigationStatus, string> = { DRAFT: "填报中", SUBMITTED: "已报送" };

/** The counted figures of one agency in one quarter, in the order of the court's template. */
export const FIGURE_FIELDS = ["filed", "concluded", "lost", "headAppeared", "mediatedWithdrawn"] as const;
export type FigureField = (typeof FIGURE_FIELDS)[number];
export const FIGURE_LABELS: Record<FigureField, string> = {
  filed: "收案数",
  concluded: "审结数",
  lost: "行政机关败诉数",
  headAppeared: "负责人出庭应诉数",
  mediatedWithdrawn: "调解撤诉数",
};
export type Figures = Record<FigureField, number>;

/** The notable-case fields (典型案件), with their Chinese names and length limits. */
export const CASE_FIELDS = ["caseNumber", "cause", "outcome", "problem"] as const;
export type CaseField = (typeof CASE_FIELDS)[number];
export const CASE_LABELS: Record<CaseField, string> = {
  caseNumber: "案号",
  cause: "案由",
  outcome: "裁判结果",
  problem: "暴露的执法问题",
};
export const CASE_LIMITS: Record<CaseField, number> = { caseNumber: 60, cause: 100, outcome: 200, problem: 500 };

// eslint-disable-next-line no-control-regex
const LINE_BREAK_OR_CONTROL = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Problems of a notable case's fields (each a sentence without the row): every field filled in and
 * within its length; 案号, 案由 and 裁判结果 on one line, no control characters anywhere.
 */
export function caseFieldProblems(c: Record<CaseField, string>): string[] {
  const problems: string[] = [];
  for (const k of CASE_FIELDS) {
    const v = c[k].trim();
    if (!v) problems.push(`请填写${CASE_LABELS[k]}`);
    else if (v.length > CASE_LIMITS[k]) problems.push(`${CASE_LABELS[k]}不能超过 ${CASE_LIMITS[k]} 字`);
    else if ((k === "problem" ? CONTROL : LINE_BREAK_OR_CONTROL).test(v))
      problems.push(`${CASE_LABELS[k]}包含不允许的字符${k === "problem" ? "" : "（如换行）"}`);
  }
  return problems;
}

/** The most a court files for one agency in one quarter: a typo guard, not a statistic. */
export const FIGURE_MAX = 100_000;
export const MAX_CASES = 50;

/** Which quarters a court may file: from 2000 to the current one. */
export function isFilableQuarter(year: number, quarter: number, now: Date): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(quarter) || quarter < 1 || quarter > 4 || year < 2000) return false;
  const current = quarterOf(now);
  return year < current.year || (year === current.year && quarter <= current.quarter);
}

/** The quarter a moment falls in, in China time (UTC+8). */
export function quarterOf(d: Date): { year: number; quarter: number } {
  const china = new Date(d.getTime() + 8 * 3600_000);
  return { year: china.getUTCFullYear(), quarter: Math.floor(china.getUTCMonth() / 3) + 1 };
}

export const QUARTER_NAMES = ["一", "二", "三", "四"] as const;
/** 2026年第三季度 */
export function quarterLabel(year: number, quarter: number): string {
  return `${year}年第${QUARTER_NAMES[quarter - 1] ?? quarter}季度`;
}
/** 2026Q3: the short form of tables and charts. */
export function quarterShort(year: number, quarter: number): string {
  return `${year}Q${quarter}`;
}
/** Orders quarters: 2026Q1 → 8105. */
export const quarterIndex = (year: number, quarter: number) => year * 4 + (quarter - 1);

/** Problems of one agency's figures as the court entered them (each a sentence without the row). */
export function figureProblems(f: Figures): string[] {
  const problems: string[] = [];
  for (const k of FIGURE_FIELDS) {
    const v = f[k];
    if (!Number.isInteger(v) || v < 0) problems.push(`${FIGURE_LABELS[k]}应为不小于 0 的整数`);
    else if (v > FIGURE_MAX) problems.push(`${FIGURE_LABELS[k]}不能超过 ${FIGURE_MAX}`);
  }
  if (problems.length) return problems;
  if (f.lost > f.concluded) problems.push("行政机关败诉数不能大于审结数");
  if (f.mediatedWithdrawn > f.concluded) problems.push("调解撤诉数不能大于审结数");
  if (f.lost + f.mediatedWithdrawn > f.concluded) problems.push("败诉数与调解撤诉数之和不能大于审结数");
  if (f.headAppeared > f.concluded) problems.push("负责人出庭应诉数不能大于审结数");
  return problems;
}

/** A rate in percent with one decimal, or null when nothing was concluded. */
export function rate(part: number, whole: number): number | null {
  if (!whole) return null;
  return Math.round((part / whole) * 1000) / 10;
}
export const lossRate = (f: Pick<Figures, "lost" | "concluded">) => rate(f.lost, f.concluded);
export const appearanceRate = (f: Pick<Figures, "headAppeared" | "concluded">) => rate(f.headAppeared, f.concluded);

/** "12.5%" or "—". */
export function percentLabel(v: number | null): string {
  return v === null ? "—" : `${v.toFixed(1)}%`;
}

export function sumFigures(rows: ReadonlyArray<Figures>): Figures {
  const total: Figures = { filed: 0, concluded: 0, lost: 0, headAppeared: 0, mediatedWithdrawn: 0 };
  for (const r of rows) for (const k of FIGURE_FIELDS) total[k] += r[k];
  return total;
}

/** One agency's submitted figures in one quarter. */
export interface QuarterFigures extends Figures {
  year: number;
  quarter: number;
}

export interface AgencyTrend {
  /** The quarters with figures, oldest first (missing quarters count as nothing filed). */
  quarters: QuarterFigures[];
  /** 败诉率 rose in each of the last two quarters (q-2 < q-1 < q), all three concluded something. */
  rising: boolean;
  /** 双下降 for the latest year against the year before, over the same quarters: fewer cases and a lower 败诉率. */
  doubleDecline: {
    year: number;
    filed: [number, number];
    lossRate: [number | null, number | null];
    met: boolean;
  } | null;
}

/**
 * The trend of one agency over the quarters given (any order). `rising` reads the last three
 * consecutive quarters up to the latest one filed; `doubleDecline` compares the latest year's
 * quarters with the same quarters of the year before.
 */
export function agencyTrend(rows: ReadonlyArray<QuarterFigures>): AgencyTrend {
  const quarters = [...rows].sort((a, b) => quarterIndex(a.year, a.quarter) - quarterIndex(b.year, b.quarter));
  const byIndex = new Map(quarters.map((q) => [quarterIndex(q.year, q.quarter), q]));
  const last = quarters.at(-1);
  let rising = false;
  if (last) {
    const i = quarterIndex(last.year, last.quarter);
    const three = [byIndex.get(i - 2), byIndex.get(i - 1), last];
    const rates = three.map((q) => (q ? lossRate(q) : null));
    rising = rates.every((r) => r !== null) && rates[0]! < rates[1]! && rates[1]! < rates[2]!;
  }
  let doubleDecline: AgencyTrend["doubleDecline"] = null;
  if (last) {
    const year = last.year;
    const thisYear = quarters.filter((q) => q.year === year);
    const before = thisYear
      .map((q) => byIndex.get(quarterIndex(year - 1, q.quarter)))
      .filter((q): q is QuarterFigures => !!q);
    if (before.length === thisYear.length && before.length > 0) {
      const now = sumFigures(thisYear);
      const then = sumFigures(before);
      const rates: [number | null, number | null] = [lossRate(then), lossRate(now)];
      doubleDecline = {
        year,
        filed: [then.filed, now.filed],
        lossRate: rates,
        met: now.filed < then.filed && rates[0] !== null && rates[1] !== null && rates[1] < rates[0],
      };
    }
  }
  return { quarters, rising, doubleDecline };
}

/** The headers of the court's .xlsx template, in order (row 1 of the 数据 sheet). */
export const TEMPLATE_FIGURE_HEADERS = ["被告单位", ...FIGURE_FIELDS.map((k) => FIGURE_LABELS[k])] as const;
export const TEMPLATE_CASE_HEADERS = ["被告单位", ...CASE_FIELDS.map((k) => CASE_LABELS[k])] as const;
export const TEMPLATE_FIGURE_SHEET = "收结案情况";
export const TEMPLATE_CASE_SHEET = "典型案件";
