import { isId } from "~/domain/ids";
import { transaction, database, type Tx } from "~/models/unit-of-work.server";
import { checkMentions, mentionCandidatesOf, notifyMentioned, type MentionInput } from "~/services/mentions.server";
import { endOfChinaDay, formatDate } from "~/domain/dates";
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import type { DomainEvent } from "~/domain/events";
import {
  ITEM_KIND_LABELS,
  ITEM_STATUS_LABELS,
  supervisingOrgIds,
  workingOrgIds,
  type ItemKind,
  type ItemStatus,
} from "~/domain/tracked-item";
import { getReportAttachment, type AttachmentFile } from "~/models/attachment.server";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { getFinalVersionId } from "~/models/document.server";
import {
  createExtensionRequest,
  decidePendingExtension,
  getExtensionRequest,
  hasPendingExtension,
} from "~/models/extension-request.server";
import { getOrganizationNames } from "~/models/organization.server";
import { createProgressReport, hasRecentSameReport } from "~/models/progress-report.server";
import {
  getItemFacts,
  moveItemStatus,
  recordItemProgress,
  releaseItem,
  setItemDueDate,
} from "~/models/tracked-item.server";
import { enforce } from "~/policies/decision";
import { authorizeItem, canReadItem, releaseConfirmingOrgIds, TRANSITION_VERBS } from "~/policies/tracked-item";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { decideInRound, latestRound, openRound, roundRefusal } from "~/services/countersign.server";
import { notifyAudience } from "~/services/notify.server";
import { checkUpload, MAX_ATTACHMENTS, type UploadedFile } from "~/services/uploads.server";

/**
 * Commands on tracked items (ADR 016): 报送进展, 延期, 销号 / 退回 / 重新打开 and 解除挂牌. Each loads the
 * item, enforces the item policy, changes it in one transaction with its audit record and
 * notifications, then publishes the events. Refusals are thrown as domain errors.
 */

export type ItemContext = Pick<CommandContext, "ip" | "events" | "now">;

type Facts = NonNullable<Awaited<ReturnType<typeof getItemFacts>>>;

/** Roles told about the work on an item (its orgs' working members). */
const WORKING_ROLES = ["COORDINATOR", "DRAFTER", "LIAISON"] as const;

/**
 * An item the user may see, for its pages: 404 for an id that cannot be one, a missing or removed
 * item; 403 when the user's orgs have nothing to do with it.
 */
export async function requireReadableItem(user: CurrentUser, itemId: string | undefined): Promise<Facts> {
  if (!isId(itemId)) throw notFound("事项不存在。");
  const facts = await getItemFacts(database(), itemId);
  if (!facts || facts.status === "REMOVED") throw notFound("事项不存在或已从纪要中删除。");
  enforce(authorizeItem(user.actor, "read", facts));
  return facts;
}

/** An attachment of a progress report, for whoever may read the item. */
export async function readItemAttachment(
  user: CurrentUser,
  itemId: string | undefined,
  attachmentId: string | undefined,
): Promise<AttachmentFile> {
  if (!isId(itemId) || !isId(attachmentId)) throw notFound("附件不存在。");
  const db = database();
  const facts = await getItemFacts(db, itemId!);
  if (!facts) throw notFound("附件不存在。");
  if (!canReadItem(user.actor, facts)) throw forbidden("您无权查看该附件。");
  const file = await getReportAttachment(db, facts.id, attachmentId!);
  if (!file) throw notFound("附件不存在。");
  return file;
}

/** The item a command acts on: the same answer (404) whether it is missing or not the user's to see. */
async function loadItem(user: CurrentUser, itemId: string): Promise<Facts> {
  const item = await getItemFacts(database(), itemId);
  if (!item || !canReadItem(user.actor, item)) throw notFound("事项不存在或您无权查看。");
  return item;
}

function audit(
  tx: Tx,
  user: CurrentUser,
  item: Facts,
  entry: { action: AuditAction; summary: string; orgId?: string | null },
  ip: string | null,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: entry.orgId === undefined ? item.ownerOrgId : entry.orgId,
    action: entry.action,
    targetType: "TrackedItem",
    targetId: item.id,
    summary: entry.summary,
    ip,
  });
}

