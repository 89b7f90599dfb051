import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { getConsultationFacts } from "~/models/consultation.server";
import { buildActor, getUserMemberships } from "~/models/user.server";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { consultationInvitation } from "~/services/consultation-invitation.server";
import { chaseReplies, replyToInvitation, type ReplyInput } from "~/services/consultation-replies.server";
import { cancelConsultation, rescheduleConsultation } from "~/services/consultation-schedule.server";
import { conveneConsultation } from "~/services/convene-consultation.server";
import { createMinutes } from "~/services/create-minutes.server";
import { createEventBus } from "~/services/events.server";
import { isUpcoming } from "~/domain/consultation";
import { DomainError } from "~/domain/errors";
import { buildOrg, buildRegion, buildUser } from "../factories";

/**
 * Calendar invitations and 参会回执 (ADR 021) through the commands, on a real database: the .ics is
 * read back with Mozilla's ical.js. Every test builds its own consultation; all rows are this
 * file's own (a PostgreSQL run shares one database).
 */

const HOUR = 3_600_000;
const events = createEventBus();
const published: string[] = [];
events.subscribe((e) => published.push(e.type));
const ctx = (now = new Date()) => ({
  ip: "127.0.0.1",
  events,
  collab: { storeDocument: async () => undefined, applyChange: async () => undefined },
  now,
});

async function asUser(id: string): Promise<CurrentUser> {
  const u = await getDb().user.findUniqueOrThrow({
    where: { id },
    select: { id: true, username: true, displayName: true },
  });
  const memberships = await getUserMemberships(getDb(), id);
  return {
    ...u,
    sessionId: "test",
    memberships,
    actor: buildActor(id, memberships),
    mustChangePassword: false,
    cookie: null,
  };
}

let sfj: { id: string; name: string };
let court: { id: string; name: string };
let agency: { id: string; name: string };
const u = {} as Record<
  | "coord"
  | "coord2"
  | "drafter"
  | "viewer"
  | "courtLiaison"
  | "courtCoord"
  | "courtDrafter"
  | "agencyLiaison"
  | "agencyDrafter"
  | "outsider",
  CurrentUser
>;

beforeAll(async () => {
  const region = await buildRegion({ name: "回执测试市" });
  sfj = await buildOrg({ region, kind: "JUSTICE_BUREAU", name: `回执测试司法局${Date.now()}` });
  court = await buildOrg({ region, kind: "COURT", name: `回执测试法院${Date.now()}` });
  agency = await buildOrg({ region, kind: "ENFORCEMENT_AGENCY", name: `回执测试市场监管局${Date.now()}` });
  const procuratorate = await buildOrg({ region, kind: "PROCURATORATE" });
  const make = async (org: { id: string }, role: Parameters<typeof buildUser>[0] extends infer O ? O : never) =>
    asUser((await buildUser({ org, ...role })).id);
  u.coord = await make(sfj, { role: "COORDINATOR", displayName: "召集人甲" });
  u.coord2 = await make(sfj, { role: "COORDINATOR", displayName: "协调员乙" });
  u.drafter = await make(sfj, { role: "DRAFTER", displayName: "记录人丙" });
  u.viewer = await make(sfj, { role: "VIEWER", displayName: "科员丁" });
  u.courtLiaison = await make(court, { role: "LIAISON", displayName: "法院联络员" });
  u.courtCoord = await make(court, { role: "COORDINATOR", displayName: "法院协调员" });
  u.courtDrafter = await make(court, { role: "DRAFTER", displayName: "法院起草人" });
  u.agencyLiaison = await make(agency, { role: "LIAISON", displayName: "监管局联络员" });
  u.agencyDrafter = await make(agency, { role: "DRAFTER", displayName: "监管局起草人" });
  u.outsider = await make(procuratorate, { role: "LIAISON", displayName: "检察院联络员" });
});

