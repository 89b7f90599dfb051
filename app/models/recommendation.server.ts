import { markSearchDirty } from "~/models/search.server";
import { isId } from "~/domain/ids";
import type { Prisma, Tx } from "~/db.server";
import { supervisingRegionPaths, type Actor } from "~/domain/actor";
import { belowRegionWhere } from "~/models/region.server";
import {
  FOLLOWING_KINDS,
  RECOMMENDATION_KIND_LABELS,
  RECOMMENDATION_STATUS_LABELS,
  replyState,
  type RecommendationFacts,
  type RecommendationKind,
  type RecommendationStatus,
} from "~/domain/recommendation";
import { formatDate } from "~/domain/dates";
import { attachmentData, type StoredFile } from "~/models/attachment.server";

/** What the recommendation policies need, or null when it does not exist. */
export async function getRecommendationFacts(
  tx: Tx,
  id: string,
): Promise<
  | (RecommendationFacts & {
      id: string;
      title: string;
      docNumber: string;
      kind: string;
      planDocumentId: string | null;
      replyDocumentId: string | null;
      replyDueDate: Date;
      receivedOn: Date;
    })
  | null
> {
  if (!isId(id)) return null;
  const r = await tx.recommendation.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      title: true,
      docNumber: true,
      status: true,
      issuerOrgId: true,
      recipientOrgId: true,
      replyDueDate: true,
      receivedOn: true,
      recipientOrg: { select: { region: { select: { path: true } } } },
      copies: { select: { orgId: true } },
      planDocumentId: true,
      planDocument: { select: { status: true } },
      replyDocumentId: true,
      replyDocument: { select: { status: true } },
    },
  });
  if (!r) return null;
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    docNumber: r.docNumber,
    status: r.status,
    issuerOrgId: r.issuerOrgId,
    recipientOrgId: r.recipientOrgId,
    recipientRegionPath: r.recipientOrg.region.path,
    copyOrgIds: r.copies.map((c) => c.orgId),
    planDocumentId: r.planDocumentId,
    planStatus: r.planDocument?.status ?? null,
    replyDocumentId: r.replyDocumentId,
    replyStatus: r.replyDocument?.status ?? null,
    replyDueDate: r.replyDueDate,
    receivedOn: r.receivedOn,
  };
}

/** Everything the recommendation page shows. */
export async function getRecommendationPage(tx: Tx, id: string) {
  return tx.recommendation.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      docNumber: true,
      title: true,
      problems: true,
      status: true,
      issuedOn: true,
      receivedOn: true,
      replyDueDate: true,
      replyDueReason: true,
      repliedAt: true,
      repliedLate: true,
      closedAt: true,
      createdAt: true,
      issuerOrg: { select: { id: true, name: true } },
      recipientOrg: { select: { id: true, name: true } },
      copies: { select: { org: { select: { id: true, name: true } } } },
      files: { select: { id: true, fileName: true, size: true, createdAt: true }, orderBy: { createdAt: "asc" } },
      planDocument: { select: { id: true, title: true, status: true, finalHash: true } },
      replyDocument: { select: { id: true, title: true, status: true, finalHash: true } },
    },
  });
}

/** The tracked measures of a plan, in text order, with what the page and the reply show. */
export async function listPlanMeasures(tx: Tx, planDocumentId: string) {
  return tx.trackedItem.findMany({
    where: { sourceDocumentId: planDocumentId, status: { not: "REMOVED" } },
    select: {
      id: true,
      number: true,
      wording: true,
      status: true,
      dueDate: true,
      responsible: true,
      standard: true,
      lastProgressAt: true,
      lastProgressText: true,
      leadOrg: { select: { name: true } },
    },
    orderBy: { number: "asc" },
  });
}

/**
 * Recommendations an actor may see, as a query (mirrors `recommendationRelation`): issued by,
 * addressed to or copied to one of their orgs, or (justice bureaus) addressed to an org of a lower
 * region.
 */
export function recommendationScopeWhere(actor: Actor): Prisma.RecommendationWhereInput {
  const orgIds = actor.memberships.map((m) => m.orgId);
  return {
    OR: [
      { issuerOrgId: { in: orgIds } },
      { recipientOrgId: { in: orgIds } },
      { copies: { some: { orgId: { in: orgIds } } } },
      ...supervisingRegionPaths(actor, FOLLOWING_KINDS).map((path) => ({
        recipientOrg: { region: belowRegionWhere(path) },
      })),
    ],
  };
}

