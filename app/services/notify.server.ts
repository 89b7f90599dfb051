import { type Tx } from "~/models/unit-of-work.server";
import type { DomainEvent } from "~/domain/events";
import { createNotification, type NotificationInput } from "~/models/notification.server";
import { listActiveMembers } from "~/models/user.server";

/** Who a command tells: the active members of some orgs holding some roles, and named users; never the actor. */
export interface Audience {
  orgIds: readonly string[];
  roles: readonly string[];
  /** Told as well (first), e.g. whoever asked for what was decided. */
  userIds?: readonly string[];
  /** The one who acted: not told about their own action. */
  except: string;
}

/** The users of an audience, each once. */
export async function audienceUserIds(tx: Tx, audience: Audience): Promise<string[]> {
  const members = await listActiveMembers(tx, audience.orgIds, audience.roles);
  return [...new Set([...(audience.userIds ?? []), ...members.map((m) => m.userId)])].filter(
    (id) => id !== audience.except,
  );
}

/**
 * Notifies an audience inside the command's transaction (so nothing is lost offline) and returns the
 * events, to be published once the transaction committed.
 */
export async function notifyAudience(
  tx: Tx,
  audience: Audience,
  message: Omit<NotificationInput, "userId">,
): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (const userId of await audienceUserIds(tx, audience))
    events.push(await createNotification(tx, { ...message, userId }));
  return events;
}
