import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { createToken } from "~/services/api-tokens.server";
import { transferClue, type TransferInput } from "~/services/clues.server";
import { createEventBus } from "~/services/events.server";
import { newId } from "~/utils/ids";
import { seedActor } from "../../prisma/seed-actor";
import { buildLitigationReport, buildOrg, buildRegion, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * The data-exchange API's clue steps and 府院联动 figures (ADR 027) against the real server: the
 * receiving unit's system signs, handles, returns and reports on clues through the clue commands
 * (same policy, audit and notifications), never sees a clue's content; a token reads exactly the
 * litigation reports its org reads on the 府院联动 page.
 */

let app: RunningServer;
const uid = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const PERSONS = `涉及人员李四光${uid}`;
const SUMMARY = `问题摘要标记${uid}`;
const UNITS = `涉及单位某大队${uid}`;

let w: Awaited<ReturnType<typeof world>>;

async function world() {
  const province = await buildRegion({ level: "PROVINCE" });
  const city = await buildRegion({ level: "CITY", parent: province });
  const otherCity = await buildRegion({ level: "CITY", parent: province });
  const tag = city.id.slice(-5);
  const sfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: city, name: `接口市司法局${tag}` });
  const jw = await buildOrg({ kind: "DISCIPLINE_COMMISSION", region: city, name: `接口市纪委监委${tag}` });
  const court = await buildOrg({ kind: "COURT", region: city, name: `接口市中级人民法院${tag}` });
  const agency = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: city, name: `接口市城管执法局${tag}` });
  const otherSfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: otherCity, name: `邻市司法局${tag}` });
  const sfjCoord = await buildUser({ org: sfj, role: "COORDINATOR" });
  const courtCoord = await buildUser({ org: court, role: "COORDINATOR" });
  const tokens: Record<string, { read: string; write: string }> = {};
  for (const [key, org] of Object.entries({ sfj, jw, court, agency, otherSfj })) {
    const admin = await seedActor((await buildUser({ org, role: "ADMIN" })).username);
    const make = async (scope: "READ" | "READ_WRITE") =>
      (
        await createToken(
          admin,
          { orgId: org.id, name: `接口${scope}`, scope, days: 30 },
          { ip: null, now: new Date() },
        )
      ).token;
    tokens[key] = { read: await make("READ"), write: await make("READ_WRITE") };
  }
  return { city, sfj, jw, court, agency, otherSfj, sfjCoord, courtCoord, tokens };
}

