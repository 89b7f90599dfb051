import { redirect } from "@remix-run/node";
import type { Cookie } from "lucia";
import type { MembershipView } from "~/models/user.server";
import type { Actor } from "~/domain/actor";
import { EXTERNAL_REFUSAL, externalMayOpen } from "~/domain/external";
import { httpError } from "~/utils/errors";
import { resolveIdentity } from "./identity.server";

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  sessionId: string;
  memberships: MembershipView[];
  actor: Actor;
  mustChangePassword: boolean;
  /** The refreshed session cookie when the sliding expiry moved; the app shell sends it back. */
  cookie: Cookie | null;
}

const cache = new WeakMap<Request, Promise<CurrentUser | null>>();

async function load(request: Request): Promise<CurrentUser | null> {
  const identity = await resolveIdentity(request.headers.get("Cookie"));
  if (!identity) return null;
  return {
    id: identity.userId,
    username: identity.username,
    displayName: identity.displayName,
    sessionId: identity.sessionId,
    memberships: identity.memberships,
    actor: identity.actor,
    mustChangePassword: identity.mustChangePassword,
    cookie: identity.cookie,
  };
}

/** The signed-in user or null (memoized per request). */
export function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  let pending = cache.get(request);
  if (!pending) {
    pending = load(request);
    cache.set(request, pending);
  }
  return pending;
}

function wantsJson(request: Request): boolean {
  const url = new URL(request.url);
  return url.pathname.startsWith("/api/") || (request.headers.get("Accept") ?? "").includes("application/json");
}

/** Where a user whose password was set by an administrator must go first. */
export const SET_PASSWORD_PATH = "/password";

/**
 * The signed-in user; otherwise redirects to the login page (or a 401 for API calls). A user who
 * must first choose their own password is sent to the password page (403 for API calls).
 */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (user?.mustChangePassword) {
    if (wantsJson(request)) throw httpError("FORBIDDEN", "请先设置您自己的登录密码。");
    throw redirect(SET_PASSWORD_PATH);
  }
  if (user?.actor.external && !externalMayOpen(new URL(request.url).pathname))
    throw httpError("FORBIDDEN", EXTERNAL_REFUSAL);
  if (user) return user;
  if (wantsJson(request)) throw httpError("UNAUTHENTICATED");
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  throw redirect(redirectTo === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}
