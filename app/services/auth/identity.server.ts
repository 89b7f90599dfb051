import type { Cookie } from "lucia";
import { buildActor, type MembershipView } from "~/models/user.server";
import type { Actor } from "~/domain/actor";
import type { DomainEvent } from "~/domain/events";
import { RevocableCache } from "~/utils/revocable-cache";
import { getLucia, validateSessionCookie } from "./auth.server";

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

/** How long a resolved session is reused without reading the database (revocations forget it at once). */
const IDENTITY_TTL_MS = 10_000;

/**
 * The process's identity cache (ADR 032). On globalThis: the server and the Remix build each bundle this
 * module, and a revocation must empty the one cache both read.
 */
function identities(): RevocableCache<Identity> {
  const g = globalThis as { __consultIdentities?: RevocableCache<Identity> };
  return (g.__consultIdentities ??= new RevocableCache<Identity>(IDENTITY_TTL_MS));
}

/**
 * Session cookie → identity, or null when there is no valid session (unknown, expired, or the user
 * is disabled: a disabled user's session is deleted on the spot). A session resolved in the last few
 * seconds is answered from memory; every event that ends or narrows access
 * forgets it first (`forgetIdentities`).
 */
export async function resolveIdentity(cookieHeader: string | null | undefined): Promise<Identity | null> {
  const sessionId = getLucia().readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return null;
  // A refreshed cookie (sliding expiry) is sent again by the requests answered from memory: same value.
  return identities().get(
    sessionId,
    () => loadIdentity(cookieHeader),
    (cached) => cached.sessionExpiresAt.getTime() > Date.now(),
  );
}

async function loadIdentity(cookieHeader: string | null | undefined): Promise<Identity | null> {
  const validated = await validateSessionCookie(cookieHeader);
  if (!validated) return null;
  const memberships = validated.user.memberships;
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

/**
 * Forgets the cached identities an event makes stale: a user's ended sessions, a user whose memberships
 * changed, everyone when an organisation moved or was deactivated. Subscribed to the bus by the server
 * (every process receives these events, ADR 015).
 */
export function forgetIdentities(event: DomainEvent): void {
  switch (event.type) {
    case "session.ended":
    case "user.access_changed":
      identities().forget((identity) => identity.userId === event.userId);
      return;
    case "org.access_changed":
      identities().forget();
      return;
    default:
      return;
  }
}

/** Identity for live connections (collab, socket.io): none while the password must be changed. */
export async function resolveConnectionIdentity(cookieHeader: string | null | undefined): Promise<Identity | null> {
  const identity = await resolveIdentity(cookieHeader);
  return identity && !identity.mustChangePassword ? identity : null;
}
