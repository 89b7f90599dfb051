import { regionContains } from "~/domain/actor";
import { ENFORCEMENT_KINDS, ENFORCEMENT_SUPERVISING_KINDS, type OrgKind } from "~/domain/organization";
import type { Actor } from "~/domain/actor";
import { formatDate } from "~/domain/dates";
import {
  ACTIVE_STATUSES,
  ITEM_STATUS_LABELS,
  OPEN_STATUSES,
  extensionCutoff,
  supervisingOrgIds,
  workingOrgIds,
  type ItemFacts,
} from "~/domain/tracked-item";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { documentAccess } from "./document";
import { ACTING_ROLES, COORDINATING_ROLES, DECIDING_ROLES, hasRole } from "./rules";

/** What can be done with a tracked item (议定事项 / 整改措施 / 挂牌督办案件). */
export type ItemAction =
  | "read"
  | "reportProgress"
  | "requestExtension"
  | "decideExtension"
  | "close"
  | "sendBack"
  | "reopen"
  | "requestRelease"
  | "decideRelease";

/** 销号 / 退回 / 重新打开: the status each needs and the word the messages use. */
const TRANSITION_FROM = { close: "DONE", sendBack: "DONE", reopen: "CLOSED" } as const;
export const TRANSITION_VERBS = { close: "销号", sendBack: "退回继续办理", reopen: "重新打开" } as const;

/**
 * Who may do what with an item, and why not (ADR 016): `deny` says who may (403), `notNow` what
 * state it must be in (409). The state is checked first where the workflow has an order (a closed
 * item answers 已销号 whoever asks). `now` matters only for extensions (their cutoff).
 */
export function authorizeItem(actor: Actor, action: ItemAction, item: ItemFacts, now: Date = new Date()): Decision {
  switch (action) {
    case "read":
      return canReadItemFacts(actor, item) ? ALLOW : deny("您所在单位与该事项无关，无权查看。");
    case "reportProgress":
      return firstRefusal(
        item.status === "CLOSED"
          ? notNow("该事项已销号，不能再报送进展。如需继续，请由召集单位重新打开。")
          : item.status === "DRAFT"
            ? notNow("纪要定稿后事项才开始跟踪，目前不能报送进展。")
            : ALLOW,
        (item.status === "NOT_STARTED" || item.status === "IN_PROGRESS" || item.status === "DONE") &&
          workingOrgIds(item).some((orgId) => hasRole(actor, orgId, ACTING_ROLES))
          ? ALLOW
          : deny("只有牵头单位和配合单位可以报送进展。"),
      );
    case "requestExtension":
      return extensionDecision(actor, item, now);
    case "decideExtension":
      return ACTIVE_STATUSES.has(item.status) &&
        item.status !== "CLOSED" &&
        hasRole(actor, item.ownerOrgId, DECIDING_ROLES)
        ? ALLOW
        : deny("只有召集单位的督办协调员可以审批延期。");
    case "close":
    case "sendBack":
    case "reopen":
      return transitionDecision(actor, action, item);
    case "requestRelease":
      return firstRefusal(
        item.status === "DONE" ? ALLOW : notNow("承办单位报告办结（已完成待销号）后，才能申请解除挂牌。"),
        releaseConfirmingOrgIds(actor, item).length > 0 ? ALLOW : deny("只有督办单位的督办协调员可以申请解除挂牌。"),
      );
    case "decideRelease":
      // Who may confirm is the round's list (the countersign rows), checked when deciding.
      return item.kind === "SUPERVISED_CASE" && item.status === "DONE"
        ? ALLOW
        : notNow("该案件当前没有待确认的解除挂牌。");
  }
}

function canReadItemFacts(actor: Actor, item: ItemFacts): boolean {
  if (documentAccess(actor, item.document) !== "none") return true;
  if (supervisesEnforcementOf(actor, item)) return true;
  return actor.memberships.some((m) => item.orgs.some((o) => o.orgId === m.orgId) || m.orgId === item.ownerOrgId);
}

/**
 * 行政执法监督: a justice bureau (or 司法所) whose region holds a law-enforcement unit leading or
 * supporting the item reads it — the county sees the county's cases even when the city convened them.
 */
export function supervisesEnforcementOf(actor: Actor, item: Pick<ItemFacts, "orgs">): boolean {
  return actor.memberships.some(
    (m) =>
      ENFORCEMENT_SUPERVISING_KINDS.has(m.orgKind) &&
      item.orgs.some(
        (o) =>
          (o.role === "LEAD" || o.role === "SUPPORTING") &&
          o.orgKind !== undefined &&
          ENFORCEMENT_KINDS.has(o.orgKind as OrgKind) &&
          o.regionPath !== undefined &&
          regionContains(m.regionPath, o.regionPath),
      ),
  );
}

