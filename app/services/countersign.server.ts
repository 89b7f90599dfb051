import { getDb } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { readStoredContent, saveVersionTx } from "~/models/document-version.server";
import { activateItems, syncTrackedItems } from "~/models/tracked-item.server";
import { canRequestCountersign, countersignOrgIds, countersigningOrgIds, type DocumentFacts } from "~/policies/document";
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
export async function requestCountersign(user: CurrentUser, doc: DocumentFacts & { id: string; title: string }, ctx: CountersignContext): Promise<CountersignResult> {
  if (!canRequestCountersign(user.actor, doc)) {
    return doc.status !== "DRAFT" ? { ok: false, status: 409, message: "只有起草中的文书可以发起会签。" } : { ok: false, status: 403, message: "只有牵头单位的起草人或督办协调员可以发起会签。" };
  }
  const signers = countersignOrgIds(doc);
  if (signers.length === 0) return { ok: false, status: 400, message: "没有共同起草单位，无需会签。请先添加参与会签的单位。" };
  await ctx.collab.storeDocument(doc.id);
  const db = getDb();
  const outcome = await db.$transaction(async (tx) => {
    const fresh = await tx.document.updateMany({ where: { id: doc.id, status: "DRAFT" }, data: { status: "COUNTERSIGNING" } });
    if (fresh.count === 0) return null;
    const content = await readStoredContent(tx, doc.id);
    const lastRound = await tx.countersign.findFirst({ where: { documentId: doc.id }, orderBy: { round: "desc" }, select: { round: true } });
    const round = (lastRound?.round ?? 0) + 1;
    const version = await saveVersionTx(tx, doc.id, { kind: "COUNTERSIGN", name: `会签稿（第${round}轮）`, createdById: user.id, authors: [], content });
    // The items of the frozen text are the ones being countersigned.
    await syncTrackedItems(tx, doc.id, JSON.parse(content.json), { frozen: true });
    await tx.countersign.createMany({ data: signers.map((orgId) => ({ id: newId(), documentId: doc.id, round, versionId: version.id, orgId })) });
    await recordAudit(tx, { actorId: user.id, actorName: user.displayName, orgId: doc.ownerOrgId, action: "document.countersign_requested", targetType: "Document", targetId: doc.id, summary: `《${doc.title}》发起第${round}轮会签，会签单位 ${signers.length} 个，版本 SHA-256 ${content.sha256.slice(0, 12)}…`, ip: ctx.ip });
    return round;
  });
  if (outcome === null) return { ok: false, status: 409, message: "文书状态已变化，请刷新后重试。" };
  ctx.events.publish({ type: "document.access_changed", documentId: doc.id });
  return { ok: true, status: "COUNTERSIGNING" };
}

/**
 * 同意 / 退回: one decision per org per round. A return (with a comment) unlocks drafting and ends the
 * round; when every org has approved, the document is FINALIZED with the version's SHA-256.
 */
export async function decideCountersign(
  user: CurrentUser,
  doc: DocumentFacts & { id: string; title: string },
  input: { decision: "APPROVED" | "RETURNED"; comment: string | null },
  ctx: CountersignContext,
): Promise<CountersignResult> {
  if (doc.status !== "COUNTERSIGNING") return { ok: false, status: 409, message: "该文书当前不在会签中。" };
  if (input.decision === "RETURNED" && !input.comment) return { ok: false, status: 400, message: "退回时请填写修改意见。" };
  const db = getDb();
  const myOrgs = countersigningOrgIds(user.actor);
  const round = await db.countersign.findFirst({ where: { documentId: doc.id }, orderBy: { round: "desc" }, select: { round: true } });
  if (!round) return { ok: false, status: 409, message: "该文书当前不在会签中。" };
  const mine = await db.countersign.findMany({ where: { documentId: doc.id, round: round.round, orgId: { in: myOrgs } }, select: { id: true, orgId: true, decision: true } });
  const pendingRow = mine.find((m) => m.decision === "PENDING");
  if (!pendingRow) {
    return mine.length > 0 ? { ok: false, status: 400, message: "本单位已对本轮会签作出意见，不能重复提交。" } : { ok: false, status: 403, message: "本单位不在本轮会签名单中，或您没有会签权限。" };
  }
  const orgName = (await db.organization.findUnique({ where: { id: pendingRow.orgId }, select: { name: true } }))?.name ?? "";
  const pending = { ...pendingRow, org: { name: orgName } };
  const result = await db.$transaction(async (tx) => {
    const taken = await tx.countersign.updateMany({ where: { id: pending.id, decision: "PENDING" }, data: { decision: input.decision, comment: input.comment, decidedById: user.id, decidedAt: new Date() } });
    if (taken.count === 0) return { kind: "conflict" as const };
    const audit = { actorId: user.id, actorName: user.displayName, orgId: pending.orgId, targetType: "Document", targetId: doc.id, ip: ctx.ip };
    if (input.decision === "RETURNED") {
      await tx.countersign.updateMany({ where: { documentId: doc.id, round: round.round, decision: "PENDING" }, data: { decision: "CANCELLED" } });
      await tx.document.update({ where: { id: doc.id }, data: { status: "DRAFT" } });
      await recordAudit(tx, { ...audit, action: "document.countersign_returned", summary: `${pending.org.name}退回《${doc.title}》第${round.round}轮会签：${input.comment}` });
      return { kind: "returned" as const };
    }
    await recordAudit(tx, { ...audit, action: "document.countersign_approved", summary: `${pending.org.name}同意《${doc.title}》第${round.round}轮会签` });
    const remaining = await tx.countersign.count({ where: { documentId: doc.id, round: round.round, decision: "PENDING" } });
    if (remaining > 0) return { kind: "approved" as const };
    const version = await tx.countersign.findFirst({ where: { id: pending.id }, select: { version: { select: { id: true, sha256: true, json: true } } } });
    // Tracking starts: the final text's items become active, their wording frozen with it.
    await syncTrackedItems(tx, doc.id, JSON.parse(version!.version.json), { frozen: true });
    const activated = await activateItems(tx, doc.id);
    await tx.document.update({ where: { id: doc.id }, data: { status: "FINALIZED", finalVersionId: version!.version.id, finalHash: version!.version.sha256 } });
    await tx.consultation.updateMany({ where: { minutesId: doc.id }, data: { status: "FINALIZED" } });
    await recordAudit(tx, { ...audit, orgId: doc.ownerOrgId, action: "document.finalized", summary: `《${doc.title}》经全部单位会签定稿，SHA-256 ${version!.version.sha256}` });
    return { kind: "finalized" as const, activated };
  });
  if (result.kind === "conflict") return { ok: false, status: 400, message: "本单位已对本轮会签作出意见，不能重复提交。" };
  if (result.kind !== "approved") ctx.events.publish({ type: "document.access_changed", documentId: doc.id });
  if (result.kind === "finalized") for (const itemId of result.activated) ctx.events.publish({ type: "item.status_changed", documentId: doc.id, itemId, status: "NOT_STARTED", dueDate: null });
  return { ok: true, status: result.kind === "finalized" ? "FINALIZED" : result.kind === "returned" ? "DRAFT" : "COUNTERSIGNING" };
}
