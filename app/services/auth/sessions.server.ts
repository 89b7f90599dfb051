import { getDb, type Tx } from "~/db.server";
import { deleteSession, deleteUserSessions } from "~/models/session.server";
import type { EventBus } from "~/domain/events";

/**
 * Ending sessions is one of the events that end access everywhere (ADR 015): every function that
 * deletes sessions publishes `session.ended`, and every live connection holding one of them (collab,
 * socket.io, on any process) is closed.
 */

/** Ends one session (sign-out). */
export async function endSession(events: EventBus, userId: string, sessionId: string): Promise<void> {
  await deleteSession(getDb(), sessionId);
  events.publish({ type: "session.ended", userId, sessionIds: [sessionId] });
}

/**
 * Ends every session of the user except `keep`, inside the caller's transaction; call the returned
 * function after the transaction committed to announce it.
 */
export async function endUserSessionsIn(tx: Tx, events: EventBus, userId: string, keep?: string): Promise<() => void> {
  const ended = await deleteUserSessions(tx, userId, keep);
  return () => {
    if (ended.length > 0) events.publish({ type: "session.ended", userId, sessionIds: ended });
  };
}

/**
 * Ends every session of the user (account disabled, password reset by an administrator): every live
 * connection of the user closes, whichever session it was opened with.
 */
export async function endUserSessions(events: EventBus, userId: string): Promise<void> {
  await deleteUserSessions(getDb(), userId);
  events.publish({ type: "session.ended", userId, sessionIds: null });
}
