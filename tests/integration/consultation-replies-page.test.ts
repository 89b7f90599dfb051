import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { addDaysIso, chinaDay } from "~/domain/dates";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * The consultation page's invitation intents over HTTP (ADR 021): 参会回执, 催办, 修改时间地点议程,
 * 取消 — refusals in Chinese under their fields, never a 500; the .ics follows. Runs against the Remix
 * build in build/ (rebuild after changing the route).
 */

let app: RunningServer;
let sfj: { id: string; name: string };
let court: { id: string; name: string };
const cookies = {} as Record<"coord" | "drafter" | "courtLiaison" | "courtDrafter" | "outsider", string>;
let courtDrafterId: string;
let colleagueElsewhere: string;

beforeAll(async () => {
  app = await startServer();
  const region = await buildRegion({ name: "回执页面测试市" });
  sfj = await buildOrg({ region, kind: "JUSTICE_BUREAU" });
  court = await buildOrg({ region, kind: "COURT" });
  const outsiderOrg = await buildOrg({ region, kind: "PROCURATORATE" });
  cookies.coord = await buildSessionCookie((await buildUser({ org: sfj, role: "COORDINATOR" })).id);
  cookies.drafter = await buildSessionCookie((await buildUser({ org: sfj, role: "DRAFTER" })).id);
  cookies.courtLiaison = await buildSessionCookie((await buildUser({ org: court, role: "LIAISON" })).id);
  courtDrafterId = (await buildUser({ org: court, role: "DRAFTER", displayName: "法院同事" })).id;
  cookies.courtDrafter = await buildSessionCookie(courtDrafterId);
  const outsider = await buildUser({ org: outsiderOrg, role: "LIAISON" });
  cookies.outsider = await buildSessionCookie(outsider.id);
  colleagueElsewhere = outsider.id;
});
afterAll(async () => {
  await app?.close();
});

async function convene(): Promise<{ id: string; courtRow: string }> {
  const res = await app.request("/consultations/new", {
    cookie: cookies.coord,
    form: {
      kind: "COORDINATION",
      title: "回执页面会商",
      series: `回执页面系列${Date.now()}`,
      conveningOrgId: sfj.id,
      date: addDaysIso(chinaDay(), 5),
      startTime: "14:30",
      endTime: "16:00",
      place: "三楼会议室",
      agenda: "通报情况",
      [`role.${court.id}`]: "ATTENDEE",
    },
  });
  expect(res.status).toBe(302);
  const id = res.headers.get("location")!.split("/")[2]!.split("?")[0]!;
  const row = await getDb().consultationParticipant.findFirstOrThrow({
    where: { consultationId: id, orgId: court.id },
    select: { id: true },
  });
  return { id, courtRow: row.id };
}

const post = (id: string, cookie: string, form: Record<string, string>) =>
  app.request(`/consultations/${id}`, { cookie, form });

async function ics(id: string, cookie = cookies.courtLiaison): Promise<string> {
  const res = await app.request(`/consultations/${id}/invite.ics`, { cookie });
  expect(res.status).toBe(200);
  return (await res.text()).replace(/\r\n /g, "");
}