let series = 0;
/** A consultation next week: the court attends, the agency 列席; 主持 and 记录 named (the same person if asked). */
async function convene(opts: { samePerson?: boolean } = {}) {
  const startsAt = new Date(Date.now() + 7 * 24 * HOUR);
  const { id } = await conveneConsultation(
    u.coord,
    {
      kind: "COORDINATION",
      title: "回执测试会商",
      series: `回执测试系列${Date.now()}${series++}`,
      conveningOrgId: sfj.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      place: "三楼会议室",
      agenda: ["通报情况"],
      participants: [
        { orgId: court.id, role: "ATTENDEE" },
        { orgId: agency.id, role: "OBSERVER" },
      ],
      people: [
        { userId: u.coord.id, role: "HOST" },
        { userId: opts.samePerson ? u.coord.id : u.drafter.id, role: "RECORDER" },
      ],
    },
    ctx(),
  );
  const rows = await getDb().consultationParticipant.findMany({
    where: { consultationId: id },
    select: { id: true, orgId: true, userId: true, role: true },
  });
  const row = (pick: (r: (typeof rows)[number]) => boolean) => rows.find(pick)!.id;
  return {
    id,
    startsAt,
    courtRow: row((r) => r.orgId === court.id),
    agencyRow: row((r) => r.orgId === agency.id),
    recorderRow: row((r) => r.role === "RECORDER"),
    facts: async () => (await getConsultationFacts(getDb(), id))!,
  };
}

type Consultation = Awaited<ReturnType<typeof convene>>;

function reply(c: Consultation, who: CurrentUser, input: Partial<ReplyInput> & { participantId: string }, now?: Date) {
  return c
    .facts()
    .then((facts) =>
      replyToInvitation(who, facts, { answer: "ACCEPTED", reason: null, delegateUserId: null, ...input }, ctx(now)),
    );
}

/** The invitation as ical.js reads it: METHOD, the VEVENT's fields and its attendees by address. */
async function invitation(id: string) {
  const { body } = await consultationInvitation(id, "http://consult.test");
  const calendar = new ICAL.Component(ICAL.parse(body));
  const vevent = calendar.getFirstSubcomponent("vevent")!;
  const attendees = vevent.getAllProperties("attendee").map((a) => ({
    address: String(a.getFirstValue()),
    cn: a.getParameter("cn"),
    cutype: a.getParameter("cutype"),
    role: a.getParameter("role"),
    partstat: a.getParameter("partstat"),
    rsvp: a.getParameter("rsvp"),
    delegatedTo: a.getParameter("delegated-to") ?? null,
    delegatedFrom: a.getParameter("delegated-from") ?? null,
  }));
  return {
    method: calendar.getFirstPropertyValue("method"),
    uid: vevent.getFirstPropertyValue("uid"),
    sequence: vevent.getFirstPropertyValue("sequence"),
    status: vevent.getFirstPropertyValue("status"),
    lastModified: String(vevent.getFirstPropertyValue("last-modified")),
    dtstart: String(vevent.getFirstPropertyValue("dtstart")),
    location: vevent.getFirstPropertyValue("location"),
    description: String(vevent.getFirstPropertyValue("description")),
    organizer: vevent.getFirstProperty("organizer")!.getParameter("cn"),
    attendees,
    of: (userOrOrgId: string) => attendees.find((a) => a.address.includes(userOrOrgId)),
  };
}

