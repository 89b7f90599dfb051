import { createHash } from "node:crypto";
import { getDb, isUniqueViolation, type Tx } from "~/db.server";
import type { CollabControls } from "~/load-context";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { saveVersionTx } from "~/models/document-version.server";
import { readStoredContent } from "~/services/document-content.server";
import { createNotification } from "~/models/notification.server";
import { findRegionJusticeBureau, getRecommendationFacts, listPlanMeasures } from "~/models/recommendation.server";
import {
  canAttachOriginal,
  canChangeReplyDue,
  canCloseRecommendation,
  canCreatePlan,
  canPrepareReply,
  canReadRecommendation,
  canRegisterRecommendation,
  canSendReply,
  isRecipientDrafter,
} from "~/policies/recommendation";
import {
  defaultReplyDue,
  ISSUER_KINDS,
  RECOMMENDATION_KIND_LABELS,
  type RecommendationKind,
} from "~/domain/recommendation";
import { ITEM_STATUS_LABELS, type ItemStatus } from "~/domain/tracked-item";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { createDocumentTx } from "~/services/create-document.server";
import { planTemplate, replyTemplate } from "~/services/document-templates";
import type { DomainEvent, EventBus } from "~/domain/events";
import { checkAttachment, type UploadedFile } from "~/services/tracked-items.server";
import { chinaDay, endOfChinaDay, formatDate, startOfChinaDay } from "~/domain/dates";
import { ORG_KIND_LABELS } from "~/domain/organization";
import { newId } from "~/utils/ids";

export interface RecommendationContext {
  ip: string | null;
  events: EventBus;
  collab?: Pick<CollabControls, "storeDocument">;
  now?: Date;
}

export type RecommendationResult<T = object> =
  | ({ ok: true } & T)
  | { ok: false; status: 400 | 403 | 404 | 409; message: string; fieldErrors?: Record<string, string[]> };

const MAX_ORIGINALS = 5;

export interface RegisterInput {
  kind: RecommendationKind;
  docNumber: string;
  title: string;
  problems: string;
  issuerOrgId: string;
  recipientOrgId: string;
  /** Empty: the justice bureau of the recipient's region. */
  copyOrgIds: string[];
  /** YYYY-MM-DD */
  issuedOn: string;
  receivedOn: string;
  /** YYYY-MM-DD; null: the kind's default. */
  replyDue: string | null;
  replyDueReason: string | null;
  original: UploadedFile | null;
}

function refuse(fieldErrors: Record<string, string[]>): RecommendationResult<{ id: string }> {
  return { ok: false, status: 400, message: Object.values(fieldErrors)[0]?.[0] ?? "填写的内容有误。", fieldErrors };
}

/** Users of `orgIds` with one of `roles`, except `exceptUserId`. */
async function recipients(
  tx: Tx,
  orgIds: readonly string[],
  roles: readonly string[],
  exceptUserId: string,
): Promise<string[]> {
  const rows = await tx.membership.findMany({
    where: { orgId: { in: [...orgIds] }, role: { in: [...roles] }, user: { active: true } },
    select: { userId: true },
  });
  return [...new Set(rows.map((r) => r.userId))].filter((id) => id !== exceptUserId);
}

async function notifyOrgs(
  tx: Tx,
  orgIds: readonly string[],
  exceptUserId: string,
  input: { kind: string; title: string; body?: string | null; link: string },
): Promise<DomainEvent[]> {
  const out: DomainEvent[] = [];
  for (const userId of await recipients(tx, orgIds, ["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"], exceptUserId))
    out.push(await createNotification(tx, { userId, ...input }));
  return out;
}

function audit(
  tx: Tx,
  user: CurrentUser,
  orgId: string | null,
  action: AuditAction,
  id: string,
  summary: string,
  ip: string | null,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId,
    action,
    targetType: "Recommendation",
    targetId: id,
    summary,
    ip,
  });
}

function fileRow(file: UploadedFile, checked: { name: string; mime: string }) {
  return {
    id: newId(),
    fileName: checked.name,
    mimeType: checked.mime,
    size: file.data.byteLength,
    sha256: createHash("sha256").update(file.data).digest("hex"),
    data: new Uint8Array(file.data),
  };
}

