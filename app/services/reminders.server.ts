import { getDb, isUniqueViolation, type Db } from "~/db.server";
import { getEnv } from "~/env.server";
import { acquireJobLock, releaseJobLock, renewJobLock } from "~/models/job-lock.server";
import { createNotification } from "~/models/notification.server";
import { daysOverdue, ITEM_KIND_LABELS, OPEN_STATUSES, type ItemKind } from "~/policies/tracked-item";
import type { DomainEvent, EventBus } from "~/services/events.server";
import { formatDate } from "~/utils/dates";

/**
 * Deadline reminders and escalation (临期提醒 → 黄牌 → 红牌) for open tracked items, sent exactly
 * once per item, stage and due date even when several processes scan at once (ADR 009).
 */

export const REMINDER_STAGES = ["DUE_SOON", "DUE", "OVERDUE_RED"] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];
export const REMINDER_STAGE_LABELS: Record<ReminderStage, string> = { DUE_SOON: "临期提醒", DUE: "黄牌", OVERDUE_RED: "红牌" };
/** `Notification.kind` of each stage. */
export const REMINDER_KINDS: Record<ReminderStage, string> = { DUE_SOON: "item.due_soon", DUE: "item.due", OVERDUE_RED: "item.overdue_red" };

export interface ReminderSettings {
  /** DUE_SOON once the due time is at most this many days away (0: no due-soon reminder). */
  dueSoonDays: number;
  /** OVERDUE_RED once `daysOverdue` (whole days, as the ledger shows them) reaches this. */
  redDays: number;
}

export function reminderSettings(): ReminderSettings {
  const env = getEnv();
  return { dueSoonDays: env.REMINDER_DUE_SOON_DAYS, redDays: env.ESCALATION_RED_DAYS };
}

const DAY_MS = 86_400_000;

/**
 * The stage an item is in at `now`, or null. Only open work (NOT_STARTED, IN_PROGRESS) with a due
 * date has one; the due date is the end of the due day in China time, so DUE starts the next day.
 * Only the current stage counts: an item first seen already 10 days late gets 红牌, not all three.
 */
export function reminderStage(item: { status: string; dueDate: Date | null }, now: Date, settings: ReminderSettings): ReminderStage | null {
  if (!OPEN_STATUSES.has(item.status) || item.dueDate === null) return null;
  const left = item.dueDate.getTime() - now.getTime();
  if (left < 0) return daysOverdue(item, now) >= settings.redDays ? "OVERDUE_RED" : "DUE";
  return settings.dueSoonDays > 0 && left <= settings.dueSoonDays * DAY_MS ? "DUE_SOON" : null;
}

/** Roles of the lead org (牵头单位) that are told about every stage. */
const LEAD_ROLES: ReadonlySet<string> = new Set(["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"]);
const RECIPIENT_ROLES = [...LEAD_ROLES];

/**
 * Who is told (user ids, deduplicated): every stage → the lead org's ADMIN / COORDINATOR / DRAFTER /
 * LIAISON members; 黄牌 and 红牌 → also the convening (owner) org's COORDINATORs; 红牌 → also the
 * owner org's ADMINs. An item without a lead org is the convening org's own work.
 */
export function reminderRecipients(stage: ReminderStage, item: { ownerOrgId: string; leadOrgId: string | null }, members: ReadonlyArray<{ userId: string; orgId: string; role: string }>): string[] {
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
    const daysLeft = Math.ceil((item.dueDate.getTime() - now.getTime()) / DAY_MS);
    return {
      title: `${kind}即将到期：${what}`,
      body: `${facts}${daysLeft <= 1 ? "今日到期" : `还剩 ${daysLeft} 天`}，请抓紧推进并按时报送进展；确需延期的，请在到期前提出延期申请。`,
    };
  }
  if (stage === "DUE") {
    return { title: `黄牌：${kind}${what}已到期未完成`, body: `${facts}已到期仍未完成，请牵头单位尽快报送进展或说明情况，召集单位跟进督办。` };
  }
  const days = daysOverdue({ status: "IN_PROGRESS", dueDate: item.dueDate }, now);
  return { title: `红牌：${kind}${what}逾期 ${days} 天`, body: `${facts}已逾期 ${days} 天，已升级提醒牵头单位和召集单位负责人，请立即督办落实。` };
}

export interface ReminderScanOptions {
  events: EventBus;
  /** Defaults to the process's client; a second client stands in for a second process in tests. */
  db?: Db;
  settings?: Partial<ReminderSettings>;
  /** Items read per query (ordered by due date, keyset-paged). */
  pageSize?: number;
  /** Only items convened by these orgs (tests on a shared database; an operator re-running one org). */
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
  /** Candidate items read (open, due within the due-soon window or overdue). */
  scanned: number;
  /** Reminders (item × stage × due date) this call recorded and notified. */
  sent: number;
  notifications: number;
  /** Reminders another process recorded first (unique key): skipped here. */
  alreadySent: number;
  /** Items that changed (finished, extended) between reading and sending: skipped, rechecked next run. */
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
  const db = options.db ?? getDb();
  const name = options.lockName ?? REMINDER_LOCK;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(await acquireJobLock(db, name, options.holder, leaseMs))) return { ...emptyResult(), ran: false, complete: false };
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
  return scan(now, options, options.db ?? getDb(), async () => true);
}