async function refusal(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const notes = (userId: string, consultationId: string, kind: string) =>
  getDb().notification.findMany({
    where: { userId, kind, link: { startsWith: `/consultations/${consultationId}` } },
    select: { title: true, body: true, link: true },
  });
const audits = (consultationId: string, action: string) =>
  getDb().auditEvent.findMany({ where: { targetId: consultationId, action }, select: { summary: true, orgId: true } });

describe("calendar invitation", () => {
  it("is a REQUEST from the convening unit to every person once and to each unnamed unit as a group", async () => {
    const c = await convene();
    const ics = await invitation(c.id);
    expect(ics.method).toBe("REQUEST");
    expect(ics.uid).toBe(`${c.id}@consult`);
    expect(ics.sequence).toBe(0);
    expect(ics.status).toBe("CONFIRMED");
    expect(ics.organizer).toBe(sfj.name);
    expect(ics.attendees.map((a) => [a.cn, a.cutype, a.role, a.partstat, a.rsvp])).toEqual([
      [`召集人甲（${sfj.name}）`, "INDIVIDUAL", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"],
      [`记录人丙（${sfj.name}）`, "INDIVIDUAL", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"],
      [court.name, "GROUP", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"],
      [agency.name, "GROUP", "OPT-PARTICIPANT", "NEEDS-ACTION", "TRUE"],
    ]);
    expect(ics.of(u.coord.id)!.address).toBe(`mailto:${u.coord.id}@consult.invalid`);
    // The convening unit is the organizer, never a group attendee, and listed once among the units.
    expect(ics.attendees.some((a) => a.cn === sfj.name)).toBe(false);
    expect(ics.description).toContain(`参会单位：${sfj.name}、${court.name}、${agency.name}\n`);
    expect(ics.description).toContain(`主持：召集人甲（${sfj.name}）；记录：记录人丙（${sfj.name}）`);
  });

  it("lists a person named as 主持 and 记录 once", async () => {
    const c = await convene({ samePerson: true });
    const ics = await invitation(c.id);
    expect(ics.attendees.filter((a) => a.address.includes(u.coord.id))).toHaveLength(1);
    expect(ics.attendees).toHaveLength(3);
    // Answering once answers both rows.
    const rows = await getDb().consultationParticipant.findMany({
      where: { consultationId: c.id, userId: u.coord.id },
    });
    await reply(c, u.coord, { participantId: rows[0]!.id, answer: "ACCEPTED" });
    const after = await getDb().consultationParticipant.findMany({
      where: { consultationId: c.id, userId: u.coord.id },
    });
    expect(after.map((r) => r.rsvp)).toEqual(["ACCEPTED", "ACCEPTED"]);
    expect((await invitation(c.id)).of(u.coord.id)!.partstat).toBe("ACCEPTED");
  });
});

describe("参会回执", () => {
  it("参加 / 不参加 are stored, audited, told to the convener and shown as PARTSTAT", async () => {
    const c = await convene();
    const now = new Date();
    await reply(c, u.courtDrafter, { participantId: c.courtRow, answer: "ACCEPTED" }, now);
    await reply(c, u.agencyLiaison, { participantId: c.agencyRow, answer: "DECLINED", reason: "另有执法检查任务" });
    const court1 = await getDb().consultationParticipant.findUniqueOrThrow({ where: { id: c.courtRow } });
    expect(court1).toMatchObject({ rsvp: "ACCEPTED", rsvpById: u.courtDrafter.id, rsvpReason: null });
    expect(court1.rsvpAt?.getTime()).toBe(now.getTime());
    const ics = await invitation(c.id);
    expect(ics.of(court.id)!.partstat).toBe("ACCEPTED");
    expect(ics.of(agency.id)!.partstat).toBe("DECLINED");
    const rsvps = await audits(c.id, "consultation.rsvp");
    expect(rsvps).toHaveLength(2);
    expect(rsvps.map((a) => a.orgId).sort()).toEqual([court.id, agency.id].sort());
    expect(rsvps.find((a) => a.orgId === agency.id)!.summary).toContain("不参加（另有执法检查任务）");
    const told = await notes(u.coord.id, c.id, "consultation.rsvp");
    expect(told.map((n) => n.title).sort()).toEqual(
      [`会商回执：${agency.name}不参加`, `会商回执：${court.name}参加`].sort(),
    );
    expect(published).toContain("notification.created");
    // The same answer again changes nothing and records nothing.
    expect(await reply(c, u.courtLiaison, { participantId: c.courtRow, answer: "ACCEPTED" })).toEqual({
      changed: false,
    });
    expect(await audits(c.id, "consultation.rsvp")).toHaveLength(2);
  });

  it("refuses bad answers with Chinese field messages and strangers with 403, changing nothing", async () => {
    const c = await convene();
    const cases: Array<[CurrentUser, Partial<ReplyInput> & { participantId: string }, string, string | null]> = [
      [u.courtLiaison, { participantId: c.courtRow, answer: "DECLINED" }, "VALIDATION", "reason"],
      [u.courtLiaison, { participantId: c.courtRow, answer: "DELEGATED" }, "VALIDATION", "delegateUserId"],
      [
        u.courtLiaison,
        { participantId: c.courtRow, answer: "DELEGATED", delegateUserId: u.agencyDrafter.id },
        "VALIDATION",
        "delegateUserId",
      ],
      [
        u.courtLiaison,
        { participantId: c.courtRow, answer: "DELEGATED", delegateUserId: u.courtLiaison.id },
        "VALIDATION",
        "delegateUserId",
      ],
      [u.courtLiaison, { participantId: "nosuchrow" }, "VALIDATION", "participantId"],
      [u.courtLiaison, { participantId: c.agencyRow }, "FORBIDDEN", null],
      [u.outsider, { participantId: c.courtRow }, "FORBIDDEN", null],
      [u.coord, { participantId: c.courtRow }, "FORBIDDEN", null],
      [u.viewer, { participantId: c.recorderRow }, "FORBIDDEN", null],
    ];
    for (const [who, input, id, field] of cases) {
      const e = await refusal(() => reply(c, who, input));
      expect(e.id, JSON.stringify(input)).toBe(id);
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
      if (field) expect(e.fieldErrors?.[field]?.[0], JSON.stringify(input)).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(
      (await refusal(() => reply(c, u.courtLiaison, { participantId: c.courtRow, answer: "DECLINED" }))).fieldErrors,
    ).toEqual({ reason: ["选择不参加时，请填写原因。"] });
    const rows = await getDb().consultationParticipant.findMany({ where: { consultationId: c.id } });
    expect(rows.every((r) => r.rsvp === "PENDING" && r.rsvpAt === null)).toBe(true);
    expect(await audits(c.id, "consultation.rsvp")).toHaveLength(0);
  });

  it("委派: the colleague is told, answers the row, and shows as DELEGATED-FROM; a named invitee shows DELEGATED", async () => {
    const c = await convene();
    await reply(c, u.agencyLiaison, {
      participantId: c.agencyRow,
      answer: "DELEGATED",
      delegateUserId: u.agencyDrafter.id,
      reason: "由执法科负责人参加",
    });
    expect(await notes(u.agencyDrafter.id, c.id, "consultation.delegated")).toHaveLength(1);
    let ics = await invitation(c.id);
    // The agency is represented by its delegate: no group attendee for it any more.
    expect(ics.attendees.some((a) => a.cutype === "GROUP" && a.cn === agency.name)).toBe(false);
    expect(ics.of(u.agencyDrafter.id)).toMatchObject({
      cn: `监管局起草人（${agency.name}）`,
      role: "OPT-PARTICIPANT",
      partstat: "NEEDS-ACTION",
      delegatedFrom: `mailto:org-${agency.id}@consult.invalid`,
    });
    await reply(c, u.agencyDrafter, { participantId: c.agencyRow, answer: "ACCEPTED" });
    expect((await invitation(c.id)).of(u.agencyDrafter.id)!.partstat).toBe("ACCEPTED");
    expect(await getDb().consultationParticipant.findUniqueOrThrow({ where: { id: c.agencyRow } })).toMatchObject({
      rsvp: "ACCEPTED",
      delegateUserId: u.agencyDrafter.id,
    });

    // A named person (记录) delegates to a colleague: both listed, each with their side of it.
    await reply(c, u.drafter, { participantId: c.recorderRow, answer: "DELEGATED", delegateUserId: u.viewer.id });
    ics = await invitation(c.id);
    expect(ics.of(u.drafter.id)).toMatchObject({
      partstat: "DELEGATED",
      delegatedTo: `mailto:${u.viewer.id}@consult.invalid`,
    });
    expect(ics.of(u.viewer.id)).toMatchObject({
      partstat: "NEEDS-ACTION",
      delegatedFrom: `mailto:${u.drafter.id}@consult.invalid`,
    });
    // The delegate now answers the row; the invitee answering again takes the delegation back.
    await reply(c, u.viewer, { participantId: c.recorderRow, answer: "DECLINED", reason: "时间冲突" });
    expect((await invitation(c.id)).of(u.viewer.id)!.partstat).toBe("DECLINED");
    await reply(c, u.drafter, { participantId: c.recorderRow, answer: "ACCEPTED" });
    ics = await invitation(c.id);
    expect(ics.of(u.viewer.id)).toBeUndefined();
    expect(ics.of(u.drafter.id)!.partstat).toBe("ACCEPTED");
  });
});

describe("催办", () => {
  it("tells only who has not answered, once an hour, audited; others may not chase", async () => {
    const c = await convene();
    await reply(c, u.courtLiaison, { participantId: c.courtRow, answer: "ACCEPTED" });
    const t0 = new Date();
    const facts = await c.facts();
    const chased = await chaseReplies(u.coord2, facts, ctx(t0));
    // Pending: the agency (its liaison; the drafter is not a liaison), 主持 (the coordinator himself) and 记录.
    expect(chased.rows).toBe(3);
    expect(await notes(u.agencyLiaison.id, c.id, "consultation.rsvp_chased")).toHaveLength(1);
    expect(await notes(u.drafter.id, c.id, "consultation.rsvp_chased")).toHaveLength(1);
    expect(await notes(u.coord.id, c.id, "consultation.rsvp_chased")).toHaveLength(1);
    expect(await notes(u.courtLiaison.id, c.id, "consultation.rsvp_chased")).toHaveLength(0);
    expect(await notes(u.agencyDrafter.id, c.id, "consultation.rsvp_chased")).toHaveLength(0);
    expect(await audits(c.id, "consultation.rsvp_chased")).toHaveLength(1);

    const again = await refusal(() => chaseReplies(u.coord, facts, ctx(new Date(t0.getTime() + 10 * 60_000))));
    expect(again.id).toBe("RATE_LIMITED");
    expect(again.status).toBe(429);
    expect(again.message).toContain("一小时内只能催办一次");
    expect(await audits(c.id, "consultation.rsvp_chased")).toHaveLength(1);
    expect((await refusal(() => chaseReplies(u.drafter, facts, ctx()))).id).toBe("FORBIDDEN");
    expect((await refusal(() => chaseReplies(u.courtCoord, facts, ctx()))).id).toBe("FORBIDDEN");

    await chaseReplies(u.coord, facts, ctx(new Date(t0.getTime() + HOUR + 1000)));
    expect(await audits(c.id, "consultation.rsvp_chased")).toHaveLength(2);
    expect(await notes(u.agencyLiaison.id, c.id, "consultation.rsvp_chased")).toHaveLength(2);
  });
});

describe("修改时间地点议程 and 取消", () => {
  it("a change bumps SEQUENCE and LAST-MODIFIED and tells everyone invited; the same values change nothing", async () => {
    const c = await convene();
    const before = await invitation(c.id);
    expect(before.sequence).toBe(0);
    const later = new Date(Date.now() + 2 * 60_000);
    const startsAt = new Date(c.startsAt.getTime() + 24 * HOUR);
    const input = { startsAt, endsAt: new Date(startsAt.getTime() + HOUR), place: "五楼会议室", agenda: ["通报情况"] };
    const done = await rescheduleConsultation(u.coord, await c.facts(), input, ctx(later));
    expect(done).toEqual({ changed: ["时间", "地点"], sequence: 1 });
    const after = await invitation(c.id);
    expect(after.sequence).toBe(1);
    expect(after.uid).toBe(before.uid);
    expect(after.method).toBe("REQUEST");
    expect(after.location).toBe("五楼会议室");
    expect(after.lastModified).not.toBe(before.lastModified);
    expect(new Date(after.lastModified).getTime()).toBe(Math.floor(later.getTime() / 1000) * 1000);
    for (const who of [u.courtLiaison, u.courtCoord, u.agencyLiaison, u.drafter]) {
      const told = await notes(who.id, c.id, "consultation.changed");
      expect(told, who.displayName).toHaveLength(1);
      expect(told[0]!.title).toBe("会商时间、地点已变更：回执测试会商");
      expect(told[0]!.link).toBe(`/consultations/${c.id}/invite.ics`);
    }
    expect(await notes(u.courtDrafter.id, c.id, "consultation.changed")).toHaveLength(0);
    expect(await notes(u.coord.id, c.id, "consultation.changed")).toHaveLength(0);
    expect(await audits(c.id, "consultation.rescheduled")).toHaveLength(1);

    expect(await rescheduleConsultation(u.coord, await c.facts(), input, ctx())).toEqual({ changed: [], sequence: 1 });
    expect((await invitation(c.id)).sequence).toBe(1);
    const agenda = await rescheduleConsultation(
      u.coord,
      await c.facts(),
      { ...input, agenda: ["通报情况", "研究整改"] },
      ctx(),
    );
    expect(agenda).toEqual({ changed: ["议程"], sequence: 2 });
  });

  it("refuses an end before the start, a start already past, and anyone but the convener", async () => {
    const c = await convene();
    const facts = await c.facts();
    const bad = await refusal(() =>
      rescheduleConsultation(
        u.coord,
        facts,
        { startsAt: c.startsAt, endsAt: new Date(c.startsAt.getTime() - HOUR), place: "x", agenda: [] },
        ctx(),
      ),
    );
    expect(bad.id).toBe("VALIDATION");
    expect(bad.fieldErrors).toEqual({ endTime: ["结束时间必须晚于开始时间"] });
    const past = new Date(Date.now() - 24 * HOUR);
    const late = await refusal(() =>
      rescheduleConsultation(
        u.coord,
        facts,
        { startsAt: past, endsAt: new Date(past.getTime() + HOUR), place: "三楼会议室", agenda: ["通报情况"] },
        ctx(),
      ),
    );
    expect(late.fieldErrors?.startTime?.[0]).toContain("已过");
    const input = { startsAt: c.startsAt, endsAt: c.startsAt, place: "x", agenda: [] };
    for (const who of [u.drafter, u.courtCoord, u.outsider]) {
      expect((await refusal(() => rescheduleConsultation(who, facts, input, ctx()))).id).toBe("FORBIDDEN");
      expect((await refusal(() => cancelConsultation(who, facts, { reason: "x" }, ctx()))).id).toBe("FORBIDDEN");
    }
    expect((await refusal(() => cancelConsultation(u.coord, facts, { reason: " " }, ctx()))).fieldErrors).toEqual({
      cancelReason: ["请填写取消原因"],
    });
    expect((await invitation(c.id)).sequence).toBe(0);
  });

  it("cancelling makes the invitation a CANCEL with a higher SEQUENCE; nothing more may happen", async () => {
    const c = await convene();
    await reply(c, u.courtLiaison, { participantId: c.courtRow, answer: "ACCEPTED" });
    await cancelConsultation(u.coord, await c.facts(), { reason: "上级临时部署其他工作" }, ctx());
    const ics = await invitation(c.id);
    expect(ics.method).toBe("CANCEL");
    expect(ics.status).toBe("CANCELLED");
    expect(ics.uid).toBe(`${c.id}@consult`);
    expect(ics.sequence).toBe(1);
    expect(ics.description).toContain("上级临时部署其他工作");
    expect(ics.attendees.every((a) => a.rsvp === "FALSE")).toBe(true);
    const row = await getDb().consultation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ status: "CANCELLED", cancelReason: "上级临时部署其他工作", sequence: 1 });
    expect(isUpcoming(row, new Date())).toBe(false);
    const told = await notes(u.courtLiaison.id, c.id, "consultation.cancelled");
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toBe("会商已取消：回执测试会商");
    expect(told[0]!.body).toContain("上级临时部署其他工作");
    expect(await audits(c.id, "consultation.cancelled")).toHaveLength(1);

    const facts = await c.facts();
    const conflicts = [
      () => reply(c, u.agencyLiaison, { participantId: c.agencyRow, answer: "ACCEPTED" }),
      () => cancelConsultation(u.coord, facts, { reason: "再次取消" }, ctx()),
      () =>
        rescheduleConsultation(
          u.coord,
          facts,
          { startsAt: c.startsAt, endsAt: new Date(c.startsAt.getTime() + HOUR), place: "别处", agenda: [] },
          ctx(),
        ),
      () => chaseReplies(u.coord, facts, ctx()),
      () => createMinutes(u.coord, facts, ctx()),
    ];
    for (const run of conflicts) {
      const e = await refusal(run);
      expect(e.id).toBe("CONFLICT");
      expect(e.message).toMatch(/取消/);
    }
    expect((await getDb().consultation.findUniqueOrThrow({ where: { id: c.id } })).sequence).toBe(1);
    expect(await audits(c.id, "consultation.rsvp")).toHaveLength(1);
  });

  it("replies close once the minutes are being drafted", async () => {
    const c = await convene();
    await createMinutes(u.coord, await c.facts(), ctx());
    const e = await refusal(() => reply(c, u.courtLiaison, { participantId: c.courtRow, answer: "ACCEPTED" }));
    expect(e.id).toBe("CONFLICT");
    expect(e.message).toBe("会商已召开，回执已截止。");
  });
});
