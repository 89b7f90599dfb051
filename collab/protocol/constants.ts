/**
 * Collab protocol constants shared by the server (collab/) and the browser editor: one place for
 * the document path and the WebSocket close codes.
 */
export const COLLAB_PATH_PREFIX = "/collab/";

export function collabPath(documentId: string): string {
  return `${COLLAB_PATH_PREFIX}${encodeURIComponent(documentId)}`;
}

export function documentIdFromPath(pathname: string): string | null {
  if (!pathname.startsWith(COLLAB_PATH_PREFIX)) return null;
  const rest = pathname.slice(COLLAB_PATH_PREFIX.length);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(rest)) return null;
  return rest;
}

export const CloseCode = {
  /** No valid session. */
  UNAUTHENTICATED: 4401,
  /** Signed in but not a member of the document. */
  FORBIDDEN: 4403,
  /** No such document. */
  NOT_FOUND: 4404,
  /** Access changed (removed, finalized): reconnect to learn the new access. */
  ACCESS_CHANGED: 4205,
} as const;
