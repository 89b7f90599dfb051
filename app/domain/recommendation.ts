/** 建议书 / 意见书: kinds, issuers, reply periods and states. */
import { addDaysIso, addMonthsIso, daysLeft, daysPast, deadlineLabel } from "./dates";
import type { OrgKind } from "./organization";

export const RECOMMENDATION_KINDS = [
  "PROCURATORIAL",
  "JUDICIAL",
  "DISCIPLINARY",
  "RECONSIDERATION",
  "SUPERVISION",
] as const;

export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

export const RECOMMENDATION_KIND_LABELS: Record<RecommendationKind, string> = {
  PROCURATORIAL: "检察建议书",
  JUDICIAL: "司法建议书",
  DISCIPLINARY: "纪检监察建议书",
  RECONSIDERATION: "行政复议意见书",
  SUPERVISION: "行政执法监督意见书",
};

/** Which kinds of org may issue each kind (检察建议 by a procuratorate, 司法建议 by a court…). */
export const ISSUER_KINDS: Record<RecommendationKind, readonly OrgKind[]> = {
  PROCURATORIAL: ["PROCURATORATE"],
  JUDICIAL: ["COURT"],
  DISCIPLINARY: ["DISCIPLINE_COMMISSION"],
  RECONSIDERATION: ["GOVERNMENT", "JUSTICE_BUREAU"],
  SUPERVISION: ["JUSTICE_BUREAU", "GOVERNMENT", "RULE_OF_LAW_OFFICE"],
};

/**
 * Default reply period from the day of receipt (ADR 010): 检察建议 and 司法建议 two months, 行政复议意见书
 * 60 days; 纪检监察建议书 and 行政执法监督意见书 30 days unless the issuer sets otherwise.
 */
export const REPLY_PERIODS: Record<RecommendationKind, { months: number } | { days: number }> = {
  PROCURATORIAL: { months: 2 },
  JUDICIAL: { months: 2 },
  DISCIPLINARY: { days: 30 },
  RECONSIDERATION: { days: 60 },
  SUPERVISION: { days: 30 },
};

/** The default 回复期限 (YYYY-MM-DD) of a kind for a day of receipt (YYYY-MM-DD). */
export function defaultReplyDue(kind: RecommendationKind, receivedOn: string): string {
  const p = REPLY_PERIODS[kind];
  return "months" in p ? addMonthsIso(receivedOn, p.months) : addDaysIso(receivedOn, p.days);
}

/** Reply state for lists: days left, overdue, replied on time or late. */
export function replyState(
  r: { status: string; replyDueDate: Date; repliedAt: Date | null; repliedLate: boolean },
  now: Date,
): { tone: "green" | "amber" | "red" | "slate"; label: string; overdue: boolean } {
  if (r.repliedAt)
    return r.repliedLate
      ? { tone: "red", label: "逾期回复", overdue: true }
      : { tone: "green", label: "按期回复", overdue: false };
  if (r.replyDueDate.getTime() < now.getTime())
    return { tone: "red", label: `逾期 ${Math.max(1, daysPast(r.replyDueDate, now))} 天未回复`, overdue: true };
  const days = daysLeft(now, r.replyDueDate);
  return { tone: days <= 7 ? "amber" : "slate", label: deadlineLabel(now, r.replyDueDate), overdue: false };
}

export function replyPeriodLabel(kind: RecommendationKind): string {
  const p = REPLY_PERIODS[kind];
  return "months" in p ? `收到之日起${p.months === 2 ? "两" : p.months}个月` : `收到之日起${p.days}日`;
}

export const RECOMMENDATION_STATUSES = ["REGISTERED", "RECTIFYING", "REPLIED", "CLOSED"] as const;

export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

/** Statuses in which the recipient still owes its written reply (the reply deadline runs). */
export const AWAITING_REPLY_STATUSES: readonly RecommendationStatus[] = ["REGISTERED", "RECTIFYING"];

export function awaitsReply(r: { status: string }): boolean {
  return (AWAITING_REPLY_STATUSES as readonly string[]).includes(r.status);
}

export const RECOMMENDATION_STATUS_LABELS: Record<RecommendationStatus, string> = {
  REGISTERED: "已登记",
  RECTIFYING: "整改中",
  REPLIED: "已书面回复",
  CLOSED: "已销号",
};

/** What the recommendation policies need. */
export interface RecommendationFacts {
  issuerOrgId: string;
  recipientOrgId: string;
  /** Region path of the recipient ("/p/c/"): upper justice bureaus see recommendations below them. */
  recipientRegionPath: string;
  copyOrgIds: readonly string[];
  status: string;
  /** Status of the 整改方案 document, null before it exists. */
  planStatus: string | null;
  /** Status of the 书面回复 document, null before it exists. */
  replyStatus: string | null;
}

/** Upper-level justice bureaus follow the recommendations of the regions below (督促指导下级). */
export const FOLLOWING_KINDS: ReadonlySet<OrgKind> = new Set(["JUSTICE_BUREAU"]);

export type RecommendationRelation = "issuer" | "recipient" | "copy" | "supervisor";

export const RELATION_LABELS: Record<RecommendationRelation, string> = {
  issuer: "本单位发出",
  recipient: "发给本单位",
  copy: "抄送本单位",
  supervisor: "下级区域",
};
