import type { Actor, ActorMembership } from "~/domain/actor";
import type { Access, DocumentFacts } from "~/domain/document";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { DRAFTING_ROLES, PUBLISHING_ROLES, WRITING_ROLES, hasRole, orgsWithRole, supervisesBelow } from "./rules";

const rank: Record<Access, number> = { none: 0, read: 1, write: 2 };

const max = (a: Access, b: Access): Access => (rank[a] >= rank[b] ? a : b);

/**
 * Access of an actor to a document:
 * - the owner org's members: write (VIEWER: read);
 * - an org listed as member with WRITE: its members write (VIEWER: read); with READ: read;
 * - a user listed individually: the listed access;
 * - a supervising org (司法局/政府/依法治理办) of a higher region than the owner: read (上级监督下级);
 * - only DRAFT documents are writable: COUNTERSIGNING, FINALIZED and PUBLISHED are read-only for everyone.
 */
export function documentAccess(actor: Actor, doc: DocumentFacts): Access {
  let access: Access = "none";
  for (const m of actor.memberships) {
    const writer = WRITING_ROLES.has(m.role);
    if (m.orgId === doc.ownerOrgId) access = max(access, writer ? "write" : "read");
    for (const member of doc.members) {
      if (member.orgId && member.orgId === m.orgId)
        access = max(access, member.access === "WRITE" && writer ? "write" : "read");
    }
    if (supervisesBelow(m, doc.ownerRegionPath)) {
      access = max(access, "read");
    }
  }
  for (const member of doc.members) {
    if (member.userId && member.userId === actor.userId)
      access = max(access, member.access === "WRITE" ? "write" : "read");
  }
  if (access === "write" && doc.status !== "DRAFT") access = "read";
  return access;
}

/** The membership the actor acts through on a document: its owner org's, else a member org's, else its first. */
export function actingMembership(
  actor: Actor,
  doc: Pick<DocumentFacts, "ownerOrgId" | "members">,
): ActorMembership | null {
  return (
    actor.memberships.find((m) => m.orgId === doc.ownerOrgId) ??
    actor.memberships.find((m) => doc.members.some((d) => d.orgId === m.orgId)) ??
    actor.memberships[0] ??
    null
  );
}

export interface DocumentAbilities {
  read: boolean;
  write: boolean;
}

export function documentAbilities(actor: Actor, doc: DocumentFacts): DocumentAbilities {
  const access = documentAccess(actor, doc);
  return { read: access !== "none", write: access === "write" };
}

/** Who may create documents owned by an org: its ADMIN, COORDINATOR and DRAFTER members. */
export function canCreateDocument(actor: Actor, ownerOrgId: string): boolean {
  return hasRole(actor, ownerOrgId, DRAFTING_ROLES);
}

/** What a member of a document may ask of it, beyond reading and writing its text. */
export type DocumentAction = "manageMembers" | "requestCountersign" | "decideCountersign";

/**
 * The decision on an action, with the reason in Chinese (ADR 016):
 * - manageMembers / requestCountersign: the owner org's ADMIN, COORDINATOR and DRAFTER members,
 *   while the document is a draft;
 * - decideCountersign: a member entitled to countersign for one of its orgs (countersigningOrgIds),
 *   while a round is open; whether that org is still pending is the round's to say.
 */
export function authorizeDocument(
  actor: Actor,
  action: DocumentAction,
  doc: DocumentFacts & { type?: string },
): Decision {
  switch (action) {
    case "manageMembers":
      return firstRefusal(
        canCreateDocument(actor, doc.ownerOrgId) ? ALLOW : deny("只有牵头单位的起草人或督办协调员可以调整参与单位。"),
        // Once frozen, nobody may change who takes part (403, as for any other writer).
        doc.status === "DRAFT" ? ALLOW : deny("只有起草中的文书可以调整参与单位。"),
      );
    case "requestCountersign":
      return firstRefusal(
        canCreateDocument(actor, doc.ownerOrgId) ? ALLOW : deny("只有牵头单位的起草人或督办协调员可以发起会签。"),
        doc.status === "DRAFT" ? ALLOW : notNow("只有起草中的文书可以发起会签。"),
      );
    case "decideCountersign":
      return firstRefusal(
        doc.status === "COUNTERSIGNING" ? ALLOW : notNow("该文书当前不在会签中。"),
        countersigningOrgIds(actor, doc.type).length > 0 ? ALLOW : deny("您所在单位的角色不能会签此文书。"),
      );
  }
}

/** Who may change a draft's member orgs: the owner org's ADMIN, COORDINATOR and DRAFTER members. */
export function canManageDocumentMembers(actor: Actor, doc: DocumentFacts): boolean {
  return authorizeDocument(actor, "manageMembers", doc).allowed;
}

/** The owner org's ADMIN, COORDINATOR and DRAFTER members freeze a draft and ask for countersign. */
export function canRequestCountersign(actor: Actor, doc: DocumentFacts): boolean {
  return authorizeDocument(actor, "requestCountersign", doc).allowed;
}

/**
 * Orgs asked to countersign: the co-drafting (WRITE) member orgs. A typical case is reviewed by
 * every releasing org, its owner included (审核发布, issue 7).
 */
export function countersignOrgIds(doc: DocumentFacts, type = ""): string[] {
  const writers = doc.members
    .filter((m) => m.orgId && m.access === "WRITE" && m.orgId !== doc.ownerOrgId)
    .map((m) => m.orgId as string);
  return [...new Set(type === "TYPICAL_CASE" ? [doc.ownerOrgId, ...writers] : writers)];
}

/**
 * The actor's orgs whose countersign it may give on a document of `type`: its DRAFTER, COORDINATOR
 * or ADMIN memberships; for a typical case only its PUBLISHER memberships (发布审核人).
 */
export function countersigningOrgIds(actor: Actor, type = ""): string[] {
  return orgsWithRole(actor, type === "TYPICAL_CASE" ? PUBLISHING_ROLES : DRAFTING_ROLES);
}
