import { markSearchDirty } from "~/models/search.server";
import type { Prisma, Tx } from "~/db.server";
import {
  AWAITING_FEEDBACK_STATUSES,
  AWAITING_RECEIPT_STATUSES,
  RETURNABLE_STATUSES,
  type ClueFacts,
} from "~/domain/clue";
import { isId } from "~/domain/ids";
import { attachmentData, type StoredFile } from "~/models/attachment.server";

/**
 * 线索移送 data (ADR 023). `involvedPersons` (涉及人员) is selected by `getCluePage` only: no list,
 * count, statistics or reminder query here reads it.
 */

export type ClueFileSet = "TRANSFER" | "FEEDBACK";

/** What the clue policy and the commands need, or null when it does not exist. */
export async function getClueFacts(tx: Tx, id: string) {
  if (!isId(id)) return null;
  const c = await tx.clue.findUnique({
    where: { id },
    select: {
      id: true,
      docNumber: true,
      route: true,
      status: true,
      needsFeedback: true,
      fromOrgId: true,
      toOrgId: true,
      transferredAt: true,
      receiptDueAt: true,
      feedbackDueAt: true,
      fromOrg: { select: { name: true, region: { select: { path: true } } } },
      toOrg: { select: { name: true, region: { select: { path: true } } } },
      grants: { select: { orgId: true } },
    },
  });
  if (!c) return null;
  const facts: ClueFacts = {
    fromOrgId: c.fromOrgId,
    toOrgId: c.toOrgId,
    status: c.status,
    needsFeedback: c.needsFeedback,
    grantOrgIds: c.grants.map((g) => g.orgId),
  };
  return {
    ...facts,
    id: c.id,
    docNumber: c.docNumber,
    route: c.route,
    transferredAt: c.transferredAt,
    receiptDueAt: c.receiptDueAt,
    feedbackDueAt: c.feedbackDueAt,
    fromOrgName: c.fromOrg.name,
    toOrgName: c.toOrg.name,
    fromRegionPath: c.fromOrg.region.path,
    toRegionPath: c.toOrg.region.path,
  };
}

export type ClueFactsRow = NonNullable<Awaited<ReturnType<typeof getClueFacts>>>;

