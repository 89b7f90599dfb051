import { ID_PATTERN } from "~/domain/ids";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server, type ServerOptions, type Socket } from "socket.io";
import { z } from "zod";
import type { Access } from "../../app/domain/document";
import { forbidden, invalid, isDomainError, rateLimited } from "../../app/domain/errors";
import type { DomainEvent, EventBus } from "../../app/domain/events";
import type { LiveGrant, LiveVerdict } from "../../app/services/live-access.server";
import { loadDocumentAccess } from "../../app/services/document-access.server";
import { loadClueReadable } from "../../app/services/live-access.server";

export interface RealtimeIdentity {
  userId: string;
  /** The session the socket was opened with: ending it disconnects the socket (ADR 015). */
  sessionId: string;
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
  /** Whether a user may read a clue (its page's live updates). Defaults to the clue policy on the database. */
  clueReadable?: (userId: string, clueId: string) => Promise<boolean>;
  /** socket.io adapter (scale-out: the Redis adapter, so emits reach sockets on every process). */
  adapter?: ServerOptions["adapter"];
  /** Re-checks what live sockets hold (sessions, orgs, watched documents) with the policies. */
  reviewGrants: (grants: readonly LiveGrant[]) => Promise<LiveVerdict[]>;
}

/** Payload of `document:watch` / `document:unwatch`. */
const WatchPayload = z.object({ documentId: z.string().regex(ID_PATTERN) }).strict();
/** Payload of `clue:watch` / `clue:unwatch`. */
const ClueWatchPayload = z.object({ clueId: z.string().regex(ID_PATTERN) }).strict();

export type WatchAck = { ok: true } | { ok: false; error: string };

/** How many documents one socket may watch at once (a page watches one). */
export const MAX_WATCHED_DOCUMENTS = 20;

export const WATCH_ERRORS = {
  invalid: "请求格式无效。",
  forbidden: "无权查看此文书",
  clueForbidden: "无权查看此线索",
  tooMany: "同时关注的文书过多，请关闭部分页面后重试。",
  failed: "服务器暂时无法处理，请稍后重试。",
} as const;

export const rooms = {
  user: (id: string) => `user:${id}`,
  org: (id: string) => `org:${id}`,
  doc: (id: string) => `doc:${id}`,
  clue: (id: string) => `clue:${id}`,
};

type RealtimeServer = Server;
type LocalSocket = Awaited<ReturnType<RealtimeServer["local"]["fetchSockets"]>>[number];

/**
 * socket.io for notifications and live status (architecture.md "Domain events"): authenticated from the session cookie,
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
  const clueReadable = options.clueReadable ?? loadClueReadable;
  io.on("connection", (socket) => handleConnection(socket, accessOf, clueReadable));
  const review = (sockets: LocalSocket[]) => reviewSockets(sockets, options.reviewGrants);
  const unsubscribe = options.events.subscribe((event) => deliver(io, event, review));

  return {
    io,
    /** The periodic backstop (ADR 015): re-checks every socket of this process. */
    async reviewAll(): Promise<void> {
      await review(await io.local.fetchSockets());
    },
    async close(): Promise<void> {
      unsubscribe();
      io.disconnectSockets(true);
      // Not io.close(): that also closes the shared http server and waits for every connection,
      // including the collab WebSockets the composition root closes itself.
      io.engine.close();
    },
  };
}

/**
 * A connected socket: joins its user's and orgs' rooms and answers `document:watch` / `unwatch`.
 * Handlers never throw into socket.io: a refusal is acknowledged with its Chinese message
 * (`{ ok: false, error }`, from the domain error), anything else as a failure.
 */
function handleConnection(
  socket: Socket,
  accessOf: (userId: string, documentId: string) => Promise<Access | null>,
  clueReadable: (userId: string, clueId: string) => Promise<boolean>,
) {
  const identity = socket.data.identity as RealtimeIdentity;
  void socket.join([rooms.user(identity.userId), ...identity.orgIds.map(rooms.org)]);

  const watch = async (payload: unknown, reply: (res: WatchAck) => void) => {
    const documentId = watchedDocument(payload);
    const room = rooms.doc(documentId);
    if (!socket.rooms.has(room) && watchedCount(socket) >= MAX_WATCHED_DOCUMENTS)
      throw rateLimited(WATCH_ERRORS.tooMany);
    // A missing document answers like a forbidden one: existence is not disclosed.
    const access = await accessOf(identity.userId, documentId);
    if (access === null || access === "none") throw forbidden(WATCH_ERRORS.forbidden);
    if (socket.disconnected) return;
    await socket.join(room);
    reply({ ok: true });
  };
  const unwatch = async (payload: unknown, reply: (res: WatchAck) => void) => {
    await socket.leave(rooms.doc(watchedDocument(payload)));
    reply({ ok: true });
  };
  // A clue page (ADR 023): its room carries only "this clue changed"; the page reloads through HTTP.
  const watchClue = async (payload: unknown, reply: (res: WatchAck) => void) => {
    const clueId = watchedClue(payload);
    const room = rooms.clue(clueId);
    if (!socket.rooms.has(room) && watchedCount(socket) >= MAX_WATCHED_DOCUMENTS)
      throw rateLimited(WATCH_ERRORS.tooMany);
    // A missing clue answers like a forbidden one.
    if (!(await clueReadable(identity.userId, clueId))) throw forbidden(WATCH_ERRORS.clueForbidden);
    if (socket.disconnected) return;
    await socket.join(room);
    reply({ ok: true });
  };
  const unwatchClue = async (payload: unknown, reply: (res: WatchAck) => void) => {
    await socket.leave(rooms.clue(watchedClue(payload)));
    reply({ ok: true });
  };
  for (const [event, handler] of [
    ["document:watch", watch],
    ["document:unwatch", unwatch],
    ["clue:watch", watchClue],
    ["clue:unwatch", unwatchClue],
  ] as const) {
    socket.on(event, (payload: unknown, ack?: unknown) => {
      const reply = replyTo(ack);
      handler(payload, reply).catch((error: unknown) => reply(refusalAck(error)));
    });
  }
}

