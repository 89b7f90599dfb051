import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type * as Y from "yjs";
import { CloseCode, documentIdFromPath } from "../app/protocol/collab";
import { acceptConnection, type ConnectionContext } from "./connection";
import { OpenDocuments } from "./documents/open-documents";
import { CollabRefusal, type CollabExtension, type CollabIdentity, type ConnectionInfo } from "./extensions/types";

export interface CollabSettings {
  /** Largest accepted frame; larger ones close the connection with 1009. */
  maxPayloadBytes: number;
  /** Largest document (approximate encoded size); updates beyond it close with 4413. */
  maxDocumentBytes: number;
  /** Unload a document this long after its last client left (after storing it). */
  unloadDelayMs: number;
  /** Ping interval; a connection missing a pong is terminated. */
  pingIntervalMs: number;
  /** Origin check of the upgrade request (same rule as HTTP); false refuses with 403. */
  originAllowed: (req: IncomingMessage) => boolean;
}

export const defaultCollabSettings: CollabSettings = {
  maxPayloadBytes: 2 * 1024 * 1024,
  maxDocumentBytes: 32 * 1024 * 1024,
  unloadDelayMs: 0,
  pingIntervalMs: 30_000,
  originAllowed: () => true,
};

export interface CollabServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection of a document (e.g. 4205 after finalizing); clients reconnect and are re-authorized. */
  closeDocumentConnections(documentId: string, code: number, reason: string): void;
  /** Closes this process's connections that `match` selects (access ended or narrowed, ADR 015); returns how many. */
  closeConnections(match: (connection: ConnectionInfo) => boolean, code: number, reason: string): number;
  /** This process's open connections (for the periodic access re-check). */
  connections(): ConnectionInfo[];
  /** Writes an open document's current state to storage now (before freezing a version). */
  storeDocument(documentId: string): Promise<void>;
  /**
   * Changes a document on the server (e.g. restoring a version) as `identity`: loads it if nobody
   * has it open, applies `change` in one transaction, sends the update to every open editor, and
   * stores it before resolving.
   */
  applyChange(documentId: string, identity: CollabIdentity, change: (doc: Y.Doc) => void): Promise<void>;
  /** Open documents and connections, for health and tests. */
  stats(): { documents: number; connections: number; documentIds: string[] };
  /** Stores every open document and closes all connections. */
  close(): Promise<void>;
}

/**
 * Our y-websocket-protocol server (architecture.md "The collab pipeline"): Hocuspocus-style hook pipeline, no module-global
 * state (everything lives in this call's objects), y-protocols for sync and awareness encoding.
 * The parts: documents/shared-document.ts and documents/open-documents.ts (the documents),
 * connection.ts (a client's WebSocket), frames.ts (the y-websocket frames), origin.ts (where a
 * change comes from); scale-out plugs in as the `relay` extension.
 */
export function createCollabServer(options: {
  extensions: CollabExtension[];
  settings?: Partial<CollabSettings>;
}): CollabServer {
  const settings = { ...defaultCollabSettings, ...options.settings };
  const extensions = options.extensions;
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxPayloadBytes, perMessageDeflate: false });
  let nextConnectionId = 1;
  let closing = false;
  const reportError: ConnectionContext["reportError"] = (connection, code, reason, error) => {
    for (const ext of extensions) ext.onError?.({ connection, code, reason, error });
  };
  const documents = new OpenDocuments({ extensions, reportError, unloadDelayMs: settings.unloadDelayMs });
  const context: ConnectionContext = {
    extensions,
    reportError,
    documents,
    limits: { maxPayloadBytes: settings.maxPayloadBytes, maxDocumentBytes: settings.maxDocumentBytes },
    nextConnectionId: () => nextConnectionId++,
    isClosing: () => closing,
  };

  const pinger = setInterval(() => {
    for (const shared of documents.values()) for (const conn of shared.connections) conn.heartbeat();
  }, settings.pingIntervalMs);
  pinger.unref();

  return {
    handleUpgrade(req, socket, head) {
      if (closing) {
        socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
        return;
      }
      if (!settings.originAllowed(req)) {
        socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
        return;
      }
      const documentId = documentIdFromPath((req.url ?? "").split("?")[0]);
      wss.handleUpgrade(req, socket, head, (ws) => void acceptConnection(ws, req, documentId, context));
    },
    closeDocumentConnections(documentId, code, reason) {
      for (const ext of extensions) ext.onCloseDocumentConnections?.({ documentId, code, reason });
      documents.get(documentId)?.closeConnections(code, reason);
    },
    async storeDocument(documentId) {
      const shared = documents.get(documentId);
      if (shared) await documents.store(shared, "request");
    },
    async applyChange(documentId, identity, change) {
      if (closing) throw new CollabRefusal(CloseCode.GOING_AWAY, "server shutting down");
      const shared = await documents.open(documentId);
      documents.keep(shared);
      // Not a connection: the update goes to every open editor, and extensions see it as `identity`'s.
      shared.change({ id: 0, documentId, identity, ip: "server" }, change);
      if (shared.connections.size > 0) await documents.store(shared, "request");
      else await documents.storeAndMaybeUnload(shared, "last-disconnect");
    },
    closeConnections(match, code, reason) {
      let closed = 0;
      for (const shared of documents.values()) {
        for (const conn of shared.connections) {
          if (!match(conn.info)) continue;
          conn.close(code, reason);
          closed++;
        }
      }
      return closed;
    },
    connections() {
      const out: ConnectionInfo[] = [];
      for (const shared of documents.values()) for (const conn of shared.connections) out.push(conn.info);
      return out;
    },
    stats() {
      let connections = 0;
      for (const d of documents.values()) connections += d.connections.size;
      return { documents: documents.size, connections, documentIds: documents.ids() };
    },
    async close() {
      closing = true;
      clearInterval(pinger);
      await documents.settle();
      for (const shared of documents.values()) {
        if (shared.unloadTimer) clearTimeout(shared.unloadTimer);
        shared.closeConnections(CloseCode.GOING_AWAY, "server shutting down");
      }
      await Promise.allSettled([...documents.values()].map((d) => documents.storeAndMaybeUnload(d, "shutdown")));
      for (const ext of extensions) await ext.onDestroy?.();
      documents.destroyAll();
      wss.close();
    },
  };
}
