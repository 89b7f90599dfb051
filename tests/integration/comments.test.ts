import { absolutePositionToRelativePosition, initProseMirrorDoc } from "@tiptap/y-tiptap";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { createDeriver } from "../../app/editor/schema/derive";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * 批注 through the real server (issue 19, ADR 017): threads anchored by the server in the shared
 * text, attributed to person and unit, replies, resolution, mentions; a COMMENT member comments but
 * cannot edit; READ members and outsiders cannot; bad input changes nothing.
 */
let app: RunningServer;
const clients: TestClient[] = [];
const schema = editorSchema();
const derive = createDeriver();

beforeAll(async () => {
  app = await startServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await app.close();
});

async function world() {
  const region = await buildRegion();
  const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region, name: `市司法局${Date.now()}` });
  const court = await buildOrg({ kind: "COURT", region, name: `中院${Date.now()}` });
  const observer = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region });
  const drafter = await buildUser({ org: bureau, role: "DRAFTER", displayName: "张伟" });
  const liaison = await buildUser({ org: court, role: "LIAISON", displayName: "陈静" });
  const watcher = await buildUser({ org: observer, role: "DRAFTER", displayName: "列席人" });
  const stranger = await buildUser({ role: "DRAFTER" });
  const doc = await buildDocument({
    ownerOrg: bureau,
    createdById: drafter.id,
    members: [
      { orgId: court.id, access: "COMMENT" },
      { orgId: observer.id, access: "READ" },
    ],
  });
  const cookies = {
    drafter: await buildSessionCookie(drafter.id),
    liaison: await buildSessionCookie(liaison.id),
    watcher: await buildSessionCookie(watcher.id),
    stranger: await buildSessionCookie(stranger.id),
  };
  return { bureau, court, watcherOrg: observer, drafter, liaison, watcher, doc, cookies };
}

/** The drafter writes a paragraph; returns the drafter's client. */
async function withText(w: Awaited<ReturnType<typeof world>>, text: string) {
  const client = connectClient(app.origin, w.doc.id, w.cookies.drafter);
  clients.push(client);
  await client.synced();
  client.doc.transact(() => {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(text)]);
    client.doc.getXmlFragment(YJS_FRAGMENT).push([p]);
  });
  return client;
}

/** A selection of `quote` in the client's copy, as the browser sends it. */
function selectionOf(doc: Y.Doc, quote: string) {
  const fragment = doc.getXmlFragment(YJS_FRAGMENT);
  const { doc: pm, mapping } = initProseMirrorDoc(fragment, schema);
  let from = -1;
  pm.descendants((node, pos) => {
    if (from < 0 && node.isText && node.text?.includes(quote)) from = pos + (node.text?.indexOf(quote) ?? 0);
    return from < 0;
  });
  const rel = (pos: number) =>
    JSON.stringify(Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, fragment, mapping)));
  return { anchor: rel(from), head: rel(from + quote.length), quote };
}

const post = (id: string, cookie: string, form: Record<string, string>) =>
  app.request(`/documents/${id}/comments`, { cookie, form });
const threadsOf = async (id: string, cookie: string) =>
  (await (await app.request(`/documents/${id}/comments`, { cookie })).json()) as {
    threads: Array<{
      id: string;
      quote: string;
      status: string;
      anchored: boolean;
      org: { name: string } | null;
      comments: Array<{ body: string | null }>;
    }>;
    abilities: { open: boolean };
  };

/** The text each thread's mark covers in a client's copy. */
function marked(doc: Y.Doc): Record<string, string> {
  const out: Record<string, string> = {};
  type N = { text?: string; marks?: Array<{ type: string; attrs?: { threadId?: string } }>; content?: N[] };
  const visit = (n: N) => {
    for (const m of n.marks ?? [])
      if (m.type === "comment" && m.attrs?.threadId)
        out[m.attrs.threadId] = (out[m.attrs.threadId] ?? "") + (n.text ?? "");
    n.content?.forEach(visit);
  };
  visit(derive(doc).json as N);
  return out;
}