/**
 * 登记建议书: the issuer (or the recipient, for one received on paper) registers it. Checks the
 * issuer's kind, the dates, the 抄送 orgs and the 文号 (unique per issuer); the reply deadline
 * defaults by kind and needs a reason when changed. Notifies the recipient and the 抄送 orgs.
 */
export async function registerRecommendation(
  user: CurrentUser,
  input: RegisterInput,
  ctx: RecommendationContext,
): Promise<RecommendationResult<{ id: string }>> {
  if (input.issuerOrgId === input.recipientOrgId) return refuse({ recipientOrgId: ["主送单位不能与发出单位相同"] });
  if (!canRegisterRecommendation(user.actor, input.issuerOrgId, input.recipientOrgId))
    return { ok: false, status: 403, message: "只有发出单位或主送单位的工作人员可以登记建议书。" };
  const db = getDb();
  const copyIds = [...new Set(input.copyOrgIds)];
  const orgs = new Map(
    (
      await db.organization.findMany({
        where: { id: { in: [input.issuerOrgId, input.recipientOrgId, ...copyIds] }, active: true },
        select: { id: true, name: true, kind: true },
      })
    ).map((o) => [o.id, o]),
  );
  const issuer = orgs.get(input.issuerOrgId);
  const recipient = orgs.get(input.recipientOrgId);
  if (!issuer) return refuse({ issuerOrgId: ["发出单位不存在或已停用"] });
  if (!recipient) return refuse({ recipientOrgId: ["主送单位不存在或已停用"] });
  const issuerKinds = ISSUER_KINDS[input.kind];
  if (!(issuerKinds as readonly string[]).includes(issuer.kind)) {
    return refuse({
      issuerOrgId: [
        `${RECOMMENDATION_KIND_LABELS[input.kind]}应由${issuerKinds.map((k) => ORG_KIND_LABELS[k]).join("或")}发出，所选发出单位是${ORG_KIND_LABELS[issuer.kind as keyof typeof ORG_KIND_LABELS] ?? "其他单位"}`,
      ],
    });
  }
  if (copyIds.some((id) => !orgs.has(id))) return refuse({ copyOrgIds: ["所选抄送单位不存在或已停用"] });
  if (copyIds.includes(input.issuerOrgId) || copyIds.includes(input.recipientOrgId))
    return refuse({ copyOrgIds: ["抄送单位不能是发出单位或主送单位"] });
  const today = chinaDay(ctx.now ?? new Date());
  if (input.issuedOn > today) return refuse({ issuedOn: ["发出日期不能晚于今天"] });
  if (input.receivedOn > today) return refuse({ receivedOn: ["收到日期不能晚于今天"] });
  if (input.receivedOn < input.issuedOn) return refuse({ receivedOn: ["收到日期不能早于发出日期"] });
  const defaultDue = defaultReplyDue(input.kind, input.receivedOn);
  const due = input.replyDue ?? defaultDue;
  if (due < input.receivedOn) return refuse({ replyDue: ["回复期限不能早于收到日期"] });
  if (due !== defaultDue && !input.replyDueReason)
    return refuse({
      replyDueReason: [`回复期限与默认期限（${formatDate(endOfChinaDay(defaultDue))}）不同，请说明理由`],
    });
  let original: ReturnType<typeof fileRow> | null = null;
  if (input.original) {
    const checked = checkAttachment(input.original);
    if (!checked.ok) return refuse({ original: [checked.message] });
    original = fileRow(input.original, checked);
  }
  let copies = copyIds;
  if (copies.length === 0) {
    const bureau = await findRegionJusticeBureau(db, input.recipientOrgId);
    if (bureau && bureau.id !== input.issuerOrgId && bureau.id !== input.recipientOrgId) {
      copies = [bureau.id];
      orgs.set(bureau.id, { ...bureau, kind: "JUSTICE_BUREAU" });
    }
  }
  const id = newId();
  const label = RECOMMENDATION_KIND_LABELS[input.kind];
  try {
    const events = await db.$transaction(async (tx) => {
      const duplicate = await tx.recommendation.findUnique({
        where: { issuerOrgId_docNumber: { issuerOrgId: input.issuerOrgId, docNumber: input.docNumber } },
        select: { id: true },
      });
      if (duplicate) return null;
      await tx.recommendation.create({
        data: {
          id,
          kind: input.kind,
          docNumber: input.docNumber,
          title: input.title,
          problems: input.problems,
          issuerOrgId: input.issuerOrgId,
          recipientOrgId: input.recipientOrgId,
          issuedOn: startOfChinaDay(input.issuedOn),
          receivedOn: startOfChinaDay(input.receivedOn),
          replyDueDate: endOfChinaDay(due),
          replyDueReason: due === defaultDue ? null : input.replyDueReason,
          createdById: user.id,
          copies: { create: copies.map((orgId) => ({ orgId })) },
          ...(original ? { files: { create: [original] } } : {}),
        },
      });
      const myOrg =
        user.actor.memberships.find((m) => m.orgId === input.issuerOrgId || m.orgId === input.recipientOrgId)?.orgId ??
        null;
      await audit(
        tx,
        user,
        myOrg,
        "recommendation.registered",
        id,
        `登记${issuer.name}致${recipient.name}的${label}《${input.title}》（${input.docNumber}），回复期限 ${formatDate(endOfChinaDay(due))}${copies.length ? `，抄送${copies.map((c) => orgs.get(c)?.name ?? "").join("、")}` : ""}`,
        ctx.ip,
      );
      return notifyOrgs(
        tx,
        [input.recipientOrgId, ...copies, input.issuerOrgId].filter((o) => o !== myOrg),
        user.id,
        {
          kind: "recommendation.registered",
          title: `${label}：${input.title}`,
          body: `${issuer.name}（${input.docNumber}），请于 ${formatDate(endOfChinaDay(due))} 前书面回复`,
          link: `/recommendations/${id}`,
        },
      );
    });
    if (events === null) return refuse({ docNumber: [`${issuer.name}已登记过文号为「${input.docNumber}」的建议书`] });
    for (const e of events) ctx.events.publish(e);
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error))
      return refuse({ docNumber: [`${issuer.name}已登记过文号为「${input.docNumber}」的建议书`] });
    throw error;
  }
}

