import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server, type ServerOptions, type Socket } from "socket.io";
import { z } from "zod";
import type { Access } from "../../app/policies/document";
import type { DomainEvent, EventBus } from "../../app/services/events.server";
import { loadDocumentAccess } from "./document-access";

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
  /** A user's access to a document (null: no such document). Defaults to the document policy on the database. */
  documentAccess?: (userId: string, documentId: string) => Promise<Access | null>;
  /** socket.io adapter (scale-out: the Redis adapter, so emits reach sockets on every process). */
  adapter?: ServerOptions["adapter"];
}

/** Payload of `document:watch` / `document:unwatch`. */
const WatchPayload = z.object({ documentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();

export type WatchAck = { ok: true } | { ok: false; error: string };

/** How many documents one socket may watch at once (a page watches one). */
export const MAX_WATCHED_DOCUMENTS = 20;

export const WATCH_ERRORS = {
  invalid: "请求格式无效。",
  forbidden: "无权查看此文书",
  tooMany: "同时关注的文书过多，请关闭部分页面后重试。",
  failed: "服务器暂时无法处理，请稍后重试。",
} as const;

export const rooms = {
  user: (id: string) => `user:${id}`,
  org: (id: string) => `org:${id}`,
  doc: (id: string) => `doc:${id}`,
};

/**
 * socket.io for notifications and live status (DESIGN §4.8): authenticated from the session cookie,
 * sockets join `user:<id>` and `org:<id>`; domain events from the bus are the only things emitted.
 * A page showing a document asks to join `doc:<id>` with `document:watch` `{ documentId }` (acked
 * `{ ok }`), checked with the document policy; it then receives `item:status` for the document's
 * tracked items. When the document's access changes, watchers who lost access leave the room.
 */
export function createRealtime(httpServer: HttpServer, options: RealtimeOptions) {
  const io = new Server(httpServer, {
    path: "/socket.io/",
    serveClient: false,
    // The http server is shared with the collab upgrade path: engine.io must not destroy upgrades it does not own.
    destroyUpgrade: false,
    ...(options.adapter ? { adapter: options.adapter } : {}),
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

  const accessOf = options.documentAccess ?? loadDocumentAccess;
  const canWatch = async (userId: string, documentId: string) => {
    const access = await accessOf(userId, documentId);
    return access !== null && access !== "none";
  };

  io.on("connection", (socket) => {
    const identity = socket.data.identity as RealtimeIdentity;
    void socket.join([rooms.user(identity.userId), ...identity.orgIds.map(rooms.org)]);

    const watch = async (payload: unknown, reply: (res: WatchAck) => void) => {
      const parsed = WatchPayload.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: WATCH_ERRORS.invalid });
      const room = rooms.doc(parsed.data.documentId);
      if (!socket.rooms.has(room) && watchedCount(socket) >= MAX_WATCHED_DOCUMENTS) return reply({ ok: false, error: WATCH_ERRORS.tooMany });
      // A missing document answers like a forbidden one: existence is not disclosed.
      if (!(await canWatch(identity.userId, parsed.data.documentId))) return reply({ ok: false, error: WATCH_ERRORS.forbidden });
      if (socket.disconnected) return;
      await socket.join(room);
      reply({ ok: true });
    };
    const unwatch = async (payload: unknown, reply: (res: WatchAck) => void) => {
      const parsed = WatchPayload.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: WATCH_ERRORS.invalid });
      await socket.leave(rooms.doc(parsed.data.documentId));
      reply({ ok: true });
    };
    // Handlers never throw into socket.io: any failure is answered, never an unhandled rejection.
    for (const [event, handler] of [
      ["document:watch", watch],
      ["document:unwatch", unwatch],
    ] as const) {
      socket.on(event, (payload: unknown, ack?: unknown) => {
        const reply = replyTo(ack);
        handler(payload, reply).catch(() => reply({ ok: false, error: WATCH_ERRORS.failed }));
      });
    }
  });

  // Access to a document changed: watchers who lost it leave the room.
  const recheckWatchers = async (documentId: string) => {
    const sockets = await io.in(rooms.doc(documentId)).fetchSockets();
    for (const s of sockets) {
      const identity = s.data.identity as RealtimeIdentity | undefined;
      const allowed = identity ? await canWatch(identity.userId, documentId).catch(() => false) : false;
      if (!allowed) s.leave(rooms.doc(documentId));
    }
  };

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
      case "item.status_changed":
        io.to(rooms.doc(event.documentId)).emit("item:status", { itemId: event.itemId, status: event.status, dueDate: event.dueDate });
        break;
      case "document.access_changed":
        void recheckWatchers(event.documentId).catch(() => undefined);
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

function replyTo(ack: unknown): (res: WatchAck) => void {
  return typeof ack === "function" ? (res) => (ack as (res: WatchAck) => void)(res) : () => undefined;
}

function watchedCount(socket: Socket): number {
  let n = 0;
  for (const room of socket.rooms) if (room.startsWith("doc:")) n++;
  return n;
}