class StaleItem extends Error {}

function emptyResult(): ReminderRunResult {
  return { ran: true, complete: true, scanned: 0, sent: 0, notifications: 0, alreadySent: 0, stale: 0, failed: 0 };
}

async function scan(now: Date, options: ReminderScanOptions, db: Db, beforePage: () => Promise<boolean>): Promise<ReminderRunResult> {
  const settings = { ...reminderSettings(), ...options.settings };
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const log = options.log ?? (() => undefined);
  const result = emptyResult();
  const open = [...OPEN_STATUSES];
  // Candidates only: open items due before the end of the due-soon window (index [status, dueDate]).
  const horizon = new Date(now.getTime() + settings.dueSoonDays * DAY_MS);
  const ownerOrgIds = options.scope?.ownerOrgIds;
  let after: { dueDate: Date; id: string } | null = null;
  for (;;) {
    if (options.signal?.aborted || !(await beforePage())) {
      result.complete = false;
      break;
    }
    const page: PageItem[] = await db.trackedItem.findMany({
      where: {
        status: { in: open },
        dueDate: { lte: horizon },
        ...(ownerOrgIds ? { ownerOrgId: { in: ownerOrgIds } } : {}),
        ...(after ? { OR: [{ dueDate: { gt: after.dueDate } }, { dueDate: after.dueDate, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ dueDate: "asc" }, { id: "asc" }],
      take: pageSize,
      select: pageSelect,
    });
    result.scanned += page.length;
    const todo: Array<{ item: PageItem & { dueDate: Date }; stage: ReminderStage }> = [];
    for (const item of page) {
      const stage = reminderStage(item, now, settings);
      if (!stage || item.dueDate === null) continue;
      const dueMs = item.dueDate.getTime();
      if (item.reminders.some((r) => r.stage === stage && r.dueDate.getTime() === dueMs)) continue;
      todo.push({ item: { ...item, dueDate: item.dueDate }, stage });
    }
    if (todo.length) {
      const orgIds = [...new Set(todo.flatMap(({ item }) => [item.ownerOrgId, ...(item.leadOrgId ? [item.leadOrgId] : [])]))];
      const members = await db.membership.findMany({ where: { orgId: { in: orgIds }, role: { in: RECIPIENT_ROLES }, user: { active: true } }, select: { userId: true, orgId: true, role: true } });
      for (const { item, stage } of todo) {
        if (options.signal?.aborted) {
          result.complete = false;
          return result;
        }
        const outcome = await sendReminder(db, item, stage, reminderRecipients(stage, item, members), now, options.events);
        if (outcome.kind === "sent") {
          result.sent++;
          result.notifications += outcome.notifications;
        } else if (outcome.kind === "already-sent") result.alreadySent++;
        else if (outcome.kind === "stale") result.stale++;
        else {
          result.failed++;
          log(`[reminders] item=${item.id} stage=${stage} failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`);
        }
      }
    }
    if (page.length < pageSize) break;
    const last = page[page.length - 1];
    after = { dueDate: last.dueDate!, id: last.id };
  }
  return result;
}

const pageSelect = {
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

interface PageItem {
  id: string;
  kind: string;
  number: number;
  wording: string;
  status: string;
  dueDate: Date | null;
  ownerOrgId: string;
  leadOrgId: string | null;
  leadOrg: { name: string } | null;
  sourceDocument: { title: string };
  reminders: Array<{ stage: string; dueDate: Date }>;
}

type SendOutcome = { kind: "sent"; notifications: number } | { kind: "already-sent" } | { kind: "stale" } | { kind: "failed"; error: unknown };

/**
 * Records the reminder and its notifications in one transaction: the ItemReminder row goes first,
 * so a second process sending the same reminder fails on its key (P2002) and sends nothing. Events
 * are published only after the commit.
 */
async function sendReminder(db: Db, item: PageItem & { dueDate: Date }, stage: ReminderStage, recipients: string[], now: Date, events: EventBus): Promise<SendOutcome> {
  const message = reminderMessage(stage, { ...item, leadOrgName: item.leadOrg?.name ?? null, documentTitle: item.sourceDocument.title }, now);
  let created: DomainEvent[] = [];
  try {
    await db.$transaction(async (tx) => {
      created = [];
      await tx.itemReminder.create({ data: { itemId: item.id, stage, dueDate: item.dueDate, sentAt: now }, select: { itemId: true } });
      // Finished or extended since the page was read: send nothing (the next run sees the new state).
      const still = await tx.trackedItem.findFirst({ where: { id: item.id, status: { in: [...OPEN_STATUSES] }, dueDate: item.dueDate }, select: { id: true } });
      if (!still) throw new StaleItem();
      for (const userId of recipients) {
        created.push(await createNotification(tx, { userId, kind: REMINDER_KINDS[stage], title: message.title, body: message.body, link: `/items/${item.id}` }));
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
