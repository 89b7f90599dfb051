import { enqueueWebhookEvent } from "~/services/webhooks.server";
import { database, isUniqueViolation, transaction, type Tx } from "~/models/unit-of-work.server";
import type { Actor } from "~/domain/actor";
import {
  CLUE_GRANTEE_KINDS,
  CLUE_ROUTES,
  CLUE_SOURCE_LABELS,
  FEEDBACK_OUTCOME_LABELS,
  MAX_FEEDBACK_DAYS,
  clueRouteBetween,
  defaultFeedbackDueDay,
  receiptDueDay,
  receivingKinds,
  type ClueSource,
  type FeedbackOutcome,
} from "~/domain/clue";
import { addDaysIso, chinaDay, endOfChinaDay, formatDate } from "~/domain/dates";
import { conflict, invalid, notFound, type FieldErrors } from "~/domain/errors";
import type { DomainEvent } from "~/domain/events";
import { isId } from "~/domain/ids";
import { ORG_KIND_LABELS, type OrgKind } from "~/domain/organization";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import {
  addClueGrant,
  clueDocNumberTaken,
  createClue,
  getClueFacts,
  listGrantCandidates,
  markClueClosed,
  markClueHandling,
  markClueReceived,
  markClueReturned,
  recordClueFeedback,
  removeClueGrant,
  type ClueFactsRow,
} from "~/models/clue.server";
import { getOrganizationNames, listActiveOrganizations } from "~/models/organization.server";
import {
  CLUE_HANDLING_ROLES,
  authorizeClue,
  authorizeTransfer,
  clueRelation,
  isGrantableUnit,
  type ClueAction,
} from "~/policies/clue";
import { enforce } from "~/policies/decision";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { notifyAudience } from "~/services/notify.server";
import { checkUploads, type UploadedFile } from "~/services/uploads.server";
import { newId } from "~/utils/ids";

/**
 * Commands on clues (线索移送, ADR 016 and 023): 移送, 签收, 退回, 开始办理, 反馈, 办结, and granting an
 * upper-level 纪委监委 access. Each enforces the clue policy, changes the clue in one transaction
 * with its audit record and its notifications, then publishes the events. Audit summaries and
 * notifications name the 文号 and the units only: never 涉及人员, never the summary or a file name.
 */

export type ClueContext = Pick<CommandContext, "ip" | "events" | "now">;

/** Who is told: the handlers of the units concerned, never anyone else. */
const HANDLERS = [...CLUE_HANDLING_ROLES];

function tell(
  tx: Tx,
  orgIds: readonly string[],
  except: string,
  message: { kind: string; title: string; body: string; link: string },
): Promise<DomainEvent[]> {
  return notifyAudience(tx, { orgIds, roles: HANDLERS, except }, message);
}

/** The unit the actor acts for on this clue (the audit row's org). */
export function actingOrgId(actor: Actor, c: ClueFactsRow): string | null {
  const relation = clueRelation(actor, c);
  if (relation === "sender") return c.fromOrgId;
  if (relation === "receiver") return c.toOrgId;
  if (relation === "granted")
    return (
      c.grantOrgIds.find((id) => actor.memberships.some((m) => m.orgId === id && CLUE_HANDLING_ROLES.has(m.role))) ??
      null
    );
  return null;
}

export function clueAudit(
  tx: Tx,
  user: CurrentUser,
  c: ClueFactsRow,
  entry: { action: AuditAction; summary: string },
  ip: string | null,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: actingOrgId(user.actor, c),
    action: entry.action,
    targetType: "Clue",
    targetId: c.id,
    summary: entry.summary,
    ip,
  });
}

/** A refusal of one field, with its message as the form's too. */
function refuse(fieldErrors: FieldErrors) {
  return invalid(Object.values(fieldErrors)[0]?.[0] ?? "填写的内容有误。", fieldErrors);
}

export interface TransferInput {
  fromOrgId: string;
  toOrgId: string;
  docNumber: string;
  source: ClueSource;
  summary: string;
  involvedUnits: string;
  involvedPersons: string;
  needsFeedback: boolean;
  /** YYYY-MM-DD; null: the default (30 days). */
  feedbackDue: string | null;
  files: readonly UploadedFile[];
}

const kindLabel = (kind: string) => ORG_KIND_LABELS[kind as OrgKind] ?? "该类单位";

