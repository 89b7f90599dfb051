import type { Actor } from "~/domain/actor";
import type { DocumentFacts } from "~/domain/document";
import { releasingOrgIds } from "~/domain/typical-case";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { canCreateDocument, documentAccess } from "./document";
import { PUBLISHING_ROLES, hasRole } from "./rules";

/** Who creates a case draft for an org: its drafters, coordinators and admins. */
export const canCreateCase = canCreateDocument;

/** What the typical-case workflow asks of a case, beyond what any document allows (see ./document). */
export type CaseAction = "editMeta" | "overrideFinding" | "publish" | "withdraw" | "reopen";

/** The owner org's PUBLISHER publishes, withdraws and corrects. */
function ownerPublisher(actor: Actor, doc: DocumentFacts, verb: string): Decision {
  return hasRole(actor, doc.ownerOrgId, PUBLISHING_ROLES) ? ALLOW : deny(`只有牵头发布单位的发布审核人可以${verb}。`);
}

/**
 * The decision on a case action, with the reason in Chinese (ADR 016):
 * - editMeta: the case's metadata (title, field, batch, 当事人) changes with its text: by its writers,
 *   while it is a draft;
 * - overrideFinding: a PUBLISHER of a releasing org declares one finding no personal data, while the
 *   case is drafted or reviewed;
 * - publish: the owner's PUBLISHER, once every releasing org approved (FINALIZED);
 * - withdraw / reopen (更正): the owner's PUBLISHER, while the case is published; a reopened case keeps
 *   its public page until the corrected one replaces it.
 */
export function authorizeCase(actor: Actor, action: CaseAction, doc: DocumentFacts): Decision {
  switch (action) {
    case "editMeta":
      if (documentAccess(actor, doc) === "write") return ALLOW;
      return doc.status === "DRAFT"
        ? deny("您对此案例只有查看权限。")
        : notNow("案例已提交审核或已发布，信息不可修改。");
    case "overrideFinding":
      return (doc.status === "DRAFT" || doc.status === "COUNTERSIGNING") &&
        releasingOrgIds(doc).some((id) => hasRole(actor, id, PUBLISHING_ROLES))
        ? ALLOW
        : deny("只有发布单位的发布审核人可以认定某项检查结果无需脱敏。");
    case "publish":
      return firstRefusal(
        doc.status === "PUBLISHED"
          ? notNow("该案例已经发布。")
          : doc.status === "FINALIZED"
            ? ALLOW
            : notNow("案例须经全部发布单位审核同意后才能发布。"),
        ownerPublisher(actor, doc, "发布"),
      );
    case "withdraw":
      return firstRefusal(
        doc.status === "PUBLISHED" ? ALLOW : notNow("只有已发布的案例可以撤回。"),
        ownerPublisher(actor, doc, "撤回"),
      );
    case "reopen":
      return firstRefusal(
        doc.status === "PUBLISHED" ? ALLOW : notNow("只有已发布的案例可以更正。"),
        ownerPublisher(actor, doc, "更正"),
      );
  }
}

/** The case's metadata changes with its text: while it is a draft, by its writers. */
export function canEditCaseMeta(actor: Actor, doc: DocumentFacts): boolean {
  return authorizeCase(actor, "editMeta", doc).allowed;
}

/** 当事人 are private: only the releasing orgs' members see them (not upper-region readers). */
export function canSeeParties(actor: Actor, doc: DocumentFacts): boolean {
  const orgs = releasingOrgIds(doc);
  return actor.memberships.some((m) => orgs.includes(m.orgId));
}

/** A PUBLISHER of a releasing org may declare one finding not personal data, with a reason. */
export function canOverrideFinding(actor: Actor, doc: DocumentFacts): boolean {
  return authorizeCase(actor, "overrideFinding", doc).allowed;
}

/** Publishing, correcting and withdrawing: the owner's PUBLISHER. */
export function canPublishCase(actor: Actor, doc: DocumentFacts): boolean {
  return authorizeCase(actor, "publish", doc).allowed;
}

export function canWithdrawCase(actor: Actor, doc: DocumentFacts): boolean {
  return authorizeCase(actor, "withdraw", doc).allowed;
}

/** 更正: the owner's PUBLISHER reopens a published case for editing; the live publication stays until the corrected one replaces it. */
export function canReopenForCorrection(actor: Actor, doc: DocumentFacts): boolean {
  return authorizeCase(actor, "reopen", doc).allowed;
}

/** The batch view: publishers and coordinators of any org, and the justice bureau (its region). */
export function canViewBatches(actor: Actor): boolean {
  return actor.memberships.some(
    (m) => m.role === "PUBLISHER" || m.role === "COORDINATOR" || m.role === "ADMIN" || m.orgKind === "JUSTICE_BUREAU",
  );
}
