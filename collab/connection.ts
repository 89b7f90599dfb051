import type { IncomingMessage } from "node:http";
import type { RawData, WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { isDomainError } from "../app/domain/errors";
import { CloseCode, type CollabCloseCode, type CollabIdentity } from "../app/protocol/collab";
import type { OpenDocuments } from "./documents/open-documents";
import type { DocumentConnection, DocumentContext, SharedDocument } from "./documents/shared-document";
import { CollabRefusal, type ConnectionInfo } from "./extensions/types";
import {
  answerSyncStep1Frame,
  applyUpdateMessage,
  awarenessStatesFrame,
  decodeClientMessage,
  isEmptySyncStep1,
  syncStep1Frame,
  syncStep2Frame,
} from "./frames";
import { connectionOrigin, type ConnectionOrigin } from "./origin";

export interface ConnectionContext extends DocumentContext {
  readonly documents: OpenDocuments;
  readonly limits: {
    /** Largest frame, and most bytes buffered while the connection is being authenticated. */
    maxPayloadBytes: number;
    /** Largest document (approximate encoded size). */
    maxDocumentBytes: number;
  };
  nextConnectionId(): number;
  isClosing(): boolean;
}

/** Closes a socket that is open or opening; the reason is cut to fit a close frame. */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason.slice(0, 120));
}

function toUint8(data: RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** What an error thrown while serving a connection closes it with. */
function refusalOf(err: unknown, fallback: CollabCloseCode, reason: string): CollabRefusal {
  if (err instanceof CollabRefusal) return err;
  if (isDomainError(err)) return CollabRefusal.from(err);
  return new CollabRefusal(fallback, reason);
}

/** A client's WebSocket, joined to its document. */
class ClientConnection implements DocumentConnection {
  readonly origin: ConnectionOrigin;
  readonly awarenessIds = new Set<number>();
  /** Answered the last ping. */
  alive = true;

  constructor(
    readonly info: ConnectionInfo,
    private readonly ws: WebSocket,
  ) {
    this.origin = connectionOrigin(this);
    ws.on("pong", () => {
      this.alive = true;
    });
  }

  send(message: Uint8Array): void {
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    ws.send(message, (err) => {
      if (err) ws.terminate();
    });
  }

  close(code: number, reason: string): void {
    closeSocket(this.ws, code, reason);
  }

  heartbeat(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }
}

/**
 * Serves one upgraded WebSocket: buffers what arrives while the session is checked (extensions'
 * onAuthenticate, onConnect), joins the document, answers with the server's sync step 1 and who is
 * here, then handles its frames until it closes. A refusal closes it with its code.
 */
export async function acceptConnection(
  ws: WebSocket,
  req: IncomingMessage,
  documentId: string | null,
  ctx: ConnectionContext,
): Promise<void> {
  const early: Uint8Array[] = [];
  let earlyBytes = 0;
  const buffer = (data: RawData) => {
    const bytes = toUint8(data);
    earlyBytes += bytes.byteLength;
    if (earlyBytes > ctx.limits.maxPayloadBytes)
      closeSocket(ws, CloseCode.MALFORMED, "too much data before authentication");
    else early.push(bytes);
  };
  ws.on("message", buffer);
  ws.on("error", () => ws.terminate());
  // Read now: once the socket is gone (closed while authenticating) its address is too.
  const ip = clientIp(req);
  let info: ConnectionInfo | undefined;
  try {
    if (!documentId) throw new CollabRefusal(CloseCode.NOT_FOUND, "no such document");
    const identity = await authenticate(req, documentId, ctx);
    const candidate: ConnectionInfo = { id: ctx.nextConnectionId(), documentId, identity, ip };
    for (const ext of ctx.extensions) await ext.onConnect?.({ connection: candidate });
    info = candidate;
    if (ws.readyState !== ws.OPEN || ctx.isClosing()) {
      // Closed while it was being authenticated: it never joined a document (nothing to create or leak).
      for (const ext of ctx.extensions) await ext.onDisconnect?.({ connection: candidate, document: null });
      return;
    }
    const shared = await ctx.documents.open(documentId);
    ws.off("message", buffer);
    join(ws, new ClientConnection(candidate, ws), shared, early, ctx);
  } catch (err) {
    const refusal = refusalOf(err, CloseCode.UNAVAILABLE, "document unavailable");
    ctx.reportError(info ?? null, refusal.code, refusal.reason, err instanceof CollabRefusal ? undefined : err);
    closeSocket(ws, refusal.code, refusal.reason);
  }
}

function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
}

