import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../collab/client";
import { getDb } from "~/db.server";
import { addDaysIso, addWorkingDaysIso, chinaDay, endOfChinaDay } from "~/domain/dates";
import { isDomainError, type DomainError } from "~/domain/errors";
import type { DomainEvent } from "~/domain/events";
import { loadClueRegister, loadClueStats, readClueFile } from "~/services/clue-pages.server";
import {
  closeClue,
  giveClueFeedback,
  grantClueAccess,
  receiveClue,
  requireClue,
  returnClue,
  revokeClueAccess,
  startHandlingClue,
  transferClue,
  type ClueContext,
  type TransferInput,
} from "~/services/clues.server";
import { createEventBus } from "~/services/events.server";
import { CLUE_REMINDER_KINDS, scanReminders } from "~/services/reminders.server";
import { seedActor } from "../../prisma/seed-actor";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * 线索移送 (issue 22, ADR 023): transfer along the routes between kinds of unit, 签收 / 退回 / 开始办理 /
 * 反馈 / 办结, need to know (the two units' COORDINATORs, an upper 纪委监委 when granted, nobody else),
 * 涉及人员 only on the clue page, every view and download audited, receipt and feedback reminders
 * once per stage, the register's overdue counts and the statistics. Services are called directly
 * where the rule is theirs; pages, downloads and forms go through the real server (HTTP tests need
 * the current Remix build).
 */
let app: RunningServer;
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  await app?.close();
});

const uid = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
/** What must never leave the clue page: 涉及人员 (and, in notifications and lists, the summary). */
const PERSONS = `涉密人员张三丰${uid}`;
const SUMMARY = `问题摘要标记${uid}`;
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");
const pdf = (name: string) => ({ name, type: "application/pdf", data: PDF });

/** A city with the units of the routes, a sibling city, and the province above with its 纪委监委 and 司法厅. */
async function world() {
  const province = await buildRegion({ level: "PROVINCE" });
  const city = await buildRegion({ level: "CITY", parent: province });
  const otherCity = await buildRegion({ level: "CITY", parent: province });
  const tag = city.id.slice(-5);
  const sfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: city, name: `线索市司法局${tag}` });
  const jw = await buildOrg({ kind: "DISCIPLINE_COMMISSION", region: city, name: `线索市纪委监委${tag}` });
  const procu = await buildOrg({ kind: "PROCURATORATE", region: city, name: `线索市人民检察院${tag}` });
  const court = await buildOrg({ kind: "COURT", region: city, name: `线索市中级人民法院${tag}` });
  const agency = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: city, name: `线索市市场监管局${tag}` });
  const pjw = await buildOrg({ kind: "DISCIPLINE_COMMISSION", region: province, name: `线索省纪委监委${tag}` });
  const psfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: province, name: `线索省司法厅${tag}` });
  const ojw = await buildOrg({ kind: "DISCIPLINE_COMMISSION", region: otherCity, name: `线索邻市纪委监委${tag}` });
  const users = {
    sfjCoord: await buildUser({ org: sfj, role: "COORDINATOR" }),
    sfjAdmin: await buildUser({ org: sfj, role: "ADMIN" }),
    sfjDrafter: await buildUser({ org: sfj, role: "DRAFTER" }),
    sfjViewer: await buildUser({ org: sfj, role: "VIEWER" }),
    jwCoord: await buildUser({ org: jw, role: "COORDINATOR" }),
    jwLiaison: await buildUser({ org: jw, role: "LIAISON" }),
    jwViewer: await buildUser({ org: jw, role: "VIEWER" }),
    jwAdmin: await buildUser({ org: jw, role: "ADMIN" }),
    procuCoord: await buildUser({ org: procu, role: "COORDINATOR" }),
    agencyCoord: await buildUser({ org: agency, role: "COORDINATOR" }),
    pjwCoord: await buildUser({ org: pjw, role: "COORDINATOR" }),
    pjwViewer: await buildUser({ org: pjw, role: "VIEWER" }),
    psfjCoord: await buildUser({ org: psfj, role: "COORDINATOR" }),
    ojwCoord: await buildUser({ org: ojw, role: "COORDINATOR" }),
  };
  const as = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await seedActor(u.username)] as const)),
  ) as Record<keyof typeof users, Awaited<ReturnType<typeof seedActor>>>;
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)] as const)),
  ) as Record<keyof typeof users, string>;
  return { province, city, sfj, jw, procu, court, agency, pjw, psfj, ojw, users, as, cookies };
}
type World = Awaited<ReturnType<typeof world>>;

function context(now = new Date()): ClueContext & { seen: DomainEvent[] } {
  const events = createEventBus();
  const seen: DomainEvent[] = [];
  events.subscribe((e) => seen.push(e));
  return { ip: "127.0.0.1", events, now, seen };
}

let counter = 0;
function input(w: World, overrides: Partial<TransferInput> = {}): TransferInput {
  return {
    fromOrgId: w.sfj.id,
    toOrgId: w.jw.id,
    docNumber: `测司移〔2026〕${uid}-${counter++}号`,
    source: "SUPERVISION",
    summary: `${SUMMARY}：某执法大队违规处理罚没款`,
    involvedUnits: "某执法大队",
    involvedPersons: PERSONS,
    needsFeedback: true,
    feedbackDue: null,
    files: [pdf(`${PERSONS}举报材料.pdf`)],
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDomainError(error)) throw new Error(`expected a domain error, got ${String(error)}`);
  return error;
}

