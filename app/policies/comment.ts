import type { Actor } from "~/domain/actor";
import type { CommentFacts, ThreadFacts } from "~/domain/comment";
import { accessAtLeast, type DocumentFacts } from "~/domain/document";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { countersigningOrgIds, documentAccess, grantedDocumentAccess } from "./document";
import { DRAFTING_ROLES, hasRole } from "./rules";

/** What may be done with comments (批注, ADR 017). */
export type CommentAction = "read" | "open" | "reply" | "resolve" | "reopen" | "edit" | "delete";

type Doc = DocumentFacts & { id: string };

/** The owner unit's drafters, coordinators and admins answer for the document. */
function ownerDrafter(actor: Actor, doc: Doc): boolean {
  return hasRole(actor, doc.ownerOrgId, DRAFTING_ROLES);
}

/** Comments change only on a draft; a frozen document keeps the threads it had. */
const draftOnly = (doc: Doc) => (doc.status === "DRAFT" ? ALLOW : notNow("文书已冻结，批注不能再修改。"));

/**
 * - read: whoever reads the document;
 * - open / reply: COMMENT access or more, on a draft;
 * - resolve / reopen: the thread's author, or the owner unit's drafters, coordinators and admins;
 * - edit / delete: the comment's author (not a deleted comment).
 */
export function authorizeComment(
  actor: Actor,
  action: CommentAction,
  doc: Doc,
  thread?: ThreadFacts,
  comment?: CommentFacts,
): Decision {
  const access = documentAccess(actor, doc);
  if (access === "none") return deny("您不是此文书的参与单位成员，无权查看批注。");
  switch (action) {
    case "read":
      return ALLOW;
    case "open":
    case "reply":
      return firstRefusal(
        accessAtLeast(grantedDocumentAccess(actor, doc), "comment")
          ? ALLOW
          : deny("您所在单位对此文书只有阅读权限，不能批注。"),
        draftOnly(doc),
        action === "reply" && thread?.status === "RESOLVED" ? notNow("该批注已解决，请先重新打开再回复。") : ALLOW,
      );
    case "resolve":
    case "reopen":
      return firstRefusal(
        thread && (thread.authorId === actor.userId || ownerDrafter(actor, doc))
          ? ALLOW
          : deny("只有批注人或牵头单位的起草人、督办协调员可以解决或重新打开批注。"),
        draftOnly(doc),
        thread?.status === (action === "resolve" ? "OPEN" : "RESOLVED")
          ? ALLOW
          : notNow(action === "resolve" ? "该批注已经解决。" : "该批注尚未解决。"),
      );
    case "edit":
    case "delete":
      return firstRefusal(
        comment && comment.authorId === actor.userId ? ALLOW : deny("只能修改或删除本人的批注。"),
        draftOnly(doc),
        comment?.deleted ? notNow("该批注已删除。") : ALLOW,
      );
  }
}

export interface CommentAbilities {
  read: boolean;
  open: boolean;
}

export function commentAbilities(actor: Actor, doc: Doc): CommentAbilities {
  return { read: authorizeComment(actor, "read", doc).allowed, open: authorizeComment(actor, "open", doc).allowed };
}

/**
 * 退回批注: while a version is in countersign, a unit whose decision is still pending may comment on
 * ranges of the frozen text (the comments go with its return and are anchored in the reopened draft).
 * `pendingOrgIds`: the orgs of the latest round that have not decided yet.
 */
export function authorizeReturnComment(
  actor: Actor,
  doc: Doc & { type?: string },
  pendingOrgIds: readonly string[],
): Decision {
  if (documentAccess(actor, doc) === "none") return deny("您不是此文书的参与单位成员，无权查看批注。");
  if (doc.status !== "COUNTERSIGNING") return notNow("只有会签中的文书可以附退回批注。");
  const mine = countersigningOrgIds(actor, doc.type);
  return pendingOrgIds.some((orgId) => mine.includes(orgId))
    ? ALLOW
    : deny("只有尚未作出会签意见的单位可以在会签稿上批注。");
}
