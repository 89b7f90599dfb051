import { EventEmitter } from "node:events";

/**
 * Domain events published by routes and services; only server/realtime/ turns them into socket.io
 * emits (DESIGN §4.8). The bus is in-process; in scale-out mode socket.io's Redis adapter carries the
 * emits to sockets on other processes (docs/decisions/012).
 */
export type DomainEvent =
  | { type: "notification.created"; userId: string; notification: { id: string; kind: string; title: string; body: string | null; link: string | null; createdAt: string } }
  | { type: "org.broadcast"; orgId: string; message: string }
  /** Members or status of a document changed: open collab connections must be re-authorized. */
  | { type: "document.access_changed"; documentId: string }
  /** A tracked item's status (or due date) changed: open editors of its source document update the badge. */
  | { type: "item.status_changed"; documentId: string; itemId: string; status: string; dueDate: string | null }
  /** Progress of an export the user started (token chosen by the page that asked). */
  | { type: "export.progress"; userId: string; token: string; fraction: number; label: string };

export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(listener: (event: DomainEvent) => void): () => void;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    publish(event) {
      emitter.emit("event", event);
    },
    subscribe(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
  };
}
