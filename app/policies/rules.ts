import { regionBelow, type Actor, type ActorMembership } from "~/domain/actor";
import { SUPERVISING_KINDS, type OrgKind, type Role } from "~/domain/organization";

/**
 * The rules every policy shares, written once: which roles act for their org, and which orgs
 * supervise the regions below their own (上级监督下级).
 */
export type RoleSet = ReadonlySet<Role>;

/** Register, report progress, ask for extensions, reply: everyone but VIEWER and PUBLISHER. */
export const ACTING_ROLES: RoleSet = new Set(["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"]);
/** Create and draft documents for their org. */
export const DRAFTING_ROLES: RoleSet = new Set(["ADMIN", "COORDINATOR", "DRAFTER"]);
/** Decide for their org: approve extensions, confirm releases, close recommendations. */
export const DECIDING_ROLES: RoleSet = new Set(["ADMIN", "COORDINATOR"]);
/** Write in a document their org may write. */
export const WRITING_ROLES: RoleSet = new Set(["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON", "PUBLISHER"]);
/** 销号 and reopening: the coordinating org's COORDINATOR. */
export const COORDINATING_ROLES: RoleSet = new Set(["COORDINATOR"]);
/** Review and release typical cases (发布审核人). */
export const PUBLISHING_ROLES: RoleSet = new Set(["PUBLISHER"]);

/** Whether the actor holds one of `roles` in the org. */
export function hasRole(actor: Actor, orgId: string | null, roles: RoleSet): boolean {
  return orgId !== null && actor.memberships.some((m) => m.orgId === orgId && roles.has(m.role));
}

/** The actor's orgs in which it holds one of `roles`. */
export function orgsWithRole(actor: Actor, roles: RoleSet): string[] {
  return actor.memberships.filter((m) => roles.has(m.role)).map((m) => m.orgId);
}

/**
 * 上级监督下级: a membership of a supervising kind (司法局 / 人民政府 / 依法治理办 by default) in a
 * region strictly above `regionPath`.
 */
export function supervisesBelow(
  m: ActorMembership,
  regionPath: string,
  kinds: ReadonlySet<OrgKind> = SUPERVISING_KINDS,
): boolean {
  return kinds.has(m.orgKind) && regionBelow(m.regionPath, regionPath);
}

export function actorSupervises(
  actor: Actor,
  regionPath: string,
  kinds: ReadonlySet<OrgKind> = SUPERVISING_KINDS,
): boolean {
  return actor.memberships.some((m) => supervisesBelow(m, regionPath, kinds));
}
