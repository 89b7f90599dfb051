import { readFileSync } from "node:fs";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { createDocument, health, signIn, startStack, type Stack } from "./stack";

/**
 * Scale-out failure drills on the real thing (scripts/scale-out.sh): PostgreSQL, Redis, two app
 * processes and nginx on loopback. Clients connect through nginx like browsers do.
 */
let stack: Stack;
const clients: TestClient[] = [];
const sockets: Socket[] = [];
const PG_PORT = 54334;

beforeAll(() => {
  // A small edit buffer (64 KB) so the PostgreSQL-outage drill reaches the limit quickly.
  stack = startStack({
    name: "scale-out-test",
    lbPort: 3290,
    appPorts: [3291, 3292],
    redisPort: 6391,
    pgPort: PG_PORT,
    appEnv: "COLLAB_MAX_PENDING_MB=0.0625",
  });
});
afterAll(() => {
  for (const c of clients) {
    try {
      c.destroy();
    } catch {
      // destroyed by the test already
    }
  }
  for (const s of sockets) s.disconnect();
  stack?.stop();
});

function client(documentId: string, cookie: string, origin = stack.lb): TestClient {
  const c = connectClient(origin, documentId, cookie);
  clients.push(c);
  return c;
}

/** The document's text "t" as stored in PostgreSQL (snapshot + log). */
async function storedText(documentId: string): Promise<string> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const snap = await db.query<{ state: Buffer }>('SELECT "state" FROM "DocumentSnapshot" WHERE "documentId" = $1', [
      documentId,
    ]);
    const log = await db.query<{ data: Buffer }>(
      'SELECT "data" FROM "DocumentUpdate" WHERE "documentId" = $1 ORDER BY "seq"',
      [documentId],
    );
    const doc = new Y.Doc();
    for (const row of [...snap.rows.map((r) => r.state), ...log.rows.map((r) => r.data)])
      Y.applyUpdate(doc, new Uint8Array(row));
    return doc.getText("t").toString();
  } finally {
    await db.end();
  }
}