function excerpt(item: Facts): string {
  const wording = item.wording.length > 30 ? `${item.wording.slice(0, 30)}…` : item.wording;
  return `${ITEM_KIND_LABELS[item.kind as ItemKind] ?? "事项"}${item.number}「${wording}」`;
}

/** Tells an item's audience about it (a notification linking to the item), except the actor. */
function notifyAboutItem(
  tx: Tx,
  user: CurrentUser,
  item: Facts,
  audience: { orgIds: readonly string[]; roles: readonly string[]; userIds?: readonly string[] },
  message: { kind: string; title: string; body: string | null },
): Promise<DomainEvent[]> {
  return notifyAudience(tx, { ...audience, except: user.id }, { ...message, link: `/items/${item.id}` });
}

function publishAll(ctx: ItemContext, item: Facts, status: string, dueDate: Date | null, notifications: DomainEvent[]) {
  for (const e of notifications) ctx.events.publish(e);
  ctx.events.publish({
    type: "item.status_changed",
    documentId: item.sourceDocumentId,
    itemId: item.id,
    status,
    dueDate: dueDate ? dueDate.toISOString() : null,
  });
}

const CHANGED_MEANWHILE = "事项状态已被他人更改，请刷新后重试。";

/** A second identical report by the same person within this time is the same submission. */
const DUPLICATE_REPORT_MS = 60_000;

/** Who may be @mentioned in an item's progress: the people and units of its convening and working orgs. */
export function itemMentionCandidates(item: { ownerOrgId: string; orgs: ReadonlyArray<{ orgId: string }> }) {
  return mentionCandidatesOf([...new Set([item.ownerOrgId, ...item.orgs.map((o) => o.orgId)])]);
}

/** 报送进展: an owner org's report (text, attachments, optional new status 推进中 / 已完成待销号). */
export async function reportProgress(
  user: CurrentUser,
  itemId: string,
  input: { text: string; newStatus: "IN_PROGRESS" | "DONE" | null; files: UploadedFile[]; mentions?: MentionInput },
  ctx: ItemContext,
): Promise<void> {
  const item = await loadItem(user, itemId);
  enforce(authorizeItem(user.actor, "reportProgress", item));
  const mentions = await checkMentions(
    input.mentions ?? { userIds: [], orgIds: [] },
    () => itemMentionCandidates(item),
    "被提及的人员或单位不是本事项的相关单位。",
  );
  if (input.files.length > MAX_ATTACHMENTS) throw invalid(`每次最多上传 ${MAX_ATTACHMENTS} 个附件。`);
  const files = input.files.map((f) => checkUpload(f, "files"));
  const working = workingOrgIds(item);
  const myOrg = user.actor.memberships.find((m) => working.includes(m.orgId))!.orgId;
  const newStatus = input.newStatus && input.newStatus !== item.status ? input.newStatus : null;
  const events = await transaction(async (tx) => {
    // The item's row first: concurrent reports on one item queue here (a row lock on PostgreSQL;
    // SQLite runs one write transaction at a time), so the check below sees the other's report.
    await recordItemProgress(tx, item.id, ctx.now, input.text);
    // The same report from the same person within a minute is a double submission: stored once.
    const since = new Date(ctx.now.getTime() - DUPLICATE_REPORT_MS);
    if (await hasRecentSameReport(tx, { itemId: item.id, authorId: user.id, text: input.text, since })) return [];
    // The status moves only from what it was when read (a concurrent 销号 wins); nothing is kept then.
    if (newStatus && !(await moveItemStatus(tx, item.id, item.status, newStatus))) throw conflict(CHANGED_MEANWHILE);
    await createProgressReport(tx, {
      itemId: item.id,
      orgId: myOrg,
      authorId: user.id,
      text: input.text,
      newStatus,
      files,
    });
    const orgName = (await getOrganizationNames(tx, [myOrg])).get(myOrg) ?? "";
    const statusNote = newStatus ? `，状态改为「${ITEM_STATUS_LABELS[newStatus]}」` : "";
    const filesNote = files.length ? `，附件 ${files.length} 个` : "";
    await audit(
      tx,
      user,
      item,
      {
        action: "item.progress_reported",
        summary: `${orgName}报送${excerpt(item)}进展${statusNote}${filesNote}`,
        orgId: myOrg,
      },
      ctx.ip,
    );
    const mentioned = await notifyMentioned(tx, {
      mentions,
      authorId: user.id,
      notification: {
        kind: "item.mention",
        title: `${user.displayName}（${orgName}）在${excerpt(item)}的进展中提到了您`,
        body: input.text,
        link: `/items/${item.id}`,
      },
    });
    if (newStatus !== "DONE") return mentioned;
    return [
      ...mentioned,
      ...(await notifyAboutItem(
        tx,
        user,
        item,
        { orgIds: [item.ownerOrgId], roles: ["COORDINATOR"] },
        { kind: "item.done", title: `待销号：${excerpt(item)}`, body: `${orgName}报告已完成，请审核销号。` },
      )),
    ];
  });
  publishAll(ctx, item, newStatus ?? item.status, item.dueDate, events);
}

