import { transaction, database, isUniqueViolation, type Tx } from "~/models/unit-of-work.server";
import { getEnv } from "~/env.server";
import { acquireJobLock, releaseJobLock, renewJobLock } from "~/models/job-lock.server";
import { createNotification } from "~/models/notification.server";
import { enqueueWebhookEvent } from "~/services/webhooks.server";
import { newId } from "~/utils/ids";
import {
  claimClueReminder,
  claimItemReminder,
  claimRecommendationReminder,
  clueStillDue,
  itemStillDue,
  listReminderClues,
  listReminderItems,
  listReminderRecommendations,
  recommendationStillDue,
  type ClueDeadline,
  type DueKey,
  type ReminderClue,
  type ReminderItem as ReminderCandidate,
  type ReminderRecommendation,
} from "~/models/reminder.server";
import { listActiveMembers } from "~/models/user.server";
import { CLUE_HANDLING_ROLES } from "~/policies/clue";
import { isRole } from "~/domain/organization";
import {
  AWAITING_FEEDBACK_STATUSES,
  AWAITING_RECEIPT_STATUSES,
  RECEIPT_DUE_SOON_DAYS,
  clueRouteLabel,
} from "~/domain/clue";
import { AWAITING_REPLY_STATUSES, RECOMMENDATION_KIND_LABELS, type RecommendationKind } from "~/domain/recommendation";
import { daysOverdue, ITEM_KIND_LABELS, OPEN_STATUSES, type ItemKind } from "~/domain/tracked-item";
import type { DomainEvent, EventBus } from "~/domain/events";
import { addDaysIso, chinaDay, daysLeft, deadlineLabel, endOfChinaDay, formatDate } from "~/domain/dates";

/**
 * Deadline reminders and escalation (临期提醒 → 黄牌 → 红牌) for open tracked items, for the written
 * replies recommendations are waiting for, and for clues waiting to be signed for or answered (ADR
 * 023), sent exactly once per item (recommendation, clue deadline), stage and due date even when
 * several processes scan at once (ADR 009).
 */

export const REMINDER_STAGES = ["DUE_SOON", "DUE", "OVERDUE_RED"] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];
export const REMINDER_STAGE_LABELS: Record<ReminderStage, string> = {
  DUE_SOON: "临期提醒",
  DUE: "黄牌",
  OVERDUE_RED: "红牌",
};
/** `Notification.kind` of each stage. */
export const REMINDER_KINDS: Record<ReminderStage, string> = {
  DUE_SOON: "item.due_soon",
  DUE: "item.due",
  OVERDUE_RED: "item.overdue_red",
};
/** `Notification.kind` of each stage of a recommendation's reply deadline. */
export const REPLY_REMINDER_KINDS: Record<ReminderStage, string> = {
  DUE_SOON: "recommendation.due_soon",
  DUE: "recommendation.due",
  OVERDUE_RED: "recommendation.overdue_red",
};

/** `Notification.kind` of each stage of a clue's receipt (签收) and feedback (反馈) deadlines. */
export const CLUE_REMINDER_KINDS: Record<ClueDeadline, Record<ReminderStage, string>> = {
  RECEIPT: { DUE_SOON: "clue.receipt_due_soon", DUE: "clue.receipt_due", OVERDUE_RED: "clue.receipt_overdue_red" },
  FEEDBACK: {
    DUE_SOON: "clue.feedback_due_soon",
    DUE: "clue.feedback_due",
    OVERDUE_RED: "clue.feedback_overdue_red",
  },
};

export interface ReminderSettings {
  /** DUE_SOON once the due time is at most this many days away (0: no due-soon reminder). */
  dueSoonDays: number;
  /** The same for a recommendation's reply deadline (a reply needs drafting and countersign). */
  replyDueSoonDays: number;
  /** OVERDUE_RED once `daysOverdue` (whole days, as the ledger shows them) reaches this. */
  redDays: number;
}

export function reminderSettings(): ReminderSettings {
  const env = getEnv();
  return {
    dueSoonDays: env.REMINDER_DUE_SOON_DAYS,
    replyDueSoonDays: env.REPLY_DUE_SOON_DAYS,
    redDays: env.ESCALATION_RED_DAYS,
  };
}