let counter = 0;
async function transfer() {
  const sender = await seedActor(w.sfjCoord.username);
  const input: TransferInput = {
    fromOrgId: w.sfj.id,
    toOrgId: w.jw.id,
    docNumber: `接司移〔2026〕${uid}-${counter++}号`,
    source: "SUPERVISION",
    summary: SUMMARY,
    involvedUnits: UNITS,
    involvedPersons: PERSONS,
    needsFeedback: true,
    feedbackDue: null,
    files: [],
  };
  const { id } = await transferClue(sender, input, { ip: null, events: createEventBus(), now: new Date() });
  return { id, docNumber: input.docNumber };
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const post = (t: string, path: string, body?: unknown) =>
  app.request(path, {
    method: "POST",
    headers: body === undefined ? bearer(t) : { ...bearer(t), "Content-Type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });

async function errorOf(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { id: string; message: string } };
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  return body.error;
}

const status = async (id: string) =>
  (await getDb().clue.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

beforeAll(async () => {
  app = await startServer();
  w = await world();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe("API: clues", () => {
  it("lists the register of each side, without the content; others see none of it", async () => {
    const clue = await transfer();
    const inbox = await app.request("/api/v1/clues?view=in", { headers: bearer(w.tokens.jw.read) });
    expect(inbox.status).toBe(200);
    const text = await inbox.text();
    const body = JSON.parse(text) as { view: string; items: Array<{ id: string; status: string; toOrg: string }> };
    expect(body.view).toBe("in");
    const row = body.items.find((r) => r.id === clue.id);
    expect(row).toMatchObject({ status: "TRANSFERRED", toOrg: w.jw.name });
    for (const secret of [PERSONS, SUMMARY, UNITS]) expect(text).not.toContain(secret);

    const out = (await (
      await app.request("/api/v1/clues?view=out", { headers: bearer(w.tokens.sfj.read) })
    ).json()) as { items: Array<{ id: string }> };
    expect(out.items.map((r) => r.id)).toContain(clue.id);
    for (const key of ["agency", "court", "otherSfj"]) {
      for (const view of ["in", "out", "granted"]) {
        const res = await app.request(`/api/v1/clues?view=${view}`, { headers: bearer(w.tokens[key].read) });
        expect(res.status).toBe(200);
        expect(await res.text()).not.toContain(clue.id);
      }
    }
    for (const q of ["view=all", "status=DONE", "overdue=yes", "nope=1"]) {
      const res = await app.request(`/api/v1/clues?${q}`, { headers: bearer(w.tokens.jw.read) });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).id).toBe("VALIDATION");
    }
  });

  it("签收 → 开始办理 → 反馈 through the commands: scope, who may, state order, bad input; audited and the sender told", async () => {
    const clue = await transfer();
    const path = (step: string) => `/api/v1/clues/${clue.id}/${step}`;
    // A READ token cannot write; the sender is not the receiver; nothing changes.
    expect((await errorOf(await post(w.tokens.jw.read, path("receipt")))).id).toBe("FORBIDDEN");
    expect((await post(w.tokens.sfj.write, path("receipt"))).status).toBe(403);
    expect((await post(w.tokens.agency.write, path("receipt"))).status).toBe(403);
    expect(await status(clue.id)).toBe("TRANSFERRED");
    // Out of order: a typed 409 in Chinese.
    const early = await post(w.tokens.jw.write, path("feedback"), { outcome: "FILED", text: "已立案" });
    expect(early.status).toBe(409);
    expect((await errorOf(early)).message).toContain("签收");
    // A body where none is taken is refused, not ignored.
    expect((await post(w.tokens.jw.write, path("receipt"), { at: "2020-01-01" })).status).toBe(400);
    expect(await status(clue.id)).toBe("TRANSFERRED");

    const signed = await post(w.tokens.jw.write, path("receipt"));
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ ok: true, status: "RECEIVED" });
    expect((await post(w.tokens.jw.write, path("receipt"))).status).toBe(409);
    expect(await (await post(w.tokens.jw.write, path("handling"), {})).json()).toEqual({
      ok: true,
      status: "HANDLING",
    });

    for (const bad of [
      { outcome: "GUILTY", text: "x" },
      { outcome: "FILED" },
      { outcome: "FILED", text: "   " },
      { outcome: "FILED", text: "a\u0007b" },
      { outcome: "FILED", text: "长".repeat(2001) },
      { outcome: "FILED", text: "好", files: [] },
      "{broken",
    ]) {
      const res = await post(w.tokens.jw.write, path("feedback"), bad);
      expect(res.status).toBe(400);
    }
    expect(await status(clue.id)).toBe("HANDLING");
    const done = await post(w.tokens.jw.write, path("feedback"), { outcome: "PRELIMINARY", text: "已初核，正在调查" });
    expect(await done.json()).toEqual({ ok: true, status: "FEEDBACK" });
    const row = await getDb().clue.findUniqueOrThrow({ where: { id: clue.id } });
    expect(row.feedbackOutcome).toBe("PRELIMINARY");
    expect(row.feedbackText).toBe("已初核，正在调查");

    const audit = await getDb().auditEvent.findMany({
      where: { targetType: "Clue", targetId: clue.id },
      select: { action: true, orgId: true, summary: true },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["clue.received", "clue.handling_started", "clue.feedback_given"]),
    );
    expect(audit.filter((a) => a.action !== "clue.transferred").every((a) => a.orgId === w.jw.id)).toBe(true);
    const told = await getDb().notification.findMany({
      where: { link: `/clues/${clue.id}`, kind: "clue.feedback_given" },
      select: { userId: true },
    });
    expect(told.length).toBeGreaterThan(0);
    const orgsTold = await getDb().membership.findMany({
      where: { userId: { in: told.map((n) => n.userId) } },
      select: { orgId: true },
    });
    expect(new Set(orgsTold.map((m) => m.orgId))).toEqual(new Set([w.sfj.id]));
  });
});

describe("API: 府院联动 figures", () => {
  let draft: { id: string };
  let submitted: { id: string };
  beforeAll(async () => {
    const figures = [
      { agencyOrgId: w.agency.id, filed: 10, concluded: 8, lost: 2, headAppeared: 6, mediatedWithdrawn: 1 },
    ];
    const cases = [
      {
        agencyOrgId: w.agency.id,
        caseNumber: `（2026）接行初${uid}号`,
        cause: "行政处罚",
        outcome: "撤销被诉行政处罚决定",
        problem: "未履行告知程序",
      },
    ];
    submitted = await buildLitigationReport({
      court: w.court,
      year: 2026,
      quarter: 2,
      createdById: w.courtCoord.id,
      figures,
      cases,
      submittedAt: new Date("2026-07-10T02:00:00Z"),
    });
    draft = await buildLitigationReport({
      court: w.court,
      year: 2026,
      quarter: 3,
      createdById: w.courtCoord.id,
      figures,
    });
  });

  const list = async (key: string, q = "") => {
    const res = await app.request(`/api/v1/litigation${q}`, { headers: bearer(w.tokens[key].read) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Array<{ id: string; status: string }> }).items.map((r) => r.id);
  };

  it("the court reads its reports, the region's justice bureau the submitted ones, nobody else any", async () => {
    expect((await list("court")).sort()).toEqual([draft.id, submitted.id].sort());
    expect(await list("sfj")).toEqual([submitted.id]);
    expect(await list("agency")).toEqual([]);
    expect(await list("otherSfj")).toEqual([]);
    expect(await list("court", "?quarter=3")).toEqual([draft.id]);
    expect(await list("court", "?status=SUBMITTED&year=2026")).toEqual([submitted.id]);
    for (const q of ["?quarter=5", "?year=abc", "?status=OPEN", "?x=1"]) {
      const res = await app.request(`/api/v1/litigation${q}`, { headers: bearer(w.tokens.court.read) });
      expect(res.status).toBe(400);
    }
  });

  it("one report: figures with the rates of the page, its cases; unreadable is 404", async () => {
    const res = await app.request(`/api/v1/litigation/${submitted.id}`, { headers: bearer(w.tokens.sfj.read) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      figures: Array<{ agency: string; lossRate: number | null; appearanceRate: number | null }>;
      cases: Array<{ caseNumber: string }>;
    };
    expect(body.status).toBe("SUBMITTED");
    expect(body.figures).toEqual([
      expect.objectContaining({ agency: w.agency.name, lossRate: 25, appearanceRate: 75 }),
    ]);
    expect(body.cases.map((c) => c.caseNumber)).toEqual([`（2026）接行初${uid}号`]);
    for (const [key, id] of [
      ["sfj", draft.id],
      ["agency", submitted.id],
      ["otherSfj", submitted.id],
      ["court", newId()],
      ["court", "not-an-id"],
    ] as const) {
      const r = await app.request(`/api/v1/litigation/${id}`, { headers: bearer(w.tokens[key].read) });
      expect(r.status).toBe(404);
      expect((await errorOf(r)).id).toBe("NOT_FOUND");
    }
  });

  it("the OpenAPI document describes the new paths and stays valid", async () => {
    const doc = (await (await app.request("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const p of [
      "/api/v1/clues",
      "/api/v1/clues/{clueId}/receipt",
      "/api/v1/clues/{clueId}/feedback",
      "/api/v1/litigation",
      "/api/v1/litigation/{reportId}",
    ])
      expect(doc.paths[p]).toBeTruthy();
    await SwaggerParser.validate(structuredClone(doc) as never);
  });
});
