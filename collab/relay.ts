import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Redis } from "ioredis";

/**
 * What one collab process tells the others about a document it has open (scale-out mode, ADR 012).
 * - `update`: a Yjs update one of its writers made (already validated and applied there);
 * - `awareness`: an awareness update (presence, carets), stamped by the process that received it;
 * - `sync1`: "this is my state vector" from a process that just opened the document or lost
 *   messages (Redis restarted); every other process answers with `sync2`;
 * - `sync2`: the update a named process lacks;
 * - `query-awareness`: ask the others for the awareness states of their connections;
 * - `close`: close every connection of the document (access changed, finalized).
 */
export type RelayMessage =
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "sync1"; stateVector: Uint8Array }
  | { kind: "sync2"; to: string; update: Uint8Array }
  | { kind: "query-awareness" }
  | { kind: "close"; code: number; reason: string };

export interface RelayEnvelope {
  /** The sending process. */
  from: string;
  message: RelayMessage;
}

/** Carries a document's messages between the processes that have it open. */
export interface CollabRelay {
  /** This process's id (messages it sent come back to it and are ignored). */
  readonly processId: string;
  /** Starts receiving the document's messages; resolves once subscribed, with how many other processes have it open. */
  join(documentId: string, onMessage: (envelope: RelayEnvelope) => void): Promise<number>;
  leave(documentId: string): void;
  /** Fire and forget: while the relay is down the message is dropped (the reconnect resync covers it). */
  publish(documentId: string, message: RelayMessage): void;
  /** Called after the relay reconnected (messages may have been lost meanwhile). */
  onResync(listener: () => void): void;
  /**
   * Called when a process this one received messages from stopped beating (killed, frozen, cut off):
   * what it relayed here may be stored nowhere else yet (ADR 032).
   */
  onPeerLost(listener: (processId: string) => void): void;
  close(): Promise<void>;
}

const KIND = { update: 0, awareness: 1, sync1: 2, sync2: 3, "query-awareness": 4, close: 5 } as const;

export function encodeEnvelope(from: string, m: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, from);
  encoding.writeVarUint(e, KIND[m.kind]);
  switch (m.kind) {
    case "update":
    case "awareness":
      encoding.writeVarUint8Array(e, m.update);
      break;
    case "sync1":
      encoding.writeVarUint8Array(e, m.stateVector);
      break;
    case "sync2":
      encoding.writeVarString(e, m.to);
      encoding.writeVarUint8Array(e, m.update);
      break;
    case "query-awareness":
      break;
    case "close":
      encoding.writeVarUint(e, m.code);
      encoding.writeVarString(e, m.reason);
      break;
  }
  return encoding.toUint8Array(e);
}

export function decodeEnvelope(data: Uint8Array): RelayEnvelope {
  const d = decoding.createDecoder(data);
  const from = decoding.readVarString(d);
  const kind = decoding.readVarUint(d);
  switch (kind) {
    case KIND.update:
      return { from, message: { kind: "update", update: decoding.readVarUint8Array(d) } };
    case KIND.awareness:
      return { from, message: { kind: "awareness", update: decoding.readVarUint8Array(d) } };
    case KIND.sync1:
      return { from, message: { kind: "sync1", stateVector: decoding.readVarUint8Array(d) } };
    case KIND.sync2: {
      const to = decoding.readVarString(d);
      return { from, message: { kind: "sync2", to, update: decoding.readVarUint8Array(d) } };
    }
    case KIND["query-awareness"]:
      return { from, message: { kind: "query-awareness" } };
    case KIND.close: {
      const code = decoding.readVarUint(d);
      return { from, message: { kind: "close", code, reason: decoding.readVarString(d) } };
    }
    default:
      throw new Error(`unknown relay message kind ${kind}`);
  }
}

export function newProcessId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * The relay over Redis pub/sub: one channel per open document (`<prefix>doc:<id>`), binary
 * messages. `publisher` must not queue while disconnected (enableOfflineQueue: false) so a Redis
 * outage never builds an unbounded backlog; `subscriber` resubscribes by itself after reconnecting,
 * and every reconnect after the first ready triggers a resync of all open documents.
 */