const clueRow = (id: string) => getDb().clue.findUniqueOrThrow({ where: { id } });
const auditOf = (id: string) =>
  getDb().auditEvent.findMany({ where: { targetType: "Clue", targetId: id }, orderBy: { at: "asc" } });
const notificationsOf = (id: string) => getDb().notification.findMany({ where: { link: `/clues/${id}` } });

/** Nothing of the content leaves the page: notifications and audit summaries name the 文号 and units only. */
async function expectNoContentOutside(id: string) {
  for (const n of await notificationsOf(id)) {
    expect(`${n.title} ${n.body ?? ""}`).not.toContain(PERSONS);
    expect(`${n.title} ${n.body ?? ""}`).not.toContain(SUMMARY);
  }
  for (const a of await auditOf(id)) {
    expect(a.summary).not.toContain(PERSONS);
    expect(a.summary).not.toContain(SUMMARY);
  }
}

describe("clues: service level", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 60_000);

  it("transfer → 签收 → 开始办理 → 反馈 → 办结: deadlines, who may, neutral notifications, one audit row per step", async () => {
    const ctx = context();
    const { id } = await transferClue(w.as.sfjCoord, input(w), ctx);
    let c = await clueRow(id);
    const today = chinaDay(ctx.now);
    expect(c).toMatchObject({ status: "TRANSFERRED", route: "JUSTICE_TO_DISCIPLINE", involvedPersons: PERSONS });
    expect(c.receiptDueAt.getTime()).toBe(endOfChinaDay(addWorkingDaysIso(today, 5)).getTime());
    expect(c.feedbackDueAt?.getTime()).toBe(endOfChinaDay(addDaysIso(today, 30)).getTime());
    // Only the receiving unit's COORDINATOR is told, with the 文号 alone.
    const told = await notificationsOf(id);
    expect(told.map((n) => n.userId)).toEqual([w.users.jwCoord.id]);
    expect(told[0].title).toBe(`收到线索移送（${c.docNumber}）`);
    expect(ctx.seen.filter((e) => e.type === "notification.created")).toHaveLength(1);

    // 签收: not the receiver's other roles, not the sender, not an upper unit.
    for (const who of [w.as.jwLiaison, w.as.jwViewer, w.as.jwAdmin, w.as.sfjCoord])
      expect((await refusal(receiveClue(who, id, context()))).status).toBe(403);
    expect((await refusal(receiveClue(w.as.pjwCoord, id, context()))).status).toBe(403);
    // 反馈 before 签收 and before 开始办理: a conflict with its reason, nothing changed.
    const early = await refusal(
      giveClueFeedback(w.as.jwCoord, id, { outcome: "FILED", text: "已立案", files: [] }, context()),
    );
    expect(early).toMatchObject({ status: 409, message: "线索尚未签收，不能反馈办理结果。" });
    await receiveClue(w.as.jwCoord, id, context());
    c = await clueRow(id);
    expect(c).toMatchObject({ status: "RECEIVED", receivedById: w.users.jwCoord.id });
    expect((await refusal(receiveClue(w.as.jwCoord, id, context()))).status).toBe(409);
    expect(
      (await refusal(giveClueFeedback(w.as.jwCoord, id, { outcome: "FILED", text: "已立案", files: [] }, context())))
        .message,
    ).toBe("请先开始办理，再反馈办理结果。");
    await startHandlingClue(w.as.jwCoord, id, context());
    await giveClueFeedback(
      w.as.jwCoord,
      id,
      { outcome: "PRELIMINARY", text: "已初核", files: [pdf("初核报告.pdf")] },
      context(),
    );
    c = await clueRow(id);
    expect(c).toMatchObject({ status: "FEEDBACK", feedbackOutcome: "PRELIMINARY", feedbackById: w.users.jwCoord.id });
    const files = await getDb().attachment.findMany({ where: { clueId: id }, select: { cluePart: true } });
    expect(files.map((f) => f.cluePart).sort()).toEqual(["FEEDBACK", "TRANSFER"]);
    // 办结 after feedback is the sender's.
    expect((await refusal(closeClue(w.as.jwCoord, id, context()))).status).toBe(403);
    await closeClue(w.as.sfjCoord, id, context());
    expect((await clueRow(id)).status).toBe("CLOSED");
    expect((await refusal(closeClue(w.as.sfjCoord, id, context()))).status).toBe(409);

    expect((await auditOf(id)).map((a) => a.action)).toEqual([
      "clue.transferred",
      "clue.received",
      "clue.handling_started",
      "clue.feedback_given",
      "clue.closed",
    ]);
    // The sender was told of each step by the receiver; the receiver of the 办结.
    const byUser = (await notificationsOf(id)).map(
      (n) => `${n.kind} ${n.userId === w.users.sfjCoord.id ? "sfj" : "jw"}`,
    );
    expect(byUser.sort()).toEqual(
      [
        "clue.transferred jw",
        "clue.received sfj",
        "clue.handling_started sfj",
        "clue.feedback_given sfj",
        "clue.closed jw",
      ].sort(),
    );
    await expectNoContentOutside(id);
  });

  it("退回 with a reason before handling; afterwards every step is a conflict and nothing changes", async () => {
    const { id } = await transferClue(w.as.sfjCoord, input(w, { toOrgId: w.procu.id }), context());
    expect((await clueRow(id)).route).toBe("JUSTICE_TO_PROCURATORATE");
    await receiveClue(w.as.procuCoord, id, context());
    await returnClue(w.as.procuCoord, id, `不属于本院管辖，涉及${PERSONS}`, context());
    const c = await clueRow(id);
    expect(c).toMatchObject({ status: "RETURNED", returnedById: w.users.procuCoord.id });
    expect(c.returnedReason).toContain("不属于本院管辖");
    for (const step of [
      () => receiveClue(w.as.procuCoord, id, context()),
      () => startHandlingClue(w.as.procuCoord, id, context()),
      () => returnClue(w.as.procuCoord, id, "再次退回", context()),
      () => giveClueFeedback(w.as.procuCoord, id, { outcome: "REFERRED", text: "转办", files: [] }, context()),
      () => closeClue(w.as.procuCoord, id, context()),
      () => closeClue(w.as.sfjCoord, id, context()),
    ])
      expect((await refusal(step())).status).toBe(409);
    expect(await clueRow(id)).toEqual(c);
    // The reason stays on the clue: the audit row and the notification do not repeat it.
    await expectNoContentOutside(id);
    expect((await auditOf(id)).find((a) => a.action === "clue.returned")?.summary).not.toContain("不属于本院管辖");
    // Handling started: too late to return.
    const { id: handled } = await transferClue(w.as.sfjCoord, input(w), context());
    await receiveClue(w.as.jwCoord, handled, context());
    await startHandlingClue(w.as.jwCoord, handled, context());
    expect((await refusal(returnClue(w.as.jwCoord, handled, "不属于本机关", context()))).status).toBe(409);
  });

  it("no feedback asked: the receiver 办结 after handling; the sender cannot, and nothing is reminded about feedback", async () => {
    const { id } = await transferClue(
      w.as.sfjCoord,
      input(w, { needsFeedback: false, feedbackDue: "2026-01-01" }),
      context(),
    );
    expect((await clueRow(id)).feedbackDueAt).toBeNull();
    await receiveClue(w.as.jwCoord, id, context());
    await startHandlingClue(w.as.jwCoord, id, context());
    expect((await refusal(closeClue(w.as.sfjCoord, id, context()))).status).toBe(403);
    await closeClue(w.as.jwCoord, id, context());
    expect((await clueRow(id)).status).toBe("CLOSED");
  });

  it("bad input gets Chinese field errors and changes nothing", async () => {
    const db = getDb();
    const before = await db.clue.count({ where: { fromOrgId: { in: [w.sfj.id, w.agency.id, w.jw.id] } } });
    // Each command runs when its turn comes (a promise made early would reject unobserved).
    const cases: Array<[string, () => Promise<unknown>, number, string]> = [
      ["to oneself", () => transferClue(w.as.sfjCoord, input(w, { toOrgId: w.sfj.id }), context()), 400, "toOrgId"],
      [
        "unknown route (司法局 → 法院)",
        () => transferClue(w.as.sfjCoord, input(w, { toOrgId: w.court.id }), context()),
        400,
        "toOrgId",
      ],
      [
        "unknown route (司法局 → 省司法厅)",
        () => transferClue(w.as.sfjCoord, input(w, { toOrgId: w.psfj.id }), context()),
        400,
        "toOrgId",
      ],
      [
        "no such receiver",
        () => transferClue(w.as.sfjCoord, input(w, { toOrgId: "nosuchorg" }), context()),
        400,
        "toOrgId",
      ],
      [
        "feedback due before the receipt",
        () => transferClue(w.as.sfjCoord, input(w, { feedbackDue: chinaDay() }), context()),
        400,
        "feedbackDue",
      ],
      [
        "feedback due too far",
        () => transferClue(w.as.sfjCoord, input(w, { feedbackDue: addDaysIso(chinaDay(), 400) }), context()),
        400,
        "feedbackDue",
      ],
      [
        "a forbidden attachment",
        () =>
          transferClue(
            w.as.sfjCoord,
            input(w, { files: [{ name: "x.exe", type: "application/octet-stream", data: PDF }] }),
            context(),
          ),
        400,
        "files",
      ],
      [
        "HTML disguised as PDF",
        () =>
          transferClue(
            w.as.sfjCoord,
            input(w, { files: [{ name: "x.pdf", type: "application/pdf", data: new TextEncoder().encode("<html>") }] }),
            context(),
          ),
        400,
        "files",
      ],
      [
        "an oversize attachment",
        () =>
          transferClue(
            w.as.sfjCoord,
            input(w, {
              files: [{ name: "big.pdf", type: "application/pdf", data: new Uint8Array(9 * 1024 * 1024).fill(0x25) }],
            }),
            context(),
          ),
        400,
        "files",
      ],
      [
        "six attachments",
        () =>
          transferClue(
            w.as.sfjCoord,
            input(w, { files: Array.from({ length: 6 }, (_, i) => pdf(`f${i}.pdf`)) }),
            context(),
          ),
        400,
        "files",
      ],
      [
        "a receiving-only unit transfers",
        () => transferClue(w.as.jwCoord, input(w, { fromOrgId: w.jw.id, toOrgId: w.sfj.id }), context()),
        403,
        "",
      ],
      ["a VIEWER transfers", () => transferClue(w.as.sfjViewer, input(w), context()), 403, ""],
      ["for another unit", () => transferClue(w.as.agencyCoord, input(w), context()), 403, ""],
    ];
    for (const [name, run, status, field] of cases) {
      const error = await refusal(run());
      expect(error.status, name).toBe(status);
      expect(error.message, name).toMatch(/[\u4e00-\u9fff]/);
      if (field) expect(error.fieldErrors?.[field]?.[0], name).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(
      (await refusal(transferClue(w.as.sfjCoord, input(w, { toOrgId: w.court.id }), context()))).fieldErrors?.toOrgId,
    ).toEqual(["司法行政机关不能向人民法院移送线索，可移送至：纪委监委、人民检察院、行政执法机关"]);
    // The same 文号 twice from one unit.
    const first = input(w);
    await transferClue(w.as.sfjCoord, first, context());
    const again = await refusal(transferClue(w.as.sfjCoord, { ...first, toOrgId: w.procu.id }, context()));
    expect(again.fieldErrors?.docNumber?.[0]).toContain("已使用过移送文号");
    expect(await db.clue.count({ where: { fromOrgId: { in: [w.sfj.id, w.agency.id, w.jw.id] } } })).toBe(before + 1);
    // An 行政执法机关 sends to 纪委监委 or 检察院 (内部监督), not to a justice bureau.
    const { id } = await transferClue(
      w.as.agencyCoord,
      input(w, { fromOrgId: w.agency.id, toOrgId: w.procu.id }),
      context(),
    );
    expect((await clueRow(id)).route).toBe("ENFORCEMENT_TO_PROCURATORATE");
    expect(
      (
        await refusal(
          transferClue(w.as.agencyCoord, input(w, { fromOrgId: w.agency.id, toOrgId: w.sfj.id }), context()),
        )
      ).status,
    ).toBe(400);
  });

  it("need to know: the two units' COORDINATORs and a granted upper 纪委监委; every read and download is audited", async () => {
    const { id } = await transferClue(w.as.sfjCoord, input(w), context());
    for (const who of ["sfjCoord", "jwCoord"] as const) expect((await requireClue(w.as[who], id)).id).toBe(id);
    const outsiders = [
      "sfjAdmin",
      "sfjDrafter",
      "sfjViewer",
      "jwLiaison",
      "jwViewer",
      "jwAdmin",
      "procuCoord",
      "agencyCoord",
      "pjwCoord",
      "psfjCoord",
      "ojwCoord",
    ] as const;
    for (const who of outsiders) expect((await refusal(requireClue(w.as[who], id))).status, who).toBe(403);
    const file = await getDb().attachment.findFirstOrThrow({ where: { clueId: id }, select: { id: true } });
    for (const who of outsiders)
      expect((await refusal(readClueFile(w.as[who], id, file.id, { ip: null }))).status, who).toBe(403);

    // Grants: only an upper-level 纪委监委; not a justice bureau above, not a sibling city's commission.
    for (const orgId of [w.psfj.id, w.ojw.id, w.procu.id, w.jw.id])
      expect((await refusal(grantClueAccess(w.as.sfjCoord, id, orgId, context()))).status).toBe(400);
    expect((await refusal(grantClueAccess(w.as.sfjViewer, id, w.pjw.id, context()))).status).toBe(403);
    await grantClueAccess(w.as.jwCoord, id, w.pjw.id, context());
    expect((await refusal(grantClueAccess(w.as.sfjCoord, id, w.pjw.id, context()))).status).toBe(409);
    expect((await requireClue(w.as.pjwCoord, id)).id).toBe(id);
    expect((await refusal(requireClue(w.as.pjwViewer, id))).status).toBe(403);
    const granted = await readClueFile(w.as.pjwCoord, id, file.id, { ip: "10.0.0.9" });
    expect(granted.fileName).toContain(PERSONS);
    // The granted unit reads; it does not act.
    expect((await refusal(receiveClue(w.as.pjwCoord, id, context()))).status).toBe(403);
    expect((await refusal(closeClue(w.as.pjwCoord, id, context()))).status).toBe(403);
    const downloads = (await auditOf(id)).filter((a) => a.action === "clue.file_downloaded");
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({ actorId: w.users.pjwCoord.id, orgId: w.pjw.id, ip: "10.0.0.9" });
    // Revoked: access ends at the next request.
    await revokeClueAccess(w.as.sfjCoord, id, w.pjw.id, context());
    expect((await refusal(requireClue(w.as.pjwCoord, id))).status).toBe(403);
    expect((await refusal(readClueFile(w.as.pjwCoord, id, file.id, { ip: null }))).status).toBe(403);
    expect((await refusal(revokeClueAccess(w.as.sfjCoord, id, w.pjw.id, context()))).status).toBe(400);
    // The file's name (which may name a person) is not in the audit trail either.
    await expectNoContentOutside(id);
  });

  it("the register counts overdue receipts and feedbacks per view; the statistics hold counts only", async () => {
    const w2 = await world();
    const long = new Date(Date.now() - 20 * 86_400_000);
    // Overdue for receipt; overdue for feedback; on time; returned.
    const { id: a } = await transferClue(w2.as.sfjCoord, input(w2), context(long));
    const { id: b } = await transferClue(
      w2.as.sfjCoord,
      input(w2, { feedbackDue: addDaysIso(chinaDay(long), 10) }),
      context(long),
    );
    await receiveClue(w2.as.jwCoord, b, context(long));
    const { id: c } = await transferClue(w2.as.sfjCoord, input(w2, { toOrgId: w2.procu.id }), context());
    const { id: d } = await transferClue(w2.as.sfjCoord, input(w2, { toOrgId: w2.procu.id }), context());
    await returnClue(w2.as.procuCoord, d, "不属于本院管辖", context());
    const now = new Date();
    const sender = await loadClueRegister(w2.as.sfjCoord.actor, "out", { now });
    expect(sender.counts.out).toEqual({ total: 4, overdueReceipt: 1, overdueFeedback: 1 });
    expect(sender.rows.map((r) => r.id).sort()).toEqual([a, b, c, d].sort());
    expect(JSON.stringify(sender.rows)).not.toContain(PERSONS);
    expect(JSON.stringify(sender.rows)).not.toContain(SUMMARY);
    const overdue = await loadClueRegister(w2.as.sfjCoord.actor, "out", { now, overdue: "any" });
    expect(overdue.rows.map((r) => r.id).sort()).toEqual([a, b].sort());
    expect(
      (await loadClueRegister(w2.as.sfjCoord.actor, "out", { now, overdue: "receipt" })).rows.map((r) => r.id),
    ).toEqual([a]);
    expect(
      (await loadClueRegister(w2.as.sfjCoord.actor, "out", { now, status: "RETURNED" })).rows.map((r) => r.id),
    ).toEqual([d]);
    const receiver = await loadClueRegister(w2.as.jwCoord.actor, null, { now });
    expect(receiver.view).toBe("in");
    expect(receiver.counts.in).toEqual({ total: 2, overdueReceipt: 1, overdueFeedback: 1 });
    // Nobody else's register shows them.
    expect((await loadClueRegister(w2.as.psfjCoord.actor, "out", { now })).counts.out.total).toBe(0);
    const stats = await loadClueStats(w2.as.sfjCoord.actor, now);
    expect(stats.summary).toMatchObject({ total: 4, overdueReceipt: 1, overdueFeedback: 1, returned: 1 });
    expect(stats.byRoute.map((r) => [r.key, r.total])).toEqual([
      ["JUSTICE_TO_DISCIPLINE", 2],
      ["JUSTICE_TO_PROCURATORATE", 2],
    ]);
    expect(JSON.stringify(stats)).not.toContain(PERSONS);
    expect(JSON.stringify(stats)).not.toContain(SUMMARY);
  });
});

