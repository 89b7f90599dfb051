import * as encoding from "lib0/encoding";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { createDeriver } from "../../app/editor/schema/derive";
import { CloseCode } from "../../app/protocol/collab";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { connectClient, rawSocket, waitFor, type TestClient } from "./client";

let app: RunningServer;
const clients: TestClient[] = [];
const track = (c: TestClient) => (clients.push(c), c);

beforeAll(async () => {
  app = await startServer({ collab: { maxPayloadBytes: 256 * 1024 } });
});
// Each test's clients end with it: every live y-websocket provider holds a process "exit"
// listener, and fifteen at once trip Node's MaxListenersExceededWarning.
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await app.close();
});

async function setup() {
  const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
  const court = await buildOrg({ kind: "COURT" });
  const observer = await buildOrg({ kind: "ENFORCEMENT_AGENCY" });
  const drafter = await buildUser({ org: owner, role: "DRAFTER", displayName: "起草人甲" });
  const liaison = await buildUser({ org: court, role: "LIAISON", displayName: "法院联络员" });
  const watcher = await buildUser({ org: observer, role: "DRAFTER", displayName: "列席单位" });
  const stranger = await buildUser({ role: "DRAFTER" });
  const doc = await buildDocument({
    ownerOrg: owner,
    createdById: drafter.id,
    members: [
      { orgId: court.id, access: "WRITE" },
      { orgId: observer.id, access: "READ" },
    ],
  });
  return {
    doc,
    courtId: court.id,
    observerId: observer.id,
    drafter: await buildSessionCookie(drafter.id),
    liaison: await buildSessionCookie(liaison.id),
    watcher: await buildSessionCookie(watcher.id),
    stranger: await buildSessionCookie(stranger.id),
  };
}

function paragraph(doc: Y.Doc, text: string) {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("default").push([p]);
}

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

