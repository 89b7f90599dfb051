import { regionAndAncestorPaths, regionContains, type Actor, type ActorMembership } from "~/domain/actor";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { DECIDING_ROLES } from "./rules";

/**
 * The pool of outside participants (专家库, 特邀行政执法监督员, 人大代表/政协委员; ADR 024):
 * - kept by the ADMIN/COORDINATOR members of the justice bureau (司法局/司法厅) of the pool's region;
 * - browsed (to invite someone) by whoever convenes consultations (ADMIN/COORDINATOR of any org): the
 *   pools of its own region and of the regions above it, without the private contact;
 * - an outside participant's own account sees no pool at all.
 */

/** A membership that keeps its region's pool: ADMIN/COORDINATOR of the justice bureau. */
function keepsPool(m: ActorMembership): boolean {
  return m.orgKind === "JUSTICE_BUREAU" && DECIDING_ROLES.has(m.role);
}

/** The regions whose pool the actor keeps. */
export function poolKeeperRegionPaths(actor: Actor): string[] {
  return [...new Set(actor.memberships.filter(keepsPool).map((m) => m.regionPath))];
}

/** The justice bureau the actor keeps the pool of `regionPath` for (the audit row's org), or null. */
export function poolKeeperOrgId(actor: Actor, regionPath: string): string | null {
  return actor.memberships.find((m) => keepsPool(m) && m.regionPath === regionPath)?.orgId ?? null;
}

/** Whether the actor keeps the pool of the region at `regionPath` (add, edit, 停用, open accounts, see contacts). */
export function canKeepPool(actor: Actor, regionPath: string): boolean {
  return poolKeeperRegionPaths(actor).includes(regionPath);
}

/** The regions of the actor's convening memberships: their pools and those above them are browsable. */
function conveningRegionPaths(actor: Actor): string[] {
  return [...new Set(actor.memberships.filter((m) => DECIDING_ROLES.has(m.role)).map((m) => m.regionPath))];
}

/** Whether the actor may browse (and invite from) the pool of the region at `regionPath`. */
export function canBrowsePool(actor: Actor, regionPath: string): boolean {
  if (actor.external) return false;
  return conveningRegionPaths(actor).some((mine) => regionContains(regionPath, mine));
}

/** Whether the actor may open the pool at all (its nav entry and list page). */
export function canOpenPool(actor: Actor): boolean {
  return !actor.external && conveningRegionPaths(actor).length > 0;
}

/** The regions whose pools the actor may browse: its memberships' regions and those above them. */
export function browsablePoolRegionPaths(actor: Actor): string[] {
  const candidates = new Set(actor.memberships.flatMap((m) => regionAndAncestorPaths(m.regionPath)));
  return [...candidates].filter((path) => canBrowsePool(actor, path));
}

const NOT_EXTERNAL = "特邀人员账号不能查看专家库。";
const BROWSERS_ONLY = "专家库仅供各单位的管理员和督办协调员查看本地区及上级地区的人员。";
const KEEPERS_ONLY = "只有该地区司法行政机关的管理员或督办协调员可以维护专家库。";

/** Opening the pool's list (`open`) and adding an entry to a pool the actor keeps (`add`). */
export type PoolAction = "open" | "add";

export function authorizePool(actor: Actor, action: PoolAction): Decision {
  if (actor.external) return deny(NOT_EXTERNAL);
  if (action === "open") return canOpenPool(actor) ? ALLOW : deny(BROWSERS_ONLY);
  return poolKeeperRegionPaths(actor).length > 0 ? ALLOW : deny(KEEPERS_ONLY);
}

/** What a policy knows of one entry of a pool. */
export interface PoolEntryFacts {
  regionPath: string;
  /** ACTIVE | INACTIVE */
  status: string;
  hasAccount: boolean;
}

/** What can be done with one entry: `browse` (list it, invite it), the rest is the keepers'. */
export type PoolEntryAction = "browse" | "edit" | "deactivate" | "reactivate" | "openAccount" | "resetPassword";

/**
 * Who may do what with an entry, and why not (ADR 016): `deny` says who may (403), `notNow` the
 * state the entry must be in (409).
 */
export function authorizePoolEntry(actor: Actor, action: PoolEntryAction, e: PoolEntryFacts): Decision {
  if (actor.external) return deny(NOT_EXTERNAL);
  if (action === "browse") return canBrowsePool(actor, e.regionPath) ? ALLOW : deny(BROWSERS_ONLY);
  const keeper = canKeepPool(actor, e.regionPath) ? ALLOW : deny(KEEPERS_ONLY);
  switch (action) {
    case "edit":
      return keeper;
    case "deactivate":
      return firstRefusal(keeper, e.status === "ACTIVE" ? ALLOW : notNow("该人员已停用。"));
    case "reactivate":
      return firstRefusal(keeper, e.status === "INACTIVE" ? ALLOW : notNow("该人员在库，无需启用。"));
    case "openAccount":
      return firstRefusal(
        keeper,
        e.hasAccount ? notNow("该人员已开通账号") : ALLOW,
        e.status === "ACTIVE" ? ALLOW : notNow("该人员已停用，请先启用再开通账号。"),
      );
    case "resetPassword":
      // Outside accounts have no unit, so no administrator manages them: the pool's keeper resets.
      return firstRefusal(
        keeper,
        e.hasAccount ? ALLOW : notNow("该人员尚未开通账号。"),
        e.status === "ACTIVE" ? ALLOW : notNow("该人员已停用，请先启用再重置密码。"),
      );
  }
}

export interface PoolEntryAbilities {
  edit: boolean;
  deactivate: boolean;
  reactivate: boolean;
  openAccount: boolean;
  resetPassword: boolean;
}

/** The buttons the keeper's page shows for an entry. */
export function poolEntryAbilities(actor: Actor, e: PoolEntryFacts): PoolEntryAbilities {
  const can = (action: PoolEntryAction) => authorizePoolEntry(actor, action, e).allowed;
  return {
    edit: can("edit"),
    deactivate: can("deactivate"),
    reactivate: can("reactivate"),
    openAccount: can("openAccount"),
    resetPassword: can("resetPassword"),
  };
}
