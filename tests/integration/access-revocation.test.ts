import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { getDb } from "~/db.server";
import { CloseCode } from "../../app/protocol/collab";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { TEST_PASSWORD, buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { sessionCookieFrom, startServer, type RunningServer } from "./helpers";

/**
 * Access that ends, ends everywhere at once (issue 16, ADR 015): for every way a user's access can
 * end or narrow, an open collab connection and an open socket.io socket of that user are cut off
 * (or made read-only) within a second of the HTTP response — and the backstop re-check ends what no
 * event announces (a session that expires).
 */
let app: RunningServer;
let clock = new Date();
const clients: TestClient[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startServer({ access: { intervalMs: 3_600_000, now: () => clock } });
});
afterEach(() => {
  clock = new Date();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await app.close();
});

/** One region with a justice bureau (owner of the document), a court, and an administrator. */
async function world() {
  const region = await buildRegion();
  const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region });
  const court = await buildOrg({ kind: "COURT", region });
  const admin = await buildUser({ org: await buildOrg({ kind: "JUSTICE_BUREAU", region }), role: "ADMIN" });
  const drafter = await buildUser({ org: bureau, role: "DRAFTER", displayName: "起草人" });
  const doc = await buildDocument({
    ownerOrg: bureau,
    createdById: drafter.id,
    members: [{ orgId: court.id, access: "WRITE" }],
  });
  return { region, bureau, court, admin, adminCookie: await buildSessionCookie(admin.id), drafter, doc };
}

function openSocket(cookie: string): Promise<Socket> {
  const socket = connect(app.origin, {
    path: "/socket.io/",
    transports: ["websocket"],
    extraHeaders: { Cookie: cookie },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", reject);
  });
}

/** The user's live connections: a collab editor and a socket watching the document. */
async function openAll(cookie: string, documentId: string) {
  const editor = connectClient(app.origin, documentId, cookie);
  clients.push(editor);
  await editor.synced();
  const socket = await openSocket(cookie);
  const ack = await socket.timeout(2000).emitWithAck("document:watch", { documentId });
  expect(ack).toEqual({ ok: true });
  const disconnected = new Promise<number>((resolve) => socket.on("disconnect", () => resolve(Date.now())));
  return { editor, socket, disconnected };
}

/** ms from `since` until the editor saw `code` (fails after 1 s). */
async function closedWithin(editor: TestClient, code: number, since: number): Promise<number> {
  await waitFor(() => editor.closes.some((c) => c.code === code), 1000, `close ${code}`);
  return Date.now() - since;
}

/** Whether the socket receives the document's item events and the org's broadcasts now. */
async function socketReceives(socket: Socket, documentId: string, orgId: string) {
  const got: string[] = [];
  const onItem = () => got.push("item");
  const onOrg = () => got.push("org");
  socket.on("item:status", onItem);
  socket.on("org:message", onOrg);
  app.server.events.publish({ type: "item.status_changed", documentId, itemId: "x", status: "DRAFT", dueDate: null });
  app.server.events.publish({ type: "org.broadcast", orgId, message: "测试" });
  await new Promise((r) => setTimeout(r, 250));
  socket.off("item:status", onItem);
  socket.off("org:message", onOrg);
  return { item: got.includes("item"), org: got.includes("org") };
}

const readOnlyOf = (userId: string) =>
  app.server.collab.connections().find((c) => c.identity.userId === userId)?.identity.readOnly;

