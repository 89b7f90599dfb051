/**
 * 线索移送 (ADR 023): the routes a clue may travel between kinds of unit, its sources, statuses and
 * feedback outcomes with their Chinese labels, the facts the clue policy reads, and its deadlines.
 */
import { addDaysIso, addWorkingDaysIso, daysLeft, daysPast, deadlineLabel } from "./dates";
import { ORG_KIND_LABELS, type OrgKind } from "./organization";

export interface ClueRoute {
  /** Kinds of unit that send along this route. */
  from: readonly OrgKind[];
  /** Kinds of unit that receive. */
  to: readonly OrgKind[];
  /** What travels along it (线索类别), as the sources name it. */
  label: string;
}

/**
 * The routes the sources name (线索双向移送): 司法行政机关 → 纪委监委 (违规违纪、职务违法犯罪线索);
 * 司法行政机关 ↔ 人民检察院 (不履职或不正确履职线索 one way, 需执法纠错的问题 the other); 行政执法机关 →
 * 纪委监委 or 人民检察院 (内部监督中发现的线索); 法治督察 (依法治理办公室, 司法行政机关) → 行政执法机关.
 * One route per pair of kinds: the pair names the route.
 */
export const CLUE_ROUTES = {
  JUSTICE_TO_DISCIPLINE: {
    from: ["JUSTICE_BUREAU"],
    to: ["DISCIPLINE_COMMISSION"],
    label: "违规违纪、职务违法犯罪线索",
  },
  JUSTICE_TO_PROCURATORATE: { from: ["JUSTICE_BUREAU"], to: ["PROCURATORATE"], label: "不履职或不正确履职线索" },
  PROCURATORATE_TO_JUSTICE: { from: ["PROCURATORATE"], to: ["JUSTICE_BUREAU"], label: "需执法纠错的问题" },
  ENFORCEMENT_TO_DISCIPLINE: {
    from: ["ENFORCEMENT_AGENCY"],
    to: ["DISCIPLINE_COMMISSION"],
    label: "内部监督中发现的线索",
  },
  ENFORCEMENT_TO_PROCURATORATE: { from: ["ENFORCEMENT_AGENCY"], to: ["PROCURATORATE"], label: "内部监督中发现的线索" },
  INSPECTION_TO_ENFORCEMENT: {
    from: ["RULE_OF_LAW_OFFICE", "JUSTICE_BUREAU"],
    to: ["ENFORCEMENT_AGENCY"],
    label: "法治督察发现的问题线索",
  },
} as const satisfies Record<string, ClueRoute>;

export type ClueRouteKey = keyof typeof CLUE_ROUTES;
export const CLUE_ROUTE_KEYS = Object.keys(CLUE_ROUTES) as ClueRouteKey[];

export function isClueRouteKey(v: string): v is ClueRouteKey {
  return Object.hasOwn(CLUE_ROUTES, v);
}

/** The route from one kind of unit to another, or null when clues do not travel that way. */
export function clueRouteBetween(fromKind: string, toKind: string): ClueRouteKey | null {
  return (
    CLUE_ROUTE_KEYS.find(
      (k) =>
        (CLUE_ROUTES[k].from as readonly string[]).includes(fromKind) &&
        (CLUE_ROUTES[k].to as readonly string[]).includes(toKind),
    ) ?? null
  );
}

/** "司法行政机关 → 纪委监委": the kinds of a route, for lists and the statistics. */
export function clueRouteDirection(key: ClueRouteKey): string {
  const r = CLUE_ROUTES[key];
  return `${r.from.map((k) => ORG_KIND_LABELS[k]).join("、")} → ${r.to.map((k) => ORG_KIND_LABELS[k]).join("、")}`;
}

/** The label of a stored route key (an unknown one is shown as it is). */
export function clueRouteLabel(key: string): string {
  return isClueRouteKey(key) ? CLUE_ROUTES[key].label : key;
}

