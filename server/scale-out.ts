import { createAdapter } from "@socket.io/redis-adapter";
import { Redis, type RedisOptions } from "ioredis";
import type { DomainEvent, EventBus } from "../app/domain/events";
import { createRedisRelay, newProcessId, type CollabRelay } from "../collab/relay";

const EVENTS_CHANNEL = "consult:events";

/**
 * Scale-out mode (ADR 012): with REDIS_URL set, this process shares Redis with its peers.
 * - the collab relay carries Yjs updates, awareness, resync and close messages of open documents;
 * - socket.io's Redis adapter delivers notifications and item status to sockets on any process.
 * Four connections: publisher and subscriber of each. Publishers do not queue while Redis is down
 * (nothing grows without bound; collab resyncs after reconnecting and notifications are stored in
 * the database anyway); every client retries every second at most, so a restarted Redis is picked
 * up without anyone doing anything.
 */
export interface ScaleOut {
  processId: string;
  relay: CollabRelay;
  socketAdapter: ReturnType<typeof createAdapter>;
  /**
   * Carries the bus's cluster events (access ended or narrowed, ADR 015) to every other process and
   * delivers theirs here. Fire and forget while Redis is away: the periodic access re-check covers it.
   */
  bridgeEvents(bus: EventBus): void;
  /** "ready" when every Redis connection is up. */
  status(): string;
  close(): Promise<void>;
}

export function createScaleOut(redisUrl: string, log: (msg: string) => void): ScaleOut {
  const processId = newProcessId();
  const base: RedisOptions = {
    retryStrategy: (times) => Math.min(100 * times, 1000),
    connectionName: `consult:${processId}`,
  };
  const publisher = (options: RedisOptions) => {
    const client = new Redis(redisUrl, { ...base, ...options, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // socket.io's adapter does not catch a failed publish; an emit during an outage is dropped.
    const publish = client.publish.bind(client) as (
      channel: string | Buffer,
      message: string | Buffer,
    ) => Promise<number>;
    (client as unknown as { publish: typeof publish }).publish = (channel, message) =>
      publish(channel, message).catch(() => 0);
    return client;
  };
  const subscriber = () => new Redis(redisUrl, { ...base, maxRetriesPerRequest: null });

  const relayPub = publisher({});
  const relaySub = subscriber();
  const ioPub = publisher({});
  const ioSub = subscriber();
  const clients = [relayPub, relaySub, ioPub, ioSub];
  let lastLogged = "";
  const onError = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    if (message !== lastLogged) log(`[scale-out] redis: ${message}`);
    lastLogged = message;
  };
  for (const c of clients) {
    c.on("error", onError);
    c.on("ready", () => {
      if (lastLogged) log("[scale-out] redis connection ready");
      lastLogged = "";
    });
  }
  const relay = createRedisRelay({ publisher: relayPub, subscriber: relaySub, processId, onError });
  const socketAdapter = createAdapter(ioPub, ioSub, { key: "consult:io" });
  return {
    processId,
    relay,
    socketAdapter,
    bridgeEvents(bus) {
      const deliver = bus.bridge((event) => {
        if (relayPub.status !== "ready") return;
        relayPub.publish(EVENTS_CHANNEL, JSON.stringify({ from: processId, event })).catch(onError);
      });
      relaySub.on("message", (channel: string, message: string) => {
        if (channel !== EVENTS_CHANNEL) return;
        try {
          const parsed = JSON.parse(message) as { from: string; event: DomainEvent };
          if (parsed.from !== processId) deliver(parsed.event);
        } catch (err) {
          onError(err);
        }
      });
      relaySub.subscribe(EVENTS_CHANNEL).catch(onError);
    },
    status() {
      return clients.every((c) => c.status === "ready") ? "ready" : clients.map((c) => c.status).join(",");
    },
    async close() {
      await relay.close();
      await Promise.allSettled([ioPub.quit(), ioSub.quit()]);
      for (const c of clients) c.disconnect();
    },
  };
}
