import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { getDb } from "~/db.server";
import { acquireJobLock, getJobLock } from "~/models/job-lock.server";
import { createEventBus } from "~/services/events.server";
import { type DomainEvent } from "~/domain/events";
import {
  REMINDER_KINDS,
  REPLY_REMINDER_KINDS,
  runReminders,
  scanReminders,
  type ReminderRunResult,
} from "~/services/reminders.server";
import { endOfChinaDay } from "~/domain/dates";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer } from "./helpers";

/**
 * Deadline reminders against a real database. Every test builds its own convening org and items
 * (due in 2090, so no real-time scan elsewhere ever sees them), scans only its own orgs' items and
 * counts only its own users' notifications: a PostgreSQL run shares one database between files.
 */

const settings = { dueSoonDays: 3, replyDueSoonDays: 7, redDays: 7 };
const at = (local: string) => new Date(`${local}+08:00`);
const DUE = endOfChinaDay("2090-03-12");

interface World {
  owner: { id: string };
  lead: { id: string };
  docId: string;
  /** Notified users, by "<org>-<role>". */
  users: Record<string, string>;
  all: string[];
}

async function buildWorld(): Promise<World> {
  const region = await buildRegion();
  const owner = await buildOrg({ region, kind: "JUSTICE_BUREAU" });
  const lead = await buildOrg({ region, kind: "ENFORCEMENT_AGENCY" });
  const supporting = await buildOrg({ region, kind: "COURT" });
  const users: Record<string, string> = {};
  for (const [org, key] of [
    [lead, "lead"],
    [owner, "owner"],
  ] as const) {
    for (const role of ["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON", "PUBLISHER", "VIEWER"] as const) {
      users[`${key}-${role}`] = (await buildUser({ org, role })).id;
    }
  }
  users["supporting-COORDINATOR"] = (await buildUser({ org: supporting, role: "COORDINATOR" })).id;
  // A lead-org liaison who left: never notified.
  const gone = await buildUser({ org: lead, role: "LIAISON" });
  await getDb().user.update({ where: { id: gone.id }, data: { active: false } });
  users["lead-LIAISON-inactive"] = gone.id;
  const { id: docId } = await buildDocument({
    ownerOrg: owner,
    createdById: users["owner-COORDINATOR"],
    status: "FINALIZED",
    title: "提醒测试会商纪要",
  });
  return { owner, lead, docId, users, all: Object.values(users) };
}

let itemNumber = 0;
async function buildItem(w: World, opts: { dueDate?: Date; status?: string; wording?: string } = {}): Promise<string> {
  const id = newId();
  await getDb().trackedItem.create({
    data: {
      id,
      kind: "AGREED_ITEM",
      sourceDocumentId: w.docId,
      ownerOrgId: w.owner.id,
      number: ++itemNumber,
      wording: opts.wording ?? "牵头单位会同配合单位完成辖区内餐饮油烟净化设施的排查登记，建立整改台账并逐户跟踪销号",
      leadOrgId: w.lead.id,
      dueDate: opts.dueDate ?? DUE,
      status: opts.status ?? "NOT_STARTED",
      activatedAt: new Date(),
      orgs: { create: [{ orgId: w.lead.id, role: "LEAD" }] },
    },
  });
  return id;
}

/** Notifications of the world's users about `itemId`, as sorted "kind user" strings. */
async function sent(w: World, itemId: string, kind?: string): Promise<string[]> {
  const rows = await getDb().notification.findMany({
    where: { userId: { in: w.all }, link: `/items/${itemId}`, ...(kind ? { kind } : {}) },
    select: { userId: true, kind: true },
  });
  return rows.map((r) => `${r.kind} ${r.userId}`).sort();
}

const expectOnce = (kind: string, userIds: string[]) => userIds.map((u) => `${kind} ${u}`).sort();

function leadRecipients(w: World) {
  return ["lead-ADMIN", "lead-COORDINATOR", "lead-DRAFTER", "lead-LIAISON"].map((k) => w.users[k]);
}