/** The two units, active, and the route between their kinds. */
async function checkTransferUnits(input: TransferInput) {
  if (input.fromOrgId === input.toOrgId) throw refuse({ toOrgId: ["不能向本单位移送线索，请选择接收单位"] });
  const orgs = new Map(
    (await listActiveOrganizations(database(), [input.fromOrgId, input.toOrgId])).map((o) => [o.id, o]),
  );
  const from = orgs.get(input.fromOrgId);
  const to = orgs.get(input.toOrgId);
  if (!from) throw refuse({ fromOrgId: ["移送单位不存在或已停用"] });
  if (!to) throw refuse({ toOrgId: ["接收单位不存在或已停用"] });
  const route = clueRouteBetween(from.kind, to.kind);
  if (!route) {
    const allowed = receivingKinds(from.kind).map(kindLabel).join("、");
    throw refuse({
      toOrgId: [`${kindLabel(from.kind)}不能向${kindLabel(to.kind)}移送线索${allowed ? `，可移送至：${allowed}` : ""}`],
    });
  }
  return { from, to, route };
}

/** The deadlines of a transfer on `today`: receipt in five working days, feedback as chosen (or 30 days). */
function transferDeadlines(input: TransferInput, today: string) {
  const receipt = receiptDueDay(today);
  if (!input.needsFeedback) return { receipt, feedback: null };
  const feedback = input.feedbackDue ?? defaultFeedbackDueDay(today);
  if (feedback < receipt)
    throw refuse({ feedbackDue: [`反馈期限不能早于签收期限（${formatDate(endOfChinaDay(receipt))}）`] });
  if (feedback > addDaysIso(today, MAX_FEEDBACK_DAYS))
    throw refuse({ feedbackDue: [`反馈期限不能超过移送之日起 ${MAX_FEEDBACK_DAYS} 日`] });
  return { receipt, feedback };
}

/**
 * 移送线索: a handler of the sending unit sends a clue along the route between the two kinds of unit.
 * 签收期限 five working days; 反馈期限 as chosen when feedback is asked for. The 文号 is unique per
 * sending unit. The receiving unit's handlers are told that a clue arrived — its 文号, nothing of
 * its content.
 */
export async function transferClue(user: CurrentUser, input: TransferInput, ctx: ClueContext): Promise<{ id: string }> {
  enforce(authorizeTransfer(user.actor, input.fromOrgId));
  const { from, to, route } = await checkTransferUnits(input);
  const today = chinaDay(ctx.now);
  const { receipt, feedback } = transferDeadlines(input, today);
  const files = checkUploads(input.files, "files");
  const id = newId();
  const duplicate = refuse({ docNumber: [`${from.name}已使用过移送文号「${input.docNumber}」`] });
  const receiptLabel = formatDate(endOfChinaDay(receipt));
  const events = await transaction(async (tx) => {
    if (await clueDocNumberTaken(tx, from.id, input.docNumber)) return null;
    await createClue(tx, {
      id,
      docNumber: input.docNumber,
      fromOrgId: from.id,
      toOrgId: to.id,
      route,
      source: input.source,
      summary: input.summary,
      involvedUnits: input.involvedUnits,
      involvedPersons: input.involvedPersons,
      transferredAt: ctx.now,
      receiptDueAt: endOfChinaDay(receipt),
      needsFeedback: input.needsFeedback,
      feedbackDueAt: feedback ? endOfChinaDay(feedback) : null,
      createdById: user.id,
      files,
    });
    const feedbackPart = feedback ? `，反馈期限 ${formatDate(endOfChinaDay(feedback))}` : "，无需反馈";
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: from.id,
      action: "clue.transferred",
      targetType: "Clue",
      targetId: id,
      summary: `${from.name}向${to.name}移送线索（${input.docNumber}，${CLUE_ROUTES[route].label}，来源：${CLUE_SOURCE_LABELS[input.source]}），签收期限 ${receiptLabel}${feedbackPart}，移送材料 ${files.length} 份`,
      ip: ctx.ip,
    });
    // Like the notification: the 文号 and the units, nothing of the clue's content (ADR 023).
    await enqueueWebhookEvent(
      tx,
      {
        orgIds: [from.id, to.id],
        event: "clue.transferred",
        dedupeKey: `clue.transferred:${id}`,
        data: {
          clueId: id,
          docNumber: input.docNumber,
          fromOrgId: from.id,
          toOrgId: to.id,
          transferredAt: ctx.now.toISOString(),
          receiptDueAt: endOfChinaDay(receipt).toISOString(),
        },
        now: ctx.now,
      },
      newId,
    );
    return tell(tx, [to.id], user.id, {
      kind: "clue.transferred",
      title: `收到线索移送（${input.docNumber}）`,
      body: `${from.name}移送，请于 ${receiptLabel} 前签收。`,
      link: `/clues/${id}`,
    });
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) return null;
    throw error;
  });
  if (events === null) throw duplicate;
  for (const e of events) ctx.events.publish(e);
  return { id };
}