describe("clues: receipt and feedback reminders over a fake clock", () => {
  const settings = { dueSoonDays: 3, replyDueSoonDays: 7, redDays: 7 };
  const at = (local: string) => new Date(`${local}+08:00`);

  it("one reminder per stage and deadline, to the handlers only; signing stops the receipt's, feedback the feedback's", async () => {
    const w = await world();
    // Far in the future, so that no other scan ever sees it. 2090-03-06 is a Monday.
    const sent = at("2090-03-06T10:00:00");
    const { id } = await transferClue(w.as.sfjCoord, input(w, { feedbackDue: "2090-04-20" }), context(sent));
    const receiptDue = endOfChinaDay(addWorkingDaysIso("2090-03-06", 5));
    expect((await clueRow(id)).receiptDueAt.getTime()).toBe(receiptDue.getTime());
    const events = createEventBus();
    const scope = { ownerOrgIds: [w.sfj.id, w.jw.id] };
    const scan = (now: Date) => scanReminders(now, { events, settings, scope });
    const told = async () =>
      (
        await getDb().notification.findMany({
          where: { link: `/clues/${id}`, kind: { startsWith: "clue.receipt" } },
          select: { kind: true, userId: true, title: true, body: true },
        })
      )
        .map(
          (n) =>
            `${n.kind} ${n.userId === w.users.jwCoord.id ? "jw" : n.userId === w.users.sfjCoord.id ? "sfj" : "other"}`,
        )
        .sort();

    await scan(at("2090-03-08T09:00:00"));
    expect(await told()).toEqual([]);
    // The day before the deadline (2090-03-13): 临期 to the receiver.
    expect((await scan(at("2090-03-12T09:00:00"))).sent).toBe(1);
    await scan(at("2090-03-12T15:00:00"));
    expect(await told()).toEqual([`${CLUE_REMINDER_KINDS.RECEIPT.DUE_SOON} jw`]);
    // 黄牌 once the day is over, also to the sender; again only once.
    await scan(at("2090-03-14T09:00:00"));
    await scan(at("2090-03-15T09:00:00"));
    expect(await told()).toEqual(
      [
        `${CLUE_REMINDER_KINDS.RECEIPT.DUE_SOON} jw`,
        `${CLUE_REMINDER_KINDS.RECEIPT.DUE} jw`,
        `${CLUE_REMINDER_KINDS.RECEIPT.DUE} sfj`,
      ].sort(),
    );
    // 红牌 from the 7th day overdue.
    await scan(at("2090-03-20T09:00:00"));
    await scan(at("2090-03-21T09:00:00"));
    expect((await told()).filter((t) => t.startsWith(CLUE_REMINDER_KINDS.RECEIPT.OVERDUE_RED))).toEqual([
      `${CLUE_REMINDER_KINDS.RECEIPT.OVERDUE_RED} jw`,
      `${CLUE_REMINDER_KINDS.RECEIPT.OVERDUE_RED} sfj`,
    ]);
    const keys = await getDb().clueReminder.findMany({
      where: { clueId: id },
      select: { deadline: true, stage: true },
    });
    expect(keys.map((k) => `${k.deadline}/${k.stage}`).sort()).toEqual(
      ["RECEIPT/DUE", "RECEIPT/DUE_SOON", "RECEIPT/OVERDUE_RED"].sort(),
    );

    // Signed for (late): the receipt's reminders stop, the feedback deadline's start (7-day window).
    await receiveClue(w.as.jwCoord, id, context(at("2090-03-22T09:00:00")));
    await scan(at("2090-04-01T09:00:00"));
    expect(
      await getDb().notification.count({ where: { link: `/clues/${id}`, kind: { startsWith: "clue.feedback_" } } }),
    ).toBe(0);
    await scan(at("2090-04-14T09:00:00"));
    await scan(at("2090-04-22T09:00:00"));
    await scan(at("2090-04-22T10:00:00"));
    const feedbackNotes = await getDb().notification.findMany({
      where: { link: `/clues/${id}`, kind: { startsWith: "clue.feedback_" } },
      select: { kind: true, userId: true, title: true, body: true },
    });
    expect(feedbackNotes.map((n) => n.kind).sort()).toEqual(
      [
        CLUE_REMINDER_KINDS.FEEDBACK.DUE_SOON,
        CLUE_REMINDER_KINDS.FEEDBACK.DUE,
        CLUE_REMINDER_KINDS.FEEDBACK.DUE,
      ].sort(),
    );
    for (const n of feedbackNotes) {
      expect([w.users.jwCoord.id, w.users.sfjCoord.id]).toContain(n.userId);
      expect(`${n.title}${n.body}`).not.toContain(PERSONS);
      expect(`${n.title}${n.body}`).not.toContain(SUMMARY);
    }
    // Answered: nothing more.
    await startHandlingClue(w.as.jwCoord, id, context(at("2090-04-23T09:00:00")));
    await giveClueFeedback(
      w.as.jwCoord,
      id,
      { outcome: "NOT_FILED", text: "经核查不予立案", files: [] },
      context(at("2090-04-23T10:00:00")),
    );
    const after = await scan(at("2090-05-20T09:00:00"));
    expect(after.sent).toBe(0);
    await expectNoContentOutside(id);
  });
});

