import { getClueFacts } from "~/models/clue.server";
import { canReadClue } from "~/policies/clue";
import { database } from "~/models/unit-of-work.server";
import { getDocumentFacts } from "~/models/document.server";
import { getLiveSessions } from "~/models/session.server";
import { buildActor, getActiveUserMemberships, getMembershipsOfUsers } from "~/models/user.server";
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
  /** Clues whose page it watches (socket.io `clue:<id>` rooms, ADR 023). */
  clues?: readonly string[];
}

export interface LiveVerdict {
  /** The session is gone, expired, or its user is disabled or must change the password. */
  sessionEnded: boolean;
  /** Documents whose access is now lower than granted (write → read, or none). */
  narrowed: string[];
  /** Documents it may no longer read at all. */
  lost: string[];
  /** Clues it may no longer read. */
  lostClues: string[];
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
  const clueIds = [...new Set(grants.flatMap((g) => g.clues ?? []))];
  const [live, memberships, facts, clues] = await Promise.all([
    getLiveSessions(db, [...new Set(grants.map((g) => g.sessionId))], now),
    getMembershipsOfUsers(db, userIds),
    Promise.all(documentIds.map(async (id) => [id, await getDocumentFacts(db, id)] as const)).then(
      (rows) => new Map(rows),
    ),
    Promise.all(clueIds.map(async (id) => [id, await getClueFacts(db, id)] as const)).then((rows) => new Map(rows)),
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
    const lostClues = (grant.clues ?? []).filter((id) => {
      const c = clues.get(id);
      return !c || !canReadClue(actor, c);
    });
    return {
      sessionEnded: !live.has(grant.sessionId),
      narrowed,
      lost,
      lostClues,
      orgIds: [...new Set(mine.map((m) => m.org.id))],
    };
  });
}

/**
 * Whether a user may watch a clue live (socket.io's `clue:<id>` room): the clue policy on the
 * user's current memberships, as the clue page decides (ADR 023). false when the clue does not exist.
 */
export async function loadClueReadable(userId: string, clueId: string): Promise<boolean> {
  const db = database();
  const [facts, memberships] = await Promise.all([getClueFacts(db, clueId), getActiveUserMemberships(db, userId)]);
  return !!facts && !!memberships && canReadClue(buildActor(userId, memberships), facts);
}