/**
 * The stage of a deadline at `now`, or null: the due date is the end of the due day in China time,
 * so DUE starts the next day. Only the current stage counts: something first seen already 10 days
 * late gets 红牌, not all three.
 */
export function deadlineStage(dueDate: Date, now: Date, dueSoonDays: number, redDays: number): ReminderStage | null {
  if (dueDate.getTime() < now.getTime())
    return daysOverdue({ status: "IN_PROGRESS", dueDate }, now) >= redDays ? "OVERDUE_RED" : "DUE";
  // 临期 counts China calendar days, as every "剩余 N 天" does.
  return dueSoonDays > 0 && daysLeft(now, dueDate) <= dueSoonDays ? "DUE_SOON" : null;
}

/** The end of the China day `days` calendar days from today: what can be 临期 now is due by then. */
function dueSoonHorizon(now: Date, days: number): Date {
  return endOfChinaDay(addDaysIso(chinaDay(now), days));
}

/** The stage an item is in at `now`, or null. Only open work (NOT_STARTED, IN_PROGRESS) with a due date has one. */
export function reminderStage(
  item: { status: string; dueDate: Date | null },
  now: Date,
  settings: ReminderSettings,
): ReminderStage | null {
  if (!OPEN_STATUSES.has(item.status) || item.dueDate === null) return null;
  return deadlineStage(item.dueDate, now, settings.dueSoonDays, settings.redDays);
}

/** The stage of a recommendation's reply deadline at `now`, or null once the reply was sent. */
export function replyReminderStage(
  rec: { status: string; replyDueDate: Date },
  now: Date,
  settings: ReminderSettings,
): ReminderStage | null {
  if (!(AWAITING_REPLY_STATUSES as readonly string[]).includes(rec.status)) return null;
  return deadlineStage(rec.replyDueDate, now, settings.replyDueSoonDays, settings.redDays);
}

/**
 * The stage of a clue's deadline at `now`, or null once it no longer runs: the receipt deadline while
 * the clue waits to be signed for (临期 the day before: the period is five working days), the feedback
 * deadline while a received clue that asked for feedback is being handled (the reply window).
 */
export function clueReminderStage(
  clue: { status: string; needsFeedback: boolean; receiptDueAt: Date; feedbackDueAt: Date | null },
  deadline: ClueDeadline,
  now: Date,
  settings: ReminderSettings,
): ReminderStage | null {
  if (deadline === "RECEIPT")
    return (AWAITING_RECEIPT_STATUSES as readonly string[]).includes(clue.status)
      ? deadlineStage(clue.receiptDueAt, now, RECEIPT_DUE_SOON_DAYS, settings.redDays)
      : null;
  if (!clue.needsFeedback || !clue.feedbackDueAt) return null;
  return (AWAITING_FEEDBACK_STATUSES as readonly string[]).includes(clue.status)
    ? deadlineStage(clue.feedbackDueAt, now, settings.replyDueSoonDays, settings.redDays)
    : null;
}

/** Roles of the lead org (牵头单位) that are told about every stage. */
const LEAD_ROLES: ReadonlySet<string> = new Set(["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"]);
const RECIPIENT_ROLES = [...LEAD_ROLES];

/**
 * Who is told (user ids, deduplicated): every stage → the lead org's ADMIN / COORDINATOR / DRAFTER /
 * LIAISON members; 黄牌 and 红牌 → also the convening (owner) org's COORDINATORs; 红牌 → also the
 * owner org's ADMINs. An item without a lead org is the convening org's own work.
 */
export function reminderRecipients(
  stage: ReminderStage,
  item: { ownerOrgId: string; leadOrgId: string | null },
  members: ReadonlyArray<{ userId: string; orgId: string; role: string }>,
): string[] {
  const lead = item.leadOrgId ?? item.ownerOrgId;
  const out = new Set<string>();
  for (const m of members) {
    if (m.orgId === lead && LEAD_ROLES.has(m.role)) out.add(m.userId);
    if (m.orgId !== item.ownerOrgId) continue;
    if (stage !== "DUE_SOON" && m.role === "COORDINATOR") out.add(m.userId);
    if (stage === "OVERDUE_RED" && m.role === "ADMIN") out.add(m.userId);
  }
  return [...out].sort();
}