/** The first extension's identity for the request, or 4401. */
async function authenticate(req: IncomingMessage, documentId: string, ctx: ConnectionContext): Promise<CollabIdentity> {
  for (const ext of ctx.extensions) {
    const identity = await ext.onAuthenticate?.({ request: req, documentId });
    if (identity) return identity;
  }
  throw new CollabRefusal(CloseCode.UNAUTHENTICATED, "no valid session");
}

/** Adds the connection to its document and starts the sync handshake; frames that came early are handled now. */
function join(
  ws: WebSocket,
  conn: ClientConnection,
  shared: SharedDocument,
  early: Uint8Array[],
  ctx: ConnectionContext,
): void {
  ctx.documents.keep(shared);
  shared.connections.add(conn);
  const onData = (data: Uint8Array) => {
    try {
      handleMessage(shared, conn, data, ctx);
    } catch (err) {
      const refusal = refusalOf(err, CloseCode.MALFORMED, "malformed message");
      ctx.reportError(conn.info, refusal.code, refusal.reason, err instanceof CollabRefusal ? undefined : err);
      conn.close(refusal.code, refusal.reason);
    }
  };
  ws.on("message", (data) => onData(toUint8(data)));
  ws.on("close", () => {
    shared.leave(conn);
    void (async () => {
      for (const ext of ctx.extensions) await ext.onDisconnect?.({ connection: conn.info, document: shared });
      if (shared.connections.size === 0 && !ctx.isClosing())
        await ctx.documents.storeAndMaybeUnload(shared, "last-disconnect");
    })();
  });
  // Server's state vector first (sync step 1), then who is here.
  conn.send(syncStep1Frame(shared.stateVector()));
  const states = [...shared.awareness.getStates().keys()];
  if (states.length) conn.send(awarenessStatesFrame(shared.awareness, states));
  for (const data of early) onData(data);
  // Answered the joiner from the stored bytes; now build the document while it applies them.
  if (shared.unapplied) setImmediate(() => shared.ensureApplied());
}

/** One frame of a joined connection; throws what closes the connection. */
function handleMessage(shared: SharedDocument, conn: ClientConnection, data: Uint8Array, ctx: ConnectionContext) {
  for (const ext of ctx.extensions) ext.onMessage?.({ connection: conn.info, size: data.byteLength });
  if (shared.unapplied && !isEmptySyncStep1(data)) shared.ensureApplied();
  const message = decodeClientMessage(data);
  switch (message.type) {
    case "sync-step1":
      // A client with nothing joining an unchanged document gets the stored state as loaded,
      // without encoding the whole document again (the cold-join path).
      if (shared.loadedState && isEmptySyncStep1(data)) conn.send(syncStep2Frame(shared.loadedState));
      else conn.send(answerSyncStep1Frame(shared.doc, message.stateVector));
      return;
    case "update": {
      // Validate before anything touches the document: a malformed update must not corrupt it.
      Y.decodeUpdate(message.update);
      if (conn.info.identity.readOnly) {
        ctx.reportError(conn.info, CloseCode.FORBIDDEN, "update from a read-only connection refused");
        return;
      }
      if (shared.approxBytes + message.update.byteLength > ctx.limits.maxDocumentBytes)
        throw new CollabRefusal(CloseCode.DOCUMENT_TOO_LARGE, "document size limit reached");
      for (const ext of ctx.extensions)
        ext.beforeChange?.({ document: shared, connection: conn.info, size: message.update.byteLength });
      applyUpdateMessage(message, shared.doc, conn.origin);
      return;
    }
    case "awareness":
      awarenessProtocol.applyAwarenessUpdate(shared.awareness, stamp(message.update, conn.info.identity), conn.origin);
      return;
    case "query-awareness":
      conn.send(awarenessStatesFrame(shared.awareness, [...shared.awareness.getStates().keys()]));
      return;
  }
}

/** Presence shows who someone really is: the server stamps the user from the session. */
function stamp(update: Uint8Array, identity: CollabIdentity): Uint8Array {
  return awarenessProtocol.modifyAwarenessUpdate(update, (state: { [k: string]: unknown } | null) =>
    state === null
      ? null
      : {
          ...state,
          user: {
            ...(typeof state.user === "object" && state.user ? state.user : {}),
            id: identity.userId,
            name: identity.displayName,
            org: identity.orgName,
            readOnly: identity.readOnly,
            suggestOnly: identity.suggestOnly,
          },
        },
  );
}
