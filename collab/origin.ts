import type { ConnectionInfo } from "./extensions/types";
import type { DocumentConnection } from "./documents/shared-document";

/** Marks the origins this server creates (Yjs and y-protocols pass origins through as `any`). */
const ORIGIN: unique symbol = Symbol("collab transaction origin");

interface Tagged {
  readonly [ORIGIN]: true;
}

/** The stored state, applied to a document being opened: nobody needs to be told. */
export interface LoadOrigin extends Tagged {
  readonly kind: "load";
}

/** An update or presence change another process accepted and relayed here (scale-out, ADR 012). */
export interface RelayOrigin extends Tagged {
  readonly kind: "relay";
}

/**
 * A client connection's frames. One object for the connection's lifetime: the integrity guard holds
 * back what a sender cannot integrate yet by this identity.
 */
export interface ConnectionOrigin extends Tagged {
  readonly kind: "connection";
  readonly connection: DocumentConnection;
}

/** A change the server makes as someone (`applyChange`, e.g. restoring a version). */
export interface ServerChangeOrigin extends Tagged {
  readonly kind: "server-change";
  /** The identity it is made as, shaped like a connection (id 0, ip "server") for the extensions. */
  readonly as: ConnectionInfo;
}

/** Where a transaction on a shared document, or an awareness change, comes from. */
export type TransactionOrigin = LoadOrigin | RelayOrigin | ConnectionOrigin | ServerChangeOrigin;

export const LOAD_ORIGIN: LoadOrigin = Object.freeze({ [ORIGIN]: true as const, kind: "load" as const });
export const RELAY_ORIGIN: RelayOrigin = Object.freeze({ [ORIGIN]: true as const, kind: "relay" as const });

export function connectionOrigin(connection: DocumentConnection): ConnectionOrigin {
  return { [ORIGIN]: true, kind: "connection", connection };
}

export function serverChangeOrigin(as: ConnectionInfo): ServerChangeOrigin {
  return { [ORIGIN]: true, kind: "server-change", as };
}

/** A Yjs or awareness event's origin as ours, or null (none, or one y-protocols made up: "timeout"). */
export function originOf(value: unknown): TransactionOrigin | null {
  return typeof value === "object" && value !== null && ORIGIN in value ? (value as TransactionOrigin) : null;
}

/** Who made a change that extensions see as a writer's (a connection, or the server as someone); else null. */
export function authorOf(origin: TransactionOrigin | null): ConnectionInfo | null {
  if (origin?.kind === "connection") return origin.connection.info;
  if (origin?.kind === "server-change") return origin.as;
  return null;
}

/** Whether the integrity guard checks a transaction: all but the stored state and relayed ones. */
export function isChecked(value: unknown): boolean {
  const origin = originOf(value);
  return origin?.kind !== "load" && origin?.kind !== "relay";
}
