import type { Cookie, Session, User } from "lucia";
import { database } from "~/models/unit-of-work.server";
import { getEnv } from "~/env.server";
import { createLucia, type AppLucia } from "./lucia.server";

let lucia: AppLucia | undefined;

/** The process's Lucia instance over the shared Prisma client. */
export function getLucia(): AppLucia {
  if (!lucia) {
    const env = getEnv();
    lucia = createLucia(database(), {
      ttlHours: env.SESSION_TTL_HOURS,
      secure: env.COOKIE_SECURE ?? env.NODE_ENV === "production",
    });
  }
  return lucia;
}

export interface ValidatedSession {
  session: Session;
  user: User;
  /** Set when Lucia refreshed or cleared the session: send it back. */
  cookie: Cookie | null;
}

/** Reads the session cookie from a Cookie header and validates it (sliding expiry). */
export async function validateSessionCookie(cookieHeader: string | null | undefined): Promise<ValidatedSession | null> {
  const l = getLucia();
  const sessionId = l.readSessionCookie(cookieHeader ?? "");
  // Session ids are lowercase base32; anything else (a %00 in a forged cookie, say) is no session.
  if (!sessionId || !/^[A-Za-z0-9_-]{1,128}$/.test(sessionId)) return null;
  const { session, user } = await l.validateSession(sessionId);
  if (!session || !user || !user.active) {
    if (session) await l.invalidateSession(session.id);
    return null;
  }
  return { session, user, cookie: session.fresh ? l.createSessionCookie(session.id) : null };
}