// ---------------------------------------------------------------------------------------------
// Through the real server (needs the current Remix build)
// ---------------------------------------------------------------------------------------------

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The field errors a refused form shows under its fields (`<p id="f-<field>-error">`) and in its alert boxes. */
function fieldErrorsOf(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<p id="f-([A-Za-z]+)-error"[^>]*>([^<]*)<\/p>/g)) out[m[1]] = unescapeHtml(m[2]);
  const alerts = [...html.matchAll(/role="alert"><p>([^<]*)<\/p>/g)].map((m) => unescapeHtml(m[1]));
  if (alerts.length) out.alert = alerts.join(" ");
  return out;
}

function transferForm(
  w: World,
  fields: Record<string, string | undefined>,
  files: Array<{ name: string; bytes: Uint8Array }> = [],
) {
  const fd = new FormData();
  const base: Record<string, string | undefined> = {
    fromOrgId: w.sfj.id,
    toOrgId: w.jw.id,
    docNumber: `测司移〔2026〕${uid}-h${counter++}号`,
    source: "COMPLAINT",
    summary: `${SUMMARY}：投诉举报反映的问题`,
    involvedUnits: "某执法大队",
    involvedPersons: PERSONS,
    needsFeedback: "on",
    feedbackDue: addDaysIso(chinaDay(), 20),
    ...fields,
  };
  for (const [k, v] of Object.entries(base)) if (v !== undefined) fd.append(k, v);
  for (const f of files) fd.append("files", new Blob([f.bytes as BlobPart], { type: "application/pdf" }), f.name);
  return fd;
}

