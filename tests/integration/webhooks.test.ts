import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { endOfChinaDay } from "~/domain/dates";
import { createEventBus } from "~/services/events.server";
import { scanReminders } from "~/services/reminders.server";
import {
  createWebhookSubscription,
  isForbiddenAddress,
  resendWebhookDelivery,
  runWebhookDeliveries,
  signWebhook,
  validateWebhookUrl,
  WEBHOOK_BACKOFF_MS,
  WEBHOOK_MAX_ATTEMPTS,
} from "~/services/webhooks.server";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer } from "./helpers";

/**
 * Outbound webhooks (ADR 027) against a local receiver on 127.0.0.1: an overdue item is queued in the
 * reminder's transaction for the orgs that may read it, delivered signed, retried with backoff on a
 * failing receiver until FAILED, and a replayed delivery is recognisable by its id.
 */

interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
const seenIds = new Set<string>();
const replays: string[] = [];
const DUE = endOfChinaDay("2091-05-10");
const DAY = 86_400_000;
const holder = `webhook-test:${newId()}`;

beforeAll(async () => {
  process.env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const id = String(req.headers["x-consult-delivery"]);
      // What a receiver does against replays: remember the delivery ids it has processed.
      if (seenIds.has(id)) replays.push(id);
      seenIds.add(id);
      res.statusCode = req.url === "/fail" ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("webhook subscription URL", () => {
  it("accepts http and https only, without credentials", () => {
    expect(validateWebhookUrl("https://gov.example.cn/hook").protocol).toBe("https:");
    expect(() => validateWebhookUrl("ftp://gov.example.cn/hook")).toThrow(/http/);
    expect(() => validateWebhookUrl("https://u:p@gov.example.cn/hook")).toThrow(/用户名或密码/);
    expect(() => validateWebhookUrl("javascript:alert(1)")).toThrow();
  });
  it("refuses loopback, link-local and metadata addresses; allows the intranet's private ranges", () => {
    for (const ip of ["127.0.0.1", "::1", "169.254.169.254", "0.0.0.0", "::ffff:127.0.0.1", "fe80::1", "224.0.0.1"])
      expect(isForbiddenAddress(ip), ip).toBe(true);
    for (const ip of ["10.1.2.3", "192.168.1.10", "172.16.0.5", "8.8.8.8"])
      expect(isForbiddenAddress(ip), ip).toBe(false);
  });
});

describe("webhook deliveries", () => {
  let ok: { id: string; secret: string };
  let failing: { id: string; secret: string };
  let otherOrgSub: { id: string; secret: string };
  let itemId: string;
  let owner: { id: string };
  let stranger: { id: string };

  beforeAll(async () => {
    const region = await buildRegion();
    owner = await buildOrg({ region, kind: "JUSTICE_BUREAU" });
    const lead = await buildOrg({ region, kind: "ENFORCEMENT_AGENCY" });
    stranger = await buildOrg({ region: await buildRegion(), kind: "COURT" });
    const coordinator = await buildUser({ org: owner, role: "COORDINATOR" });
    await buildUser({ org: lead, role: "COORDINATOR" });
    const db = getDb();
    ok = await createWebhookSubscription(
      db,
      { orgId: lead.id, url: `${base}/ok`, events: ["item.overdue"], createdById: coordinator.id },
      newId,
    );
    failing = await createWebhookSubscription(
      db,
      {
        orgId: owner.id,
        url: `${base}/fail`,
        events: ["item.overdue", "clue.transferred"],
        createdById: coordinator.id,
      },
      newId,
    );
    otherOrgSub = await createWebhookSubscription(
      db,
      { orgId: stranger.id, url: `${base}/stranger`, events: ["item.overdue"], createdById: coordinator.id },
      newId,
    );
    const { id: docId } = await buildDocument({
      ownerOrg: owner,
      createdById: coordinator.id,
      status: "FINALIZED",
      title: "推送测试会商纪要",
    });
    itemId = newId();
    await db.trackedItem.create({
      data: {
        id: itemId,
        kind: "AGREED_ITEM",
        sourceDocumentId: docId,
        ownerOrgId: owner.id,
        number: 1,
        wording: "推送测试事项",
        leadOrgId: lead.id,
        dueDate: DUE,
        status: "IN_PROGRESS",
        activatedAt: new Date(),
        orgs: { create: [{ orgId: lead.id, role: "LEAD" }] },
      },
    });
    const settings = { dueSoonDays: 3, replyDueSoonDays: 7, redDays: 7 };
    await scanReminders(new Date(DUE.getTime() + DAY), {
      events: createEventBus(),
      settings,
      scope: { ownerOrgIds: [owner.id] },
    });
  });

  it("queues item.overdue once for the owner's and the lead's subscriptions, not for another org", async () => {
    const rows = await getDb().webhookDelivery.findMany({
      where: { subscriptionId: { in: [ok.id, failing.id, otherOrgSub.id] } },
    });
    expect(rows.map((r) => r.subscriptionId).sort()).toEqual([ok.id, failing.id].sort());
    expect(rows.every((r) => r.event === "item.overdue" && r.status === "PENDING" && r.attempts === 0)).toBe(true);
    expect(JSON.parse(rows[0].payload).data).toMatchObject({ itemId, stage: "DUE" });
  });

  it("delivers a signed POST that verifies with the subscription's secret", async () => {
    const now = new Date(DUE.getTime() + DAY + 1000);
    const r = await runWebhookDeliveries(now, { holder, subscriptionIds: [ok.id] });
    expect(r).toMatchObject({ ran: true, delivered: 1 });
    const got = received.find((x) => x.path === "/ok")!;
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-consult-event"]).toBe("item.overdue");
    const ts = String(got.headers["x-consult-timestamp"]);
    expect(ts).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(got.headers["x-consult-signature"]).toBe(signWebhook(ok.secret, ts, got.body));
    expect(signWebhook("wrong", ts, got.body)).not.toBe(got.headers["x-consult-signature"]);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({ event: "item.overdue", id: got.headers["x-consult-delivery"], data: { itemId } });
    const row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: body.id } });
    expect(row).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 204 });
    expect(row.deliveredAt?.getTime()).toBe(now.getTime());
  });

  it("a replayed delivery carries the same id, so the receiver can detect it", async () => {
    const first = received.find((x) => x.path === "/ok")!;
    const id = String(first.headers["x-consult-delivery"]);
    // A sender retrying after a lost answer (or an attacker replaying the request) repeats the id.
    await getDb().webhookDelivery.update({ where: { id }, data: { status: "PENDING" } });
    await runWebhookDeliveries(new Date(DUE.getTime() + 2 * DAY), { holder, subscriptionIds: [ok.id] });
    expect(replays).toEqual([id]);
    // The timestamp is signed: a replay with an old signature and a fresh timestamp does not verify.
    const again = received.filter((x) => x.path === "/ok")[1];
    expect(again.headers["x-consult-timestamp"]).not.toBe(first.headers["x-consult-timestamp"]);
    expect(first.headers["x-consult-signature"]).not.toBe(again.headers["x-consult-signature"]);
  });

  it("retries a receiver that answers 500 with backoff, then gives up after the last attempt", async () => {
    let now = new Date(DUE.getTime() + DAY + 1000);
    const [row0] = await getDb().webhookDelivery.findMany({ where: { subscriptionId: failing.id } });
    const r1 = await runWebhookDeliveries(now, { holder, subscriptionIds: [failing.id] });
    expect(r1).toMatchObject({ retried: 1 });
    let row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: row0.id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(row.nextAttemptAt.getTime()).toBe(now.getTime() + WEBHOOK_BACKOFF_MS[0]);
    // Not yet due: nothing is sent.
    const early = await runWebhookDeliveries(new Date(now.getTime() + 1000), { holder, subscriptionIds: [failing.id] });
    expect(early).toMatchObject({ retried: 0, failed: 0, delivered: 0 });
    for (let attempt = 2; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
      now = row.nextAttemptAt;
      await runWebhookDeliveries(now, { holder, subscriptionIds: [failing.id] });
      row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: row0.id } });
      expect(row.attempts).toBe(attempt);
    }
    expect(row).toMatchObject({ status: "FAILED", attempts: 6, lastStatusCode: 500, deliveredAt: null });
    expect(received.filter((x) => x.path === "/fail")).toHaveLength(6);
    const later = await runWebhookDeliveries(new Date(now.getTime() + 30 * DAY), {
      holder,
      subscriptionIds: [failing.id],
    });
    expect(later.retried + later.failed + later.delivered).toBe(0);
  });

  it("重发: the org's ADMIN queues a FAILED delivery again with fresh attempts (same id); nobody else; audited", async () => {
    const { seedActor } = await import("../../prisma/seed-actor");
    const [row] = await getDb().webhookDelivery.findMany({ where: { subscriptionId: failing.id, status: "FAILED" } });
    const ctx = { ip: null, now: new Date(DUE.getTime() + 40 * DAY) };
    const strangerAdmin = await seedActor((await buildUser({ org: stranger, role: "ADMIN" })).username);
    const ownerCoord = await seedActor((await buildUser({ org: owner, role: "COORDINATOR" })).username);
    const ownerAdmin = await seedActor((await buildUser({ org: owner, role: "ADMIN" })).username);
    for (const who of [strangerAdmin, ownerCoord]) {
      const refused = await resendWebhookDelivery(who, row.id, ctx).then(
        () => null,
        (e: { status?: number }) => e,
      );
      expect(refused?.status).toBe(403);
    }
    expect((await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("FAILED");
    await resendWebhookDelivery(ownerAdmin, row.id, ctx);
    const again = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(again).toMatchObject({ status: "PENDING", attempts: 0, lastError: null });
    expect(again.nextAttemptAt.getTime()).toBe(ctx.now.getTime());
    const twice = await resendWebhookDelivery(ownerAdmin, row.id, ctx).then(
      () => null,
      (e: { status?: number }) => e,
    );
    expect(twice?.status).toBe(409);
    const audit = await getDb().auditEvent.findMany({ where: { action: "api.webhook_resent", targetId: row.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0].orgId).toBe(owner.id);
    // It is sent on the next run, under the same delivery id.
    const before = received.filter((x) => x.path === "/fail").length;
    await runWebhookDeliveries(ctx.now, { holder, subscriptionIds: [failing.id] });
    const sent = received.filter((x) => x.path === "/fail");
    expect(sent).toHaveLength(before + 1);
    expect(sent.at(-1)!.headers["x-consult-delivery"]).toBe(row.id);
  });

  it("refuses loopback targets unless allowlisted", async () => {
    process.env.WEBHOOK_ALLOWED_HOSTS = "";
    try {
      const sub = await createWebhookSubscription(
        getDb(),
        {
          orgId: (await buildOrg({ region: await buildRegion() })).id,
          url: `${base}/ok`,
          events: ["item.overdue"],
          createdById: "x",
        },
        newId,
      );
      const id = newId();
      await getDb().webhookDelivery.create({
        data: {
          id,
          subscriptionId: sub.id,
          event: "item.overdue",
          dedupeKey: id,
          payload: "{}",
          nextAttemptAt: new Date(),
        },
      });
      await runWebhookDeliveries(new Date(), { holder, subscriptionIds: [sub.id] });
      const row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null });
      expect(row.lastError).toMatch(/127\.0\.0\.1/);
    } finally {
      process.env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
    }
  });
});

