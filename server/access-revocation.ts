import type { DomainEvent, EventBus } from "../app/domain/events";
import type { LiveGrant, LiveVerdict } from "../app/services/live-access.server";
import { CloseCode } from "../app/protocol/collab";
import type { CollabServer } from "../collab/server";
import type { ConnectionInfo } from "../collab/extensions/types";

export interface AccessRevocationOptions {
  events: EventBus;
  collab: Pick<CollabServer, "closeConnections" | "connections">;
  /** socket.io's own re-check of every socket of this process. */
  realtime: { reviewAll(): Promise<void> };
  reviewGrants: (grants: readonly LiveGrant[], now: Date) => Promise<LiveVerdict[]>;
  /** The backstop's period: live connections re-check their session and access this often. */
  intervalMs: number;
  now?: () => Date;
  log: (msg: string) => void;
}

export interface AccessRevocation {
  /** Runs the backstop now (tests; also what the timer does). */
  recheckAll(): Promise<void>;
  stop(): void;
}

const grantOf = (c: ConnectionInfo): LiveGrant => ({
  userId: c.identity.userId,
  sessionId: c.identity.sessionId,
  documents: [{ documentId: c.documentId, access: c.identity.readOnly ? "read" : "write" }],
});

/**
 * Access that ends, ends everywhere at once (ADR 015). The events that end or narrow a user's access
 * (`session.ended`, `user.access_changed`, `document.access_changed`) reach every process (the bus is
 * bridged over Redis in scale-out mode); each process closes its own collab connections here —
 * 4401 when the session is gone, 4205 (reconnect and be re-authorized) when access narrowed — while
 * socket.io handles its sockets in server/realtime. A periodic re-check of every live connection is
 * the backstop for what no event announces (a session that simply expires).
 */
export function startAccessRevocation(options: AccessRevocationOptions): AccessRevocation {
  const { collab, log } = options;
  const now = options.now ?? (() => new Date());

  /** Re-checks the given collab connections with the policies and closes those that lost access. */
  const recheckCollab = async (connections: ConnectionInfo[]) => {
    if (connections.length === 0) return;
    const verdicts = await options.reviewGrants(connections.map(grantOf), now());
    const ended = new Set<number>();
    const narrowed = new Set<number>();
    connections.forEach((c, i) => {
      if (verdicts[i].sessionEnded) ended.add(c.id);
      else if (verdicts[i].narrowed.length > 0) narrowed.add(c.id);
    });
    if (ended.size) collab.closeConnections((c) => ended.has(c.id), CloseCode.UNAUTHENTICATED, "session ended");
    if (narrowed.size) collab.closeConnections((c) => narrowed.has(c.id), CloseCode.ACCESS_CHANGED, "access changed");
  };

  const onEvent = (event: DomainEvent) => {
    switch (event.type) {
      case "session.ended": {
        const { userId, sessionIds } = event;
        const mine = (c: ConnectionInfo) =>
          c.identity.userId === userId && (sessionIds === null || sessionIds.includes(c.identity.sessionId));
        collab.closeConnections(mine, CloseCode.UNAUTHENTICATED, "session ended");
        return;
      }
      case "user.access_changed": {
        const mine = collab.connections().filter((c) => c.identity.userId === event.userId);
        recheckCollab(mine).catch((err: unknown) => log(`[access] re-check failed: ${String(err)}`));
        return;
      }
      case "org.access_changed":
        // Rare (an administrator moved or deactivated a unit): every connection of this process is re-checked.
        recheckCollab(collab.connections()).catch((err: unknown) => log(`[access] re-check failed: ${String(err)}`));
        return;
      case "document.access_changed":
        // Members or status changed: every connection of the document reconnects and is re-authorized.
        collab.closeConnections((c) => c.documentId === event.documentId, CloseCode.ACCESS_CHANGED, "access changed");
        return;
      default:
        return;
    }
  };
  const unsubscribe = options.events.subscribe(onEvent);

  let running: Promise<void> | null = null;
  const recheckAll = () => {
    running ??= Promise.all([recheckCollab(collab.connections()), options.realtime.reviewAll()])
      .then(() => undefined)
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    recheckAll().catch((err: unknown) => log(`[access] periodic re-check failed: ${String(err)}`));
  }, options.intervalMs);
  timer.unref();

  return {
    recheckAll,
    stop() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
