/**
 * Domain events published by routes and services; only server/realtime/ turns them into socket.io
 * emits (architecture.md "Domain events"). The bus is in-process; in scale-out mode socket.io's Redis adapter carries the
 * emits to sockets on other processes (docs/decisions/012).
 */
export type DomainEvent =
  | {
      type: "notification.created";
      userId: string;
      notification: {
        id: string;
        kind: string;
        title: string;
        body: string | null;
        link: string | null;
        createdAt: string;
      };
    }
  | { type: "org.broadcast"; orgId: string; message: string }
  /** Members or status of a document changed: open collab connections must be re-authorized. */
  | { type: "document.access_changed"; documentId: string }
  /**
   * Sessions ended (sign-out, password change or reset, account disabled): every live connection
   * they hold is closed (collab 4401, socket.io disconnected). `sessionIds: null` means all of the user's.
   */
  | { type: "session.ended"; userId: string; sessionIds: string[] | null }
  /** A comment thread of a document changed (new, reply, resolved, edited, anchor lost): open panels refresh. */
  | { type: "comment.changed"; documentId: string; threadId: string }
  /** A clue's state or its grants changed (ADR 023): its watchers re-check, then reload the page. No content. */
  | { type: "clue.changed"; clueId: string }
  /** A user's memberships or roles changed: their live connections are re-authorized. */
  | { type: "user.access_changed"; userId: string }
  /**
   * An organisation moved to another region, changed kind or was deactivated: what its members and its
   * documents may reach changed, so every live connection is re-authorized and cached access forgotten.
   */
  | { type: "org.access_changed"; orgId: string }
  /** A tracked item's status (or due date) changed: open editors of its source document update the badge. */
  | { type: "item.status_changed"; documentId: string; itemId: string; status: string; dueDate: string | null }
  /** Progress of an export the user started (token chosen by the page that asked). */
  | { type: "export.progress"; userId: string; token: string; fraction: number; label: string };

/**
 * Events every process must see in scale-out mode (ADR 012, 015): they end or narrow access, and the
 * connections they concern may be held by any process.
 */
export const CLUSTER_EVENT_TYPES: ReadonlySet<DomainEvent["type"]> = new Set([
  "document.access_changed",
  "session.ended",
  "user.access_changed",
  "org.access_changed",
  // Each process re-checks its own watchers of the clue, then tells those left (ADR 023).
  "clue.changed",
]);

export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(listener: (event: DomainEvent) => void): () => void;
  /**
   * Scale-out: `forward` receives every cluster event published here; `deliver` (returned) hands
   * this process the events other processes published, without forwarding them again.
   */
  bridge(forward: (event: DomainEvent) => void): (event: DomainEvent) => void;
}
