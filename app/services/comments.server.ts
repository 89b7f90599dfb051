import { personName } from "~/domain/external";
import { database, transaction, type Tx } from "~/models/unit-of-work.server";
import type { Actor } from "~/domain/actor";
import {
  COMMENT_MAX_LENGTH,
  QUOTE_MAX_LENGTH,
  type CommentsPayload,
  type MentionCandidate,
  type ThreadFacts,
  type ThreadView,
} from "~/domain/comment";
import type { DocumentFacts } from "~/domain/document";
import { invalid, notFound } from "~/domain/errors";
import type { DomainEvent } from "~/domain/events";
import { editorSchema } from "~/editor/schema/extensions";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import {
  addComment,
  createThread,
  deleteComment,
  editComment,
  getCommentFacts,
  getThreadFacts,
  listPendingVersionAnchors,
  listThreads,
  listThreadsOpenDuring,
  settleVersionAnchor,
  setThreadStatus,
  syncThreadAnchors,
  type ThreadRow,
} from "~/models/comment.server";
import { createNotification } from "~/models/notification.server";
import { checkMentions, mentionCandidatesOf, notifyMentioned, type MentionInput } from "~/services/mentions.server";
import { authorizeComment, authorizeReturnComment, commentAbilities } from "~/policies/comment";
import { countersigningOrgIds } from "~/policies/document";
import { getVersion, readStoredState } from "~/models/document-version.server";
import { getLatestRoundNumber, listRoundRows } from "~/models/countersign.server";
import * as Y from "yjs";
import { enforce } from "~/policies/decision";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { newId } from "~/utils/ids";
import { actingOrg, changeIdentity } from "./acting-identity.server";
import { anchorAtPositions, anchorAtSelection, anchoredThreadIds, selectionRange } from "./comment-anchors.server";

/**
 * 批注 (ADR 017): comment threads anchored in a document's text, attributed to the person and their
 * unit, answered and resolved by the drafting unit, with @mentions of member people and units.
 */

type Doc = DocumentFacts & { id: string; title: string; type?: string };
type Ctx = Pick<CommandContext, "ip" | "events" | "collab" | "now">;

/** The orgs taking part in a document: its owner and its member orgs. */
const documentOrgIds = (doc: Doc) => [doc.ownerOrgId, ...doc.members.flatMap((m) => (m.orgId ? [m.orgId] : []))];

/** The people and units of a document that may be @mentioned. */
export async function mentionCandidates(doc: Doc): Promise<MentionCandidate[]> {
  return mentionCandidatesOf(
    documentOrgIds(doc),
    doc.members.flatMap((m) => (m.userId ? [m.userId] : [])),
  );
}

function checkBody(body: string): string {
  const text = body.trim();
  if (!text) throw invalid("批注内容不能为空。", { body: ["批注内容不能为空。"] });
  if (text.length > COMMENT_MAX_LENGTH) {
    const message = `批注内容不能超过 ${COMMENT_MAX_LENGTH} 个字符。`;
    throw invalid(message, { body: [message] });
  }
  return text;
}

/** Mentions must name people and units of the document. */
const checkDocumentMentions = (doc: Doc, mentions: MentionInput) =>
  checkMentions(mentions, () => mentionCandidates(doc), "被提及的人员或单位不是本文书的参与方。");

/** Notifications for the people mentioned in a comment. */
function notifyMentions(
  tx: Tx,
  doc: Doc,
  input: { mentions: MentionInput; authorId: string; authorLabel: string; threadId: string; body: string },
): Promise<DomainEvent[]> {
  return notifyMentioned(tx, {
    mentions: input.mentions,
    authorId: input.authorId,
    notification: {
      kind: "comment.mention",
      title: `${input.authorLabel}在《${doc.title}》的批注中提到了您`,
      body: input.body,
      link: `/documents/${doc.id}?thread=${input.threadId}`,
    },
  });
}

function audit(
  tx: Tx,
  user: CurrentUser,
  orgId: string | null,
  action: AuditAction,
  doc: Doc,
  summary: string,
  ip: string | null,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId,
    action,
    targetType: "Document",
    targetId: doc.id,
    summary,
    ip,
  });
}

const short = (s: string) => (s.length > 30 ? `${s.slice(0, 30)}…` : s);

function publish(ctx: Ctx, doc: Doc, threadId: string, events: DomainEvent[] = []) {
  for (const e of events) ctx.events.publish(e);
  ctx.events.publish({ type: "comment.changed", documentId: doc.id, threadId });
}

/**
 * 批注: opens a thread on the selected text. The anchor is written into the shared document by the
 * server (every open editor sees it at once); the thread and its first comment are stored with the
 * author's unit; mentioned people are notified.
 */
