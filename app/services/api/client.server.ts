import { scopeAllows, isApiScope, type ApiNeed, type ApiScope } from "~/domain/api-token";
import { DomainError, ERRORS, isDomainError, unauthenticated, forbidden } from "~/domain/errors";
import { getEnv } from "~/env.server";
import { findApiTokenByHash, touchApiToken } from "~/models/api-token.server";
import { recordAudit } from "~/models/audit.server";
import { database } from "~/models/unit-of-work.server";
import { buildActor, type MembershipView } from "~/models/user.server";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { hashApiToken } from "~/services/api-tokens.server";
import { clientIp } from "~/utils/request.server";

/**
 * The data-exchange API's edge (ADR 027): a bearer token of an org acts as that org's COORDINATOR
 * would; every answer that is not 2xx is `{ error: { id, message } }`; every call is audited.
 */

export interface ApiClient {
  tokenId: string;
  orgId: string;
  scope: ApiScope;
  /** The caller as the commands know it: the token's creator as author, the org's coordinator as actor. */
  user: CurrentUser;
}

/** Query-string parameters a token must never travel in (logs, proxies, browser history keep URLs). */
const QUERY_TOKEN_PARAMS = ["token", "access_token", "api_key", "apikey"];

export const QUERY_TOKEN_MESSAGE =
  "请勿在网址中传递令牌：请使用请求头 Authorization: Bearer <令牌>。本次请求未被受理。";
const BAD_TOKEN_MESSAGE = "接口令牌无效、已吊销或已过期。";

/** 429 with the seconds to wait. */
export class ApiRateLimited extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super("RATE_LIMITED", "接口调用过于频繁，请稍后再试。");
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// --- per-token rate limit: a token bucket in memory (per process) ---
interface Bucket {
  tokens: number;
  at: number;
}
const buckets = new Map<string, Bucket>();

/** Takes one request from the token's bucket; the seconds to wait when it is empty, else 0. */
export function takeFromBucket(tokenId: string, perMinute: number, now: number): number {
  const rate = perMinute / 60_000;
  const bucket = buckets.get(tokenId) ?? { tokens: perMinute, at: now };
  bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * rate);
  bucket.at = now;
  buckets.set(tokenId, bucket);
  if (buckets.size > 10_000) {
    for (const [id, b] of buckets) if (now - b.at > 60_000) buckets.delete(id);
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
}

function bearerOf(request: Request): string | null {
  const header = request.headers.get("Authorization");
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * The API client of a request, or a typed refusal: a token in the query string → 400 (and not
 * used); no, unknown, revoked or expired token → 401; a READ token on a write → 403; over the rate → 429.
 */
export async function requireApiClient(request: Request, need: ApiNeed, now = new Date()): Promise<ApiClient> {
  const url = new URL(request.url);
  if (QUERY_TOKEN_PARAMS.some((p) => url.searchParams.has(p)))
    throw new DomainError("BAD_REQUEST", QUERY_TOKEN_MESSAGE);
  const token = bearerOf(request);
  if (!token) throw refuseUnknown(request, now, "请在请求头 Authorization: Bearer <令牌> 中提供接口令牌。");
  if (token.length > 200) throw refuseUnknown(request, now, BAD_TOKEN_MESSAGE);
  const row = await findApiTokenByHash(database(), hashApiToken(token));
  if (!row || row.revokedAt || row.expiresAt <= now || !row.org.active || !isApiScope(row.scopes))
    throw refuseUnknown(request, now, BAD_TOKEN_MESSAGE);
  const client = clientOf(row, row.scopes);
  currentClients.set(request, client);
  const wait = takeFromBucket(row.id, getEnv().API_RATE_PER_MINUTE, now.getTime());
  if (wait > 0) throw new ApiRateLimited(wait);
  if (!scopeAllows(row.scopes, need)) throw forbidden("此接口令牌为只读，不能提交数据。");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= 60_000) {
    await touchApiToken(database(), row.id, now);
  }
  return client;
}

/**
 * 401 for a call without a valid token — or 429 once one address has had as many refusals in a
 * minute as a token may make calls (guessing tokens, and filling the audit trail, stay slow).
 */
