import type { Prisma, Tx } from "~/db.server";
import { documentPolicySelect } from "~/models/document.server";

/**
 * A user's own marks on documents (ADR 029): 我关注的 (stars) and 最近打开 (the last visit to each
 * document's page). Rows say nothing about access: readers filter them through the policy.
 */

export async function setDocumentStar(tx: Tx, userId: string, documentId: string, starred: boolean): Promise<void> {
  if (starred)
    await tx.documentStar.upsert({
      where: { userId_documentId: { userId, documentId } },
      create: { userId, documentId },
      update: {},
    });
  else await tx.documentStar.deleteMany({ where: { userId, documentId } });
}

export async function isDocumentStarred(tx: Tx, userId: string, documentId: string): Promise<boolean> {
  return (await tx.documentStar.count({ where: { userId, documentId } })) > 0;
}

/** The user opened the document's page now (one row per user and document). */
export async function recordDocumentVisit(tx: Tx, userId: string, documentId: string, at: Date): Promise<void> {
  await tx.documentVisit.upsert({
    where: { userId_documentId: { userId, documentId } },
    create: { userId, documentId, visitedAt: at },
    update: { visitedAt: at },
  });
}

const markedSelect = {
  ...documentPolicySelect,
  id: true,
  title: true,
  type: true,
  ownerOrg: { select: { name: true, region: { select: { path: true } } } },
} as const satisfies Prisma.DocumentSelect;

export type MarkedDocument = Prisma.DocumentGetPayload<{ select: typeof markedSelect }> & { at: Date };

/** The user's starred documents, latest first (at most `take`; the caller keeps the readable ones). */
export async function listStarredDocuments(tx: Tx, userId: string, take: number): Promise<MarkedDocument[]> {
  const rows = await tx.documentStar.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { documentId: "asc" }],
    take,
    select: { createdAt: true, document: { select: markedSelect } },
  });
  return rows.map((r) => ({ ...r.document, at: r.createdAt }));
}

/** The documents the user opened last, latest first (at most `take`; the caller keeps the readable ones). */
export async function listVisitedDocuments(tx: Tx, userId: string, take: number): Promise<MarkedDocument[]> {
  const rows = await tx.documentVisit.findMany({
    where: { userId },
    orderBy: [{ visitedAt: "desc" }, { documentId: "asc" }],
    take,
    select: { visitedAt: true, document: { select: markedSelect } },
  });
  return rows.map((r) => ({ ...r.document, at: r.visitedAt }));
}
