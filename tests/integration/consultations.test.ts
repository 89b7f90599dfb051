import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { CloseCode } from "../../app/protocol/collab";
import { connectClient, waitFor } from "../collab/client";
import { startServer, type RunningServer } from "./helpers";

let app: RunningServer;
let region: { id: string; path: string };
let sfj: { id: string };
let court: { id: string };
let agency: { id: string };
let coordinator: string;
let host: { id: string };
let recorder: { id: string };
let invitedLiaison: { id: string; cookie: string };
let uninvitedLiaison: string;

beforeAll(async () => {
  app = await startServer();
  region = await buildRegion({ name: "会商测试市" });
  sfj = await buildOrg({ region, kind: "JUSTICE_BUREAU" });
  court = await buildOrg({ region, kind: "COURT" });
  agency = await buildOrg({ region, kind: "ENFORCEMENT_AGENCY" });
  const otherProcuratorate = await buildOrg({ region, kind: "PROCURATORATE" });
  coordinator = await buildSessionCookie((await buildUser({ org: sfj, role: "COORDINATOR" })).id);
  host = await buildUser({ org: sfj, role: "COORDINATOR", displayName: "主持人丙" });
  recorder = await buildUser({ org: sfj, role: "DRAFTER", displayName: "记录人丁" });
  const liaison = await buildUser({ org: court, role: "LIAISON" });
  invitedLiaison = { id: liaison.id, cookie: await buildSessionCookie(liaison.id) };
  uninvitedLiaison = await buildSessionCookie((await buildUser({ org: otherProcuratorate, role: "LIAISON" })).id);
});
afterAll(async () => {
  await app.close();
});

