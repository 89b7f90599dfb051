import { database } from "~/models/unit-of-work.server";
import { countUnread, listNotifications, markAllRead } from "~/models/notification.server";

/** The user's notifications (站内通知): the bell's count, the latest ones, and marking them read. */

export async function unreadCount(userId: string): Promise<number> {
  return countUnread(database(), userId);
}

/** The latest notifications and how many are unread. */
export async function loadInbox(userId: string) {
  const db = database();
  const [notifications, unread] = await Promise.all([listNotifications(db, userId), countUnread(db, userId)]);
  return { notifications, unread };
}

/** Marks every unread notification read; returns how many were. */
export async function markInboxRead(userId: string): Promise<number> {
  return markAllRead(database(), userId);
}
