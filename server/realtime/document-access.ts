import { getDb } from "../../app/db.server";
import { getDocumentFacts } from "../../app/models/document.server";
import { buildActor, getUserMemberships } from "../../app/models/user.server";
import { documentAccess, type Access } from "../../app/policies/document";

/**
 * The access of a user to a document, with the same policy as the pages and the collab server:
 * the actor is rebuilt from the user's current memberships on every call, so a membership or
 * document-member change takes effect at the next check. null when the document does not exist.
 */
export async function loadDocumentAccess(userId: string, documentId: string): Promise<Access | null> {
  const db = getDb();
  const [facts, memberships] = await Promise.all([getDocumentFacts(db, documentId), getUserMemberships(db, userId)]);
  if (!facts) return null;
  return documentAccess(buildActor(userId, memberships), facts);
}
