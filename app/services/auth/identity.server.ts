import type { Cookie } from "lucia";
import { database } from "~/models/unit-of-work.server";
import { buildActor, getUserMemberships, type MembershipView } from "~/models/user.server";
import type { Actor } from "~/domain/actor";
import { validateSessionCookie } from "./auth.server";

/**
 * Who a request or a live connection belongs to. Resolved by one function for HTTP (loaders and
 * actions), the collab server and socket.io, so the three never disagree about a session.
 */
export interface Identity {
  userId: string;
  username: string;
  displayName: string;
  sessionId: string;
  sessionExpiresAt: Date;
  /** An administrator created the account or reset its password: nothing but the password page. */
  mustChangePassword: boolean;
  memberships: MembershipView[];
  actor: Actor;
  /** The refreshed session cookie when the sliding expiry moved (send it back), else null. */
  cookie: Cookie | null;
}

/**
 * Session cookie → identity, or null when there is no valid session (unknown, expired, or the user
 * is disabled: a disabled user's session is deleted on the spot).
 */
export async function resolveIdentity(cookieHeader: string | null | undefined): Promise<Identity | null> {
  const validated = await validateSessionCookie(cookieHeader);
  if (!validated) return null;
  const memberships = await getUserMemberships(database(), validated.user.id);
  return {
    userId: validated.user.id,
    username: validated.user.username,
    displayName: validated.user.displayName,
    sessionId: validated.session.id,
    sessionExpiresAt: validated.session.expiresAt,
    mustChangePassword: validated.user.mustChangePassword,
    memberships,
    actor: buildActor(validated.user.id, memberships, validated.user.externalKind),
    cookie: validated.cookie,
  };
}

/** Identity for live connections (collab, socket.io): none while the password must be changed. */
export async function resolveConnectionIdentity(cookieHeader: string | null | undefined): Promise<Identity | null> {
  const identity = await resolveIdentity(cookieHeader);
  return identity && !identity.mustChangePassword ? identity : null;
}
