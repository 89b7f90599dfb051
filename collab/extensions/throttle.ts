import { CloseCode } from "../../app/protocol/collab";
import { CollabRefusal, type CollabExtension } from "./types";

export interface ThrottleSettings {
  /** Sustained messages per second per connection. */
  messagesPerSecond: number;
  /** Burst allowance (bucket size). */
  burst: number;
}

export const defaultThrottle: ThrottleSettings = { messagesPerSecond: 200, burst: 400 };

/** Token bucket per connection: a client flooding frames is closed with 4429; others are untouched. */
export function throttle(settings: Partial<ThrottleSettings> = {}): CollabExtension {
  const s = { ...defaultThrottle, ...settings };
  const buckets = new Map<number, { tokens: number; at: number }>();
  return {
    name: "throttle",
    onMessage({ connection }) {
      const now = Date.now();
      const bucket = buckets.get(connection.id) ?? { tokens: s.burst, at: now };
      bucket.tokens = Math.min(s.burst, bucket.tokens + ((now - bucket.at) / 1000) * s.messagesPerSecond);
      bucket.at = now;
      if (bucket.tokens < 1) {
        buckets.delete(connection.id);
        throw new CollabRefusal(CloseCode.RATE_LIMITED, "too many messages");
      }
      bucket.tokens -= 1;
      buckets.set(connection.id, bucket);
    },
    onDisconnect({ connection }) {
      buckets.delete(connection.id);
    },
  };
}
