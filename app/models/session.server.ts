import type { Tx } from "~/db.server";
import type { MembershipView } from "./user.server";

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

export interface SessionWithUser {
  id: string;
  userId: string;
  expiresAt: Date;
  user: {
    id: string;
    username: string;
    displayName: string;
    active: boolean;
    mustChangePassword: boolean;
    externalKind: string | null;
    /** The user's memberships (oldest first), read in the same statement. */
    memberships: MembershipView[];
  };
}

interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date | string;
  username: string;
  displayName: string;
  active: boolean | number | bigint;
  mustChangePassword: boolean | number | bigint;
  externalKind: string | null;
  membershipId: string | null;
  role: string | null;
  orgId: string | null;
  orgName: string | null;
  orgShortName: string | null;
  orgKind: string | null;
  regionId: string | null;
  regionName: string | null;
  regionLevel: string | null;
  regionPath: string | null;
}

/**
 * A session with what the app needs of its user and the user's memberships (Lucia's adapter), or null.
 * One hand-written statement (ADR 032): every request and live connection resolves its session, and
 * a compiled Prisma query costs ~2 ms of CPU where this costs ~0.2 ms. Same SQL on both databases.
 */
export async function getSessionWithUser(tx: Tx, sessionId: string): Promise<SessionWithUser | null> {
  const rows = await tx.$queryRaw<SessionRow[]>`
    SELECT s."id", s."userId", s."expiresAt", u."username", u."displayName", u."active", u."mustChangePassword",
      u."externalKind", m."id" AS "membershipId", m."role", o."id" AS "orgId", o."name" AS "orgName",
      o."shortName" AS "orgShortName", o."kind" AS "orgKind", r."id" AS "regionId", r."name" AS "regionName",
      r."level" AS "regionLevel", r."path" AS "regionPath"
    FROM "Session" s
    JOIN "User" u ON u."id" = s."userId"
    LEFT JOIN "Membership" m ON m."userId" = u."id"
    LEFT JOIN "Organization" o ON o."id" = m."orgId"
    LEFT JOIN "Region" r ON r."id" = o."regionId"
    WHERE s."id" = ${sessionId}
    ORDER BY m."createdAt" ASC, m."id" ASC`;
  if (rows.length === 0) return null;
  const first = rows[0];
  const memberships: MembershipView[] = rows
    .filter((r) => r.membershipId !== null && r.orgId !== null && r.regionId !== null)
    .map((r) => ({
      id: r.membershipId!,
      role: r.role!,
      org: {
        id: r.orgId!,
        name: r.orgName!,
        shortName: r.orgShortName,
        kind: r.orgKind!,
        region: { id: r.regionId!, name: r.regionName!, level: r.regionLevel!, path: r.regionPath! },
      },
    }));
  return {
    id: first.id,
    userId: first.userId,
    expiresAt: new Date(first.expiresAt),
    user: {
      id: first.userId,
      username: first.username,
      displayName: first.displayName,
      active: Boolean(first.active),
      mustChangePassword: Boolean(first.mustChangePassword),
      externalKind: first.externalKind,
      memberships,
    },
  };
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
