import { createHash } from "node:crypto";
import { decideInRound, latestRound, openRound, roundRefusal } from "~/services/countersign.server";
import { getDb, type Tx } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { createNotification } from "~/models/notification.server";
import { getItemFacts } from "~/models/tracked-item.server";
import {
  canClose,
  canDecideExtension,
  canReadItem,
  canReopen,
  canReportProgress,
  canRequestExtension,
  canRequestRelease,
  releaseConfirmingOrgIds,
} from "~/policies/tracked-item";
import {
  extensionCutoff,
  ITEM_KIND_LABELS,
  ITEM_STATUS_LABELS,
  OPEN_STATUSES,
  supervisingOrgIds,
  workingOrgIds,
  type ItemKind,
  type ItemStatus,
} from "~/domain/tracked-item";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { DomainEvent, EventBus } from "~/domain/events";
import { endOfChinaDay, formatDate } from "~/domain/dates";
import { newId } from "~/utils/ids";

export interface ItemContext {
  ip: string | null;
  events: EventBus;
  now?: Date;
}

export type ItemResult = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; message: string };

/** An uploaded file, already read into memory by the route (size-limited while parsing). */
export interface UploadedFile {
  name: string;
  type: string;
  data: Uint8Array;
}

export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

/** Allowed attachment types: extension → (MIME, magic-number check). */
const ALLOWED: Record<string, { mime: string; magic: (b: Uint8Array) => boolean }> = {
  pdf: { mime: "application/pdf", magic: (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 },
  png: { mime: "image/png", magic: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  jpg: { mime: "image/jpeg", magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  jpeg: { mime: "image/jpeg", magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  docx: {
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    magic: (b) => b[0] === 0x50 && b[1] === 0x4b,
  },
  xlsx: {
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    magic: (b) => b[0] === 0x50 && b[1] === 0x4b,
  },
  ofd: { mime: "application/ofd", magic: (b) => b[0] === 0x50 && b[1] === 0x4b },
  doc: { mime: "application/msword", magic: (b) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0 },
  xls: {
    mime: "application/vnd.ms-excel",
    magic: (b) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0,
  },
};
export const ALLOWED_ATTACHMENT_EXTENSIONS = Object.keys(ALLOWED);

/**
 * Characters a file name never needs and that make it lie: C0/C1 controls, and the bidirectional
 * controls (U+200E/U+200F marks, U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates,
 * U+061C) with which "报告\u202Efdp.doc" displays as "报告cod.pdf".
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const UNSAFE_NAME_CHAR = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/;

/** A file name safe to store and to send back: no path, no control or bidi characters, bounded length. */
export function safeFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const cleaned = [...base]
    .filter((c) => !UNSAFE_NAME_CHAR.test(c))
    .join("")
    .replace(/^\.+/, "")
    .trim();
  return (cleaned || "附件").slice(-100);
}

/** Checks an attachment's type (by extension and content) and size; a Chinese message when refused. */
export function checkAttachment(
  file: UploadedFile,
): { ok: true; name: string; mime: string } | { ok: false; message: string } {
  const name = safeFileName(file.name);
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  const rule = ALLOWED[ext];
  if (!rule)
    return { ok: false, message: `附件「${name}」的类型不允许，仅支持 ${ALLOWED_ATTACHMENT_EXTENSIONS.join("、")}。` };
  if (file.data.byteLength === 0) return { ok: false, message: `附件「${name}」是空文件。` };
  if (file.data.byteLength > MAX_ATTACHMENT_BYTES)
    return { ok: false, message: `附件「${name}」超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB。` };
  if (!rule.magic(file.data)) return { ok: false, message: `附件「${name}」的内容与扩展名不符。` };
  return { ok: true, name, mime: rule.mime };
}

async function loadFacts(id: string) {
  return getItemFacts(getDb(), id);
}

type Facts = NonNullable<Awaited<ReturnType<typeof loadFacts>>>;

function audit(
  tx: Tx,
  user: CurrentUser,
  item: Facts,
  action: Parameters<typeof recordAudit>[1]["action"],
  summary: string,
  ip: string | null,
  orgId: string | null = item.ownerOrgId,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId,
    action,
    targetType: "TrackedItem",
    targetId: item.id,
    summary,
    ip,
  });
}

/** Users of `orgIds` with one of `roles`, except `exceptUserId`. */
async function recipients(tx: Tx, orgIds: string[], roles: string[], exceptUserId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({
    where: { orgId: { in: orgIds }, role: { in: roles }, user: { active: true } },
    select: { userId: true },
  });
  return [...new Set(rows.map((r) => r.userId))].filter((id) => id !== exceptUserId);
}

function excerpt(item: Facts): string {
  return `${ITEM_KIND_LABELS[item.kind as ItemKind] ?? "事项"}${item.number}「${item.wording.length > 30 ? `${item.wording.slice(0, 30)}…` : item.wording}」`;
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

/** 报送进展: an owner org's report (text, attachments, optional new status 推进中 / 已完成待销号). */
export async function reportProgress(
  user: CurrentUser,
  itemId: string,
  input: { text: string; newStatus: "IN_PROGRESS" | "DONE" | null; files: UploadedFile[] },
  ctx: ItemContext,
): Promise<ItemResult> {
  const item = await loadFacts(itemId);
  if (!item || !canReadItem(user.actor, item)) return { ok: false, status: 404, message: "事项不存在或您无权查看。" };
  if (!canReportProgress(user.actor, item)) {
    return item.status === "CLOSED"
      ? { ok: false, status: 409, message: "该事项已销号，不能再报送进展。如需继续，请由召集单位重新打开。" }
      : item.status === "DRAFT"
        ? { ok: false, status: 409, message: "纪要定稿后事项才开始跟踪，目前不能报送进展。" }
        : { ok: false, status: 403, message: "只有牵头单位和配合单位可以报送进展。" };
  }
  if (input.files.length > MAX_ATTACHMENTS)
    return { ok: false, status: 400, message: `每次最多上传 ${MAX_ATTACHMENTS} 个附件。` };
  const files: Array<{ name: string; mime: string; data: Uint8Array }> = [];
  for (const f of input.files) {
    const checked = checkAttachment(f);
    if (!checked.ok) return { ok: false, status: 400, message: checked.message };
    files.push({ ...checked, data: f.data });
  }
  const working = workingOrgIds(item);
  const myOrg = user.actor.memberships.find((m) => working.includes(m.orgId))!.orgId;
  const newStatus = input.newStatus && input.newStatus !== item.status ? input.newStatus : null;
  const db = getDb();
  const now = ctx.now ?? new Date();
  const outcome = await db.$transaction(async (tx) => {
    // The status moves only from what it was when read (a concurrent 销号 wins).
    if (newStatus) {
      const moved = await tx.trackedItem.updateMany({
        where: { id: item.id, status: item.status },
        data: { status: newStatus },
      });
      if (moved.count === 0) return null;
    }
    const reportId = newId();
    await tx.progressReport.create({
      data: {
        id: reportId,
        itemId: item.id,
        orgId: myOrg,
        authorId: user.id,
        text: input.text,
        newStatus,
        attachments: {
          create: files.map((f) => ({
            id: newId(),
            fileName: f.name,
            mimeType: f.mime,
            size: f.data.byteLength,
            sha256: createHash("sha256").update(f.data).digest("hex"),
            data: new Uint8Array(f.data),
          })),
        },
      },
    });
    await tx.trackedItem.update({
      where: { id: item.id },
      data: { lastProgressAt: now, lastProgressText: input.text.slice(0, 500) },
    });
    const org = await tx.organization.findUnique({ where: { id: myOrg }, select: { name: true } });
    await audit(
      tx,
      user,
      item,
      "item.progress_reported",
      `${org?.name ?? ""}报送${excerpt(item)}进展${newStatus ? `，状态改为「${ITEM_STATUS_LABELS[newStatus]}」` : ""}${files.length ? `，附件 ${files.length} 个` : ""}`,
      ctx.ip,
      myOrg,
    );
    const events: DomainEvent[] = [];
    if (newStatus === "DONE") {
      for (const userId of await recipients(tx, [item.ownerOrgId], ["COORDINATOR"], user.id)) {
        events.push(
          await createNotification(tx, {
            userId,
            kind: "item.done",
            title: `待销号：${excerpt(item)}`,
            body: `${org?.name ?? ""}报告已完成，请审核销号。`,
            link: `/items/${item.id}`,
          }),
        );
      }
    }
    return events;
  });
  if (outcome === null) return { ok: false, status: 409, message: "事项状态已被他人更改，请刷新后重试。" };
  publishAll(ctx, item, newStatus ?? item.status, item.dueDate, outcome);
  return { ok: true };
}

/** 申请延期: the lead org, before the due date, asks for a later one. */
export async function requestExtension(
  user: CurrentUser,
  itemId: string,
  input: { reason: string; newDate: string },
  ctx: ItemContext,
): Promise<ItemResult> {
  const item = await loadFacts(itemId);
  const now = ctx.now ?? new Date();
  if (!item || !canReadItem(user.actor, item)) return { ok: false, status: 404, message: "事项不存在或您无权查看。" };
  if (!canRequestExtension(user.actor, item, now)) {
    if (item.dueDate && now > item.dueDate)
      return { ok: false, status: 409, message: "已超过完成时限，不能再申请延期。" };
    const cutoff = extensionCutoff(item);
    if (cutoff && now > cutoff && OPEN_STATUSES.has(item.status)) {
      return {
        ok: false,
        status: 409,
        message: `挂牌督办案件须在督办期限届满一个月前申请延期：本案督办期限为 ${formatDate(item.dueDate!)}，最迟应于 ${formatDate(cutoff)} 前申请，现已不能申请。`,
      };
    }
    return { ok: false, status: 403, message: "只有牵头单位可以在完成时限前申请延期。" };
  }
  const requested = endOfChinaDay(input.newDate);
  if (Number.isNaN(requested.getTime())) return { ok: false, status: 400, message: "延期后的日期无效。" };
  if (requested <= item.dueDate!)
    return { ok: false, status: 400, message: `延期后的日期必须晚于当前完成时限（${formatDate(item.dueDate!)}）。` };
  const db = getDb();
  const result = await db.$transaction(async (tx) => {
    const pending = await tx.extensionRequest.count({ where: { itemId: item.id, status: "PENDING" } });
    if (pending > 0) return null;
    await tx.extensionRequest.create({
      data: {
        id: newId(),
        itemId: item.id,
        orgId: item.leadOrgId!,
        requestedById: user.id,
        reason: input.reason,
        currentDue: item.dueDate!,
        requestedDue: requested,
      },
    });
    await audit(
      tx,
      user,
      item,
      "item.extension_requested",
      `申请将${excerpt(item)}的完成时限由 ${formatDate(item.dueDate!)} 延至 ${formatDate(requested)}：${input.reason}`,
      ctx.ip,
      item.leadOrgId,
    );
    const events: DomainEvent[] = [];
    for (const userId of await recipients(tx, [item.ownerOrgId], ["COORDINATOR"], user.id)) {
      events.push(
        await createNotification(tx, {
          userId,
          kind: "item.extension_requested",
          title: `延期申请：${excerpt(item)}`,
          body: `申请延至 ${formatDate(requested)}：${input.reason}`,
          link: `/items/${item.id}`,
        }),
      );
    }
    return events;
  });
  if (result === null) return { ok: false, status: 409, message: "已有待审批的延期申请。" };
  for (const e of result) ctx.events.publish(e);
  return { ok: true };
}

/** 审批延期: the convening org approves (the due date moves, reminder stages restart) or refuses. */
export async function decideExtension(
  user: CurrentUser,
  itemId: string,
  input: { requestId: string; approve: boolean; comment: string | null },
  ctx: ItemContext,
): Promise<ItemResult> {
  const item = await loadFacts(itemId);
  if (!item || !canReadItem(user.actor, item)) return { ok: false, status: 404, message: "事项不存在或您无权查看。" };
  if (!canDecideExtension(user.actor, item))
    return { ok: false, status: 403, message: "只有召集单位的督办协调员可以审批延期。" };
  if (!input.approve && !input.comment) return { ok: false, status: 400, message: "不同意延期时请填写理由。" };
  const db = getDb();
  const result = await db.$transaction(async (tx) => {
    const request = await tx.extensionRequest.findFirst({
      where: { id: input.requestId, itemId: item.id },
      select: { id: true, status: true, requestedDue: true, requestedById: true },
    });
    if (!request) return { error: { status: 404 as const, message: "延期申请不存在。" } };
    const taken = await tx.extensionRequest.updateMany({
      where: { id: request.id, status: "PENDING" },
      data: {
        status: input.approve ? "APPROVED" : "REFUSED",
        decidedById: user.id,
        decidedAt: new Date(),
        decisionComment: input.comment,
      },
    });
    if (taken.count === 0) return { error: { status: 409 as const, message: "该延期申请已处理。" } };
    if (input.approve) await tx.trackedItem.update({ where: { id: item.id }, data: { dueDate: request.requestedDue } });
    await audit(
      tx,
      user,
      item,
      input.approve ? "item.extension_approved" : "item.extension_refused",
      `${input.approve ? "同意" : "不同意"}${excerpt(item)}延期至 ${formatDate(request.requestedDue)}${input.comment ? `：${input.comment}` : ""}`,
      ctx.ip,
    );
    const events: DomainEvent[] = [];
    for (const userId of new Set([
      request.requestedById,
      ...(await recipients(tx, item.leadOrgId ? [item.leadOrgId] : [], ["COORDINATOR", "DRAFTER", "LIAISON"], user.id)),
    ])) {
      if (userId === user.id) continue;
      events.push(
        await createNotification(tx, {
          userId,
          kind: "item.extension_decided",
          title: `${input.approve ? "延期已同意" : "延期未同意"}：${excerpt(item)}`,
          body: input.approve ? `完成时限调整为 ${formatDate(request.requestedDue)}` : (input.comment ?? null),
          link: `/items/${item.id}`,
        }),
      );
    }
    return { events, dueDate: input.approve ? request.requestedDue : item.dueDate };
  });
  if ("error" in result && result.error) return { ok: false, ...result.error };
  const done = result as { events: DomainEvent[]; dueDate: Date | null };
  publishAll(ctx, item, item.status, done.dueDate, done.events);
  return { ok: true };
}

type Transition = "close" | "sendBack" | "reopen";
const TRANSITIONS: Record<
  Transition,
  { from: ItemStatus; to: ItemStatus; action: "item.closed" | "item.sent_back" | "item.reopened"; verb: string }
> = {
  close: { from: "DONE", to: "CLOSED", action: "item.closed", verb: "销号" },
  sendBack: { from: "DONE", to: "IN_PROGRESS", action: "item.sent_back", verb: "退回继续办理" },
  reopen: { from: "CLOSED", to: "IN_PROGRESS", action: "item.reopened", verb: "重新打开" },
};

/** 销号 / 退回 / 重新打开: the convening org's COORDINATOR moves a completed or closed item. */
export async function transitionItem(
  user: CurrentUser,
  itemId: string,
  transition: Transition,
  comment: string | null,
  ctx: ItemContext,
): Promise<ItemResult> {
  const t = TRANSITIONS[transition];
  const item = await loadFacts(itemId);
  if (!item || !canReadItem(user.actor, item)) return { ok: false, status: 404, message: "事项不存在或您无权查看。" };
  const allowed = transition === "reopen" ? canReopen(user.actor, item) : canClose(user.actor, item);
  if (!allowed) {
    if (item.status !== t.from)
      return { ok: false, status: 409, message: `只有「${ITEM_STATUS_LABELS[t.from]}」的事项可以${t.verb}。` };
    return { ok: false, status: 403, message: `只有召集单位的督办协调员可以${t.verb}。` };
  }
  if (transition !== "close" && !comment) return { ok: false, status: 400, message: `${t.verb}时请填写理由。` };
  const db = getDb();
  const now = ctx.now ?? new Date();
  const events = await db.$transaction(async (tx) => {
    const moved = await tx.trackedItem.updateMany({
      where: { id: item.id, status: t.from },
      data: { status: t.to, closedAt: t.to === "CLOSED" ? now : null },
    });
    if (moved.count === 0) return null;
    await audit(tx, user, item, t.action, `${t.verb}${excerpt(item)}${comment ? `：${comment}` : ""}`, ctx.ip);
    const out: DomainEvent[] = [];
    for (const userId of await recipients(
      tx,
      item.orgs.map((o) => o.orgId),
      ["COORDINATOR", "DRAFTER", "LIAISON"],
      user.id,
    )) {
      out.push(
        await createNotification(tx, {
          userId,
          kind: `item.${transition}`,
          title: `${t.verb}：${excerpt(item)}`,
          body: comment,
          link: `/items/${item.id}`,
        }),
      );
    }
    return out;
  });
  if (events === null) return { ok: false, status: 409, message: "事项状态已被他人更改，请刷新后重试。" };
  publishAll(ctx, item, t.to, item.dueDate, events);
  return { ok: true };
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
): Promise<ItemResult> {
  const item = await loadFacts(itemId);
  if (!item || !canReadItem(user.actor, item)) return { ok: false, status: 404, message: "事项不存在或您无权查看。" };
  if (!canRequestRelease(user.actor, item)) {
    if (item.kind !== "SUPERVISED_CASE") return { ok: false, status: 400, message: "只有挂牌督办案件需要解除挂牌。" };
    if (item.status !== "DONE")
      return { ok: false, status: 409, message: "承办单位报告办结（已完成待销号）后，才能申请解除挂牌。" };
    return { ok: false, status: 403, message: "只有督办单位的督办协调员可以申请解除挂牌。" };
  }
  const myOrg = releaseConfirmingOrgIds(user.actor, item)[0]!;
  const signers = supervisingOrgIds(item);
  const db = getDb();
  const now = ctx.now ?? new Date();
  const outcome = await db.$transaction(async (tx) => {
    const open = await latestRound(tx, item.sourceDocumentId, item.id);
    if (open.rows.some((r) => r.decision === "PENDING")) return { kind: "open" as const };
    const doc = await tx.document.findUniqueOrThrow({
      where: { id: item.sourceDocumentId },
      select: { finalVersionId: true },
    });
    if (!doc.finalVersionId) return { kind: "open" as const };
    const round = await openRound(tx, {
      documentId: item.sourceDocumentId,
      subject: item.id,
      versionId: doc.finalVersionId,
      orgIds: signers,
      approvedBy: { orgId: myOrg, userId: user.id },
    });
    const names = await orgNames(tx, signers);
    await audit(
      tx,
      user,
      item,
      "item.release_requested",
      `${names.get(myOrg) ?? ""}申请解除挂牌${excerpt(item)}（第${round}轮，督办单位 ${signers.length} 个）${comment ? `：${comment}` : ""}`,
      ctx.ip,
      myOrg,
    );
    const events: DomainEvent[] = [];
    if (signers.length === 1) {
      events.push(...(await releaseTx(tx, user, item, now, ctx.ip)));
      return { kind: "released" as const, events };
    }
    for (const userId of await recipients(
      tx,
      signers.filter((id) => id !== myOrg),
      ["COORDINATOR", "ADMIN"],
      user.id,
    )) {
      events.push(
        await createNotification(tx, {
          userId,
          kind: "item.release_requested",
          title: `待确认解除挂牌：${excerpt(item)}`,
          body: `${names.get(myOrg) ?? ""}申请解除挂牌${comment ? `：${comment}` : ""}`,
          link: `/items/${item.id}`,
        }),
      );
    }
    return { kind: "requested" as const, events };
  });
  if (outcome.kind === "open") return { ok: false, status: 409, message: "该案件已有进行中的解除挂牌确认。" };
  publishAll(ctx, item, outcome.kind === "released" ? "CLOSED" : item.status, item.dueDate, outcome.events);
  return { ok: true };
}

/** 确认 / 退回 解除挂牌: each 督办单位 once; the last confirmation releases the case, a return sends it back to the 承办单位. */
export async function decideRelease(
  user: CurrentUser,
  itemId: string,
  input: { approve: boolean; comment: string | null },
  ctx: ItemContext,
): Promise<ItemResult> {
  const item = await loadFacts(itemId);
  if (!item || !canReadItem(user.actor, item)) return { ok: false, status: 404, message: "事项不存在或您无权查看。" };
  if (item.kind !== "SUPERVISED_CASE" || item.status !== "DONE")
    return { ok: false, status: 409, message: "该案件当前没有待确认的解除挂牌。" };
  if (!input.approve && !input.comment) return { ok: false, status: 400, message: "退回时请填写理由。" };
  const db = getDb();
  const now = ctx.now ?? new Date();
  const outcome = await db.$transaction(async (tx) => {
    const decided = await decideInRound(tx, {
      documentId: item.sourceDocumentId,
      subject: item.id,
      myOrgIds: releaseConfirmingOrgIds(user.actor, item),
      decision: input.approve ? "APPROVED" : "RETURNED",
      comment: input.comment,
      userId: user.id,
    });
    if (decided.kind === "not_open" || decided.kind === "not_listed" || decided.kind === "already_decided")
      return { kind: "refused" as const, refusal: decided.kind };
    const orgName = (await orgNames(tx, [decided.orgId])).get(decided.orgId) ?? "";
    if (decided.kind === "returned") {
      await tx.trackedItem.updateMany({ where: { id: item.id, status: "DONE" }, data: { status: "IN_PROGRESS" } });
      await audit(
        tx,
        user,
        item,
        "item.release_returned",
        `${orgName}不同意解除挂牌${excerpt(item)}，退回继续办理：${input.comment}`,
        ctx.ip,
        decided.orgId,
      );
      const events: DomainEvent[] = [];
      for (const userId of await recipients(
        tx,
        item.orgs.map((o) => o.orgId),
        ["COORDINATOR", "DRAFTER", "LIAISON"],
        user.id,
      )) {
        events.push(
          await createNotification(tx, {
            userId,
            kind: "item.release_returned",
            title: `解除挂牌被退回：${excerpt(item)}`,
            body: `${orgName}：${input.comment}`,
            link: `/items/${item.id}`,
          }),
        );
      }
      return { kind: "returned" as const, events };
    }
    await audit(
      tx,
      user,
      item,
      "item.release_confirmed",
      `${orgName}确认解除挂牌${excerpt(item)}${input.comment ? `：${input.comment}` : ""}`,
      ctx.ip,
      decided.orgId,
    );
    if (decided.kind === "approved") return { kind: "approved" as const, events: [] };
    return { kind: "released" as const, events: await releaseTx(tx, user, item, now, ctx.ip) };
  });
  if (outcome.kind === "refused") {
    // Until this service speaks the command contract itself (ADR 016).
    const refusal = roundRefusal(outcome.refusal, "本轮解除挂牌确认");
    return { ok: false, status: refusal.status as 403 | 409, message: refusal.message };
  }
  publishAll(
    ctx,
    item,
    outcome.kind === "released" ? "CLOSED" : outcome.kind === "returned" ? "IN_PROGRESS" : item.status,
    item.dueDate,
    outcome.events,
  );
  return { ok: true };
}

/** Every 督办单位 confirmed: the case is released (CLOSED) and its orgs are told. */
async function releaseTx(tx: Tx, user: CurrentUser, item: Facts, now: Date, ip: string | null): Promise<DomainEvent[]> {
  await tx.trackedItem.update({ where: { id: item.id }, data: { status: "CLOSED", closedAt: now } });
  await audit(tx, user, item, "item.released", `全部督办单位确认，${excerpt(item)}解除挂牌`, ip);
  const events: DomainEvent[] = [];
  for (const userId of await recipients(
    tx,
    item.orgs.map((o) => o.orgId),
    ["COORDINATOR", "DRAFTER", "LIAISON", "ADMIN"],
    user.id,
  )) {
    events.push(
      await createNotification(tx, {
        userId,
        kind: "item.released",
        title: `已解除挂牌：${excerpt(item)}`,
        body: null,
        link: `/items/${item.id}`,
      }),
    );
  }
  return events;
}

async function orgNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  return new Map(
    (await tx.organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((o) => [
      o.id,
      o.name,
    ]),
  );
}
