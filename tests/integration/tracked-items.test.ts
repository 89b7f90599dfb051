import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { activateItems, syncTrackedItems } from "~/models/tracked-item.server";
import type { DomainEvent } from "~/domain/events";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

let app: RunningServer;
const events: DomainEvent[] = [];
beforeAll(async () => {
  app = await startServer();
  app.server.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await app.close();
});

const day = 86_400_000;
const isoDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * day + 8 * 3600_000).toISOString().slice(0, 10);

function item(itemId: string, wording: string, attrs: Record<string, unknown>) {
  return {
    type: "trackedItem",
    attrs: { itemId, feedbackCycle: "NONE", supportingOrgIds: "", ...attrs },
    content: [{ type: "text", text: wording }],
  };
}
const doc = (...nodes: unknown[]) => ({
  type: "doc",
  content: [{ type: "paragraph", content: [{ type: "text", text: "会议议定如下事项：" }] }, ...nodes],
});

async function setup() {
  const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
  const lead = await buildOrg({ kind: "ENFORCEMENT_AGENCY" });
  const support = await buildOrg({ kind: "ENFORCEMENT_AGENCY" });
  const other = await buildOrg({ kind: "ENFORCEMENT_AGENCY" });
  const users = {
    coord: await buildUser({ org: owner, role: "COORDINATOR" }),
    drafter: await buildUser({ org: owner, role: "DRAFTER" }),
    lead: await buildUser({ org: lead, role: "DRAFTER" }),
    leadViewer: await buildUser({ org: lead, role: "VIEWER" }),
    support: await buildUser({ org: support, role: "DRAFTER" }),
    outsider: await buildUser({ org: other, role: "COORDINATOR" }),
  };
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)])),
  ) as Record<keyof typeof users, string>;
  const minutes = await buildDocument({ ownerOrg: owner, createdById: users.drafter.id, title: "事项测试纪要" });
  return { owner, lead, support, other, users, cookies, minutes };
}

