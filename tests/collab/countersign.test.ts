import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { CloseCode } from "../../app/protocol/collab";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { connectClient, waitFor, type TestClient } from "./client";

let app: RunningServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await app.close();
});

describe("countersign (会签)", () => {
  it("freezes a version, a return reopens drafting, the next round approved by all finalizes with the version's SHA-256; finalized is immutable", async () => {
    const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
    const court = await buildOrg({ kind: "COURT" });
    const agency = await buildOrg({ kind: "ENFORCEMENT_AGENCY" });
    const stranger = await buildOrg({ kind: "PROCURATORATE" });
    const drafter = await buildUser({ org: owner, role: "DRAFTER" });
    const courtDrafter = await buildUser({ org: court, role: "DRAFTER" });
    const courtViewer = await buildUser({ org: court, role: "VIEWER" });
    const agencyCoord = await buildUser({ org: agency, role: "COORDINATOR" });
    const strangerUser = await buildUser({ org: stranger, role: "COORDINATOR" });
    const doc = await buildDocument({
      ownerOrg: owner,
      createdById: drafter.id,
      members: [
        { orgId: court.id, access: "WRITE" },
        { orgId: agency.id, access: "WRITE" },
      ],
    });
    const c = {
      drafter: await buildSessionCookie(drafter.id),
      court: await buildSessionCookie(courtDrafter.id),
      courtViewer: await buildSessionCookie(courtViewer.id),
      agency: await buildSessionCookie(agencyCoord.id),
      stranger: await buildSessionCookie(strangerUser.id),
    };
    const post = (cookie: string, form: Record<string, string>) =>
      app.request(`/documents/${doc.id}`, { cookie, form });

    const writer = connectClient(app.origin, doc.id, c.drafter);
    clients.push(writer);
    await writer.synced();
    writer.type("会签前的正文");
    // Only the owner's drafter may request; a court drafter may not.
    expect((await post(c.court, { intent: "requestCountersign" })).status).toBe(403);
    const requested = await post(c.drafter, { intent: "requestCountersign" });
    expect(requested.status).toBe(302);
    let row = await getDb().document.findUnique({ where: { id: doc.id }, select: { status: true } });
    expect(row!.status).toBe("COUNTERSIGNING");
    const v1 = await getDb().documentVersion.findFirst({
      where: { documentId: doc.id },
      select: { json: true, sha256: true, state: true },
    });
    expect(v1!.sha256).toBe(createHash("sha256").update(v1!.json).digest("hex"));
    // The open editor was re-authorized: read-only now, its edits are refused and not stored.
    await waitFor(() => writer.closes.some((x) => x.code === CloseCode.ACCESS_CHANGED), 3000, "4205");
    await waitFor(() => writer.provider.synced, 5000, "reconnected");
    writer.type("会签中擅自修改");
    await new Promise((r) => setTimeout(r, 700));
    const check = connectClient(app.origin, doc.id, c.agency);
    clients.push(check);
    await check.synced();
    await new Promise((r) => setTimeout(r, 200));
    expect(check.text()).toBe("会签前的正文");
    // The refused edit stays in that client's own memory (its editor is read-only in the browser); closing it
    // keeps it from syncing that local text back once drafting reopens and its access is writable again.
    writer.destroy();

    // Bad decisions: a return without a comment, a viewer, an org not in the list.
    expect((await post(c.court, { intent: "return", comment: "" })).status).toBe(400);
    expect((await post(c.courtViewer, { intent: "approve" })).status).toBe(403);
    expect((await post(c.stranger, { intent: "approve" })).status).toBe(403);
    // The court returns it with a comment: drafting reopens.
    expect((await post(c.court, { intent: "return", comment: "请补充移送时限" })).status).toBe(302);
    row = await getDb().document.findUnique({ where: { id: doc.id }, select: { status: true } });
    expect(row!.status).toBe("DRAFT");
    expect((await post(c.agency, { intent: "approve" })).status).toBe(409);

    // After an edit, the next round is approved by all.
    const editor = connectClient(app.origin, doc.id, c.drafter);
    clients.push(editor);
    await editor.synced();
    await waitFor(() => editor.text() === "会签前的正文", 3000, "state");
    editor.type("（已补充：三日内移送）");
    await new Promise((r) => setTimeout(r, 300));
    expect((await post(c.drafter, { intent: "requestCountersign" })).status).toBe(302);
    expect((await post(c.court, { intent: "approve" })).status).toBe(302);
    // A second approval by the same org is refused in Chinese.
    const twice = await post(c.court, { intent: "approve" });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("不能重复提交");
    expect((await post(c.agency, { intent: "approve", comment: "同意" })).status).toBe(302);

    const finalDoc = await getDb().document.findUnique({
      where: { id: doc.id },
      select: { status: true, finalHash: true, finalVersionId: true },
    });
    expect(finalDoc!.status).toBe("FINALIZED");
    const v2 = await getDb().documentVersion.findUnique({
      where: { id: finalDoc!.finalVersionId! },
      select: { number: true, sha256: true, text: true, json: true },
    });
    expect(v2!.number).toBe(2);
    expect(finalDoc!.finalHash).toBe(v2!.sha256);
    expect(v2!.sha256).toBe(createHash("sha256").update(v2!.json).digest("hex"));
    const page = await (await app.request(`/documents/${doc.id}`, { cookie: c.court })).text();
    expect(page).toContain(v2!.sha256);

    // Immutable everywhere: no new round, no member change, collab read-only.
    expect((await post(c.drafter, { intent: "requestCountersign" })).status).toBe(409);
    expect((await post(c.drafter, { intent: "members", [`member.${court.id}`]: "READ" })).status).toBe(403);
    const late = connectClient(app.origin, doc.id, c.drafter);
    clients.push(late);
    await late.synced();
    late.type("定稿后修改");
    await new Promise((r) => setTimeout(r, 700));
    const reader = connectClient(app.origin, doc.id, c.agency);
    clients.push(reader);
    await reader.synced();
    await new Promise((r) => setTimeout(r, 200));
    expect(reader.text()).not.toContain("定稿后修改");
    const actions = (await getDb().auditEvent.findMany({ where: { targetId: doc.id }, select: { action: true } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "document.countersign_requested",
        "document.countersign_returned",
        "document.countersign_approved",
        "document.finalized",
      ]),
    );
  }, 30_000);
});
