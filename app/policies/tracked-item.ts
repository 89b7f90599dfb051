import type { Actor } from "~/domain/actor";
import {
  ACTIVE_STATUSES,
  OPEN_STATUSES,
  extensionCutoff,
  supervisingOrgIds,
  workingOrgIds,
  type ItemFacts,
} from "~/domain/tracked-item";
import { documentAccess } from "./document";
import { ACTING_ROLES, COORDINATING_ROLES, DECIDING_ROLES, hasRole } from "./rules";

/**
 * Who sees an item: whoever may read its source document, members of its owner orgs (lead and
 * supporting), and supervising orgs above the owner's region (through the document policy).
 */
export function canReadItem(actor: Actor, item: ItemFacts): boolean {
  if (documentAccess(actor, item.document) !== "none") return true;
  return actor.memberships.some((m) => item.orgs.some((o) => o.orgId === m.orgId) || m.orgId === item.ownerOrgId);
}

/** Owner orgs (牵头 and 配合) report progress on an active, not closed item; VIEWERs read only. */
export function canReportProgress(actor: Actor, item: ItemFacts): boolean {
  if (!(item.status === "NOT_STARTED" || item.status === "IN_PROGRESS" || item.status === "DONE")) return false;
  return workingOrgIds(item).some((orgId) => hasRole(actor, orgId, ACTING_ROLES));
}

/** Only the lead org asks for more time, before the cutoff, while the work is open. */
export function canRequestExtension(actor: Actor, item: ItemFacts, now: Date): boolean {
  const cutoff = extensionCutoff(item);
  return (
    OPEN_STATUSES.has(item.status) &&
    cutoff !== null &&
    now.getTime() <= cutoff.getTime() &&
    hasRole(actor, item.leadOrgId, ACTING_ROLES)
  );
}

/** The convening (owner) org's COORDINATOR or ADMIN approves or refuses extensions. */
export function canDecideExtension(actor: Actor, item: ItemFacts): boolean {
  return (
    ACTIVE_STATUSES.has(item.status) && item.status !== "CLOSED" && hasRole(actor, item.ownerOrgId, DECIDING_ROLES)
  );
}

/**
 * 销号 or send back: the convening org's COORDINATOR, on a completed item. A supervised case is
 * released (解除挂牌) only through the confirmations of all its 督办单位 (`canRequestRelease`).
 */
export function canClose(actor: Actor, item: ItemFacts): boolean {
  return (
    item.kind !== "SUPERVISED_CASE" && item.status === "DONE" && hasRole(actor, item.ownerOrgId, COORDINATING_ROLES)
  );
}

/** 解除挂牌: a COORDINATOR or ADMIN of one of the case's 督办单位 asks, once the case is reported done. */
export function canRequestRelease(actor: Actor, item: ItemFacts): boolean {
  return (
    item.kind === "SUPERVISED_CASE" &&
    item.status === "DONE" &&
    supervisingOrgIds(item).some((orgId) => hasRole(actor, orgId, DECIDING_ROLES))
  );
}

/** The actor's 督办单位 that may confirm or return a release (the round itself says who is still pending). */
export function releaseConfirmingOrgIds(actor: Actor, item: ItemFacts): string[] {
  if (item.kind !== "SUPERVISED_CASE") return [];
  return supervisingOrgIds(item).filter((orgId) => hasRole(actor, orgId, DECIDING_ROLES));
}

/** Reopen a closed item: the convening org's COORDINATOR. */
export function canReopen(actor: Actor, item: ItemFacts): boolean {
  return item.status === "CLOSED" && hasRole(actor, item.ownerOrgId, COORDINATING_ROLES);
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