export function createRedisRelay(options: {
  publisher: Redis;
  subscriber: Redis;
  prefix?: string;
  processId?: string;
  onError?: (err: unknown) => void;
  /** Heartbeat period; a peer is lost when its beat is older than three periods (default 150 ms). */
  heartbeatMs?: number;
}): CollabRelay {
  const { publisher, subscriber } = options;
  const prefix = options.prefix ?? "consult:collab:";
  const processId = options.processId ?? newProcessId();
  const handlers = new Map<string, (envelope: RelayEnvelope) => void>();
  const resyncListeners: Array<() => void> = [];
  const peerLostListeners: Array<(processId: string) => void> = [];
  const channelOf = (documentId: string) => `${prefix}doc:${documentId}`;
  let readyOnce = subscriber.status === "ready" && publisher.status === "ready";

  subscriber.on("messageBuffer", (channel: Buffer, data: Buffer) => {
    const name = channel.toString();
    if (!name.startsWith(`${prefix}doc:`)) return;
    const handler = handlers.get(name.slice(prefix.length + 4));
    if (!handler) return;
    let envelope: RelayEnvelope;
    try {
      envelope = decodeEnvelope(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      options.onError?.(err);
      return;
    }
    if (envelope.from === processId) return;
    heartbeat.heard(envelope.from);
    try {
      handler(envelope);
    } catch (err) {
      options.onError?.(err);
    }
  });
  // After an outage both connections come back on their own schedules: resync once both are up
  // (and the subscriber has resubscribed), and once more a little later for anything in flight.
  let resyncTimer: NodeJS.Timeout | null = null;
  const resyncWhenReady = (attempt = 0) => {
    if (resyncTimer) clearTimeout(resyncTimer);
    resyncTimer = setTimeout(() => {
      resyncTimer = null;
      if (publisher.status !== "ready" || subscriber.status !== "ready") {
        if (attempt < 100) resyncWhenReady(attempt + 1);
        return;
      }
      for (const l of resyncListeners) l();
      resyncTimer = setTimeout(() => {
        resyncTimer = null;
        for (const l of resyncListeners) l();
      }, 2000);
      resyncTimer.unref();
    }, 250);
    resyncTimer.unref();
  };
  for (const client of [subscriber, publisher]) {
    client.on("ready", () => {
      if (!readyOnce) {
        readyOnce = subscriber.status === "ready" && publisher.status === "ready";
        return;
      }
      resyncWhenReady();
    });
  }
  const heartbeat = startHeartbeat({
    publisher,
    key: (id) => `${prefix}alive:${id}`,
    processId,
    periodMs: options.heartbeatMs ?? 150,
    onLost: (peer) => {
      for (const l of peerLostListeners) l(peer);
    },
    onError: options.onError,
  });
  // ioredis reports connection errors as events; without a listener they would be unhandled.
  subscriber.on("error", (err) => options.onError?.(err));
  publisher.on("error", (err) => options.onError?.(err));

  return {
    processId,
    async join(documentId, onMessage) {
      handlers.set(documentId, onMessage);
      try {
        await subscriber.subscribe(channelOf(documentId));
        const reply = (await publisher.pubsub("NUMSUB", channelOf(documentId))) as Array<string | number>;
        return Math.max(0, Number(reply[1] ?? 1) - 1);
      } catch (err) {
        // Redis is down: the document works locally and is resynced when the relay is back.
        options.onError?.(err);
        return 0;
      }
    },
    leave(documentId) {
      handlers.delete(documentId);
      subscriber.unsubscribe(channelOf(documentId)).catch((err) => options.onError?.(err));
    },
    publish(documentId, message) {
      if (publisher.status !== "ready") return;
      publisher
        .publish(channelOf(documentId), Buffer.from(encodeEnvelope(processId, message)))
        .catch((err) => options.onError?.(err));
    },
    onResync(listener) {
      resyncListeners.push(listener);
    },
    onPeerLost(listener) {
      peerLostListeners.push(listener);
    },
    async close() {
      if (resyncTimer) clearTimeout(resyncTimer);
      await heartbeat.stop();
      handlers.clear();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}

/**
 * Each process keeps a key alive in Redis (`alive:<id>`, expiring after three periods) and checks, every
 * period, the keys of the peers it has heard from: a missing one is a peer that died or froze, reported
 * once (ADR 032). Detection takes at most about four periods; Redis being down is not a death.
 */
function startHeartbeat(o: {
  publisher: Redis;
  key: (processId: string) => string;
  processId: string;
  periodMs: number;
  onLost: (processId: string) => void;
  onError?: (err: unknown) => void;
}) {
  const peers = new Set<string>();
  let checking = false;
  const beat = async () => {
    if (o.publisher.status !== "ready" || checking) return;
    checking = true;
    try {
      await o.publisher.set(o.key(o.processId), "1", "PX", o.periodMs * 3);
      if (peers.size === 0) return;
      const ids = [...peers];
      const pipeline = o.publisher.pipeline();
      for (const id of ids) pipeline.exists(o.key(id));
      const found = (await pipeline.exec()) ?? [];
      ids.forEach((id, i) => {
        const [err, count] = found[i] ?? [null, 1];
        if (err || Number(count) > 0) return;
        peers.delete(id);
        o.onLost(id);
      });
    } catch (err) {
      o.onError?.(err);
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void beat(), o.periodMs);
  timer.unref();
  void beat();
  return {
    /** A message from `peer`: watch its heartbeat from now on. */
    heard(peer: string) {
      peers.add(peer);
    },
    async stop() {
      clearInterval(timer);
      // A graceful stop stores everything itself: the peers need not react.
      await o.publisher.del(o.key(o.processId)).catch(() => undefined);
    },
  };
}
