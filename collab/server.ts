import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { guardIntegrity, type IntegrityGuard, type IntegrityRefusal } from "./documents/integrity";
import { CloseCode, documentIdFromPath, MessageType } from "../app/protocol/collab";
import {
  CollabRefusal,
  type CollabExtension,
  type CollabIdentity,
  type ConnectionInfo,
  type DocumentInfo,
} from "./extensions/types";
import type { CollabRelay, RelayEnvelope } from "./relay";

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

interface Connection {
  info: ConnectionInfo;
  ws: WebSocket;
  /** Awareness client ids this connection controls. */
  awarenessIds: Set<number>;
  alive: boolean;
}

interface SharedDocument extends DocumentInfo {
  connections: Map<WebSocket, Connection>;
  approxBytes: number;
  /** The stored state exactly as loaded, while the document is unchanged since loading. */
  loadedState: Uint8Array | null;
  /** Stored state not yet applied to `doc` (applied right after the first joiner is answered). */
  unapplied: Uint8Array | null;
  unloadTimer: NodeJS.Timeout | null;
  /** Scale-out: answers from other processes still expected after opening the document. */
  awaitingPeers: { remaining: number; done: () => void } | null;
  destroy(): void;
}

/** Longest wait for the other processes' state when opening a document they have open. */
const PEER_SYNC_TIMEOUT_MS = 500;

const LOAD_ORIGIN = Symbol("load");
/** Origin of updates and awareness changes that came from another process through the relay. */
const RELAY_ORIGIN = Symbol("relay");

/** A sync step 1 carrying an empty state vector (a client that has nothing yet). */
function isEmptySyncStep1(data: Uint8Array): boolean {
  try {
    const d = decoding.createDecoder(data);
    if (decoding.readVarUint(d) !== MessageType.SYNC || decoding.readVarUint(d) !== syncProtocol.messageYjsSyncStep1)
      return false;
    return Y.decodeStateVector(decoding.readVarUint8Array(d)).size === 0;
  } catch {
    return false;
  }
}

/** Applies the stored state to the document if that has not happened yet. */
function ensureApplied(shared: { doc: Y.Doc; unapplied: Uint8Array | null }): void {
  if (!shared.unapplied) return;
  const state = shared.unapplied;
  shared.unapplied = null;
  Y.applyUpdate(shared.doc, state, LOAD_ORIGIN);
}

