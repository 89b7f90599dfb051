import { createHash } from "node:crypto";
import JSZip from "jszip";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { addDaysIso, addMonthsIso, chinaDay, endOfChinaDay } from "~/domain/dates";
import { CloseCode } from "../../app/protocol/collab";
import { connectClient, rawSocket, waitFor, type TestClient } from "../collab/client";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * Issue 6: 建议书 (检察建议书…) registered, answered by a co-drafted 整改方案 whose measures are
 * tracked, then a 书面回复 generated from their progress, sent (on time or late) and closed by the
 * issuer. Everything goes through HTTP, the collab WebSocket and socket.io of the real server.
 */
let app: RunningServer;
const clients: TestClient[] = [];
const sockets: Socket[] = [];
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.close();
  await app.close();
});

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const today = () => chinaDay();
const isoDay = (offsetDays: number) => addDaysIso(today(), offsetDays);
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");

/** An x-www-form-urlencoded POST with repeatable fields. */
function postForm(path: string, cookie: string, entries: Array<[string, string]>) {
  const body = new URLSearchParams();
  for (const [k, v] of entries) body.append(k, v);
  return app.request(path, {
    cookie,
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

/** POST /items/:id intent=progress (multipart, as the page's form sends it). */
function reportProgress(itemId: string, cookie: string, text: string, newStatus: "" | "IN_PROGRESS" | "DONE" = "") {
  const fd = new FormData();
  fd.set("intent", "progress");
  fd.set("text", text);
  fd.set("newStatus", newStatus);
  return app.request(`/items/${itemId}`, { cookie, method: "POST", body: fd });
}

type Fields = Record<string, string | string[] | undefined>;
function entriesOf(fields: Fields): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}

/** A city with a procuratorate, the recipient agency, its justice bureau, bystanders, and a province bureau above. */
async function world() {
  const province = await buildRegion({ level: "PROVINCE" });
  const city = await buildRegion({ level: "CITY", parent: province });
  const otherCity = await buildRegion({ level: "CITY", parent: province });
  const procuratorate = await buildOrg({
    kind: "PROCURATORATE",
    region: city,
    name: `示范市人民检察院${city.id.slice(-4)}`,
  });
  const agency = await buildOrg({
    kind: "ENFORCEMENT_AGENCY",
    region: city,
    name: `示范市市场监督管理局${city.id.slice(-4)}`,
  });
  const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: city, name: `示范市司法局${city.id.slice(-4)}` });
  const otherAgency = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: city });
  const court = await buildOrg({ kind: "COURT", region: city });
  const provinceBureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: province });
  const siblingBureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: otherCity });
  const users = {
    liaison: await buildUser({ org: procuratorate, role: "LIAISON" }),
    issuerCoord: await buildUser({ org: procuratorate, role: "COORDINATOR" }),
    drafter: await buildUser({ org: agency, role: "DRAFTER" }),
    bureauDrafter: await buildUser({ org: bureau, role: "DRAFTER" }),
    bureauCoord: await buildUser({ org: bureau, role: "COORDINATOR" }),
    otherAgency: await buildUser({ org: otherAgency, role: "COORDINATOR" }),
    court: await buildUser({ org: court, role: "COORDINATOR" }),
    provinceBureau: await buildUser({ org: provinceBureau, role: "COORDINATOR" }),
    siblingBureau: await buildUser({ org: siblingBureau, role: "COORDINATOR" }),
  };
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)])),
  ) as Record<keyof typeof users, string>;
  return {
    province,
    city,
    procuratorate,
    agency,
    bureau,
    otherAgency,
    court,
    provinceBureau,
    siblingBureau,
    users,
    cookies,
  };
}
type World = Awaited<ReturnType<typeof world>>;

function validForm(w: World, overrides: Fields = {}): Fields {
  return {
    kind: "PROCURATORIAL",
    docNumber: `示检行建〔2026〕${Math.floor(Math.random() * 1e6)}号`,
    title: "关于加强食品经营许可审查工作的检察建议",
    problems: "食品经营许可现场核查流于形式\n对不符合条件的申请人违规发证",
    issuerOrgId: w.procuratorate.id,
    recipientOrgId: w.agency.id,
    issuedOn: isoDay(-7),
    receivedOn: isoDay(-5),
    ...overrides,
  };
}