type Facts = NonNullable<Awaited<ReturnType<typeof getRecommendationFacts>>>;

async function loadReadable(
  user: CurrentUser,
  id: string,
): Promise<{ ok: true; facts: Facts } | { ok: false; status: 404; message: string }> {
  const facts = await getRecommendationFacts(getDb(), id);
  if (!facts || !canReadRecommendation(user.actor, facts))
    return { ok: false, status: 404, message: "建议书不存在或您无权查看。" };
  return { ok: true, facts };
}

/** 调整回复期限: the issuer, with a reason, before the reply; not before the day of receipt. */
export async function changeReplyDue(
  user: CurrentUser,
  id: string,
  input: { replyDue: string; reason: string },
  ctx: RecommendationContext,
): Promise<RecommendationResult> {
  const loaded = await loadReadable(user, id);
  if (!loaded.ok) return loaded;
  const r = loaded.facts;
  if (!canChangeReplyDue(user.actor, r))
    return {
      ok: false,
      status: r.status === "REPLIED" || r.status === "CLOSED" ? 409 : 403,
      message:
        r.status === "REPLIED" || r.status === "CLOSED"
          ? "已书面回复的建议书不能再调整回复期限。"
          : "只有发出单位可以调整回复期限。",
    };
  if (input.replyDue < chinaDay(r.receivedOn))
    return {
      ok: false,
      status: 400,
      message: "回复期限不能早于收到日期。",
      fieldErrors: { replyDue: ["回复期限不能早于收到日期"] },
    };
  const next = endOfChinaDay(input.replyDue);
  if (next.getTime() === r.replyDueDate.getTime())
    return {
      ok: false,
      status: 400,
      message: "新的回复期限与当前期限相同。",
      fieldErrors: { replyDue: ["新的回复期限与当前期限相同"] },
    };
  const db = getDb();
  const events = await db.$transaction(async (tx) => {
    await tx.recommendation.update({ where: { id }, data: { replyDueDate: next, replyDueReason: input.reason } });
    await audit(
      tx,
      user,
      r.issuerOrgId,
      "recommendation.reply_due_changed",
      id,
      `回复期限由 ${formatDate(r.replyDueDate)} 调整为 ${formatDate(next)}：${input.reason}`,
      ctx.ip,
    );
    return notifyOrgs(tx, [r.recipientOrgId, ...r.copyOrgIds], user.id, {
      kind: "recommendation.reply_due_changed",
      title: `回复期限调整：${r.title}`,
      body: `调整为 ${formatDate(next)}：${input.reason}`,
      link: `/recommendations/${id}`,
    });
  });
  for (const e of events) ctx.events.publish(e);
  return { ok: true };
}