function form(overrides: Record<string, string | undefined> = {}) {
  const base: Record<string, string | undefined> = {
    kind: "COORDINATION",
    title: "行政执法与刑事司法衔接协调会商",
    series: "2026年度测试会商",
    conveningOrgId: sfj.id,
    date: "2026-12-03",
    startTime: "14:30",
    endTime: "16:00",
    place: "市司法局三楼会议室",
    agenda: "通报情况\n研究移送衔接",
    [`role.${court.id}`]: "ATTENDEE",
    [`role.${agency.id}`]: "OBSERVER",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

describe("consultations", () => {
  it("convenes, numbers the series, notifies invited liaisons, and shows only to the invited", async () => {
    const first = await app.request("/consultations/new", { cookie: coordinator, form: form() });
    expect(first.status).toBe(302);
    const id = first.headers.get("location")!.split("/")[2].split("?")[0];
    const second = await app.request("/consultations/new", {
      cookie: coordinator,
      form: form({ title: "第二次会商" }),
    });
    expect(second.status).toBe(302);
    const numbers = (
      await getDb().consultation.findMany({
        where: { conveningOrgId: sfj.id, series: "2026年度测试会商" },
        select: { number: true },
        orderBy: { number: "asc" },
      })
    ).map((c) => c.number);
    expect(numbers).toEqual([1, 2]);

    const notes = await getDb().notification.findMany({
      where: { userId: invitedLiaison.id, kind: "consultation.invited" },
    });
    expect(notes).toHaveLength(2);
    expect(notes[0].link).toMatch(/^\/consultations\//);
    expect(await getDb().auditEvent.count({ where: { action: "consultation.convened", targetId: id } })).toBe(1);

    const page = await app.request(`/consultations/${id}`, { cookie: invitedLiaison.cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("2026年度测试会商 第1期");
    expect(html).toContain("2026年12月3日 14:30至16:00");

    const ics = await app.request(`/consultations/${id}/invite.ics`, { cookie: invitedLiaison.cookie });
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    const cal = (await ics.text()).replace(/\r\n /g, "");
    expect(cal).toContain("DTSTART:20261203T063000Z");
    expect(cal).toContain("LOCATION:市司法局三楼会议室");

    for (const path of [`/consultations/${id}`, `/consultations/${id}/invite.ics`]) {
      const refused = await app.request(path, { cookie: uninvitedLiaison });
      expect(refused.status, path).toBe(403);
      expect(await refused.text()).toContain("无权");
    }
    const list = await (await app.request("/consultations", { cookie: uninvitedLiaison })).text();
    expect(list).not.toContain("行政执法与刑事司法衔接协调会商");
  });

  it("refuses bad input in Chinese and creates nothing", async () => {
    const scope = { where: { conveningOrgId: sfj.id } };
    const before = await getDb().consultation.count(scope);
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ endTime: "14:00" }, "结束时间必须晚于开始时间"],
      [{ [`role.${court.id}`]: undefined, [`role.${agency.id}`]: undefined }, "请至少邀请一个参会单位"],
      [{ title: "长".repeat(200) }, "不能超过 80 个字符"],
      [{ [`role.no-such-org`]: "ATTENDEE" }, "所选单位不存在或已停用"],
      [{ [`role.${court.id}`]: "KING" }, "参会单位或身份选择无效"],
      [{ date: "2026-13-45" }, "日期无效"],
      [{ startTime: "25:99" }, "时间格式应为 14:30"],
      [{ kind: "PARTY" }, "请选择会商类型"],
      [{ conveningOrgId: court.id }, "您不能以该单位名义召集会商"],
      [{ title: "" }, "此项为必填项"],
      // 主持人 / 记录人 must be staff of the convening org.
      [{ hostUserId: "no-such-user" }, "所选人员不是召集单位的在职人员"],
      [{ recorderUserId: invitedLiaison.id }, "所选人员不是召集单位的在职人员"],
    ];
    for (const [overrides, message] of cases) {
      const res = await app.request("/consultations/new", { cookie: coordinator, form: form(overrides) });
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(await res.text(), JSON.stringify(overrides)).toContain(message);
    }
    expect(await getDb().consultation.count(scope)).toBe(before);
  });

  it("lets only coordinators and admins convene", async () => {
    const res = await app.request("/consultations/new", { cookie: invitedLiaison.cookie });
    expect(res.status).toBe(403);
  });

  it("drafts the minutes from the 纪要 template: participant orgs co-edit, 列席 read, the editor receives the filled header", async () => {
    const res = await app.request("/consultations/new", {
      cookie: coordinator,
      form: form({
        title: "纪要模板会商",
        series: "2026年度纪要测试",
        hostUserId: host.id,
        recorderUserId: recorder.id,
      }),
    });
    const id = res.headers.get("location")!.split("/")[2].split("?")[0];
    // Only the convener's coordinator may create it.
    expect(
      (await app.request(`/consultations/${id}`, { cookie: invitedLiaison.cookie, form: { intent: "createMinutes" } }))
        .status,
    ).toBe(403);
    expect(
      (await app.request(`/consultations/${id}`, { cookie: coordinator, form: { intent: "launch" } })).status,
    ).toBe(400);
    const created = await app.request(`/consultations/${id}`, {
      cookie: coordinator,
      form: { intent: "createMinutes" },
    });
    expect(created.status).toBe(302);
    const docId = created.headers.get("location")!.split("/")[2];
    const again = await app.request(`/consultations/${id}`, { cookie: coordinator, form: { intent: "createMinutes" } });
    expect(again.headers.get("location")).toBe(`/documents/${docId}`);

    const doc = await getDb().document.findUnique({
      where: { id: docId },
      select: {
        type: true,
        ownerOrgId: true,
        members: { select: { orgId: true, access: true } },
        snapshot: { select: { text: true } },
      },
    });
    expect(doc!.type).toBe("MINUTES");
    expect(doc!.ownerOrgId).toBe(sfj.id);
    expect(doc!.members).toEqual(
      expect.arrayContaining([
        { orgId: court.id, access: "WRITE" },
        { orgId: agency.id, access: "READ" },
      ]),
    );
    const text = doc!.snapshot!.text;
    expect(text).toContain("会议名称：纪要模板会商");
    expect(text).toContain("期号：2026年度纪要测试第1期");
    expect(text).toContain("时间：2026年12月3日14时30分至16时00分");
    expect(text).toContain("主持人：主持人丙");
    expect(text).toContain("记录人：记录人丁");
    // People are not listed as orgs, and the convener is not listed twice.
    const attend = text.split("\n").find((l) => l.startsWith("出席："))!;
    expect(attend).not.toContain("主持人丙");
    expect(attend.split("、").length).toBe(new Set(attend.split("、")).size);
    expect(text).toContain("一、会议概况");
    expect(text).toContain("二、会议精神和议定事项");
    expect((await getDb().consultation.findUnique({ where: { id }, select: { status: true } }))!.status).toBe(
      "DRAFTING",
    );

    // The invited court liaison opens it in the editor and receives the template over the collab socket.
    const client = connectClient(app.origin, docId, invitedLiaison.cookie);
    await client.synced();
    const fragment = client.doc.getXmlFragment("default");
    await new Promise((r) => setTimeout(r, 100));
    expect(fragment.toString()).toContain("会议名称");
    client.destroy();

    // An uninvited liaison: 403 on the consultation, its minutes, their versions and exports, and the collab socket.
    for (const path of [
      `/consultations/${id}`,
      `/consultations/${id}/invite.ics`,
      `/documents/${docId}`,
      `/documents/${docId}/versions`,
      `/documents/${docId}/export/docx`,
      `/documents/${docId}/export/pdf`,
      `/documents/${docId}/verify`,
    ]) {
      expect((await app.request(path, { cookie: uninvitedLiaison })).status, path).toBe(403);
    }
    const intruder = connectClient(app.origin, docId, uninvitedLiaison);
    await waitFor(() => intruder.closes.length > 0, 3000, "refused");
    expect(intruder.closes[0].code).toBe(CloseCode.FORBIDDEN);
    expect(intruder.doc.getXmlFragment("default").length).toBe(0);
    intruder.destroy();
  });

  it("records attendance (请假 needs a reason) and the minutes list 请假 accordingly", async () => {
    const res = await app.request("/consultations/new", {
      cookie: coordinator,
      form: form({ title: "出席登记会商", series: "2026年度出席测试" }),
    });
    const id = res.headers.get("location")!.split("/")[2].split("?")[0];
    const parts = await getDb().consultationParticipant.findMany({
      where: { consultationId: id },
      select: { id: true, orgId: true },
    });
    const courtPart = parts.find((p) => p.orgId === court.id)!;
    const agencyPart = parts.find((p) => p.orgId === agency.id)!;
    // Bad input: 请假 without a reason, a participant of another consultation, an unknown value, a non-convener.
    for (const [cookie, f, status] of [
      [coordinator, { intent: "attendance", [`attendance.${courtPart.id}`]: "ABSENT" }, 400],
      [coordinator, { intent: "attendance", ["attendance.someone-else"]: "PRESENT" }, 400],
      [coordinator, { intent: "attendance", [`attendance.${courtPart.id}`]: "ASLEEP" }, 400],
      [
        coordinator,
        {
          intent: "attendance",
          [`attendance.${courtPart.id}`]: "ABSENT",
          [`reason.${courtPart.id}`]: "长".repeat(101),
        },
        400,
      ],
      [invitedLiaison.cookie, { intent: "attendance", [`attendance.${courtPart.id}`]: "PRESENT" }, 403],
    ] as const) {
      const r = await app.request(`/consultations/${id}`, { cookie, form: f });
      expect(r.status, JSON.stringify(f)).toBe(status);
      expect(await r.text()).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(
      (
        await getDb().consultationParticipant.findMany({ where: { consultationId: id }, select: { attendance: true } })
      ).every((p) => p.attendance === "INVITED"),
    ).toBe(true);
    const ok = await app.request(`/consultations/${id}`, {
      cookie: coordinator,
      form: {
        intent: "attendance",
        [`attendance.${courtPart.id}`]: "ABSENT",
        [`reason.${courtPart.id}`]: "另有庭审",
        [`attendance.${agencyPart.id}`]: "PRESENT",
      },
    });
    expect(ok.status).toBe(302);
    expect(
      await getDb().auditEvent.count({ where: { action: "consultation.attendance_recorded", targetId: id } }),
    ).toBe(1);
    const created = await app.request(`/consultations/${id}`, {
      cookie: coordinator,
      form: { intent: "createMinutes" },
    });
    const docId = created.headers.get("location")!.split("/")[2];
    const snap = await getDb().documentSnapshot.findUnique({ where: { documentId: docId }, select: { text: true } });
    expect(snap!.text).toMatch(/请假：[^\n]*$/m);
    const leaveLine = snap!.text.split("\n").find((l) => l.startsWith("请假："))!;
    const attendLine = snap!.text.split("\n").find((l) => l.startsWith("出席："))!;
    const courtName = (await getDb().organization.findUnique({ where: { id: court.id }, select: { name: true } }))!
      .name;
    expect(leaveLine).toContain(courtName);
    expect(attendLine).not.toContain(courtName);
  });

  it("carries the series' unfinished items onto the next meeting: agenda and a 跟进 section in its minutes with status and latest progress", async () => {
    const series = `2026年度跟进测试${Date.now().toString(36)}`;
    const first = await app.request("/consultations/new", {
      cookie: coordinator,
      form: form({ title: "第一次会商", series }),
    });
    const firstId = first.headers.get("location")!.split("/")[2].split("?")[0];
    const created = await app.request(`/consultations/${firstId}`, {
      cookie: coordinator,
      form: { intent: "createMinutes" },
    });
    const minutesId = created.headers.get("location")!.split("/")[2];
    const db = getDb();
    const itemId = `carry${Date.now().toString(36)}`;
    await db.trackedItem.create({
      data: {
        id: itemId,
        kind: "AGREED_ITEM",
        sourceDocumentId: minutesId,
        ownerOrgId: sfj.id,
        consultationId: firstId,
        series,
        number: 1,
        wording: "建立案件移送衔接台账",
        leadOrgId: agency.id,
        status: "IN_PROGRESS",
        lastProgressText: "已完成初稿",
        dueDate: new Date(Date.now() + 10 * 86_400_000),
      },
    });
    const closedId = `${itemId}x`;
    await db.trackedItem.create({
      data: {
        id: closedId,
        kind: "AGREED_ITEM",
        sourceDocumentId: minutesId,
        ownerOrgId: sfj.id,
        series,
        number: 2,
        wording: "已办结事项",
        status: "CLOSED",
      },
    });

    // The form offers only the series' unfinished items.
    const page = await (await app.request("/consultations/new", { cookie: coordinator })).text();
    expect(page).toContain("建立案件移送衔接台账");
    expect(page).not.toContain("已办结事项");
    // A closed item, or one of another series, cannot be carried.
    const bad = await app.request("/consultations/new", {
      cookie: coordinator,
      form: { ...form({ title: "第二次会商", series }), carry: closedId },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("所选跟进事项不属于本系列或已办结");

    const second = await app.request("/consultations/new", {
      cookie: coordinator,
      form: { ...form({ title: "第二次会商", series }), carry: itemId },
    });
    expect(second.status).toBe(302);
    const secondId = second.headers.get("location")!.split("/")[2].split("?")[0];
    const row = await db.consultation.findUniqueOrThrow({
      where: { id: secondId },
      select: { number: true, agenda: true, carriedItemIds: true },
    });
    expect(row.number).toBe(2);
    expect(JSON.parse(row.carriedItemIds)).toEqual([itemId]);
    expect(row.agenda).toContain("跟进前期议定事项落实情况（1项）");
    const minutes2 = await app.request(`/consultations/${secondId}`, {
      cookie: coordinator,
      form: { intent: "createMinutes" },
    });
    const doc2 = minutes2.headers.get("location")!.split("/")[2];
    const snap = await db.documentSnapshot.findUniqueOrThrow({
      where: { documentId: doc2 },
      select: { text: true, json: true },
    });
    expect(snap.text).toContain("二、前期议定事项跟进情况");
    expect(snap.text).toContain("第1期议定事项1：建立案件移送衔接台账");
    expect(snap.text).toContain("当前状态：推进中；最新进展：已完成初稿");
    expect(snap.text).toContain("三、会议精神和议定事项");
    expect(snap.json).toContain(`/items/${itemId}`);
  });
});