/** Kinds that send clues along some route. */
export const CLUE_SENDING_KINDS: ReadonlySet<OrgKind> = new Set(CLUE_ROUTE_KEYS.flatMap((k) => CLUE_ROUTES[k].from));
/** Kinds that take part in clue transfer at all (send, receive, or are granted access: 纪委监委). */
export const CLUE_KINDS: ReadonlySet<OrgKind> = new Set(
  CLUE_ROUTE_KEYS.flatMap((k) => [...CLUE_ROUTES[k].from, ...CLUE_ROUTES[k].to]),
);
/** The kinds a unit of `fromKind` may send clues to. */
export function receivingKinds(fromKind: string): OrgKind[] {
  return [
    ...new Set(
      CLUE_ROUTE_KEYS.filter((k) => (CLUE_ROUTES[k].from as readonly string[]).includes(fromKind)).flatMap(
        (k) => CLUE_ROUTES[k].to,
      ),
    ),
  ];
}

/** Upper-level units that may be granted access to a clue explicitly (上级纪检监察机关). */
export const CLUE_GRANTEE_KINDS: ReadonlySet<OrgKind> = new Set(["DISCIPLINE_COMMISSION"]);

export const CLUE_SOURCES = ["SUPERVISION", "CASE_REVIEW", "COMPLAINT", "INSPECTION", "OTHER"] as const;
export type ClueSource = (typeof CLUE_SOURCES)[number];
export const CLUE_SOURCE_LABELS: Record<ClueSource, string> = {
  SUPERVISION: "执法监督",
  CASE_REVIEW: "案卷评查",
  COMPLAINT: "投诉举报",
  INSPECTION: "法治督察",
  OTHER: "其他",
};

/** 已移送 → 已签收 → 办理中 → 已反馈 → 已办结, or 退回 (with a reason) before handling starts. */
export const CLUE_STATUSES = ["TRANSFERRED", "RECEIVED", "HANDLING", "FEEDBACK", "CLOSED", "RETURNED"] as const;
export type ClueStatus = (typeof CLUE_STATUSES)[number];
export const CLUE_STATUS_LABELS: Record<ClueStatus, string> = {
  TRANSFERRED: "已移送",
  RECEIVED: "已签收",
  HANDLING: "办理中",
  FEEDBACK: "已反馈",
  CLOSED: "已办结",
  RETURNED: "已退回",
};
/** The steps of the page's progress bar (退回 leaves them). */
export const CLUE_STEPS: readonly ClueStatus[] = ["TRANSFERRED", "RECEIVED", "HANDLING", "FEEDBACK", "CLOSED"];

export function clueStatusLabel(status: string): string {
  return (CLUE_STATUS_LABELS as Record<string, string>)[status] ?? status;
}

/** A clue still waiting for the receiver's signature (the receipt deadline runs). */
export const AWAITING_RECEIPT_STATUSES: readonly ClueStatus[] = ["TRANSFERRED"];
/** A received clue whose result the sender is still owed, when it asked for one (the feedback deadline runs). */
export const AWAITING_FEEDBACK_STATUSES: readonly ClueStatus[] = ["RECEIVED", "HANDLING"];
/** 退回 is possible until handling starts. */
export const RETURNABLE_STATUSES: readonly ClueStatus[] = ["TRANSFERRED", "RECEIVED"];

export const FEEDBACK_OUTCOMES = ["FILED", "PRELIMINARY", "NOT_FILED", "REFERRED"] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];
export const FEEDBACK_OUTCOME_LABELS: Record<FeedbackOutcome, string> = {
  FILED: "立案",
  PRELIMINARY: "初核",
  NOT_FILED: "不予立案",
  REFERRED: "转办",
};

export function feedbackOutcomeLabel(outcome: string | null): string | null {
  return outcome === null ? null : ((FEEDBACK_OUTCOME_LABELS as Record<string, string>)[outcome] ?? outcome);
}

/** 签收期限: five working days from the day of transfer, by default. */
export const RECEIPT_WORKING_DAYS = 5;
/** 反馈期限: the sender chooses it; 30 days from the day of transfer unless it says otherwise. */
export const DEFAULT_FEEDBACK_DAYS = 30;
/** The longest feedback period a sender may set. */
export const MAX_FEEDBACK_DAYS = 366;
/** 临期 for a receipt: the receipt period is short, so the reminder comes the day before. */
export const RECEIPT_DUE_SOON_DAYS = 1;

