import type { Prisma, Tx } from "~/db.server";

/**
 * The deadline reminder job's data (ADR 009, 014, 023): candidates read in keyset pages ordered by due
 * date, and the reminder keys (ItemReminder, RecommendationReminder, ClueReminder) whose primary key
 * makes each stage of each deadline be sent once, whichever process sends it.
 */

/** Where a keyset page starts: after this (due date, id). */
export interface DueKey {
  dueDate: Date;
  id: string;
}

/** Keyset condition: rows after `after` in (due date, id) order. */
function afterKey(field: "dueDate" | "replyDueDate" | "receiptDueAt" | "feedbackDueAt", after: DueKey | null) {
  return after ? { OR: [{ [field]: { gt: after.dueDate } }, { [field]: after.dueDate, id: { gt: after.id } }] } : {};
}

const reminderItemSelect = {
  id: true,
  kind: true,
  number: true,
  wording: true,
  status: true,
  dueDate: true,
  ownerOrgId: true,
  leadOrgId: true,
  leadOrg: { select: { name: true } },
  sourceDocument: { select: { title: true } },
  reminders: { select: { stage: true, dueDate: true } },
} as const;

/** A candidate item: due (its due date is never null here: items without one are not candidates). */
export type ReminderItem = Omit<Prisma.TrackedItemGetPayload<{ select: typeof reminderItemSelect }>, "dueDate"> & {
  dueDate: Date;
};

/**
 * One page of open items (`statuses`) due up to `horizon` (index [status, dueDate]), optionally only
 * those convened by `ownerOrgIds`. `dueDate: { lte }` leaves out items without a due date.
 */
export async function listReminderItems(
  tx: Tx,
  query: { statuses: readonly string[]; horizon: Date; ownerOrgIds?: readonly string[]; after: DueKey | null },
  take: number,
): Promise<ReminderItem[]> {
  const rows = await tx.trackedItem.findMany({
    where: {
      status: { in: [...query.statuses] },
      dueDate: { lte: query.horizon },
      ...(query.ownerOrgIds ? { ownerOrgId: { in: [...query.ownerOrgIds] } } : {}),
      ...afterKey("dueDate", query.after),
    },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
    take,
    select: reminderItemSelect,
  });
  return rows.filter((r): r is ReminderItem => r.dueDate !== null);
}

/** Records an item's reminder; a second process recording the same one fails on the key (P2002). */
export async function claimItemReminder(
  tx: Tx,
  key: { itemId: string; stage: string; dueDate: Date; sentAt: Date },
): Promise<void> {
  await tx.itemReminder.create({ data: key, select: { itemId: true } });
}

/** Whether the item is still open (`statuses`) and due at `dueDate`: neither finished nor extended meanwhile. */
export async function itemStillDue(tx: Tx, id: string, statuses: readonly string[], dueDate: Date): Promise<boolean> {
  const row = await tx.trackedItem.findFirst({
    where: { id, status: { in: [...statuses] }, dueDate },
    select: { id: true },
  });
  return row !== null;
}

const reminderRecommendationSelect = {
  id: true,
  kind: true,
  docNumber: true,
  title: true,
  status: true,
  replyDueDate: true,
  issuerOrgId: true,
  recipientOrgId: true,
  issuerOrg: { select: { name: true } },
  recipientOrg: { select: { name: true } },
  copies: { select: { orgId: true } },
  reminders: { select: { stage: true, dueDate: true } },
} as const;

export type ReminderRecommendation = Prisma.RecommendationGetPayload<{ select: typeof reminderRecommendationSelect }>;

/**
 * One page of recommendations awaiting their reply (`statuses`) due up to `horizon`, optionally only
 * those `orgIds` issued, received or were copied.
 */
export async function listReminderRecommendations(
  tx: Tx,
  query: { statuses: readonly string[]; horizon: Date; orgIds?: readonly string[]; after: DueKey | null },
  take: number,
): Promise<ReminderRecommendation[]> {
  const orgIds = query.orgIds ? [...query.orgIds] : null;
  return tx.recommendation.findMany({
    where: {
      status: { in: [...query.statuses] },
      replyDueDate: { lte: query.horizon },
      ...(orgIds
        ? {
            AND: [
              {
                OR: [
                  { issuerOrgId: { in: orgIds } },
                  { recipientOrgId: { in: orgIds } },
                  { copies: { some: { orgId: { in: orgIds } } } },
                ],
              },
            ],
          }
        : {}),
      ...afterKey("replyDueDate", query.after),
    },
    orderBy: [{ replyDueDate: "asc" }, { id: "asc" }],
    take,
    select: reminderRecommendationSelect,
  });
}