export async function openThread(
  user: CurrentUser,
  doc: Doc,
  input: { anchor: unknown; head: unknown; quote: string; body: string; mentions: MentionInput },
  ctx: Ctx,
): Promise<{ threadId: string }> {
  if (doc.status === "COUNTERSIGNING") return openReturnThread(user, doc, input, ctx);
  enforce(authorizeComment(user.actor, "open", doc));
  const body = checkBody(input.body);
  const quote = input.quote.trim();
  if (!quote) throw invalid("请先选中要批注的文字。");
  if (quote.length > QUOTE_MAX_LENGTH)
    throw invalid(`一次批注的文字不能超过 ${QUOTE_MAX_LENGTH} 个字符，请缩小选择范围。`);
  const mentions = await checkDocumentMentions(doc, input.mentions);
  const org = actingOrg(user, doc);
  const threadId = newId();
  const identity = changeIdentity(user, org);
  const schema = editorSchema();
  await ctx.collab.applyChange(doc.id, identity, (ydoc) =>
    anchorAtSelection(ydoc, schema, { ...input, quote, threadId }),
  );
  const events = await transaction(async (tx) => {
    await createThread(tx, {
      id: threadId,
      documentId: doc.id,
      quote,
      authorId: user.id,
      orgId: org?.id ?? null,
      body,
      mentions,
    });
    await audit(
      tx,
      user,
      org?.id ?? null,
      "comment.created",
      doc,
      `批注《${doc.title}》「${short(quote)}」：${short(body)}`,
      ctx.ip,
    );
    const authorLabel = `${user.displayName}（${org?.name ?? ""}）`;
    return notifyMentions(tx, doc, { mentions, authorId: user.id, authorLabel, threadId, body });
  });
  publish(ctx, doc, threadId, events);
  return { threadId };
}

/** The latest countersign round's frozen version and the orgs that have not decided yet. */
async function pendingRound(doc: Doc): Promise<{ versionId: string | null; pendingOrgIds: string[] }> {
  const db = database();
  // A document's own countersign is the subject "" (ADR 006).
  const round = await getLatestRoundNumber(db, doc.id, "");
  const rows = round === null ? [] : await listRoundRows(db, doc.id, "", round);
  const pending = rows.filter((r) => r.decision === "PENDING");
  return { versionId: pending[0]?.versionId ?? null, pendingOrgIds: pending.map((r) => r.orgId) };
}

/** Whether the user may comment now: on a draft by access, in countersign as a unit still to decide. */
export async function mayOpenThread(user: CurrentUser, doc: Doc): Promise<boolean> {
  if (doc.status !== "COUNTERSIGNING") return authorizeComment(user.actor, "open", doc).allowed;
  return authorizeReturnComment(user.actor, doc, (await pendingRound(doc)).pendingOrgIds).allowed;
}

/**
 * 退回批注: a unit still to decide in countersign comments on a range of the frozen version. The text
 * is frozen, so nothing is written into it now: the thread keeps the version and the range, and a
 * return reopens the draft with the anchor in place (`placeVersionAnchors`).
 */
async function openReturnThread(
  user: CurrentUser,
  doc: Doc,
  input: { anchor: unknown; head: unknown; quote: string; body: string; mentions: MentionInput },
  ctx: Ctx,
): Promise<{ threadId: string }> {
  const { versionId, pendingOrgIds } = await pendingRound(doc);
  enforce(authorizeReturnComment(user.actor, doc, pendingOrgIds));
  const body = checkBody(input.body);
  const quote = input.quote.trim();
  if (!quote) throw invalid("请先选中要批注的文字。");
  if (quote.length > QUOTE_MAX_LENGTH)
    throw invalid(`一次批注的文字不能超过 ${QUOTE_MAX_LENGTH} 个字符，请缩小选择范围。`);
  const mentions = await checkDocumentMentions(doc, input.mentions);
  // The frozen text is the stored one: the collab server refuses every change while countersigning.
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, await readStoredState(database(), doc.id));
  const { range } = selectionRange(ydoc, editorSchema(), { ...input, quote });
  ydoc.destroy();
  const signing = new Set(countersigningOrgIds(user.actor, doc.type));
  const orgId = pendingOrgIds.find((id) => signing.has(id)) ?? null;
  const org = user.memberships.find((m) => m.org.id === orgId)?.org ?? null;
  const threadId = newId();
  const events = await transaction(async (tx) => {
    await createThread(tx, {
      id: threadId,
      documentId: doc.id,
      quote,
      authorId: user.id,
      orgId,
      body,
      mentions,
      version: versionId ? { id: versionId, ...range } : undefined,
    });
    await audit(
      tx,
      user,
      orgId,
      "comment.created",
      doc,
      `会签稿批注《${doc.title}》「${short(quote)}」：${short(body)}`,
      ctx.ip,
    );
    const authorLabel = `${user.displayName}（${org?.name ?? ""}）`;
    return notifyMentions(tx, doc, { mentions, authorId: user.id, authorLabel, threadId, body });
  });
  publish(ctx, doc, threadId, events);
  return { threadId };
}

