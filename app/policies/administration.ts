import { SUPERVISING_KINDS } from "~/domain/organization";
import type { Actor, ActorMembership, Placement } from "../domain/actor";
import { regionContains } from "../domain/actor";

/**
 * Administration and directory policies (architecture.md "Layers"): pure functions of the actor and the target.
 *
 * - An ADMIN administers the orgs, users and audit trail of its own org's region and every region
 *   below it (a province-level admin covers the whole deployment).
 * - Seeing an org's data: members of the org see it; a supervising org (司法局 / 人民政府 /
 *   依法治理办) sees orgs of its region and below (上级监督下级); others see only their own org.
 */
export type AdminAction =
  | "admin.access"
  | "org.create"
  | "org.update"
  | "user.create"
  | "user.update"
  | "user.resetPassword"
  | "membership.manage"
  | "audit.view";

export type OrgDataAction = "orgData.view";

export function adminScopes(actor: Actor): string[] {
  return actor.memberships.filter((m) => m.role === "ADMIN").map((m) => m.regionPath);
}

export function canAccessAdmin(actor: Actor): boolean {
  return adminScopes(actor).length > 0;
}

/**
 * May the actor perform `action` on something placed in `target` (an org and its region)?
 * For "admin.access" and "audit.view" without a target, any admin scope suffices.
 */
export function canAdminister(actor: Actor, action: AdminAction, target?: Placement): boolean {
  const scopes = adminScopes(actor);
  if (scopes.length === 0) return false;
  if (!target)
    return action === "admin.access" || action === "audit.view" || action === "org.create" || action === "user.create";
  return scopes.some((scope) => regionContains(scope, target.regionPath));
}

function seesOrgData(m: ActorMembership, target: Placement): boolean {
  if (m.orgId === target.orgId) return true;
  if (m.role === "ADMIN") return regionContains(m.regionPath, target.regionPath);
  if (SUPERVISING_KINDS.has(m.orgKind)) return regionContains(m.regionPath, target.regionPath);
  return false;
}

export function canViewOrgData(actor: Actor, target: Placement): boolean {
  return actor.memberships.some((m) => seesOrgData(m, target));
}

/** Region paths whose data the actor may read in lists (for `WHERE path LIKE scope%`). */
export function visibleRegionScopes(actor: Actor): string[] {
  return actor.memberships
    .filter((m) => m.role === "ADMIN" || SUPERVISING_KINDS.has(m.orgKind))
    .map((m) => m.regionPath);
}

export interface AdminAbilities {
  access: boolean;
  createOrg: boolean;
  createUser: boolean;
  viewAudit: boolean;
}

export function adminAbilities(actor: Actor): AdminAbilities {
  return {
    access: canAccessAdmin(actor),
    createOrg: canAdminister(actor, "org.create"),
    createUser: canAdminister(actor, "user.create"),
    viewAudit: canAdminister(actor, "audit.view"),
  };
}
