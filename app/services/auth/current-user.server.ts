import { redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { buildActor, getUserMemberships, type MembershipView } from "~/models/user.server";
import type { Actor } from "~/policies/actor";
import { httpError } from "~/utils/errors";
import { validateSessionCookie } from "./auth.server";

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  sessionId: string;
  memberships: MembershipView[];
  actor: Actor;
}

const cache = new WeakMap<Request, Promise<CurrentUser | null>>();

async function load(request: Request): Promise<CurrentUser | null> {
  const validated = await validateSessionCookie(request.headers.get("Cookie"));
  if (!validated) return null;
  const memberships = await getUserMemberships(getDb(), validated.user.id);
  return {
    id: validated.user.id,
    username: validated.user.username,
    displayName: validated.user.displayName,
    sessionId: validated.session.id,
    memberships,
    actor: buildActor(validated.user.id, memberships),
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

/** The signed-in user; otherwise redirects to the login page (or a 401 for API calls). */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (user) return user;
  if (wantsJson(request)) throw httpError("UNAUTHENTICATED");
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  throw redirect(redirectTo === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}
