import { isId } from "~/domain/ids";
import type { DomainError, ErrorId } from "~/domain/errors";

/**
 * The collab protocol shared by the browser editor and the server (collab/, server/): the document
 * path, the y-websocket message types, the WebSocket close codes, the identity a connection acts as,
 * and how a domain error closes a connection (ADR 016). Pure and isomorphic: nothing here may import
 * from collab/ or server/.
 */
export const COLLAB_PATH_PREFIX = "/collab/";

export function collabPath(documentId: string): string {
  return `${COLLAB_PATH_PREFIX}${encodeURIComponent(documentId)}`;
}

export function documentIdFromPath(pathname: string): string | null {
  if (!pathname.startsWith(COLLAB_PATH_PREFIX)) return null;
  const rest = pathname.slice(COLLAB_PATH_PREFIX.length);
  if (!isId(rest)) return null;
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
  /** The document's state does not allow it now. */
  CONFLICT: 4409,
  /** A SUGGEST connection sent a change that is not a proposal (修订, ADR 019): refused, not stored. */
  NOT_A_SUGGESTION: 4422,
  /** The document reached its size limit. */
  DOCUMENT_TOO_LARGE: 4413,
  /** Too many messages per second, or too many connections. */
  RATE_LIMITED: 4429,
  /** The server could not load or store the document. */
  UNAVAILABLE: 4503,
} as const;

/** One of the close codes above. */
export type CollabCloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Codes after which the client must not reconnect by itself. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.UNAUTHENTICATED,
  CloseCode.FORBIDDEN,
  CloseCode.NOT_FOUND,
  CloseCode.DOCUMENT_TOO_LARGE,
  // Reconnecting would send the same refused change again.
  CloseCode.NOT_A_SUGGESTION,
]);

const CLOSE_CODE_BY_ERROR: Partial<Record<ErrorId, CollabCloseCode>> = {
  UNAUTHENTICATED: CloseCode.UNAUTHENTICATED,
  FORBIDDEN: CloseCode.FORBIDDEN,
  NOT_FOUND: CloseCode.NOT_FOUND,
  VALIDATION: CloseCode.MALFORMED,
  BAD_REQUEST: CloseCode.MALFORMED,
  CONFLICT: CloseCode.CONFLICT,
  PAYLOAD_TOO_LARGE: CloseCode.DOCUMENT_TOO_LARGE,
  RATE_LIMITED: CloseCode.RATE_LIMITED,
  UNAVAILABLE: CloseCode.UNAVAILABLE,
};

/** The close code a domain error ends a collab connection with (anything else: 4503). */
export function closeCodeFor(error: DomainError): CollabCloseCode {
  return CLOSE_CODE_BY_ERROR[error.id] ?? CloseCode.UNAVAILABLE;
}

/** Who is connected and what they may do. */
export interface CollabIdentity {
  userId: string;
  /** The session the connection was opened with: ending it closes the connection (ADR 015). */
  sessionId: string;
  displayName: string;
  orgId: string | null;
  orgName: string | null;
  /** Takes no update at all (READ and COMMENT access, or a frozen document). */
  readOnly: boolean;
  /** Takes only proposals (SUGGEST access, ADR 019): the collab server checks every update. */
  suggestOnly: boolean;
}