export const LIST_SELECT = {
  id: true,
  kind: true,
  docNumber: true,
  title: true,
  status: true,
  receivedOn: true,
  replyDueDate: true,
  repliedAt: true,
  repliedLate: true,
  issuerOrgId: true,
  recipientOrgId: true,
  issuerOrg: { select: { name: true } },
  recipientOrg: { select: { name: true, region: { select: { name: true } } } },
  copies: { select: { orgId: true, org: { select: { name: true } } } },
} satisfies Prisma.RecommendationSelect;

export const REGISTER_VIEWS = ["to", "from", "copy"] as const;
export type RegisterViewName = (typeof REGISTER_VIEWS)[number];

/** The recommendations of one view of the orgs' register: addressed to them, issued by them or copied to them. */
export function registerViewWhere(orgIds: string[], view: RegisterViewName): Prisma.RecommendationWhereInput {
  return view === "to"
    ? { recipientOrgId: { in: orgIds } }
    : view === "from"
      ? { issuerOrgId: { in: orgIds } }
      : { copies: { some: { orgId: { in: orgIds } } } };
}

/** One org's register: recommendations from it, to it and copied to it, open ones by deadline first. */
export async function listRecommendationsForOrgs(tx: Tx, orgIds: string[], view: RegisterViewName, take = 200) {
  return tx.recommendation.findMany({
    where: registerViewWhere(orgIds, view),
    select: LIST_SELECT,
    orderBy: [{ replyDueDate: "asc" }, { createdAt: "desc" }],
    take,
  });
}

/** Counts per view for the tabs. */
export async function countRecommendationsForOrgs(tx: Tx, orgIds: string[]) {
  const [to, from, copy] = await Promise.all([
    tx.recommendation.count({ where: registerViewWhere(orgIds, "to") }),
    tx.recommendation.count({ where: registerViewWhere(orgIds, "from") }),
    tx.recommendation.count({ where: registerViewWhere(orgIds, "copy") }),
  ]);
  return { to, from, copy };
}

/**
 * The justice bureau's overview: recommendations addressed to orgs in its region and below that it
 * may see (copied to it, or of a lower region), filtered by kind / status / recipient.
 */
export async function listRecommendationsInRegion(
  tx: Tx,
  actor: Actor,
  filter: { kind?: string; status?: string; recipientOrgId?: string; overdueOnly?: boolean; now: Date },
  take = 500,
) {
  const and: Prisma.RecommendationWhereInput[] = [recommendationScopeWhere(actor)];
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.status) and.push({ status: filter.status });
  if (filter.recipientOrgId) and.push({ recipientOrgId: filter.recipientOrgId });
  if (filter.overdueOnly)
    and.push({ OR: [{ repliedLate: true }, { repliedAt: null, replyDueDate: { lt: filter.now } }] });
  return tx.recommendation.findMany({
    where: { AND: and },
    select: LIST_SELECT,
    orderBy: [{ replyDueDate: "asc" }],
    take,
  });
}

