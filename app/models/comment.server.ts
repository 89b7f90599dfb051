import { markSearchDirty } from "~/models/search.server";
import { Prisma, type Tx } from "~/db.server";
import type { CommentFacts, ThreadFacts } from "~/domain/comment";
import { newId } from "~/utils/ids";

/** Comment threads (批注, ADR 017): rows of `CommentThread`, `Comment`, `CommentRevision`, `Mention`. */

/** A comment's author; an outside participant signs as 专家 张某（法学） (ADR 024). */
const authorSelect = {
  id: true,
  displayName: true,
  externalPerson: { select: { kind: true, name: true, fields: true } },
} as const;

const commentSelect = {
  id: true,
  body: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  author: { select: authorSelect },
  org: { select: { id: true, name: true, shortName: true } },
  mentions: { select: { userId: true, orgId: true } },
} as const;

const threadSelect = {
  id: true,
  documentId: true,
  quote: true,
  status: true,
  anchored: true,
  versionId: true,
  anchorFrom: true,
  anchorTo: true,
  resolvedAt: true,
  createdAt: true,
  author: { select: authorSelect },
  org: { select: { id: true, name: true, shortName: true } },
  resolvedById: true,
  comments: { select: commentSelect, orderBy: { createdAt: "asc" } },
} as const;

export type ThreadRow = Prisma.CommentThreadGetPayload<{ select: typeof threadSelect }>;
export type CommentRow = Prisma.CommentGetPayload<{ select: typeof commentSelect }>;

/** Every thread of a document with its comments, oldest first. */
export async function listThreads(tx: Tx, documentId: string): Promise<ThreadRow[]> {
  return tx.commentThread.findMany({ where: { documentId }, select: threadSelect, orderBy: { createdAt: "asc" } });
}

export async function getThread(tx: Tx, id: string): Promise<ThreadRow | null> {
  return tx.commentThread.findUnique({ where: { id }, select: threadSelect });
}

export async function getThreadFacts(tx: Tx, id: string): Promise<ThreadFacts | null> {
  return tx.commentThread.findUnique({
    where: { id },
    select: { id: true, documentId: true, authorId: true, orgId: true, status: true, versionId: true },
  });
}

export async function getCommentFacts(tx: Tx, id: string): Promise<CommentFacts | null> {
  const row = await tx.comment.findUnique({
    where: { id },
    select: { id: true, threadId: true, authorId: true, deletedAt: true },
  });
  return row ? { id: row.id, threadId: row.threadId, authorId: row.authorId, deleted: row.deletedAt !== null } : null;
}

export interface NewComment {
  authorId: string;
  orgId: string | null;
  body: string;
  mentions: { userIds: readonly string[]; orgIds: readonly string[] };
}

function mentionRows(commentId: string, mentions: NewComment["mentions"]) {
  return [
    ...mentions.userIds.map((userId) => ({ id: newId(), commentId, userId })),
    ...mentions.orgIds.map((orgId) => ({ id: newId(), commentId, orgId })),
  ];
}

/** Opens a thread with its first comment; returns the ids. */
export async function createThread(
  tx: Tx,
  input: NewComment & {
    id?: string;
    documentId: string;
    quote: string;
    version?: { id: string; from: number; to: number };
  },
): Promise<{ threadId: string; commentId: string }> {
  const threadId = input.id ?? newId();
  const commentId = newId();
  await tx.commentThread.create({
    data: {
      id: threadId,
      documentId: input.documentId,
      quote: input.quote,
      authorId: input.authorId,
      orgId: input.orgId,
      versionId: input.version?.id ?? null,
      anchorFrom: input.version?.from ?? null,
      anchorTo: input.version?.to ?? null,
    },
  });
  await tx.comment.create({
    data: { id: commentId, threadId, authorId: input.authorId, orgId: input.orgId, body: input.body },
  });
  const mentions = mentionRows(commentId, input.mentions);
  if (mentions.length) await tx.mention.createMany({ data: mentions });
  await markSearchDirty(tx, "comment", [threadId]);
  return { threadId, commentId };
}

export async function addComment(tx: Tx, threadId: string, input: NewComment): Promise<string> {
  const id = newId();
  await tx.comment.create({ data: { id, threadId, authorId: input.authorId, orgId: input.orgId, body: input.body } });
  const mentions = mentionRows(id, input.mentions);
  if (mentions.length) await tx.mention.createMany({ data: mentions });
  await tx.commentThread.update({ where: { id: threadId }, data: { updatedAt: new Date() } });
  await markSearchDirty(tx, "comment", [threadId]);
  return id;
}

