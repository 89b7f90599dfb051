import { CloseCode } from "../../app/protocol/collab";
import { CollabRefusal, type CollabExtension } from "./types";

export interface ConnectionLimitSettings {
  perDocument: number;
  perUser: number;
  total: number;
}

export const defaultConnectionLimits: ConnectionLimitSettings = { perDocument: 200, perUser: 30, total: 5000 };

/** Caps connections per document, per user and in total. */
export function connectionLimit(settings: Partial<ConnectionLimitSettings> = {}): CollabExtension {
  const s = { ...defaultConnectionLimits, ...settings };
  const byDoc = new Map<string, number>();
  const byUser = new Map<string, number>();
  let total = 0;
  const inc = (m: Map<string, number>, k: string, d: number) => {
    const v = (m.get(k) ?? 0) + d;
    if (v <= 0) m.delete(k);
    else m.set(k, v);
  };
  return {
    name: "connection-limit",
    onConnect({ connection }) {
      if (
        total >= s.total ||
        (byDoc.get(connection.documentId) ?? 0) >= s.perDocument ||
        (byUser.get(connection.identity.userId) ?? 0) >= s.perUser
      ) {
        throw new CollabRefusal(CloseCode.RATE_LIMITED, "too many connections");
      }
      total++;
      inc(byDoc, connection.documentId, 1);
      inc(byUser, connection.identity.userId, 1);
    },
    onDisconnect({ connection }) {
      total--;
      inc(byDoc, connection.documentId, -1);
      inc(byUser, connection.identity.userId, -1);
    },
  };
}
