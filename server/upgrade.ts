import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const STATUS_TEXT: Record<number, string> = { 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable" };

/** Ends a raw upgrade socket with an HTTP status (the upgrade is refused before any WebSocket exists). */
export function refuseUpgrade(socket: Duplex, status: number, reason?: string): void {
  const body = reason ?? STATUS_TEXT[status] ?? "Refused";
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Refused"}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Routes WebSocket upgrades by path (architecture.md "Parts"): socket.io's own path is left to engine.io,
 * `/collab/<documentId>` goes to the collab server, anything else is refused with 404.
 */
export function routeUpgrades(httpServer: HttpServer, handlers: { collab: UpgradeHandler }): void {
  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname.startsWith("/socket.io/")) return; // engine.io's listener answers it
    if (pathname.startsWith("/collab/")) return handlers.collab(req, socket, head);
    refuseUpgrade(socket, 404);
  });
}
