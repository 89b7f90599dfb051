/** The data-exchange API's tokens (互联互通, ADR 027): scopes, labels and the token's shape. */

export const API_SCOPES = ["READ", "READ_WRITE"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  READ: "只读",
  READ_WRITE: "读写",
};

export function isApiScope(v: string): v is ApiScope {
  return (API_SCOPES as readonly string[]).includes(v);
}

/** What a call needs: reading, or writing (only a READ_WRITE token). */
export type ApiNeed = "READ" | "WRITE";

export function scopeAllows(scope: ApiScope, need: ApiNeed): boolean {
  return need === "READ" || scope === "READ_WRITE";
}

/** `ct_` and 40 base62 characters. */
export const API_TOKEN_PATTERN = /^ct_[0-9A-Za-z]{40}$/;
export const API_TOKEN_PREFIX_LENGTH = 8;
export const API_TOKEN_MAX_DAYS = 365;