describe("/admin/webhooks", () => {
  it("the org's ADMIN creates (secret shown once), lists and deactivates; others may not; audited", async () => {
    const app = await startServer();
    try {
      const org = await buildOrg({ region: await buildRegion() });
      const admin = await buildUser({ org, role: "ADMIN" });
      const cookie = await buildSessionCookie(admin.id);
      const path = "/admin/webhooks?_data=routes%2F_app.admin.webhooks";
      expect((await app.request("/admin/webhooks", { cookie })).status).toBe(200);
      for (const url of ["ftp://x.example/h", "https://u:p@x.example/h", "不是地址"]) {
        const bad = await app.request(path, {
          cookie,
          form: { intent: "create", orgId: org.id, url, events: "item.overdue" },
        });
        expect(bad.status, url).toBe(400);
      }
      const noEvent = await app.request(path, {
        cookie,
        form: { intent: "create", orgId: org.id, url: "https://x.example/h" },
      });
      expect(noEvent.status).toBe(400);
      const created = await app.request(path, {
        cookie,
        form: { intent: "create", orgId: org.id, url: "https://10.2.3.4/hook", events: "item.overdue" },
      });
      expect(created.status).toBe(200);
      const { secret } = (await created.json()) as { secret: string };
      expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
      const row = await getDb().webhookSubscription.findFirstOrThrow({ where: { orgId: org.id } });
      expect(row).toMatchObject({ url: "https://10.2.3.4/hook", events: "item.overdue", active: true });
      const listed = await (await app.request("/admin/webhooks", { cookie })).text();
      expect(listed).toContain("https://10.2.3.4/hook");
      expect(listed).not.toContain(secret);
      const coordinator = await buildUser({ org, role: "COORDINATOR" });
      expect((await app.request("/admin/webhooks", { cookie: await buildSessionCookie(coordinator.id) })).status).toBe(
        403,
      );
      const stranger = await buildUser({ org: await buildOrg(), role: "ADMIN" });
      const foreign = await app.request(path, {
        cookie: await buildSessionCookie(stranger.id),
        form: { intent: "deactivate", subscriptionId: row.id },
      });
      expect(foreign.status).toBe(403);
      expect((await app.request(path, { cookie, form: { intent: "deactivate", subscriptionId: row.id } })).status).toBe(
        200,
      );
      expect((await getDb().webhookSubscription.findUniqueOrThrow({ where: { id: row.id } })).active).toBe(false);
      const audit = await getDb().auditEvent.findMany({
        where: { targetId: row.id },
        select: { action: true, summary: true },
      });
      expect(audit.map((a) => a.action).sort()).toEqual(["api.webhook_created", "api.webhook_deactivated"]);
      expect(audit.every((a) => !a.summary.includes(secret))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe("webhook events of recommendations and clues", () => {
  const uid = newId().slice(-6);
  const SUMMARY = `推送问题摘要${uid}`;
  const PERSONS = `推送涉及人员王五${uid}`;
  let w: Awaited<ReturnType<typeof world>>;

  async function world() {
    const city = await buildRegion();
    const sfj = await buildOrg({ region: city, kind: "JUSTICE_BUREAU" });
    const procu = await buildOrg({ region: city, kind: "PROCURATORATE" });
    const jw = await buildOrg({ region: city, kind: "DISCIPLINE_COMMISSION" });
    const agency = await buildOrg({ region: city, kind: "ENFORCEMENT_AGENCY" });
    const stranger = await buildOrg({ region: await buildRegion(), kind: "JUSTICE_BUREAU" });
    const users = {
      sfj: await buildUser({ org: sfj, role: "COORDINATOR" }),
      procu: await buildUser({ org: procu, role: "COORDINATOR" }),
      jw: await buildUser({ org: jw, role: "COORDINATOR" }),
    };
    const db = getDb();
    const sub = (orgId: string, events: string[]) =>
      createWebhookSubscription(db, { orgId, url: `${base}/events`, events, createdById: users.sfj.id }, newId);
    const subs = {
      sfj: await sub(sfj.id, ["recommendation.registered", "clue.transferred"]),
      procu: await sub(procu.id, ["recommendation.registered"]),
      agency: await sub(agency.id, ["recommendation.registered", "clue.transferred"]),
      jw: await sub(jw.id, ["clue.transferred"]),
      jwOverdueOnly: await sub(jw.id, ["item.overdue"]),
      stranger: await sub(stranger.id, ["recommendation.registered", "clue.transferred"]),
    };
    return { sfj, procu, jw, agency, users, subs };
  }

  const ctx = () => ({ ip: null, events: createEventBus(), now: new Date() });
  const deliveriesOf = (event: string, recordKey: string, recordId: string) =>
    getDb()
      .webhookDelivery.findMany({ where: { event, subscriptionId: { in: Object.values(w.subs).map((s) => s.id) } } })
      .then((rows) =>
        rows.filter((r) => (JSON.parse(r.payload) as { data: Record<string, string> }).data[recordKey] === recordId),
      );

  beforeAll(async () => {
    w = await world();
  });

  it("recommendation.registered is queued once for the issuer, the recipient and the 抄送 org, nobody else", async () => {
    const { seedActor } = await import("../../prisma/seed-actor");
    const { registerRecommendation } = await import("~/services/recommendations.server");
    const today = new Date().toISOString().slice(0, 10);
    const { id } = await registerRecommendation(
      await seedActor(w.users.procu.username),
      {
        kind: "PROCURATORIAL",
        docNumber: `推检行建〔2026〕${uid}号`,
        title: "关于规范行政处罚程序的检察建议",
        problems: "未履行告知程序",
        issuerOrgId: w.procu.id,
        recipientOrgId: w.agency.id,
        copyOrgIds: [w.sfj.id],
        issuedOn: today,
        receivedOn: today,
        replyDue: null,
        replyDueReason: null,
        original: null,
      },
      ctx(),
    );
    const rows = await deliveriesOf("recommendation.registered", "recommendationId", id);
    expect(rows.map((r) => r.subscriptionId).sort()).toEqual([w.subs.procu.id, w.subs.agency.id, w.subs.sfj.id].sort());
    expect(JSON.parse(rows[0].payload)).toMatchObject({
      event: "recommendation.registered",
      data: { recommendationId: id, docNumber: `推检行建〔2026〕${uid}号` },
    });
  });

  it("clue.transferred is queued for the sending and receiving units only, without the clue's content", async () => {
    const { seedActor } = await import("../../prisma/seed-actor");
    const { transferClue } = await import("~/services/clues.server");
    const { id } = await transferClue(
      await seedActor(w.users.sfj.username),
      {
        fromOrgId: w.sfj.id,
        toOrgId: w.jw.id,
        docNumber: `推司移〔2026〕${uid}号`,
        source: "SUPERVISION",
        summary: SUMMARY,
        involvedUnits: "某执法大队",
        involvedPersons: PERSONS,
        needsFeedback: true,
        feedbackDue: null,
        files: [],
      },
      ctx(),
    );
    const rows = await deliveriesOf("clue.transferred", "clueId", id);
    expect(rows.map((r) => r.subscriptionId).sort()).toEqual([w.subs.sfj.id, w.subs.jw.id].sort());
    for (const r of rows) {
      expect(r.payload).not.toContain(SUMMARY);
      expect(r.payload).not.toContain(PERSONS);
      expect(r.payload).not.toContain("某执法大队");
    }
    // Delivered to the receiver, signed like every event.
    const now = new Date(Date.now() + 1000);
    const result = await runWebhookDeliveries(now, { holder, subscriptionIds: [w.subs.jw.id] });
    expect(result).toMatchObject({ ran: true, delivered: 1 });
    const got = received.filter((x) => x.path === "/events").at(-1)!;
    expect(got.headers["x-consult-event"]).toBe("clue.transferred");
    expect(got.headers["x-consult-signature"]).toBe(
      signWebhook(w.subs.jw.secret, String(got.headers["x-consult-timestamp"]), got.body),
    );
  });
});
