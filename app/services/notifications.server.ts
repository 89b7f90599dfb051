import { getDb } from "~/db.server";
import { countUnread, listNotifications, markAllRead } from "~/models/notification.server";

/** The user's notifications (站内通知): the bell's count, the latest ones, and marking them read. */

export async function unreadCount(userId: string): Promise<number> {
  return countUnread(getDb(), userId);
}

/** The latest notifications and how many are unread. */
export async function loadInbox(userId: string) {
  const db = getDb();
  const [notifications, unread] = await Promise.all([listNotifications(db, userId), countUnread(db, userId)]);
  return { notifications, unread };
}

/** Marks every unread notification read; returns how many were. */
export async function markInboxRead(userId: string): Promise<number> {
  return markAllRead(getDb(), userId);
}
