import { isId } from "~/domain/ids";
import { database } from "~/models/unit-of-work.server";
import { getDocumentFacts } from "~/models/document.server";
import { buildActor, getActiveUserMemberships } from "~/models/user.server";
import { documentAccess } from "~/policies/document";
import { type Access } from "~/domain/document";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { httpError } from "~/utils/errors";

/** Loads a document's policy facts and requires read access; 404 / 403 in Chinese otherwise. */
export async function requireDocumentAccess(user: CurrentUser, id: string | undefined) {
  if (!isId(id)) throw httpError("NOT_FOUND", "文书不存在或已被删除。");
  const facts = await getDocumentFacts(database(), id);
  if (!facts) throw httpError("NOT_FOUND", "文书不存在或已被删除。");
  const access = documentAccess(user.actor, facts);
  if (access === "none") throw httpError("FORBIDDEN", "您不是此文书的参与单位成员，无权查看。");
  return { facts, access: access as Exclude<Access, "none"> };
}

/** A version number from the URL, or a 404. */
export function versionNumberParam(raw: string | null | undefined): number {
  const n = Number(raw);
  if (!raw || !/^\d{1,6}$/.test(raw) || n < 1) throw httpError("NOT_FOUND", "版本不存在。");
  return n;
}

/**
 * The access of a user to a document for a live connection (socket.io's document rooms), with the
 * same policy as the pages and the collab server: the actor is rebuilt from the user's current
 * memberships on every call; a disabled user has none. null when the document does not exist.
 */
export async function loadDocumentAccess(userId: string, documentId: string): Promise<Access | null> {
  const db = database();
  const [facts, memberships] = await Promise.all([
    getDocumentFacts(db, documentId),
    getActiveUserMemberships(db, userId),
  ]);
  if (!facts) return null;
  if (!memberships) return "none";
  return documentAccess(buildActor(userId, memberships), facts);
}
