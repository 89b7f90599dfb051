import type { Actor } from "~/domain/actor";
import {
  awaitsReply,
  FOLLOWING_KINDS,
  type RecommendationFacts,
  type RecommendationRelation,
} from "~/domain/recommendation";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { ACTING_ROLES, DECIDING_ROLES, DRAFTING_ROLES, actorSupervises, hasRole, orgsWithRole } from "./rules";

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

/** What can be done with a recommendation (建议书) once registered. */
export type RecommendationAction =
  "read" | "changeReplyDue" | "attachOriginal" | "createPlan" | "prepareReply" | "sendReply" | "close";

const DRAFTERS_ONLY = "只有主送单位的起草人或督办协调员可以";

/**
 * Who may do what with a recommendation, and why not (ADR 016): `deny` says who may (403),
 * `notNow` what state it must be in (409). A replied recommendation answers 已书面回复 whoever asks.
 */
export function authorizeRecommendation(actor: Actor, action: RecommendationAction, r: RecommendationFacts): Decision {
  const replied = r.status === "REPLIED" || r.status === "CLOSED";
  switch (action) {
    case "read":
      return recommendationRelation(actor, r)
        ? ALLOW
        : deny("您所在单位不是该建议书的发出、主送或抄送单位，无权查看。");
    case "changeReplyDue":
      // The reply deadline is the issuer's: changed (with a reason) before the reply is sent.
      return firstRefusal(
        awaitsReply(r) ? ALLOW : notNow("已书面回复的建议书不能再调整回复期限。"),
        hasRole(actor, r.issuerOrgId, ACTING_ROLES) ? ALLOW : deny("只有发出单位可以调整回复期限。"),
      );
    case "attachOriginal":
      return r.status !== "CLOSED" &&
        (hasRole(actor, r.issuerOrgId, ACTING_ROLES) || hasRole(actor, r.recipientOrgId, ACTING_ROLES))
        ? ALLOW
        : deny("只有发出单位或主送单位可以上传原件。");
    case "createPlan":
      return firstRefusal(
        isRecipientDrafter(actor, r) ? ALLOW : deny(`${DRAFTERS_ONLY}制定整改方案。`),
        r.status === "REGISTERED" && r.planStatus === null ? ALLOW : notNow("建议书状态已变化，请刷新后重试。"),
      );
    case "prepareReply":
      // The 书面回复 is generated once the plan is final (its measures are tracked).
      return firstRefusal(
        isRecipientDrafter(actor, r) ? ALLOW : deny(`${DRAFTERS_ONLY}生成书面回复。`),
        r.planStatus === "FINALIZED" ? ALLOW : notNow("整改方案会签定稿后才能生成书面回复。"),
        r.status === "RECTIFYING" && r.replyStatus === null ? ALLOW : notNow("建议书状态已变化，请刷新后重试。"),
      );
    case "sendReply":
      return firstRefusal(
        replied ? notNow("该建议书已书面回复。") : ALLOW,
        r.replyStatus === null ? notNow("请先生成并修改书面回复。") : ALLOW,
        r.status === "RECTIFYING" && r.replyStatus === "DRAFT" && isRecipientDrafter(actor, r)
          ? ALLOW
          : deny(`${DRAFTERS_ONLY}发出书面回复。`),
      );
    case "close":
      // 销号: the issuer accepts the reply.
      return firstRefusal(
        r.status === "REPLIED" ? ALLOW : notNow("书面回复后才能销号。"),
        hasRole(actor, r.issuerOrgId, DECIDING_ROLES) ? ALLOW : deny("只有发出单位的督办协调员可以销号。"),
      );
  }
}

export function canReadRecommendation(actor: Actor, r: RecommendationFacts): boolean {
  return authorizeRecommendation(actor, "read", r).allowed;
}

/** Registering: a member (not VIEWER / PUBLISHER) of the issuing org, or of the recipient logging a paper one it received. */
export function authorizeRegistration(actor: Actor, issuerOrgId: string, recipientOrgId: string): Decision {
  return hasRole(actor, issuerOrgId, ACTING_ROLES) || hasRole(actor, recipientOrgId, ACTING_ROLES)
    ? ALLOW
    : deny("只有发出单位或主送单位的工作人员可以登记建议书。");
}

/** The actor's orgs it may register recommendations for (as their issuer or recipient). */
export function registeringOrgIds(actor: Actor): string[] {
  return [...new Set(orgsWithRole(actor, ACTING_ROLES))];
}

export function canRegisterRecommendation(actor: Actor, issuerOrgId: string, recipientOrgId: string): boolean {
  return authorizeRegistration(actor, issuerOrgId, recipientOrgId).allowed;
}

/** The reply deadline is the issuer's: changed (with a reason) before the reply is sent. */
export function canChangeReplyDue(actor: Actor, r: RecommendationFacts): boolean {
  return authorizeRecommendation(actor, "changeReplyDue", r).allowed;
}

/** Attach the original (原件): issuer or recipient, until it is closed. */
export function canAttachOriginal(actor: Actor, r: RecommendationFacts): boolean {
  return authorizeRecommendation(actor, "attachOriginal", r).allowed;
}

/** The recipient's drafters, coordinators and admins write its plan and reply. */
export function isRecipientDrafter(actor: Actor, r: RecommendationFacts): boolean {
  return hasRole(actor, r.recipientOrgId, DRAFTING_ROLES);
}

/** The recipient drafts the 整改方案. */
export function canCreatePlan(actor: Actor, r: RecommendationFacts): boolean {
  return authorizeRecommendation(actor, "createPlan", r).allowed;
}

/** The 书面回复 is generated once the plan is final (its measures are tracked). */
export function canPrepareReply(actor: Actor, r: RecommendationFacts): boolean {
  return authorizeRecommendation(actor, "prepareReply", r).allowed;
}

/** Sending the reply freezes it and marks the recommendation replied. */
export function canSendReply(actor: Actor, r: RecommendationFacts): boolean {
  return authorizeRecommendation(actor, "sendReply", r).allowed;
}

/** 销号: the issuer accepts the reply. */
export function canCloseRecommendation(actor: Actor, r: RecommendationFacts): boolean {
  return authorizeRecommendation(actor, "close", r).allowed;
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
