import { disconnectDb, getDb, type Db } from "../../app/db.server";
import { getLucia } from "../../app/services/auth/auth.server";
import type { CurrentUser } from "../../app/services/auth/current-user.server";
import type { CommandContext } from "../../app/services/context.server";
import { createEventBus } from "../../app/services/events.server";
import { seedActor } from "../../prisma/seed-actor";

/**
 * The app's own code in the Playwright worker, on the worker server's database (DATABASE_URL is set
 * by the `app` fixture before this module is loaded): sessions for `signInAs`, and services for
 * specs that set up their data the way prisma/seed-work.ts does. Data written here does not go
 * through the server's event bus or collab rooms: create it before a browser opens it.
 */
export interface AppAccess {
  db: Db;
  /** A new session for the demo user, as the cookie's name and value. */
  sessionCookie(username: string): Promise<{ name: string; value: string }>;
  /** The demo user as a service actor (as the seed acts). */
  actor(username: string): Promise<CurrentUser>;
  /** A command context for services called from a test (no server event bus, no open collab rooms). */
  context(): CommandContext;
  orgId(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function loadAppAccess(): Promise<AppAccess> {
  const db = getDb();
  const userIds = new Map<string, string>();
  const userId = async (username: string) => {
    let id = userIds.get(username);
    if (!id) {
      id = (await db.user.findUniqueOrThrow({ where: { username }, select: { id: true } })).id;
      userIds.set(username, id);
    }
    return id;
  };
  return {
    db,
    async sessionCookie(username) {
      const lucia = getLucia();
      const session = await lucia.createSession(await userId(username), { ip: null, userAgent: "playwright" });
      return { name: lucia.sessionCookieName, value: session.id };
    },
    actor: seedActor,
    context: () => ({
      ip: null,
      events: createEventBus(),
      collab: { storeDocument: async () => undefined, applyChange: async () => undefined },
      now: new Date(),
    }),
    async orgId(name) {
      return (await db.organization.findUniqueOrThrow({ where: { name }, select: { id: true } })).id;
    },
    close: disconnectDb,
  };
}