describe("tracked items", () => {
  it("derives rows from trackedItem nodes: insert, edit, delete, undo; unknown orgs dropped; a past deadline refused at creation; ids of another document ignored", async () => {
    const s = await setup();
    const db = getDb();
    const a = item("itemAaaaaaaa1", "建立涉企检查统筹机制", {
      leadOrgId: s.lead.id,
      supportingOrgIds: `${s.support.id},no-such-org-id`,
      dueDate: isoDay(30),
      feedbackCycle: "MONTHLY",
    });
    const b = item("itemBbbbbbbb2", "开展联合执法检查", { leadOrgId: s.support.id, dueDate: isoDay(-3) });
    expect(await db.$transaction((tx) => syncTrackedItems(tx, s.minutes.id, doc(a, b)))).toEqual({
      created: 2,
      updated: 0,
      removed: 0,
      appeared: ["itemAaaaaaaa1", "itemBbbbbbbb2"],
    });
    let rows = await db.trackedItem.findMany({
      where: { sourceDocumentId: s.minutes.id },
      orderBy: { number: "asc" },
      select: {
        id: true,
        number: true,
        status: true,
        wording: true,
        leadOrgId: true,
        dueDate: true,
        feedbackCycle: true,
        kind: true,
        orgs: { select: { orgId: true, role: true } },
      },
    });
    expect(rows.map((r) => [r.id, r.number, r.status, r.kind])).toEqual([
      ["itemAaaaaaaa1", 1, "DRAFT", "AGREED_ITEM"],
      ["itemBbbbbbbb2", 2, "DRAFT", "AGREED_ITEM"],
    ]);
    expect(rows[0].orgs).toEqual(
      expect.arrayContaining([
        { orgId: s.lead.id, role: "LEAD" },
        { orgId: s.support.id, role: "SUPPORTING" },
      ]),
    );
    expect(rows[0].orgs).toHaveLength(2);
    expect(rows[0].feedbackCycle).toBe("MONTHLY");
    expect(rows[1].dueDate).toBeNull();

    // Edit the wording and swap the order; delete one; then undo the delete.
    const a2 = { ...a, content: [{ type: "text", text: "建立涉企行政检查统筹机制" }] };
    expect(await db.$transaction((tx) => syncTrackedItems(tx, s.minutes.id, doc(b, a2)))).toMatchObject({ updated: 2 });
    rows = await db.trackedItem.findMany({
      where: { sourceDocumentId: s.minutes.id },
      orderBy: { number: "asc" },
      select: {
        id: true,
        number: true,
        status: true,
        wording: true,
        leadOrgId: true,
        dueDate: true,
        feedbackCycle: true,
        kind: true,
        orgs: { select: { orgId: true, role: true } },
      },
    });
    expect(rows.map((r) => [r.id, r.number, r.wording])).toEqual([
      ["itemBbbbbbbb2", 1, "开展联合执法检查"],
      ["itemAaaaaaaa1", 2, "建立涉企行政检查统筹机制"],
    ]);
    expect(await db.$transaction((tx) => syncTrackedItems(tx, s.minutes.id, doc(a2)))).toMatchObject({ removed: 1 });
    expect((await db.trackedItem.findUnique({ where: { id: "itemBbbbbbbb2" } }))!.status).toBe("REMOVED");
    expect((await db.$transaction((tx) => syncTrackedItems(tx, s.minutes.id, doc(a2, b)))).appeared).toEqual([
      "itemBbbbbbbb2",
    ]);
    expect((await db.trackedItem.findUnique({ where: { id: "itemBbbbbbbb2" } }))!.status).toBe("DRAFT");
    // Unchanged content writes nothing.
    expect(await db.$transaction((tx) => syncTrackedItems(tx, s.minutes.id, doc(a2, b)))).toEqual({
      created: 0,
      updated: 0,
      removed: 0,
      appeared: [],
    });

    // The same id pasted into another document does not move the item.
    const otherDoc = await buildDocument({ ownerOrg: s.owner, createdById: s.users.drafter.id });
    expect(await db.$transaction((tx) => syncTrackedItems(tx, otherDoc.id, doc(a2)))).toEqual({
      created: 0,
      updated: 0,
      removed: 0,
      appeared: [],
    });
    expect((await db.trackedItem.findUnique({ where: { id: "itemAaaaaaaa1" } }))!.sourceDocumentId).toBe(s.minutes.id);

    // Draft items are not tracked: no progress yet, and they are not active until finalization.
    const early = await app.request(`/items/itemAaaaaaaa1`, {
      cookie: s.cookies.lead,
      form: { intent: "extension", newDate: isoDay(60), reason: "需要更多时间" },
    });
    expect(early.status).toBe(403);
    const fd = new FormData();
    fd.set("intent", "progress");
    fd.set("text", "已启动");
    expect(
      (await app.request(`/items/itemAaaaaaaa1`, { cookie: s.cookies.lead, method: "POST", body: fd })).status,
    ).toBe(409);

    // A finalized document's text is frozen: syncing changes nothing.
    await db.document.update({ where: { id: s.minutes.id }, data: { status: "FINALIZED" } });
    expect(await db.$transaction((tx) => syncTrackedItems(tx, s.minutes.id, doc()))).toEqual({
      created: 0,
      updated: 0,
      removed: 0,
      appeared: [],
    });
    expect(await db.$transaction((tx) => activateItems(tx, s.minutes.id))).toEqual(
      expect.arrayContaining(["itemAaaaaaaa1", "itemBbbbbbbb2"]),
    );
    expect((await db.trackedItem.findUnique({ where: { id: "itemAaaaaaaa1" } }))!.status).toBe("NOT_STARTED");
  });

  it("owner orgs report progress with checked attachments, the lead asks for more time, the convening coordinator closes and reopens; everything audited; bad input changes nothing", async () => {
    const s = await setup();
    const db = getDb();
    const id = `itemC${Date.now().toString(36)}`;
    await db.$transaction((tx) =>
      syncTrackedItems(
        tx,
        s.minutes.id,
        doc(
          item(id, "规范涉企行政检查", { leadOrgId: s.lead.id, supportingOrgIds: s.support.id, dueDate: isoDay(20) }),
        ),
      ),
    );
    await db.document.update({ where: { id: s.minutes.id }, data: { status: "FINALIZED" } });
    await db.$transaction((tx) => activateItems(tx, s.minutes.id));
    const url = `/items/${id}`;
    const progress = (
      cookie: string,
      fields: Record<string, string>,
      files: Array<{ name: string; type: string; bytes: Uint8Array }> = [],
    ) => {
      const fd = new FormData();
      fd.set("intent", "progress");
      for (const [k, v] of Object.entries(fields)) fd.set(k, v);
      for (const f of files) fd.append("files", new Blob([f.bytes as BlobPart], { type: f.type }), f.name);
      return app.request(url, { cookie, method: "POST", body: fd });
    };
    const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");

    // Who sees the item.
    expect((await app.request(url, { cookie: s.cookies.outsider })).status).toBe(403);
    expect((await app.request(url, { cookie: s.cookies.leadViewer })).status).toBe(200);
    expect((await app.request(`/items/no-such-item`, { cookie: s.cookies.lead })).status).toBe(404);

    // Bad input: a VIEWER, an outsider, an empty text, a forbidden type, a fake PDF, an oversized file.
    const reportsBefore = await db.progressReport.count({ where: { itemId: id } });
    expect((await progress(s.cookies.leadViewer, { text: "查看者不能报送" })).status).toBe(403);
    expect((await progress(s.cookies.outsider, { text: "外单位" })).status).toBe(403);
    const empty = await progress(s.cookies.lead, { text: "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("进展情况");
    const exe = await progress(s.cookies.lead, { text: "附件" }, [
      { name: "tool.exe", type: "application/octet-stream", bytes: new Uint8Array([77, 90, 1, 2]) },
    ]);
    expect(exe.status).toBe(400);
    expect(await exe.text()).toContain("类型不允许");
    const fake = await progress(s.cookies.lead, { text: "附件" }, [
      { name: "scan.pdf", type: "application/pdf", bytes: new TextEncoder().encode("<script>alert(1)</script>") },
    ]);
    expect(await fake.text()).toContain("内容与扩展名不符");
    const big = new Uint8Array(8 * 1024 * 1024 + 10);
    big.set(pdf);
    const tooBig = await progress(s.cookies.lead, { text: "附件" }, [
      { name: "big.pdf", type: "application/pdf", bytes: big },
    ]);
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toContain("不能超过");
    expect(await db.progressReport.count({ where: { itemId: id } })).toBe(reportsBefore);

    // The supporting org reports; the lead reports done with an attachment whose name tried to escape.
    expect((await progress(s.cookies.support, { text: "配合单位已完成摸排", newStatus: "IN_PROGRESS" })).status).toBe(
      302,
    );
    expect(
      (
        await progress(s.cookies.lead, { text: "统筹机制已建立并印发", newStatus: "DONE" }, [
          { name: "../../etc/通知.pdf", type: "application/pdf", bytes: pdf },
        ])
      ).status,
    ).toBe(302);
    let row = await db.trackedItem.findUniqueOrThrow({
      where: { id },
      select: { status: true, lastProgressText: true },
    });
    expect(row).toMatchObject({ status: "DONE", lastProgressText: "统筹机制已建立并印发" });
    const attachment = await db.attachment.findFirstOrThrow({
      where: { report: { itemId: id } },
      select: { id: true, fileName: true },
    });
    expect(attachment.fileName).toBe("通知.pdf");
    const download = await app.request(`${url}/attachments/${attachment.id}`, { cookie: s.cookies.leadViewer });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);
    expect((await app.request(`${url}/attachments/${attachment.id}`, { cookie: s.cookies.outsider })).status).toBe(403);
    // The live badge is told.
    expect(events).toContainEqual(
      expect.objectContaining({ type: "item.status_changed", itemId: id, status: "DONE", documentId: s.minutes.id }),
    );
    // The convening coordinator was asked to close it.
    expect(await db.notification.count({ where: { userId: s.users.coord.id, kind: "item.done" } })).toBe(1);

    // Only the convening org's coordinator closes: not the drafter, not the lead.
    expect((await app.request(url, { cookie: s.cookies.drafter, form: { intent: "close" } })).status).toBe(403);
    expect((await app.request(url, { cookie: s.cookies.lead, form: { intent: "close" } })).status).toBe(403);
    expect((await app.request(url, { cookie: s.cookies.coord, form: { intent: "close" } })).status).toBe(302);
    expect((await db.trackedItem.findUniqueOrThrow({ where: { id } })).status).toBe("CLOSED");
    // Progress on a closed item is refused; reopening needs a reason.
    const closed = await progress(s.cookies.lead, { text: "补充材料" });
    expect(closed.status).toBe(409);
    expect(await closed.text()).toContain("已销号");
    expect((await app.request(url, { cookie: s.cookies.coord, form: { intent: "reopen" } })).status).toBe(400);
    expect(
      (await app.request(url, { cookie: s.cookies.coord, form: { intent: "reopen", comment: "复查发现问题反弹" } }))
        .status,
    ).toBe(302);
    row = await db.trackedItem.findUniqueOrThrow({ where: { id }, select: { status: true, lastProgressText: true } });
    expect(row.status).toBe("IN_PROGRESS");

    // Extensions: only the lead, before the deadline, to a later date, one pending at a time.
    expect(
      (
        await app.request(url, {
          cookie: s.cookies.support,
          form: { intent: "extension", newDate: isoDay(40), reason: "配合单位申请" },
        })
      ).status,
    ).toBe(403);
    const earlier = await app.request(url, {
      cookie: s.cookies.lead,
      form: { intent: "extension", newDate: isoDay(10), reason: "提前" },
    });
    expect(earlier.status).toBe(400);
    expect(await earlier.text()).toContain("必须晚于当前完成时限");
    expect(
      (
        await app.request(url, {
          cookie: s.cookies.lead,
          form: { intent: "extension", newDate: "2026-02-31x", reason: "格式" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await app.request(url, {
          cookie: s.cookies.lead,
          form: { intent: "extension", newDate: isoDay(45), reason: "需协调省级部门" },
        })
      ).status,
    ).toBe(302);
    expect(
      (
        await app.request(url, {
          cookie: s.cookies.lead,
          form: { intent: "extension", newDate: isoDay(50), reason: "再次申请" },
        })
      ).status,
    ).toBe(409);
    const request = await db.extensionRequest.findFirstOrThrow({
      where: { itemId: id, status: "PENDING" },
      select: { id: true },
    });
    expect(
      (
        await app.request(url, {
          cookie: s.cookies.lead,
          form: { intent: "decideExtension", requestId: request.id, decision: "approve" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await app.request(url, {
          cookie: s.cookies.coord,
          form: { intent: "decideExtension", requestId: request.id, decision: "refuse" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await app.request(url, {
          cookie: s.cookies.coord,
          form: { intent: "decideExtension", requestId: request.id, decision: "approve" },
        })
      ).status,
    ).toBe(302);
    expect((await db.trackedItem.findUniqueOrThrow({ where: { id } })).dueDate!.toISOString().slice(0, 10)).toBe(
      new Date(`${isoDay(45)}T23:59:59.999+08:00`).toISOString().slice(0, 10),
    );

    // After the deadline, no more extensions.
    // Due at the end of yesterday (China time).
    await db.trackedItem.update({ where: { id }, data: { dueDate: new Date(`${isoDay(-1)}T23:59:59.999+08:00`) } });
    const late = await app.request(url, {
      cookie: s.cookies.lead,
      form: { intent: "extension", newDate: isoDay(60), reason: "逾期后申请" },
    });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("已超过完成时限");
    const page = await (await app.request(url, { cookie: s.cookies.coord })).text();
    const plain = page.replace(/<!-- -->/g, "");
    expect(plain).toContain("逾期 1 天");

    const actions = (
      await db.auditEvent.findMany({ where: { targetType: "TrackedItem", targetId: id }, select: { action: true } })
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "item.progress_reported",
        "item.closed",
        "item.reopened",
        "item.extension_requested",
        "item.extension_approved",
      ]),
    );
  });
});
