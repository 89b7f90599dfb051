import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import type { DocumentFacts } from "~/domain/document";
import { conflict, invalid, notFound } from "~/domain/errors";
import { SUGGESTION_KIND_LABELS } from "~/domain/suggestion";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { placeComments, placeRevisions } from "~/editor/schema/place-revisions";
import { readRevisedWord } from "~/services/import/word-revisions";
import { createThread } from "~/models/comment.server";
import { COMMENT_MAX_LENGTH, QUOTE_MAX_LENGTH } from "~/domain/comment";
import { newId } from "~/utils/ids";
import { actingOrg, changeIdentity } from "./acting-identity.server";
import { listSuggestions, resolveSuggestions, type SuggestionSummary } from "~/editor/schema/suggestions";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { getVersionState, readStoredState } from "~/models/document-version.server";
import { database, transaction } from "~/models/unit-of-work.server";
import { enforce } from "~/policies/decision";
import { authorizeSuggestion } from "~/policies/suggestion";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";

type Doc = DocumentFacts & { id: string; title: string };
type Ctx = Pick<CommandContext, "ip" | "collab" | "events">;

/** What is done with the chosen suggestions: 接受, 拒绝, or 撤回 by their author. */
export type SuggestionDecision = "accept" | "reject" | "withdraw";

/** Which suggestions: the listed ids, every one of a unit, or all. */
export type SuggestionScope = { ids: readonly string[] } | { orgId: string } | { all: true };

/** At most this many suggestions named in one request (a unit's or all are not counted). */
export const MAX_SUGGESTION_IDS = 200;

const AUDIT: Record<SuggestionDecision, AuditAction> = {
  accept: "suggestion.accepted",
  reject: "suggestion.rejected",
  withdraw: "suggestion.withdrawn",
};
const VERB: Record<SuggestionDecision, string> = { accept: "接受", reject: "拒绝", withdraw: "撤回" };

const short = (s: string) => (s.length > 24 ? `${s.slice(0, 24)}…` : s);

/**
 * Accepts, rejects or withdraws 修订 (ADR 019) in one Yjs transaction on the shared document, so every
 * open editor sees it at once, and audits it. The suggestions are looked up in the document itself:
 * an id that is not there (another document's, or one already decided) changes nothing.
 */
export async function decideSuggestions(
  user: CurrentUser,
  doc: Doc,
  decision: SuggestionDecision,
  scope: SuggestionScope,
  ctx: Ctx,
): Promise<{ decided: number }> {
  if (decision !== "withdraw") enforce(authorizeSuggestion(user.actor, "decide", doc));
  if ("ids" in scope && scope.ids.length > MAX_SUGGESTION_IDS)
    throw invalid(`一次最多处理 ${MAX_SUGGESTION_IDS} 条修订。`);
  const schema = editorSchema();
  let chosen: SuggestionSummary[] = [];
  const identity = changeIdentity(user, actingOrg(user, doc));
  // Read, checked and written in one transaction on the shared document; a refusal writes nothing
  // and is thrown once the change is over.
  let refusal: unknown = null;
  await ctx.collab.applyChange(doc.id, identity, (ydoc) => {
    try {
      const fragment = ydoc.getXmlFragment(YJS_FRAGMENT);
      const current = yXmlFragmentToProseMirrorRootNode(fragment, schema);
      chosen = select(listSuggestions(current), scope);
      if (decision === "withdraw")
        enforce(
          authorizeSuggestion(
            user.actor,
            "withdraw",
            doc,
            chosen.map((s) => s.authorId),
          ),
        );
      const ids = [...new Set(chosen.map((s) => s.id))];
      const next = resolveSuggestions(current, ids, decision === "accept" ? "accept" : "reject");
      updateYFragment(ydoc, fragment, next, { mapping: new Map(), isOMark: new Map() });
    } catch (error) {
      refusal = error;
    }
  });
  if (refusal) throw refusal;
  const ids = [...new Set(chosen.map((s) => s.id))];
  const byUnit = [...new Set(chosen.map((s) => s.orgName ?? "个人"))].join("、");
  const listed = chosen
    .slice(0, 5)
    .map((s) => `${SUGGESTION_KIND_LABELS[s.kind]}「${short(s.text)}」`)
    .join("、");
  await transaction((tx) =>
    recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: decision === "withdraw" ? null : doc.ownerOrgId,
      action: AUDIT[decision],
      targetType: "Document",
      targetId: doc.id,
      summary: `${VERB[decision]}《${doc.title}》中${byUnit}的 ${ids.length} 条修订：${listed}${chosen.length > 5 ? " 等" : ""}`,
      ip: ctx.ip,
    }),
  );
  return { decided: ids.length };
}