describe("consultation page: the invitation", () => {
  it("the invited court replies on the page; refusals come back under their fields", async () => {
    const c = await convene();
    const page = await (await app.request(`/consultations/${c.id}`, { cookie: cookies.courtLiaison })).text();
    expect(page).toContain("参会回执");
    expect(page).toContain("<legend");
    expect(page).toContain('name="answer"');

    const cases: Array<[Record<string, string>, number, string]> = [
      [{ answer: "DECLINED" }, 400, "选择不参加时，请填写原因。"],
      [{ answer: "DELEGATED" }, 400, "请选择委派的同事。"],
      [{ answer: "DELEGATED", delegateUserId: colleagueElsewhere }, 400, `只能委派${court.name}的在职人员。`],
      [{ answer: "MAYBE" }, 400, "请选择参加、不参加或委派他人"],
      [{ answer: "DECLINED", reason: "x".repeat(300) }, 400, "原因不能超过 200 个字符"],
    ];
    for (const [fields, status, message] of cases) {
      const res = await post(c.id, cookies.courtLiaison, { intent: "rsvp", participantId: c.courtRow, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(status);
      const html = await res.text();
      expect(html, JSON.stringify(fields)).toContain(message);
      expect(html).toContain("-error");
    }
    expect(
      (await post(c.id, cookies.outsider, { intent: "rsvp", participantId: c.courtRow, answer: "ACCEPTED" })).status,
    ).toBe(403);
    expect(
      (await post(c.id, cookies.coord, { intent: "rsvp", participantId: c.courtRow, answer: "ACCEPTED" })).status,
    ).toBe(403);

    const delegated = await post(c.id, cookies.courtLiaison, {
      intent: "rsvp",
      participantId: c.courtRow,
      answer: "DELEGATED",
      delegateUserId: courtDrafterId,
    });
    expect(delegated.status).toBe(302);
    expect(delegated.headers.get("location")).toBe(`/consultations/${c.id}?replied=DELEGATED`);
    expect(await ics(c.id)).toContain(
      `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;DELEGATED-FROM="mailto:org-${court.id}@consult.invalid"`,
    );
    const accepted = await post(c.id, cookies.courtDrafter, {
      intent: "rsvp",
      participantId: c.courtRow,
      answer: "ACCEPTED",
    });
    expect(accepted.status).toBe(302);
    expect(await ics(c.id)).toMatch(/PARTSTAT=ACCEPTED[^\r\n]*CN="法院同事（/);

    const convener = await (await app.request(`/consultations/${c.id}`, { cookie: cookies.coord })).text();
    expect(convener).toContain("回执情况");
    expect(convener).toContain("参加（由法院同事出席）");
  });

  it("the convener chases once an hour, reschedules (SEQUENCE 1) and cancels (METHOD:CANCEL)", async () => {
    const c = await convene();
    expect((await post(c.id, cookies.drafter, { intent: "chaseReplies" })).status).toBe(403);
    const chased = await post(c.id, cookies.coord, { intent: "chaseReplies" });
    expect(chased.status).toBe(302);
    const again = await post(c.id, cookies.coord, { intent: "chaseReplies" });
    expect(again.status).toBe(429);
    expect(await again.text()).toContain("一小时内只能催办一次");

    const date = addDaysIso(chinaDay(), 9);
    const reschedule = {
      intent: "reschedule",
      date,
      startTime: "09:00",
      endTime: "10:30",
      place: "五楼会议室",
      agenda: "通报情况",
    };
    const bad = await post(c.id, cookies.coord, { ...reschedule, endTime: "08:00" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("结束时间必须晚于开始时间");
    expect((await post(c.id, cookies.coord, { ...reschedule, date: "2026-02-30" })).status).toBe(400);
    expect((await post(c.id, cookies.courtLiaison, reschedule)).status).toBe(403);
    const moved = await post(c.id, cookies.coord, reschedule);
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe(`/consultations/${c.id}?rescheduled=2`);
    const updated = await ics(c.id);
    expect(updated).toContain("METHOD:REQUEST");
    expect(updated).toContain("SEQUENCE:1");
    expect(updated).toContain("LOCATION:五楼会议室");

    const noReason = await post(c.id, cookies.coord, { intent: "cancel" });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("此项为必填项");
    const cancelled = await post(c.id, cookies.coord, { intent: "cancel", cancelReason: "上级临时部署其他工作" });
    expect(cancelled.status).toBe(302);
    const cancel = await ics(c.id);
    expect(cancel).toContain("METHOD:CANCEL");
    expect(cancel).toContain("STATUS:CANCELLED");
    expect(cancel).toContain("SEQUENCE:2");
    expect(cancel).toContain(`UID:${c.id}@consult`);

    const page = await (await app.request(`/consultations/${c.id}`, { cookie: cookies.courtLiaison })).text();
    expect(page).toContain("已取消");
    expect(page).toContain("上级临时部署其他工作");
    expect(page).not.toContain('name="answer"');
    const late = await post(c.id, cookies.courtLiaison, {
      intent: "rsvp",
      participantId: c.courtRow,
      answer: "ACCEPTED",
    });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("会商已取消");
    expect((await post(c.id, cookies.coord, { intent: "createMinutes" })).status).toBe(409);
    const workbench = await (await app.request("/", { cookie: cookies.courtLiaison })).text();
    expect(workbench).not.toContain(`href="/consultations/${c.id}"`);
  });
});