/**
 * After a return reopened the draft with the frozen version's text: the comments made on that
 * version are anchored at their ranges (or, if the text there differs, kept as 原文已删除).
 */
export async function placeVersionAnchors(
  doc: { id: string },
  versionId: string,
  ctx: Pick<CommandContext, "collab">,
): Promise<void> {
  const pending = await listPendingVersionAnchors(database(), doc.id, versionId);
  if (pending.length === 0) return;
  const identity = {
    userId: "",
    sessionId: "",
    displayName: "会签退回",
    orgId: null,
    orgName: null,
    readOnly: false,
    suggestOnly: false,
  };
  const placed = new Map<string, boolean>();
  const schema = editorSchema();
  await ctx.collab.applyChange(doc.id, identity, (ydoc) => {
    for (const t of pending)
      placed.set(
        t.id,
        anchorAtPositions(ydoc, schema, { from: t.anchorFrom!, to: t.anchorTo!, quote: t.quote, threadId: t.id }),
      );
  });
  await transaction(async (tx) => {
    for (const t of pending) await settleVersionAnchor(tx, t.id, placed.get(t.id) ?? false);
  });
}

async function requireThread(doc: Doc, threadId: string): Promise<ThreadFacts> {
  const thread = await getThreadFacts(database(), threadId);
  if (!thread || thread.documentId !== doc.id) throw notFound("批注不存在或已被删除。");
  return thread;
}

/** 回复: a comment on an open thread. */
export async function replyToThread(
  user: CurrentUser,
  doc: Doc,
  input: { threadId: string; body: string; mentions: MentionInput },
  ctx: Ctx,
): Promise<{ commentId: string }> {
  const thread = await requireThread(doc, input.threadId);
  enforce(authorizeComment(user.actor, "reply", doc, thread));
  const body = checkBody(input.body);
  const mentions = await checkDocumentMentions(doc, input.mentions);
  const org = actingOrg(user, doc);
  const { commentId, events } = await transaction(async (tx) => {
    const commentId = await addComment(tx, thread.id, { authorId: user.id, orgId: org?.id ?? null, body, mentions });
    await audit(
      tx,
      user,
      org?.id ?? null,
      "comment.replied",
      doc,
      `回复《${doc.title}》的批注：${short(body)}`,
      ctx.ip,
    );
    const authorLabel = `${user.displayName}（${org?.name ?? ""}）`;
    const mentioned = await notifyMentions(tx, doc, {
      mentions,
      authorId: user.id,
      authorLabel,
      threadId: thread.id,
      body,
    });
    // The thread's author hears of replies too.
    if (thread.authorId !== user.id) {
      mentioned.push(
        await createNotification(tx, {
          userId: thread.authorId,
          kind: "comment.reply",
          title: `${authorLabel}回复了您在《${doc.title}》中的批注`,
          body: body.slice(0, 120),
          link: `/documents/${doc.id}?thread=${thread.id}`,
        }),
      );
    }
    return { commentId, events: mentioned };
  });
  publish(ctx, doc, thread.id, events);
  return { commentId };
}

/** 解决 / 重新打开. */
export async function setThreadResolved(
  user: CurrentUser,
  doc: Doc,
  input: { threadId: string; resolved: boolean },
  ctx: Ctx,
): Promise<void> {
  const thread = await requireThread(doc, input.threadId);
  enforce(authorizeComment(user.actor, input.resolved ? "resolve" : "reopen", doc, thread));
  const org = actingOrg(user, doc);
  await transaction(async (tx) => {
    const from = input.resolved ? "OPEN" : "RESOLVED";
    const moved = await setThreadStatus(tx, thread.id, {
      from,
      to: input.resolved ? "RESOLVED" : "OPEN",
      byId: user.id,
      now: ctx.now,
    });
    if (!moved) throw invalid(input.resolved ? "该批注已经解决。" : "该批注尚未解决。");
    const verb = input.resolved ? "解决" : "重新打开";
    await audit(
      tx,
      user,
      org?.id ?? null,
      input.resolved ? "comment.resolved" : "comment.reopened",
      doc,
      `${verb}《${doc.title}》的一条批注`,
      ctx.ip,
    );
  });
  publish(ctx, doc, thread.id);
}

