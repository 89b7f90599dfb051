import type { Role } from "~/utils/domain";
import type { Actor } from "./actor";
import { documentAccess, type DocumentFacts } from "./document";

export const ITEM_KINDS = ["AGREED_ITEM", "RECTIFICATION_MEASURE", "SUPERVISED_CASE"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_KIND_LABELS: Record<ItemKind, string> = { AGREED_ITEM: "议定事项", RECTIFICATION_MEASURE: "整改措施", SUPERVISED_CASE: "挂牌督办案件" };

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

/** What item policies need to know. */
export interface ItemFacts {
  status: string;
  ownerOrgId: string;
  leadOrgId: string | null;
  orgs: ReadonlyArray<{ orgId: string; role: string }>;
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
  return Math.max(1, Math.ceil((now.getTime() - item.dueDate!.getTime()) / 86_400_000));
}

const REPORTING_ROLES: ReadonlySet<Role> = new Set(["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"]);
const DECIDING_ROLES: ReadonlySet<Role> = new Set(["ADMIN", "COORDINATOR"]);

function hasRole(actor: Actor, orgId: string | null, roles: ReadonlySet<Role>): boolean {
  return orgId !== null && actor.memberships.some((m) => m.orgId === orgId && roles.has(m.role));
}

/**
 * Who sees an item: whoever may read its source document, members of its owner orgs (lead and
 * supporting), and supervising orgs above the owner's region (through the document policy).
 */
export function canReadItem(actor: Actor, item: ItemFacts): boolean {
  if (documentAccess(actor, item.document) !== "none") return true;
  return actor.memberships.some((m) => item.orgs.some((o) => o.orgId === m.orgId) || (m.orgId === item.ownerOrgId));
}

/** Owner orgs (牵头 and 配合) report progress on an active, not closed item; VIEWERs read only. */
export function canReportProgress(actor: Actor, item: ItemFacts): boolean {
  if (!(item.status === "NOT_STARTED" || item.status === "IN_PROGRESS" || item.status === "DONE")) return false;
  return item.orgs.some((o) => hasRole(actor, o.orgId, REPORTING_ROLES));
}

/** Only the lead org asks for more time, before the deadline, while the work is open. */
export function canRequestExtension(actor: Actor, item: ItemFacts, now: Date): boolean {
  return OPEN_STATUSES.has(item.status) && item.dueDate !== null && now.getTime() <= item.dueDate.getTime() && hasRole(actor, item.leadOrgId, REPORTING_ROLES);
}

/** The convening (owner) org's COORDINATOR or ADMIN approves or refuses extensions. */
export function canDecideExtension(actor: Actor, item: ItemFacts): boolean {
  return ACTIVE_STATUSES.has(item.status) && item.status !== "CLOSED" && hasRole(actor, item.ownerOrgId, DECIDING_ROLES);
}

/** 销号 or send back: the convening org's COORDINATOR, on a completed item. */
export function canClose(actor: Actor, item: ItemFacts): boolean {
  return item.status === "DONE" && hasRole(actor, item.ownerOrgId, new Set<Role>(["COORDINATOR"]));
}

/** Reopen a closed item: the convening org's COORDINATOR. */
export function canReopen(actor: Actor, item: ItemFacts): boolean {
  return item.status === "CLOSED" && hasRole(actor, item.ownerOrgId, new Set<Role>(["COORDINATOR"]));
}

export interface ItemAbilities {
  report: boolean;
  requestExtension: boolean;
  decideExtension: boolean;
  close: boolean;
  reopen: boolean;
}

export function itemAbilities(actor: Actor, item: ItemFacts, now: Date): ItemAbilities {
  return { report: canReportProgress(actor, item), requestExtension: canRequestExtension(actor, item, now), decideExtension: canDecideExtension(actor, item), close: canClose(actor, item), reopen: canReopen(actor, item) };
}
