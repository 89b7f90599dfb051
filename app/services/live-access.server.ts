import { database } from "~/models/unit-of-work.server";
import { getDocumentFacts } from "~/models/document.server";
import { getLiveSessions } from "~/models/session.server";
import { buildActor, getMembershipsOfUsers } from "~/models/user.server";
import { documentAccess } from "~/policies/document";
import { ACCESS_RANK, type Access } from "~/domain/document";

/**
 * What a live connection (collab WebSocket or socket.io socket) holds, for the re-check of its access
 * (ADR 015): after an event that may narrow access, and periodically as a backstop.
 */
export interface LiveGrant {
  userId: string;
  sessionId: string;
  /** Documents it reads or writes, with the access it was granted. */
  documents: ReadonlyArray<{ documentId: string; access: Exclude<Access, "none"> }>;
}

export interface LiveVerdict {
  /** The session is gone, expired, or its user is disabled or must change the password. */
  sessionEnded: boolean;
  /** Documents whose access is now lower than granted (write → read, or none). */
  narrowed: string[];
  /** Documents it may no longer read at all. */
  lost: string[];
  /** The orgs the user belongs to now (socket.io's `org:<id>` rooms). */
  orgIds: string[];
}

/**
 * Re-checks many live grants with a fixed number of queries: one for the sessions, one for the
 * users' memberships, one per distinct document; then the same policy as HTTP decides.
 */
export async function reviewLiveGrants(grants: readonly LiveGrant[], now: Date = new Date()): Promise<LiveVerdict[]> {
  if (grants.length === 0) return [];
  const db = database();
  const userIds = [...new Set(grants.map((g) => g.userId))];
  const documentIds = [...new Set(grants.flatMap((g) => g.documents.map((d) => d.documentId)))];
  const [live, memberships, facts] = await Promise.all([
    getLiveSessions(db, [...new Set(grants.map((g) => g.sessionId))], now),
    getMembershipsOfUsers(db, userIds),
    Promise.all(documentIds.map(async (id) => [id, await getDocumentFacts(db, id)] as const)).then(
      (rows) => new Map(rows),
    ),
  ]);
  return grants.map((grant) => {
    const mine = memberships.get(grant.userId) ?? [];
    const actor = buildActor(grant.userId, mine);
    const narrowed: string[] = [];
    const lost: string[] = [];
    for (const { documentId, access } of grant.documents) {
      const f = facts.get(documentId);
      const now = f ? documentAccess(actor, f) : "none";
      if (now === "none") lost.push(documentId);
      if (ACCESS_RANK[now] < ACCESS_RANK[access]) narrowed.push(documentId);
    }
    return {
      sessionEnded: !live.has(grant.sessionId),
      narrowed,
      lost,
      orgIds: [...new Set(mine.map((m) => m.org.id))],
    };
  });
}