/** Edits one's own comment (the earlier wording is kept) or deletes it (it stays as 已删除). */
export async function changeComment(
  user: CurrentUser,
  doc: Doc,
  input: { commentId: string; body: string | null },
  ctx: Ctx,
): Promise<void> {
  const comment = await getCommentFacts(database(), input.commentId);
  const thread = comment ? await getThreadFacts(database(), comment.threadId) : null;
  if (!comment || !thread || thread.documentId !== doc.id) throw notFound("批注不存在或已被删除。");
  enforce(authorizeComment(user.actor, input.body === null ? "delete" : "edit", doc, thread, comment));
  const body = input.body === null ? null : checkBody(input.body);
  const org = actingOrg(user, doc);
  await transaction(async (tx) => {
    if (body === null) {
      await deleteComment(tx, comment.id, ctx.now);
      await audit(tx, user, org?.id ?? null, "comment.deleted", doc, `删除本人在《${doc.title}》中的一条批注`, ctx.ip);
    } else {
      await editComment(tx, comment.id, body, ctx.now);
      await audit(
        tx,
        user,
        org?.id ?? null,
        "comment.edited",
        doc,
        `修改本人在《${doc.title}》中的批注：${short(body)}`,
        ctx.ip,
      );
    }
  });
  publish(ctx, doc, thread.id);
}

/**
 * Follows the live text after it was stored: threads whose anchor disappeared show 原文已删除, and come
 * back when a restore brings the text back. Publishes the threads that changed.
 */
export async function syncCommentAnchors(documentId: string, json: unknown, publishChange: (threadId: string) => void) {
  const changed = await syncThreadAnchors(database(), documentId, anchoredThreadIds(json));
  for (const threadId of changed) publishChange(threadId);
}

function presentThread(actor: Actor, doc: Doc, row: ThreadRow, myOrgIds: ReadonlySet<string>): ThreadView {
  const facts: ThreadFacts = {
    id: row.id,
    documentId: row.documentId,
    authorId: row.author.id,
    orgId: row.org?.id ?? null,
    status: row.status,
    versionId: row.versionId,
  };
  return {
    id: row.id,
    quote: row.quote,
    status: row.status,
    anchored: row.anchored && row.anchorFrom === null,
    author: { id: row.author.id, name: personName(row.author) },
    org: row.org ? { id: row.org.id, name: row.org.shortName ?? row.org.name } : null,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    mentionsMe: row.comments.some((c) =>
      c.mentions.some((m) => m.userId === actor.userId || (m.orgId !== null && myOrgIds.has(m.orgId))),
    ),
    comments: row.comments.map((c) => ({
      id: c.id,
      body: c.deletedAt ? null : c.body,
      author: { id: c.author.id, name: personName(c.author) },
      org: c.org ? (c.org.shortName ?? c.org.name) : null,
      createdAt: c.createdAt.toISOString(),
      editedAt: c.editedAt?.toISOString() ?? null,
      mine: c.author.id === actor.userId && !c.deletedAt,
    })),
    abilities: {
      reply: authorizeComment(actor, "reply", doc, facts).allowed,
      resolve: authorizeComment(actor, "resolve", doc, facts).allowed,
      reopen: authorizeComment(actor, "reopen", doc, facts).allowed,
    },
  };
}

/** The side panel's data: the threads, what the viewer may do, and whom they may mention. */
export async function presentComments(user: CurrentUser, doc: Doc): Promise<CommentsPayload> {
  enforce(authorizeComment(user.actor, "read", doc));
  const abilities = { ...commentAbilities(user.actor, doc), open: await mayOpenThread(user, doc) };
  const myOrgIds = new Set(user.actor.memberships.map((m) => m.orgId));
  const [rows, candidates] = await Promise.all([
    listThreads(database(), doc.id),
    abilities.open ? mentionCandidates(doc) : [],
  ]);
  return { threads: rows.map((r) => presentThread(user.actor, doc, r, myOrgIds)), abilities, candidates };
}

/**
 * The threads open while a version was the latest (from its save to the next version's), for its
 * page: quote, unit, author and first comment; `inText` when the version's text carries the anchor
 * (or the thread was opened on this very version).
 */
export async function threadsOpenAtVersion(
  user: CurrentUser,
  doc: Doc,
  version: { id: string; number: number; createdAt: Date; json: string },
  now: Date,
) {
  enforce(authorizeComment(user.actor, "read", doc));
  const db = database();
  const anchored = anchoredThreadIds(JSON.parse(version.json));
  const next = await getVersion(db, doc.id, version.number + 1);
  const rows = await listThreadsOpenDuring(db, doc.id, version.createdAt, next?.createdAt ?? now);
  return rows.map((t) => ({
    id: t.id,
    quote: t.quote,
    org: t.org?.name ?? null,
    author: personName(t.author),
    body: t.comments[0]?.body ?? "",
    inText: anchored.has(t.id) || t.versionId === version.id,
  }));
}