/** 申请延期: the lead org, before the due date, asks for a later one. */
export async function requestExtension(
  user: CurrentUser,
  itemId: string,
  input: { reason: string; newDate: string },
  ctx: ItemContext,
): Promise<void> {
  const item = await loadItem(user, itemId);
  enforce(authorizeItem(user.actor, "requestExtension", item, ctx.now));
  const requested = endOfChinaDay(input.newDate);
  if (Number.isNaN(requested.getTime())) throw invalid("延期后的日期无效。");
  const due = item.dueDate!;
  if (requested <= due) throw invalid(`延期后的日期必须晚于当前完成时限（${formatDate(due)}）。`);
  const events = await transaction(async (tx) => {
    if (await hasPendingExtension(tx, item.id)) return null;
    await createExtensionRequest(tx, {
      itemId: item.id,
      orgId: item.leadOrgId!,
      requestedById: user.id,
      reason: input.reason,
      currentDue: due,
      requestedDue: requested,
    });
    await audit(
      tx,
      user,
      item,
      {
        action: "item.extension_requested",
        summary: `申请将${excerpt(item)}的完成时限由 ${formatDate(due)} 延至 ${formatDate(requested)}：${input.reason}`,
        orgId: item.leadOrgId,
      },
      ctx.ip,
    );
    return notifyAboutItem(
      tx,
      user,
      item,
      { orgIds: [item.ownerOrgId], roles: ["COORDINATOR"] },
      {
        kind: "item.extension_requested",
        title: `延期申请：${excerpt(item)}`,
        body: `申请延至 ${formatDate(requested)}：${input.reason}`,
      },
    );
  });
  if (events === null) throw conflict("已有待审批的延期申请。");
  for (const e of events) ctx.events.publish(e);
}

/** 审批延期: the convening org approves (the due date moves, reminder stages restart) or refuses. */
export async function decideExtension(
  user: CurrentUser,
  itemId: string,
  input: { requestId: string; approve: boolean; comment: string | null },
  ctx: ItemContext,
): Promise<void> {
  const item = await loadItem(user, itemId);
  enforce(authorizeItem(user.actor, "decideExtension", item));
  if (!input.approve && !input.comment) throw invalid("不同意延期时请填写理由。");
  const verdict = input.approve ? "同意" : "不同意";
  const result = await transaction(async (tx) => {
    const request = await getExtensionRequest(tx, item.id, input.requestId);
    if (!request) throw notFound("延期申请不存在。");
    if (!(await decidePendingExtension(tx, request.id, { ...input, userId: user.id, now: ctx.now })))
      throw conflict("该延期申请已处理。");
    if (input.approve) await setItemDueDate(tx, item.id, request.requestedDue);
    const to = formatDate(request.requestedDue);
    await audit(
      tx,
      user,
      item,
      {
        action: input.approve ? "item.extension_approved" : "item.extension_refused",
        summary: `${verdict}${excerpt(item)}延期至 ${to}${input.comment ? `：${input.comment}` : ""}`,
      },
      ctx.ip,
    );
    const events = await notifyAboutItem(
      tx,
      user,
      item,
      { orgIds: item.leadOrgId ? [item.leadOrgId] : [], roles: WORKING_ROLES, userIds: [request.requestedById] },
      {
        kind: "item.extension_decided",
        title: `${input.approve ? "延期已同意" : "延期未同意"}：${excerpt(item)}`,
        body: input.approve ? `完成时限调整为 ${to}` : input.comment,
      },
    );
    return { events, dueDate: input.approve ? request.requestedDue : item.dueDate };
  });
  publishAll(ctx, item, item.status, result.dueDate, result.events);
}

