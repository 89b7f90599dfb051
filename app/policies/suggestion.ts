import type { Actor } from "~/domain/actor";
import type { DocumentFacts } from "~/domain/document";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { documentAccess, grantedDocumentAccess } from "./document";
import { DRAFTING_ROLES, hasRole } from "./rules";
import { accessAtLeast } from "~/domain/document";

/**
 * What may be done with 修订 (suggestions, ADR 019):
 * - propose (e.g. 导入修订稿): SUGGEST or WRITE access;
 * - decide (accept or reject, one, a unit's, or all): the owner unit's drafters, coordinators and
 *   admins — the drafting unit answers for its text;
 * - withdraw: the suggestion's author, who may still suggest;
 * all only while the document is a draft.
 */
export type SuggestionAction = "propose" | "decide" | "withdraw";

const draftOnly = (doc: DocumentFacts) =>
  doc.status === "DRAFT" ? ALLOW : notNow("文书已冻结（会签中或已定稿），修订不能再处理。");

export function authorizeSuggestion(
  actor: Actor,
  action: SuggestionAction,
  doc: DocumentFacts,
  authorIds: readonly (string | null)[] = [],
): Decision {
  if (documentAccess(actor, doc) === "none") return deny("您不是此文书的参与单位成员，无权处理修订。");
  switch (action) {
    case "propose":
      return firstRefusal(
        accessAtLeast(grantedDocumentAccess(actor, doc), "suggest")
          ? ALLOW
          : deny("您所在单位对此文书没有修订权限，不能导入修订稿。"),
        draftOnly(doc),
      );
    case "decide":
      return firstRefusal(
        hasRole(actor, doc.ownerOrgId, DRAFTING_ROLES)
          ? ALLOW
          : deny("只有牵头单位的起草人或督办协调员可以接受或拒绝修订。"),
        draftOnly(doc),
      );
    case "withdraw":
      return firstRefusal(
        accessAtLeast(grantedDocumentAccess(actor, doc), "suggest") &&
          authorIds.length > 0 &&
          authorIds.every((id) => id === actor.userId)
          ? ALLOW
          : deny("只能撤回本人提出的修订。"),
        draftOnly(doc),
      );
  }
}

export interface SuggestionAbilities {
  /** Edits only as proposals (SUGGEST access on a draft). */
  suggestOnly: boolean;
  /** May propose (SUGGEST or WRITE on a draft; writers switch 修订 on themselves). */
  propose: boolean;
  decide: boolean;
}

export function suggestionAbilities(actor: Actor, doc: DocumentFacts): SuggestionAbilities {
  const access = documentAccess(actor, doc);
  return {
    suggestOnly: access === "suggest",
    propose: authorizeSuggestion(actor, "propose", doc).allowed,
    decide: authorizeSuggestion(actor, "decide", doc).allowed,
  };
}