function scanner(w: World) {
  const events = createEventBus();
  const seen: Array<Extract<DomainEvent, { type: "notification.created" }>> = [];
  events.subscribe((e) => {
    if (e.type === "notification.created") seen.push(e);
  });
  const scope = { ownerOrgIds: [w.owner.id] };
  return {
    events,
    seen,
    scan: (now: Date, pageSize?: number) => scanReminders(now, { events, settings, scope, pageSize }),
  };
}

describe("deadline reminders", () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });

  it("walks an item through 临期 → 黄牌 → 红牌, once each, to the right people, pushed after commit", async () => {
    const itemId = await buildItem(w);
    const { seen, scan } = scanner(w);
    const lead = leadRecipients(w);

    await scan(at("2090-03-01T09:00:00"));
    expect(await sent(w, itemId)).toEqual([]);

    const soon = await scan(at("2090-03-10T09:00:00"));
    expect(soon).toMatchObject({ sent: 1, notifications: 4, failed: 0 });
    expect(await sent(w, itemId)).toEqual(expectOnce(REMINDER_KINDS.DUE_SOON, lead));
    const note = await getDb().notification.findFirstOrThrow({
      where: { userId: w.users["lead-DRAFTER"], link: `/items/${itemId}` },
      select: { title: true, body: true },
    });
    expect(note.title).toMatch(/^议定事项即将到期：第\d+项「牵头单位会同配合单位.+…」$/);
    expect(note.body).toContain("完成时限：2090年3月12日");
    expect(note.body).toContain("来源：《提醒测试会商纪要》");

    // The same moment again, and later the same stage: nothing new.
    await scan(at("2090-03-10T09:00:00"));
    await scan(at("2090-03-12T20:00:00"));
    expect(await sent(w, itemId, REMINDER_KINDS.DUE_SOON)).toHaveLength(4);

    await scan(at("2090-03-13T08:00:00"));
    expect(await sent(w, itemId, REMINDER_KINDS.DUE)).toEqual(
      expectOnce(REMINDER_KINDS.DUE, [...lead, w.users["owner-COORDINATOR"]]),
    );
    await scan(at("2090-03-16T08:00:00"));
    expect(await sent(w, itemId, REMINDER_KINDS.DUE)).toHaveLength(5);

    await scan(at("2090-03-19T08:00:00"));
    expect(await sent(w, itemId, REMINDER_KINDS.OVERDUE_RED)).toEqual(
      expectOnce(REMINDER_KINDS.OVERDUE_RED, [...lead, w.users["owner-COORDINATOR"], w.users["owner-ADMIN"]]),
    );
    const red = await getDb().notification.findFirstOrThrow({
      where: { userId: w.users["owner-ADMIN"], link: `/items/${itemId}` },
      select: { title: true },
    });
    expect(red.title).toMatch(/^红牌：议定事项第\d+项「.+」逾期 7 天$/);
    await scan(at("2090-04-30T08:00:00"));

    // 4 + 5 + 6 notifications in all, never to viewers, publishers, the owner's drafter or liaison,
    // the supporting org or the inactive user; one event per persisted notification.
    expect(await sent(w, itemId)).toHaveLength(15);
    const events = seen.filter((e) => e.notification.link === `/items/${itemId}`);
    expect(events.map((e) => `${e.notification.kind} ${e.userId}`).sort()).toEqual(await sent(w, itemId));
    const rows = await getDb().itemReminder.findMany({ where: { itemId }, select: { stage: true, dueDate: true } });
    expect(rows.map((r) => r.stage).sort()).toEqual(["DUE", "DUE_SOON", "OVERDUE_RED"]);
    expect(rows.every((r) => r.dueDate.getTime() === DUE.getTime())).toBe(true);
  });

  it("two instances at once: one takes the lease; two lease-less scans still send each reminder once", async () => {
    const items = await Promise.all([1, 2, 3].map(() => buildItem(w)));
    const lockName = `reminders-test-${newId()}`;
    const scope = { ownerOrgIds: [w.owner.id] };
    const events = createEventBus();
    const pushed: string[] = [];
    events.subscribe((e) => {
      if (e.type === "notification.created" && items.some((id) => e.notification.link === `/items/${id}`))
        pushed.push(`${e.notification.link} ${e.notification.kind} ${e.userId}`);
    });

    const runs = await Promise.all(
      ["instance-a", "instance-b"].map((holder) =>
        runReminders(at("2090-03-10T09:00:00"), { holder, events, settings, scope, lockName }),
      ),
    );
    expect(runs.filter((r) => r.ran)).toHaveLength(1);
    expect(await getJobLock(getDb(), lockName)).toBeNull(); // given back after the run

    // Without the lease (e.g. it expired mid-run): the reminder key still decides.
    const scans = await Promise.all(
      [1, 2].map(() => scanReminders(at("2090-03-13T09:00:00"), { events, settings, scope })),
    );
    for (const id of items) {
      expect(await sent(w, id, REMINDER_KINDS.DUE_SOON)).toEqual(
        expectOnce(REMINDER_KINDS.DUE_SOON, leadRecipients(w)),
      );
      expect(await sent(w, id, REMINDER_KINDS.DUE)).toEqual(
        expectOnce(REMINDER_KINDS.DUE, [...leadRecipients(w), w.users["owner-COORDINATOR"]]),
      );
    }
    const dueSent = scans.map((s) => s.sent);
    expect(dueSent[0] + dueSent[1]).toBeGreaterThanOrEqual(3);
    expect(scans.every((s) => s.failed === 0)).toBe(true);
    // Every persisted notification was pushed exactly once.
    const persisted = await getDb().notification.findMany({
      where: { userId: { in: w.all }, link: { in: items.map((id) => `/items/${id}`) } },
      select: { userId: true, link: true, kind: true },
    });
    expect(pushed.sort()).toEqual(persisted.map((n) => `${n.link} ${n.kind} ${n.userId}`).sort());
  });

  it("two processes scanning the same database at the same moment send every reminder once", async () => {
    const world = await buildWorld();
    const items: string[] = [];
    for (let i = 0; i < 40; i++)
      items.push(
        await buildItem(world, { dueDate: endOfChinaDay(`2090-03-${String(1 + (i % 12)).padStart(2, "0")}`) }),
      );
    const results = await scanInChildProcesses(2, at("2090-03-20T09:00:00"), world.owner.id);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    // Each item is 7+ days overdue on 03-20 except those due 03-13 or later (黄牌).
    expect(results[0].sent + results[1].sent).toBe(40);
    const rows = await getDb().notification.findMany({
      where: { userId: { in: world.all }, link: { in: items.map((id) => `/items/${id}`) } },
      select: { userId: true, link: true, kind: true },
    });
    const keys = rows.map((r) => `${r.link} ${r.kind} ${r.userId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.filter((r) => r.userId === world.users["lead-COORDINATOR"])).toHaveLength(40);
    console.info(
      `[reminders test] two processes: sent ${results.map((r) => r.sent).join(" + ")}, lost the key race ${results.map((r) => r.alreadySent).join(" + ")}`,
    );
  }, 60_000);

  it("restarts the stages after an extension (the reminder key includes the due date)", async () => {
    const itemId = await buildItem(w);
    const { scan } = scanner(w);
    await scan(at("2090-03-10T09:00:00"));
    await scan(at("2090-03-14T09:00:00"));
    expect(await sent(w, itemId)).toHaveLength(4 + 5);
    const extended = endOfChinaDay("2090-04-30");
    await getDb().trackedItem.update({ where: { id: itemId }, data: { dueDate: extended } });

    await scan(at("2090-03-20T09:00:00"));
    expect(await sent(w, itemId)).toHaveLength(9); // not due any more: no 红牌
    await scan(at("2090-04-28T09:00:00"));
    expect(await sent(w, itemId, REMINDER_KINDS.DUE_SOON)).toHaveLength(8); // 临期 again, for the new date
    await scan(at("2090-05-01T09:00:00"));
    expect(await sent(w, itemId, REMINDER_KINDS.DUE)).toHaveLength(10);
    const rows = await getDb().itemReminder.findMany({
      where: { itemId },
      select: { stage: true, dueDate: true },
      orderBy: [{ dueDate: "asc" }, { stage: "asc" }],
    });
    expect(rows.map((r) => `${r.stage}@${r.dueDate.toISOString().slice(0, 10)}`)).toEqual([
      "DUE@2090-03-12",
      "DUE_SOON@2090-03-12",
      "DUE@2090-04-30",
      "DUE_SOON@2090-04-30",
    ]);
  });

  it("never reminds about finished, closed, draft or removed items, and stops once an item is done", async () => {
    const quiet = await Promise.all(["DONE", "CLOSED", "DRAFT", "REMOVED"].map((status) => buildItem(w, { status })));
    const finishing = await buildItem(w);
    const { scan } = scanner(w);
    await scan(at("2090-03-10T09:00:00"));
    expect(await sent(w, finishing)).toHaveLength(4);
    await getDb().trackedItem.update({ where: { id: finishing }, data: { status: "DONE" } });
    for (const now of ["2090-03-13T09:00:00", "2090-03-25T09:00:00"]) await scan(at(now));
    for (const id of [...quiet, finishing]) expect(await sent(w, id, REMINDER_KINDS.DUE)).toEqual([]);
    for (const id of quiet) expect(await getDb().itemReminder.count({ where: { itemId: id } })).toBe(0);
  });

  it("pages through many items by due date (ties on the date included) and reminds each once", async () => {
    const world = await buildWorld();
    const items: string[] = [];
    for (let i = 0; i < 23; i++)
      items.push(
        await buildItem(world, { dueDate: endOfChinaDay(`2090-03-${String(10 + (i % 3)).padStart(2, "0")}`) }),
      );
    const { scan } = scanner(world);
    const first = await scan(at("2090-03-10T09:00:00"), 4);
    expect(first).toMatchObject({ scanned: 23, sent: 23, failed: 0, complete: true });
    const again = await scan(at("2090-03-10T10:00:00"), 4);
    expect(again).toMatchObject({ scanned: 23, sent: 0 });
    expect(
      await getDb().notification.count({
        where: { userId: world.users["lead-LIAISON"], link: { in: items.map((id) => `/items/${id}`) } },
      }),
    ).toBe(23);
  });

  it("leases: a live lease elsewhere skips the run, an expired one is taken over and given back", async () => {
    const lockName = `reminders-test-${newId()}`;
    const opts = { events: createEventBus(), settings, scope: { ownerOrgIds: [w.owner.id] }, lockName };
    expect(await acquireJobLock(getDb(), lockName, "other-process", 60_000)).toBe(true);
    const skipped: ReminderRunResult = await runReminders(at("2090-03-10T09:00:00"), { ...opts, holder: "me" });
    expect(skipped).toMatchObject({ ran: false, sent: 0 });
    expect((await getJobLock(getDb(), lockName))?.holder).toBe("other-process");
    // The other process died: its lease runs out.
    await getDb().jobLock.update({ where: { name: lockName }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const ran = await runReminders(at("2090-03-10T09:00:00"), { ...opts, holder: "me" });
    expect(ran).toMatchObject({ ran: true, complete: true, failed: 0 });
    expect(await getJobLock(getDb(), lockName)).toBeNull();
  });
});

describe("reply-deadline reminders of recommendations", () => {
  /** A 检察建议书 from a procuratorate to the world's agency, 抄送 the world's justice bureau. */
  async function buildRecommendation(
    w: World,
    procuratorate: { id: string },
    opts: { replyDueDate?: Date; status?: string } = {},
  ): Promise<string> {
    const id = newId();
    await getDb().recommendation.create({
      data: {
        id,
        kind: "PROCURATORIAL",
        docNumber: `提检建〔2090〕${id.slice(0, 6)}号`,
        title: "关于规范餐饮油烟执法的检察建议",
        issuerOrgId: procuratorate.id,
        recipientOrgId: w.lead.id,
        issuedOn: at("2090-01-08T00:00:00"),
        receivedOn: at("2090-01-10T00:00:00"),
        replyDueDate: opts.replyDueDate ?? DUE,
        status: opts.status ?? "RECTIFYING",
        createdById: w.users["owner-COORDINATOR"],
        copies: { create: [{ orgId: w.owner.id }] },
      },
    });
    return id;
  }

  async function notified(w: World, extra: string[], recommendationId: string, kind?: string): Promise<string[]> {
    const rows = await getDb().notification.findMany({
      where: {
        userId: { in: [...w.all, ...extra] },
        link: `/recommendations/${recommendationId}`,
        ...(kind ? { kind } : {}),
      },
      select: { userId: true, kind: true },
    });
    return rows.map((r) => `${r.kind} ${r.userId}`).sort();
  }

  it("walks an unanswered recommendation through 临期 → 黄牌 → 红牌 once each, and stops when the reply is sent or the deadline moves", async () => {
    const w = await buildWorld();
    const procuratorate = await buildOrg({ kind: "PROCURATORATE" });
    const issuer: Record<string, string> = {};
    for (const role of ["ADMIN", "COORDINATOR", "LIAISON", "DRAFTER"] as const)
      issuer[role] = (await buildUser({ org: procuratorate, role })).id;
    const extra = Object.values(issuer);
    const recId = await buildRecommendation(w, procuratorate);
    const replied = await buildRecommendation(w, procuratorate, { status: "REPLIED" });
    const { scan, seen } = scanner(w);
    const recipient = leadRecipients(w);

    await scan(at("2090-03-01T09:00:00")); // 11 days ahead: outside the 7-day window
    expect(await notified(w, extra, recId)).toEqual([]);

    const soon = await scan(at("2090-03-06T09:00:00"));
    expect(soon.failed).toBe(0);
    expect(await notified(w, extra, recId)).toEqual(expectOnce(REPLY_REMINDER_KINDS.DUE_SOON, recipient));
    const note = await getDb().notification.findFirstOrThrow({
      where: { userId: w.users["lead-DRAFTER"], link: `/recommendations/${recId}` },
      select: { title: true, body: true },
    });
    expect(note.title).toMatch(/^检察建议书即将到回复期限：提检建〔2090〕.+号$/);
    expect(note.body).toContain("回复期限：2090年3月12日");
    await scan(at("2090-03-10T09:00:00"));
    expect(await notified(w, extra, recId, REPLY_REMINDER_KINDS.DUE_SOON)).toHaveLength(4);

    await scan(at("2090-03-13T09:00:00"));
    const late = [...recipient, issuer.COORDINATOR, issuer.LIAISON, w.users["owner-COORDINATOR"]];
    expect(await notified(w, extra, recId, REPLY_REMINDER_KINDS.DUE)).toEqual(
      expectOnce(REPLY_REMINDER_KINDS.DUE, late),
    );
    await scan(at("2090-03-19T09:00:00"));
    expect(await notified(w, extra, recId, REPLY_REMINDER_KINDS.OVERDUE_RED)).toEqual(
      expectOnce(REPLY_REMINDER_KINDS.OVERDUE_RED, [...late, issuer.ADMIN]),
    );
    expect(seen.filter((e) => e.notification.link === `/recommendations/${recId}`)).toHaveLength(4 + 7 + 8);
    expect(await notified(w, extra, replied)).toEqual([]);

    // A new deadline starts the stages again; once replied, nothing more.
    await getDb().recommendation.update({ where: { id: recId }, data: { replyDueDate: endOfChinaDay("2090-04-30") } });
    await scan(at("2090-04-25T09:00:00"));
    expect(await notified(w, extra, recId, REPLY_REMINDER_KINDS.DUE_SOON)).toHaveLength(8);
    await getDb().recommendation.update({ where: { id: recId }, data: { status: "REPLIED" } });
    await scan(at("2090-05-20T09:00:00"));
    expect(await notified(w, extra, recId)).toHaveLength(4 + 7 + 8 + 4);
    const keys = await getDb().recommendationReminder.findMany({
      where: { recommendationId: recId },
      select: { stage: true, dueDate: true },
      orderBy: [{ dueDate: "asc" }, { stage: "asc" }],
    });
    expect(keys.map((k) => `${k.stage}@${k.dueDate.toISOString().slice(0, 10)}`)).toEqual([
      "DUE@2090-03-12",
      "DUE_SOON@2090-03-12",
      "OVERDUE_RED@2090-03-12",
      "DUE_SOON@2090-04-30",
    ]);
  });

  it("two scans at once send each reply reminder once", async () => {
    const w = await buildWorld();
    const procuratorate = await buildOrg({ kind: "PROCURATORATE" });
    const recs = await Promise.all([1, 2, 3].map(() => buildRecommendation(w, procuratorate)));
    const { scan } = scanner(w);
    const results = await Promise.all([scan(at("2090-03-14T09:00:00")), scan(at("2090-03-14T09:00:00"))]);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    for (const id of recs)
      expect(await notified(w, [], id, REPLY_REMINDER_KINDS.DUE)).toEqual(
        expectOnce(REPLY_REMINDER_KINDS.DUE, [...leadRecipients(w), w.users["owner-COORDINATOR"]]),
      );
  });
});

describe("the scheduler in the server", () => {
  it("runs every interval, pushes to the recipient's socket and stops on close", async () => {
    const w = await buildWorld();
    const app = await startServer({
      scheduler: { enabled: true, intervalMs: 100, scope: { ownerOrgIds: [w.owner.id] } },
    });
    let closed = false;
    try {
      const socket = connect(app.origin, {
        path: "/socket.io/",
        transports: ["websocket"],
        extraHeaders: { Cookie: await buildSessionCookie(w.users["lead-COORDINATOR"]) },
        reconnection: false,
        forceNew: true,
      });
      await new Promise<void>((resolve, reject) => {
        socket.on("connect", () => resolve());
        socket.on("connect_error", reject);
      });
      const pushed = new Promise<{ title: string; link: string }>((resolve) => socket.on("notification", resolve));
      // Overdue since yesterday (real clock): the next run sends 黄牌.
      const itemId = await buildItem(w, { dueDate: new Date(Date.now() - 86_400_000) });
      const n = await pushed;
      expect(n.link).toBe(`/items/${itemId}`);
      expect(n.title).toMatch(/^黄牌：/);
      socket.close();
      await app.close();
      closed = true;

      // Closed: nothing runs any more.
      const later = await buildItem(w, { dueDate: new Date(Date.now() - 86_400_000) });
      await new Promise((r) => setTimeout(r, 500));
      expect(await getDb().itemReminder.count({ where: { itemId: later } })).toBe(0);
      expect(await getDb().itemReminder.count({ where: { itemId } })).toBe(1);
    } finally {
      if (!closed) await app.close();
    }
  });
});

/**
 * Runs `scanReminders` in separate Node processes (each with its own database connection): each
 * child loads the code and connects, says "ready", and scans when the parent says "go" to all.
 */
async function scanInChildProcesses(count: number, now: Date, ownerOrgId: string): Promise<ReminderRunResult[]> {
  const code = `
    const { scanReminders } = await import("./app/services/reminders.server.ts");
    const { createEventBus } = await import("./app/services/events.server.ts");
    const { getDb, disconnectDb } = await import("./app/db.server.ts");
    await getDb().organization.count();
    process.stdout.write("ready\\n");
    await new Promise((resolve) => process.stdin.once("data", resolve));
    const result = await scanReminders(new Date(${now.getTime()}), { events: createEventBus(), settings: ${JSON.stringify(settings)}, scope: { ownerOrgIds: [${JSON.stringify(ownerOrgId)}] } });
    await disconnectDb();
    process.stdout.write(JSON.stringify(result) + "\\n");
    process.stdin.destroy();
  `;
  let ready = 0;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const results = children.map(
    (child) =>
      new Promise<ReminderRunResult>((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out === "ready\n" && ++ready === count) for (const c of children) c.stdin.write("go\n");
        });
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("exit", (code) =>
          code === 0
            ? resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as ReminderRunResult)
            : reject(new Error(`child exited ${code}: ${err}`)),
        );
      }),
  );
  return Promise.all(results);
}
