/**
 * Collab protocol constants shared by the server (collab/) and the browser editor: one place for
 * the document path, the y-websocket message types and the WebSocket close codes.
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

/** y-websocket message types (first varUint of every frame). */
export const MessageType = {
  SYNC: 0,
  AWARENESS: 1,
  AUTH: 2,
  QUERY_AWARENESS: 3,
} as const;

export const CloseCode = {
  /** Going away: server shutting down (clients reconnect). */
  GOING_AWAY: 1001,
  /** Frame larger than the maximum (sent by ws itself). */
  TOO_BIG: 1009,
  /** Access changed (removed, finalized): reconnect to learn the new access. */
  ACCESS_CHANGED: 4205,
  /** A frame could not be decoded. */
  MALFORMED: 4400,
  /** No valid session. */
  UNAUTHENTICATED: 4401,
  /** Signed in but not a member of the document. */
  FORBIDDEN: 4403,
  /** No such document. */
  NOT_FOUND: 4404,
  /** The document reached its size limit. */
  DOCUMENT_TOO_LARGE: 4413,
  /** Too many messages per second, or too many connections. */
  RATE_LIMITED: 4429,
  /** The server could not load or store the document. */
  UNAVAILABLE: 4503,
} as const;

/** Codes after which the client must not reconnect by itself. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.UNAUTHENTICATED,
  CloseCode.FORBIDDEN,
  CloseCode.NOT_FOUND,
  CloseCode.DOCUMENT_TOO_LARGE,
]);
