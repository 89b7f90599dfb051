import type { Actor, ActorMembership } from "~/domain/actor";
import { ACCESS_RANK, accessOfLevel, type Access, type DocumentFacts } from "~/domain/document";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { DRAFTING_ROLES, PUBLISHING_ROLES, WRITING_ROLES, hasRole, orgsWithRole, supervisesBelow } from "./rules";

const max = (a: Access, b: Access): Access => (ACCESS_RANK[a] >= ACCESS_RANK[b] ? a : b);

/**
 * The access granted to an actor, whatever the document's status:
 * - the owner org's members: write (VIEWER: read);
 * - an org listed as member: the listed level (WRITE, SUGGEST, COMMENT, READ) for its members whose
 *   role acts in documents; VIEWER members read;
 * - a user listed individually: the listed level;
 * - a supervising org (司法局/政府/依法治理办) of a higher region than the owner: read (上级监督下级).
 */
export function grantedDocumentAccess(actor: Actor, doc: DocumentFacts): Access {
  let access: Access = "none";
  for (const m of actor.memberships) {
    const acting = WRITING_ROLES.has(m.role);
    if (m.orgId === doc.ownerOrgId) access = max(access, acting ? "write" : "read");
    for (const member of doc.members) {
      if (member.orgId && member.orgId === m.orgId)
        access = max(access, acting ? accessOfLevel(member.access) : "read");
    }
    if (supervisesBelow(m, doc.ownerRegionPath)) access = max(access, "read");
  }
  for (const member of doc.members) {
    if (member.userId && member.userId === actor.userId) access = max(access, accessOfLevel(member.access));
  }
  return access;
}

/**
 * Access of an actor to a document now: what was granted, but only a DRAFT takes changes —
 * COUNTERSIGNING, FINALIZED and PUBLISHED documents are read-only for everyone (ADR 006).
 */
export function documentAccess(actor: Actor, doc: DocumentFacts): Access {
  const access = grantedDocumentAccess(actor, doc);
  return access !== "none" && doc.status !== "DRAFT" ? "read" : access;
}

export interface DocumentAbilities {
  read: boolean;
  comment: boolean;
  suggest: boolean;
  write: boolean;
}

export function documentAbilities(actor: Actor, doc: DocumentFacts): DocumentAbilities {
  const rank = ACCESS_RANK[documentAccess(actor, doc)];
  return { read: rank >= 1, comment: rank >= 2, suggest: rank >= 3, write: rank >= 4 };
}

/** Who may create documents owned by an org: its ADMIN, COORDINATOR and DRAFTER members. */
export function canCreateDocument(actor: Actor, ownerOrgId: string): boolean {
  return hasRole(actor, ownerOrgId, DRAFTING_ROLES);
}

/** What a member of a document may ask of it, beyond reading and writing its text. */
export type DocumentAction = "manageMembers" | "requestCountersign" | "decideCountersign" | "saveVersion";

/**
 * The decision on an action, with the reason in Chinese (ADR 016):
 * - manageMembers / requestCountersign: the owner org's ADMIN, COORDINATOR and DRAFTER members,
 *   while the document is a draft;
 * - decideCountersign: a member entitled to countersign for one of its orgs (countersigningOrgIds),
 *   while a round is open; whether that org is still pending is the round's to say;
 * - saveVersion (保存命名版本, 恢复版本): whoever may write the text, while it is a draft.
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
    case "saveVersion":
      if (documentAccess(actor, doc) === "write") return ALLOW;
      return doc.status !== "DRAFT"
        ? notNow("文书已冻结（会签中或已定稿），不能再保存或恢复版本。")
        : deny("您对此文书只有查看权限，不能保存或恢复版本。");
  }
}

/**
 * The membership an actor acts for on a document — the org its edits, versions and presence carry:
 * its membership of the owner org, else of a member org, else its first.
 */
export function actingMembership(actor: Actor, doc: DocumentFacts): ActorMembership | null {
  return (
    actor.memberships.find((m) => m.orgId === doc.ownerOrgId) ??
    actor.memberships.find((m) => doc.members.some((d) => d.orgId === m.orgId)) ??
    actor.memberships[0] ??
    null
  );
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
 * Orgs asked to countersign: the co-drafting (WRITE) member orgs, and those reviewing by 修订
 * (SUGGEST, e.g. in a 征求意见 phase: they co-draft through proposals). A typical case is reviewed by
 * every releasing org, its owner included (审核发布, issue 7).
 */
export function countersignOrgIds(doc: DocumentFacts, type = ""): string[] {
  const writers = doc.members
    .filter((m) => m.orgId && (m.access === "WRITE" || m.access === "SUGGEST") && m.orgId !== doc.ownerOrgId)
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