function post(origin: string, path: string, cookie: string, form: Record<string, string>) {
  return fetch(`${origin}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
}

const allConverged = (cs: TestClient[], tokens: string[]) => () => {
  const text = cs[0].text();
  return cs.every((c) => c.provider.wsconnected && c.text() === text) && tokens.every((t) => text.includes(t));
};

/** Each client appends its own numbered tokens every `everyMs` until stopped; returns what was typed. */
function typeContinuously(cs: TestClient[], everyMs: number) {
  const typed: string[] = [];
  let n = 0;
  const timer = setInterval(() => {
    n++;
    cs.forEach((c, i) => {
      const token = `<${i}:${n}>`;
      c.type(token);
      typed.push(token);
    });
  }, everyMs);
  return { typed, stop: () => clearInterval(timer) };
}

describe("scale-out: two processes behind nginx on PostgreSQL + Redis", () => {
  let coord: string;
  let court: string;

  beforeAll(async () => {
    coord = await signIn(stack.lb, "sfj.coord");
    court = await signIn(stack.lb, "court.drafter");
  });

  it("clients on both processes converge; notifications cross processes; SIGKILL of one loses nothing typed", async () => {
    const documentId = await createDocument(stack.lb, coord, stack.databaseUrl, "跨进程协同测试", "示例市司法局", [
      "示例市中级人民法院",
    ]);
    const cs: TestClient[] = [];
    for (let i = 0; i < 4; i++) {
      const c = client(documentId, i % 2 ? court : coord);
      await c.synced();
      cs.push(c);
    }
    const [h1, h2] = await Promise.all(stack.apps.map(health));
    expect(h1?.instance).toBe("app1");
    expect(h1!.collab).toBeGreaterThan(0);
    expect(h2!.collab).toBeGreaterThan(0);
    expect(h1!.collab + h2!.collab).toBe(4);

    // Co-editing across processes.
    cs.forEach((c, i) => c.type(`[${i}]`));
    await waitFor(allConverged(cs, ["[0]", "[1]", "[2]", "[3]"]), 5000, "convergence across processes");

    // A notification sent by process 2 reaches a user whose socket is on process 1.
    const admin = await signIn(stack.lb, "admin");
    const socket = io(stack.apps[0], {
      path: "/socket.io/",
      transports: ["websocket"],
      extraHeaders: { Cookie: admin, Origin: stack.apps[0] },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", () => resolve());
      socket.on("connect_error", reject);
    });
    const received = new Promise<{ title: string }>((resolve) => socket.on("notification", resolve));
    const sent = await post(stack.apps[1], "/admin/diagnostics", admin, { intent: "testNotification" });
    expect(sent.status).toBe(200);
    expect((await received).title).toBe("测试通知");

    // Everyone types; process 1 is killed mid-edit; its clients reconnect through nginx to process 2.
    const typing = typeContinuously(cs, 15);
    await new Promise((r) => setTimeout(r, 800));
    stack.run("kill-app", "1");
    await new Promise((r) => setTimeout(r, 2000));
    typing.stop();
    expect(typing.typed.length).toBeGreaterThan(200);
    const stoppedAt = Date.now();
    await waitFor(allConverged(cs, typing.typed), 20_000, "every client back, converged, holding every token");
    console.log(
      `[scale-out] ${typing.typed.length} tokens typed by 4 clients; process 1 killed mid-edit; all converged ${Date.now() - stoppedAt} ms after typing stopped`,
    );
    expect(await health(stack.apps[0])).toBeNull();
    expect((await health(stack.apps[1]))!.collab).toBe(4);

    // The surviving process stores everything (its own writers' log, and what process 1 relayed).
    const finalText = cs[0].text();
    for (const c of cs) c.destroy();
    const leftAt = Date.now();
    await waitFor(
      async () => (await storedText(documentId)) === finalText,
      10_000,
      "stored text equals the final text",
    );
    console.log(`[scale-out] stored text equals the final text ${Date.now() - leftAt} ms after the last client left`);
    stack.run("start-app", "1");
  });

  it("a process killed mid-edit: the survivor stores what it relayed within a second, with no client's help", async () => {
    const documentId = await createDocument(stack.lb, coord, stack.databaseUrl, "进程故障存盘测试", "示例市司法局", [
      "示例市中级人民法院",
    ]);
    // The writers are on process 1 only; process 2 holds their edits only because process 1 relayed them.
    const writers = [client(documentId, coord, stack.apps[0]), client(documentId, court, stack.apps[0])];
    const reader = client(documentId, coord, stack.apps[1]);
    await Promise.all([...writers, reader].map((c) => c.synced()));
    const typing = typeContinuously(writers, 10);
    await new Promise((r) => setTimeout(r, 1000));
    // SIGKILL from here, so the writers type until the very moment process 1 dies.
    process.kill(Number(readFileSync("data/scale-out-test/app1.pid", "utf8")), "SIGKILL");
    const killedAt = Date.now();
    typing.stop();
    // Gone for good: nothing they hold is sent again, only process 2's memory has the last edits.
    for (const w of writers) w.destroy();
    // What process 2 had relayed to its reader by then (messages in flight on loopback arrive within ms).
    await new Promise((r) => setTimeout(r, 100));
    const relayed = reader.text();
    expect(typing.typed.filter((t) => relayed.includes(t)).length).toBeGreaterThan(100);
    await waitFor(async () => (await storedText(documentId)) === relayed, 3000, "process 2 stored what it relayed");
    const storedAfter = Date.now() - killedAt;
    console.log(`[scale-out] process 1 killed; process 2 stored every relayed edit ${storedAfter} ms later`);
    expect(storedAfter).toBeLessThanOrEqual(1000);
    stack.run("kill-app", "1");
    stack.run("start-app", "1");
  });

  it("access that ends on one process ends the connections another process holds, within a second", async () => {
    const documentId = await createDocument(stack.lb, coord, stack.databaseUrl, "跨进程权限撤销测试", "示例市司法局", [
      "示例市中级人民法院",
    ]);
    // A session of the court's drafter whose editor and socket live on process 2; sign-out on process 1.
    const session = await signIn(stack.lb, "court.drafter");
    const editor = client(documentId, session, stack.apps[1]);
    await editor.synced();
    const socket = io(stack.apps[1], {
      path: "/socket.io/",
      transports: ["websocket"],
      extraHeaders: { Cookie: session, Origin: stack.apps[1] },
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", () => resolve());
      socket.on("connect_error", reject);
    });
    const disconnected = new Promise<number>((resolve) => socket.on("disconnect", () => resolve(Date.now())));
    const out = await post(stack.apps[0], "/logout", session, {});
    const answered = Date.now();
    expect(out.status).toBe(302);
    await waitFor(() => editor.closes.some((c) => c.code === 4401), 1000, "4401 on process 2");
    const closedAfter = Date.now() - answered;
    const socketAfter = (await disconnected) - answered;
    console.log(
      `[scale-out] sign-out on process 1 closed process 2's editor after ${closedAfter} ms and its socket after ${socketAfter} ms`,
    );
    expect(socketAfter).toBeLessThanOrEqual(1000);

    // A role change by an administrator on process 1 makes an editor on process 2 read-only at once.
    const admin = await signIn(stack.lb, "admin");
    const pgc = new pg.Client({ connectionString: stack.databaseUrl });
    await pgc.connect();
    const membership = await pgc.query<{ id: string; role: string; userId: string }>(
      'SELECT m."id", m."role", m."userId" FROM "Membership" m JOIN "User" u ON u."id" = m."userId" JOIN "Organization" o ON o."id" = m."orgId" WHERE u."username" = $1 AND o."name" = $2',
      ["court.drafter", "示例市中级人民法院"],
    );
    await pgc.end();
    const { id: membershipId, userId } = membership.rows[0];
    const writer = client(documentId, await signIn(stack.lb, "court.drafter"), stack.apps[1]);
    await writer.synced();
    try {
      const changed = await post(stack.apps[0], `/admin/users/${userId}`, admin, {
        intent: "changeRole",
        membershipId,
        role: "VIEWER",
      });
      const changedAt = Date.now();
      expect(changed.status).toBe(302);
      await waitFor(() => writer.closes.some((c) => c.code === 4205), 1000, "4205 on process 2");
      console.log(
        `[scale-out] role change on process 1 re-authorized process 2's editor after ${Date.now() - changedAt} ms`,
      );
    } finally {
      await post(stack.apps[0], `/admin/users/${userId}`, admin, {
        intent: "changeRole",
        membershipId,
        role: "DRAFTER",
      });
    }
  });

  it("resyncs by itself after Redis restarts", async () => {
    const documentId = await createDocument(stack.lb, coord, stack.databaseUrl, "Redis 重启测试", "示例市司法局");
    const a = client(documentId, coord, stack.apps[0]);
    const b = client(documentId, coord, stack.apps[1]);
    await Promise.all([a.synced(), b.synced()]);
    a.type("甲");
    await waitFor(() => b.text() === "甲", 5000, "relay before the restart");
    // Presence crosses processes too, stamped with the signed-in user by the process that received it.
    a.provider.awareness.setLocalStateField("cursor", { at: 1 });
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name?: string } } | undefined)?.user
          ?.name === "李秀英",
      5000,
      "a's presence seen on the other process",
    );

    stack.run("restart-redis");
    // Typed around the restart: some of it crossed no relay at all.
    a.type("乙");
    b.type("丙");
    await waitFor(
      async () => (await health(stack.apps[0]))?.redis === "ready" && (await health(stack.apps[1]))?.redis === "ready",
      15_000,
      "both processes reconnected to Redis",
    );
    await waitFor(
      () => a.text() === b.text() && ["甲", "乙", "丙"].every((t) => a.text().includes(t)),
      10_000,
      "resync after the restart",
    );
    a.type("丁");
    await waitFor(() => b.text().includes("丁"), 5000, "relay after the restart");
  });

  it("keeps edits flowing while PostgreSQL is down, stores them when it returns, and refuses edits past the buffer with 4503", async () => {
    const documentId = await createDocument(stack.lb, coord, stack.databaseUrl, "数据库中断测试", "示例市司法局");
    const a = client(documentId, coord, stack.apps[0]);
    const b = client(documentId, coord, stack.apps[1]);
    await Promise.all([a.synced(), b.synced()]);

    const pgEnv = { ...process.env, PG_PORT: String(PG_PORT) };
    const { execFileSync } = await import("node:child_process");
    execFileSync("bash", ["scripts/postgres.sh", "stop"], { env: pgEnv });
    try {
      a.type("断库期间甲");
      b.type("断库期间乙");
      await waitFor(
        () => a.text() === b.text() && a.text().includes("断库期间甲") && a.text().includes("断库期间乙"),
        5000,
        "edits flow between processes without the database",
      );
      // Past the 64 KB buffer, a writer's update is refused with 4503; the client keeps it.
      const big = "长".repeat(40_000);
      a.type(big);
      await waitFor(() => a.closes.some((c) => c.code === 4503), 10_000, "4503 once the buffer is full");
      expect(a.text()).toContain(big);
    } finally {
      execFileSync("bash", ["scripts/postgres.sh", "start"], { env: pgEnv, stdio: "ignore" });
    }
    // Back: the client reconnects, its refused edit goes in, and everything is stored.
    await waitFor(
      () => a.provider.wsconnected && b.text() === a.text(),
      30_000,
      "reconnected and converged after the database returned",
    );
    const finalText = a.text();
    a.destroy();
    b.destroy();
    await waitFor(
      async () => (await storedText(documentId).catch(() => "")) === finalText,
      15_000,
      "stored after the database returned",
    );
  });
});
