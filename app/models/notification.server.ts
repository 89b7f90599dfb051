import type { Tx } from "~/db.server";
import type { DomainEvent, EventBus } from "~/domain/events";
import { newId } from "~/utils/ids";

export interface NotificationInput {
  userId: string;
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
}

const select = { id: true, kind: true, title: true, body: true, link: true, readAt: true, createdAt: true } as const;

/** Persists a notification (so nothing is missed offline) and returns the event to publish after commit. */
export async function createNotification(tx: Tx, input: NotificationInput): Promise<DomainEvent> {
  const row = await tx.notification.create({
    data: {
      id: newId(),
      userId: input.userId,
      kind: input.kind,
      title: input.title.slice(0, 200),
      body: input.body ?? null,
      link: input.link ?? null,
    },
    select,
  });
  return {
    type: "notification.created",
    userId: input.userId,
    notification: {
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      link: row.link,
      createdAt: row.createdAt.toISOString(),
    },
  };
}

export async function notify(tx: Tx, events: EventBus, input: NotificationInput): Promise<void> {
  events.publish(await createNotification(tx, input));
}

export async function countUnread(tx: Tx, userId: string): Promise<number> {
  return tx.notification.count({ where: { userId, readAt: null } });
}

export async function listNotifications(tx: Tx, userId: string, take = 20) {
  return tx.notification.findMany({ where: { userId }, select, orderBy: { createdAt: "desc" }, take });
}

export async function markAllRead(tx: Tx, userId: string): Promise<number> {
  const res = await tx.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  return res.count;
}
