import { getDb } from "../app/db.server";
import { buildActor, getUserMemberships } from "../app/models/user.server";
import type { CurrentUser } from "../app/services/auth/current-user.server";

/** The demo data is written through the same services as the pages, acting as a seeded user. */
export async function seedActor(username: string): Promise<CurrentUser> {
  const db = getDb();
  const u = await db.user.findUniqueOrThrow({
    where: { username },
    select: { id: true, username: true, displayName: true },
  });
  const memberships = await getUserMemberships(db, u.id);
  return {
    ...u,
    sessionId: "seed",
    memberships,
    actor: buildActor(u.id, memberships),
    mustChangePassword: false,
    cookie: null,
  };
}
