import { getDb, type Tx } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { readStoredContent, saveVersionTx } from "~/models/document-version.server";
import { activateItems, syncTrackedItems } from "~/models/tracked-item.server";
import { canRequestCountersign, countersignOrgIds, countersigningOrgIds } from "~/policies/document";
import { type DocumentFacts } from "~/domain/document";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { EventBus } from "~/services/events.server";
import { newId } from "~/utils/ids";

export interface CountersignContext {
  ip: string | null;
  events: EventBus;
  collab: { storeDocument(documentId: string): Promise<void> };
}

export type CountersignResult = { ok: true; status: string } | { ok: false; status: 400 | 403 | 409; message: string };

/**
 * 发起会签: freezes the current content as a version and asks every co-drafting org to countersign.
 * The document becomes read-only (open editors are re-authorized at once).
 */
export async function requestCountersign(
  user: CurrentUser,
  doc: DocumentFacts & { id: string; title: string; type: string },
  ctx: CountersignContext,
): Promise<CountersignResult> {
  if (!canRequestCountersign(user.actor, doc)) {
    return doc.status !== "DRAFT"
      ? { ok: false, status: 409, message: "只有起草中的文书可以发起会签。" }
      : { ok: false, status: 403, message: "只有牵头单位的起草人或督办协调员可以发起会签。" };
  }
  const signers = countersignOrgIds(doc, doc.type);
  if (signers.length === 0)
    return { ok: false, status: 400, message: "没有共同起草单位，无需会签。请先添加参与会签的单位。" };
  await ctx.collab.storeDocument(doc.id);
  const db = getDb();
  const outcome = await db.$transaction(async (tx) => {
    const fresh = await tx.document.updateMany({
      where: { id: doc.id, status: "DRAFT" },
      data: { status: "COUNTERSIGNING" },
    });
    if (fresh.count === 0) return null;
    const content = await readStoredContent(tx, doc.id);
    const lastRound = await tx.countersign.findFirst({
      where: { documentId: doc.id, subject: DOCUMENT_SUBJECT },
      orderBy: { round: "desc" },
      select: { round: true },
    });
    const version = await saveVersionTx(tx, doc.id, {
      kind: "COUNTERSIGN",
      name: `会签稿（第${(lastRound?.round ?? 0) + 1}轮）`,
      createdById: user.id,
      authors: [],
      content,
    });
    // The items of the frozen text are the ones being countersigned.
    await syncTrackedItems(tx, doc.id, JSON.parse(content.json), { frozen: true });
    const round = await openRound(tx, {
      documentId: doc.id,
      subject: DOCUMENT_SUBJECT,
      versionId: version.id,
      orgIds: signers,
    });
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: doc.ownerOrgId,
      action: "document.countersign_requested",
      targetType: "Document",
      targetId: doc.id,
      summary: `《${doc.title}》发起第${round}轮会签，会签单位 ${signers.length} 个，版本 SHA-256 ${content.sha256.slice(0, 12)}…`,
      ip: ctx.ip,
    });
    return round;
  });
  if (outcome === null) return { ok: false, status: 409, message: "文书状态已变化，请刷新后重试。" };
  ctx.events.publish({ type: "document.access_changed", documentId: doc.id });
  return { ok: true, status: "COUNTERSIGNING" };
}

/** The subject of a document's own countersign (a tracked item's confirmations use the item id). */
export const DOCUMENT_SUBJECT = "";

/**
 * Opens the next confirmation round (会签) on a document or on one of its items (`subject`, ADR 010):
 * one PENDING row per org on the given version; `approvedBy` records the requesting org's own
 * approval at once. Returns the round number.
 */
export async function openRound(
  tx: Tx,
  input: {
    documentId: string;
    subject: string;
    versionId: string;
    orgIds: readonly string[];
    approvedBy?: { orgId: string; userId: string };
  },
): Promise<number> {
  const last = await tx.countersign.findFirst({
    where: { documentId: input.documentId, subject: input.subject },
    orderBy: { round: "desc" },
    select: { round: true },
  });
  const round = (last?.round ?? 0) + 1;
  const now = new Date();
  await tx.countersign.createMany({
    data: input.orgIds.map((orgId) => {
      const approved = input.approvedBy?.orgId === orgId;
      return {
        id: newId(),
        documentId: input.documentId,
        subject: input.subject,
        round,
        versionId: input.versionId,
        orgId,
        ...(approved ? { decision: "APPROVED", decidedById: input.approvedBy!.userId, decidedAt: now } : {}),
      };
    }),
  });
  return round;
}

/** The rows of the latest round on a subject (empty when none was opened). */
export async function latestRound(tx: Tx, documentId: string, subject: string) {
  const last = await tx.countersign.findFirst({
    where: { documentId, subject },
    orderBy: { round: "desc" },
    select: { round: true },
  });
  if (!last) return { round: null, rows: [] };
  const rows = await tx.countersign.findMany({
    where: { documentId, subject, round: last.round },
    select: { id: true, orgId: true, decision: true, comment: true, decidedAt: true, versionId: true },
    orderBy: { createdAt: "asc" },
  });
  return { round: last.round, rows };
}

export type RoundRefusal = { kind: "not_open" } | { kind: "not_listed" } | { kind: "already_decided" };
export type RoundDecision =
  RoundRefusal | { kind: "returned" | "approved" | "complete"; round: number; orgId: string; versionId: string };

/**
 * Records one org's decision in the latest round of a subject, inside the caller's transaction: the
 * first of `myOrgIds` still PENDING decides. A return ends the round (the other pending rows are
 * CANCELLED); the last approval completes it.
 */
