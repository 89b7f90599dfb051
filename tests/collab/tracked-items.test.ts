import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import type { DomainEvent } from "~/domain/events";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { connectClient, waitFor, type TestClient } from "./client";

let app: RunningServer;
const clients: TestClient[] = [];
const events: DomainEvent[] = [];
beforeAll(async () => {
  app = await startServer();
  app.server.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await app.close();
});

describe("tracked items derived by the collab server", () => {
  it("insert, edit, delete and undo of a trackedItem node in the live Yjs document produce the right rows, and open editors are told", async () => {
    const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
    const lead = await buildOrg({ kind: "ENFORCEMENT_AGENCY" });
    const drafter = await buildUser({ org: owner, role: "DRAFTER" });
    const doc = await buildDocument({ ownerOrg: owner, createdById: drafter.id });
    const client = connectClient(app.origin, doc.id, await buildSessionCookie(drafter.id));
    clients.push(client);
    await client.synced();
    const fragment = client.doc.getXmlFragment("default");
    const undo = new Y.UndoManager(fragment, { captureTimeout: 0 });
    const itemId = `live${Date.now().toString(36)}`;
    const text = new Y.XmlText("建立联合检查机制");
    client.doc.transact(() => {
      const node = new Y.XmlElement("trackedItem");
      node.setAttribute("itemId", itemId);
      node.setAttribute("leadOrgId", lead.id);
      node.setAttribute("supportingOrgIds", "");
      node.setAttribute("dueDate", new Date(Date.now() + 30 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10));
      node.setAttribute("feedbackCycle", "MONTHLY");
      node.insert(0, [text]);
      fragment.push([node]);
    });
    const row = () =>
      getDb().trackedItem.findUnique({
        where: { id: itemId },
        select: { status: true, wording: true, leadOrgId: true, feedbackCycle: true },
      });
    await waitFor(async () => (await row()) !== null, 8000, "row created");
    expect(await row()).toMatchObject({
      status: "DRAFT",
      wording: "建立联合检查机制",
      leadOrgId: lead.id,
      feedbackCycle: "MONTHLY",
    });
    await waitFor(
      () => events.some((e) => e.type === "item.status_changed" && e.itemId === itemId && e.status === "DRAFT"),
      3000,
      "editors told",
    );

    // Edit the wording.
    undo.stopCapturing();
    text.insert(8, "，按月通报");
    await waitFor(async () => (await row())?.wording === "建立联合检查机制，按月通报", 8000, "row updated");
    // Delete the block, then undo the deletion.
    undo.stopCapturing();
    fragment.delete(fragment.length - 1, 1);
    await waitFor(async () => (await row())?.status === "REMOVED", 8000, "row removed");
    undo.undo();
    await waitFor(async () => (await row())?.status === "DRAFT", 8000, "row back after undo");
    expect((await row())!.wording).toBe("建立联合检查机制，按月通报");
  }, 60_000);
});
