import * as encoding from "lib0/encoding";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { CloseCode, MessageType } from "../../app/protocol/collab";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { connectClient, rawSocket, waitFor, type TestClient } from "./client";
import { CRAFTED_CLIENT, craftCrossedUpdate } from "./crafted-update";

let app: RunningServer;
const clients: TestClient[] = [];
const track = (c: TestClient) => (clients.push(c), c);

beforeAll(async () => {
  app = await startServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await app.close();
});

async function setup() {
  const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
  const court = await buildOrg({ kind: "COURT" });
  const drafter = await buildUser({ org: owner, role: "DRAFTER", displayName: "起草人甲" });
  const second = await buildUser({ org: owner, role: "DRAFTER", displayName: "起草人乙" });
  const liaison = await buildUser({ org: court, role: "LIAISON", displayName: "法院联络员" });
  const members = [{ orgId: court.id, access: "WRITE" as const }];
  const doc = await buildDocument({ ownerOrg: owner, createdById: drafter.id, members });
  return {
    doc,
    drafter: await buildSessionCookie(drafter.id),
    second: await buildSessionCookie(second.id),
    liaison: await buildSessionCookie(liaison.id),
  };
}

/** The document as stored: snapshot plus the log after it. */
async function storedDoc(documentId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const snap = await getDb().documentSnapshot.findUnique({ where: { documentId } });
  if (snap) Y.applyUpdate(doc, new Uint8Array(snap.state));
  const rows = await getDb().documentUpdate.findMany({ where: { documentId }, orderBy: { seq: "asc" } });
  for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
  return doc;
}

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const asUpdate = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.SYNC);
    syncProtocol.writeUpdate(e, update);
  });

const asSyncStep2 = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.SYNC);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });

const knowsCrafted = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc)).has(CRAFTED_CLIENT);

describe("collab server: structural integrity of writers' updates", () => {
  for (const [name, wrap] of [
    ["an update", asUpdate],
    ["sync step 2", asSyncStep2],
  ] as const) {
    it(`closes a writer sending a crossed-origins item as ${name} with 4400; the rest stays consistent`, async () => {
      const s = await setup();
      const a = track(connectClient(app.origin, s.doc.id, s.drafter));
      const b = track(connectClient(app.origin, s.doc.id, s.liaison));
      await Promise.all([a.synced(), b.synced()]);
      a.type("会商纪要正文");
      b.type("法院意见");
      await waitFor(() => a.text() === b.text() && a.text().length === 10, 5000, "first convergence");

      const { ws, opened, closed } = rawSocket(app.origin, s.doc.id, s.second);
      await opened;
      ws.send(wrap(craftCrossedUpdate(a.doc)));
      const timeout = new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: -1 }), 3000));
      expect((await Promise.race([closed, timeout])).code).toBe(CloseCode.MALFORMED);

      // The good clients never got it, and keep typing on the same connections.
      a.type("，已核");
      b.type("。");
      await waitFor(() => a.text() === b.text() && a.text().length === 14, 5000, "convergence after the refusal");
      expect(a.text()).not.toContain("✗");
      expect(knowsCrafted(a.doc) || knowsCrafted(b.doc)).toBe(false);
      expect(a.closes).toEqual([]);
      expect(b.closes).toEqual([]);

      const late = track(connectClient(app.origin, s.doc.id, s.second));
      await late.synced();
      await waitFor(() => late.text() === a.text(), 3000, "late joiner sees what the clients see");
      expect(knowsCrafted(late.doc)).toBe(false);

      // Stored: the log and the snapshot written from the document now open.
      await app.server.collab.storeDocument(s.doc.id);
      const stored = await storedDoc(s.doc.id);
      expect(stored.getText("t").toString()).toBe(a.text());
      expect(knowsCrafted(stored)).toBe(false);

      // Everyone leaves (compaction, unload); a new joiner loads the stored state.
      const text = a.text();
      for (const c of clients.splice(0)) c.destroy();
      await waitFor(() => !app.server.collab.stats().documentIds.includes(s.doc.id), 5000, "unloaded");
      const again = track(connectClient(app.origin, s.doc.id, s.liaison));
      await again.synced();
      expect(again.text()).toBe(text);
      expect(knowsCrafted(again.doc)).toBe(false);
    });
  }

  it("holds an update that overtook what it depends on until the same writer's sync step 2 brings it", async () => {
    const s = await setup();
    const a = track(connectClient(app.origin, s.doc.id, s.drafter));
    await a.synced();
    a.type("原文");
    await waitFor(() => app.server.collab.stats().documentIds.includes(s.doc.id), 3000, "open");
    // A writer edited offline; right after reconnecting its next keystroke travels before its sync
    // step 2 with the offline edits.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(a.doc));
    const updates: Uint8Array[] = [];
    offline.on("update", (u: Uint8Array) => updates.push(u));
    offline.getText("t").insert(2, "，离线补充");
    const step2 = Y.encodeStateAsUpdate(offline, Y.encodeStateVector(a.doc));
    offline.getText("t").insert(offline.getText("t").length, "。");
    const { ws, opened, closed } = rawSocket(app.origin, s.doc.id, s.second);
    await opened;
    let code = 0;
    void closed.then((c) => (code = c.code));
    ws.send(asUpdate(updates[1]));
    await new Promise((r) => setTimeout(r, 200));
    expect(a.text()).toBe("原文");
    ws.send(asSyncStep2(step2));
    await waitFor(() => a.text() === "原文，离线补充。", 3000, "both integrated, in order");
    expect(code).toBe(0);
    ws.close();
  });
});
