import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { disconnectDb } from "../app/models/unit-of-work.server";
import { getEnv, type Env } from "../app/env.server";
import { forgetIdentities, resolveConnectionIdentity } from "../app/services/auth/identity.server";
import { reviewLiveGrants } from "../app/services/live-access.server";
import { createEventBus } from "../app/services/events.server";
import { type EventBus } from "../app/domain/events";
import { createDeriver, createDualDeriver } from "../app/editor/schema/derive";
import { createDocumentStore, type DocumentStore } from "../collab/documents/store";
import { authentication } from "../collab/extensions/authentication";
import { connectionLimit } from "../collab/extensions/connection-limit";
import { logger } from "../collab/extensions/logger";
import { persistence } from "../collab/extensions/persistence";
import { throttle } from "../collab/extensions/throttle";
import { versions, type VersionSettings } from "../collab/extensions/versions";
import { derivedItems } from "../collab/extensions/derived-items";
import { relay } from "../collab/extensions/relay";
import { createCollabServer, type CollabServer, type CollabSettings } from "../collab/server";
import type { CollabExtension } from "../collab/extensions/types";
import { loadDocumentFacts } from "../app/models/document.server";
import { pingDatabase } from "../app/models/health.server";
import { syncDerivedRows } from "../app/services/derived-rows.server";
import { saveVersion } from "../app/models/document-version.server";
import { contentOf } from "../app/services/document-content.server";
import { bodyLimit, drainAbandonedBodies } from "./middleware/body-limit";
import { clientIp } from "./middleware/client-ip";
import { formBodyOnly } from "./middleware/form-body";
import { isAllowedOrigin, originCheck } from "./middleware/origin-check";
import { securityHeaders } from "./middleware/security";
import { createRealtime } from "./realtime/index";
import { routeUpgrades } from "./upgrade";
import { startScheduler, type Scheduler, type SchedulerOptions } from "./scheduler";
import { startSearchIndexer, type SearchIndexer, type SearchIndexerOptions } from "./search-indexer";
import type { ScaleOut } from "./scale-out";
import { startAccessRevocation, type AccessRevocation } from "./access-revocation";

export interface ConsultServer {
  httpServer: HttpServer;
  /** Resolves once the Remix build has loaded (page requests wait for it); rejects when it cannot be loaded. */
  ready: Promise<void>;
  events: EventBus;
  collab: CollabServer;
  access: AccessRevocation;
  listen(port: number, host?: string): Promise<number>;
  /** Graceful shutdown: stop accepting, close sockets, flush documents, close the database. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Folder holding the Remix build (build/index.js) and public/. Defaults to the repo root. */
  root?: string;
  log?: (msg: string) => void;
  /** Overrides for the collab server's limits (tests use small ones). */
  collab?: Partial<CollabSettings>;
  /** Overrides for automatic versions (tests use short ones). */
  versions?: Partial<VersionSettings>;
  /** Scheduled jobs (deadline reminders, ADR 009): tests turn them off or speed them up. */
  scheduler?: SchedulerOptions;
  /** The periodic re-check of live connections' access (ADR 015): tests use a short one or a fake clock. */
  access?: { intervalMs?: number; now?: () => Date };
  /** The search index's background job (ADR 028): tests speed it up or turn it off. */
  search?: SearchIndexerOptions;
}

/**
 * The composition root's body (architecture.md "Parts"): one http.Server for the Remix handler, static files,
 * socket.io and the collab upgrade path.
 */