/** The document of a `document:watch` / `unwatch` payload. */
function watchedDocument(payload: unknown): string {
  const parsed = WatchPayload.safeParse(payload);
  if (!parsed.success) throw invalid(WATCH_ERRORS.invalid);
  return parsed.data.documentId;
}

/** The clue of a `clue:watch` / `unwatch` payload. */
function watchedClue(payload: unknown): string {
  const parsed = ClueWatchPayload.safeParse(payload);
  if (!parsed.success) throw invalid(WATCH_ERRORS.invalid);
  return parsed.data.clueId;
}

/** The socket.io edge of the error contract (ADR 016): a domain error's message, anything else a failure. */
function refusalAck(error: unknown): WatchAck {
  return { ok: false, error: isDomainError(error) ? error.message : WATCH_ERRORS.failed };
}

/**
 * Applies the policies' verdict to this process's sockets (ADR 015): a socket whose session ended
 * is disconnected; the others follow their user's current orgs and leave documents they lost.
 * Every process does this for its own sockets (the access events reach every process).
 */
async function reviewSockets(sockets: LocalSocket[], reviewGrants: RealtimeOptions["reviewGrants"]) {
  const held = sockets.filter((s) => s.data.identity);
  const grants = held.map((s): LiveGrant => {
    const identity = s.data.identity as RealtimeIdentity;
    const documents = [...s.rooms]
      .filter((r) => r.startsWith("doc:"))
      .map((r) => ({ documentId: r.slice(4), access: "read" as const }));
    const clues = [...s.rooms].filter((r) => r.startsWith("clue:")).map((r) => r.slice(5));
    return { userId: identity.userId, sessionId: identity.sessionId, documents, clues };
  });
  const verdicts = await reviewGrants(grants);
  held.forEach((s, i) => {
    const verdict = verdicts[i];
    const identity = s.data.identity as RealtimeIdentity;
    if (verdict.sessionEnded) return s.disconnect(true);
    for (const orgId of identity.orgIds) if (!verdict.orgIds.includes(orgId)) s.leave(rooms.org(orgId));
    for (const orgId of verdict.orgIds) if (!identity.orgIds.includes(orgId)) s.join(rooms.org(orgId));
    identity.orgIds = verdict.orgIds;
    for (const documentId of verdict.lost) s.leave(rooms.doc(documentId));
    for (const clueId of verdict.lostClues) s.leave(rooms.clue(clueId));
  });
}

/** Closes this process's sockets of the ended sessions (`null`: all of the user's). */
async function endSessions(io: RealtimeServer, userId: string, sessionIds: string[] | null) {
  for (const s of await io.local.in(rooms.user(userId)).fetchSockets()) {
    const identity = s.data.identity as RealtimeIdentity | undefined;
    if (!identity || sessionIds === null || sessionIds.includes(identity.sessionId)) s.disconnect(true);
  }
}

/** A domain event as socket.io emits, or as a re-check of the sockets it concerns. */
function deliver(io: RealtimeServer, event: DomainEvent, review: (sockets: LocalSocket[]) => Promise<void>) {
  const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);
  const reviewRoom = async (room: string) => review(await io.local.in(room).fetchSockets());
  switch (event.type) {
    case "notification.created":
      io.to(rooms.user(event.userId)).emit("notification", event.notification);
      break;
    case "export.progress":
      io.to(rooms.user(event.userId)).emit("export:progress", {
        token: event.token,
        fraction: event.fraction,
        label: event.label,
      });
      break;
    case "org.broadcast":
      io.to(rooms.org(event.orgId)).emit("org:message", { message: event.message });
      break;
    case "comment.changed":
      io.to(rooms.doc(event.documentId)).emit("comment:changed", { threadId: event.threadId });
      break;
    case "item.status_changed":
      io.to(rooms.doc(event.documentId)).emit("item:status", {
        itemId: event.itemId,
        status: event.status,
        dueDate: event.dueDate,
      });
      break;
    case "document.access_changed":
      quietly(reviewRoom(rooms.doc(event.documentId)));
      break;
    case "clue.changed":
      // A cluster event: every process re-checks its own watchers — those who lost the clue (a grant
      // withdrawn, a role changed) leave — then tells the ones left, locally (no double delivery).
      quietly(
        reviewRoom(rooms.clue(event.clueId)).then(() =>
          io.local.to(rooms.clue(event.clueId)).emit("clue:changed", { clueId: event.clueId }),
        ),
      );
      break;
    case "session.ended":
      quietly(endSessions(io, event.userId, event.sessionIds));
      break;
    case "user.access_changed":
      quietly(reviewRoom(rooms.user(event.userId)));
      break;
    case "org.access_changed":
      // A unit moved or was deactivated: its members and every watcher of its documents may have lost access.
      quietly(io.local.fetchSockets().then(review));
      break;
    default:
      break;
  }
}

function replyTo(ack: unknown): (res: WatchAck) => void {
  return typeof ack === "function" ? (res) => (ack as (res: WatchAck) => void)(res) : () => undefined;
}

function watchedCount(socket: Socket): number {
  let n = 0;
  for (const room of socket.rooms) if (room.startsWith("doc:") || room.startsWith("clue:")) n++;
  return n;
}