/** 上传原件: the issuer or the recipient attaches the scanned original (PDF, OFD, image…). */
export async function attachOriginal(
  user: CurrentUser,
  id: string,
  file: UploadedFile,
  ctx: RecommendationContext,
): Promise<RecommendationResult> {
  const loaded = await loadReadable(user, id);
  if (!loaded.ok) return loaded;
  const r = loaded.facts;
  if (!canAttachOriginal(user.actor, r))
    return { ok: false, status: 403, message: "只有发出单位或主送单位可以上传原件。" };
  const checked = checkAttachment(file);
  if (!checked.ok) return { ok: false, status: 400, message: checked.message };
  const db = getDb();
  const count = await db.attachment.count({ where: { recommendationId: id } });
  if (count >= MAX_ORIGINALS) return { ok: false, status: 400, message: `原件最多上传 ${MAX_ORIGINALS} 个文件。` };
  await db.$transaction(async (tx) => {
    await tx.attachment.create({ data: { ...fileRow(file, checked), recommendationId: id } });
    await audit(
      tx,
      user,
      null,
      "recommendation.original_attached",
      id,
      `上传《${r.title}》原件「${checked.name}」`,
      ctx.ip,
    );
  });
  return { ok: true };
}

/**
 * 创建整改方案: the recipient's co-edited RECTIFICATION_PLAN from the template; the 抄送 orgs (the
 * justice bureau) help draft it and countersign it, the issuer follows it read-only.
 */
export async function createPlan(
  user: CurrentUser,
  id: string,
  ctx: RecommendationContext,
): Promise<RecommendationResult<{ documentId: string }>> {
  const loaded = await loadReadable(user, id);
  if (!loaded.ok) return loaded;
  const r = loaded.facts;
  if (!isRecipientDrafter(user.actor, r))
    return { ok: false, status: 403, message: "只有主送单位的起草人或督办协调员可以制定整改方案。" };
  if (r.planDocumentId) return { ok: true, documentId: r.planDocumentId };
  if (!canCreatePlan(user.actor, r)) return { ok: false, status: 409, message: "建议书状态已变化，请刷新后重试。" };
  const db = getDb();
  const rec = await db.recommendation.findUniqueOrThrow({
    where: { id },
    select: {
      problems: true,
      receivedOn: true,
      replyDueDate: true,
      issuerOrg: { select: { name: true } },
      recipientOrg: { select: { id: true, name: true } },
      copies: { select: { org: { select: { id: true, name: true } } } },
    },
  });
  const documentId = newId();
  const content = planTemplate({
    recipient: rec.recipientOrg,
    issuer: rec.issuerOrg.name,
    kindLabel: RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? "建议书",
    docNumber: r.docNumber,
    title: r.title,
    receivedOn: rec.receivedOn,
    replyDue: chinaDay(rec.replyDueDate),
    problems: rec.problems
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 50),
    helpers: rec.copies.map((c) => c.org.name),
  });
  const events = await db.$transaction(async (tx) => {
    const taken = await tx.recommendation.updateMany({
      where: { id, planDocumentId: null, status: "REGISTERED" },
      data: { status: "RECTIFYING" },
    });
    if (taken.count === 0) return null;
    await createDocumentTx(tx, {
      id: documentId,
      type: "RECTIFICATION_PLAN",
      title: `${rec.recipientOrg.name}关于《${r.title}》的整改方案`,
      ownerOrgId: r.recipientOrgId,
      createdById: user.id,
      members: [
        ...r.copyOrgIds.map((orgId) => ({ orgId, access: "WRITE" as const })),
        { orgId: r.issuerOrgId, access: "READ" as const },
      ],
      content,
    });
    await tx.recommendation.update({ where: { id }, data: { planDocumentId: documentId } });
    await audit(
      tx,
      user,
      r.recipientOrgId,
      "recommendation.plan_created",
      id,
      `${rec.recipientOrg.name}创建《${r.title}》的整改方案，建议书转为整改中`,
      ctx.ip,
    );
    return notifyOrgs(tx, r.copyOrgIds, user.id, {
      kind: "recommendation.plan_created",
      title: `请协助起草整改方案：${r.title}`,
      body: `${rec.recipientOrg.name}邀请共同起草整改方案`,
      link: `/documents/${documentId}`,
    });
  });
  if (events === null) {
    const again = await getRecommendationFacts(db, id);
    return again?.planDocumentId
      ? { ok: true, documentId: again.planDocumentId }
      : { ok: false, status: 409, message: "建议书状态已变化，请刷新后重试。" };
  }
  for (const e of events) ctx.events.publish(e);
  return { ok: true, documentId };
}

