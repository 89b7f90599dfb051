import type { Actor } from "~/domain/actor";
import { ALLOW, deny, type Decision } from "./decision";

/**
 * API tokens (ADR 027): only an ADMIN of the org lists, creates and revokes that org's tokens. The
 * token then acts as that org's COORDINATOR would (see `apiActor` in app/services/api).
 */
export type ApiTokenAction = "list" | "create" | "revoke";

export const API_TOKEN_REFUSAL = "只有本单位的系统管理员可以管理本单位的接口令牌。";

export function authorizeApiToken(actor: Actor, _action: ApiTokenAction, target: { orgId: string }): Decision {
  return actor.memberships.some((m) => m.role === "ADMIN" && m.orgId === target.orgId)
    ? ALLOW
    : deny(API_TOKEN_REFUSAL);
}

/** The orgs whose tokens the actor manages. */
export function apiTokenOrgIds(actor: Actor): string[] {
  return [...new Set(actor.memberships.filter((m) => m.role === "ADMIN").map((m) => m.orgId))];
}
