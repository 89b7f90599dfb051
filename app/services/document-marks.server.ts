import { database } from "~/models/unit-of-work.server";
import { documentFactsOf } from "~/models/document.server";
import {
  listStarredDocuments,
  listVisitedDocuments,
  recordDocumentVisit,
  setDocumentStar,
  type MarkedDocument,
} from "~/models/document-preference.server";
import { documentAccess } from "~/policies/document";
import { DOCUMENT_TYPE_LABELS, type DocumentFacts, type DocumentType } from "~/domain/document";
import { formatDateTime } from "~/domain/dates";
import { forbidden } from "~/domain/errors";
import type { CurrentUser } from "~/services/auth/current-user.server";

/**
 * 我关注的 and 最近打开 (ADR 029): a user's own marks on documents. Only a document the user may read
 * is starred or recorded, and a mark is shown only while the user still may read it. Like the
 * 工作台's first-use card, a mark is a preference of the user's own, not a change of a shared record:
 * not audited, no event.
 */

export const RECENT_DOCUMENTS = 8;
export const STARRED_DOCUMENTS = 8;

/** ☆/★ on a document the user may read (the route has loaded its facts); 403 otherwise. */
export async function starDocument(
  user: CurrentUser,
  doc: DocumentFacts & { id: string },
  starred: boolean,
): Promise<{ starred: boolean }> {
  if (documentAccess(user.actor, doc) === "none") throw forbidden("您无权查看此文书，不能关注。");
  await setDocumentStar(database(), user.id, doc.id, starred);
  return { starred };
}

/**
 * The user opened the document's page (called after the page's data is loaded, so after its access
 * check): written without holding up the response; a failure is logged, never shown.
 */
export function noteDocumentVisit(user: CurrentUser, documentId: string, at = new Date()): Promise<void> {
  return recordDocumentVisit(database(), user.id, documentId, at).catch((error: unknown) => {
    console.error(`[visits] recording ${documentId} failed:`, error);
  });
}

function presentMarked(user: CurrentUser, rows: MarkedDocument[], take: number) {
  return rows
    .filter((r) => documentAccess(user.actor, documentFactsOf(r)) !== "none")
    .slice(0, take)
    .map((r) => ({
      id: r.id,
      title: r.title,
      type: DOCUMENT_TYPE_LABELS[r.type as DocumentType] ?? r.type,
      owner: r.ownerOrg.name,
      at: formatDateTime(r.at),
    }));
}

/**
 * The 工作台's 我关注的 and 最近打开: the latest marks of documents the user may still read (a few
 * more rows are read than shown, so documents whose access ended leave room for others).
 */
export async function loadMarkedDocuments(user: CurrentUser) {
  const db = database();
  const [starred, recent] = await Promise.all([
    listStarredDocuments(db, user.id, STARRED_DOCUMENTS * 5),
    listVisitedDocuments(db, user.id, RECENT_DOCUMENTS * 5),
  ]);
  return {
    starred: presentMarked(user, starred, STARRED_DOCUMENTS),
    recent: presentMarked(user, recent, RECENT_DOCUMENTS),
  };
}
