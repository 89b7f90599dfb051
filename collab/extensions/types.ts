import type { IncomingMessage } from "node:http";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { closeCodeFor, type CollabCloseCode, type CollabIdentity } from "../../app/protocol/collab";
import type { DomainError } from "../../app/domain/errors";

export type { CollabIdentity };

export interface ConnectionInfo {
  id: number;
  documentId: string;
  identity: CollabIdentity;
  ip: string;
}

export interface DocumentInfo {
  readonly id: string;
  /** The current Y.Doc (replaced after a refused update: see onReplaceDocument). */
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly connectionCount: number;
}

/**
 * What an extension may do to an open document on behalf of other processes (scale-out, ADR 012):
 * what it applies comes with the relay origin, so it is sent to local clients, never published
 * again, and logged by the process that accepted it.
 */
export interface RemoteDocument {
  readonly id: string;
  /** False once the document is unloaded or the server closed: messages for it are ignored then. */
  isOpen(): boolean;
  /** What this process has (the stored state counts before it is applied). */
  stateVector(): Uint8Array;
  /** What this process has beyond `stateVector` (the sync step 2 a peer lacks). */
  missingFor(stateVector: Uint8Array): Uint8Array;
  /** Applies an update another process accepted. */
  applyUpdate(update: Uint8Array): void;
  /** Applies an awareness update another process stamped. */
  applyAwareness(update: Uint8Array): void;
  /** The awareness states of this process's own connections, or null when there are none. */
  localAwareness(): Uint8Array | null;
  closeConnections(code: number, reason: string): void;
}

/** Thrown by a hook to refuse: the connection is closed with `code`. */
export class CollabRefusal extends Error {
  constructor(
    readonly code: CollabCloseCode,
    readonly reason: string,
  ) {
    super(reason);
  }

  /** A domain error (ADR 016) as the refusal that closes the connection; the reason is the error's id. */
  static from(error: DomainError): CollabRefusal {
    return new CollabRefusal(closeCodeFor(error), error.id.toLowerCase());
  }
}

/**
 * One concern per extension (Hocuspocus' model). Hooks run in the order the extensions are listed;
 * a hook that throws CollabRefusal closes the connection with its code.
 */
export interface CollabExtension {
  readonly name: string;
  /** Resolves who is connecting; the first extension returning an identity wins. */
  onAuthenticate?(ctx: { request: IncomingMessage; documentId: string }): Promise<CollabIdentity | undefined>;
  onConnect?(ctx: { connection: ConnectionInfo }): Promise<void> | void;
  /**
   * Returns the stored state of a document being loaded (an encoded Yjs update), or nothing. The
   * server applies it, and sends it as-is to clients joining before the first change.
   */
  onLoadDocument?(ctx: { documentId: string; doc: Y.Doc }): Promise<Uint8Array | void>;
  /**
   * A document was loaded and registered (others joining now find it); awaited before its first
   * connection is answered, e.g. to start from the other processes' state (scale-out).
   */
  afterLoadDocument?(ctx: { document: DocumentInfo; remote: RemoteDocument }): Promise<void> | void;
  /** Every incoming frame, before decoding. */
  onMessage?(ctx: { connection: ConnectionInfo; size: number }): void;
  /** An update accepted from a writer and applied to the document. */
  onChange?(ctx: { document: DocumentInfo; update: Uint8Array; connection: ConnectionInfo }): void;
  /**
   * Before a writer's update is applied: throwing CollabRefusal refuses it (the connection is
   * closed; the client keeps the edit and sends it again after reconnecting).
   */
  beforeChange?(ctx: { document: DocumentInfo; connection: ConnectionInfo; size: number }): void;
  /** An update that another process accepted and relayed here (scale-out mode); that process logs it. */
  onRemoteChange?(ctx: { document: DocumentInfo; update: Uint8Array }): void;
  /**
   * A presence change made here (a connection's awareness, a disconnect, a timeout), encoded; not
   * the ones relayed from other processes.
   */
  onAwarenessChange?(ctx: { document: DocumentInfo; update: Uint8Array }): void;
  /** `document` is null when the connection closed before it joined its document (during authentication). */
  onDisconnect?(ctx: { connection: ConnectionInfo; document: DocumentInfo | null }): Promise<void> | void;
  /** Persist now (last client left, shutdown). */
  onStoreDocument?(ctx: {
    document: DocumentInfo;
    reason: "last-disconnect" | "shutdown" | "unload" | "request";
  }): Promise<void>;
  /** The document was unloaded (its Y.Doc destroyed); `document` is the one that was open. */
  onUnloadDocument?(ctx: { documentId: string; document: DocumentInfo }): Promise<void> | void;
  /** closeDocumentConnections was called, whether the document is open here or not (scale-out: on every process). */
  onCloseDocumentConnections?(ctx: { documentId: string; code: number; reason: string }): void;
  /**
   * The server replaced `document.doc` (with its state before an update it refused after applying
   * it): whatever holds `previous` must use `document.doc` from now on.
   */
  onReplaceDocument?(ctx: { document: DocumentInfo; previous: Y.Doc }): void;
  /** A refused or failed frame; for logging. */
  onError?(ctx: { connection: ConnectionInfo | null; code: number; reason: string; error?: unknown }): void;
  onDestroy?(): Promise<void> | void;
}