export type Transition = keyof typeof TRANSITION_VERBS;

const TRANSITIONS: Record<
  Transition,
  { from: ItemStatus; to: ItemStatus; action: "item.closed" | "item.sent_back" | "item.reopened" }
> = {
  close: { from: "DONE", to: "CLOSED", action: "item.closed" },
  sendBack: { from: "DONE", to: "IN_PROGRESS", action: "item.sent_back" },
  reopen: { from: "CLOSED", to: "IN_PROGRESS", action: "item.reopened" },
};

/** 销号 / 退回 / 重新打开: the convening org's COORDINATOR moves a completed or closed item. */
export async function transitionItem(
  user: CurrentUser,
  itemId: string,
  transition: Transition,
  comment: string | null,
  ctx: ItemContext,
): Promise<void> {
  const t = TRANSITIONS[transition];
  const verb = TRANSITION_VERBS[transition];
  const item = await loadItem(user, itemId);
  enforce(authorizeItem(user.actor, transition, item));
  if (transition !== "close" && !comment) throw invalid(`${verb}时请填写理由。`);
  const events = await transaction(async (tx) => {
    if (!(await moveItemStatus(tx, item.id, t.from, t.to, t.to === "CLOSED" ? ctx.now : null))) return null;
    await audit(
      tx,
      user,
      item,
      { action: t.action, summary: `${verb}${excerpt(item)}${comment ? `：${comment}` : ""}` },
      ctx.ip,
    );
    return notifyAboutItem(
      tx,
      user,
      item,
      { orgIds: item.orgs.map((o) => o.orgId), roles: WORKING_ROLES },
      { kind: `item.${transition}`, title: `${verb}：${excerpt(item)}`, body: comment },
    );
  });
  if (events === null) throw conflict(CHANGED_MEANWHILE);
  publishAll(ctx, item, t.to, item.dueDate, events);
}

/**
 * 申请解除挂牌: a 督办单位's coordinator asks to release a case its 承办单位 reported done. Every 督办单位
 * confirms through a countersign round on the case (ADR 010); the requesting org's confirmation is
 * recorded at once, so a case with one 督办单位 is released immediately.
 */
export async function requestRelease(
  user: CurrentUser,
  itemId: string,
  comment: string | null,
  ctx: ItemContext,
): Promise<void> {
  const item = await loadItem(user, itemId);
  if (item.kind !== "SUPERVISED_CASE") throw invalid("只有挂牌督办案件需要解除挂牌。");
  enforce(authorizeItem(user.actor, "requestRelease", item));
  const myOrg = releaseConfirmingOrgIds(user.actor, item)[0]!;
  const signers = supervisingOrgIds(item);
  const outcome = await transaction(async (tx) => {
    const open = await latestRound(tx, item.sourceDocumentId, item.id);
    if (open.rows.some((r) => r.decision === "PENDING")) return null;
    const versionId = await getFinalVersionId(tx, item.sourceDocumentId);
    if (!versionId) return null;
    const round = await openRound(tx, {
      documentId: item.sourceDocumentId,
      subject: item.id,
      versionId,
      orgIds: signers,
      approvedBy: { orgId: myOrg, userId: user.id },
    });
    const myName = (await getOrganizationNames(tx, [myOrg])).get(myOrg) ?? "";
    const note = comment ? `：${comment}` : "";
    await audit(
      tx,
      user,
      item,
      {
        action: "item.release_requested",
        summary: `${myName}申请解除挂牌${excerpt(item)}（第${round}轮，督办单位 ${signers.length} 个）${note}`,
        orgId: myOrg,
      },
      ctx.ip,
    );
    if (signers.length === 1) return { released: true, events: await releaseTx(tx, user, item, ctx) };
    const events = await notifyAboutItem(
      tx,
      user,
      item,
      { orgIds: signers.filter((id) => id !== myOrg), roles: ["COORDINATOR", "ADMIN"] },
      {
        kind: "item.release_requested",
        title: `待确认解除挂牌：${excerpt(item)}`,
        body: `${myName}申请解除挂牌${note}`,
      },
    );
    return { released: false, events };
  });
  if (outcome === null) throw conflict("该案件已有进行中的解除挂牌确认。");
  publishAll(ctx, item, outcome.released ? "CLOSED" : item.status, item.dueDate, outcome.events);
}

