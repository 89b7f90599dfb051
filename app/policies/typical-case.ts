import type { Actor } from "~/domain/actor";
import type { DocumentFacts } from "~/domain/document";
import { releasingOrgIds } from "~/domain/typical-case";
import { canCreateDocument, documentAccess } from "./document";
import { PUBLISHING_ROLES, hasRole } from "./rules";

/** Who creates a case draft for an org: its drafters, coordinators and admins. */
export const canCreateCase = canCreateDocument;

/** The case's metadata (title, field, batch, 当事人) changes with its text: while it is a draft, by its writers. */
export function canEditCaseMeta(actor: Actor, doc: DocumentFacts): boolean {
  return documentAccess(actor, doc) === "write";
}

/** 当事人 are private: only the releasing orgs' members see them (not upper-region readers). */
export function canSeeParties(actor: Actor, doc: DocumentFacts): boolean {
  const orgs = releasingOrgIds(doc);
  return actor.memberships.some((m) => orgs.includes(m.orgId));
}

/** A PUBLISHER of a releasing org may declare one finding not personal data, with a reason. */
export function canOverrideFinding(actor: Actor, doc: DocumentFacts): boolean {
  return (
    (doc.status === "DRAFT" || doc.status === "COUNTERSIGNING") &&
    releasingOrgIds(doc).some((id) => hasRole(actor, id, PUBLISHING_ROLES))
  );
}

/** Publishing, correcting and withdrawing: the owner's PUBLISHER. */
export function canPublishCase(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "FINALIZED" && hasRole(actor, doc.ownerOrgId, PUBLISHING_ROLES);
}

export function canWithdrawCase(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "PUBLISHED" && hasRole(actor, doc.ownerOrgId, PUBLISHING_ROLES);
}

/** 更正: the owner's PUBLISHER reopens a published case for editing; the live publication stays until the corrected one replaces it. */
export function canReopenForCorrection(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "PUBLISHED" && hasRole(actor, doc.ownerOrgId, PUBLISHING_ROLES);
}

/** The batch view: publishers and coordinators of any org, and the justice bureau (its region). */
export function canViewBatches(actor: Actor): boolean {
  return actor.memberships.some(
    (m) => m.role === "PUBLISHER" || m.role === "COORDINATOR" || m.role === "ADMIN" || m.orgKind === "JUSTICE_BUREAU",
  );
}