describe("comments (批注)", () => {
  it("a COMMENT member comments on a sentence with a mention; the mark reaches every editor; the drafter replies and resolves", async () => {
    const w = await world();
    const drafterEditor = await withText(w, "会议议定：三个月内完成整改并报送进展。");
    const liaisonEditor = connectClient(app.origin, w.doc.id, w.cookies.liaison);
    clients.push(liaisonEditor);
    await liaisonEditor.synced();
    await waitFor(() => liaisonEditor.doc.getXmlFragment(YJS_FRAGMENT).length > 0, 3000, "text reached the liaison");

    const opened = await post(w.doc.id, w.cookies.liaison, {
      intent: "open",
      ...selectionOf(liaisonEditor.doc, "三个月"),
      body: "建议将“三个月”改为“两个月”。",
      mentionUser: w.drafter.id,
    });
    expect(opened.status).toBe(200);
    const { threadId } = (await opened.json()) as { threadId: string };
    await waitFor(() => marked(drafterEditor.doc)[threadId] === "三个月", 2000, "the anchor in the drafter's editor");

    const notification = await getDb().notification.findFirst({
      where: { userId: w.drafter.id, kind: "comment.mention" },
    });
    expect(notification?.link).toBe(`/documents/${w.doc.id}?thread=${threadId}`);
    const listed = await threadsOf(w.doc.id, w.cookies.drafter);
    expect(listed.threads).toMatchObject([
      { id: threadId, quote: "三个月", status: "OPEN", org: { name: w.court.name } },
    ]);

    expect(
      (await post(w.doc.id, w.cookies.drafter, { intent: "reply", threadId, body: "同意，已修改。" })).status,
    ).toBe(200);
    expect((await post(w.doc.id, w.cookies.drafter, { intent: "resolve", threadId })).status).toBe(200);
    expect((await threadsOf(w.doc.id, w.cookies.liaison)).threads[0]).toMatchObject({
      status: "RESOLVED",
      comments: [{}, { body: "同意，已修改。" }],
    });
    const audit = await getDb().auditEvent.findMany({
      where: { targetId: w.doc.id, action: { startsWith: "comment." } },
      select: { action: true },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(["comment.created", "comment.replied", "comment.resolved"]);

    // The anchor follows edits before and inside it.
    const text = (drafterEditor.doc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, "经研究，");
    text.insert(4 + 5 + 1, "（个）");
    await waitFor(() => marked(liaisonEditor.doc)[threadId] === "三（个）个月", 2000, "anchor follows the edits");
  });

  it("a COMMENT connection cannot change the text; READ members and outsiders cannot comment or see threads", async () => {
    const w = await world();
    await withText(w, "正文内容");
    const liaisonEditor = connectClient(app.origin, w.doc.id, w.cookies.liaison);
    clients.push(liaisonEditor);
    await liaisonEditor.synced();
    expect(app.server.collab.connections().find((c) => c.identity.userId === w.liaison.id)?.identity.readOnly).toBe(
      true,
    );
    // Its text updates are refused: the drafter never sees them and nothing is stored.
    liaisonEditor.doc.transact(() => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText("法院擅自加入的段落")]);
      liaisonEditor.doc.getXmlFragment(YJS_FRAGMENT).push([p]);
    });
    await new Promise((r) => setTimeout(r, 400));
    await app.server.collab.storeDocument(w.doc.id);
    const drafterView = connectClient(app.origin, w.doc.id, w.cookies.drafter);
    clients.push(drafterView);
    await drafterView.synced();
    expect(drafterView.doc.getXmlFragment(YJS_FRAGMENT).toString()).not.toContain("法院擅自加入");
    const stored = await getDb().documentSnapshot.findUnique({
      where: { documentId: w.doc.id },
      select: { text: true },
    });
    expect(stored?.text ?? "").not.toContain("法院擅自加入");

    const watcher = connectClient(app.origin, w.doc.id, w.cookies.watcher);
    clients.push(watcher);
    await watcher.synced();
    await waitFor(() => watcher.doc.getXmlFragment(YJS_FRAGMENT).length > 0, 3000, "text reached the watcher");
    const sel = selectionOf(watcher.doc, "正文");
    expect((await post(w.doc.id, w.cookies.watcher, { intent: "open", ...sel, body: "意见" })).status).toBe(403);
    expect((await threadsOf(w.doc.id, w.cookies.watcher)).abilities.open).toBe(false);
    expect([403, 404]).toContain(
      (await app.request(`/documents/${w.doc.id}/comments`, { cookie: w.cookies.stranger })).status,
    );
    expect([403, 404]).toContain(
      (await post(w.doc.id, w.cookies.stranger, { intent: "open", ...sel, body: "意见" })).status,
    );
    expect(await getDb().commentThread.count({ where: { documentId: w.doc.id } })).toBe(0);
  });

  it("refuses bad input in Chinese and stores nothing", async () => {
    const w = await world();
    const editor = await withText(w, "第一句。第二句。");
    const other = await buildDocument({ ownerOrg: w.bureau, createdById: w.drafter.id });
    const sel = selectionOf(editor.doc, "第一句");
    const cases: Array<[Record<string, string>, number]> = [
      [{ intent: "open", ...sel, body: "" }, 400],
      [{ intent: "open", ...sel, body: "长".repeat(5000) }, 400],
      [{ intent: "open", ...sel, quote: "不是这段", body: "意见" }, 409],
      [{ intent: "open", anchor: "{bad json", head: sel.head, quote: sel.quote, body: "意见" }, 400],
      [
        {
          intent: "open",
          anchor: JSON.stringify({ type: null, tname: null, item: { client: 1, clock: 99 }, assoc: 0 }),
          head: sel.head,
          quote: sel.quote,
          body: "意见",
        },
        409,
      ],
      [{ intent: "open", ...sel, body: "意见", mentionUser: (await buildUser({ role: "DRAFTER" })).id }, 400],
      [{ intent: "reply", threadId: "nosuchthread", body: "回复" }, 404],
      [{ intent: "drop" }, 400],
    ];
    for (const [form, status] of cases) {
      const res = await post(w.doc.id, w.cookies.drafter, form);
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(status);
      const body = (await res.json()) as { ok: boolean; error: string };
      expect(body.ok).toBe(false);
      expect(body.error).toMatch(/[\u4e00-\u9fff]/);
    }
    // A thread of another document is not found through this one.
    const opened = await post(w.doc.id, w.cookies.drafter, { intent: "open", ...sel, body: "意见" });
    const { threadId } = (await opened.json()) as { threadId: string };
    expect((await post(other.id, w.cookies.drafter, { intent: "resolve", threadId })).status).toBe(404);
    expect(await getDb().commentThread.count({ where: { documentId: w.doc.id } })).toBe(1);
  });

  it("a thread whose text is deleted stays, marked 原文已删除, with its quote", async () => {
    const w = await world();
    const editor = await withText(w, "要删除的句子。保留的句子。");
    const opened = await post(w.doc.id, w.cookies.drafter, {
      intent: "open",
      ...selectionOf(editor.doc, "要删除的句子"),
      body: "这句可删",
    });
    const { threadId } = (await opened.json()) as { threadId: string };
    await waitFor(() => marked(editor.doc)[threadId] === "要删除的句子", 2000, "anchor");
    const text = (editor.doc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.delete(0, 7);
    editor.destroy();
    await waitFor(
      async () => (await threadsOf(w.doc.id, w.cookies.drafter)).threads[0]?.anchored === false,
      8000,
      "原文已删除",
    );
    expect((await threadsOf(w.doc.id, w.cookies.drafter)).threads[0]).toMatchObject({
      quote: "要删除的句子",
      status: "OPEN",
    });
  });

  it("the drafting unit grants 可批注 in the member dialog; the unit may then comment but still not edit", async () => {
    const w = await world();
    await withText(w, "第一句。");
    const page = await app.request(`/documents/${w.doc.id}`, { cookie: w.cookies.drafter });
    expect(await page.text()).toContain("可批注");
    const granted = await app.request(`/documents/${w.doc.id}`, {
      cookie: w.cookies.drafter,
      form: { intent: "members", [`member.${w.court.id}`]: "COMMENT", [`member.${w.watcherOrg.id}`]: "COMMENT" },
    });
    expect(granted.status).toBeLessThan(400);
    const access = await getDb().documentMember.findFirst({
      where: { documentId: w.doc.id, orgId: w.watcherOrg.id },
      select: { access: true },
    });
    expect(access?.access).toBe("COMMENT");
    expect(
      await getDb().auditEvent.count({
        where: { action: "document.members_changed", targetId: w.doc.id, summary: { contains: "可批注" } },
      }),
    ).toBe(1);
    const watcher = connectClient(app.origin, w.doc.id, w.cookies.watcher);
    clients.push(watcher);
    await watcher.synced();
    await waitFor(() => watcher.doc.getXmlFragment(YJS_FRAGMENT).length > 0, 3000, "text reached the watcher");
    expect(app.server.collab.connections().find((c) => c.identity.userId === w.watcher.id)?.identity.readOnly).toBe(
      true,
    );
    const sel = selectionOf(watcher.doc, "第一句");
    expect((await post(w.doc.id, w.cookies.watcher, { intent: "open", ...sel, body: "建议补充依据。" })).status).toBe(
      200,
    );
    const refused = await app.request(`/documents/${w.doc.id}`, {
      cookie: w.cookies.drafter,
      form: { intent: "members", [`member.${w.court.id}`]: "OWNER" },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("权限选择无效");
  });

  it("countersign with open threads lists them and needs a confirmation; each unit's open threads show in the panel", async () => {
    const w = await world();
    const editor = await withText(w, "第一条：明确责任分工。");
    const opened = await post(w.doc.id, w.cookies.liaison, {
      intent: "open",
      ...selectionOf(editor.doc, "责任分工"),
      body: "建议写明牵头单位。",
    });
    expect(opened.status).toBe(200);
    await app.request(`/documents/${w.doc.id}`, {
      cookie: w.cookies.drafter,
      form: { intent: "members", [`member.${w.court.id}`]: "WRITE" },
    });
    const page = await (await app.request(`/documents/${w.doc.id}`, { cookie: w.cookies.drafter })).text();
    expect(page).toContain("尚有 1 条未解决的批注");
    expect(page).toContain("仍要发起会签");

    const refused = await app.request(`/documents/${w.doc.id}`, {
      cookie: w.cookies.drafter,
      form: { intent: "requestCountersign" },
    });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(`尚有 1 条未解决的批注：「责任分工」（${w.court.name}）`);
    expect((await getDb().document.findUnique({ where: { id: w.doc.id } }))?.status).toBe("DRAFT");

    const confirmed = await app.request(`/documents/${w.doc.id}`, {
      cookie: w.cookies.drafter,
      form: { intent: "requestCountersign", confirmOpenThreads: "on" },
    });
    expect(confirmed.status).toBe(302);
    expect((await getDb().document.findUnique({ where: { id: w.doc.id } }))?.status).toBe("COUNTERSIGNING");
    const panel = await (await app.request(`/documents/${w.doc.id}`, { cookie: w.cookies.liaison })).text();
    expect(panel).toContain("未解决批注 1 条");
    // The frozen version's page lists the thread that was open at that version.
    const frozen = await getDb().documentVersion.findFirst({
      where: { documentId: w.doc.id, kind: "COUNTERSIGN" },
      select: { number: true },
    });
    const versionPage = await (
      await app.request(`/documents/${w.doc.id}/versions/${frozen!.number}`, { cookie: w.cookies.liaison })
    ).text();
    expect(versionPage.match(/本版期间[^<]*/)?.[0]).toBe("本版期间未解决的批注（1）");
    expect(versionPage).toContain("建议写明牵头单位。");
    expect(
      await getDb().auditEvent.count({
        where: { action: "document.countersign_requested", targetId: w.doc.id, summary: { contains: "未解决批注" } },
      }),
    ).toBe(1);
  });

  it("a unit returning a version in countersign comments on ranges of the frozen text; the reopened draft has them in place", async () => {
    const w = await world();
    const signer = await buildUser({ org: w.court, role: "DRAFTER", displayName: "法院起草人" });
    const signerCookie = await buildSessionCookie(signer.id);
    const editor = await withText(w, "第二条：建立季度会商机制。");
    await app.request(`/documents/${w.doc.id}`, {
      cookie: w.cookies.drafter,
      form: { intent: "members", [`member.${w.court.id}`]: "WRITE" },
    });
    expect(
      (
        await app.request(`/documents/${w.doc.id}`, {
          cookie: w.cookies.drafter,
          form: { intent: "requestCountersign" },
        })
      ).status,
    ).toBe(302);

    const signerView = connectClient(app.origin, w.doc.id, signerCookie);
    clients.push(signerView);
    await signerView.synced();
    await waitFor(() => signerView.doc.getXmlFragment(YJS_FRAGMENT).length > 0, 3000, "frozen text reached the signer");
    const sel = selectionOf(signerView.doc, "季度会商");
    // The READ unit and the drafting unit (not a signer) cannot comment on the frozen text.
    expect((await post(w.doc.id, w.cookies.watcher, { intent: "open", ...sel, body: "意见" })).status).toBe(403);
    expect((await post(w.doc.id, w.cookies.drafter, { intent: "open", ...sel, body: "意见" })).status).toBe(403);
    const opened = await post(w.doc.id, signerCookie, { intent: "open", ...sel, body: "建议改为“半年会商”。" });
    expect(opened.status).toBe(200);
    const { threadId } = (await opened.json()) as { threadId: string };
    const pending = await getDb().commentThread.findUnique({ where: { id: threadId } });
    expect(pending).toMatchObject({ orgId: w.court.id, quote: "季度会商" });
    expect(pending?.versionId).not.toBeNull();
    expect(marked(editor.doc)[threadId]).toBeUndefined();

    const returned = await app.request(`/documents/${w.doc.id}`, {
      cookie: signerCookie,
      form: { intent: "return", comment: "见正文批注。" },
    });
    expect(returned.status).toBe(302);
    expect((await getDb().document.findUnique({ where: { id: w.doc.id } }))?.status).toBe("DRAFT");
    await waitFor(() => marked(editor.doc)[threadId] === "季度会商", 2000, "the anchor in the reopened draft");
    expect(await getDb().commentThread.findUnique({ where: { id: threadId } })).toMatchObject({
      anchorFrom: null,
      anchored: true,
      status: "OPEN",
    });
  });
});
