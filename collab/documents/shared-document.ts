import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CloseCode } from "../../app/protocol/collab";
import type { CollabExtension, ConnectionInfo, DocumentInfo, RemoteDocument } from "../extensions/types";
import { awarenessFrame, updateFrame } from "../frames";
import {
  authorOf,
  isChecked,
  LOAD_ORIGIN,
  originOf,
  RELAY_ORIGIN,
  serverChangeOrigin,
  type ConnectionOrigin,
} from "../origin";
import { guardIntegrity, type IntegrityGuard, type IntegrityRefusal } from "./integrity";
import { suggestionReview } from "./suggestion-review";

/** A connection as its document sees it (collab/connection.ts makes them). */
export interface DocumentConnection {
  readonly info: ConnectionInfo;
  /** This connection as the origin of its transactions and awareness changes (one object for its lifetime). */
  readonly origin: ConnectionOrigin;
  /** Awareness client ids this connection controls. */
  readonly awarenessIds: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Pings; a connection that did not answer the previous ping is terminated. */
  heartbeat(): void;
}

export type ReportError = (connection: ConnectionInfo | null, code: number, reason: string, error?: unknown) => void;

export interface DocumentContext {
  readonly extensions: readonly CollabExtension[];
  readonly reportError: ReportError;
}

/**
 * One open document: its Y.Doc and awareness, the connections editing it, and what every change is
 * told to (the other connections, the extensions). Writers' updates must keep the document's
 * structure sound (integrity.ts): a transaction that breaks it has been integrated already, so the
 * Y.Doc is replaced by its state before that transaction, the update goes nowhere, and its sender is
 * closed with 4400. The stored state and other processes' relayed updates are not checked (those
 * processes checked their own writers).
 */
export class SharedDocument implements DocumentInfo {
  readonly connections = new Set<DocumentConnection>();
  readonly awareness: awarenessProtocol.Awareness;
  /** Approximate encoded size: the stored state plus every update since. */
  approxBytes: number;
  /** The stored state exactly as loaded, while the document is unchanged since loading. */
  loadedState: Uint8Array | null;
  /** Stored state not yet applied to `doc` (applied right after the first joiner is answered). */
  unapplied: Uint8Array | null;
  unloadTimer: NodeJS.Timeout | null = null;
  private current: Y.Doc;
  private guard: IntegrityGuard;

  constructor(
    readonly id: string,
    doc: Y.Doc,
    state: Uint8Array | null,
    private readonly context: DocumentContext,
  ) {
    this.current = doc;
    this.approxBytes = state?.byteLength ?? 0;
    this.loadedState = state;
    this.unapplied = state;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.guard = this.watch(doc);
    this.awareness.on("update", this.onAwarenessUpdate);
  }

  get doc(): Y.Doc {
    return this.current;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Applies the stored state to the document if that has not happened yet. */
  ensureApplied(): void {
    if (!this.unapplied) return;
    const state = this.unapplied;
    this.unapplied = null;
    Y.applyUpdate(this.current, state, LOAD_ORIGIN);
  }

  /** What this process has of the document (the stored state counts before it is applied). */
  stateVector(): Uint8Array {
    return this.unapplied ? Y.encodeStateVectorFromUpdate(this.unapplied) : Y.encodeStateVector(this.current);
  }

  /** The awareness states of this process's own connections; null when there are none. */
  localAwareness(): Uint8Array | null {
    const ids: number[] = [];
    for (const conn of this.connections) ids.push(...conn.awarenessIds);
    return ids.length ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  /** A connection leaves: its presence goes with it. */
  leave(conn: DocumentConnection): void {
    this.connections.delete(conn);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], conn.origin);
  }

  /** Changes the document as `as` (a server change): one transaction, checked and told like a writer's. */
  change(as: ConnectionInfo, change: (doc: Y.Doc) => void): void {
    this.ensureApplied();
    this.current.transact(() => change(this.current), serverChangeOrigin(as));
  }

  closeConnections(code: number, reason: string): void {
    for (const conn of this.connections) conn.close(code, reason);
  }

  /** What extensions may do to this document for other processes (scale-out). */
  remote(isOpen: () => boolean): RemoteDocument {
    return {
      id: this.id,
      isOpen,
      stateVector: () => this.stateVector(),
      missingFor: (stateVector) => {
        this.ensureApplied();
        return Y.encodeStateAsUpdate(this.current, stateVector);
      },
      applyUpdate: (update) => {
        this.ensureApplied();
        Y.applyUpdate(this.current, update, RELAY_ORIGIN);
      },
      applyAwareness: (update) => awarenessProtocol.applyAwarenessUpdate(this.awareness, update, RELAY_ORIGIN),
      localAwareness: () => this.localAwareness(),
      closeConnections: (code, reason) => this.closeConnections(code, reason),
    };
  }

  destroy(): void {
    this.awareness.destroy();
    this.current.destroy();
  }

  private watch(doc: Y.Doc): IntegrityGuard {
    doc.on("update", this.onUpdate);
    return guardIntegrity(doc, {
      checks: isChecked,
      onRefused: (refusal) => this.replaceDoc(refusal),
      review: suggestionReview(doc),
    });
  }

  private readonly onUpdate = (update: Uint8Array, rawOrigin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
    const origin = originOf(rawOrigin);
    // Applying the stored state changes nothing anyone needs to be told.
    if (origin?.kind === "load") return;
    // Refused by the integrity guard: never broadcast, relayed, logged nor stored (replaceDoc undoes it).
    if (this.guard.isRefused(tr)) return;
    this.approxBytes += update.byteLength;
    this.loadedState = null;
    const message = updateFrame(update);
    const sender = origin?.kind === "connection" ? origin.connection : null;
    for (const conn of this.connections) if (conn !== sender) conn.send(message);
    if (origin?.kind === "relay") {
      for (const ext of this.context.extensions) ext.onRemoteChange?.({ document: this, update });
      return;
    }
    const author = authorOf(origin);
    if (author)
      for (const ext of this.context.extensions) ext.onChange?.({ document: this, update, connection: author });
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    rawOrigin: unknown,
  ) => {
    const origin = originOf(rawOrigin);
    if (origin?.kind === "connection") {
      for (const id of added) origin.connection.awarenessIds.add(id);
      for (const id of removed) origin.connection.awarenessIds.delete(id);
    }
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]);
    const message = awarenessFrame(update);
    for (const conn of this.connections) conn.send(message);
    if (origin?.kind !== "relay")
      for (const ext of this.context.extensions) ext.onAwarenessChange?.({ document: this, update });
  };

  private replaceDoc({ transaction, violation, restored }: IntegrityRefusal): void {
    const previous = this.current;
    previous.off("update", this.onUpdate);
    this.guard.detach();
    this.current = restored;
    // Presence stays as it is; the old Y.Doc is dropped, not destroyed (that would end the awareness).
    this.awareness.doc = restored;
    this.guard = this.watch(restored);
    for (const ext of this.context.extensions) ext.onReplaceDocument?.({ document: this, previous });
    const origin = originOf(transaction.origin);
    const sender = origin?.kind === "connection" && this.connections.has(origin.connection) ? origin.connection : null;
    // Not a proposal from a SUGGEST connection: its own code, after which the client stops resending.
    const code = violation.kind === "not-a-suggestion" ? CloseCode.NOT_A_SUGGESTION : CloseCode.MALFORMED;
    this.context.reportError(sender?.info ?? null, code, `update refused: ${violation.reason}`);
    sender?.close(code, `update refused: ${violation.kind}`);
  }
}
