import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { CloseCode, MessageType } from "../app/protocol/collab";
import { CollabRefusal } from "./extensions/types";
import type { TransactionOrigin } from "./origin";

/**
 * The y-websocket frames the server sends and reads (sync step 1/2, update, awareness,
 * query-awareness), encoded and decoded through y-protocols. Pure: no state, no I/O.
 */

function frame(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}

/** Sync step 1 with a state vector (the same frame as syncProtocol.writeSyncStep1 for a doc with that state). */
export function syncStep1Frame(stateVector: Uint8Array): Uint8Array {
  return frame(MessageType.SYNC, (e) => {
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** Sync step 2 carrying `update` as it is (e.g. the stored bytes for a cold join). */
export function syncStep2Frame(update: Uint8Array): Uint8Array {
  return frame(MessageType.SYNC, (e) => {
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** The answer to a sync step 1: sync step 2 with what `doc` has beyond `stateVector`. */
export function answerSyncStep1Frame(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return frame(MessageType.SYNC, (e) => syncProtocol.writeSyncStep2(e, doc, stateVector));
}

/** An incremental update. */
export function updateFrame(update: Uint8Array): Uint8Array {
  return frame(MessageType.SYNC, (e) => syncProtocol.writeUpdate(e, update));
}

/** An encoded awareness update. */
export function awarenessFrame(update: Uint8Array): Uint8Array {
  return frame(MessageType.AWARENESS, (e) => encoding.writeVarUint8Array(e, update));
}

/** The awareness states of `clients`. */
export function awarenessStatesFrame(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

/** A sync step 1 carrying an empty state vector (a client that has nothing yet). */
export function isEmptySyncStep1(data: Uint8Array): boolean {
  try {
    const d = decoding.createDecoder(data);
    if (decoding.readVarUint(d) !== MessageType.SYNC || decoding.readVarUint(d) !== syncProtocol.messageYjsSyncStep1)
      return false;
    return Y.decodeStateVector(decoding.readVarUint8Array(d)).size === 0;
  } catch {
    return false;
  }
}

/** A client's frame, decoded. */
export type ClientMessage =
  | { type: "sync-step1"; stateVector: Uint8Array }
  /** Sync step 2 or an update; `apply` it with applyUpdateMessage. */
  | { type: "update"; update: Uint8Array; decoder: decoding.Decoder }
  | { type: "awareness"; update: Uint8Array }
  | { type: "query-awareness" };

/** Decodes a client's frame; an unknown type is refused with 4400, a truncated frame throws. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.SYNC: {
      const subtype = decoding.peekVarUint(decoder);
      if (subtype === syncProtocol.messageYjsSyncStep1) {
        decoding.readVarUint(decoder);
        return { type: "sync-step1", stateVector: decoding.readVarUint8Array(decoder) };
      }
      if (subtype !== syncProtocol.messageYjsSyncStep2 && subtype !== syncProtocol.messageYjsUpdate)
        throw new CollabRefusal(CloseCode.MALFORMED, "unknown sync message");
      const payload = decoding.clone(decoder);
      decoding.readVarUint(payload);
      return { type: "update", update: decoding.readVarUint8Array(payload), decoder };
    }
    case MessageType.AWARENESS:
      return { type: "awareness", update: decoding.readVarUint8Array(decoder) };
    case MessageType.QUERY_AWARENESS:
      return { type: "query-awareness" };
    default:
      throw new CollabRefusal(CloseCode.MALFORMED, `unknown message type ${type}`);
  }
}

/**
 * Applies a sync step 2 or update to `doc` as y-protocols does: an error thrown while applying it
 * (by an event handler) is logged, not raised.
 */
export function applyUpdateMessage(
  message: Extract<ClientMessage, { type: "update" }>,
  doc: Y.Doc,
  origin: TransactionOrigin,
): void {
  syncProtocol.readSyncMessage(message.decoder, encoding.createEncoder(), doc, origin);
}