/**
 * Who is told about a reply deadline: every stage → the recipient org's (主送单位) ADMIN /
 * COORDINATOR / DRAFTER / LIAISON members; 黄牌 and 红牌 → also the issuer's COORDINATORs and
 * LIAISONs (who follow the recommendation) and the 抄送 orgs' COORDINATORs; 红牌 → also the
 * issuer's ADMINs.
 */
export function replyReminderRecipients(
  stage: ReminderStage,
  rec: { issuerOrgId: string; recipientOrgId: string; copyOrgIds: readonly string[] },
  members: ReadonlyArray<{ userId: string; orgId: string; role: string }>,
): string[] {
  const out = new Set<string>();
  for (const m of members) {
    if (m.orgId === rec.recipientOrgId && LEAD_ROLES.has(m.role)) out.add(m.userId);
    if (stage === "DUE_SOON") continue;
    if (
      m.orgId === rec.issuerOrgId &&
      (m.role === "COORDINATOR" || m.role === "LIAISON" || (stage === "OVERDUE_RED" && m.role === "ADMIN"))
    )
      out.add(m.userId);
    if (rec.copyOrgIds.includes(m.orgId) && m.role === "COORDINATOR") out.add(m.userId);
  }
  return [...out].sort();
}

/**
 * Who is told about a clue's deadline — its handlers only (ADR 023): every stage → the receiving
 * unit's; 黄牌 and 红牌 → also the sending unit's, who follow the clue.
 */
export function clueReminderRecipients(
  stage: ReminderStage,
  clue: { fromOrgId: string; toOrgId: string },
  members: ReadonlyArray<{ userId: string; orgId: string; role: string }>,
): string[] {
  const out = new Set<string>();
  for (const m of members) {
    if (!isRole(m.role) || !CLUE_HANDLING_ROLES.has(m.role)) continue;
    if (m.orgId === clue.toOrgId || (stage !== "DUE_SOON" && m.orgId === clue.fromOrgId)) out.add(m.userId);
  }
  return [...out].sort();
}

export interface ReminderItem {
  id: string;
  kind: string;
  number: number;
  wording: string;
  dueDate: Date;
  leadOrgName: string | null;
  documentTitle: string;
}

