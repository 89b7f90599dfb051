import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { getDb } from "~/db.server";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

let app: RunningServer;
const sockets: Socket[] = [];
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app.close();
});

async function open(userId: string): Promise<Socket> {
  const socket = connect(app.origin, {
    path: "/socket.io/",
    transports: ["websocket"],
    extraHeaders: { Cookie: await buildSessionCookie(userId) },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

type Ack = { ok: boolean; error?: string };
function emitAck(socket: Socket, event: string, payload: unknown): Promise<Ack> {
  return socket.timeout(3000).emitWithAck(event, payload) as Promise<Ack>;
}

/** Collects `item:status` messages a socket receives. */
function collect(socket: Socket): unknown[] {
  const got: unknown[] = [];
  socket.on("item:status", (m) => got.push(m));
  return got;
}

const settle = () => new Promise((r) => setTimeout(r, 250));

async function setup() {
  const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
  const court = await buildOrg({ kind: "COURT" });
  const outsiderOrg = await buildOrg();
  const drafter = await buildUser({ org: owner, role: "DRAFTER" });
  const courtUser = await buildUser({ org: court, role: "LIAISON" });
  const outsider = await buildUser({ org: outsiderOrg, role: "DRAFTER" });
  const doc = await buildDocument({
    ownerOrg: owner,
    createdById: drafter.id,
    members: [{ orgId: court.id, access: "READ" }],
  });
  return { owner, court, drafter, courtUser, outsider, doc };
}

describe("document rooms and live item status", () => {
  it("a member joins doc:<id> and receives item:status; a non-member is refused and receives nothing", async () => {
    const { drafter, courtUser, outsider, doc } = await setup();
    const [a, b, c] = await Promise.all([open(drafter.id), open(courtUser.id), open(outsider.id)]);
    const [gotA, gotB, gotC] = [collect(a), collect(b), collect(c)];

    expect(await emitAck(a, "document:watch", { documentId: doc.id })).toEqual({ ok: true });
    expect(await emitAck(b, "document:watch", { documentId: doc.id })).toEqual({ ok: true });
    expect(await emitAck(c, "document:watch", { documentId: doc.id })).toEqual({ ok: false, error: "无权查看此文书" });

    const dueDate = "2027-01-15T15:59:59.999Z";
    const arrived = new Promise((resolve) => a.once("item:status", resolve));
    app.server.events.publish({
      type: "item.status_changed",
      documentId: doc.id,
      itemId: "item-live-0001",
      status: "IN_PROGRESS",
      dueDate,
    });
    expect(await arrived).toEqual({ itemId: "item-live-0001", status: "IN_PROGRESS", dueDate });
    await settle();
    expect(gotA).toHaveLength(1);
    expect(gotB).toEqual([{ itemId: "item-live-0001", status: "IN_PROGRESS", dueDate }]);
    expect(gotC).toEqual([]);

    // Another document's events go to its own room only.
    const other = await buildDocument({ ownerOrg: { id: outsider.orgId }, createdById: outsider.id });
    expect(await emitAck(c, "document:watch", { documentId: other.id })).toEqual({ ok: true });
    app.server.events.publish({
      type: "item.status_changed",
      documentId: other.id,
      itemId: "item-other-001",
      status: "CLOSED",
      dueDate: null,
    });
    await settle();
    expect(gotA).toHaveLength(1);
    expect(gotC).toEqual([{ itemId: "item-other-001", status: "CLOSED", dueDate: null }]);
  });

  it("refuses a document that does not exist exactly like a forbidden one", async () => {
    const { drafter } = await setup();
    const a = await open(drafter.id);
    expect(await emitAck(a, "document:watch", { documentId: "doesnotexist00000001" })).toEqual({
      ok: false,
      error: "无权查看此文书",
    });
  });

  it("refuses malformed payloads without crashing, and the socket keeps working", async () => {
    const { drafter, doc } = await setup();
    const a = await open(drafter.id);
    const got = collect(a);
    for (const bad of [
      undefined,
      null,
      "doc",
      42,
      [],
      {},
      { documentId: 5 },
      { documentId: "" },
      { documentId: "../../etc/passwd" },
      { documentId: "x".repeat(65) },
      { documentId: doc.id, extra: true },
    ]) {
      expect(await emitAck(a, "document:watch", bad)).toEqual({ ok: false, error: "请求格式无效。" });
    }
    expect(await emitAck(a, "document:unwatch", { nope: 1 })).toEqual({ ok: false, error: "请求格式无效。" });
    // Without an ack callback, and with junk arguments: nothing is answered, nothing breaks.
    a.emit("document:watch", { documentId: doc.id, extra: 1 });
    a.emit("document:watch");
    a.emit("document:unwatch", "x", "y", "z");
    await settle();
    expect(a.connected).toBe(true);
    app.server.events.publish({
      type: "item.status_changed",
      documentId: doc.id,
      itemId: "item-bad-00001",
      status: "DONE",
      dueDate: null,
    });
    await settle();
    expect(got).toEqual([]);
    // A proper request afterwards still works.
    expect(await emitAck(a, "document:watch", { documentId: doc.id })).toEqual({ ok: true });
    app.server.events.publish({
      type: "item.status_changed",
      documentId: doc.id,
      itemId: "item-bad-00002",
      status: "DONE",
      dueDate: null,
    });
    await settle();
    expect(got).toEqual([{ itemId: "item-bad-00002", status: "DONE", dueDate: null }]);
  });

  it("stops delivering after document:unwatch", async () => {
    const { drafter, doc } = await setup();
    const a = await open(drafter.id);
    const got = collect(a);
    expect(await emitAck(a, "document:watch", { documentId: doc.id })).toEqual({ ok: true });
    expect(await emitAck(a, "document:unwatch", { documentId: doc.id })).toEqual({ ok: true });
    app.server.events.publish({
      type: "item.status_changed",
      documentId: doc.id,
      itemId: "item-gone-0001",
      status: "DONE",
      dueDate: null,
    });
    await settle();
    expect(got).toEqual([]);
  });

  it("drops watchers who lose access when the document's members change", async () => {
    const { court, courtUser, drafter, doc } = await setup();
    const [a, b] = await Promise.all([open(drafter.id), open(courtUser.id)]);
    const [gotA, gotB] = [collect(a), collect(b)];
    expect(await emitAck(b, "document:watch", { documentId: doc.id })).toEqual({ ok: true });
    expect(await emitAck(a, "document:watch", { documentId: doc.id })).toEqual({ ok: true });
    await getDb().documentMember.deleteMany({ where: { documentId: doc.id, orgId: court.id } });
    app.server.events.publish({ type: "document.access_changed", documentId: doc.id });
    await settle();
    app.server.events.publish({
      type: "item.status_changed",
      documentId: doc.id,
      itemId: "item-acl-00001",
      status: "IN_PROGRESS",
      dueDate: null,
    });
    await settle();
    expect(gotA).toHaveLength(1);
    expect(gotB).toEqual([]);
    expect(await emitAck(b, "document:watch", { documentId: doc.id })).toEqual({ ok: false, error: "无权查看此文书" });
  });
});
