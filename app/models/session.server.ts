import type { Tx } from "~/db.server";

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