/** A new wording; the previous one is kept as a revision. */
export async function editComment(tx: Tx, id: string, body: string, now: Date): Promise<void> {
  const current = await tx.comment.findUniqueOrThrow({ where: { id }, select: { body: true } });
  await tx.commentRevision.create({ data: { id: newId(), commentId: id, body: current.body, createdAt: now } });
  const { threadId } = await tx.comment.update({
    where: { id },
    data: { body, editedAt: now },
    select: { threadId: true },
  });
  await touchThread(tx, threadId, now);
}

/** Soft deletion by the author: the comment stays as 「已删除」. */
export async function deleteComment(tx: Tx, id: string, now: Date): Promise<void> {
  const { threadId } = await tx.comment.update({ where: { id }, data: { deletedAt: now }, select: { threadId: true } });
  await touchThread(tx, threadId, now);
}

/** A comment of the thread changed: the thread's time moves (the search sweep compares it) and it is re-indexed. */
async function touchThread(tx: Tx, threadId: string, now: Date): Promise<void> {
  await tx.commentThread.update({ where: { id: threadId }, data: { updatedAt: now }, select: { id: true } });
  await markSearchDirty(tx, "comment", [threadId]);
}

/** Resolves or reopens; false when the thread was not in the expected status (a race lost). */
export async function setThreadStatus(
  tx: Tx,
  id: string,
  input: { from: "OPEN" | "RESOLVED"; to: "OPEN" | "RESOLVED"; byId: string; now: Date },
): Promise<boolean> {
  const resolved = input.to === "RESOLVED";
  const moved = await tx.commentThread.updateMany({
    where: { id, status: input.from },
    data: { status: input.to, resolvedById: resolved ? input.byId : null, resolvedAt: resolved ? input.now : null },
  });
  if (moved.count > 0) await markSearchDirty(tx, "comment", [id]);
  return moved.count > 0;
}

/**
 * Follows the live text: threads whose mark is gone are no longer anchored (原文已删除), threads whose
 * mark is back (a restore) are again. Returns the ids that changed.
 */
export async function syncThreadAnchors(tx: Tx, documentId: string, present: ReadonlySet<string>): Promise<string[]> {
  const rows = await tx.commentThread.findMany({
    where: { documentId, anchorFrom: null },
    select: { id: true, anchored: true },
  });
  const lost = rows.filter((r) => r.anchored && !present.has(r.id)).map((r) => r.id);
  const back = rows.filter((r) => !r.anchored && present.has(r.id)).map((r) => r.id);
  if (lost.length) await tx.commentThread.updateMany({ where: { id: { in: lost } }, data: { anchored: false } });
  if (back.length) await tx.commentThread.updateMany({ where: { id: { in: back } }, data: { anchored: true } });
  return [...lost, ...back];
}

/** Threads opened on a frozen version whose anchor waits for the draft to reopen. */
export async function listPendingVersionAnchors(tx: Tx, documentId: string, versionId: string) {
  return tx.commentThread.findMany({
    where: { documentId, versionId, anchorFrom: { not: null } },
    select: { id: true, quote: true, anchorFrom: true, anchorTo: true },
  });
}

/** The anchor of a version thread is now in the draft (or could not be placed: not anchored). */
export async function settleVersionAnchor(tx: Tx, id: string, anchored: boolean): Promise<void> {
  await tx.commentThread.update({ where: { id }, data: { anchorFrom: null, anchorTo: null, anchored } });
}

/** Open threads of a document (the countersign warning lists them). */
export async function listOpenThreads(tx: Tx, documentId: string) {
  return tx.commentThread.findMany({
    where: { documentId, status: "OPEN" },
    select: {
      id: true,
      quote: true,
      orgId: true,
      org: { select: { name: true } },
      author: { select: { displayName: true } },
    },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * Threads open at some moment of a span (a version's life, from its save to the next one): opened
 * before it ended and not resolved before it began. A thread resolved and later reopened counts as
 * open (its earlier resolution is not kept).
 */
export async function listThreadsOpenDuring(tx: Tx, documentId: string, from: Date, to: Date) {
  return tx.commentThread.findMany({
    where: { documentId, createdAt: { lte: to }, OR: [{ resolvedAt: null }, { resolvedAt: { gt: from } }] },
    select: {
      id: true,
      quote: true,
      versionId: true,
      org: { select: { name: true } },
      author: { select: { displayName: true } },
      comments: {
        where: { deletedAt: null, createdAt: { lte: to } },
        orderBy: { createdAt: "asc" },
        take: 1,
        select: { body: true },
      },
    },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * The live comments of outside participants on a document (汇总专家意见, ADR 024), oldest first, with
 * the quoted text of their thread.
 */
export async function listGuestComments(tx: Tx, documentId: string) {
  return tx.comment.findMany({
    where: { thread: { documentId }, deletedAt: null, author: { externalKind: { not: null } } },
    select: {
      id: true,
      body: true,
      createdAt: true,
      author: { select: authorSelect },
      thread: { select: { quote: true } },
    },
    orderBy: { createdAt: "asc" },
  });
}
