import type { Prisma, Tx } from "~/db.server";

/** Data access for sign-in sessions (Lucia's adapter reads and writes them through the same client). */

/** Deletes the user's sessions (all, or all but `keep`) and returns the ids that were deleted. */
export async function deleteUserSessions(tx: Tx, userId: string, keep?: string): Promise<string[]> {
  const where = { userId, ...(keep ? { id: { not: keep } } : {}) };
  const rows = await tx.session.findMany({ where, select: { id: true } });
  if (rows.length === 0) return [];
  await tx.session.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  return rows.map((r) => r.id);
}

export async function deleteSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.deleteMany({ where: { id: sessionId } });
}

/** What a live connection's periodic re-check needs: which of these sessions are still valid at `now`. */
export async function getLiveSessions(tx: Tx, sessionIds: readonly string[], now: Date): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await tx.session.findMany({
    where: { id: { in: [...sessionIds] }, expiresAt: { gt: now }, user: { active: true, mustChangePassword: false } },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}

const sessionUserSelect = {
  id: true,
  userId: true,
  expiresAt: true,
  user: {
    select: { id: true, username: true, displayName: true, active: true, mustChangePassword: true, externalKind: true },
  },
} as const;

export type SessionWithUser = Prisma.SessionGetPayload<{ select: typeof sessionUserSelect }>;

/** A session with what the app needs of its user (Lucia's adapter), or null. */
export async function getSessionWithUser(tx: Tx, sessionId: string): Promise<SessionWithUser | null> {
  return tx.session.findUnique({ where: { id: sessionId }, select: sessionUserSelect });
}

export async function listUserSessions(tx: Tx, userId: string) {
  return tx.session.findMany({ where: { userId }, select: { id: true, userId: true, expiresAt: true } });
}

export async function createSession(
  tx: Tx,
  input: { id: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await tx.session.create({
    data: { ...input, userAgent: input.userAgent?.slice(0, 300) ?? null },
    select: { id: true },
  });
}

export async function setSessionExpiry(tx: Tx, sessionId: string, expiresAt: Date): Promise<void> {
  await tx.session.updateMany({ where: { id: sessionId }, data: { expiresAt } });
}

export async function deleteExpiredSessions(tx: Tx, now: Date): Promise<void> {
  await tx.session.deleteMany({ where: { expiresAt: { lte: now } } });
}
