import { markSearchDirty } from "~/models/search.server";
import { getDb, type Prisma, type Tx } from "~/db.server";
import type { DocumentFacts } from "~/domain/document";
import { newId } from "~/utils/ids";

/** A document's policy facts with what every command names it by. */
export type DocumentFactsOf = DocumentFacts & { id: string; title: string; type: string };

/** The columns policies read about a document (with `documentFactsOf`, for queries that list documents). */
export const documentPolicySelect = {
  status: true,
  ownerOrgId: true,
  ownerOrg: { select: { region: { select: { path: true } } } },
  members: { select: { orgId: true, userId: true, access: true } },
} as const satisfies Prisma.DocumentSelect;

type PolicyRow = Prisma.DocumentGetPayload<{ select: typeof documentPolicySelect }>;

export function documentFactsOf(row: PolicyRow): DocumentFacts {
  return {
    status: row.status,
    ownerOrgId: row.ownerOrgId,
    ownerRegionPath: row.ownerOrg.region.path,
    members: row.members,
  };
}

const factsSelect = { id: true, title: true, type: true, ...documentPolicySelect } as const;

/** What policies need about a document, or null when it does not exist. */
export async function getDocumentFacts(tx: Tx, id: string): Promise<DocumentFactsOf | null> {
  const row = await tx.document.findUnique({ where: { id }, select: factsSelect });
  if (!row) return null;
  return { id: row.id, title: row.title, type: row.type, ...documentFactsOf(row) };
}

/** getDocumentFacts on the process's client (the collab server's authentication). */
export function loadDocumentFacts(id: string): ReturnType<typeof getDocumentFacts> {
  return getDocumentFacts(getDb(), id);
}

export async function getDocumentSnapshotText(tx: Tx, id: string) {
  return tx.documentSnapshot.findUnique({
    where: { documentId: id },
    select: { text: true, json: true, updatedAt: true },
  });
}

const listSelect = {
  id: true,
  title: true,
  type: true,
  status: true,
  updatedAt: true,
  ownerOrgId: true,
  ownerOrg: { select: { name: true, region: { select: { path: true } } } },
  members: { select: { orgId: true, userId: true, access: true } },
  snapshot: { select: { updatedAt: true } },
  _count: { select: { members: true } },
} as const;

export type DocumentListRow = Prisma.DocumentGetPayload<{ select: typeof listSelect }>;

/**
 * Documents a user reaches through an org membership or individually: the scope of the 文书 list and
 * the 工作台 (the policy lets them read every one; a supervising unit's upper-level reads are not listed).
 */
export function documentScopeWhere(userId: string, orgIds: readonly string[]): Prisma.DocumentWhereInput {
  return {
    OR: [
      { ownerOrgId: { in: [...orgIds] } },
      { members: { some: { orgId: { in: [...orgIds] } } } },
      { members: { some: { userId } } },
    ],
  };
}

/** Documents the user reaches through an org membership or individually, newest first. */
export async function listDocumentsForUser(
  tx: Tx,
  userId: string,
  orgIds: string[],
  take = 100,
): Promise<DocumentListRow[]> {
  return tx.document.findMany({
    where: documentScopeWhere(userId, orgIds),
    select: listSelect,
    orderBy: { updatedAt: "desc" },
    take,
  });
}

const pageSelect = {
  id: true,
  title: true,
  type: true,
  status: true,
  finalHash: true,
  createdAt: true,
  ownerOrgId: true,
  ownerOrg: { select: { id: true, name: true, region: { select: { path: true } } } },
  members: {
    select: {
      id: true,
      access: true,
      orgId: true,
      userId: true,
      org: { select: { id: true, name: true } },
      user: { select: { id: true, displayName: true } },
    },
  },
} as const;

export type DocumentPageRow = Prisma.DocumentGetPayload<{ select: typeof pageSelect }>;

/** Everything the document page shows, plus its policy facts, in one query. */
export async function getDocumentPage(
  tx: Tx,
  id: string,
): Promise<{ page: DocumentPageRow; facts: DocumentFactsOf } | null> {
  const page = await tx.document.findUnique({ where: { id }, select: pageSelect });
  if (!page) return null;
  const facts: DocumentFactsOf = {
    id: page.id,
    title: page.title,
    type: page.type,
    status: page.status,
    ownerOrgId: page.ownerOrgId,
    ownerRegionPath: page.ownerOrg.region.path,
    members: page.members.map((m) => ({ orgId: m.orgId, userId: m.userId, access: m.access })),
  };
  return { page, facts };
}

/**
 * Documents in countersign, and supervised cases awaiting 解除挂牌 confirmation (subject = item id),
 * where one of `orgIds` has not decided yet (工作台 "待本单位会签"); typical cases await the review of
 * `publisherOrgIds` (the orgs where the user is a PUBLISHER).
 */
