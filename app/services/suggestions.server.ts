import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import type { DocumentFacts } from "~/domain/document";
import { conflict, invalid, notFound } from "~/domain/errors";
import { SUGGESTION_KIND_LABELS } from "~/domain/suggestion";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { listSuggestions, resolveSuggestions, type SuggestionSummary } from "~/editor/schema/suggestions";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { readStoredState } from "~/models/document-version.server";
import { database, transaction } from "~/models/unit-of-work.server";
import { enforce } from "~/policies/decision";
import { authorizeSuggestion } from "~/policies/suggestion";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";

type Doc = DocumentFacts & { id: string; title: string };
type Ctx = Pick<CommandContext, "ip" | "collab">;

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
  const identity = {
    userId: user.id,
    sessionId: user.sessionId,
    displayName: user.displayName,
    orgId: doc.ownerOrgId,
    orgName: null,
    readOnly: false,
    suggestOnly: false,
  };
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
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, await readStoredState(database(), documentId));
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
