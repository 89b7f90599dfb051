import type { Actor } from "~/domain/actor";
import type { Access, DocumentFacts } from "~/domain/document";
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

/** Who may change a draft's member orgs: the owner org's ADMIN, COORDINATOR and DRAFTER members. */
export function canManageDocumentMembers(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "DRAFT" && canCreateDocument(actor, doc.ownerOrgId);
}

/** The owner org's ADMIN, COORDINATOR and DRAFTER members freeze a draft and ask for countersign. */
export function canRequestCountersign(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "DRAFT" && canCreateDocument(actor, doc.ownerOrgId);
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