/** Everything the clue page shows — 涉及人员 included: only for a handler the policy let read it. */
export async function getCluePage(tx: Tx, id: string) {
  return tx.clue.findUnique({
    where: { id },
    select: {
      id: true,
      docNumber: true,
      route: true,
      source: true,
      summary: true,
      involvedUnits: true,
      involvedPersons: true,
      status: true,
      transferredAt: true,
      receiptDueAt: true,
      needsFeedback: true,
      feedbackDueAt: true,
      receivedAt: true,
      receivedById: true,
      handlingAt: true,
      returnedAt: true,
      returnedReason: true,
      feedbackOutcome: true,
      feedbackText: true,
      feedbackAt: true,
      feedbackById: true,
      closedAt: true,
      createdById: true,
      fromOrg: { select: { id: true, name: true } },
      toOrg: { select: { id: true, name: true } },
      files: {
        select: { id: true, fileName: true, size: true, cluePart: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      },
      grants: { select: { org: { select: { id: true, name: true } }, createdAt: true }, orderBy: { createdAt: "asc" } },
    },
  });
}

/** Whether the sending unit already used this 移送文号. */
export async function clueDocNumberTaken(tx: Tx, fromOrgId: string, docNumber: string): Promise<boolean> {
  const row = await tx.clue.findUnique({
    where: { fromOrgId_docNumber: { fromOrgId, docNumber } },
    select: { id: true },
  });
  return row !== null;
}

export interface NewClue {
  id: string;
  docNumber: string;
  fromOrgId: string;
  toOrgId: string;
  route: string;
  source: string;
  summary: string;
  involvedUnits: string;
  involvedPersons: string;
  transferredAt: Date;
  receiptDueAt: Date;
  needsFeedback: boolean;
  feedbackDueAt: Date | null;
  createdById: string;
  files: readonly StoredFile[];
}

/** 移送: the clue with its 移送材料. */
export async function createClue(tx: Tx, input: NewClue): Promise<void> {
  const { files, ...row } = input;
  await tx.clue.create({
    data: {
      ...row,
      status: "TRANSFERRED",
      files: { create: files.map((f) => ({ ...attachmentData(f), cluePart: "TRANSFER" })) },
    },
    select: { id: true },
  });
  await markSearchDirty(tx, "clue", [row.id]);
}

/** Moves a clue from one of `from` to `data`'s state; false when it was no longer in one of them. */
async function transition(
  tx: Tx,
  id: string,
  from: readonly string[],
  data: Prisma.ClueUpdateManyMutationInput,
): Promise<boolean> {
  const moved = await tx.clue.updateMany({ where: { id, status: { in: [...from] } }, data });
  if (moved.count > 0) await markSearchDirty(tx, "clue", [id]);
  return moved.count > 0;
}

/** 签收. */
export function markClueReceived(tx: Tx, id: string, by: string, at: Date): Promise<boolean> {
  return transition(tx, id, AWAITING_RECEIPT_STATUSES, { status: "RECEIVED", receivedAt: at, receivedById: by });
}

/** 退回 with its reason, before handling starts. */
export function markClueReturned(tx: Tx, id: string, by: string, at: Date, reason: string): Promise<boolean> {
  return transition(tx, id, RETURNABLE_STATUSES, {
    status: "RETURNED",
    returnedAt: at,
    returnedById: by,
    returnedReason: reason,
  });
}

/** 开始办理. */
export function markClueHandling(tx: Tx, id: string, at: Date): Promise<boolean> {
  return transition(tx, id, ["RECEIVED"], { status: "HANDLING", handlingAt: at });
}

/** 反馈: the outcome, its text and the 反馈材料. */
export async function recordClueFeedback(
  tx: Tx,
  id: string,
  input: { outcome: string; text: string; by: string; at: Date; files: readonly StoredFile[] },
): Promise<boolean> {
  const moved = await transition(tx, id, ["HANDLING"], {
    status: "FEEDBACK",
    feedbackOutcome: input.outcome,
    feedbackText: input.text,
    feedbackAt: input.at,
    feedbackById: input.by,
  });
  if (!moved) return false;
  for (const f of input.files)
    await tx.attachment.create({
      data: { ...attachmentData(f), clueId: id, cluePart: "FEEDBACK" },
      select: { id: true },
    });
  return true;
}

/** 办结 from `from` (FEEDBACK, or HANDLING when no feedback was asked for). */
export function markClueClosed(tx: Tx, id: string, from: string, by: string, at: Date): Promise<boolean> {
  return transition(tx, id, [from], { status: "CLOSED", closedAt: at, closedById: by });
}

/** Grants an upper-level unit access to the clue; false when it had it already. */
export async function addClueGrant(tx: Tx, clueId: string, orgId: string, grantedById: string): Promise<boolean> {
  const existing = await tx.clueGrant.findUnique({
    where: { clueId_orgId: { clueId, orgId } },
    select: { orgId: true },
  });
  if (existing) return false;
  await tx.clueGrant.create({ data: { clueId, orgId, grantedById }, select: { orgId: true } });
  return true;
}

/** Withdraws a grant; false when there was none. */
export async function removeClueGrant(tx: Tx, clueId: string, orgId: string): Promise<boolean> {
  const removed = await tx.clueGrant.deleteMany({ where: { clueId, orgId } });
  return removed.count > 0;
}

/** The units a clue's handlers may grant access to: discipline commissions of the regions above `paths`. */
export async function listGrantCandidates(tx: Tx, kinds: readonly string[], aboveOf: readonly string[]) {
  const ancestors = [...new Set(aboveOf.flatMap(ancestorPaths))];
  if (ancestors.length === 0) return [];
  return tx.organization.findMany({
    where: { active: true, kind: { in: [...kinds] }, region: { path: { in: ancestors } } },
    select: { id: true, name: true, kind: true, region: { select: { path: true } } },
    orderBy: { name: "asc" },
  });
}

/** "/p/c/k/" → ["/p/", "/p/c/"]: the regions strictly above. */
function ancestorPaths(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join("/")}/`);
}

// ---- the register ------------------------------------------------------------------------------

export type { ClueView } from "~/domain/clue";
import type { ClueView } from "~/domain/clue";

/** Clues the units sent, received or were granted: one where per view. */
function viewWhere(orgIds: readonly string[], view: ClueView): Prisma.ClueWhereInput {
  const ids = [...orgIds];
  if (view === "out") return { fromOrgId: { in: ids } };
  if (view === "in") return { toOrgId: { in: ids } };
  return { grants: { some: { orgId: { in: ids } } } };
}

/** Waiting for the receiver's signature past the deadline. */
export function overdueReceiptWhere(now: Date): Prisma.ClueWhereInput {
  return { status: { in: [...AWAITING_RECEIPT_STATUSES] }, receiptDueAt: { lt: now } };
}

/** Received, feedback asked for, not given, past the deadline. */
export function overdueFeedbackWhere(now: Date): Prisma.ClueWhereInput {
  return { status: { in: [...AWAITING_FEEDBACK_STATUSES] }, needsFeedback: true, feedbackDueAt: { lt: now } };
}

export interface ClueFilter {
  status?: string;
  source?: string;
  overdue?: "receipt" | "feedback" | "any";
  now: Date;
}

function filterWhere(filter: ClueFilter): Prisma.ClueWhereInput[] {
  const and: Prisma.ClueWhereInput[] = [];
  if (filter.status) and.push({ status: filter.status });
  if (filter.source) and.push({ source: filter.source });
  if (filter.overdue === "receipt") and.push(overdueReceiptWhere(filter.now));
  if (filter.overdue === "feedback") and.push(overdueFeedbackWhere(filter.now));
  if (filter.overdue === "any") and.push({ OR: [overdueReceiptWhere(filter.now), overdueFeedbackWhere(filter.now)] });
  return and;
}

/** A register row: what the list shows — never the summary, 涉及单位 or 涉及人员 (ADR 023). */
export const CLUE_LIST_SELECT = {
  id: true,
  docNumber: true,
  route: true,
  source: true,
  status: true,
  transferredAt: true,
  receiptDueAt: true,
  receivedAt: true,
  needsFeedback: true,
  feedbackDueAt: true,
  feedbackAt: true,
  feedbackOutcome: true,
  fromOrg: { select: { name: true } },
  toOrg: { select: { name: true } },
} satisfies Prisma.ClueSelect;

export type ClueListRow = Prisma.ClueGetPayload<{ select: typeof CLUE_LIST_SELECT }>;

/** One view of the units' register, filtered, newest transfers first. */
export async function listCluesForOrgs(
  tx: Tx,
  orgIds: readonly string[],
  view: ClueView,
  filter: ClueFilter,
  take = 200,
): Promise<ClueListRow[]> {
  if (orgIds.length === 0) return [];
  return tx.clue.findMany({
    where: { AND: [viewWhere(orgIds, view), ...filterWhere(filter)] },
    select: CLUE_LIST_SELECT,
    orderBy: [{ transferredAt: "desc" }, { id: "asc" }],
    take,
  });
}

/** Per view: how many clues, and how many are overdue for receipt or for feedback. */
export async function countCluesForOrgs(tx: Tx, orgIds: readonly string[], now: Date) {
  const views: ClueView[] = ["out", "in", "granted"];
  const counts = await Promise.all(
    views.map(async (view) => {
      if (orgIds.length === 0) return [view, { total: 0, overdueReceipt: 0, overdueFeedback: 0 }] as const;
      const where = viewWhere(orgIds, view);
      const [total, overdueReceipt, overdueFeedback] = await Promise.all([
        tx.clue.count({ where }),
        tx.clue.count({ where: { AND: [where, overdueReceiptWhere(now)] } }),
        tx.clue.count({ where: { AND: [where, overdueFeedbackWhere(now)] } }),
      ]);
      return [view, { total, overdueReceipt, overdueFeedback }] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<
    ClueView,
    { total: number; overdueReceipt: number; overdueFeedback: number }
  >;
}

/** The statistics of the clues these units sent: routes, states, outcomes — no content, no person. */
export async function listSentCluesForStats(tx: Tx, fromOrgIds: readonly string[]) {
  if (fromOrgIds.length === 0) return [];
  return tx.clue.findMany({
    where: { fromOrgId: { in: [...fromOrgIds] } },
    select: {
      route: true,
      source: true,
      status: true,
      receiptDueAt: true,
      receivedAt: true,
      needsFeedback: true,
      feedbackDueAt: true,
      feedbackAt: true,
      feedbackOutcome: true,
      toOrg: { select: { name: true } },
    },
    take: 10_000,
  });
}