/** Records a reply-deadline reminder; the key makes a second one fail (P2002). */
export async function claimRecommendationReminder(
  tx: Tx,
  key: { recommendationId: string; stage: string; dueDate: Date; sentAt: Date },
): Promise<void> {
  await tx.recommendationReminder.create({ data: key, select: { recommendationId: true } });
}

/** Whether the recommendation still awaits its reply (`statuses`) by `replyDueDate`: not replied, deadline unchanged. */
export async function recommendationStillDue(
  tx: Tx,
  id: string,
  statuses: readonly string[],
  replyDueDate: Date,
): Promise<boolean> {
  const row = await tx.recommendation.findFirst({
    where: { id, status: { in: [...statuses] }, replyDueDate },
    select: { id: true },
  });
  return row !== null;
}

/** Which deadline of a clue a reminder is about: its receipt (签收) or its feedback (反馈). */
export type ClueDeadline = "RECEIPT" | "FEEDBACK";

const reminderClueSelect = {
  id: true,
  docNumber: true,
  route: true,
  status: true,
  needsFeedback: true,
  receiptDueAt: true,
  feedbackDueAt: true,
  fromOrgId: true,
  toOrgId: true,
  fromOrg: { select: { name: true } },
  toOrg: { select: { name: true } },
  reminders: { select: { deadline: true, stage: true, dueDate: true } },
} as const;

/** A candidate clue (no content and no person: a reminder names the 文号 and the units only). */
export type ReminderClue = Prisma.ClueGetPayload<{ select: typeof reminderClueSelect }>;

/**
 * One page of clues whose `deadline` runs (`statuses`; for feedback, only those asking for it) and
 * falls up to `horizon` (indexes [status, receiptDueAt] and [status, feedbackDueAt]), optionally only
 * those `orgIds` sent or received.
 */
export async function listReminderClues(
  tx: Tx,
  query: {
    deadline: ClueDeadline;
    statuses: readonly string[];
    horizon: Date;
    orgIds?: readonly string[];
    after: DueKey | null;
  },
  take: number,
): Promise<ReminderClue[]> {
  const field = query.deadline === "RECEIPT" ? "receiptDueAt" : "feedbackDueAt";
  const orgIds = query.orgIds ? [...query.orgIds] : null;
  return tx.clue.findMany({
    where: {
      status: { in: [...query.statuses] },
      [field]: { lte: query.horizon },
      ...(query.deadline === "FEEDBACK" ? { needsFeedback: true } : {}),
      ...(orgIds ? { AND: [{ OR: [{ fromOrgId: { in: orgIds } }, { toOrgId: { in: orgIds } }] }] } : {}),
      ...afterKey(field, query.after),
    },
    orderBy: [{ [field]: "asc" }, { id: "asc" }],
    take,
    select: reminderClueSelect,
  });
}

/** Records a clue's deadline reminder; the key makes a second one fail (P2002). */
export async function claimClueReminder(
  tx: Tx,
  key: { clueId: string; deadline: ClueDeadline; stage: string; dueDate: Date; sentAt: Date },
): Promise<void> {
  await tx.clueReminder.create({ data: key, select: { clueId: true } });
}

/** Whether the clue still waits (`statuses`) on the same `deadline` date: not signed / answered, not re-dated. */
export async function clueStillDue(
  tx: Tx,
  id: string,
  deadline: ClueDeadline,
  statuses: readonly string[],
  dueDate: Date,
): Promise<boolean> {
  const row = await tx.clue.findFirst({
    where: {
      id,
      status: { in: [...statuses] },
      ...(deadline === "RECEIPT" ? { receiptDueAt: dueDate } : { feedbackDueAt: dueDate, needsFeedback: true }),
    },
    select: { id: true },
  });
  return row !== null;
}
