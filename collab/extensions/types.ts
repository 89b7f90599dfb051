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
  id: string;
  doc: Y.Doc;
  awareness: Awareness;
  connectionCount: number;
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
  /** `document` is null when the connection closed before it joined its document (during authentication). */
  onDisconnect?(ctx: { connection: ConnectionInfo; document: DocumentInfo | null }): Promise<void> | void;
  /** Persist now (last client left, shutdown). */
  onStoreDocument?(ctx: {
    document: DocumentInfo;
    reason: "last-disconnect" | "shutdown" | "unload" | "request";
  }): Promise<void>;
  onUnloadDocument?(ctx: { documentId: string }): Promise<void> | void;
  /**
   * The server replaced `document.doc` (with its state before an update it refused after applying
   * it): whatever holds `previous` must use `document.doc` from now on.
   */
  onReplaceDocument?(ctx: { document: DocumentInfo; previous: Y.Doc }): void;
  /** A refused or failed frame; for logging. */
  onError?(ctx: { connection: ConnectionInfo | null; code: number; reason: string; error?: unknown }): void;
  onDestroy?(): Promise<void> | void;
}
