import type { Actor } from "~/domain/actor";
import type { OrgKind } from "~/domain/organization";
import { awaitsReply, type RecommendationFacts, type RecommendationRelation } from "~/domain/recommendation";
import { ACTING_ROLES, DECIDING_ROLES, DRAFTING_ROLES, actorSupervises, hasRole } from "./rules";

/** Upper-level justice bureaus follow the recommendations of the regions below (督促指导下级). */
const FOLLOWING_KINDS: ReadonlySet<OrgKind> = new Set(["JUSTICE_BUREAU"]);

/**
 * How the actor relates to a recommendation, strongest first: its issuer, recipient and 抄送 orgs,
 * and a justice bureau of a region above the recipient's (上级司法行政机关 督促指导下级). Nobody else
 * sees it: null.
 */
export function recommendationRelation(actor: Actor, r: RecommendationFacts): RecommendationRelation | null {
  const mine = new Set(actor.memberships.map((m) => m.orgId));
  if (mine.has(r.issuerOrgId)) return "issuer";
  if (mine.has(r.recipientOrgId)) return "recipient";
  if (r.copyOrgIds.some((id) => mine.has(id))) return "copy";
  return actorSupervises(actor, r.recipientRegionPath, FOLLOWING_KINDS) ? "supervisor" : null;
}

export function canReadRecommendation(actor: Actor, r: RecommendationFacts): boolean {
  return recommendationRelation(actor, r) !== null;
}

/** Registering: a member (not VIEWER / PUBLISHER) of the issuing org, or of the recipient logging a paper one it received. */
export function canRegisterRecommendation(actor: Actor, issuerOrgId: string, recipientOrgId: string): boolean {
  return hasRole(actor, issuerOrgId, ACTING_ROLES) || hasRole(actor, recipientOrgId, ACTING_ROLES);
}

/** The reply deadline is the issuer's: changed (with a reason) before the reply is sent. */
export function canChangeReplyDue(actor: Actor, r: RecommendationFacts): boolean {
  return awaitsReply(r) && hasRole(actor, r.issuerOrgId, ACTING_ROLES);
}

/** Attach the original (原件): issuer or recipient, until it is closed. */
export function canAttachOriginal(actor: Actor, r: RecommendationFacts): boolean {
  return (
    r.status !== "CLOSED" &&
    (hasRole(actor, r.issuerOrgId, ACTING_ROLES) || hasRole(actor, r.recipientOrgId, ACTING_ROLES))
  );
}

/** The recipient's drafters, coordinators and admins write its plan and reply. */
export function isRecipientDrafter(actor: Actor, r: RecommendationFacts): boolean {
  return hasRole(actor, r.recipientOrgId, DRAFTING_ROLES);
}

/** The recipient drafts the 整改方案. */
export function canCreatePlan(actor: Actor, r: RecommendationFacts): boolean {
  return r.status === "REGISTERED" && r.planStatus === null && isRecipientDrafter(actor, r);
}

/** The 书面回复 is generated once the plan is final (its measures are tracked). */
export function canPrepareReply(actor: Actor, r: RecommendationFacts): boolean {
  return (
    r.status === "RECTIFYING" &&
    r.planStatus === "FINALIZED" &&
    r.replyStatus === null &&
    hasRole(actor, r.recipientOrgId, DRAFTING_ROLES)
  );
}

/** Sending the reply freezes it and marks the recommendation replied. */
export function canSendReply(actor: Actor, r: RecommendationFacts): boolean {
  return r.status === "RECTIFYING" && r.replyStatus === "DRAFT" && hasRole(actor, r.recipientOrgId, DRAFTING_ROLES);
}

/** 销号: the issuer accepts the reply. */
export function canCloseRecommendation(actor: Actor, r: RecommendationFacts): boolean {
  return r.status === "REPLIED" && hasRole(actor, r.issuerOrgId, DECIDING_ROLES);
}

export interface RecommendationAbilities {
  changeReplyDue: boolean;
  attachOriginal: boolean;
  createPlan: boolean;
  prepareReply: boolean;
  sendReply: boolean;
  close: boolean;
}

export function recommendationAbilities(actor: Actor, r: RecommendationFacts): RecommendationAbilities {
  return {
    changeReplyDue: canChangeReplyDue(actor, r),
    attachOriginal: canAttachOriginal(actor, r),
    createPlan: canCreatePlan(actor, r),
    prepareReply: canPrepareReply(actor, r),
    sendReply: canSendReply(actor, r),
    close: canCloseRecommendation(actor, r),
  };
}

/** The justice bureau's overview (its region and below). */
export function canViewRecommendationOverview(actor: Actor): boolean {
  return actor.memberships.some((m) => m.orgKind === "JUSTICE_BUREAU" || m.orgKind === "JUSTICE_OFFICE");
}
