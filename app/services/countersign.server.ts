import { database, transaction, type Tx } from "~/models/unit-of-work.server";
import { listOpenThreads } from "~/models/comment.server";
import type { DocumentFacts } from "~/domain/document";
import { conflict, forbidden, invalid, type DomainError } from "~/domain/errors";
import { recordAudit } from "~/models/audit.server";
import { markConsultationFinalizedByMinutes } from "~/models/consultation.server";
import {
  cancelPendingRows,
  countPendingRows,
  createRoundRows,
  decidePendingRow,
  getLatestRoundNumber,
  listRoundRows,
} from "~/models/countersign.server";
import { finalizeDocument, transitionDocumentStatus } from "~/models/document.server";
import { getVersionSeal, saveVersionTx } from "~/models/document-version.server";
import { readStoredContent } from "~/services/document-content.server";
import { placeVersionAnchors } from "~/services/comments.server";
import { openSuggestionsWarning, storedSuggestions } from "~/services/suggestions.server";
import { getOrganizationNames } from "~/models/organization.server";
import { activateItems, syncTrackedItems } from "~/models/tracked-item.server";
import { enforce } from "~/policies/decision";
import { authorizeDocument, countersignOrgIds, countersigningOrgIds } from "~/policies/document";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";

type Ctx = Pick<CommandContext, "ip" | "events" | "collab">;
type Doc = DocumentFacts & { id: string; title: string; type: string };

/**
 * 发起会签: freezes the current content as a version and asks every co-drafting org to countersign.
 * The document becomes read-only (open editors are re-authorized at once).
 */
/** The refusal that lists the open threads (at most five by quote and unit) of a draft sent to countersign. */
export function openThreadsWarning(open: ReadonlyArray<{ quote: string; org: { name: string } | null }>): string {
  const listed = open
    .slice(0, 5)
    .map((t) => `「${t.quote.length > 20 ? `${t.quote.slice(0, 20)}…` : t.quote}」（${t.org?.name ?? "个人"}）`)
    .join("、");
  return `尚有 ${open.length} 条未解决的批注：${listed}${open.length > 5 ? " 等" : ""}。请先处理，或勾选“仍要发起会签”后再提交。`;
}

export async function requestCountersign(
  user: CurrentUser,
  doc: Doc,
  ctx: Ctx,
  options: { confirmOpenThreads?: boolean } = {},
): Promise<{ status: "COUNTERSIGNING" }> {
  enforce(authorizeDocument(user.actor, "requestCountersign", doc));
  const signers = countersignOrgIds(doc, doc.type);
  if (signers.length === 0) throw invalid("没有共同起草单位，无需会签。请先添加参与会签的单位。");
  const open = await listOpenThreads(database(), doc.id);
  if (open.length > 0 && !options.confirmOpenThreads) throw conflict(openThreadsWarning(open));
  await ctx.collab.storeDocument(doc.id);
  // 修订 must be decided first: the countersigned text is the drafting unit's, not a proposal (ADR 019).
  const proposals = await storedSuggestions(doc.id);
  if (proposals.length > 0) throw conflict(openSuggestionsWarning(proposals));
  const opened = await transaction(async (tx) => {
    if (!(await transitionDocumentStatus(tx, doc.id, "DRAFT", "COUNTERSIGNING"))) return null;
    const content = await readStoredContent(tx, doc.id);
    const next = ((await getLatestRoundNumber(tx, doc.id, DOCUMENT_SUBJECT)) ?? 0) + 1;
    const version = await saveVersionTx(tx, doc.id, {
      kind: "COUNTERSIGN",
      name: `会签稿（第${next}轮）`,
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
      summary: `《${doc.title}》发起第${round}轮会签，会签单位 ${signers.length} 个，版本 SHA-256 ${content.sha256.slice(0, 12)}…${open.length ? `（确认带 ${open.length} 条未解决批注发起）` : ""}`,
      ip: ctx.ip,
    });
    return round;
  });
  if (opened === null) throw conflict("文书状态已变化，请刷新后重试。");
  ctx.events.publish({ type: "document.access_changed", documentId: doc.id });
  return { status: "COUNTERSIGNING" };
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
  const round = ((await getLatestRoundNumber(tx, input.documentId, input.subject)) ?? 0) + 1;
  await createRoundRows(tx, { ...input, round, now: new Date() });
  return round;
}

