import { database, type Tx } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { deleteSession, deleteUserSessions } from "~/models/session.server";
import type { EventBus } from "~/domain/events";
import type { CommandContext } from "~/services/context.server";
import type { CurrentUser } from "./current-user.server";

/**
 * Ending sessions is one of the events that end access everywhere (ADR 015): every function that
 * deletes sessions publishes `session.ended`, and every live connection holding one of them (collab,
 * socket.io, on any process) is closed.
 */

/** Ends one session (sign-out). */
export async function endSession(events: EventBus, userId: string, sessionId: string): Promise<void> {
  await deleteSession(database(), sessionId);
  events.publish({ type: "session.ended", userId, sessionIds: [sessionId] });
}

/** 退出登录: ends the user's current session (its live connections close) and audits it. */
export async function signOut(user: CurrentUser, ctx: Pick<CommandContext, "ip" | "events">): Promise<void> {
  await endSession(ctx.events, user.id, user.sessionId);
  await recordAudit(database(), {
    actorId: user.id,
    actorName: user.displayName,
    orgId: user.memberships[0]?.org.id ?? null,
    action: "auth.logout",
    targetType: "User",
    targetId: user.id,
    summary: `${user.displayName} 退出登录`,
    ip: ctx.ip,
  });
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
  await deleteUserSessions(database(), userId);
  events.publish({ type: "session.ended", userId, sessionIds: null });
}