/** The clue a command acts on: 404 when missing, 403 when the user may not know it. */
export async function requireClue(user: CurrentUser, id: string | undefined): Promise<ClueFactsRow> {
  const facts = isId(id) ? await getClueFacts(database(), id) : null;
  if (!facts) throw notFound("线索不存在。");
  enforce(authorizeClue(user.actor, "read", facts));
  return facts;
}

/** One step of the lifecycle: policy, the guarded change, its audit row and whom it tells. */
async function step(
  user: CurrentUser,
  id: string,
  ctx: ClueContext,
  spec: {
    action: ClueAction;
    change: (tx: Tx, c: ClueFactsRow) => Promise<boolean>;
    audit: (c: ClueFactsRow) => { action: AuditAction; summary: string };
    /** Whom to tell and what; null: nobody (a withdrawn grant). */
    notify: (c: ClueFactsRow) => { orgIds: string[]; kind: string; title: string; body: string } | null;
  },
): Promise<void> {
  const c = await requireClue(user, id);
  enforce(authorizeClue(user.actor, spec.action, c));
  const events = await transaction(async (tx) => {
    if (!(await spec.change(tx, c))) return null;
    await clueAudit(tx, user, c, spec.audit(c), ctx.ip);
    const told = spec.notify(c);
    if (!told) return [];
    const { orgIds, ...message } = told;
    return tell(tx, orgIds, user.id, { ...message, link: `/clues/${c.id}` });
  });
  if (events === null) throw conflict("线索状态已变化，请刷新后重试。");
  for (const e of events) ctx.events.publish(e);
  ctx.events.publish({ type: "clue.changed", clueId: c.id });
}

/** 签收: the receiver acknowledges; the sender sees who signed and when. */
export function receiveClue(user: CurrentUser, id: string, ctx: ClueContext): Promise<void> {
  return step(user, id, ctx, {
    action: "receive",
    change: (tx, c) => markClueReceived(tx, c.id, user.id, ctx.now),
    audit: (c) => ({
      action: "clue.received",
      summary: `${c.toOrgName}签收线索（${c.docNumber}）${ctx.now.getTime() > c.receiptDueAt.getTime() ? "，逾期签收" : ""}`,
    }),
    notify: (c) => ({
      orgIds: [c.fromOrgId],
      kind: "clue.received",
      title: `线索已签收（${c.docNumber}）`,
      body: `${c.toOrgName}已签收。`,
    }),
  });
}

/** 退回: not the receiver's to handle; the reason is kept on the clue (not in the audit summary or the notification). */
export function returnClue(user: CurrentUser, id: string, reason: string, ctx: ClueContext): Promise<void> {
  return step(user, id, ctx, {
    action: "return",
    change: (tx, c) => markClueReturned(tx, c.id, user.id, ctx.now, reason),
    audit: (c) => ({ action: "clue.returned", summary: `${c.toOrgName}退回线索（${c.docNumber}），退回原因见线索页` }),
    notify: (c) => ({
      orgIds: [c.fromOrgId],
      kind: "clue.returned",
      title: `线索被退回（${c.docNumber}）`,
      body: `${c.toOrgName}退回了该线索，请查看退回原因。`,
    }),
  });
}

/** 开始办理. */
export function startHandlingClue(user: CurrentUser, id: string, ctx: ClueContext): Promise<void> {
  return step(user, id, ctx, {
    action: "startHandling",
    change: (tx, c) => markClueHandling(tx, c.id, ctx.now),
    audit: (c) => ({ action: "clue.handling_started", summary: `${c.toOrgName}开始办理线索（${c.docNumber}）` }),
    notify: (c) => ({
      orgIds: [c.fromOrgId],
      kind: "clue.handling_started",
      title: `线索已开始办理（${c.docNumber}）`,
      body: `${c.toOrgName}已开始办理。`,
    }),
  });
}

