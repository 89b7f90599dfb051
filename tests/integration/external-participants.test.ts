import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { absolutePositionToRelativePosition, initProseMirrorDoc } from "@tiptap/y-tiptap";
import { getDb } from "~/db.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { CloseCode } from "../../app/protocol/collab";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { buildExternalPerson, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * Outside participants (issue 22, ADR 024) through the real server: an expert's account sees the
 * 个案咨询 and the 专家咨询意见 it is invited to and nothing else (403 with a Chinese reason on every
 * other page, its POSTs refused without a change); the convener picks experts from the pool of its
 * region or above (bad picks refused); the expert comments, signed 专家 张某（法学）; the convener
 * compiles the opinions into the document, which the Word export carries.
 */
let app: RunningServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  app = await startServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await app?.close();
});

const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function world() {
  const province = await buildRegion({ level: "PROVINCE" });
  const city = await buildRegion({ level: "CITY", parent: province });
  const otherCity = await buildRegion({ level: "CITY", parent: province });
  const agency = await buildOrg({
    kind: "ENFORCEMENT_AGENCY",
    region: city,
    name: `外部市场监管局${tag}${city.id.slice(-4)}`,
  });
  const bureau = await buildOrg({
    kind: "JUSTICE_BUREAU",
    region: city,
    name: `外部市司法局${tag}${city.id.slice(-4)}`,
  });
  const coord = await buildUser({ org: agency, role: "COORDINATOR", displayName: "徐强" });
  const keeper = await buildUser({ org: bureau, role: "COORDINATOR", displayName: "李秀英" });
  const expert = await buildExternalPerson({
    region: city,
    name: `陈立新${tag}`,
    fields: ["法学", "行政法"],
    createdById: keeper.id,
  });
  const provinceExpert = await buildExternalPerson({ region: province, fields: ["市场监管"], createdById: keeper.id });
  const elsewhere = await buildExternalPerson({ region: otherCity, createdById: keeper.id });
  const stopped = await buildExternalPerson({ region: city, status: "INACTIVE", createdById: keeper.id });
  const noAccount = await buildExternalPerson({ region: city, account: false, createdById: keeper.id });
  return {
    city,
    agency,
    bureau,
    coord,
    keeper,
    expert,
    provinceExpert,
    elsewhere,
    stopped,
    noAccount,
    cookies: {
      coord: await buildSessionCookie(coord.id),
      keeper: await buildSessionCookie(keeper.id),
      expert: await buildSessionCookie(expert.user!.id),
      provinceExpert: await buildSessionCookie(provinceExpert.user!.id),
    },
  };
}
type World = Awaited<ReturnType<typeof world>>;

/** The 召集会商 form of a 个案咨询 (repeated `guest` fields, as the browser sends checkboxes). */
function caseForm(w: World, over: Record<string, string> = {}, guests: string[] = [w.expert.id]) {
  const form = new URLSearchParams({
    kind: "CASE_CONSULTATION",
    title: `某食品公司虚假宣传案个案咨询${tag}`,
    series: `2026年度个案咨询${tag}`,
    conveningOrgId: w.agency.id,
    date: "2026-12-20",
    startTime: "09:30",
    endTime: "11:00",
    place: "书面咨询",
    caseSummary: "当事人在网店宣称普通食品可辅助降血糖。",
    legalQuestion: "应适用《广告法》第五十五条还是《食品安全法》第一百四十条？",
    ...over,
  });
  for (const g of guests) form.append("guest", g);
  return form;
}

const convene = (w: World, form: URLSearchParams, cookie = w.cookies.coord) =>
  app.request("/consultations/new", {
    method: "POST",
    cookie,
    body: form.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });

const consultationsOf = (w: World) =>
  getDb().consultation.findMany({ where: { conveningOrgId: w.agency.id }, select: { id: true, minutesId: true } });

async function convened(w: World) {
  const res = await convene(w, caseForm(w));
  expect(res.status, await res.clone().text()).toBe(302);
  const id = (res.headers.get("location") ?? "").split("/")[2]?.split("?")[0] ?? "";
  const c = await getDb().consultation.findUniqueOrThrow({
    where: { id },
    select: { id: true, minutesId: true, participants: { select: { userId: true, role: true, orgId: true } } },
  });
  return { id: c.id, documentId: c.minutesId!, participants: c.participants };
}

/** The expert's selection of `quote` in its own copy, as the browser sends it with a comment. */
function selectionOf(doc: Y.Doc, quote: string) {
  const fragment = doc.getXmlFragment(YJS_FRAGMENT);
  const { doc: pm, mapping } = initProseMirrorDoc(fragment, editorSchema());
  let from = -1;
  pm.descendants((node, pos) => {
    if (from < 0 && node.isText && node.text?.includes(quote)) from = pos + (node.text?.indexOf(quote) ?? 0);
    return from < 0;
  });
  const rel = (pos: number) =>
    JSON.stringify(Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, fragment, mapping)));
  return { anchor: rel(from), head: rel(from + quote.length), quote };
}