/** The justice bureau of an org's region (the default 抄送), if there is one. */
export async function findRegionJusticeBureau(tx: Tx, orgId: string) {
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { regionId: true } });
  if (!org) return null;
  return tx.organization.findFirst({
    where: { regionId: org.regionId, kind: "JUSTICE_BUREAU", active: true },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

/** A register row (`LIST_SELECT`). */
export type RecommendationListRow = Prisma.RecommendationGetPayload<{ select: typeof LIST_SELECT }>;

/** A register row as the lists and the overview show it. */
export function presentRecommendationRow(r: RecommendationListRow, now: Date) {
  return {
    id: r.id,
    kind: RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? r.kind,
    docNumber: r.docNumber,
    title: r.title,
    issuer: r.issuerOrg.name,
    recipient: r.recipientOrg.name,
    region: r.recipientOrg.region.name,
    copies: r.copies.map((c) => c.org.name).join("、"),
    received: formatDate(r.receivedOn),
    due: formatDate(r.replyDueDate),
    repliedAt: r.repliedAt ? formatDate(r.repliedAt) : null,
    reply: replyState(r, now),
    status: RECOMMENDATION_STATUS_LABELS[r.status as RecommendationStatus] ?? r.status,
    statusCode: r.status,
  };
}

/** The recommendation a document is the 整改方案 of or the 书面回复 to, or null. */
export async function findRecommendationOfDocument(tx: Tx, documentId: string) {
  return tx.recommendation.findFirst({
    where: { OR: [{ planDocumentId: documentId }, { replyDocumentId: documentId }] },
    select: { id: true, title: true, docNumber: true },
  });
}

// ---- commands -----------------------------------------------------------------------------------

export interface NewRecommendation {
  id: string;
  kind: string;
  docNumber: string;
  title: string;
  problems: string;
  issuerOrgId: string;
  recipientOrgId: string;
  issuedOn: Date;
  receivedOn: Date;
  replyDueDate: Date;
  replyDueReason: string | null;
  createdById: string;
  copyOrgIds: readonly string[];
  original: StoredFile | null;
}

/** Whether the issuer already registered a recommendation with this 文号. */
export async function docNumberTaken(tx: Tx, issuerOrgId: string, docNumber: string): Promise<boolean> {
  const row = await tx.recommendation.findUnique({
    where: { issuerOrgId_docNumber: { issuerOrgId, docNumber } },
    select: { id: true },
  });
  return row !== null;
}

/** 登记: the recommendation with its 抄送 orgs and, when given, its original. */
export async function createRecommendation(tx: Tx, input: NewRecommendation): Promise<void> {
  const { copyOrgIds, original, ...row } = input;
  await tx.recommendation.create({
    data: {
      ...row,
      copies: { create: copyOrgIds.map((orgId) => ({ orgId })) },
      ...(original ? { files: { create: [attachmentData(original)] } } : {}),
    },
    select: { id: true },
  });
  await markSearchDirty(tx, "recommendation", [row.id]);
}

export async function setReplyDue(tx: Tx, id: string, replyDueDate: Date, reason: string): Promise<void> {
  await tx.recommendation.update({
    where: { id },
    data: { replyDueDate, replyDueReason: reason },
    select: { id: true },
  });
}

/** Takes the right to create the plan: REGISTERED → RECTIFYING while none exists; false when taken meanwhile. */
export async function startRectifying(tx: Tx, id: string): Promise<boolean> {
  const taken = await tx.recommendation.updateMany({
    where: { id, planDocumentId: null, status: "REGISTERED" },
    data: { status: "RECTIFYING" },
  });
  if (taken.count > 0) await markSearchDirty(tx, "recommendation", [id]);
  return taken.count > 0;
}

export async function setPlanDocument(tx: Tx, id: string, planDocumentId: string): Promise<void> {
  await tx.recommendation.update({ where: { id }, data: { planDocumentId }, select: { id: true } });
}

/** Links the reply draft unless one is linked already (false then). */
export async function linkReplyDocument(tx: Tx, id: string, replyDocumentId: string): Promise<boolean> {
  const linked = await tx.recommendation.updateMany({
    where: { id, replyDocumentId: null },
    data: { replyDocumentId },
  });
  return linked.count > 0;
}

export async function markReplied(tx: Tx, id: string, at: Date, late: boolean): Promise<void> {
  await tx.recommendation.update({
    where: { id },
    data: { status: "REPLIED", repliedAt: at, repliedLate: late },
    select: { id: true },
  });
  await markSearchDirty(tx, "recommendation", [id]);
}

/** 销号 of a replied recommendation; false when it was no longer REPLIED. */
export async function closeReplied(tx: Tx, id: string, at: Date): Promise<boolean> {
  const moved = await tx.recommendation.updateMany({
    where: { id, status: "REPLIED" },
    data: { status: "CLOSED", closedAt: at },
  });
  if (moved.count > 0) await markSearchDirty(tx, "recommendation", [id]);
  return moved.count > 0;
}

const draftSourceSelect = {
  problems: true,
  receivedOn: true,
  replyDueDate: true,
  issuerOrg: { select: { name: true } },
  recipientOrg: { select: { id: true, name: true } },
  copies: { select: { org: { select: { id: true, name: true } } } },
} as const;

export type DraftSource = Prisma.RecommendationGetPayload<{ select: typeof draftSourceSelect }>;

/** What the plan and reply templates are written from (problems, dates, the orgs' names). */
export async function getDraftSource(tx: Tx, id: string): Promise<DraftSource | null> {
  return tx.recommendation.findUnique({ where: { id }, select: draftSourceSelect });
}