export async function listAwaitingCountersign(tx: Tx, orgIds: string[], publisherOrgIds: string[] = [], take = 20) {
  if (orgIds.length === 0 && publisherOrgIds.length === 0) return [];
  const rows = await tx.countersign.findMany({
    where: {
      decision: "PENDING",
      OR: [
        { orgId: { in: orgIds }, subject: "", document: { status: "COUNTERSIGNING", type: { not: "TYPICAL_CASE" } } },
        { orgId: { in: publisherOrgIds }, subject: "", document: { status: "COUNTERSIGNING", type: "TYPICAL_CASE" } },
        { orgId: { in: orgIds }, subject: { not: "" } },
      ],
    },
    select: {
      round: true,
      createdAt: true,
      orgId: true,
      subject: true,
      document: { select: { id: true, title: true, type: true, ownerOrg: { select: { name: true } } } },
    },
    orderBy: { createdAt: "asc" },
    take,
  });
  const names = new Map(
    (
      await tx.organization.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.orgId))] } },
        select: { id: true, name: true },
      })
    ).map((o) => [o.id, o.name]),
  );
  return rows.map((r) => ({ ...r, orgName: names.get(r.orgId) ?? "" }));
}

/** Moves a document from one status to another; false when it was no longer in `from` (a race lost). */
export async function transitionDocumentStatus(tx: Tx, id: string, from: string, to: string): Promise<boolean> {
  const moved = await tx.document.updateMany({ where: { id, status: from }, data: { status: to } });
  return moved.count > 0;
}

/** Countersign complete: the document is final with the version's hash. */
export async function finalizeDocument(tx: Tx, id: string, version: { id: string; sha256: string }): Promise<void> {
  await tx.document.update({
    where: { id },
    data: { status: "FINALIZED", finalVersionId: version.id, finalHash: version.sha256 },
  });
}

/** Sets an org's access to a document (`null` removes the org). */
export async function setDocumentOrgAccess(
  tx: Tx,
  documentId: string,
  orgId: string,
  access: string | null,
): Promise<void> {
  await tx.documentMember.deleteMany({ where: { documentId, orgId } });
  if (access) await tx.documentMember.create({ data: { id: newId(), documentId, orgId, access } });
}

/** A new draft with its member orgs (inside the caller's transaction). */
/** A member org (its members by role) or one person (a 特邀 guest: COMMENT, ADR 024). */
export type NewDocumentMember =
  | { orgId: string; userId?: undefined; access: "READ" | "WRITE" }
  | { userId: string; orgId?: undefined; access: "READ" | "COMMENT" };

export async function insertDocument(
  tx: Tx,
  input: {
    id: string;
    type: string;
    title: string;
    ownerOrgId: string;
    createdById: string;
    members: ReadonlyArray<NewDocumentMember>;
  },
): Promise<void> {
  await tx.document.create({
    data: {
      id: input.id,
      type: input.type,
      title: input.title,
      ownerOrgId: input.ownerOrgId,
      createdById: input.createdById,
      members: {
        create: input.members.map((m) => ({
          id: newId(),
          orgId: m.orgId ?? null,
          userId: m.userId ?? null,
          access: m.access,
        })),
      },
    },
  });
}

/** The first snapshot of a new document (its template): the Yjs state and the content derived from it. */
export async function insertDocumentSnapshot(
  tx: Tx,
  input: { documentId: string; state: Uint8Array; json: string; text: string },
): Promise<void> {
  await tx.documentSnapshot.create({ data: { ...input, state: new Uint8Array(input.state), lastSeq: 0 } });
  await markSearchDirty(tx, "document", [input.documentId]);
}

const sealSelect = {
  status: true,
  finalVersionId: true,
  finalHash: true,
  title: true,
  type: true,
  ownerOrg: { select: { name: true } },
  consultation: { select: { series: true, number: true } },
} as const;

/** What a document's final text hangs on (status, final version and hash), with its 版头 facts for exports. */
export type DocumentSeal = Prisma.DocumentGetPayload<{ select: typeof sealSelect }>;

export async function getDocumentSeal(tx: Tx, id: string): Promise<DocumentSeal | null> {
  return tx.document.findUnique({ where: { id }, select: sealSelect });
}

export async function updateDocumentTitle(tx: Tx, id: string, title: string): Promise<void> {
  await tx.document.update({ where: { id }, data: { title } });
  await markSearchDirty(tx, "document", [id]);
}

/** Sets the status whatever it was (a withdrawn case goes back to FINALIZED). */
export async function setDocumentStatus(tx: Tx, id: string, status: string): Promise<void> {
  await tx.document.update({ where: { id }, data: { status } });
}

/** A final document back to a draft (a case reopened for correction): the seal is lifted. */
export async function reopenDocument(tx: Tx, id: string): Promise<void> {
  await tx.document.update({ where: { id }, data: { status: "DRAFT", finalVersionId: null, finalHash: null } });
}

/** The version a document was finalized with (its 定稿), or null while it is not final. */
export async function getFinalVersionId(tx: Tx, id: string): Promise<string | null> {
  return (await tx.document.findUnique({ where: { id }, select: { finalVersionId: true } }))?.finalVersionId ?? null;
}
