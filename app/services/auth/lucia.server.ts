import { Lucia, TimeSpan } from "lucia";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import type { Tx } from "~/models/unit-of-work.server";
import type { SessionWithUser } from "~/models/session.server";

import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  getSessionWithUser,
  listUserSessions,
  setSessionExpiry,
} from "~/models/session.server";

/**
 * Lucia v3 over our own sessions model (docs/decisions/003-lucia-v3-and-its-adapter.md): the
 * published Prisma adapter declares @prisma/client ≤ 5, and ours is a few lines.
 */
export function prismaSessionAdapter(db: Tx): Adapter {
  return {
    async getSessionAndUser(sessionId) {
      const row = await getSessionWithUser(db, sessionId);
      if (!row) return [null, null];
      const session: DatabaseSession = { id: row.id, userId: row.userId, expiresAt: row.expiresAt, attributes: {} };
      const user: DatabaseUser = {
        id: row.user.id,
        attributes: {
          username: row.user.username,
          displayName: row.user.displayName,
          active: row.user.active,
          mustChangePassword: row.user.mustChangePassword,
          externalKind: row.user.externalKind,
          memberships: row.user.memberships,
        },
      };
      return [session, user];
    },
    async getUserSessions(userId) {
      return (await listUserSessions(db, userId)).map((r) => ({ ...r, attributes: {} }));
    },
    async setSession(session) {
      const attrs = session.attributes as { ip?: string | null; userAgent?: string | null };
      await createSession(db, {
        id: session.id,
        userId: session.userId,
        expiresAt: session.expiresAt,
        ip: attrs.ip ?? null,
        userAgent: attrs.userAgent ?? null,
      });
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await setSessionExpiry(db, sessionId, expiresAt);
    },
    async deleteSession(sessionId) {
      await deleteSession(db, sessionId);
    },
    async deleteUserSessions(userId) {
      await deleteUserSessions(db, userId);
    },
    async deleteExpiredSessions() {
      await deleteExpiredSessions(db, new Date());
    },
  };
}

export const SESSION_COOKIE = "consult_session";

export interface LuciaOptions {
  ttlHours: number;
  secure: boolean;
}

export function createLucia(db: Tx, options: LuciaOptions) {
  return new Lucia(prismaSessionAdapter(db), {
    sessionExpiresIn: new TimeSpan(options.ttlHours, "h"),
    sessionCookie: {
      name: SESSION_COOKIE,
      // The cookie lives exactly as long as the server session (Max-Age = the TTL) and is sent again
      // whenever Lucia extends the session; `expires: false` would give it the browser maximum of 400 days.
      expires: true,
      attributes: { secure: options.secure, sameSite: "lax", path: "/" },
    },
    getUserAttributes: (attributes) => ({
      username: attributes.username,
      displayName: attributes.displayName,
      active: attributes.active,
      mustChangePassword: attributes.mustChangePassword,
      externalKind: attributes.externalKind,
      memberships: attributes.memberships,
    }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    /** The user as the session statement reads it, memberships included (ADR 032). */
    DatabaseUserAttributes: Omit<SessionWithUser["user"], "id">;
    DatabaseSessionAttributes: { ip?: string | null; userAgent?: string | null };
  }
}