/** Only the lead org asks for more time, before the cutoff, while the work is open. */
function extensionDecision(actor: Actor, item: ItemFacts, now: Date): Decision {
  const cutoff = extensionCutoff(item);
  if (item.dueDate && now.getTime() > item.dueDate.getTime()) return notNow("已超过完成时限，不能再申请延期。");
  if (cutoff && now.getTime() > cutoff.getTime() && OPEN_STATUSES.has(item.status))
    return notNow(
      `挂牌督办案件须在督办期限届满一个月前申请延期：本案督办期限为 ${formatDate(item.dueDate!)}，最迟应于 ${formatDate(cutoff)} 前申请，现已不能申请。`,
    );
  const open = OPEN_STATUSES.has(item.status) && cutoff !== null && now.getTime() <= cutoff.getTime();
  return open && hasRole(actor, item.leadOrgId, ACTING_ROLES) ? ALLOW : deny("只有牵头单位可以在完成时限前申请延期。");
}

/**
 * 销号 / 退回 (a completed item) and 重新打开 (a closed one): the convening org's COORDINATOR. A
 * supervised case is released (解除挂牌) only through the confirmations of all its 督办单位.
 */
function transitionDecision(actor: Actor, action: keyof typeof TRANSITION_FROM, item: ItemFacts): Decision {
  const from = TRANSITION_FROM[action];
  const verb = TRANSITION_VERBS[action];
  const mayClose = action === "reopen" || item.kind !== "SUPERVISED_CASE";
  return firstRefusal(
    item.status === from ? ALLOW : notNow(`只有「${ITEM_STATUS_LABELS[from]}」的事项可以${verb}。`),
    mayClose && hasRole(actor, item.ownerOrgId, COORDINATING_ROLES)
      ? ALLOW
      : deny(`只有召集单位的督办协调员可以${verb}。`),
  );
}

/**
 * Who sees an item: whoever may read its source document, members of its owner orgs (lead and
 * supporting), and supervising orgs above the owner's region (through the document policy).
 */
export function canReadItem(actor: Actor, item: ItemFacts): boolean {
  return authorizeItem(actor, "read", item).allowed;
}

/** Owner orgs (牵头 and 配合) report progress on an active, not closed item; VIEWERs read only. */
export function canReportProgress(actor: Actor, item: ItemFacts): boolean {
  return authorizeItem(actor, "reportProgress", item).allowed;
}

/** Only the lead org asks for more time, before the cutoff, while the work is open. */
export function canRequestExtension(actor: Actor, item: ItemFacts, now: Date): boolean {
  return authorizeItem(actor, "requestExtension", item, now).allowed;
}

/** The convening (owner) org's COORDINATOR or ADMIN approves or refuses extensions. */
export function canDecideExtension(actor: Actor, item: ItemFacts): boolean {
  return authorizeItem(actor, "decideExtension", item).allowed;
}

/** 销号 or send back: the convening org's COORDINATOR, on a completed item (not a supervised case). */
export function canClose(actor: Actor, item: ItemFacts): boolean {
  return authorizeItem(actor, "close", item).allowed;
}

/** 解除挂牌: a COORDINATOR or ADMIN of one of the case's 督办单位 asks, once the case is reported done. */
export function canRequestRelease(actor: Actor, item: ItemFacts): boolean {
  return authorizeItem(actor, "requestRelease", item).allowed;
}

/** The actor's 督办单位 that may confirm or return a release (the round itself says who is still pending). */
export function releaseConfirmingOrgIds(actor: Actor, item: ItemFacts): string[] {
  if (item.kind !== "SUPERVISED_CASE") return [];
  return supervisingOrgIds(item).filter((orgId) => hasRole(actor, orgId, DECIDING_ROLES));
}

/** Reopen a closed item: the convening org's COORDINATOR. */
export function canReopen(actor: Actor, item: ItemFacts): boolean {
  return authorizeItem(actor, "reopen", item).allowed;
}

export interface ItemAbilities {
  report: boolean;
  requestExtension: boolean;
  decideExtension: boolean;
  close: boolean;
  reopen: boolean;
  requestRelease: boolean;
}

export function itemAbilities(actor: Actor, item: ItemFacts, now: Date): ItemAbilities {
  return {
    report: canReportProgress(actor, item),
    requestExtension: canRequestExtension(actor, item, now),
    decideExtension: canDecideExtension(actor, item),
    close: canClose(actor, item),
    reopen: canReopen(actor, item),
    requestRelease: canRequestRelease(actor, item),
  };
}