/** 反馈: the result (立案 / 初核 / 不予立案 / 转办), its text and 反馈材料; only once handling started. */
export async function giveClueFeedback(
  user: CurrentUser,
  id: string,
  input: { outcome: FeedbackOutcome; text: string; files: readonly UploadedFile[] },
  ctx: ClueContext,
): Promise<void> {
  const c = await requireClue(user, id);
  enforce(authorizeClue(user.actor, "feedback", c));
  const files = checkUploads(input.files, "files");
  const late = c.feedbackDueAt !== null && ctx.now.getTime() > c.feedbackDueAt.getTime();
  await step(user, id, ctx, {
    action: "feedback",
    change: (tx) =>
      recordClueFeedback(tx, c.id, { outcome: input.outcome, text: input.text, by: user.id, at: ctx.now, files }),
    audit: () => ({
      action: "clue.feedback_given",
      summary: `${c.toOrgName}反馈线索（${c.docNumber}）办理结果：${FEEDBACK_OUTCOME_LABELS[input.outcome]}${late ? "，逾期反馈" : ""}，反馈材料 ${files.length} 份`,
    }),
    notify: () => ({
      orgIds: [c.fromOrgId],
      kind: "clue.feedback_given",
      title: `线索办理结果已反馈（${c.docNumber}）`,
      body: `${c.toOrgName}已反馈办理结果，请查看。`,
    }),
  });
}

/** 办结: the sender after the feedback, or the receiver of a clue that asked for none. */
export function closeClue(user: CurrentUser, id: string, ctx: ClueContext): Promise<void> {
  // The change is guarded by the status read with the facts: a clue that moved meanwhile is a 409.
  const bySender = (c: ClueFactsRow) => c.status === "FEEDBACK";
  return step(user, id, ctx, {
    action: "close",
    change: (tx, c) => markClueClosed(tx, c.id, c.status, user.id, ctx.now),
    audit: (c) => ({
      action: "clue.closed",
      summary: `${bySender(c) ? c.fromOrgName : c.toOrgName}办结线索（${c.docNumber}）`,
    }),
    notify: (c) => ({
      orgIds: [bySender(c) ? c.toOrgId : c.fromOrgId],
      kind: "clue.closed",
      title: `线索已办结（${c.docNumber}）`,
      body: "该线索已办结。",
    }),
  });
}

/**
 * 授权查阅: a handler of either unit lets an upper-level 纪委监委 read the clue (its COORDINATORs);
 * any other unit is refused. Withdrawn the same way; every request re-checks, so access ends at once.
 */
export async function grantClueAccess(user: CurrentUser, id: string, orgId: string, ctx: ClueContext): Promise<void> {
  const c = await requireClue(user, id);
  enforce(authorizeClue(user.actor, "grant", c));
  const unit = (
    await listGrantCandidates(database(), [...CLUE_GRANTEE_KINDS], [c.fromRegionPath, c.toRegionPath])
  ).find((o) => o.id === orgId);
  if (!unit || !isGrantableUnit({ kind: unit.kind, regionPath: unit.region.path }, c))
    throw refuse({ orgId: ["只能授权移送单位或接收单位的上级纪检监察机关查阅"] });
  const already = conflict(`${unit.name}已获授权查阅该线索。`);
  if (c.grantOrgIds.includes(orgId)) throw already;
  // Two handlers granting at once: the second insert fails on the key.
  await step(user, id, ctx, {
    action: "grant",
    change: (tx) => addClueGrant(tx, c.id, orgId, user.id),
    audit: () => ({ action: "clue.access_granted", summary: `授权${unit.name}查阅线索（${c.docNumber}）` }),
    notify: () => ({
      orgIds: [orgId],
      kind: "clue.access_granted",
      title: `获授权查阅线索（${c.docNumber}）`,
      body: `${c.fromOrgName}移送${c.toOrgName}的线索，已授权本单位查阅。`,
    }),
  }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? already : error;
  });
}

/** 撤销授权. */
export async function revokeClueAccess(user: CurrentUser, id: string, orgId: string, ctx: ClueContext): Promise<void> {
  const c = await requireClue(user, id);
  enforce(authorizeClue(user.actor, "grant", c));
  if (!c.grantOrgIds.includes(orgId)) throw refuse({ orgId: ["该单位没有查阅授权"] });
  const name = (await getOrganizationNames(database(), [orgId])).get(orgId) ?? "该单位";
  await step(user, id, ctx, {
    action: "grant",
    change: (tx) => removeClueGrant(tx, c.id, orgId),
    audit: () => ({ action: "clue.access_revoked", summary: `撤销${name}对线索（${c.docNumber}）的查阅授权` }),
    notify: () => null,
  });
}
