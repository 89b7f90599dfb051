import { enqueueWebhookEvent } from "~/services/webhooks.server";
import { transaction, database, isUniqueViolation, type Tx } from "~/models/unit-of-work.server";
import { chinaDay, endOfChinaDay, formatDate, startOfChinaDay } from "~/domain/dates";
import { conflict, invalid, notFound, type FieldErrors } from "~/domain/errors";
import type { DomainEvent } from "~/domain/events";
import { ORG_KIND_LABELS } from "~/domain/organization";
import {
  defaultReplyDue,
  ISSUER_KINDS,
  RECOMMENDATION_KIND_LABELS,
  type RecommendationKind,
} from "~/domain/recommendation";
import { ITEM_STATUS_LABELS, type ItemStatus } from "~/domain/tracked-item";
import { addRecommendationFile, countRecommendationFiles, type StoredFile } from "~/models/attachment.server";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { finalizeDocument, setDocumentOrgAccess, transitionDocumentStatus } from "~/models/document.server";
import { saveVersionTx } from "~/models/document-version.server";
import { readStoredContent } from "~/services/document-content.server";
import { listActiveOrganizations } from "~/models/organization.server";
import {
  closeReplied,
  createRecommendation,
  docNumberTaken,
  findRegionJusticeBureau,
  getDraftSource,
  getRecommendationFacts,
  linkReplyDocument,
  listPlanMeasures,
  markReplied,
  setPlanDocument,
  setReplyDue,
  startRectifying,
} from "~/models/recommendation.server";
import { enforce } from "~/policies/decision";
import { authorizeRecommendation, authorizeRegistration, isRecipientDrafter } from "~/policies/recommendation";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { createDocumentTx } from "~/services/create-document.server";
import { planTemplate, replyTemplate } from "~/services/document-templates";
import { notifyAudience } from "~/services/notify.server";
import { checkUpload, type UploadedFile } from "~/services/uploads.server";
import { newId } from "~/utils/ids";

/**
 * Commands on recommendations (建议书, ADR 010 and 016): register, change the reply deadline, attach
 * the original, create the 整改方案, prepare and send the 书面回复, 销号. Refusals are domain errors.
 */

export type RecommendationContext = Pick<CommandContext, "ip" | "events" | "now"> & {
  collab?: Pick<CommandContext["collab"], "storeDocument">;
};

const MAX_ORIGINALS = 5;

/** Who is told about a recommendation in the orgs concerned: everyone who acts for them. */
const TOLD_ROLES = ["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"] as const;

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

/** A refusal of one field, with its message as the form's too. */
function refuse(fieldErrors: FieldErrors) {
  return invalid(Object.values(fieldErrors)[0]?.[0] ?? "填写的内容有误。", fieldErrors);
}

function notifyOrgs(
  tx: Tx,
  orgIds: readonly string[],
  exceptUserId: string,
  message: { kind: string; title: string; body?: string | null; link: string },
): Promise<DomainEvent[]> {
  return notifyAudience(tx, { orgIds, roles: TOLD_ROLES, except: exceptUserId }, message);
}

function audit(
  tx: Tx,
  user: CurrentUser,
  entry: { id: string; orgId: string | null; action: AuditAction; summary: string },
  ip: string | null,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: entry.orgId,
    action: entry.action,
    targetType: "Recommendation",
    targetId: entry.id,
    summary: entry.summary,
    ip,
  });
}

type OrgRow = Awaited<ReturnType<typeof listActiveOrganizations>>[number];

/** The issuer, recipient and 抄送 orgs: active, and the issuer of a kind that issues this kind of recommendation. */
async function checkRegistrationOrgs(input: RegisterInput, copyIds: readonly string[]) {
  const orgs = new Map<string, Pick<OrgRow, "id" | "name" | "kind">>(
    (await listActiveOrganizations(database(), [input.issuerOrgId, input.recipientOrgId, ...copyIds])).map((o) => [
      o.id,
      o,
    ]),
  );
  const issuer = orgs.get(input.issuerOrgId);
  const recipient = orgs.get(input.recipientOrgId);
  if (!issuer) throw refuse({ issuerOrgId: ["发出单位不存在或已停用"] });
  if (!recipient) throw refuse({ recipientOrgId: ["主送单位不存在或已停用"] });
  const issuerKinds = ISSUER_KINDS[input.kind];
  if (!(issuerKinds as readonly string[]).includes(issuer.kind)) {
    const actual = ORG_KIND_LABELS[issuer.kind as keyof typeof ORG_KIND_LABELS] ?? "其他单位";
    const expected = issuerKinds.map((k) => ORG_KIND_LABELS[k]).join("或");
    throw refuse({
      issuerOrgId: [`${RECOMMENDATION_KIND_LABELS[input.kind]}应由${expected}发出，所选发出单位是${actual}`],
    });
  }
  if (copyIds.some((id) => !orgs.has(id))) throw refuse({ copyOrgIds: ["所选抄送单位不存在或已停用"] });
  if (copyIds.includes(input.issuerOrgId) || copyIds.includes(input.recipientOrgId))
    throw refuse({ copyOrgIds: ["抄送单位不能是发出单位或主送单位"] });
  return { orgs, issuer, recipient };
}