/** 生成书面回复: from the final plan and the current progress of its measures; the recipient edits it before sending. */
export async function prepareReply(
  user: CurrentUser,
  id: string,
  ctx: RecommendationContext,
): Promise<RecommendationResult<{ documentId: string }>> {
  const loaded = await loadReadable(user, id);
  if (!loaded.ok) return loaded;
  const r = loaded.facts;
  if (!isRecipientDrafter(user.actor, r))
    return { ok: false, status: 403, message: "只有主送单位的起草人或督办协调员可以生成书面回复。" };
  if (r.replyDocumentId) return { ok: true, documentId: r.replyDocumentId };
  if (!canPrepareReply(user.actor, r))
    return {
      ok: false,
      status: 409,
      message:
        r.planStatus !== "FINALIZED" ? "整改方案会签定稿后才能生成书面回复。" : "建议书状态已变化，请刷新后重试。",
    };
  const db = getDb();
  const rec = await db.recommendation.findUniqueOrThrow({
    where: { id },
    select: {
      receivedOn: true,
      issuerOrg: { select: { name: true } },
      recipientOrg: { select: { name: true } },
      copies: { select: { org: { select: { name: true } } } },
    },
  });
  const measures = await listPlanMeasures(db, r.planDocumentId!);
  const content = replyTemplate({
    issuer: rec.issuerOrg.name,
    recipient: rec.recipientOrg.name,
    kindLabel: RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? "建议书",
    docNumber: r.docNumber,
    title: r.title,
    receivedOn: rec.receivedOn,
    copies: rec.copies.map((c) => c.org.name),
    measures: measures.map((m) => ({
      number: m.number,
      wording: m.wording,
      lead: m.leadOrg?.name ?? null,
      responsible: m.responsible,
      due: m.dueDate ? formatDate(m.dueDate) : null,
      status: ITEM_STATUS_LABELS[m.status as ItemStatus] ?? m.status,
      progress: m.lastProgressText,
    })),
    now: ctx.now,
  });
  const documentId = newId();
  const created = await db
    .$transaction(async (tx) => {
      await createDocumentTx(tx, {
        id: documentId,
        type: "REPLY",
        title: `${rec.recipientOrg.name}关于《${r.title}》整改情况的回复`,
        ownerOrgId: r.recipientOrgId,
        createdById: user.id,
        members: r.copyOrgIds.map((orgId) => ({ orgId, access: "READ" as const })),
        content,
      });
      const linked = await tx.recommendation.updateMany({
        where: { id, replyDocumentId: null },
        data: { replyDocumentId: documentId },
      });
      if (linked.count === 0) throw new ReplyExists();
      await audit(
        tx,
        user,
        r.recipientOrgId,
        "recommendation.reply_prepared",
        id,
        `根据整改方案及 ${measures.length} 项措施的进展生成《${r.title}》书面回复`,
        ctx.ip,
      );
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof ReplyExists) return false;
      throw error;
    });
  if (!created) {
    const again = await getRecommendationFacts(db, id);
    return { ok: true, documentId: again!.replyDocumentId! };
  }
  return { ok: true, documentId };
}

class ReplyExists extends Error {}

/**
 * 发出书面回复: freezes the reply as a version with its SHA-256 (FINALIZED, immutable), lets the issuer
 * read it, and marks the recommendation replied — late when after the deadline.
 */