describe("collab server", () => {
  it("two clients converge (text and state vector); a late joiner gets the full state", async () => {
    const s = await setup();
    const a = track(connectClient(app.origin, s.doc.id, s.drafter));
    const b = track(connectClient(app.origin, s.doc.id, s.liaison));
    await Promise.all([a.synced(), b.synced()]);
    a.type("司法局：");
    b.type("法院：");
    for (let i = 0; i < 20; i++) (i % 2 ? a : b).type(`${i},`);
    await waitFor(() => a.text() === b.text() && a.text().length > 40, 5000, "convergence");
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
    const late = track(connectClient(app.origin, s.doc.id, s.watcher));
    await late.synced();
    await waitFor(() => late.text() === a.text(), 3000, "late joiner");
  });

  it("refuses with 4401 without a session, 4403 for a non-member, 4404 for an unknown document", async () => {
    const s = await setup();
    expect((await rawSocket(app.origin, s.doc.id).closed).code).toBe(CloseCode.UNAUTHENTICATED);
    expect((await rawSocket(app.origin, s.doc.id, "consult_session=forged").closed).code).toBe(
      CloseCode.UNAUTHENTICATED,
    );
    expect((await rawSocket(app.origin, s.doc.id, s.stranger).closed).code).toBe(CloseCode.FORBIDDEN);
    expect((await rawSocket(app.origin, "no-such-document", s.drafter).closed).code).toBe(CloseCode.NOT_FOUND);
    expect((await rawSocket(app.origin, "bad%20id!", s.drafter).closed).code).toBe(CloseCode.NOT_FOUND);
  });

  it("a read-only member receives updates but its own are refused, never applied nor stored", async () => {
    const s = await setup();
    const writer = track(connectClient(app.origin, s.doc.id, s.drafter));
    const reader = track(connectClient(app.origin, s.doc.id, s.watcher));
    await Promise.all([writer.synced(), reader.synced()]);
    writer.type("正文");
    await waitFor(() => reader.text() === "正文", 3000, "reader receives");
    reader.type("篡改");
    await new Promise((r) => setTimeout(r, 700));
    expect(writer.text()).toBe("正文");
    const late = track(connectClient(app.origin, s.doc.id, s.liaison));
    await late.synced();
    await waitFor(() => late.text() === "正文", 2000, "late joiner sees only writer text");
    const rows = await getDb().documentUpdate.findMany({ where: { documentId: s.doc.id }, select: { data: true } });
    const stored = new Y.Doc();
    for (const r of rows) Y.applyUpdate(stored, new Uint8Array(r.data));
    expect(stored.getText("t").toString()).toBe("正文");
    // The reader's connection stays open: refusal is not an error of the connection.
    expect(reader.provider.wsconnected).toBe(true);
  });

  it("malformed, truncated and oversized frames close only that connection; others keep working", async () => {
    const s = await setup();
    const good = track(connectClient(app.origin, s.doc.id, s.drafter));
    await good.synced();
    good.type("保持");
    const bad = [
      new Uint8Array([99]), // unknown message type
      new Uint8Array([0, 2, 50, 1, 2]), // update whose length runs past the frame
      frame((e) => {
        encoding.writeVarUint(e, 0);
        syncProtocol.writeUpdate(e, new Uint8Array([1, 250, 255, 255, 255, 15, 0, 7]));
      }), // garbage Yjs update
      new Uint8Array([1, 200]), // truncated awareness
      new Uint8Array(300 * 1024), // over maxPayload
    ];
    const codes: number[] = [];
    for (const data of bad) {
      const { ws, opened, closed } = rawSocket(app.origin, s.doc.id, s.drafter);
      await opened;
      ws.send(data);
      codes.push((await closed).code);
    }
    expect(codes).toEqual([
      CloseCode.MALFORMED,
      CloseCode.MALFORMED,
      CloseCode.MALFORMED,
      CloseCode.MALFORMED,
      CloseCode.TOO_BIG,
    ]);
    good.type("服务");
    const other = track(connectClient(app.origin, s.doc.id, s.liaison));
    await other.synced();
    await waitFor(() => other.text() === "保持服务", 3000, "document intact");
    expect(good.provider.wsconnected).toBe(true);
  });

  it("stores the Yjs log and compacts it with derived JSON and text when the last client leaves", async () => {
    const s = await setup();
    const a = track(connectClient(app.origin, s.doc.id, s.drafter));
    await a.synced();
    paragraph(a.doc, "一、会议概况");
    paragraph(a.doc, "会议由市司法局主持。");
    await waitFor(
      async () => (await getDb().documentUpdate.count({ where: { documentId: s.doc.id } })) > 0,
      3000,
      "log append",
    );
    a.provider.disconnect();
    await waitFor(
      async () => (await getDb().documentSnapshot.findUnique({ where: { documentId: s.doc.id } })) !== null,
      3000,
      "snapshot",
    );
    const snap = await getDb().documentSnapshot.findUnique({ where: { documentId: s.doc.id } });
    expect(snap!.text).toBe("一、会议概况\n会议由市司法局主持。");
    expect(JSON.parse(snap!.json)).toMatchObject({
      type: "doc",
      content: [{ type: "paragraph" }, { type: "paragraph" }],
    });
    expect(await getDb().documentUpdate.count({ where: { documentId: s.doc.id } })).toBe(0);
    const restored = new Y.Doc();
    Y.applyUpdate(restored, new Uint8Array(snap!.state));
    expect(createDeriver()(restored).text).toBe(snap!.text);
    // Unloaded from memory once stored (after the other store hooks, e.g. the automatic version).
    await waitFor(() => !app.server.collab.stats().documentIds.includes(s.doc.id), 3000, "unloaded");
    expect(await getDb().documentVersion.count({ where: { documentId: s.doc.id, kind: "AUTO" } })).toBe(1);
  });

  it("closes open connections with 4205 when access changes, and reconnects them read-only", async () => {
    const s = await setup();
    const a = track(connectClient(app.origin, s.doc.id, s.drafter));
    const b = track(connectClient(app.origin, s.doc.id, s.liaison));
    await Promise.all([a.synced(), b.synced()]);
    a.type("定稿前");
    await waitFor(() => b.text() === "定稿前", 3000, "sync");
    await getDb().document.update({ where: { id: s.doc.id }, data: { status: "FINALIZED" } });
    app.server.collab.closeDocumentConnections(s.doc.id, CloseCode.ACCESS_CHANGED, "finalized");
    await waitFor(() => a.closes.some((c) => c.code === CloseCode.ACCESS_CHANGED), 3000, "4205");
    await waitFor(() => a.provider.wsconnected && a.provider.synced, 5000, "reconnected");
    a.type("定稿后");
    await new Promise((r) => setTimeout(r, 600));
    const check = track(connectClient(app.origin, s.doc.id, s.liaison));
    await check.synced();
    await new Promise((r) => setTimeout(r, 200));
    expect(check.text()).toBe("定稿前");
  });

  it("removing a member org in the app cuts its open editor off (4205, then 4403 on reconnect); a downgrade makes it read-only", async () => {
    const s = await setup();
    const drafter = track(connectClient(app.origin, s.doc.id, s.drafter));
    const court = track(connectClient(app.origin, s.doc.id, s.liaison));
    const watcher = track(connectClient(app.origin, s.doc.id, s.watcher));
    await Promise.all([drafter.synced(), court.synced(), watcher.synced()]);
    // A liaison of the court may not change members.
    const refused = await app.request(`/documents/${s.doc.id}`, {
      cookie: s.liaison,
      form: { [`member.${s.courtId}`]: "WRITE", [`member.${s.observerId}`]: "WRITE" },
    });
    expect(refused.status).toBe(403);
    // Bad input: an unknown access value and a made-up org.
    expect(
      (await app.request(`/documents/${s.doc.id}`, { cookie: s.drafter, form: { [`member.${s.courtId}`]: "OWNER" } }))
        .status,
    ).toBe(400);
    expect(
      (
        await app.request(`/documents/${s.doc.id}`, {
          cookie: s.drafter,
          form: { addOrgId: "no-such-org", addAccess: "WRITE" },
        })
      ).status,
    ).toBe(400);

    const res = await app.request(`/documents/${s.doc.id}`, {
      cookie: s.drafter,
      form: { [`member.${s.courtId}`]: "REMOVE", [`member.${s.observerId}`]: "READ" },
    });
    expect(res.status).toBe(302);
    await waitFor(() => court.closes.some((c) => c.code === CloseCode.ACCESS_CHANGED), 3000, "4205 to the court");
    await waitFor(() => court.closes.some((c) => c.code === CloseCode.FORBIDDEN), 5000, "4403 on reconnect");
    expect(await getDb().auditEvent.count({ where: { action: "document.members_changed", targetId: s.doc.id } })).toBe(
      1,
    );
    // The drafter stays a writer after its own reconnect.
    await waitFor(() => drafter.provider.wsconnected && drafter.provider.synced, 5000, "drafter back");
    drafter.type("继续起草");
    await waitFor(() => watcher.text() === "继续起草", 5000, "watcher still reads");
  });
});