export async function createConsultServer(options: ServerOptions = {}): Promise<ConsultServer> {
  const env = getEnv();
  const root = options.root ?? process.cwd();
  const log = options.log ?? ((m: string) => console.log(m));
  const allowedOrigins = env.ALLOWED_ORIGINS.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const events = createEventBus();
  // The Remix build loads while the server already listens (ADR 030): the collab server, socket.io and static
  // files serve at once; page requests and /healthz wait for it. A failure reaches whoever awaits `ready`, and
  // every page request (500), never as an unhandled rejection.
  const build = import(pathToFileURL(path.join(root, "build/index.js")).href).then((m) => m as ServerBuild);
  const ready = build.then(() => undefined);
  ready.catch(() => undefined);
  // Redis's clients load only in scale-out mode (ADR 012, 030).
  const scaleOut = env.REDIS_URL ? (await import("./scale-out")).createScaleOut(env.REDIS_URL, log) : null;
  const instance = env.INSTANCE_NAME ?? scaleOut?.processId ?? `pid ${process.pid}`;

  // Requests reach the collab server only once it exists (the server listens after this returns).
  const app = createHttpApp({
    env,
    root,
    log,
    build,
    events,
    allowedOrigins,
    instance,
    scaleOut,
    collab: () => collab,
  });

  const originAllowed = (req: { headers: { origin?: string; host?: string } }) => {
    const origin = req.headers.origin;
    return !origin || isAllowedOrigin(origin, req.headers.host, allowedOrigins);
  };
  const accessClock = options.access?.now ?? (() => new Date());
  const httpServer = createServer(app);
  // Every socket, including upgraded WebSockets, so shutdown can end stragglers.
  const sockets = new Set<Socket>();
  httpServer.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const realtime = createRealtime(httpServer, {
    events,
    originAllowed,
    adapter: scaleOut?.socketAdapter,
    authenticate: async (cookie) => {
      const identity = await resolveConnectionIdentity(cookie);
      if (!identity) return null;
      return {
        userId: identity.userId,
        sessionId: identity.sessionId,
        orgIds: [...new Set(identity.memberships.map((m) => m.org.id))],
      };
    },
    reviewGrants: (grants) => reviewLiveGrants(grants, accessClock()),
  });
  const documentStore = createDocumentStore(env.DATABASE_URL);
  const auth = collabAuthentication();
  // Cached sessions and document facts are forgotten first, before anything re-checks access (ADR 032).
  events.subscribe((event) => {
    forgetIdentities(event);
    if (event.type === "document.access_changed") auth.forgetDocument(event.documentId);
    if (event.type === "org.access_changed") auth.forgetAll();
  });
  const collab = createCollab({ env, log, events, originAllowed, scaleOut, documentStore, auth, options });
  routeUpgrades(httpServer, { collab: collab.handleUpgrade });
  // Access that ends, ends on every live connection of every process at once (ADR 015).
  scaleOut?.bridgeEvents(events);
  const access = startAccessRevocation({
    events,
    collab,
    realtime,
    reviewGrants: reviewLiveGrants,
    intervalMs: options.access?.intervalMs ?? env.ACCESS_RECHECK_SECONDS * 1000,
    now: accessClock,
    log,
  });

  // The background jobs start once the server listens (ADR 030): their clocks count from there.
  let jobs: { scheduler: Scheduler; searchIndexer: SearchIndexer } | undefined;
  const startJobs = () => {
    jobs ??= {
      scheduler: startScheduler({ events, log }, options.scheduler),
      searchIndexer: startSearchIndexer(log, options.search),
    };
  };

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    ready,
    events,
    collab,
    access,
    listen(port, host = env.HOST) {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          if (!closing) startJobs();
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    close() {
      closing ??= (async () => {
        await jobs?.scheduler.stop();
        await jobs?.searchIndexer.stop();
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        access.stop();
        await collab.close();
        await realtime.close();
        const force = setTimeout(() => {
          httpServer.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        }, 3000);
        await stopped;
        clearTimeout(force);
        await scaleOut?.close();
        await documentStore.close();
        await disconnectDb();
      })();
      return closing;
    },
  };
}

