import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server } from "socket.io";
import type { DomainEvent, EventBus } from "../../app/services/events.server";

export interface RealtimeIdentity {
  userId: string;
  orgIds: string[];
}

export interface RealtimeOptions {
  events: EventBus;
  /** Resolves the session cookie to a user, or null. */
  authenticate: (cookieHeader: string | undefined) => Promise<RealtimeIdentity | null>;
  /** Checks the handshake's Origin (same rule as HTTP). */
  originAllowed: (req: IncomingMessage) => boolean;
}

export const rooms = {
  user: (id: string) => `user:${id}`,
  org: (id: string) => `org:${id}`,
  doc: (id: string) => `doc:${id}`,
};

/**
 * socket.io for notifications and live status (DESIGN §4.8): authenticated from the session cookie,
 * sockets join `user:<id>` and `org:<id>`; domain events from the bus are the only things emitted.
 */
export function createRealtime(httpServer: HttpServer, options: RealtimeOptions) {
  const io = new Server(httpServer, {
    path: "/socket.io/",
    serveClient: false,
    // The http server is shared with the collab upgrade path: engine.io must not destroy upgrades it does not own.
    destroyUpgrade: false,
    allowRequest: (req, callback) => callback(null, options.originAllowed(req)),
  });

  io.use(async (socket, next) => {
    try {
      const identity = await options.authenticate(socket.request.headers.cookie);
      if (!identity) return next(new Error("UNAUTHENTICATED"));
      socket.data.identity = identity;
      next();
    } catch {
      next(new Error("UNAUTHENTICATED"));
    }
  });

  io.on("connection", (socket) => {
    const identity = socket.data.identity as RealtimeIdentity;
    void socket.join([rooms.user(identity.userId), ...identity.orgIds.map(rooms.org)]);
  });

  const unsubscribe = options.events.subscribe((event: DomainEvent) => {
    switch (event.type) {
      case "notification.created":
        io.to(rooms.user(event.userId)).emit("notification", event.notification);
        break;
      case "export.progress":
        io.to(rooms.user(event.userId)).emit("export:progress", { token: event.token, fraction: event.fraction, label: event.label });
        break;
      case "org.broadcast":
        io.to(rooms.org(event.orgId)).emit("org:message", { message: event.message });
        break;
      default:
        break;
    }
  });

  return {
    io,
    async close(): Promise<void> {
      unsubscribe();
      io.disconnectSockets(true);
      // Not io.close(): that also closes the shared http server and waits for every connection,
      // including the collab WebSockets the composition root closes itself.
      io.engine.close();
    },
  };
}