/** POST /recommendations/new; returns the response and the new id when it redirected. */
async function register(cookie: string, fields: Fields) {
  const res = await postForm("/recommendations/new", cookie, entriesOf(fields));
  const location = res.headers.get("location") ?? "";
  const id = /^\/recommendations\/([A-Za-z0-9_-]+)/.exec(location)?.[1] ?? null;
  return { res, id };
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/**
 * The field errors of a refused registration. A `fetch` without Remix's `.data` suffix is a document
 * request: the form is rendered again (HTML) with the action's `fieldErrors`, under each input
 * (`<p id="f-<field>-error">`) or, for the fields without an input id, in the alert boxes. A JSON
 * answer is read as is.
 */
function fieldErrorsOf(body: string, contentType: string | null): Record<string, string[]> {
  if (contentType?.includes("application/json"))
    return (JSON.parse(body) as { fieldErrors?: Record<string, string[]> }).fieldErrors ?? {};
  const out: Record<string, string[]> = {};
  for (const m of body.matchAll(/<p id="f-([A-Za-z]+)-error"[^>]*>([^<]*)<\/p>/g))
    (out[m[1]] ??= []).push(unescapeHtml(m[2]));
  const alerts = [...body.matchAll(/<div class="[^"]*" role="alert"><p>([^<]*)<\/p>/g)].map((m) => unescapeHtml(m[1]));
  if (alerts.length) for (const name of ["copyOrgIds", "problems", "original", "form"]) out[name] = alerts;
  return out;
}

const recommendation = (id: string) =>
  getDb().recommendation.findUniqueOrThrow({
    where: { id },
    select: {
      status: true,
      planDocumentId: true,
      replyDocumentId: true,
      replyDueDate: true,
      repliedAt: true,
      repliedLate: true,
      closedAt: true,
      copies: { select: { orgId: true } },
    },
  });

const act = (id: string, cookie: string, form: Record<string, string>) =>
  app.request(`/recommendations/${id}`, { cookie, form });

/** Location of a 302, or fails with the body (so a refusal shows its message). */
async function redirected(res: Response): Promise<string> {
  if (res.status !== 302) throw new Error(`expected 302, got ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.headers.get("location") ?? "";
}

/** Creates the plan (recipient drafter) and finalizes it untouched: countersign requested, the 抄送 bureau approves. */
async function finalizePlanAsIs(w: World, id: string): Promise<string> {
  const location = await redirected(await act(id, w.cookies.drafter, { intent: "createPlan" }));
  const planId = location.split("/").pop()!;
  await redirected(
    await app.request(`/documents/${planId}`, { cookie: w.cookies.drafter, form: { intent: "requestCountersign" } }),
  );
  await redirected(
    await app.request(`/documents/${planId}`, { cookie: w.cookies.bureauCoord, form: { intent: "approve" } }),
  );
  return planId;
}

/** The `trackedItem` blocks at the top level of the editor fragment. */
function blocks(fragment: Y.XmlFragment): Y.XmlElement[] {
  return fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "trackedItem");
}

async function openSocket(cookie: string): Promise<Socket> {
  const socket = connectSocket(app.origin, {
    path: "/socket.io/",
    transports: ["websocket"],
    extraHeaders: { Cookie: cookie },
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
const watch = (socket: Socket, documentId: string) =>
  socket.timeout(3000).emitWithAck("document:watch", { documentId }) as Promise<{ ok: boolean; error?: string }>;

describe("recommendations: register → 整改方案 → tracked measures → 书面回复 → 销号", () => {
  it("runs the whole flow through HTTP and the collab server, with the right access at each step and an audit trail", async () => {
    const w = await world();
    const db = getDb();

    // 1. The procuratorate's liaison registers a 检察建议书; 抄送 defaults to the recipient's justice bureau.
    const form = validForm(w);
    const { res, id } = await register(w.cookies.liaison, form);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/recommendations/${id}?done=registered`);
    const recId = id!;
    let rec = await recommendation(recId);
    expect(rec.status).toBe("REGISTERED");
    expect(rec.copies).toEqual([{ orgId: w.bureau.id }]);
    // Default reply period: two months after receipt, to the end of that China day.
    expect(rec.replyDueDate.getTime()).toBe(endOfChinaDay(addMonthsIso(form.receivedOn as string, 2)).getTime());
    // The recipient and the 抄送 bureau were notified.
    expect(
      await db.notification.count({ where: { userId: w.users.drafter.id, kind: "recommendation.registered" } }),
    ).toBe(1);
    expect(
      await db.notification.count({ where: { userId: w.users.bureauCoord.id, kind: "recommendation.registered" } }),
    ).toBe(1);
    for (const cookie of [w.cookies.liaison, w.cookies.drafter, w.cookies.bureauDrafter])
      expect((await app.request(`/recommendations/${recId}`, { cookie })).status).toBe(200);

    // Closing or replying before anything exists is refused.
    expect((await act(recId, w.cookies.issuerCoord, { intent: "close" })).status).toBe(409);
    const tooEarly = await act(recId, w.cookies.drafter, { intent: "prepareReply" });
    expect(tooEarly.status).toBe(409);
    // Only the recipient drafts the plan.
    expect((await act(recId, w.cookies.liaison, { intent: "createPlan" })).status).toBe(403);
    // The deadline is the issuer's to move, with a reason, not before receipt.
    const newDue = addDaysIso(chinaDay(rec.replyDueDate), 15);
    expect(
      (await act(recId, w.cookies.drafter, { intent: "changeReplyDue", replyDue: newDue, reason: "主送单位想延期" }))
        .status,
    ).toBe(403);
    expect(
      (await act(recId, w.cookies.liaison, { intent: "changeReplyDue", replyDue: newDue, reason: "" })).status,
    ).toBe(400);
    expect(
      (await act(recId, w.cookies.liaison, { intent: "changeReplyDue", replyDue: isoDay(-6), reason: "早于收到日期" }))
        .status,
    ).toBe(400);
    expect((await recommendation(recId)).replyDueDate.getTime()).toBe(rec.replyDueDate.getTime());
    expect(
      await redirected(
        await act(recId, w.cookies.liaison, {
          intent: "changeReplyDue",
          replyDue: newDue,
          reason: "整改涉及跨部门协调",
        }),
      ),
    ).toBe(`/recommendations/${recId}?done=due`);
    expect((await recommendation(recId)).replyDueDate.getTime()).toBe(endOfChinaDay(newDue).getTime());

    // 2. The recipient's drafter creates the plan.
    const planLocation = await redirected(await act(recId, w.cookies.drafter, { intent: "createPlan" }));
    expect(planLocation).toMatch(/^\/documents\/[A-Za-z0-9_-]+$/);
    const planId = planLocation.split("/").pop()!;
    rec = await recommendation(recId);
    expect(rec).toMatchObject({ status: "RECTIFYING", planDocumentId: planId });
    const plan = await db.document.findUniqueOrThrow({
      where: { id: planId },
      select: { type: true, ownerOrgId: true, status: true, members: { select: { orgId: true, access: true } } },
    });
    expect(plan).toMatchObject({ type: "RECTIFICATION_PLAN", ownerOrgId: w.agency.id, status: "DRAFT" });
    expect(plan.members).toEqual(
      expect.arrayContaining([
        { orgId: w.bureau.id, access: "WRITE" },
        { orgId: w.procuratorate.id, access: "READ" },
      ]),
    );
    expect(plan.members).toHaveLength(2);
    const templateItems = await db.trackedItem.findMany({
      where: { sourceDocumentId: planId },
      select: { id: true, kind: true, status: true, leadOrgId: true },
    });
    expect(templateItems).toEqual([
      expect.objectContaining({ kind: "RECTIFICATION_MEASURE", status: "DRAFT", leadOrgId: w.agency.id }),
    ]);
    // A second click lands on the same plan.
    expect(await redirected(await act(recId, w.cookies.drafter, { intent: "createPlan" }))).toBe(planLocation);
    // The issuer follows the plan read-only.
    expect((await app.request(`/documents/${planId}`, { cookie: w.cookies.liaison })).status).toBe(200);

    // 3. Two measures typed through the collab server: the recipient fills the template's block, the
    //    justice bureau (co-drafting) adds a second one.
    const recipientClient = connectClient(app.origin, planId, w.cookies.drafter);
    const bureauClient = connectClient(app.origin, planId, w.cookies.bureauDrafter);
    clients.push(recipientClient, bureauClient);
    await Promise.all([recipientClient.synced(), bureauClient.synced()]);
    const mine = recipientClient.doc.getXmlFragment("default");
    await waitFor(() => blocks(mine).length === 1, 5000, "template block synced");
    const first = blocks(mine)[0];
    expect(first.getAttribute("itemId")).toBe(templateItems[0].id);
    const wording1 = "开展食品经营许可现场核查专项整治，逐户复查2025年以来发放的许可";
    const wording2 = "建立许可审查责任追究制度，对违规发证人员依规处理";
    recipientClient.doc.transact(() => {
      first.insert(0, [new Y.XmlText(wording1)]);
      first.setAttribute("responsible", "张三");
    });
    const theirs = bureauClient.doc.getXmlFragment("default");
    await waitFor(() => blocks(theirs)[0]?.toString().includes(wording1) ?? false, 5000, "bureau sees the edit");
    const secondId = `measure2${Date.now().toString(36)}`;
    bureauClient.doc.transact(() => {
      const node = new Y.XmlElement("trackedItem");
      node.setAttribute("itemId", secondId);
      node.setAttribute("leadOrgId", w.agency.id);
      node.setAttribute("supportingOrgIds", "");
      node.setAttribute("dueDate", isoDay(40));
      node.setAttribute("feedbackCycle", "MONTHLY");
      node.insert(0, [new Y.XmlText(wording2)]);
      const index = theirs.toArray().indexOf(blocks(theirs)[0]);
      theirs.insert(index + 1, [node]);
    });
    const draftRows = () =>
      db.trackedItem.findMany({
        where: { sourceDocumentId: planId, status: "DRAFT" },
        orderBy: { number: "asc" },
        select: { id: true, wording: true },
      });
    await waitFor(
      async () => {
        const rows = await draftRows();
        return rows.length === 2 && rows[0].wording === wording1 && rows[1].wording === wording2;
      },
      10_000,
      "two measures derived by the collab server",
    );

    // 4. Countersign: the recipient's drafter asks, the justice bureau approves → FINALIZED.
    expect(
      (
        await app.request(`/documents/${planId}`, {
          cookie: w.cookies.bureauDrafter,
          form: { intent: "requestCountersign" },
        })
      ).status,
    ).toBe(403);
    await redirected(
      await app.request(`/documents/${planId}`, { cookie: w.cookies.drafter, form: { intent: "requestCountersign" } }),
    );
    // The issuer (READ) is not a countersigner.
    expect(
      (await app.request(`/documents/${planId}`, { cookie: w.cookies.issuerCoord, form: { intent: "approve" } }))
        .status,
    ).toBe(403);
    await redirected(
      await app.request(`/documents/${planId}`, { cookie: w.cookies.bureauCoord, form: { intent: "approve" } }),
    );
    const finalPlan = await db.document.findUniqueOrThrow({
      where: { id: planId },
      select: { status: true, finalHash: true },
    });
    expect(finalPlan.status).toBe("FINALIZED");
    expect(finalPlan.finalHash).toMatch(/^[0-9a-f]{64}$/);
    const measures = await db.trackedItem.findMany({
      where: { sourceDocumentId: planId, status: { not: "REMOVED" } },
      orderBy: { number: "asc" },
      select: { id: true, kind: true, status: true, wording: true, responsible: true, leadOrgId: true },
    });
    expect(measures.map((m) => [m.kind, m.status, m.wording])).toEqual([
      ["RECTIFICATION_MEASURE", "NOT_STARTED", wording1],
      ["RECTIFICATION_MEASURE", "NOT_STARTED", wording2],
    ]);
    expect(measures[0].responsible).toBe("张三");
    expect(measures[1].id).toBe(secondId);

    // 5. The recipient reports progress on both measures (multipart).
    const progress1a = "已对全市许可档案开展第一轮复查";
    const progress1b = "已复查许可档案1260份，撤销违规许可12件";
    const progress2 = "责任追究办法已起草，正在征求意见";
    await redirected(await reportProgress(measures[0].id, w.cookies.drafter, progress1a, "IN_PROGRESS"));
    await redirected(await reportProgress(measures[0].id, w.cookies.drafter, progress1b, "DONE"));
    await redirected(await reportProgress(measures[1].id, w.cookies.drafter, progress2, "IN_PROGRESS"));
    expect(
      (await db.trackedItem.findUniqueOrThrow({ where: { id: measures[0].id }, select: { status: true } })).status,
    ).toBe("DONE");
    expect(
      (await db.trackedItem.findUniqueOrThrow({ where: { id: measures[1].id }, select: { status: true } })).status,
    ).toBe("IN_PROGRESS");

    // The issuer sees the measures read-only: their pages open, its progress reports are refused.
    for (const m of measures)
      expect((await app.request(`/items/${m.id}`, { cookie: w.cookies.liaison })).status).toBe(200);
    const issuerReport = await reportProgress(measures[1].id, w.cookies.liaison, "发出单位越权报送", "DONE");
    expect([403, 404]).toContain(issuerReport.status);
    expect(await db.progressReport.count({ where: { itemId: measures[1].id } })).toBe(1);
    expect(
      (await db.trackedItem.findUniqueOrThrow({ where: { id: measures[1].id }, select: { status: true } })).status,
    ).toBe("IN_PROGRESS");

    // 6. 生成书面回复: from the plan's measures and their latest progress.
    expect((await act(recId, w.cookies.liaison, { intent: "prepareReply" })).status).toBe(403);
    const replyLocation = await redirected(await act(recId, w.cookies.drafter, { intent: "prepareReply" }));
    const replyId = replyLocation.split("/").pop()!;
    expect(replyId).not.toBe(planId);
    // Once the reply exists, asking again does not reveal its id to anyone but the recipient's drafters.
    const again = await act(recId, w.cookies.liaison, { intent: "prepareReply" });
    expect(again.status).toBe(403);
    expect(again.headers.get("location")).toBeNull();
    expect(await redirected(await act(recId, w.cookies.drafter, { intent: "prepareReply" }))).toBe(replyLocation);
    const reply = await db.document.findUniqueOrThrow({
      where: { id: replyId },
      select: { type: true, ownerOrgId: true, status: true, members: { select: { orgId: true, access: true } } },
    });
    expect(reply).toMatchObject({ type: "REPLY", ownerOrgId: w.agency.id, status: "DRAFT" });
    expect(reply.members).toEqual([{ orgId: w.bureau.id, access: "READ" }]);
    const snapshot = await db.documentSnapshot.findUniqueOrThrow({
      where: { documentId: replyId },
      select: { text: true },
    });
    expect(snapshot.text).toContain(wording1);
    expect(snapshot.text).toContain(wording2);
    expect(snapshot.text).toContain(progress1b);
    expect(snapshot.text).toContain(progress2);
    expect(snapshot.text).not.toContain(progress1a); // only the latest progress of a measure
    expect(snapshot.text).toContain("明确整改措施 2 项");
    expect(snapshot.text).toContain("已完成 1 项");
    expect(snapshot.text).toContain(form.docNumber as string);

    // The export of the reply is a real .docx carrying the measures.
    const docx = await app.request(`/documents/${replyId}/export/docx`, { cookie: w.cookies.drafter });
    expect(docx.status).toBe(200);
    expect(docx.headers.get("content-type")).toBe(DOCX);
    const zip = await JSZip.loadAsync(await docx.arrayBuffer());
    const documentXml = await zip.file("word/document.xml")!.async("string");
    expect(documentXml).toContain(progress1b);

    // Before it is sent, the issuer cannot read the reply.
    expect((await app.request(`/documents/${replyId}`, { cookie: w.cookies.liaison })).status).toBe(403);
    expect((await app.request(`/documents/${replyId}/export/docx`, { cookie: w.cookies.liaison })).status).toBe(403);
    expect((await app.request(`/documents/${replyId}`, { cookie: w.cookies.bureauDrafter })).status).toBe(200);

    // 7. 发出书面回复: on time.
    expect((await act(recId, w.cookies.liaison, { intent: "sendReply" })).status).toBe(403);
    const sent = await redirected(await act(recId, w.cookies.drafter, { intent: "sendReply" }));
    expect(sent).toBe(`/recommendations/${recId}?done=replied`);
    rec = await recommendation(recId);
    expect(rec).toMatchObject({ status: "REPLIED", repliedLate: false, replyDocumentId: replyId });
    expect(rec.repliedAt).not.toBeNull();
    const frozen = await db.document.findUniqueOrThrow({
      where: { id: replyId },
      select: { status: true, finalHash: true, finalVersionId: true },
    });
    expect(frozen.status).toBe("FINALIZED");
    const version = await db.documentVersion.findUniqueOrThrow({
      where: { id: frozen.finalVersionId! },
      select: { sha256: true, json: true },
    });
    expect(frozen.finalHash).toBe(version.sha256);
    expect(version.sha256).toBe(createHash("sha256").update(version.json).digest("hex"));
    expect((await app.request(`/documents/${replyId}`, { cookie: w.cookies.liaison })).status).toBe(200);
    // Sending twice is refused.
    expect((await act(recId, w.cookies.drafter, { intent: "sendReply" })).status).toBe(409);
    // The deadline cannot move any more.
    expect(
      (await act(recId, w.cookies.liaison, { intent: "changeReplyDue", replyDue: isoDay(90), reason: "延长" })).status,
    ).toBe(409);

    // 8. 销号: only the issuer's coordinator.
    expect((await act(recId, w.cookies.drafter, { intent: "close" })).status).toBe(403);
    expect((await act(recId, w.cookies.liaison, { intent: "close" })).status).toBe(403);
    expect(await redirected(await act(recId, w.cookies.issuerCoord, { intent: "close", comment: "整改到位" }))).toBe(
      `/recommendations/${recId}?done=closed`,
    );
    rec = await recommendation(recId);
    expect(rec.status).toBe("CLOSED");
    expect(rec.closedAt).not.toBeNull();

    const audits = await db.auditEvent.findMany({
      where: { targetType: "Recommendation", targetId: recId },
      orderBy: { at: "asc" },
      select: { action: true, actorId: true },
    });
    expect(audits.map((a) => a.action)).toEqual([
      "recommendation.registered",
      "recommendation.reply_due_changed",
      "recommendation.plan_created",
      "recommendation.reply_prepared",
      "recommendation.replied",
      "recommendation.closed",
    ]);
    expect(audits[0].actorId).toBe(w.users.liaison.id);
    expect(audits[5].actorId).toBe(w.users.issuerCoord.id);
  }, 60_000);

  it("a reply sent after the deadline is recorded as late", async () => {
    const w = await world();
    const db = getDb();
    const { id } = await register(w.cookies.drafter, validForm(w, { issuedOn: isoDay(-90), receivedOn: isoDay(-80) }));
    expect(id).not.toBeNull();
    // Received 80 days ago: the default two months have already run out.
    await db.recommendation.update({ where: { id: id! }, data: { replyDueDate: endOfChinaDay(isoDay(-2)) } });
    await finalizePlanAsIs(w, id!);
    await redirected(await act(id!, w.cookies.drafter, { intent: "prepareReply" }));
    const location = await redirected(await act(id!, w.cookies.drafter, { intent: "sendReply" }));
    expect(location).toBe(`/recommendations/${id}?done=repliedLate`);
    const rec = await recommendation(id!);
    expect(rec).toMatchObject({ status: "REPLIED", repliedLate: true });
    const replied = await db.auditEvent.findFirstOrThrow({
      where: { targetType: "Recommendation", targetId: id!, action: "recommendation.replied" },
      select: { summary: true },
    });
    expect(replied.summary).toContain("逾期");
    // The issuer is told it came late.
    expect(
      await db.notification.findFirst({
        where: { userId: w.users.issuerCoord.id, kind: "recommendation.replied" },
        select: { body: true },
      }),
    ).toEqual({ body: "逾期回复" });
  }, 30_000);

  it("only the issuer, the recipient, the 抄送 orgs and upper justice bureaus see a recommendation, its original, its plan and its reply", async () => {
    const w = await world();
    const db = getDb();
    // Registered with a scanned original (multipart).
    const fd = new FormData();
    for (const [k, v] of entriesOf(validForm(w))) fd.append(k, v);
    fd.append("original", new Blob([PDF as BlobPart], { type: "application/pdf" }), "检察建议书原件.pdf");
    const created = await app.request("/recommendations/new", { cookie: w.cookies.liaison, method: "POST", body: fd });
    const recId = /^\/recommendations\/([A-Za-z0-9_-]+)/.exec(await redirected(created))![1];
    const file = await db.attachment.findFirstOrThrow({
      where: { recommendationId: recId },
      select: { id: true, fileName: true },
    });
    expect(file.fileName).toBe("检察建议书原件.pdf");
    const page = `/recommendations/${recId}`;
    const fileUrl = `${page}/files/${file.id}`;

    // Insiders and the justice bureau of the province above (上级司法行政机关督促指导下级) see it and its original.
    for (const cookie of [w.cookies.liaison, w.cookies.drafter, w.cookies.bureauDrafter, w.cookies.provinceBureau]) {
      expect((await app.request(page, { cookie })).status).toBe(200);
      const download = await app.request(fileUrl, { cookie });
      expect(download.status).toBe(200);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);
    }
    // Outsiders: another agency of the same city, a court of the same city, and the bureau of a sibling city (not above).
    const outsiders = [w.cookies.otherAgency, w.cookies.court, w.cookies.siblingBureau];
    for (const cookie of outsiders) {
      expect((await app.request(page, { cookie })).status).toBe(403);
      expect((await app.request(fileUrl, { cookie })).status).toBe(403);
    }
    expect((await app.request(`/recommendations/no-such-recommendation`, { cookie: w.cookies.liaison })).status).toBe(
      404,
    );
    expect((await app.request(`${page}/files/no-such-file`, { cookie: w.cookies.liaison })).status).toBe(404);
    // A file id is only served under its own recommendation: the other agency, reading its own one, cannot reach this original through it.
    const otherProcuratorate = await buildOrg({ kind: "PROCURATORATE", region: w.city });
    const otherIssuer = await buildUser({ org: otherProcuratorate, role: "LIAISON" });
    const theirs = await register(
      await buildSessionCookie(otherIssuer.id),
      validForm(w, { issuerOrgId: otherProcuratorate.id, recipientOrgId: w.otherAgency.id }),
    );
    expect(theirs.id).not.toBeNull();
    expect((await app.request(`/recommendations/${theirs.id}`, { cookie: w.cookies.otherAgency })).status).toBe(200);
    expect(
      (await app.request(`/recommendations/${theirs.id}/files/${file.id}`, { cookie: w.cookies.otherAgency })).status,
    ).toBe(404);

    const state = async () => {
      const r = await db.recommendation.findUniqueOrThrow({
        where: { id: recId },
        select: {
          status: true,
          replyDueDate: true,
          replyDueReason: true,
          planDocumentId: true,
          replyDocumentId: true,
          closedAt: true,
        },
      });
      const docs = await db.document.findMany({
        where: { id: { in: [r.planDocumentId ?? "", r.replyDocumentId ?? ""] } },
        select: { id: true, status: true, finalHash: true },
        orderBy: { id: "asc" },
      });
      const files = await db.attachment.count({ where: { recommendationId: recId } });
      return { r, docs, files };
    };
    /** Every recommendation intent from an outsider: refused, never a success, nothing changes. */
    const outsiderIntents = async () => {
      const before = await state();
      const intents: Array<Record<string, string>> = [
        { intent: "createPlan" },
        { intent: "prepareReply" },
        { intent: "sendReply" },
        { intent: "close" },
        { intent: "changeReplyDue", replyDue: isoDay(120), reason: "外单位调整" },
      ];
      for (const cookie of outsiders) {
        for (const form of intents) {
          const res = await act(recId, cookie, form);
          expect([403, 404], `${form.intent} → ${res.status}`).toContain(res.status);
        }
        const attach = new FormData();
        attach.set("intent", "attachOriginal");
        attach.append("original", new Blob([PDF as BlobPart], { type: "application/pdf" }), "x.pdf");
        expect([403, 404]).toContain((await app.request(page, { cookie, method: "POST", body: attach })).status);
      }
      expect(await state()).toEqual(before);
    };
    await outsiderIntents();

    // The plan.
    const planId = (await redirected(await act(recId, w.cookies.drafter, { intent: "createPlan" }))).split("/").pop()!;
    const outsiderCookiesFor = async (documentId: string) => {
      for (const cookie of outsiders) {
        expect((await app.request(`/documents/${documentId}`, { cookie })).status).toBe(403);
        expect((await app.request(`/documents/${documentId}/export/docx`, { cookie })).status).toBe(403);
        for (const intent of ["requestCountersign", "approve", "members"]) {
          const res = await app.request(`/documents/${documentId}`, { cookie, form: { intent, comment: "外单位" } });
          expect([403, 404], `${intent} → ${res.status}`).toContain(res.status);
        }
        const ws = rawSocket(app.origin, documentId, cookie);
        expect((await ws.closed).code).toBe(CloseCode.FORBIDDEN);
        const socket = await openSocket(cookie);
        expect(await watch(socket, documentId)).toMatchObject({ ok: false });
      }
    };
    // Insiders can watch it and open its collab socket.
    const insiderSocket = await openSocket(w.cookies.bureauDrafter);
    expect(await watch(insiderSocket, planId)).toEqual({ ok: true });
    const insider = connectClient(app.origin, planId, w.cookies.bureauDrafter);
    clients.push(insider);
    await insider.synced();
    await outsiderCookiesFor(planId);
    await outsiderIntents();

    // Finalized by the recipient and the bureau; the reply prepared.
    await redirected(
      await app.request(`/documents/${planId}`, { cookie: w.cookies.drafter, form: { intent: "requestCountersign" } }),
    );
    await redirected(
      await app.request(`/documents/${planId}`, { cookie: w.cookies.bureauCoord, form: { intent: "approve" } }),
    );
    const item = await db.trackedItem.findFirstOrThrow({
      where: { sourceDocumentId: planId },
      select: { id: true, status: true },
    });
    expect(item.status).toBe("NOT_STARTED");
    for (const cookie of outsiders) {
      expect((await app.request(`/items/${item.id}`, { cookie })).status).toBe(403);
      expect([403, 404]).toContain((await reportProgress(item.id, cookie, "外单位报送")).status);
    }
    expect(await db.progressReport.count({ where: { itemId: item.id } })).toBe(0);
    const replyId = (await redirected(await act(recId, w.cookies.drafter, { intent: "prepareReply" })))
      .split("/")
      .pop()!;
    await outsiderCookiesFor(planId);
    await outsiderCookiesFor(replyId);
    await outsiderIntents();

    // After the reply is sent and the recommendation closed, outsiders still see nothing.
    await redirected(await act(recId, w.cookies.drafter, { intent: "sendReply" }));
    await outsiderCookiesFor(replyId);
    await outsiderIntents();
    await redirected(await act(recId, w.cookies.issuerCoord, { intent: "close" }));
    for (const cookie of outsiders) expect((await app.request(page, { cookie })).status).toBe(403);
    // The province bureau still sees the closed recommendation.
    expect((await app.request(page, { cookie: w.cookies.provinceBureau })).status).toBe(200);
  }, 60_000);

  it("refuses bad registrations with a Chinese message on the field and saves nothing", async () => {
    const w = await world();
    const db = getDb();
    const otherProcuratorate = await buildOrg({ kind: "PROCURATORATE", region: w.city });
    const otherLiaison = await buildUser({ org: otherProcuratorate, role: "LIAISON" });
    const otherCookie = await buildSessionCookie(otherLiaison.id);
    const count = () =>
      db.recommendation.count({
        where: {
          OR: [
            { issuerOrgId: { in: [w.procuratorate.id, w.court.id, otherProcuratorate.id] } },
            { recipientOrgId: w.agency.id },
          ],
        },
      });

    /** 400 (or `status`) with `message` shown on `field`, and no recommendation saved. */
    async function refused(
      fields: Fields,
      field: string,
      message: string,
      opts: { cookie?: string; status?: number } = {},
    ) {
      const before = await count();
      const res = await postForm("/recommendations/new", opts.cookie ?? w.cookies.liaison, entriesOf(fields));
      const raw = await res.text();
      expect(res.status, `${field}: ${raw.slice(0, 300)}`).toBe(opts.status ?? 400);
      expect(
        fieldErrorsOf(raw, res.headers.get("content-type"))[field]?.join(" ") ?? `(no error shown on ${field})`,
      ).toContain(message);
      expect(await count()).toBe(before);
    }

    // Dates.
    await refused(
      validForm(w, { receivedOn: isoDay(-5), replyDue: isoDay(-6), replyDueReason: "经协商提前" }),
      "replyDue",
      "回复期限不能早于收到日期",
    );
    await refused(
      validForm(w, { issuedOn: isoDay(-3), receivedOn: isoDay(-5) }),
      "receivedOn",
      "收到日期不能早于发出日期",
    );
    await refused(validForm(w, { issuedOn: isoDay(-1), receivedOn: isoDay(3) }), "receivedOn", "收到日期不能晚于今天");
    await refused(validForm(w, { issuedOn: isoDay(2), receivedOn: isoDay(2) }), "issuedOn", "发出日期不能晚于今天");
    await refused(validForm(w, { issuedOn: "2026-02-30" }), "issuedOn", "日期格式应为");
    // A deadline other than the default needs a reason (检察建议: two months after receipt).
    await refused(validForm(w, { receivedOn: isoDay(-5), replyDue: isoDay(70) }), "replyDueReason", "请说明理由");

    // Orgs.
    await refused(validForm(w, { recipientOrgId: w.procuratorate.id }), "recipientOrgId", "主送单位不能与发出单位相同");
    await refused(
      validForm(w, { copyOrgIds: [w.bureau.id, w.agency.id] }),
      "copyOrgIds",
      "抄送单位不能是发出单位或主送单位",
    );
    await refused(validForm(w, { copyOrgIds: "no-such-org-id" }), "copyOrgIds", "所选抄送单位不存在或已停用");
    // A court issuing a 检察建议书 (registered by the court's own coordinator).
    await refused(validForm(w, { issuerOrgId: w.court.id }), "issuerOrgId", "检察建议书应由人民检察院发出", {
      cookie: w.cookies.court,
    });
    // Neither issuer nor recipient: 403.
    await refused(validForm(w), "form", "只有发出单位或主送单位", { cookie: w.cookies.otherAgency, status: 403 });

    // Kind.
    await refused(validForm(w, { kind: "ADVICE" }), "kind", "请选择建议书种类");
    await refused(validForm(w, { kind: undefined }), "kind", "请选择建议书种类");

    // 文号: unique per issuer; the same number from another issuer is fine.
    const docNumber = `示检行建〔2026〕${Date.now() % 100000}号`;
    const first = await register(w.cookies.liaison, validForm(w, { docNumber }));
    expect(first.res.status).toBe(302);
    await refused(
      validForm(w, { docNumber, title: "另一份建议" }),
      "docNumber",
      `已登记过文号为「${docNumber}」的建议书`,
    );
    const sameNumberElsewhere = await register(
      otherCookie,
      validForm(w, { docNumber, issuerOrgId: otherProcuratorate.id }),
    );
    expect(sameNumberElsewhere.res.status).toBe(302);
    expect(sameNumberElsewhere.id).not.toBe(first.id);

    // Garbage: over-long, missing, control characters, ids that are not ids.
    await refused(validForm(w, { title: "长".repeat(10_000) }), "title", "不能超过 200 个字符");
    await refused(validForm(w, { docNumber: "文".repeat(61) }), "docNumber", "不能超过 60 个字符");
    await refused(validForm(w, { title: undefined, "title[]": ["数组", "标题"] }), "title", "此项为必填项");
    await refused(validForm(w, { title: "   " }), "title", "此项为必填项");
    await refused(validForm(w, { title: "事由\u0007含控制字符" }), "title", "控制字符");
    {
      // NUL is refused before any field is read (PostgreSQL cannot store it), with a Chinese message.
      const before = await count();
      const res = await postForm(
        "/recommendations/new",
        w.cookies.liaison,
        entriesOf(validForm(w, { title: "事由\u0000含空字符" })),
      );
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("不允许的控制字符");
      expect(await count()).toBe(before);
    }
    await refused(validForm(w, { issuerOrgId: "<script>alert(1)</script>" }), "issuerOrgId", "选择无效");
    await refused(
      validForm(w, { copyOrgIds: Array.from({ length: 21 }, (_, i) => `org${i}xxxxxxxx`) }),
      "copyOrgIds",
      "抄送单位最多 20 个",
    );
    await refused(validForm(w, { problems: "问".repeat(5001) }), "problems", "问题清单不能超过 5000 个字符");

    // Multipart: a string field sent as a file, and an original that is not what it claims to be.
    const multipart = async (fd: FormData) => {
      const before = await count();
      const res = await app.request("/recommendations/new", { cookie: w.cookies.liaison, method: "POST", body: fd });
      const fieldErrors = fieldErrorsOf(await res.text(), res.headers.get("content-type"));
      expect(await count()).toBe(before);
      return { status: res.status, fieldErrors };
    };
    const titleAsFile = new FormData();
    for (const [k, v] of entriesOf(validForm(w, { title: undefined }))) titleAsFile.append(k, v);
    titleAsFile.append("title", new Blob(["关于…的检察建议"], { type: "text/plain" }), "title.txt");
    const asFile = await multipart(titleAsFile);
    expect(asFile.status).toBe(400);
    expect(asFile.fieldErrors.title?.[0]).toBe("此项为必填项");
    const fakePdf = new FormData();
    for (const [k, v] of entriesOf(validForm(w))) fakePdf.append(k, v);
    fakePdf.append("original", new Blob(["<script>alert(1)</script>"], { type: "application/pdf" }), "原件.pdf");
    const fake = await multipart(fakePdf);
    expect(fake.status).toBe(400);
    expect(fake.fieldErrors.original?.[0]).toContain("内容与扩展名不符");
  }, 30_000);

  it("a JSON body (arrays where strings are expected) is refused with a 4xx, never a 500, on both recommendation forms", async () => {
    const w = await world();
    const db = getDb();
    const { id } = await register(w.cookies.liaison, validForm(w));
    expect(id).not.toBeNull();
    const count = () => db.recommendation.count({ where: { issuerOrgId: w.procuratorate.id } });
    const before = await count();
    const asJson = (path: string, payload: unknown) =>
      app.request(path, {
        cookie: w.cookies.liaison,
        method: "POST",
        body: JSON.stringify(payload),
        headers: { "Content-Type": "application/json" },
      });
    const created = await asJson("/recommendations/new", {
      ...validForm(w),
      title: ["数组", "标题"],
      kind: ["PROCURATORIAL"],
    });
    expect(created.status, (await created.text()).slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(created.status).toBeLessThan(500);
    const changed = await asJson(`/recommendations/${id}`, {
      intent: ["changeReplyDue"],
      replyDue: [isoDay(90)],
      reason: { x: 1 },
    });
    expect(changed.status, (await changed.text()).slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(changed.status).toBeLessThan(500);
    expect(await count()).toBe(before);
    expect((await recommendation(id!)).status).toBe("REGISTERED");
  });

  it("offers 登记建议书 only to whoever may register: a VIEWER sees no such button and the page answers 403", async () => {
    const org = await buildOrg({ kind: "ENFORCEMENT_AGENCY" });
    const viewer = await buildSessionCookie((await buildUser({ org, role: "VIEWER" })).id);
    const drafter = await buildSessionCookie((await buildUser({ org, role: "DRAFTER" })).id);
    const register = 'href="/recommendations/new"';
    expect(await (await app.request("/recommendations", { cookie: viewer })).text()).not.toContain(register);
    expect((await app.request("/recommendations/new", { cookie: viewer })).status).toBe(403);
    expect(await (await app.request("/recommendations", { cookie: drafter })).text()).toContain(register);
    expect((await app.request("/recommendations/new", { cookie: drafter })).status).toBe(200);
  });
});