/** Express: security headers, health, static files, origin and body checks, then Remix. */
function createHttpApp(deps: {
  env: Env;
  root: string;
  log: (msg: string) => void;
  build: Promise<ServerBuild>;
  events: EventBus;
  allowedOrigins: string[];
  instance: string;
  scaleOut: ScaleOut | null;
  collab: () => CollabServer;
}): express.Express {
  const { env, root, log, build, events, allowedOrigins, instance, scaleOut } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY ? 1 : false);
  app.use(clientIp);
  // A NUL in the path is never legitimate (and PostgreSQL cannot compare an id holding one); query
  // values are each route's to validate (bad ones fall back to defaults).
  app.use((req, res, next) => {
    const pathPart = req.url.split("?")[0];
    if (/%00/i.test(pathPart) || pathPart.includes("\u0000")) {
      res.status(400).json({ error: { id: "BAD_REQUEST", message: "请求地址包含不允许的字符。" } });
      return;
    }
    next();
  });
  app.use(securityHeaders);

  // Healthy once the pages can be served: while the build loads it waits (a moment after a start).
  app.get("/healthz", async (_req, res) => {
    try {
      await build;
    } catch {
      res.status(503).json({ status: "degraded", app: "unavailable", instance });
      return;
    }
    try {
      await pingDatabase();
      const redis = scaleOut?.status();
      res.status(redis && redis !== "ready" ? 503 : 200).json({
        status: redis && redis !== "ready" ? "degraded" : "ok",
        db: "ok",
        ...(scaleOut ? { redis } : {}),
        instance,
        collab: deps.collab().stats().connections,
        uptimeSeconds: Math.round(process.uptime()),
      });
    } catch {
      res.status(503).json({ status: "degraded", db: "unavailable", instance });
    }
  });

  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  // No directory redirects (/guide → /guide/): a folder of public files never shadows a page.
  app.use(express.static(path.join(root, "public"), { maxAge: "1h", redirect: false }));
  app.use(originCheck(allowedOrigins));
  app.use(bodyLimit(10 * 1024 * 1024));
  app.use(drainAbandonedBodies);
  app.use(formBodyOnly);

  const remix = build.then((loaded) =>
    createRequestHandler({
      build: loaded,
      mode: env.NODE_ENV === "production" ? "production" : "development",
      getLoadContext: (_req, res) => ({
        events,
        nonce: String(res.locals.nonce ?? ""),
        collab: {
          storeDocument: (id: string) => deps.collab().storeDocument(id),
          applyChange: (id, identity, change) => deps.collab().applyChange(id, identity, change),
        },
      }),
    }),
  );
  remix.catch(() => undefined);
  // A request that comes before the build has loaded waits for it.
  app.all("*", (req, res, next) => {
    remix.then((handle) => handle(req, res, next), next);
  });

  // Last resort: never a stack trace to the client.
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    log(`[http] unhandled error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (res.headersSent) return;
    // A malformed request (e.g. a broken %-escape in the path: URIError with status 400) is the client's error.
    const status = (err as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      res.status(status).json({ error: { id: "BAD_REQUEST", message: "请求地址或内容格式不正确。" } });
      return;
    }
    res.status(500).json({ error: { id: "INTERNAL", message: "系统出现错误，我们已记录。请稍后重试。" } });
  });
  return app;
}

/** Who may join a document: the session and the document policy, as HTTP (ADR 005, 030). */
function collabAuthentication() {
  return authentication({
    resolveSession: async (cookie) => {
      const identity = await resolveConnectionIdentity(cookie);
      if (!identity) return null;
      return {
        userId: identity.userId,
        sessionId: identity.sessionId,
        displayName: identity.displayName,
        actor: identity.actor,
        orgNames: new Map(identity.memberships.map((m) => [m.org.id, m.org.name])),
      };
    },
    loadDocument: loadDocumentFacts,
  });
}

/** The collab server with its extensions (ADR 005), the Redis relay first in scale-out mode (ADR 012). */
function createCollab(deps: {
  env: Env;
  log: (msg: string) => void;
  events: EventBus;
  originAllowed: (req: { headers: { origin?: string; host?: string } }) => boolean;
  scaleOut: ScaleOut | null;
  documentStore: DocumentStore;
  auth: CollabExtension;
  options: ServerOptions;
}): CollabServer {
  const { env, log, events, originAllowed, scaleOut, documentStore, auth, options } = deps;
  const deriveBoth = createDualDeriver();
  const store = persistence({
    store: documentStore,
    derive: createDeriver(),
    settings: { maxPendingBytes: env.COLLAB_MAX_PENDING_MB * 1024 * 1024 },
    onError: (err, id) => log(`[collab] persistence error doc=${id}: ${String(err)}`),
  });
  // A peer died: what it relayed here is stored at once, not at the next checkpoint (ADR 032).
  scaleOut?.relay.onPeerLost((peer) => {
    log(`[scale-out] process ${peer} stopped answering: storing the changes it relayed`);
    store.checkpointRemoteChanges().catch((err: unknown) => log(`[collab] checkpoint failed: ${String(err)}`));
  });
  return createCollabServer({
    settings: { originAllowed, ...options.collab },
    extensions: [
      // Scale-out (ADR 012): first, so a change is relayed before the others see it and a document
      // leaves its channel as soon as it is unloaded.
      ...(scaleOut ? [relay(scaleOut.relay)] : []),
      logger({ level: env.LOG_LEVEL, write: log }),
      auth,
      connectionLimit(),
      throttle(),
      store,
      versions({
        settings: {
          idleMs: env.VERSION_IDLE_SECONDS * 1000,
          maxIntervalMs: env.VERSION_MAX_MINUTES * 60_000,
          ...options.versions,
        },
        save: async ({ documentId, doc, authors }) => {
          await saveVersion(documentId, {
            kind: "AUTO",
            name: null,
            createdById: null,
            content: contentOf(doc),
            authors: authors.map((a) => ({ userId: a.userId, name: a.displayName, org: a.orgName })),
          });
        },
        onError: (err, id) => log(`[collab] version error doc=${id}: ${String(err)}`),
      }),
      derivedItems({
        sync: (documentId, doc) => {
          const { rejected, kept } = deriveBoth(doc);
          return syncDerivedRows(documentId, { rejected: rejected.json, kept: kept.json }, { events });
        },
        onError: (err, id) => log(`[collab] tracked items error doc=${id}: ${String(err)}`),
      }),
    ],
  });
}