/** The dates of a registration, checked; the reply deadline (YYYY-MM-DD) and whether it is the kind's default. */
function checkRegistrationDates(input: RegisterInput, now: Date): { due: string; isDefault: boolean } {
  const today = chinaDay(now);
  if (input.issuedOn > today) throw refuse({ issuedOn: ["发出日期不能晚于今天"] });
  if (input.receivedOn > today) throw refuse({ receivedOn: ["收到日期不能晚于今天"] });
  if (input.receivedOn < input.issuedOn) throw refuse({ receivedOn: ["收到日期不能早于发出日期"] });
  const defaultDue = defaultReplyDue(input.kind, input.receivedOn);
  const due = input.replyDue ?? defaultDue;
  if (due < input.receivedOn) throw refuse({ replyDue: ["回复期限不能早于收到日期"] });
  if (due !== defaultDue && !input.replyDueReason)
    throw refuse({
      replyDueReason: [`回复期限与默认期限（${formatDate(endOfChinaDay(defaultDue))}）不同，请说明理由`],
    });
  return { due, isDefault: due === defaultDue };
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
): Promise<{ id: string }> {
  if (input.issuerOrgId === input.recipientOrgId) throw refuse({ recipientOrgId: ["主送单位不能与发出单位相同"] });
  enforce(authorizeRegistration(user.actor, input.issuerOrgId, input.recipientOrgId));
  const copyIds = [...new Set(input.copyOrgIds)];
  const { orgs, issuer, recipient } = await checkRegistrationOrgs(input, copyIds);
  const { due, isDefault } = checkRegistrationDates(input, ctx.now);
  const original: StoredFile | null = input.original ? checkUpload(input.original, "original") : null;
  let copies = copyIds;
  if (copies.length === 0) {
    const bureau = await findRegionJusticeBureau(database(), input.recipientOrgId);
    if (bureau && bureau.id !== input.issuerOrgId && bureau.id !== input.recipientOrgId) {
      copies = [bureau.id];
      orgs.set(bureau.id, { ...bureau, kind: "JUSTICE_BUREAU" });
    }
  }
  const id = newId();
  const label = RECOMMENDATION_KIND_LABELS[input.kind];
  const duplicate = refuse({ docNumber: [`${issuer.name}已登记过文号为「${input.docNumber}」的建议书`] });
  const dueLabel = formatDate(endOfChinaDay(due));
  const events = await transaction(async (tx) => {
    if (await docNumberTaken(tx, input.issuerOrgId, input.docNumber)) return null;
    await createRecommendation(tx, {
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
      replyDueReason: isDefault ? null : input.replyDueReason,
      createdById: user.id,
      copyOrgIds: copies,
      original,
    });
    const myOrg =
      user.actor.memberships.find((m) => m.orgId === input.issuerOrgId || m.orgId === input.recipientOrgId)?.orgId ??
      null;
    const copied = copies.length ? `，抄送${copies.map((c) => orgs.get(c)?.name ?? "").join("、")}` : "";
    await audit(
      tx,
      user,
      {
        id,
        orgId: myOrg,
        action: "recommendation.registered",
        summary: `登记${issuer.name}致${recipient.name}的${label}《${input.title}》（${input.docNumber}），回复期限 ${dueLabel}${copied}`,
      },
      ctx.ip,
    );
    await enqueueWebhookEvent(
      tx,
      {
        orgIds: [input.issuerOrgId, input.recipientOrgId, ...copies],
        event: "recommendation.registered",
        dedupeKey: `recommendation.registered:${id}`,
        data: {
          recommendationId: id,
          kind: input.kind,
          docNumber: input.docNumber,
          title: input.title,
          issuerOrgId: input.issuerOrgId,
          recipientOrgId: input.recipientOrgId,
          copyOrgIds: copies,
          replyDueDate: endOfChinaDay(due).toISOString(),
        },
        now: ctx.now,
      },
      newId,
    );
    const told = [input.recipientOrgId, ...copies, input.issuerOrgId].filter((o) => o !== myOrg);
    return notifyOrgs(tx, told, user.id, {
      kind: "recommendation.registered",
      title: `${label}：${input.title}`,
      body: `${issuer.name}（${input.docNumber}），请于 ${dueLabel} 前书面回复`,
      link: `/recommendations/${id}`,
    });
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) return null;
    throw error;
  });
  if (events === null) throw duplicate;
  for (const e of events) ctx.events.publish(e);
  return { id };
}