/** 确认 / 退回 解除挂牌: each 督办单位 once; the last confirmation releases the case, a return sends it back to the 承办单位. */
export async function decideRelease(
  user: CurrentUser,
  itemId: string,
  input: { approve: boolean; comment: string | null },
  ctx: ItemContext,
): Promise<void> {
  const item = await loadItem(user, itemId);
  enforce(authorizeItem(user.actor, "decideRelease", item));
  if (!input.approve && !input.comment) throw invalid("退回时请填写理由。");
  const outcome = await transaction(async (tx) => {
    const decided = await decideInRound(tx, {
      documentId: item.sourceDocumentId,
      subject: item.id,
      myOrgIds: releaseConfirmingOrgIds(user.actor, item),
      decision: input.approve ? "APPROVED" : "RETURNED",
      comment: input.comment,
      userId: user.id,
    });
    if (decided.kind === "not_open" || decided.kind === "not_listed" || decided.kind === "already_decided")
      throw roundRefusal(decided.kind, "本轮解除挂牌确认");
    const orgName = (await getOrganizationNames(tx, [decided.orgId])).get(decided.orgId) ?? "";
    if (decided.kind === "returned") {
      const events = await returnRelease(
        tx,
        user,
        item,
        { orgId: decided.orgId, orgName, comment: input.comment },
        ctx,
      );
      return { status: "IN_PROGRESS", events };
    }
    const note = input.comment ? `：${input.comment}` : "";
    await audit(
      tx,
      user,
      item,
      {
        action: "item.release_confirmed",
        summary: `${orgName}确认解除挂牌${excerpt(item)}${note}`,
        orgId: decided.orgId,
      },
      ctx.ip,
    );
    if (decided.kind === "approved") return { status: item.status, events: [] };
    return { status: "CLOSED", events: await releaseTx(tx, user, item, ctx) };
  });
  publishAll(ctx, item, outcome.status, item.dueDate, outcome.events);
}

/** A 督办单位 returned the release: the case goes back to its 承办单位 and its orgs are told why. */
async function returnRelease(
  tx: Tx,
  user: CurrentUser,
  item: Facts,
  by: { orgId: string; orgName: string; comment: string | null },
  ctx: ItemContext,
): Promise<DomainEvent[]> {
  const { orgId, orgName, comment } = by;
  await moveItemStatus(tx, item.id, "DONE", "IN_PROGRESS");
  await audit(
    tx,
    user,
    item,
    {
      action: "item.release_returned",
      summary: `${orgName}不同意解除挂牌${excerpt(item)}，退回继续办理：${comment}`,
      orgId,
    },
    ctx.ip,
  );
  return notifyAboutItem(
    tx,
    user,
    item,
    { orgIds: item.orgs.map((o) => o.orgId), roles: WORKING_ROLES },
    { kind: "item.release_returned", title: `解除挂牌被退回：${excerpt(item)}`, body: `${orgName}：${comment}` },
  );
}

/** Every 督办单位 confirmed: the case is released (CLOSED) and its orgs are told. */
async function releaseTx(tx: Tx, user: CurrentUser, item: Facts, ctx: ItemContext): Promise<DomainEvent[]> {
  await releaseItem(tx, item.id, ctx.now);
  await audit(
    tx,
    user,
    item,
    { action: "item.released", summary: `全部督办单位确认，${excerpt(item)}解除挂牌` },
    ctx.ip,
  );
  return notifyAboutItem(
    tx,
    user,
    item,
    { orgIds: item.orgs.map((o) => o.orgId), roles: [...WORKING_ROLES, "ADMIN"] },
    { kind: "item.released", title: `已解除挂牌：${excerpt(item)}`, body: null },
  );
}