/** Wording excerpt of at most 40 characters (an ellipsis when cut). */
export function wordingExcerpt(wording: string, max = 40): string {
  const chars = [...wording.replace(/\s+/g, " ").trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/** The notification's title and body, in Chinese. */
export function reminderMessage(stage: ReminderStage, item: ReminderItem, now: Date): { title: string; body: string } {
  const kind = ITEM_KIND_LABELS[item.kind as ItemKind] ?? "跟踪事项";
  const what = `第${item.number}项「${wordingExcerpt(item.wording)}」`;
  const facts = `来源：《${item.documentTitle}》；牵头单位：${item.leadOrgName ?? "召集单位"}；完成时限：${formatDate(item.dueDate)}。`;
  if (stage === "DUE_SOON") {
    return {
      title: `${kind}即将到期：${what}`,
      body: `${facts}${deadlineLabel(now, item.dueDate)}，请抓紧推进并按时报送进展；确需延期的，请在到期前提出延期申请。`,
    };
  }
  if (stage === "DUE") {
    return {
      title: `黄牌：${kind}${what}已到期未完成`,
      body: `${facts}已到期仍未完成，请牵头单位尽快报送进展或说明情况，召集单位跟进督办。`,
    };
  }
  const days = daysOverdue({ status: "IN_PROGRESS", dueDate: item.dueDate }, now);
  return {
    title: `红牌：${kind}${what}逾期 ${days} 天`,
    body: `${facts}已逾期 ${days} 天，已升级提醒牵头单位和召集单位负责人，请立即督办落实。`,
  };
}

export interface ReplyReminderSubject {
  kind: string;
  docNumber: string;
  title: string;
  issuerOrgName: string;
  recipientOrgName: string;
  replyDueDate: Date;
}

/** A reply-deadline notification's title and body, in Chinese. */
export function replyReminderMessage(
  stage: ReminderStage,
  rec: ReplyReminderSubject,
  now: Date,
): { title: string; body: string } {
  const kind = RECOMMENDATION_KIND_LABELS[rec.kind as RecommendationKind] ?? "建议书";
  const facts = `${rec.issuerOrgName}《${wordingExcerpt(rec.title)}》（${rec.docNumber}），主送${rec.recipientOrgName}；回复期限：${formatDate(rec.replyDueDate)}。`;
  if (stage === "DUE_SOON") {
    return {
      title: `${kind}即将到回复期限：${rec.docNumber}`,
      body: `${facts}${deadlineLabel(now, rec.replyDueDate)}，请抓紧整改，按期发出书面回复。`,
    };
  }
  if (stage === "DUE") {
    return {
      title: `黄牌：${kind}${rec.docNumber}已到回复期限未回复`,
      body: `${facts}已到回复期限仍未发出书面回复，请主送单位尽快回复，发出单位和抄送单位跟进督促。`,
    };
  }
  const days = daysOverdue({ status: "IN_PROGRESS", dueDate: rec.replyDueDate }, now);
  return {
    title: `红牌：${kind}${rec.docNumber}逾期 ${days} 天未回复`,
    body: `${facts}已逾期 ${days} 天未回复，已升级提醒双方负责人，请立即督办落实。`,
  };
}

export interface ClueReminderSubject {
  docNumber: string;
  route: string;
  fromOrgName: string;
  toOrgName: string;
}

/**
 * A clue deadline's notification, in Chinese: the 文号, the category and the two units — never the
 * summary, 涉及单位 or 涉及人员.
 */
export function clueReminderMessage(
  deadline: ClueDeadline,
  stage: ReminderStage,
  clue: ClueReminderSubject,
  due: Date,
  now: Date,
): { title: string; body: string } {
  const what = deadline === "RECEIPT" ? "签收" : "反馈办理结果";
  const facts = `${clue.fromOrgName}移送${clue.toOrgName}的线索（${clue.docNumber}，${clueRouteLabel(clue.route)}）；${deadline === "RECEIPT" ? "签收" : "反馈"}期限：${formatDate(due)}。`;
  if (stage === "DUE_SOON")
    return {
      title: `线索即将到${deadline === "RECEIPT" ? "签收" : "反馈"}期限：${clue.docNumber}`,
      body: `${facts}${deadlineLabel(now, due)}，请接收单位按期${what}。`,
    };
  if (stage === "DUE")
    return {
      title: `黄牌：线索${clue.docNumber}已到期未${what}`,
      body: `${facts}已到期仍未${what}，请接收单位尽快办理，移送单位跟进督促。`,
    };
  const days = daysOverdue({ status: "IN_PROGRESS", dueDate: due }, now);
  return {
    title: `红牌：线索${clue.docNumber}逾期 ${days} 天未${what}`,
    body: `${facts}已逾期 ${days} 天未${what}，请双方督办协调员立即督办落实。`,
  };
}

export interface ReminderScanOptions {
  events: EventBus;
  /** Defaults to the process's client; a second client stands in for a second process in tests. */
  db?: Tx;
  settings?: Partial<ReminderSettings>;
  /** Items read per query (ordered by due date, keyset-paged). */
  pageSize?: number;
  /**
   * Only items convened by these orgs and recommendations they issued, received or were copied
   * (tests on a shared database; an operator re-running one org).
   */
  scope?: { ownerOrgIds?: string[] };
  /** Stops between items / pages (server shutdown). */
  signal?: AbortSignal;
  log?: (msg: string) => void;
}

export interface ReminderRunOptions extends ReminderScanOptions {
  /** Who holds the lease: unique per process (host:pid:random). */
  holder: string;
  lockName?: string;
  /** Lease length, renewed before every page; a process that dies loses it after this long. */
  leaseMs?: number;
}

export interface ReminderRunResult {
  /** False when another holder's lease was live, so this call did nothing. */
  ran: boolean;
  /** False when stopped before the end (signal, or the lease was lost to another holder). */
  complete: boolean;
  /**
   * Candidates read: open items, unanswered recommendations and clues waiting for their receipt or
   * feedback, due within the due-soon window or overdue.
   */
  scanned: number;
  /** Reminders (item, recommendation or clue deadline × stage × due date) this call recorded and notified. */
  sent: number;
  notifications: number;
  /** Reminders another process recorded first (unique key): skipped here. */
  alreadySent: number;
  /** Items or recommendations that changed (finished, extended, replied) between reading and sending: skipped, rechecked next run. */
  stale: number;
  failed: number;
}

export const REMINDER_LOCK = "reminders";
const DEFAULT_LEASE_MS = 120_000;
const DEFAULT_PAGE_SIZE = 500;

/**
 * One scheduled run: takes the `reminders` lease (so normally one process scans), scans, gives the
 * lease back. Returns `ran: false` at once when another holder's lease is live. The lease is only
 * an economy: the ItemReminder key is what guarantees one reminder per item and stage.
 */
export async function runReminders(now: Date, options: ReminderRunOptions): Promise<ReminderRunResult> {
  const db = options.db ?? database();
  const name = options.lockName ?? REMINDER_LOCK;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(await acquireJobLock(db, name, options.holder, leaseMs)))
    return { ...emptyResult(), ran: false, complete: false };
  try {
    let first = true;
    return await scan(now, options, db, async () => {
      if (first) {
        first = false;
        return true;
      }
      // Still ours? If the lease lapsed and another process took it, let that one carry on.
      return renewJobLock(db, name, options.holder, leaseMs);
    });
  } finally {
    await releaseJobLock(db, name, options.holder).catch(() => undefined);
  }
}

/** The scan without the lease (several at once are safe: the reminder key decides). */
export async function scanReminders(now: Date, options: ReminderScanOptions): Promise<ReminderRunResult> {
  return scan(now, options, options.db ?? database(), async () => true);
}

class StaleItem extends Error {}

function emptyResult(): ReminderRunResult {
  return { ran: true, complete: true, scanned: 0, sent: 0, notifications: 0, alreadySent: 0, stale: 0, failed: 0 };
}

async function scan(
  now: Date,
  options: ReminderScanOptions,
  db: Tx,
  beforePage: () => Promise<boolean>,
): Promise<ReminderRunResult> {
  const settings = { ...reminderSettings(), ...options.settings };
  const result = emptyResult();
  const ctx: ScanContext = {
    now,
    options,
    db,
    beforePage,
    result,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    log: options.log ?? (() => undefined),
  };
  if (
    (await scanItems(ctx, settings)) &&
    (await scanRecommendations(ctx, settings)) &&
    (await scanClues(ctx, settings, "RECEIPT"))
  )
    await scanClues(ctx, settings, "FEEDBACK");
  return result;
}

interface ScanContext {
  now: Date;
  options: ReminderScanOptions;
  db: Tx;
  beforePage: () => Promise<boolean>;
  result: ReminderRunResult;
  pageSize: number;
  log: (msg: string) => void;
}

/** One reminder to send: its key row, the recheck inside the transaction, the message and who gets it. */
interface Due {
  label: string;
  stage: ReminderStage;
  claim: (tx: Tx) => Promise<void>;
  stillDue: (tx: Tx) => Promise<boolean>;
  kind: string;
  message: { title: string; body: string };
  link: string;
  recipients: string[];
  /** Queues the occurrence's webhook deliveries in the reminder's transaction (ADR 027). */
  webhook?: (tx: Tx) => Promise<unknown>;
}

/**
 * Reads candidates page by page (ordered by due date, then id: keyset paging), turns each page into
 * reminders and sends them. Returns false when stopped early (signal, or the lease was lost).
 */
async function pagedScan<T extends { id: string }>(
  ctx: ScanContext,
  dueOf: (row: T) => Date,
  fetchPage: (after: DueKey | null) => Promise<T[]>,
  remindersOf: (page: T[]) => Promise<Due[]>,
): Promise<boolean> {
  let after: DueKey | null = null;
  for (;;) {
    if (ctx.options.signal?.aborted || !(await ctx.beforePage())) {
      ctx.result.complete = false;
      return false;
    }
    const page = await fetchPage(after);
    ctx.result.scanned += page.length;
    for (const due of await remindersOf(page)) {
      if (ctx.options.signal?.aborted) {
        ctx.result.complete = false;
        return false;
      }
      const outcome = await sendReminder(ctx.db, due, ctx.options.events);
      if (outcome.kind === "sent") {
        ctx.result.sent++;
        ctx.result.notifications += outcome.notifications;
      } else if (outcome.kind === "already-sent") ctx.result.alreadySent++;
      else if (outcome.kind === "stale") ctx.result.stale++;
      else {
        ctx.result.failed++;
        ctx.log(
          `[reminders] ${due.label} stage=${due.stage} failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`,
        );
      }
    }
    if (page.length < ctx.pageSize) return true;
    const last = page[page.length - 1];
    after = { dueDate: dueOf(last), id: last.id };
  }
}

function scanItems(ctx: ScanContext, settings: ReminderSettings): Promise<boolean> {
  const open = [...OPEN_STATUSES];
  // Candidates only: open items due before the end of the due-soon window.
  const horizon = dueSoonHorizon(ctx.now, settings.dueSoonDays);
  const ownerOrgIds = ctx.options.scope?.ownerOrgIds;
  return pagedScan<ReminderCandidate>(
    ctx,
    (item) => item.dueDate,
    (after) => listReminderItems(ctx.db, { statuses: open, horizon, ownerOrgIds, after }, ctx.pageSize),
    async (page) => {
      const todo = page.flatMap((item) => {
        const stage = reminderStage(item, ctx.now, settings);
        return stage && !alreadyReminded(item.reminders, stage, item.dueDate) ? [{ item, stage }] : [];
      });
      if (!todo.length) return [];
      const members = await listActiveMembers(
        ctx.db,
        todo.flatMap(({ item }) => [item.ownerOrgId, ...(item.leadOrgId ? [item.leadOrgId] : [])]),
        RECIPIENT_ROLES,
      );
      return todo.map(({ item, stage }): Due => ({
        label: `item=${item.id}`,
        stage,
        claim: (tx) => claimItemReminder(tx, { itemId: item.id, stage, dueDate: item.dueDate, sentAt: ctx.now }),
        // Finished or extended since the page was read: send nothing (the next run sees the new state).
        stillDue: (tx) => itemStillDue(tx, item.id, open, item.dueDate),
        kind: REMINDER_KINDS[stage],
        message: reminderMessage(
          stage,
          { ...item, leadOrgName: item.leadOrg?.name ?? null, documentTitle: item.sourceDocument.title },
          ctx.now,
        ),
        link: `/items/${item.id}`,
        recipients: reminderRecipients(stage, item, members),
        // 逾期 (first overdue day, then 红牌): the owner and lead orgs' webhooks hear of it once per stage.
        webhook:
          stage === "DUE_SOON"
            ? undefined
            : (tx) =>
                enqueueWebhookEvent(
                  tx,
                  {
                    orgIds: [item.ownerOrgId, ...(item.leadOrgId ? [item.leadOrgId] : [])],
                    event: "item.overdue",
                    dedupeKey: `item.overdue:${item.id}:${stage}:${item.dueDate.toISOString()}`,
                    data: {
                      itemId: item.id,
                      stage,
                      dueDate: item.dueDate.toISOString(),
                      daysOverdue: daysOverdue({ status: "IN_PROGRESS", dueDate: item.dueDate }, ctx.now),
                    },
                    now: ctx.now,
                  },
                  newId,
                ),
      }));
    },
  );
}

function scanRecommendations(ctx: ScanContext, settings: ReminderSettings): Promise<boolean> {
  const awaiting = [...AWAITING_REPLY_STATUSES];
  const horizon = dueSoonHorizon(ctx.now, settings.replyDueSoonDays);
  const orgIds = ctx.options.scope?.ownerOrgIds;
  return pagedScan<ReminderRecommendation>(
    ctx,
    (rec) => rec.replyDueDate,
    (after) => listReminderRecommendations(ctx.db, { statuses: awaiting, horizon, orgIds, after }, ctx.pageSize),
    async (page) => {
      const todo = page.flatMap((rec) => {
        const stage = replyReminderStage(rec, ctx.now, settings);
        return stage && !alreadyReminded(rec.reminders, stage, rec.replyDueDate) ? [{ rec, stage }] : [];
      });
      if (!todo.length) return [];
      const members = await listActiveMembers(
        ctx.db,
        todo.flatMap(({ rec }) => [rec.issuerOrgId, rec.recipientOrgId, ...rec.copies.map((c) => c.orgId)]),
        RECIPIENT_ROLES,
      );
      return todo.map(({ rec, stage }): Due => ({
        label: `recommendation=${rec.id}`,
        stage,
        claim: (tx) =>
          claimRecommendationReminder(tx, {
            recommendationId: rec.id,
            stage,
            dueDate: rec.replyDueDate,
            sentAt: ctx.now,
          }),
        // Replied, or the deadline was changed, since the page was read.
        stillDue: (tx) => recommendationStillDue(tx, rec.id, awaiting, rec.replyDueDate),
        kind: REPLY_REMINDER_KINDS[stage],
        message: replyReminderMessage(
          stage,
          { ...rec, issuerOrgName: rec.issuerOrg.name, recipientOrgName: rec.recipientOrg.name },
          ctx.now,
        ),
        link: `/recommendations/${rec.id}`,
        recipients: replyReminderRecipients(stage, { ...rec, copyOrgIds: rec.copies.map((c) => c.orgId) }, members),
      }));
    },
  );
}

/** The receipt or feedback deadline of clues: the same paging, once-only key and recheck as the others. */
function scanClues(ctx: ScanContext, settings: ReminderSettings, deadline: ClueDeadline): Promise<boolean> {
  const statuses = deadline === "RECEIPT" ? [...AWAITING_RECEIPT_STATUSES] : [...AWAITING_FEEDBACK_STATUSES];
  const horizon = dueSoonHorizon(ctx.now, deadline === "RECEIPT" ? RECEIPT_DUE_SOON_DAYS : settings.replyDueSoonDays);
  const dueOf = (c: ReminderClue) => (deadline === "RECEIPT" ? c.receiptDueAt : c.feedbackDueAt!);
  const orgIds = ctx.options.scope?.ownerOrgIds;
  return pagedScan<ReminderClue>(
    ctx,
    dueOf,
    (after) => listReminderClues(ctx.db, { deadline, statuses, horizon, orgIds, after }, ctx.pageSize),
    async (page) => {
      const todo = page.flatMap((clue) => {
        const stage = clueReminderStage(clue, deadline, ctx.now, settings);
        const sent = clue.reminders.filter((r) => r.deadline === deadline);
        return stage && !alreadyReminded(sent, stage, dueOf(clue)) ? [{ clue, stage }] : [];
      });
      if (!todo.length) return [];
      const members = await listActiveMembers(
        ctx.db,
        todo.flatMap(({ clue }) => [clue.fromOrgId, clue.toOrgId]),
        [...CLUE_HANDLING_ROLES],
      );
      return todo.map(({ clue, stage }): Due => ({
        label: `clue=${clue.id} ${deadline}`,
        stage,
        claim: (tx) =>
          claimClueReminder(tx, { clueId: clue.id, deadline, stage, dueDate: dueOf(clue), sentAt: ctx.now }),
        // Signed, answered, returned or re-dated since the page was read.
        stillDue: (tx) => clueStillDue(tx, clue.id, deadline, statuses, dueOf(clue)),
        kind: CLUE_REMINDER_KINDS[deadline][stage],
        message: clueReminderMessage(
          deadline,
          stage,
          { ...clue, fromOrgName: clue.fromOrg.name, toOrgName: clue.toOrg.name },
          dueOf(clue),
          ctx.now,
        ),
        link: `/clues/${clue.id}`,
        recipients: clueReminderRecipients(stage, clue, members),
      }));
    },
  );
}

/** Whether this stage was already sent for this due date (the page's reminders). */
function alreadyReminded(sent: ReadonlyArray<{ stage: string; dueDate: Date }>, stage: ReminderStage, due: Date) {
  return sent.some((r) => r.stage === stage && r.dueDate.getTime() === due.getTime());
}

type SendOutcome =
  | { kind: "sent"; notifications: number }
  | { kind: "already-sent" }
  | { kind: "stale" }
  | { kind: "failed"; error: unknown };

/**
 * Records the reminder and its notifications in one transaction: the key row goes first, so a
 * second process sending the same reminder fails on its key (P2002) and sends nothing. Events are
 * published only after the commit.
 */
async function sendReminder(db: Tx, due: Due, events: EventBus): Promise<SendOutcome> {
  let created: DomainEvent[] = [];
  try {
    await transaction(async (tx) => {
      created = [];
      await due.claim(tx);
      if (!(await due.stillDue(tx))) throw new StaleItem();
      await due.webhook?.(tx);
      for (const userId of due.recipients) {
        created.push(
          await createNotification(tx, {
            userId,
            kind: due.kind,
            title: due.message.title,
            body: due.message.body,
            link: due.link,
          }),
        );
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { kind: "already-sent" };
    if (error instanceof StaleItem) return { kind: "stale" };
    return { kind: "failed", error };
  }
  for (const e of created) events.publish(e);
  return { kind: "sent", notifications: created.length };
}
