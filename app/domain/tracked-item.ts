/** Tracked items (议定事项 / 整改措施 / 挂牌督办案件): vocabulary, labels and the date rules of their deadlines. */
import { addMonthsIso, chinaDay, daysPast, endOfChinaDay } from "./dates";
import type { DocumentFacts } from "./document";

export const ITEM_KINDS = ["AGREED_ITEM", "RECTIFICATION_MEASURE", "SUPERVISED_CASE"] as const;

export type ItemKind = (typeof ITEM_KINDS)[number];

export const ITEM_KIND_LABELS: Record<ItemKind, string> = {
  AGREED_ITEM: "议定事项",
  RECTIFICATION_MEASURE: "整改措施",
  SUPERVISED_CASE: "挂牌督办案件",
};

export const ITEM_STATUSES = ["DRAFT", "NOT_STARTED", "IN_PROGRESS", "DONE", "CLOSED", "REMOVED"] as const;

export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  DRAFT: "草拟中",
  NOT_STARTED: "未开始",
  IN_PROGRESS: "推进中",
  DONE: "已完成待销号",
  CLOSED: "已销号",
  REMOVED: "已删除",
};

/** Statuses of an item being tracked (its source is final). */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(["NOT_STARTED", "IN_PROGRESS", "DONE", "CLOSED"]);

/** Statuses in which the work is still open, so the deadline counts. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(["NOT_STARTED", "IN_PROGRESS"]);

export const FEEDBACK_CYCLES = ["NONE", "WEEKLY", "MONTHLY"] as const;

export type FeedbackCycle = (typeof FEEDBACK_CYCLES)[number];

export const FEEDBACK_CYCLE_LABELS: Record<FeedbackCycle, string> = { NONE: "不定期", WEEKLY: "每周", MONTHLY: "每月" };

/** The kind of the items a document type tracks (types without items are absent). */
export const KIND_BY_DOCUMENT_TYPE: Record<string, ItemKind> = {
  MINUTES: "AGREED_ITEM",
  RECTIFICATION_PLAN: "RECTIFICATION_MEASURE",
  SUPERVISION_LISTING: "SUPERVISED_CASE",
};

/** The kind of the items of a document type, or null when the type tracks none. */
export function itemKindOf(documentType: string): ItemKind | null {
  return Object.hasOwn(KIND_BY_DOCUMENT_TYPE, documentType) ? KIND_BY_DOCUMENT_TYPE[documentType] : null;
}

/** 督办期限默认六个月: the months a supervised case gets when no due date is given. */
export const SUPERVISION_TERM_MONTHS = 6;

/** How an item of a kind names itself and its fields (document block, settings, exports). */
export interface ItemLabels {
  /** 议定事项 / 整改措施 / 督办案件 (numbered: "整改措施 3") */
  item: "议定事项" | "整改措施" | "督办案件";
  /** 牵头单位 / 责任单位 / 承办单位 */
  lead: string;
  /** 配合单位 / 配合单位 / 协办单位 */
  supporting: string;
  /** 完成时限 / 整改时限 / 督办期限 */
  due: string;
  feedback: string;
  /** The status as this kind says it (a closed supervised case is 已解除挂牌, not 已销号). */
  statusLabel: (status: string) => string;
}

/** Labels of the fields only some kinds have. */
export const ITEM_EXTRA_LABELS = { responsible: "责任人", standard: "整改标准", supervisors: "督办单位" } as const;

const STATUS_OVERRIDES: Record<ItemKind, Partial<Record<ItemStatus, string>>> = {
  AGREED_ITEM: {},
  RECTIFICATION_MEASURE: {},
  SUPERVISED_CASE: { DONE: "已办结待解除挂牌", CLOSED: "已解除挂牌" },
};

const KIND_FIELD_LABELS: Record<ItemKind, Omit<ItemLabels, "statusLabel" | "feedback">> = {
  AGREED_ITEM: { item: "议定事项", lead: "牵头单位", supporting: "配合单位", due: "完成时限" },
  RECTIFICATION_MEASURE: { item: "整改措施", lead: "责任单位", supporting: "配合单位", due: "整改时限" },
  SUPERVISED_CASE: { item: "督办案件", lead: "承办单位", supporting: "协办单位", due: "督办期限" },
};

export function itemLabels(kind: ItemKind): ItemLabels {
  const fields = KIND_FIELD_LABELS[kind] ?? KIND_FIELD_LABELS.AGREED_ITEM;
  const overrides = STATUS_OVERRIDES[kind] ?? {};
  return {
    ...fields,
    feedback: "反馈周期",
    statusLabel: (status) => overrides[status as ItemStatus] ?? ITEM_STATUS_LABELS[status as ItemStatus] ?? status,
  };
}

/** What item policies need to know. */
export interface ItemFacts {
  /** AGREED_ITEM | RECTIFICATION_MEASURE | SUPERVISED_CASE */
  kind: string;
  status: string;
  ownerOrgId: string;
  leadOrgId: string | null;
  /** The item's orgs; `orgKind` and `regionPath` where known (行政执法监督 reads by them). */
  orgs: ReadonlyArray<{ orgId: string; role: string; orgKind?: string; regionPath?: string }>;
  dueDate: Date | null;
  /** The source document, for read access through it. */
  document: DocumentFacts;
}

/** 逾期: open work past the end of its due day. */
export function isOverdue(item: { status: string; dueDate: Date | null }, now: Date): boolean {
  return OPEN_STATUSES.has(item.status) && item.dueDate !== null && item.dueDate.getTime() < now.getTime();
}

/** Whole days past due (0 when not overdue). */
export function daysOverdue(item: { status: string; dueDate: Date | null }, now: Date): number {
  if (!isOverdue(item, now)) return 0;
  return Math.max(1, daysPast(item.dueDate!, now));
}

/** Orgs doing the work (牵头/承办 and 配合), as opposed to the 督办单位 of a supervised case. */
export function workingOrgIds(item: Pick<ItemFacts, "orgs">): string[] {
  return item.orgs.filter((o) => o.role === "LEAD" || o.role === "SUPPORTING").map((o) => o.orgId);
}

/** 督办单位 of a supervised case: its SUPERVISING orgs, or the listing's owner when none is named. */
export function supervisingOrgIds(item: Pick<ItemFacts, "orgs" | "ownerOrgId">): string[] {
  const named = item.orgs.filter((o) => o.role === "SUPERVISING").map((o) => o.orgId);
  return named.length ? named : [item.ownerOrgId];
}

/**
 * The last moment an extension may be asked for: the deadline itself, or for a supervised case one
 * calendar month before it (延期须在督办期限届满一个月前申请).
 */
export function extensionCutoff(item: Pick<ItemFacts, "kind" | "dueDate">): Date | null {
  if (!item.dueDate) return null;
  if (item.kind !== "SUPERVISED_CASE") return item.dueDate;
  return endOfChinaDay(addMonthsIso(chinaDay(item.dueDate), -1));
}