type Facts = NonNullable<Awaited<ReturnType<typeof getRecommendationFacts>>>;

/** The recommendation a command acts on: the same answer (404) whether missing or not the user's to see. */
async function loadReadable(user: CurrentUser, id: string): Promise<Facts> {
  const facts = await getRecommendationFacts(database(), id);
  if (!facts || !authorizeRecommendation(user.actor, "read", facts).allowed)
    throw notFound("建议书不存在或您无权查看。");
  return facts;
}

/** 调整回复期限: the issuer, with a reason, before the reply; not before the day of receipt. */
export async function changeReplyDue(
  user: CurrentUser,
  id: string,
  input: { replyDue: string; reason: string },
  ctx: RecommendationContext,
): Promise<void> {
  const r = await loadReadable(user, id);
  enforce(authorizeRecommendation(user.actor, "changeReplyDue", r));
  if (input.replyDue < chinaDay(r.receivedOn))
    throw invalid("回复期限不能早于收到日期。", { replyDue: ["回复期限不能早于收到日期"] });
  const next = endOfChinaDay(input.replyDue);
  if (next.getTime() === r.replyDueDate.getTime())
    throw invalid("新的回复期限与当前期限相同。", { replyDue: ["新的回复期限与当前期限相同"] });
  const events = await transaction(async (tx) => {
    await setReplyDue(tx, id, next, input.reason);
    await audit(
      tx,
      user,
      {
        id,
        orgId: r.issuerOrgId,
        action: "recommendation.reply_due_changed",
        summary: `回复期限由 ${formatDate(r.replyDueDate)} 调整为 ${formatDate(next)}：${input.reason}`,
      },
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
}

/** 上传原件: the issuer or the recipient attaches the scanned original (PDF, OFD, image…). */
export async function attachOriginal(
  user: CurrentUser,
  id: string,
  file: UploadedFile,
  ctx: RecommendationContext,
): Promise<void> {
  const r = await loadReadable(user, id);
  enforce(authorizeRecommendation(user.actor, "attachOriginal", r));
  const checked = checkUpload(file, "original");
  const db = database();
  if ((await countRecommendationFiles(db, id)) >= MAX_ORIGINALS)
    throw invalid(`原件最多上传 ${MAX_ORIGINALS} 个文件。`);
  await transaction(async (tx) => {
    await addRecommendationFile(tx, id, checked);
    await audit(
      tx,
      user,
      {
        id,
        orgId: null,
        action: "recommendation.original_attached",
        summary: `上传《${r.title}》原件「${checked.name}」`,
      },
      ctx.ip,
    );
  });
}

/** The template's name of the recommendation's kind. */
function kindLabel(r: Facts): string {
  return RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? "建议书";
}

/**
 * 创建整改方案: the recipient's co-edited RECTIFICATION_PLAN from the template; the 抄送 orgs (the
 * justice bureau) help draft it and countersign it, the issuer follows it read-only.
 */
export async function createPlan(
  user: CurrentUser,
  id: string,
  ctx: RecommendationContext,
): Promise<{ documentId: string }> {
  const r = await loadReadable(user, id);
  const decision = authorizeRecommendation(user.actor, "createPlan", r);
  // Asked again (a double click, a second drafter): the plan that exists is the answer.
  if (r.planDocumentId && isRecipientDrafter(user.actor, r)) return { documentId: r.planDocumentId };
  enforce(decision);
  const db = database();
  const rec = (await getDraftSource(db, id))!;
  const documentId = newId();
  const content = planTemplate({
    recipient: rec.recipientOrg,
    issuer: rec.issuerOrg.name,
    kindLabel: kindLabel(r),
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
  const events = await transaction(async (tx) => {
    if (!(await startRectifying(tx, id))) return null;
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
    await setPlanDocument(tx, id, documentId);
    await audit(
      tx,
      user,
      {
        id,
        orgId: r.recipientOrgId,
        action: "recommendation.plan_created",
        summary: `${rec.recipientOrg.name}创建《${r.title}》的整改方案，建议书转为整改中`,
      },
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
    if (again?.planDocumentId) return { documentId: again.planDocumentId };
    throw conflict("建议书状态已变化，请刷新后重试。");
  }
  for (const e of events) ctx.events.publish(e);
  return { documentId };
}

/** 生成书面回复: from the final plan and the current progress of its measures; the recipient edits it before sending. */
export async function prepareReply(
  user: CurrentUser,
  id: string,
  ctx: RecommendationContext,
): Promise<{ documentId: string }> {
  const r = await loadReadable(user, id);
  const decision = authorizeRecommendation(user.actor, "prepareReply", r);
  if (r.replyDocumentId && isRecipientDrafter(user.actor, r)) return { documentId: r.replyDocumentId };
  enforce(decision);
  const db = database();
  const rec = (await getDraftSource(db, id))!;
  const measures = await listPlanMeasures(db, r.planDocumentId!);
  const content = replyTemplate({
    issuer: rec.issuerOrg.name,
    recipient: rec.recipientOrg.name,
    kindLabel: kindLabel(r),
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
  const created = await transaction(async (tx) => {
    await createDocumentTx(tx, {
      id: documentId,
      type: "REPLY",
      title: `${rec.recipientOrg.name}关于《${r.title}》整改情况的回复`,
      ownerOrgId: r.recipientOrgId,
      createdById: user.id,
      members: r.copyOrgIds.map((orgId) => ({ orgId, access: "READ" as const })),
      content,
    });
    if (!(await linkReplyDocument(tx, id, documentId))) throw new ReplyExists();
    await audit(
      tx,
      user,
      {
        id,
        orgId: r.recipientOrgId,
        action: "recommendation.reply_prepared",
        summary: `根据整改方案及 ${measures.length} 项措施的进展生成《${r.title}》书面回复`,
      },
      ctx.ip,
    );
    return true;
  }).catch((error: unknown) => {
    if (error instanceof ReplyExists) return false;
    throw error;
  });
  if (!created) {
    const again = await getRecommendationFacts(db, id);
    return { documentId: again!.replyDocumentId! };
  }
  return { documentId };
}

/** Another drafter linked a reply first: this transaction's draft is rolled back. */
class ReplyExists extends Error {}

/**
 * 发出书面回复: freezes the reply as a version with its SHA-256 (FINALIZED, immutable), lets the issuer
 * read it, and marks the recommendation replied — late when after the deadline.
 */
export async function sendReply(user: CurrentUser, id: string, ctx: RecommendationContext): Promise<{ late: boolean }> {
  const r = await loadReadable(user, id);
  enforce(authorizeRecommendation(user.actor, "sendReply", r));
  const replyId = r.replyDocumentId!;
  await ctx.collab?.storeDocument(replyId);
  const late = ctx.now.getTime() > r.replyDueDate.getTime();
  const events = await transaction(async (tx) => {
    if (!(await transitionDocumentStatus(tx, replyId, "DRAFT", "FINALIZED"))) return null;
    const content = await readStoredContent(tx, replyId);
    const version = await saveVersionTx(tx, replyId, {
      kind: "NAMED",
      name: "书面回复（正式发出）",
      createdById: user.id,
      authors: [],
      content,
    });
    await finalizeDocument(tx, replyId, version);
    await setDocumentOrgAccess(tx, replyId, r.issuerOrgId, "READ");
    await markReplied(tx, id, ctx.now, late);
    const timing = late ? `（逾期：回复期限为 ${formatDate(r.replyDueDate)}）` : "（按期）";
    await audit(
      tx,
      user,
      {
        id,
        orgId: r.recipientOrgId,
        action: "recommendation.replied",
        summary: `发出《${r.title}》书面回复${timing}，SHA-256 ${version.sha256.slice(0, 12)}…`,
      },
      ctx.ip,
    );
    return notifyOrgs(tx, [r.issuerOrgId, ...r.copyOrgIds], user.id, {
      kind: "recommendation.replied",
      title: `已书面回复：${r.title}`,
      body: late ? "逾期回复" : "按期回复",
      link: `/recommendations/${id}`,
    });
  });
  if (events === null) throw conflict("书面回复已发出或状态已变化，请刷新后重试。");
  for (const e of events) ctx.events.publish(e);
  ctx.events.publish({ type: "document.access_changed", documentId: replyId });
  return { late };
}

/** 销号: the issuer accepts the reply. */
export async function closeRecommendation(
  user: CurrentUser,
  id: string,
  comment: string | null,
  ctx: RecommendationContext,
): Promise<void> {
  const r = await loadReadable(user, id);
  enforce(authorizeRecommendation(user.actor, "close", r));
  const events = await transaction(async (tx) => {
    if (!(await closeReplied(tx, id, ctx.now))) return null;
    await audit(
      tx,
      user,
      {
        id,
        orgId: r.issuerOrgId,
        action: "recommendation.closed",
        summary: `《${r.title}》整改回复已审核，销号${comment ? `：${comment}` : ""}`,
      },
      ctx.ip,
    );
    return notifyOrgs(tx, [r.recipientOrgId, ...r.copyOrgIds], user.id, {
      kind: "recommendation.closed",
      title: `建议书已销号：${r.title}`,
      body: comment,
      link: `/recommendations/${id}`,
    });
  });
  if (events === null) throw conflict("建议书状态已变化，请刷新后重试。");
  for (const e of events) ctx.events.publish(e);
}