/** The rows of the latest round on a subject (empty when none was opened). */
export async function latestRound(tx: Tx, documentId: string, subject: string) {
  const round = await getLatestRoundNumber(tx, documentId, subject);
  if (round === null) return { round: null, rows: [] };
  return { round, rows: await listRoundRows(tx, documentId, subject, round) };
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
  const taken = await decidePendingRow(tx, pending.id, { ...input, now: new Date() });
  if (!taken) return { kind: "already_decided" };
  const done = { round, orgId: pending.orgId, versionId: pending.versionId };
  if (input.decision === "RETURNED") {
    await cancelPendingRows(tx, input.documentId, input.subject, round);
    return { kind: "returned", ...done };
  }
  const remaining = await countPendingRows(tx, input.documentId, input.subject, round);
  return { kind: remaining > 0 ? "approved" : "complete", ...done };
}

/** A refusal of `decideInRound` as a domain error. */
export function roundRefusal(kind: RoundRefusal["kind"], what = "本轮会签"): DomainError {
  if (kind === "not_open") return conflict(`${what}已结束或尚未发起。`);
  if (kind === "not_listed") return forbidden(`本单位不在${what}名单中，或您没有会签权限。`);
  return invalid(`本单位已对${what}作出意见，不能重复提交。`);
}

/**
 * 同意 / 退回: one decision per org per round. A return (with a comment) unlocks drafting and ends the
 * round; when every org has approved, the document is FINALIZED with the version's SHA-256.
 */
export async function decideCountersign(
  user: CurrentUser,
  doc: Doc,
  input: { decision: "APPROVED" | "RETURNED"; comment: string | null },
  ctx: Ctx,
): Promise<{ status: "DRAFT" | "COUNTERSIGNING" | "FINALIZED" }> {
  enforce(authorizeDocument(user.actor, "decideCountersign", doc));
  if (input.decision === "RETURNED" && !input.comment)
    throw invalid("退回时请填写修改意见。", { comment: ["退回时请填写修改意见。"] });
  const result = await transaction(async (tx) => {
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
    const orgName = (await getOrganizationNames(tx, [decided.orgId])).get(decided.orgId) ?? "";
    const audit = {
      actorId: user.id,
      actorName: user.displayName,
      orgId: decided.orgId,
      targetType: "Document",
      targetId: doc.id,
      ip: ctx.ip,
    };
    if (decided.kind === "returned") {
      await transitionDocumentStatus(tx, doc.id, "COUNTERSIGNING", "DRAFT");
      await recordAudit(tx, {
        ...audit,
        action: "document.countersign_returned",
        summary: `${orgName}退回《${doc.title}》第${decided.round}轮会签：${input.comment}`,
      });
      return { kind: "returned" as const, versionId: decided.versionId };
    }
    await recordAudit(tx, {
      ...audit,
      action: "document.countersign_approved",
      summary: `${orgName}同意《${doc.title}》第${decided.round}轮会签`,
    });
    if (decided.kind === "approved") return { kind: "approved" as const };
    const version = await getVersionSeal(tx, decided.versionId);
    // Tracking starts: the final text's items become active, their wording frozen with it.
    await syncTrackedItems(tx, doc.id, JSON.parse(version.json), { frozen: true });
    const activated = await activateItems(tx, doc.id);
    await finalizeDocument(tx, doc.id, version);
    await markConsultationFinalizedByMinutes(tx, doc.id);
    await recordAudit(tx, {
      ...audit,
      orgId: doc.ownerOrgId,
      action: "document.finalized",
      summary: `《${doc.title}》经全部单位会签定稿，SHA-256 ${version.sha256}`,
    });
    return { kind: "finalized" as const, activated };
  });
  if (result.kind === "not_open") throw conflict("该文书当前不在会签中。");
  if (result.kind === "not_listed" || result.kind === "already_decided") throw roundRefusal(result.kind);
  // The units' comments on the frozen version are anchored in the reopened draft.
  if (result.kind === "returned") await placeVersionAnchors(doc, result.versionId, ctx);
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
    status: result.kind === "finalized" ? "FINALIZED" : result.kind === "returned" ? "DRAFT" : "COUNTERSIGNING",
  };
}