describe("clues: pages, downloads and forms over HTTP", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 60_000);

  async function transferOverHttp(
    fields: Record<string, string | undefined> = {},
    files: Array<{ name: string; bytes: Uint8Array }> = [{ name: "线索材料.pdf", bytes: PDF }],
  ) {
    const res = await app.request("/clues/new", {
      cookie: w.cookies.sfjCoord,
      method: "POST",
      body: transferForm(w, fields, files),
    });
    const id = /^\/clues\/([A-Za-z0-9_-]+)\?done=transferred$/.exec(res.headers.get("location") ?? "")?.[1];
    return { res, id };
  }

  it("transfers with materials; the page and its materials answer the handlers only, each view and download audited", async () => {
    const { res, id } = await transferOverHttp();
    expect(res.status, await res.clone().text()).toBe(302);
    const clueId = id!;
    const fileId = (await getDb().attachment.findFirstOrThrow({ where: { clueId }, select: { id: true } })).id;

    for (const who of ["sfjCoord", "jwCoord"] as const) {
      const page = await app.request(`/clues/${clueId}`, { cookie: w.cookies[who] });
      const html = await page.text();
      expect(page.status, who).toBe(200);
      expect(html).toContain(PERSONS);
      expect(html).toContain(SUMMARY);
      const file = await app.request(`/clues/${clueId}/files/${fileId}`, { cookie: w.cookies[who] });
      expect(file.status).toBe(200);
      expect(file.headers.get("cache-control")).toBe("private, no-store");
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
    }
    const reads = (await auditOf(clueId)).filter(
      (a) => a.action === "clue.viewed" || a.action === "clue.file_downloaded",
    );
    expect(reads.map((a) => `${a.action} ${a.actorId === w.users.sfjCoord.id ? "sfj" : "jw"}`).sort()).toEqual(
      ["clue.file_downloaded jw", "clue.file_downloaded sfj", "clue.viewed jw", "clue.viewed sfj"].sort(),
    );
    expect(reads.every((a) => a.ip !== null)).toBe(true);

    // An upper region, a 抄送-like unrelated unit, the units' VIEWER / ADMIN / LIAISON, an upper 纪委监委 not granted: 403.
    const refused = [
      "psfjCoord",
      "agencyCoord",
      "procuCoord",
      "sfjViewer",
      "sfjAdmin",
      "sfjDrafter",
      "jwViewer",
      "jwAdmin",
      "jwLiaison",
      "pjwCoord",
    ] as const;
    for (const who of refused) {
      const page = await app.request(`/clues/${clueId}`, { cookie: w.cookies[who] });
      const html = await page.text();
      expect(page.status, who).toBe(403);
      expect(html).not.toContain(PERSONS);
      expect(html).toMatch(/[\u4e00-\u9fff]/);
      expect((await app.request(`/clues/${clueId}/files/${fileId}`, { cookie: w.cookies[who] })).status, who).toBe(403);
      expect(
        (await app.request(`/clues/${clueId}`, { cookie: w.cookies[who], form: { intent: "receive" } })).status,
        who,
      ).toBe(403);
    }
    // Anonymous: to the sign-in page.
    const anon = await app.request(`/clues/${clueId}`);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toMatch(/^\/login/);
    expect((await app.request(`/clues/${clueId}/files/${fileId}`)).headers.get("location")).toMatch(/^\/login/);
    // No read was recorded for a refusal; a material of another clue is not found.
    expect((await auditOf(clueId)).filter((a) => a.action === "clue.viewed")).toHaveLength(2);
    expect((await app.request(`/clues/${clueId}/files/nosuchfile`, { cookie: w.cookies.sfjCoord })).status).toBe(404);
    expect((await app.request(`/clues/nosuchclue`, { cookie: w.cookies.sfjCoord })).status).toBe(404);

    // Granted: the upper 纪委监委's COORDINATOR reads; its VIEWER does not.
    const grant = await app.request(`/clues/${clueId}`, {
      cookie: w.cookies.sfjCoord,
      form: { intent: "grant", orgId: w.pjw.id },
    });
    expect(grant.status).toBe(302);
    expect((await app.request(`/clues/${clueId}`, { cookie: w.cookies.pjwCoord })).status).toBe(200);
    expect((await app.request(`/clues/${clueId}`, { cookie: w.cookies.pjwViewer })).status).toBe(403);
  });

  it("涉及人员 is in no list, notification, audit summary or statistics the server gives", async () => {
    const { id } = await transferOverHttp();
    const clueId = id!;
    await app.request(`/clues/${clueId}`, { cookie: w.cookies.jwCoord, form: { intent: "receive" } });
    for (const [who, path] of [
      ["sfjCoord", "/clues?view=out"],
      ["jwCoord", "/clues?view=in"],
      ["jwCoord", "/clues?view=in&overdue=any"],
      ["sfjCoord", "/clues/stats"],
      ["jwCoord", "/api/notifications"],
      ["sfjCoord", "/api/notifications"],
    ] as const) {
      const res = await app.request(path, { cookie: w.cookies[who] });
      const body = await res.text();
      expect(res.status, path).toBe(200);
      expect(body, path).not.toContain(PERSONS);
      expect(body, path).not.toContain(SUMMARY);
    }
    const register = await (await app.request("/clues?view=out", { cookie: w.cookies.sfjCoord })).text();
    expect(register).toContain(`/clues/${clueId}`);
    await expectNoContentOutside(clueId);
    // The register and statistics are the handlers' (the justice bureau's for the statistics).
    expect((await app.request("/clues", { cookie: w.cookies.sfjViewer })).status).toBe(403);
    expect((await app.request("/clues/stats", { cookie: w.cookies.jwCoord })).status).toBe(403);
    expect((await app.request("/clues/new", { cookie: w.cookies.jwCoord })).status).toBe(403);
  });

  it("bad forms: Chinese field errors, never a 500, nothing saved", async () => {
    const db = getDb();
    const count = () => db.clue.count({ where: { fromOrgId: w.sfj.id } });
    const before = await count();
    const cases: Array<
      [string, Record<string, string | undefined>, Array<{ name: string; bytes: Uint8Array }>, string]
    > = [
      ["to oneself", { toOrgId: w.sfj.id }, [], "toOrgId"],
      ["unknown route", { toOrgId: w.court.id }, [], "toOrgId"],
      ["missing 文号", { docNumber: undefined }, [], "docNumber"],
      ["missing summary", { summary: "  " }, [], "summary"],
      ["missing source", { source: undefined }, [], "source"],
      ["a bad date", { feedbackDue: "2026-02-30" }, [], "feedbackDue"],
      ["a forbidden attachment", {}, [{ name: "run.exe", bytes: PDF }], "alert"],
      ["HTML as PDF", {}, [{ name: "x.pdf", bytes: new TextEncoder().encode("<script>") }], "alert"],
    ];
    for (const [name, fields, files, field] of cases) {
      const { res } = await transferOverHttp(fields, files);
      const html = await res.text();
      expect(res.status, name).toBe(400);
      expect(fieldErrorsOf(html)[field], name).toMatch(/[\u4e00-\u9fff]/);
    }
    const big = await transferOverHttp({}, [{ name: "big.pdf", bytes: new Uint8Array(9 * 1024 * 1024).fill(0x25) }]);
    expect(big.res.status).toBeGreaterThanOrEqual(400);
    expect(big.res.status).toBeLessThan(500);
    expect(await count()).toBe(before);

    // Intents: feedback on a clue not received; an unknown intent; 退回 without a reason.
    const { id } = await transferOverHttp();
    const clueId = id!;
    const post = (form: Record<string, string>) => app.request(`/clues/${clueId}`, { cookie: w.cookies.jwCoord, form });
    const early = await post({ intent: "feedback", outcome: "FILED", text: "已立案" });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("线索尚未签收，不能反馈办理结果。");
    expect((await post({ intent: "launch" })).status).toBe(400);
    const noReason = await post({ intent: "return", reason: " " });
    expect(noReason.status).toBe(400);
    expect(fieldErrorsOf(await noReason.text()).reason).toBe("请填写退回原因");
    expect((await clueRow(clueId)).status).toBe("TRANSFERRED");
    // Then the lifecycle through the page's forms, feedback with its material.
    for (const intent of ["receive", "startHandling"]) expect((await post({ intent })).status).toBe(302);
    const fd = new FormData();
    fd.set("intent", "feedback");
    fd.set("outcome", "FILED");
    fd.set("text", "已立案审查");
    fd.append("files", new Blob([PDF as BlobPart], { type: "application/pdf" }), "立案决定书.pdf");
    const feedback = await app.request(`/clues/${clueId}`, { cookie: w.cookies.jwCoord, method: "POST", body: fd });
    expect(feedback.headers.get("location")).toBe(`/clues/${clueId}?done=feedback`);
    const close = await app.request(`/clues/${clueId}`, { cookie: w.cookies.sfjCoord, form: { intent: "close" } });
    expect(close.headers.get("location")).toBe(`/clues/${clueId}?done=closed`);
    expect((await clueRow(clueId)).status).toBe("CLOSED");
  });

  it("the clue's socket.io room: handlers watch it and hear of each step; a withdrawn grant leaves it at once", async () => {
    const { id } = await transferOverHttp();
    const clueId = id!;
    await app.request(`/clues/${clueId}`, { cookie: w.cookies.sfjCoord, form: { intent: "grant", orgId: w.pjw.id } });
    const open = async (cookie: string) => {
      const socket: Socket = connectSocket(app.origin, {
        path: "/socket.io/",
        transports: ["websocket"],
        extraHeaders: { Cookie: cookie },
        reconnection: false,
        forceNew: true,
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      const heard: unknown[] = [];
      socket.on("clue:changed", (p: unknown) => heard.push(p));
      const ack = (await socket.timeout(3000).emitWithAck("clue:watch", { clueId })) as { ok: boolean; error?: string };
      return { socket, heard, ack };
    };
    const sender = await open(w.cookies.sfjCoord);
    const granted = await open(w.cookies.pjwCoord);
    const viewer = await open(w.cookies.jwViewer);
    const upper = await open(w.cookies.psfjCoord);
    try {
      expect(sender.ack.ok).toBe(true);
      expect(granted.ack.ok).toBe(true);
      expect(viewer.ack).toEqual({ ok: false, error: "无权查看此线索" });
      expect(upper.ack.ok).toBe(false);
      const bad = (await viewer.socket.timeout(3000).emitWithAck("clue:watch", { clueId: "../x" })) as { ok: boolean };
      expect(bad.ok).toBe(false);

      // 签收 by the receiver: the sender's and the granted unit's open pages hear of it, with the id only.
      await app.request(`/clues/${clueId}`, { cookie: w.cookies.jwCoord, form: { intent: "receive" } });
      await waitFor(() => sender.heard.length === 1 && granted.heard.length === 1, 3000, "clue:changed");
      expect(sender.heard[0]).toEqual({ clueId });
      expect(viewer.heard).toEqual([]);

      // The grant is withdrawn: the granted watcher leaves the room before the next step is told.
      await app.request(`/clues/${clueId}`, {
        cookie: w.cookies.sfjCoord,
        form: { intent: "revoke", orgId: w.pjw.id },
      });
      await waitFor(() => sender.heard.length === 2, 3000, "revoke heard");
      await app.request(`/clues/${clueId}`, { cookie: w.cookies.jwCoord, form: { intent: "startHandling" } });
      await waitFor(() => sender.heard.length === 3, 3000, "startHandling heard");
      expect(granted.heard.length).toBe(1);
    } finally {
      for (const s of [sender, granted, viewer, upper]) s.socket.close();
    }
  });
});