export async function decideInRound(
  tx: Tx,
  input: {
    documentId: string;
    subject: string;
    myOrgIds: readonly string[];
    decision: "APPROVED" | "RETURNED";
    comment: string | null;
    userId: string;
  },
): Promise<RoundDecision> {
  const { round, rows } = await latestRound(tx, input.documentId, input.subject);
  if (round === null || !rows.some((r) => r.decision === "PENDING")) return { kind: "not_open" };
  const mine = rows.filter((r) => input.myOrgIds.includes(r.orgId));
  const pending = mine.find((r) => r.decision === "PENDING");
  if (!pending) return { kind: mine.length ? "already_decided" : "not_listed" };
  const taken = await tx.countersign.updateMany({
    where: { id: pending.id, decision: "PENDING" },
    data: { decision: input.decision, comment: input.comment, decidedById: input.userId, decidedAt: new Date() },
  });
  if (taken.count === 0) return { kind: "already_decided" };
  const done = { round, orgId: pending.orgId, versionId: pending.versionId };
  if (input.decision === "RETURNED") {
    await tx.countersign.updateMany({
      where: { documentId: input.documentId, subject: input.subject, round, decision: "PENDING" },
      data: { decision: "CANCELLED" },
    });
    return { kind: "returned", ...done };
  }
  const remaining = await tx.countersign.count({
    where: { documentId: input.documentId, subject: input.subject, round, decision: "PENDING" },
  });
  return { kind: remaining > 0 ? "approved" : "complete", ...done };
}

/** A refusal of `decideInRound` in Chinese. */
export function roundRefusal(
  kind: RoundRefusal["kind"],
  what = "本轮会签",
): { ok: false; status: 400 | 403 | 409; message: string } {
  if (kind === "not_open") return { ok: false, status: 409, message: `${what}已结束或尚未发起。` };
  if (kind === "not_listed") return { ok: false, status: 403, message: `本单位不在${what}名单中，或您没有会签权限。` };
  return { ok: false, status: 400, message: `本单位已对${what}作出意见，不能重复提交。` };
}

/**
 * 同意 / 退回: one decision per org per round. A return (with a comment) unlocks drafting and ends the
 * round; when every org has approved, the document is FINALIZED with the version's SHA-256.
 */
export async function decideCountersign(
  user: CurrentUser,
  doc: DocumentFacts & { id: string; title: string; type: string },
  input: { decision: "APPROVED" | "RETURNED"; comment: string | null },
  ctx: CountersignContext,
): Promise<CountersignResult> {
  if (doc.status !== "COUNTERSIGNING") return { ok: false, status: 409, message: "该文书当前不在会签中。" };
  if (input.decision === "RETURNED" && !input.comment)
    return { ok: false, status: 400, message: "退回时请填写修改意见。" };
  const db = getDb();
  const result = await db.$transaction(async (tx) => {
    const decided = await decideInRound(tx, {
      documentId: doc.id,
      subject: DOCUMENT_SUBJECT,
      myOrgIds: countersigningOrgIds(user.actor, doc.type),
      decision: input.decision,
      comment: input.comment,
      userId: user.id,
    });
    if (decided.kind === "not_open" || decided.kind === "not_listed" || decided.kind === "already_decided")
      return decided;
    const orgName =
      (await tx.organization.findUnique({ where: { id: decided.orgId }, select: { name: true } }))?.name ?? "";
    const audit = {
      actorId: user.id,
      actorName: user.displayName,
      orgId: decided.orgId,
      targetType: "Document",
      targetId: doc.id,
      ip: ctx.ip,
    };
    if (decided.kind === "returned") {
      await tx.document.update({ where: { id: doc.id }, data: { status: "DRAFT" } });
      await recordAudit(tx, {
        ...audit,
        action: "document.countersign_returned",
        summary: `${orgName}退回《${doc.title}》第${decided.round}轮会签：${input.comment}`,
      });
      return { kind: "returned" as const };
    }
    await recordAudit(tx, {
      ...audit,
      action: "document.countersign_approved",
      summary: `${orgName}同意《${doc.title}》第${decided.round}轮会签`,
    });
    if (decided.kind === "approved") return { kind: "approved" as const };
    const version = await tx.documentVersion.findUniqueOrThrow({
      where: { id: decided.versionId },
      select: { id: true, sha256: true, json: true },
    });
    // Tracking starts: the final text's items become active, their wording frozen with it.
    await syncTrackedItems(tx, doc.id, JSON.parse(version.json), { frozen: true });
    const activated = await activateItems(tx, doc.id);
    await tx.document.update({
      where: { id: doc.id },
      data: { status: "FINALIZED", finalVersionId: version.id, finalHash: version.sha256 },
    });
    await tx.consultation.updateMany({ where: { minutesId: doc.id }, data: { status: "FINALIZED" } });
    await recordAudit(tx, {
      ...audit,
      orgId: doc.ownerOrgId,
      action: "document.finalized",
      summary: `《${doc.title}》经全部单位会签定稿，SHA-256 ${version.sha256}`,
    });
    return { kind: "finalized" as const, activated };
  });
  if (result.kind === "not_open") return { ok: false, status: 409, message: "该文书当前不在会签中。" };
  if (result.kind === "not_listed" || result.kind === "already_decided") return roundRefusal(result.kind);
  if (result.kind !== "approved") ctx.events.publish({ type: "document.access_changed", documentId: doc.id });
  if (result.kind === "finalized")
    for (const itemId of result.activated)
      ctx.events.publish({
        type: "item.status_changed",
        documentId: doc.id,
        itemId,
        status: "NOT_STARTED",
        dueDate: null,
      });
  return {
    ok: true,
    status: result.kind === "finalized" ? "FINALIZED" : result.kind === "returned" ? "DRAFT" : "COUNTERSIGNING",
  };
}