function encode(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

function toUint8(data: RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Our y-websocket-protocol server (DESIGN §4.6): Hocuspocus-style hook pipeline, no module-global
 * state (everything lives in this closure), y-protocols for sync and awareness encoding.
 */
export function createCollabServer(options: {
  extensions: CollabExtension[];
  settings?: Partial<CollabSettings>;
  relay?: CollabRelay;
}): CollabServer {
  const settings = { ...defaultCollabSettings, ...options.settings };
  const extensions = options.extensions;
  const relay = options.relay;
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxPayloadBytes, perMessageDeflate: false });
  const documents = new Map<string, SharedDocument>();
  const loading = new Map<string, Promise<SharedDocument>>();
  let nextConnectionId = 1;
  let closing = false;

  const reportError = (connection: ConnectionInfo | null, code: number, reason: string, error?: unknown) => {
    for (const ext of extensions) ext.onError?.({ connection, code, reason, error });
  };

  const send = (conn: Connection, message: Uint8Array) => {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(message, (err) => {
      if (err) conn.ws.terminate();
    });
  };

  async function loadDocument(documentId: string): Promise<SharedDocument> {
    const existing = documents.get(documentId);
    if (existing) return existing;
    const pending = loading.get(documentId);
    if (pending) return pending;
    const promise = (async () => {
      const doc = new Y.Doc({ gc: true });
      let loadedState: Uint8Array | null = null;
      for (const ext of extensions) {
        const state = await ext.onLoadDocument?.({ documentId, doc });
        if (state) loadedState = loadedState ? Y.mergeUpdates([loadedState, state]) : state;
      }
      const awareness = new awarenessProtocol.Awareness(doc);
      awareness.setLocalState(null);
      const shared: SharedDocument = {
        id: documentId,
        doc,
        awareness,
        connections: new Map(),
        get connectionCount() {
          return this.connections.size;
        },
        approxBytes: loadedState?.byteLength ?? 0,
        loadedState,
        unapplied: loadedState,
        unloadTimer: null,
        awaitingPeers: null,
        destroy() {
          awareness.destroy();
          shared.doc.destroy();
        },
      };
      const onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
        // Applying the stored state changes nothing anyone needs to be told.
        if (origin === LOAD_ORIGIN) return;
        // Refused by the integrity guard: never broadcast, relayed, logged nor stored (replaceDoc undoes it).
        if (guard.isRefused(tr)) return;
        shared.approxBytes += update.byteLength;
        shared.loadedState = null;
        const message = encode((e) => {
          encoding.writeVarUint(e, MessageType.SYNC);
          syncProtocol.writeUpdate(e, update);
        });
        for (const conn of shared.connections.values()) if (conn !== origin) send(conn, message);
        if (origin === RELAY_ORIGIN) {
          for (const ext of extensions) ext.onRemoteChange?.({ document: shared, update });
          return;
        }
        relay?.publish(documentId, { kind: "update", update });
        const from = origin as Connection | undefined;
        if (from && from.info)
          for (const ext of extensions) ext.onChange?.({ document: shared, update, connection: from.info });
      };
      // Writers' updates must keep the document's structure sound (integrity.ts). One that breaks it
      // has been integrated already: the Y.Doc is replaced by its state before that update, the
      // update goes nowhere, and its sender is closed with 4400. The stored state and other
      // processes' relayed updates are not checked (those processes checked their own writers).
      const watch = (d: Y.Doc): IntegrityGuard => {
        d.on("update", onUpdate);
        return guardIntegrity(d, {
          checks: (origin) => origin !== LOAD_ORIGIN && origin !== RELAY_ORIGIN,
          onRefused: (refusal) => replaceDoc(refusal),
        });
      };
      const replaceDoc = ({ transaction, violation, restored }: IntegrityRefusal) => {
        const previous = shared.doc;
        previous.off("update", onUpdate);
        guard.detach();
        shared.doc = restored;
        // Presence stays as it is; the old Y.Doc is dropped, not destroyed (that would end the awareness).
        awareness.doc = restored;
        guard = watch(restored);
        for (const ext of extensions) ext.onReplaceDocument?.({ document: shared, previous });
        const sender = [...shared.connections.values()].find((conn) => conn === transaction.origin);
        reportError(sender?.info ?? null, CloseCode.MALFORMED, `update refused: ${violation.reason}`);
        if (sender) closeWith(sender.ws, CloseCode.MALFORMED, `update refused: ${violation.kind}`);
      };
      let guard = watch(doc);
      awareness.on(
        "update",
        ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
          const changed = [...added, ...updated, ...removed];
          const from = origin as Connection | null;
          if (from && from.awarenessIds) {
            for (const id of added) from.awarenessIds.add(id);
            for (const id of removed) from.awarenessIds.delete(id);
          }
          const encoded = awarenessProtocol.encodeAwarenessUpdate(awareness, changed);
          const message = encode((e) => {
            encoding.writeVarUint(e, MessageType.AWARENESS);
            encoding.writeVarUint8Array(e, encoded);
          });
          for (const conn of shared.connections.values()) send(conn, message);
          if (origin !== RELAY_ORIGIN) relay?.publish(documentId, { kind: "awareness", update: encoded });
        },
      );
      documents.set(documentId, shared);
      if (relay) {
        const peers = await relay.join(documentId, (envelope) => onRelayMessage(shared, envelope));
        // Other processes have it open: start from their state (unwritten edits included), so a
        // server-side change (restoring a version) applies to the document as everyone sees it.
        const answered =
          peers > 0
            ? new Promise<void>((resolve) => (shared.awaitingPeers = { remaining: peers, done: resolve }))
            : null;
        askPeers(shared);
        if (answered) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            answered,
            new Promise<void>((resolve) => (timer = setTimeout(resolve, PEER_SYNC_TIMEOUT_MS))),
          ]);
          clearTimeout(timer);
          shared.awaitingPeers = null;
        }
      }
      return shared;
    })();
    loading.set(documentId, promise);
    try {
      return await promise;
    } finally {
      loading.delete(documentId);
    }
  }

  /** Asks the other processes for what this one lacks of a document, and for their presence. */
  function askPeers(shared: SharedDocument) {
    if (!relay || documents.get(shared.id) !== shared) return;
    const stateVector = shared.unapplied
      ? Y.encodeStateVectorFromUpdate(shared.unapplied)
      : Y.encodeStateVector(shared.doc);
    relay.publish(shared.id, { kind: "sync1", stateVector });
    relay.publish(shared.id, { kind: "query-awareness" });
  }

  /** The awareness states of this process's own connections (what it tells the others). */
  function localAwareness(shared: SharedDocument): Uint8Array | null {
    const ids: number[] = [];
    for (const conn of shared.connections.values()) ids.push(...conn.awarenessIds);
    return ids.length ? awarenessProtocol.encodeAwarenessUpdate(shared.awareness, ids) : null;
  }

  function onRelayMessage(shared: SharedDocument, { from, message }: RelayEnvelope) {
    if (documents.get(shared.id) !== shared || !relay) return;
    switch (message.kind) {
      case "update":
        ensureApplied(shared);
        Y.applyUpdate(shared.doc, message.update, RELAY_ORIGIN);
        return;
      case "sync2":
        if (message.to !== relay.processId) return;
        ensureApplied(shared);
        Y.applyUpdate(shared.doc, message.update, RELAY_ORIGIN);
        if (shared.awaitingPeers && --shared.awaitingPeers.remaining <= 0) shared.awaitingPeers.done();
        return;
      case "sync1": {
        ensureApplied(shared);
        const update = Y.encodeStateAsUpdate(shared.doc, message.stateVector);
        relay.publish(shared.id, { kind: "sync2", to: from, update });
        return;
      }
      case "awareness":
        awarenessProtocol.applyAwarenessUpdate(shared.awareness, message.update, RELAY_ORIGIN);
        return;
      case "query-awareness": {
        const update = localAwareness(shared);
        if (update) relay.publish(shared.id, { kind: "awareness", update });
        return;
      }
      case "close":
        for (const conn of shared.connections.values()) closeWith(conn.ws, message.code, message.reason);
        return;
    }
  }

  // After a relay outage every open document is resynced with the other processes.
  relay?.onResync(() => {
    for (const shared of documents.values()) {
      askPeers(shared);
      const update = localAwareness(shared);
      if (update) relay.publish(shared.id, { kind: "awareness", update });
    }
  });

  async function storeAndMaybeUnload(shared: SharedDocument, reason: "last-disconnect" | "shutdown") {
    ensureApplied(shared);
    try {
      for (const ext of extensions) await ext.onStoreDocument?.({ document: shared, reason });
    } catch (err) {
      reportError(null, CloseCode.UNAVAILABLE, `store failed for ${shared.id}`, err);
      return;
    }
    if (shared.connections.size > 0 || reason === "shutdown") return;
    const unload = async () => {
      if (shared.connections.size > 0 || documents.get(shared.id) !== shared) return;
      documents.delete(shared.id);
      relay?.leave(shared.id);
      shared.destroy();
      for (const ext of extensions) await ext.onUnloadDocument?.({ documentId: shared.id });
    };
    if (settings.unloadDelayMs > 0) shared.unloadTimer = setTimeout(() => void unload(), settings.unloadDelayMs);
    else await unload();
  }

  function closeWith(ws: WebSocket, code: number, reason: string) {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason.slice(0, 120));
  }

  function handleMessage(shared: SharedDocument, conn: Connection, data: Uint8Array) {
    for (const ext of extensions) ext.onMessage?.({ connection: conn.info, size: data.byteLength });
    if (shared.unapplied && !isEmptySyncStep1(data)) ensureApplied(shared);
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.SYNC: {
        const subtype = decoding.peekVarUint(decoder);
        if (subtype === syncProtocol.messageYjsSyncStep1) {
          // A client with nothing joining an unchanged document gets the stored state as loaded,
          // without encoding the whole document again (the cold-join path).
          if (shared.loadedState) {
            if (isEmptySyncStep1(data)) {
              const state = shared.loadedState;
              // Same frame as syncProtocol.writeSyncStep2, with the stored bytes as the update.
              send(
                conn,
                encode((e) => {
                  encoding.writeVarUint(e, MessageType.SYNC);
                  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
                  encoding.writeVarUint8Array(e, state);
                }),
              );
              return;
            }
          }
          const reply = encoding.createEncoder();
          encoding.writeVarUint(reply, MessageType.SYNC);
          syncProtocol.readSyncMessage(decoder, reply, shared.doc, conn);
          if (encoding.length(reply) > 1) send(conn, encoding.toUint8Array(reply));
          return;
        }
        if (subtype !== syncProtocol.messageYjsSyncStep2 && subtype !== syncProtocol.messageYjsUpdate)
          throw new CollabRefusal(CloseCode.MALFORMED, "unknown sync message");
        // Validate before anything touches the document: a malformed update must not corrupt it.
        const peek = decoding.createDecoder(data);
        decoding.readVarUint(peek);
        decoding.readVarUint(peek);
        const update = decoding.readVarUint8Array(peek);
        Y.decodeUpdate(update);
        if (conn.info.identity.readOnly) {
          reportError(conn.info, CloseCode.FORBIDDEN, "update from a read-only connection refused");
          return;
        }
        if (shared.approxBytes + update.byteLength > settings.maxDocumentBytes)
          throw new CollabRefusal(CloseCode.DOCUMENT_TOO_LARGE, "document size limit reached");
        for (const ext of extensions)
          ext.beforeChange?.({ document: shared, connection: conn.info, size: update.byteLength });
        syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), shared.doc, conn);
        return;
      }
      case MessageType.AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        const identity = conn.info.identity;
        // Presence shows who someone really is: the server stamps the user from the session.
        const stamped = awarenessProtocol.modifyAwarenessUpdate(update, (state: { [k: string]: unknown } | null) =>
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
                },
              },
        );
        awarenessProtocol.applyAwarenessUpdate(shared.awareness, stamped, conn);
        return;
      }
      case MessageType.QUERY_AWARENESS:
        send(
          conn,
          encode((e) => {
            encoding.writeVarUint(e, MessageType.AWARENESS);
            encoding.writeVarUint8Array(
              e,
              awarenessProtocol.encodeAwarenessUpdate(shared.awareness, [...shared.awareness.getStates().keys()]),
            );
          }),
        );
        return;
      default:
        throw new CollabRefusal(CloseCode.MALFORMED, `unknown message type ${type}`);
    }
  }

  async function onConnection(ws: WebSocket, req: IncomingMessage, documentId: string | null) {
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    const buffer = (data: RawData) => {
      const bytes = toUint8(data);
      earlyBytes += bytes.byteLength;
      if (earlyBytes > settings.maxPayloadBytes)
        closeWith(ws, CloseCode.MALFORMED, "too much data before authentication");
      else early.push(bytes);
    };
    ws.on("message", buffer);
    ws.on("error", () => ws.terminate());
    const ip = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    let identity: CollabIdentity | undefined;
    let conn: Connection | undefined;
    try {
      if (!documentId) throw new CollabRefusal(CloseCode.NOT_FOUND, "no such document");
      for (const ext of extensions) {
        identity = await ext.onAuthenticate?.({ request: req, documentId });
        if (identity) break;
      }
      if (!identity) throw new CollabRefusal(CloseCode.UNAUTHENTICATED, "no valid session");
      const info: ConnectionInfo = { id: nextConnectionId++, documentId, identity, ip };
      for (const ext of extensions) await ext.onConnect?.({ connection: info });
      conn = { info, ws, awarenessIds: new Set(), alive: true };
      if (ws.readyState !== ws.OPEN || closing) {
        // Closed while it was being authenticated: it never joined a document (nothing to create or leak).
        for (const ext of extensions) await ext.onDisconnect?.({ connection: info, document: null });
        return;
      }
      const shared = await loadDocument(documentId);
      if (shared.unloadTimer) clearTimeout(shared.unloadTimer);
      shared.unloadTimer = null;
      const connection = conn;
      shared.connections.set(ws, connection);
      ws.off("message", buffer);
      const onData = (data: Uint8Array) => {
        try {
          handleMessage(shared, connection, data);
        } catch (err) {
          const refusal =
            err instanceof CollabRefusal ? err : new CollabRefusal(CloseCode.MALFORMED, "malformed message");
          reportError(connection.info, refusal.code, refusal.reason, err instanceof CollabRefusal ? undefined : err);
          closeWith(ws, refusal.code, refusal.reason);
        }
      };
      ws.on("message", (data) => onData(toUint8(data)));
      ws.on("pong", () => {
        connection.alive = true;
      });
      ws.on("close", () => {
        shared.connections.delete(ws);
        awarenessProtocol.removeAwarenessStates(shared.awareness, [...connection.awarenessIds], null);
        void (async () => {
          for (const ext of extensions) await ext.onDisconnect?.({ connection: connection.info, document: shared });
          if (shared.connections.size === 0 && !closing) await storeAndMaybeUnload(shared, "last-disconnect");
        })();
      });
      // Server's state vector first (sync step 1), then who is here.
      send(
        connection,
        encode((e) => {
          encoding.writeVarUint(e, MessageType.SYNC);
          if (shared.unapplied) {
            // Same frame as syncProtocol.writeSyncStep1, read from the stored state not yet applied.
            encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
            encoding.writeVarUint8Array(e, Y.encodeStateVectorFromUpdate(shared.unapplied));
          } else {
            syncProtocol.writeSyncStep1(e, shared.doc);
          }
        }),
      );
      const states = [...shared.awareness.getStates().keys()];
      if (states.length) {
        send(
          connection,
          encode((e) => {
            encoding.writeVarUint(e, MessageType.AWARENESS);
            encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(shared.awareness, states));
          }),
        );
      }
      for (const data of early) onData(data);
      // Answered the joiner from the stored bytes; now build the document while it applies them.
      if (shared.unapplied) setImmediate(() => ensureApplied(shared));
    } catch (err) {
      const refusal =
        err instanceof CollabRefusal ? err : new CollabRefusal(CloseCode.UNAVAILABLE, "document unavailable");
      reportError(conn?.info ?? null, refusal.code, refusal.reason, err instanceof CollabRefusal ? undefined : err);
      closeWith(ws, refusal.code, refusal.reason);
    }
  }

  const pinger = setInterval(() => {
    for (const shared of documents.values()) {
      for (const conn of shared.connections.values()) {
        if (!conn.alive) {
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
      }
    }
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
      wss.handleUpgrade(req, socket, head, (ws) => void onConnection(ws, req, documentId));
    },
    closeDocumentConnections(documentId, code, reason) {
      // Connections to this document on other processes are closed too.
      relay?.publish(documentId, { kind: "close", code, reason });
      const shared = documents.get(documentId);
      if (!shared) return;
      for (const conn of shared.connections.values()) closeWith(conn.ws, code, reason);
    },
    async storeDocument(documentId) {
      const shared = documents.get(documentId);
      if (!shared) return;
      ensureApplied(shared);
      for (const ext of extensions) await ext.onStoreDocument?.({ document: shared, reason: "request" });
    },
    async applyChange(documentId, identity, change) {
      if (closing) throw new CollabRefusal(CloseCode.GOING_AWAY, "server shutting down");
      const shared = await loadDocument(documentId);
      if (shared.unloadTimer) {
        clearTimeout(shared.unloadTimer);
        shared.unloadTimer = null;
      }
      ensureApplied(shared);
      // Not a connection: the update goes to every open editor, and extensions see it as `identity`'s.
      const origin = { info: { id: 0, documentId, identity, ip: "server" } satisfies ConnectionInfo };
      shared.doc.transact(() => change(shared.doc), origin);
      if (shared.connections.size > 0) {
        for (const ext of extensions) await ext.onStoreDocument?.({ document: shared, reason: "request" });
      } else {
        await storeAndMaybeUnload(shared, "last-disconnect");
      }
    },
    closeConnections(match, code, reason) {
      let closed = 0;
      for (const shared of documents.values()) {
        for (const conn of shared.connections.values()) {
          if (!match(conn.info)) continue;
          closeWith(conn.ws, code, reason);
          closed++;
        }
      }
      return closed;
    },
    connections() {
      const out: ConnectionInfo[] = [];
      for (const shared of documents.values()) for (const conn of shared.connections.values()) out.push(conn.info);
      return out;
    },
    stats() {
      let connections = 0;
      for (const d of documents.values()) connections += d.connections.size;
      return { documents: documents.size, connections, documentIds: [...documents.keys()] };
    },
    async close() {
      closing = true;
      clearInterval(pinger);
      await Promise.allSettled([...loading.values()]);
      for (const shared of documents.values()) {
        if (shared.unloadTimer) clearTimeout(shared.unloadTimer);
        for (const conn of shared.connections.values())
          closeWith(conn.ws, CloseCode.GOING_AWAY, "server shutting down");
      }
      await Promise.allSettled([...documents.values()].map((d) => storeAndMaybeUnload(d, "shutdown")));
      for (const ext of extensions) await ext.onDestroy?.();
      for (const d of documents.values()) d.destroy();
      documents.clear();
      wss.close();
    },
  };
}