function select(open: SuggestionSummary[], scope: SuggestionScope): SuggestionSummary[] {
  if ("all" in scope) {
    if (!open.length) throw conflict("文书中没有待处理的修订。");
    return open;
  }
  if ("orgId" in scope) {
    const ofOrg = open.filter((s) => s.orgId === scope.orgId);
    if (!ofOrg.length) throw conflict("该单位没有待处理的修订。");
    return ofOrg;
  }
  if (!scope.ids.length) throw invalid("请选择要处理的修订。");
  const wanted = new Set(scope.ids);
  const found = open.filter((s) => wanted.has(s.id));
  const missing = [...wanted].filter((id) => !found.some((s) => s.id === id));
  if (missing.length) throw notFound("修订不存在或已被处理，请刷新后重试。");
  return found;
}

/** The open suggestions of a document as stored (e.g. before freezing it for countersign). */
export async function storedSuggestions(documentId: string): Promise<SuggestionSummary[]> {
  return suggestionsOfState(await readStoredState(database(), documentId));
}

/** The 修订 that were open at a version (in its stored Yjs state; its text and hash leave them out). */
export async function suggestionsOpenAtVersion(version: { id: string }): Promise<SuggestionSummary[]> {
  const state = await getVersionState(database(), version.id);
  return state ? suggestionsOfState(state) : [];
}

function suggestionsOfState(state: Uint8Array): SuggestionSummary[] {
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    return listSuggestions(yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(YJS_FRAGMENT), editorSchema()));
  } finally {
    ydoc.destroy();
  }
}

/** The refusal of a countersign while 修订 are open, listing the first five by text and unit. */
export function openSuggestionsWarning(open: readonly SuggestionSummary[]): string {
  const ids = new Set(open.map((s) => s.id));
  const listed = open
    .slice(0, 5)
    .map((s) => `${s.orgName ?? "个人"}${SUGGESTION_KIND_LABELS[s.kind]}「${short(s.text)}」`)
    .join("、");
  return `尚有 ${ids.size} 条修订未处理：${listed}${open.length > 5 ? " 等" : ""}。请先接受或拒绝全部修订，再发起会签。`;
}

/** What an import did: the changes placed as 修订, and the ones that did not fit, with their paragraph. */
export interface RevisionImportReport {
  placed: number;
  unplaced: Array<{ kind: "insertion" | "deletion"; text: string; paragraph: string; reason: string }>;
  /** Word comments that became 批注 threads, and the quotes of those whose text was not found. */
  comments: number;
  unplacedComments: string[];
}

const UNPLACED_REASONS = {
  "not-found": "当前文书中找不到这处修订前后的文字",
  ambiguous: "当前文书中有多处相同的文字，无法确定位置",
  "no-context": "整段新增或前后没有可比对的文字",
} as const;

/**
 * 导入修订稿 (ADR 019): the tracked changes of a .docx an agency revised in Word or WPS become 修订 of
 * that agency in the current draft — placed by the text around them, in one transaction on the
 * shared document, audited. Changes whose context no longer exists are reported, not applied; when
 * none fits, nothing changes and the refusal lists them.
 */