describe("outside participants (特邀专家, 个案咨询)", () => {
  it("a 个案咨询 invites the expert, who sees exactly it and its 专家咨询意见, and gets 403 everywhere else", async () => {
    const w = await world();
    const c = await convened(w);
    // The expert's row is held by the convening org; the document gives the expert COMMENT.
    expect(c.participants).toContainEqual({ userId: w.expert.user!.id, role: "GUEST", orgId: w.agency.id });
    const doc = await getDb().document.findUniqueOrThrow({
      where: { id: c.documentId },
      select: { type: true, members: { select: { userId: true, access: true } } },
    });
    expect(doc.type).toBe("EXPERT_OPINION");
    expect(doc.members).toContainEqual({ userId: w.expert.user!.id, access: "COMMENT" });
    const note = await getDb().notification.findFirst({
      where: { userId: w.expert.user!.id, link: `/consultations/${c.id}` },
    });
    expect(note?.title).toContain("会商邀请");

    const cookie = w.cookies.expert;
    for (const path of [
      `/consultations/${c.id}`,
      `/consultations/${c.id}/invite.ics`,
      `/documents/${c.documentId}`,
      "/",
    ]) {
      const res = await app.request(path, { cookie });
      expect(res.status, path).toBe(200);
    }
    const home = await (await app.request("/", { cookie })).text();
    expect(home).toContain(`某食品公司虚假宣传案个案咨询${tag}`);
    // Another expert of the pool, not invited: nothing.
    for (const path of [`/consultations/${c.id}`, `/documents/${c.documentId}`]) {
      const res = await app.request(path, { cookie: w.cookies.provinceExpert });
      expect([403, 404], path).toContain(res.status);
    }
    for (const path of [
      "/ledger",
      "/documents",
      "/consultations",
      "/consultations/new",
      "/recommendations",
      "/recommendations/overview",
      "/typical-cases",
      "/clues",
      "/clues/new",
      "/experts",
      "/admin",
      "/documents/new",
      "/ledger/export.xlsx",
    ]) {
      const res = await app.request(path, { cookie });
      expect(res.status, path).toBe(403);
      const body = await res.text();
      if (!path.endsWith(".xlsx")) expect(body, path).toContain("特邀人员账号只能查看受邀参加的会商和文书");
    }
  });

  it("an outside participant's attempts to create anything are refused and change nothing", async () => {
    const w = await world();
    const before = await consultationsOf(w);
    const countDocs = () => getDb().document.count({ where: { createdById: w.expert.user!.id } });
    const cookie = w.cookies.expert;
    const attempts: Array<[string, Record<string, string>]> = [
      ["/consultations/new", Object.fromEntries(caseForm(w))],
      ["/documents/new", { type: "SUPERVISION_LISTING", title: "外部人员的清单", ownerOrgId: w.agency.id }],
      ["/clues/new", { docNumber: "外〔2026〕1号", toOrgId: w.bureau.id, source: "OTHER", summary: "x" }],
      [
        "/experts/new",
        {
          regionId: w.city.id,
          kind: "EXPERT",
          name: "冒名专家",
          fields: "法学",
          title: "x",
          employer: "x",
          contact: "x",
        },
      ],
      ["/recommendations/new", { kind: "PROCURATORATE", title: "x" }],
    ];
    for (const [path, form] of attempts) {
      const res = await app.request(path, { cookie, form });
      expect(res.status, path).toBe(403);
    }
    expect(await consultationsOf(w)).toEqual(before);
    expect(await countDocs()).toBe(0);
    expect(await getDb().externalPerson.count({ where: { name: "冒名专家" } })).toBe(0);
  });

  it("bad picks are refused with a Chinese message and nothing is convened", async () => {
    const w = await world();
    const cases: Array<[URLSearchParams, string]> = [
      [caseForm(w, {}, [w.expert.id, w.expert.id]), "同一人员只能邀请一次"],
      [caseForm(w, {}, []), "个案咨询请至少邀请一位专家"],
      [caseForm(w, { caseSummary: "" }), "请填写基本案情"],
      [caseForm(w, { legalQuestion: "" }), "请填写咨询问题"],
      [caseForm(w, {}, [w.stopped.id]), "所选特邀人员不存在"],
      [caseForm(w, {}, [w.noAccount.id]), "所选特邀人员不存在"],
      [caseForm(w, {}, [w.elsewhere.id]), "所选特邀人员不存在"],
      [caseForm(w, {}, ["not-an-id"]), "所选特邀人员不存在"],
      [caseForm(w, {}, ["../x y"]), "特邀人员选择无效"],
    ];
    for (const [form, message] of cases) {
      const res = await convene(w, form);
      expect(res.status, message).toBe(400);
      const body = await res.text();
      expect(body, `${message}: ${body.match(/"error\\",\\"([^\\]+)/)?.[1] ?? ""}`).toContain(message);
    }
    expect(await consultationsOf(w)).toEqual([]);
    // The province's pool is above the city: its expert may be invited.
    const res = await convene(w, caseForm(w, {}, [w.provinceExpert.id]));
    expect(res.status).toBe(302);
  });

  it("a guest answers the 回执 but cannot delegate", async () => {
    const w = await world();
    const c = await convened(w);
    const row = await getDb().consultationParticipant.findFirstOrThrow({
      where: { consultationId: c.id, userId: w.expert.user!.id },
      select: { id: true },
    });
    const delegated = await app.request(`/consultations/${c.id}`, {
      cookie: w.cookies.expert,
      form: { intent: "rsvp", participantId: row.id, answer: "DELEGATED", delegateUserId: w.coord.id },
    });
    expect(delegated.status).toBe(400);
    expect(await delegated.text()).toContain("特邀人员不能委派他人");
    const accepted = await app.request(`/consultations/${c.id}`, {
      cookie: w.cookies.expert,
      form: { intent: "rsvp", participantId: row.id, answer: "ACCEPTED" },
    });
    expect(accepted.status).toBe(302);
    const after = await getDb().consultationParticipant.findUniqueOrThrow({
      where: { id: row.id },
      select: { rsvp: true, delegateUserId: true },
    });
    expect(after).toEqual({ rsvp: "ACCEPTED", delegateUserId: null });
  });

  it("the expert comments (read-only text, signed as 专家), the convener compiles the opinions, the export carries them", async () => {
    const w = await world();
    const c = await convened(w);
    const client = connectClient(app.origin, c.documentId, w.cookies.expert);
    clients.push(client);
    await client.synced();
    // COMMENT access: the expert's own edits of the text are refused by the server.
    const question = "应适用《广告法》第五十五条";
    const selection = selectionOf(client.doc, question);
    const opinion = `建议适用《广告法》第五十五条${tag}`;
    const opened = await app.request(`/documents/${c.documentId}/comments`, {
      cookie: w.cookies.expert,
      form: { intent: "open", ...selection, body: opinion },
    });
    expect(opened.status, await opened.clone().text()).toBeLessThan(400);
    const threads = (await (
      await app.request(`/documents/${c.documentId}/comments`, { cookie: w.cookies.coord })
    ).json()) as {
      threads: Array<{
        author: { name: string };
        org: unknown;
        comments: Array<{ author: { name: string }; body: string }>;
      }>;
    };
    expect(threads.threads[0]?.author.name).toBe(`专家 陈立新${tag}（法学、行政法）`);
    expect(threads.threads[0]?.org).toBeNull();

    // Only the convener compiles; the expert is refused.
    const refused = await app.request(`/consultations/${c.id}`, {
      cookie: w.cookies.expert,
      form: { intent: "compileOpinions" },
    });
    expect(refused.status).toBe(403);
    const compiled = await app.request(`/consultations/${c.id}`, {
      cookie: w.cookies.coord,
      form: { intent: "compileOpinions" },
    });
    expect(compiled.status, await compiled.clone().text()).toBe(302);
    const snapshot = await getDb().documentSnapshot.findUniqueOrThrow({
      where: { documentId: c.documentId },
      select: { text: true },
    });
    expect(snapshot.text).toContain(`专家 陈立新${tag}（法学、行政法）：`);
    expect(snapshot.text).toContain(opinion);
    expect(snapshot.text).not.toContain("由咨询单位汇总于此");
    // Compiling again replaces the section instead of adding to it.
    await app.request(`/consultations/${c.id}`, { cookie: w.cookies.coord, form: { intent: "compileOpinions" } });
    const again = await getDb().documentSnapshot.findUniqueOrThrow({
      where: { documentId: c.documentId },
      select: { text: true },
    });
    expect(again.text.split(opinion).length).toBe(2);
    const audit = await getDb().auditEvent.findFirst({
      where: { targetId: c.id, action: "consultation.opinions_compiled" },
    });
    expect(audit?.summary).toContain("1位专家");

    // The export: the .docx of the draft carries the opinions (the expert may export what it reads).
    const docx = await app.request(`/documents/${c.documentId}/export/docx`, { cookie: w.cookies.expert });
    expect(docx.status).toBe(200);
    const { default: JSZip } = await import("jszip");
    const xml = await (await JSZip.loadAsync(await docx.arrayBuffer())).file("word/document.xml")!.async("string");
    expect(xml).toContain("专家咨询意见");
    expect(xml).toContain(`建议适用《广告法》第五十五条${tag}`);
  });

  it("a coordination meeting with a 特邀监督员: the 纪要 header lists it on its own line, and it may comment", async () => {
    const w = await world();
    const supervisor = await buildExternalPerson({
      region: w.city,
      kind: "SUPERVISOR",
      name: `宋建军${tag}`,
      fields: ["市场监管"],
      createdById: w.keeper.id,
    });
    const form = caseForm(
      w,
      {
        kind: "COORDINATION",
        title: `协调会商${tag}`,
        caseSummary: "",
        legalQuestion: "",
        [`role.${w.bureau.id}`]: "ATTENDEE",
      },
      [supervisor.id],
    );
    const res = await convene(w, form);
    expect(res.status, await res.clone().text()).toBe(302);
    const id = (res.headers.get("location") ?? "").split("/")[2]?.split("?")[0] ?? "";
    const minutes = await app.request(`/consultations/${id}`, {
      cookie: w.cookies.coord,
      form: { intent: "createMinutes" },
    });
    expect(minutes.status).toBe(302);
    const documentId = (minutes.headers.get("location") ?? "").split("/")[2] ?? "";
    const snapshot = await getDb().documentSnapshot.findUniqueOrThrow({
      where: { documentId },
      select: { text: true },
    });
    expect(snapshot.text).toContain(`特邀监督员：宋建军${tag}（测试大学法学院教授）`);
    // Not listed as if it were a unit or a person of the convening unit.
    expect(snapshot.text).not.toContain(`宋建军${tag}（${w.agency.name}）`);
    const member = await getDb().documentMember.findFirst({ where: { documentId, userId: supervisor.user!.id } });
    expect(member?.access).toBe("COMMENT");
    expect(
      (await app.request(`/documents/${documentId}`, { cookie: await buildSessionCookie(supervisor.user!.id) })).status,
    ).toBe(200);
  });

  it("案件材料: uploaded with the 个案咨询 under the upload checks, downloaded by its readers only", async () => {
    const w = await world();
    const multipart = (files: Array<{ name: string; bytes: Uint8Array<ArrayBuffer>; type: string }>) => {
      const fd = new FormData();
      for (const [k, v] of caseForm(w)) fd.append(k, v);
      for (const f of files) fd.append("files", new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      return fd;
    };
    const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");
    const refused = await app.request("/consultations/new", {
      cookie: w.cookies.coord,
      method: "POST",
      body: multipart([{ name: "卷宗.exe", bytes: new Uint8Array([77, 90, 0, 0]), type: "application/octet-stream" }]),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/[\u4e00-\u9fff]/);
    expect(await consultationsOf(w)).toEqual([]);
    const res = await app.request("/consultations/new", {
      cookie: w.cookies.coord,
      method: "POST",
      body: multipart([{ name: "案件调查终结报告.pdf", bytes: PDF, type: "application/pdf" }]),
    });
    expect(res.status, await res.clone().text()).toBe(302);
    const id = (res.headers.get("location") ?? "").split("/")[2]?.split("?")[0] ?? "";
    const file = await getDb().attachment.findFirstOrThrow({ where: { consultationId: id }, select: { id: true } });
    const page = await (await app.request(`/consultations/${id}`, { cookie: w.cookies.expert })).text();
    expect(page).toContain("案件调查终结报告.pdf");
    const download = await app.request(`/consultations/${id}/files/${file.id}`, { cookie: w.cookies.expert });
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);
    for (const cookie of [w.cookies.provinceExpert, w.cookies.keeper]) {
      const other = await app.request(`/consultations/${id}/files/${file.id}`, { cookie });
      expect([403, 404]).toContain(other.status);
    }
    expect((await app.request(`/consultations/${id}/files/nope`, { cookie: w.cookies.coord })).status).toBe(404);
  });

  it("the collab server lets the expert in with comment rights on its document only", async () => {
    const w = await world();
    const c = await convened(w);
    const other = await convened({ ...w, expert: w.provinceExpert });
    const mine = connectClient(app.origin, c.documentId, w.cookies.expert);
    clients.push(mine);
    await mine.synced();
    const foreign = connectClient(app.origin, other.documentId, w.cookies.expert);
    clients.push(foreign);
    await waitFor(() => foreign.closes.some((x) => x.code === CloseCode.FORBIDDEN), 3000, "close 4403");
    expect(mine.closes).toEqual([]);
  });
});