/** The receipt deadline's day (YYYY-MM-DD) for a clue transferred on `transferDay`. */
export function receiptDueDay(transferDay: string): string {
  return addWorkingDaysIso(transferDay, RECEIPT_WORKING_DAYS);
}

/** The default feedback deadline's day (YYYY-MM-DD). */
export function defaultFeedbackDueDay(transferDay: string): string {
  return addDaysIso(transferDay, DEFAULT_FEEDBACK_DAYS);
}

/** What the clue policy needs. */
export interface ClueFacts {
  fromOrgId: string;
  toOrgId: string;
  status: string;
  needsFeedback: boolean;
  /** Upper-level units granted access explicitly (ClueGrant). */
  grantOrgIds: readonly string[];
}

/** How the actor's handling unit relates to a clue, strongest first. */
export type ClueRelation = "sender" | "receiver" | "granted";

export const CLUE_RELATION_LABELS: Record<ClueRelation, string> = {
  sender: "本单位移出",
  receiver: "移入本单位",
  granted: "授权查阅",
};

type Tone = "green" | "amber" | "red" | "slate" | "blue";

/** Receipt state for lists and the page: signed, returned, or the days left / overdue. */
export function receiptState(
  c: { status: string; receiptDueAt: Date; receivedAt: Date | null },
  now: Date,
): { tone: Tone; label: string; overdue: boolean } {
  if (c.receivedAt)
    return c.receivedAt.getTime() > c.receiptDueAt.getTime()
      ? { tone: "amber", label: "逾期签收", overdue: false }
      : { tone: "green", label: "已签收", overdue: false };
  if (c.status === "RETURNED") return { tone: "slate", label: "已退回", overdue: false };
  if (c.receiptDueAt.getTime() < now.getTime())
    return { tone: "red", label: `逾期 ${Math.max(1, daysPast(c.receiptDueAt, now))} 天未签收`, overdue: true };
  return {
    tone: daysLeft(now, c.receiptDueAt) <= RECEIPT_DUE_SOON_DAYS ? "amber" : "slate",
    label: deadlineLabel(now, c.receiptDueAt),
    overdue: false,
  };
}

/** Feedback state: not asked for, given (on time or late), overdue, or the days left. */
export function feedbackState(
  c: { status: string; needsFeedback: boolean; feedbackDueAt: Date | null; feedbackAt: Date | null },
  now: Date,
): { tone: Tone; label: string; overdue: boolean } {
  if (c.feedbackAt)
    return c.feedbackDueAt && c.feedbackAt.getTime() > c.feedbackDueAt.getTime()
      ? { tone: "amber", label: "逾期反馈", overdue: false }
      : { tone: "green", label: "已反馈", overdue: false };
  if (!c.needsFeedback || !c.feedbackDueAt) return { tone: "slate", label: "无需反馈", overdue: false };
  if (!(AWAITING_FEEDBACK_STATUSES as readonly string[]).includes(c.status))
    return { tone: "slate", label: c.status === "TRANSFERRED" ? "待签收" : "—", overdue: false };
  if (c.feedbackDueAt.getTime() < now.getTime())
    return { tone: "red", label: `逾期 ${Math.max(1, daysPast(c.feedbackDueAt, now))} 天未反馈`, overdue: true };
  return {
    tone: daysLeft(now, c.feedbackDueAt) <= 7 ? "amber" : "slate",
    label: deadlineLabel(now, c.feedbackDueAt),
    overdue: false,
  };
}

/** The register's views: clues the user's units sent, received, or may read by a grant. */
export type ClueView = "out" | "in" | "granted";

/** The register's tabs (shared by the loader and the page, so it lives here, not in a .server module). */
export const CLUE_VIEWS: Record<ClueView, string> = { out: "移出", in: "移入", granted: "授权查阅" };

export function isClueView(v: string | null): v is ClueView {
  return v === "out" || v === "in" || v === "granted";
}