export async function importWordRevisions(
  user: CurrentUser,
  doc: Doc,
  data: Uint8Array,
  ctx: Ctx,
): Promise<RevisionImportReport> {
  enforce(authorizeSuggestion(user.actor, "propose", doc));
  const { changes, comments } = await readRevisedWord(data);
  if (!changes.length && !comments.length)
    throw invalid(
      "该 Word 文档中没有修订记录（修订模式下的插入或删除），无需导入。请在 Word 或 WPS 中打开“修订”后修改再上传。",
    );
  const org = actingOrg(user, doc);
  const author = { userId: user.id, name: user.displayName, orgId: org?.id ?? null, orgName: org?.name ?? null };
  const identity = changeIdentity(user, org);
  const schema = editorSchema();
  let report: RevisionImportReport = { placed: 0, unplaced: [], comments: 0, unplacedComments: [] };
  let threads: Array<{ threadId: string; quote: string; body: string }> = [];
  await ctx.collab.applyChange(doc.id, identity, (ydoc) => {
    const fragment = ydoc.getXmlFragment(YJS_FRAGMENT);
    const current = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    const out = placeRevisions(
      current,
      changes.map((c) => ({ ...c, authorName: personOf(c.author) })),
      author,
      { now: new Date().toISOString(), random: () => newId().slice(0, 12) },
    );
    // Word's comments on the text as it now stands (its insertions and deletions included, as in Word).
    const anchored = placeComments(out.doc, comments, () => newId());
    threads = anchored.placed.map((p) => ({
      threadId: p.threadId,
      quote: p.quote.slice(0, QUOTE_MAX_LENGTH),
      body: wordCommentBody(p.comment.body, p.comment.author),
    }));
    report = {
      comments: anchored.placed.length,
      unplacedComments: anchored.unplaced.map((c) => short(c.quote)),
      placed: out.placed,
      unplaced: out.unplaced.map((u) => ({
        kind: u.change.kind,
        text: u.change.text,
        paragraph: u.change.paragraph,
        reason: UNPLACED_REASONS[u.reason],
      })),
    };
    if (out.placed > 0 || anchored.placed.length > 0)
      updateYFragment(ydoc, fragment, anchored.doc, { mapping: new Map(), isOMark: new Map() });
  });
  if (report.placed === 0 && report.comments === 0)
    throw conflict(
      `修订稿中的 ${report.unplaced.length} 处修订都无法对应到当前文书，未导入：${report.unplaced
        .slice(0, 5)
        .map((u) => `${u.kind === "insertion" ? "插入" : "删除"}「${short(u.text)}」（${u.reason}）`)
        .join("；")}${report.unplaced.length > 5 ? " 等" : ""}。`,
    );
  await transaction(async (tx) => {
    for (const t of threads)
      await createThread(tx, {
        id: t.threadId,
        documentId: doc.id,
        quote: t.quote,
        authorId: user.id,
        orgId: author.orgId,
        body: t.body,
        mentions: { userIds: [], orgIds: [] },
      });
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: author.orgId,
      action: "suggestion.imported",
      targetType: "Document",
      targetId: doc.id,
      summary: `导入修订稿到《${doc.title}》：${report.placed} 处修订、${report.comments} 条批注${report.unplaced.length + report.unplacedComments.length ? `，${report.unplaced.length + report.unplacedComments.length} 处无法对应未导入` : ""}`,
      ip: ctx.ip,
    });
  });
  for (const t of threads) ctx.events.publish({ type: "comment.changed", documentId: doc.id, threadId: t.threadId });
  return report;
}

/** A Word comment as the first comment of its thread: its text, and who wrote it in Word when named. */
function wordCommentBody(body: string, author: string | null): string {
  const text = body.slice(0, COMMENT_MAX_LENGTH - 40);
  return author ? `${text}\n（Word 批注，${author.slice(0, 30)}）` : text;
}

/** "陈静（示例市中级人民法院）" as our export writes an author → 陈静; other names as they are. */
function personOf(author: string | null): string | null {
  if (!author) return null;
  const name = author.replace(/（[^（）]*）$/, "").trim();
  return (name || author).slice(0, 40);
}
