import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { refuseUpgrade } from "../server/upgrade";

/**
 * The collab server (y-websocket protocol over /collab/<documentId>). Until documents exist it
 * refuses every upgrade cleanly with 503; the composition root already routes the path here and
 * flushes it on shutdown.
 */
export interface CollabServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Persists every open document and closes its connections. */
  close(): Promise<void>;
}

export function createCollabServer(): CollabServer {
  return {
    handleUpgrade(_req, socket) {
      refuseUpgrade(socket, 503, "collaboration is not available");
    },
    async close() {},
  };
}