function refuseUnknown(request: Request, now: Date, message: string): DomainError {
  const wait = takeFromBucket(`ip:${clientIp(request) ?? "unknown"}`, getEnv().API_RATE_PER_MINUTE, now.getTime());
  return wait > 0 ? new ApiRateLimited(wait) : unauthenticated(message);
}

type TokenRow = NonNullable<Awaited<ReturnType<typeof findApiTokenByHash>>>;

function clientOf(row: TokenRow, scope: ApiScope): ApiClient {
  const membership: MembershipView = { id: `api:${row.id}`, role: "COORDINATOR", org: row.org } as MembershipView;
  const actor = buildActor(row.createdById, [membership]);
  return {
    tokenId: row.id,
    orgId: row.orgId,
    scope,
    user: {
      id: row.createdById,
      username: `api:${row.prefix}`,
      displayName: `接口令牌「${row.name}」`,
      sessionId: "",
      memberships: [membership],
      actor,
      mustChangePassword: false,
      cookie: null,
    },
  };
}

/** The client a request authenticated as (for the call's audit row, even when the handler refused). */
const currentClients = new WeakMap<Request, ApiClient>();

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function apiError(error: DomainError): Response {
  const headers: Record<string, string> = {};
  if (error instanceof ApiRateLimited) headers["Retry-After"] = String(error.retryAfterSeconds);
  return apiJson({ error: { id: error.id, message: error.message } }, error.status, headers);
}

/**
 * Runs one API call: authenticates, runs the handler (its result is the JSON body, or a Response),
 * turns every refusal into the typed error body, and audits the call (`api.call`, method, path and
 * status — never the query string or the body).
 */
export async function handleApiCall(
  request: Request,
  need: ApiNeed,
  handler: (client: ApiClient) => Promise<unknown>,
): Promise<Response> {
  let response: Response;
  try {
    const client = await requireApiClient(request, need);
    const result = await handler(client);
    response = result instanceof Response ? result : apiJson(result);
  } catch (error) {
    response = await toApiResponse(error);
  }
  await auditCall(request, response.status);
  return response;
}

async function toApiResponse(error: unknown): Promise<Response> {
  if (isDomainError(error)) return apiError(error);
  if (error instanceof Response) {
    // A thrown typed error (httpError) keeps its body; anything else gets the contract's body.
    const text = await error.text();
    try {
      const parsed = JSON.parse(text) as { error?: { id?: unknown; message?: unknown } };
      if (typeof parsed.error?.id === "string" && typeof parsed.error.message === "string")
        return apiJson(parsed, error.status);
    } catch {
      // not JSON
    }
    const id = error.status === 404 ? "NOT_FOUND" : error.status >= 500 ? "INTERNAL" : "BAD_REQUEST";
    return apiJson({ error: { id, message: ERRORS[id].message } }, error.status);
  }
  console.error("api: unexpected error", error);
  return apiJson({ error: { id: "INTERNAL", message: ERRORS.INTERNAL.message } }, 500);
}

async function auditCall(request: Request, status: number): Promise<void> {
  const client = currentClients.get(request);
  const path = new URL(request.url).pathname.slice(0, 300);
  try {
    await recordAudit(database(), {
      actorId: null,
      actorName: client ? `接口令牌 ${client.user.username.slice(4)}…` : "接口调用（未认证）",
      orgId: client?.orgId ?? null,
      action: "api.call",
      targetType: "ApiToken",
      targetId: client?.tokenId ?? null,
      summary: `${request.method} ${path} ${status}`,
      ip: clientIp(request),
    });
  } catch (error) {
    console.error("api: the call's audit row failed", error);
  }
}

/** Any other method on an API path: 405 in the contract's shape, audited like every call. */
export async function methodNotAllowed(request: Request): Promise<Response> {
  const response = apiJson({ error: { id: "BAD_REQUEST", message: `此接口不支持 ${request.method} 方法。` } }, 405);
  await auditCall(request, 405);
  return response;
}

/** A path the API does not have: 404 in the contract's shape, audited. */
export async function notFoundCall(request: Request): Promise<Response> {
  const response = apiJson({ error: { id: "NOT_FOUND", message: "没有这个接口，请查看 /api/docs。" } }, 404);
  await auditCall(request, 404);
  return response;
}