describe("access that ends, ends at once", () => {
  it("sign-out closes the session's editor (4401) and disconnects its socket within a second", async () => {
    const w = await world();
    const cookie = await buildSessionCookie(w.drafter.id);
    const other = await buildSessionCookie(w.drafter.id);
    const live = await openAll(cookie, w.doc.id);
    const elsewhere = await openAll(other, w.doc.id);
    const res = await app.request("/logout", { method: "POST", cookie });
    const answered = Date.now();
    expect(res.status).toBe(302);
    expect(await closedWithin(live.editor, CloseCode.UNAUTHENTICATED, answered)).toBeLessThanOrEqual(1000);
    expect((await live.disconnected) - answered).toBeLessThanOrEqual(1000);
    // The same user's other session (another browser) is not signed out.
    await new Promise((r) => setTimeout(r, 200));
    expect(elsewhere.editor.closes).toEqual([]);
    expect(elsewhere.socket.connected).toBe(true);
  });

  it("disabling the account ends every connection of the user", async () => {
    const w = await world();
    const live = await openAll(await buildSessionCookie(w.drafter.id), w.doc.id);
    const res = await app.request(`/admin/users/${w.drafter.id}`, {
      cookie: w.adminCookie,
      form: { intent: "profile", displayName: "起草人" },
    });
    const answered = Date.now();
    expect(res.status).toBe(302);
    expect(await closedWithin(live.editor, CloseCode.UNAUTHENTICATED, answered)).toBeLessThanOrEqual(1000);
    expect((await live.disconnected) - answered).toBeLessThanOrEqual(1000);
    const user = await getDb().user.findUniqueOrThrow({ where: { id: w.drafter.id }, select: { active: true } });
    expect(user.active).toBe(false);
  });

  it("an administrator's password reset ends every connection, and the user must set a password first", async () => {
    const w = await world();
    const live = await openAll(await buildSessionCookie(w.drafter.id), w.doc.id);
    const res = await app.request(`/admin/users/${w.drafter.id}`, {
      cookie: w.adminCookie,
      form: { intent: "resetPassword", password: "Reset2026pw" },
    });
    const answered = Date.now();
    expect(res.status).toBe(302);
    expect(await closedWithin(live.editor, CloseCode.UNAUTHENTICATED, answered)).toBeLessThanOrEqual(1000);
    expect((await live.disconnected) - answered).toBeLessThanOrEqual(1000);
    // Signing in with the administrator's password leads to the password page and nowhere else.
    const login = await app.request("/login", { form: { username: w.drafter.username, password: "Reset2026pw" } });
    expect(login.headers.get("location")).toBe("/password");
    const cookie = sessionCookieFrom(login) ?? "";
    expect((await app.request("/ledger", { cookie })).headers.get("location")).toBe("/password");
    const editor = connectClient(app.origin, w.doc.id, cookie);
    clients.push(editor);
    await waitFor(
      () => editor.closes.some((c) => c.code === CloseCode.UNAUTHENTICATED),
      3000,
      "4401 before the password is set",
    );
    const set = await app.request("/password", {
      cookie,
      form: { currentPassword: "Reset2026pw", newPassword: "MyOwn2026pw", confirmPassword: "MyOwn2026pw" },
    });
    expect(set.headers.get("location")).toBe("/");
    expect((await app.request("/ledger", { cookie: sessionCookieFrom(set) ?? "" })).status).toBe(200);
  });

  it("changing one's password ends the other sessions' connections, not this browser's new one", async () => {
    const w = await world();
    const cookie = await buildSessionCookie(w.drafter.id);
    const other = await openAll(await buildSessionCookie(w.drafter.id), w.doc.id);
    const res = await app.request("/account", {
      cookie,
      form: { currentPassword: TEST_PASSWORD, newPassword: "Changed2026pw", confirmPassword: "Changed2026pw" },
    });
    const answered = Date.now();
    expect(res.status).toBe(302);
    expect(await closedWithin(other.editor, CloseCode.UNAUTHENTICATED, answered)).toBeLessThanOrEqual(1000);
    expect((await other.disconnected) - answered).toBeLessThanOrEqual(1000);
    const fresh = sessionCookieFrom(res) ?? "";
    const again = await openAll(fresh, w.doc.id);
    expect(again.editor.closes).toEqual([]);
  });

  it("a session that expires with no event is ended by the periodic re-check", async () => {
    const w = await world();
    const live = await openAll(await buildSessionCookie(w.drafter.id), w.doc.id);
    await app.server.access.recheckAll();
    expect(live.editor.closes).toEqual([]);
    clock = new Date(Date.now() + 13 * 3600_000);
    const started = Date.now();
    await app.server.access.recheckAll();
    expect(await closedWithin(live.editor, CloseCode.UNAUTHENTICATED, started)).toBeLessThanOrEqual(1000);
    expect((await live.disconnected) - started).toBeLessThanOrEqual(1000);
  });

  it("removing the membership that granted access cuts the editor off and takes the socket out of the org and document", async () => {
    const w = await world();
    // A second membership elsewhere, so the one granting access can be removed.
    const elsewhere = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: w.region });
    await getDb().membership.create({
      data: { id: `m${Date.now()}`, userId: w.drafter.id, orgId: elsewhere.id, role: "DRAFTER" },
    });
    const live = await openAll(await buildSessionCookie(w.drafter.id), w.doc.id);
    expect(await socketReceives(live.socket, w.doc.id, w.bureau.id)).toEqual({ item: true, org: true });
    const membership = await getDb().membership.findFirstOrThrow({
      where: { userId: w.drafter.id, orgId: w.bureau.id },
      select: { id: true },
    });
    const res = await app.request(`/admin/users/${w.drafter.id}`, {
      cookie: w.adminCookie,
      form: { intent: "removeMembership", membershipId: membership.id },
    });
    const answered = Date.now();
    expect(res.status).toBe(302);
    expect(await closedWithin(live.editor, CloseCode.ACCESS_CHANGED, answered)).toBeLessThanOrEqual(1000);
    await waitFor(() => live.editor.closes.some((c) => c.code === CloseCode.FORBIDDEN), 3000, "4403 on reconnect");
    await waitFor(
      async () => !(await socketReceives(live.socket, w.doc.id, w.bureau.id)).item,
      1000,
      "socket out of the document",
    );
    expect(await socketReceives(live.socket, w.doc.id, w.bureau.id)).toEqual({ item: false, org: false });
    expect(live.socket.connected).toBe(true);
  });

  it("a role change from 起草人 to 只读用户 makes the open editor read-only at once", async () => {
    const w = await world();
    const live = await openAll(await buildSessionCookie(w.drafter.id), w.doc.id);
    expect(readOnlyOf(w.drafter.id)).toBe(false);
    const membership = await getDb().membership.findFirstOrThrow({
      where: { userId: w.drafter.id, orgId: w.bureau.id },
      select: { id: true },
    });
    const res = await app.request(`/admin/users/${w.drafter.id}`, {
      cookie: w.adminCookie,
      form: { intent: "changeRole", membershipId: membership.id, role: "VIEWER" },
    });
    const answered = Date.now();
    expect(res.status).toBe(302);
    expect(await closedWithin(live.editor, CloseCode.ACCESS_CHANGED, answered)).toBeLessThanOrEqual(1000);
    await waitFor(() => readOnlyOf(w.drafter.id) === true, 3000, "reconnected read-only");
    // A viewer still reads the document: the socket stays in its room.
    expect((await socketReceives(live.socket, w.doc.id, w.bureau.id)).item).toBe(true);
    const audit = await getDb().auditEvent.findFirst({
      where: { targetId: w.drafter.id, action: "membership.role_changed" },
      select: { summary: true },
    });
    expect(audit?.summary).toContain("起草人 → 只读用户");
  });

  it("moving a supervising unit to another region ends its reading at once, though its session was just resolved", async () => {
    // A province justice bureau reads the city's documents (上级监督下级); its viewer's session is cached
    // by the join (ADR 030). The administrator moves the bureau to another province: the open editor is
    // re-authorized at once and its reconnection is refused — no cached identity or facts outlive the move.
    const country = await buildRegion({ level: "PROVINCE", name: "国家（测试）" });
    const province = await buildRegion({ level: "PROVINCE", parent: country });
    const city = await buildRegion({ level: "CITY", parent: province });
    const elsewhere = await buildRegion({ level: "PROVINCE", parent: country });
    const cityBureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: city });
    const provinceBureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: province });
    const admin = await buildUser({ org: await buildOrg({ kind: "JUSTICE_BUREAU", region: country }), role: "ADMIN" });
    const viewer = await buildUser({ org: provinceBureau, role: "VIEWER" });
    const drafter = await buildUser({ org: cityBureau, role: "DRAFTER" });
    const doc = await buildDocument({ ownerOrg: cityBureau, createdById: drafter.id });
    const cookie = await buildSessionCookie(viewer.id);
    const editor = connectClient(app.origin, doc.id, cookie);
    clients.push(editor);
    await editor.synced();
    expect(readOnlyOf(viewer.id)).toBe(true);
    // The same session answered from memory a moment later (HTTP too).
    expect((await app.request(`/documents/${doc.id}`, { cookie })).status).toBe(200);

    const res = await app.request(`/admin/orgs/${provinceBureau.id}`, {
      cookie: await buildSessionCookie(admin.id),
      form: { name: provinceBureau.name, kind: "JUSTICE_BUREAU", regionId: elsewhere.id, active: "on" },
    });
    const answered = Date.now();
    expect(res.status).toBe(302);
    expect(await closedWithin(editor, CloseCode.ACCESS_CHANGED, answered)).toBeLessThanOrEqual(1000);
    await waitFor(() => editor.closes.some((c) => c.code === CloseCode.FORBIDDEN), 3000, "4403 on reconnect");
    expect((await app.request(`/documents/${doc.id}`, { cookie })).status).toBe(403);
  });

  it("a disabled user has no document access on any live path", async () => {
    const w = await world();
    const cookie = await buildSessionCookie(w.drafter.id);
    await getDb().user.update({ where: { id: w.drafter.id }, data: { active: false } });
    const editor = connectClient(app.origin, w.doc.id, cookie);
    clients.push(editor);
    await waitFor(
      () => editor.closes.some((c) => c.code === CloseCode.UNAUTHENTICATED),
      3000,
      "4401 for a disabled user",
    );
    const socket = connect(app.origin, {
      path: "/socket.io/",
      transports: ["websocket"],
      extraHeaders: { Cookie: cookie },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const err = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(err.message).toBe("UNAUTHENTICATED");
  });
});