export async function sendReply(
  user: CurrentUser,
  id: string,
  ctx: RecommendationContext,
): Promise<RecommendationResult<{ late: boolean }>> {
  const loaded = await loadReadable(user, id);
  if (!loaded.ok) return loaded;
  const r = loaded.facts;
  if (!canSendReply(user.actor, r)) {
    if (r.status === "REPLIED" || r.status === "CLOSED")
      return { ok: false, status: 409, message: "该建议书已书面回复。" };
    if (!r.replyDocumentId) return { ok: false, status: 409, message: "请先生成并修改书面回复。" };
    return { ok: false, status: 403, message: "只有主送单位的起草人或督办协调员可以发出书面回复。" };
  }
  const replyId = r.replyDocumentId!;
  await ctx.collab?.storeDocument(replyId);
  const now = ctx.now ?? new Date();
  const late = now.getTime() > r.replyDueDate.getTime();
  const db = getDb();
  const events = await db.$transaction(async (tx) => {
    const frozen = await tx.document.updateMany({
      where: { id: replyId, status: "DRAFT" },
      data: { status: "FINALIZED" },
    });
    if (frozen.count === 0) return null;
    const content = await readStoredContent(tx, replyId);
    const version = await saveVersionTx(tx, replyId, {
      kind: "NAMED",
      name: "书面回复（正式发出）",
      createdById: user.id,
      authors: [],
      content,
    });
    await tx.document.update({
      where: { id: replyId },
      data: { finalVersionId: version.id, finalHash: version.sha256 },
    });
    await tx.documentMember.create({
      data: { id: newId(), documentId: replyId, orgId: r.issuerOrgId, access: "READ" },
    });
    await tx.recommendation.update({ where: { id }, data: { status: "REPLIED", repliedAt: now, repliedLate: late } });
    await audit(
      tx,
      user,
      r.recipientOrgId,
      "recommendation.replied",
      id,
      `发出《${r.title}》书面回复${late ? `（逾期：回复期限为 ${formatDate(r.replyDueDate)}）` : "（按期）"}，SHA-256 ${version.sha256.slice(0, 12)}…`,
      ctx.ip,
    );
    return notifyOrgs(tx, [r.issuerOrgId, ...r.copyOrgIds], user.id, {
      kind: "recommendation.replied",
      title: `已书面回复：${r.title}`,
      body: late ? "逾期回复" : "按期回复",
      link: `/recommendations/${id}`,
    });
  });
  if (events === null) return { ok: false, status: 409, message: "书面回复已发出或状态已变化，请刷新后重试。" };
  for (const e of events) ctx.events.publish(e);
  ctx.events.publish({ type: "document.access_changed", documentId: replyId });
  return { ok: true, late };
}

/** 销号: the issuer accepts the reply. */
export async function closeRecommendation(
  user: CurrentUser,
  id: string,
  comment: string | null,
  ctx: RecommendationContext,
): Promise<RecommendationResult> {
  const loaded = await loadReadable(user, id);
  if (!loaded.ok) return loaded;
  const r = loaded.facts;
  if (!canCloseRecommendation(user.actor, r))
    return r.status !== "REPLIED"
      ? { ok: false, status: 409, message: "书面回复后才能销号。" }
      : { ok: false, status: 403, message: "只有发出单位的督办协调员可以销号。" };
  const db = getDb();
  const events = await db.$transaction(async (tx) => {
    const moved = await tx.recommendation.updateMany({
      where: { id, status: "REPLIED" },
      data: { status: "CLOSED", closedAt: ctx.now ?? new Date() },
    });
    if (moved.count === 0) return null;
    await audit(
      tx,
      user,
      r.issuerOrgId,
      "recommendation.closed",
      id,
      `《${r.title}》整改回复已审核，销号${comment ? `：${comment}` : ""}`,
      ctx.ip,
    );
    return notifyOrgs(tx, [r.recipientOrgId, ...r.copyOrgIds], user.id, {
      kind: "recommendation.closed",
      title: `建议书已销号：${r.title}`,
      body: comment,
      link: `/recommendations/${id}`,
    });
  });
  if (events === null) return { ok: false, status: 409, message: "建议书状态已变化，请刷新后重试。" };
  for (const e of events) ctx.events.publish(e);
  return { ok: true };
}
