import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/actor";
import { createToken, revokeToken } from "~/services/api-tokens.server";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * The data-exchange API (ADR 027) against the real server: a token sees what its org's coordinator
 * sees, scopes, revocation and expiry, tokens in the URL, typed Chinese errors, the rate limit, the
 * audit of every call and the OpenAPI document.
 */

let app: RunningServer;
let agency: { id: string; name: string; regionId: string };
let coordinatorCookie: string;
let admin: { id: string; displayName: string; actor: Actor };
const I: Record<string, string> = {};
const DAY = 86_400_000;

async function buildItem(
  name: string,
  owner: { id: string },
  lead: { id: string },
  doc: { id: string },
  number: number,
) {
  const id = newId();
  await getDb().trackedItem.create({
    data: {
      id,
      kind: "TASK",
      sourceDocumentId: doc.id,
      ownerOrgId: owner.id,
      number,
      wording: `接口测试事项${name}`,
      searchText: `接口测试事项${name}`.toLowerCase(),
      leadOrgId: lead.id,
      dueDate: new Date(Date.now() + 10 * DAY),
      status: "NOT_STARTED",
      activatedAt: new Date(Date.now() - DAY),
      orgs: { create: [{ orgId: lead.id, role: "LEAD" }] },
    },
  });
  I[name] = id;
}

async function token(scope: "READ" | "READ_WRITE", days = 30) {
  return createToken(
    admin,
    { orgId: agency.id, name: `测试令牌${newId().slice(0, 4)}`, scope, days },
    { ip: null, now: new Date() },
  );
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

async function errorOf(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { id: string; message: string } };
  expect(typeof body.error.id).toBe("string");
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  return body.error;
}

beforeAll(async () => {
  app = await startServer();
  const city = await buildRegion({ name: "接口测试市" });
  const sfj = await buildOrg({ region: city, kind: "JUSTICE_BUREAU" });
  agency = await buildOrg({ region: city, kind: "ENFORCEMENT_AGENCY" });
  const other = await buildOrg({ region: city, kind: "ENFORCEMENT_AGENCY" });
  const coord = await buildUser({ org: sfj, role: "COORDINATOR" });
  const agencyCoord = await buildUser({ org: agency, role: "COORDINATOR" });
  coordinatorCookie = await buildSessionCookie(agencyCoord.id);
  const adminUser = await buildUser({ org: agency, role: "ADMIN", displayName: "接口测试管理员" });
  const region = await getDb().region.findUniqueOrThrow({ where: { id: city.id }, select: { path: true } });
  admin = {
    id: adminUser.id,
    displayName: adminUser.displayName,
    actor: {
      userId: adminUser.id,
      memberships: [
        {
          orgId: agency.id,
          orgKind: "ENFORCEMENT_AGENCY",
          role: "ADMIN",
          regionId: city.id,
          regionPath: region.path,
          regionLevel: "CITY",
        },
      ],
    },
  };
  const doc = await buildDocument({ ownerOrg: sfj, createdById: coord.id, status: "FINALIZED", title: "接口测试纪要" });
  await buildItem("A1", sfj, agency, doc, 1);
  await buildItem("A2", sfj, agency, doc, 2);
  await buildItem("O1", sfj, other, doc, 3);
});

afterAll(async () => {
  await app?.close();
});

describe("data-exchange API v1", () => {
  it("a token sees exactly the ledger rows its org's coordinator sees", async () => {
    const { token: t } = await token("READ");
    const html = await (await app.request("/ledger", { cookie: coordinatorCookie })).text();
    const pageIds = [...html.matchAll(/href="\/items\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]);
    const res = await app.request("/api/v1/items?pageSize=200", { headers: bearer(t) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; items: Array<{ id: string; dueDate: string | null }> };
    expect(new Set(body.items.map((r) => r.id))).toEqual(new Set(pageIds));
    expect(body.items.map((r) => r.id).sort()).toEqual([I.A1, I.A2].sort());
    expect(body.total).toBe(2);
    expect(body.items[0].dueDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The ledger's filters apply the same way.
    const q = (await (
      await app.request(`/api/v1/items?q=${encodeURIComponent("接口测试事项A1")}`, { headers: bearer(t) })
    ).json()) as {
      items: Array<{ id: string }>;
    };
    expect(q.items.map((r) => r.id)).toEqual([I.A1]);
  });

  it("lists the org's recommendations", async () => {
    const { token: t } = await token("READ");
    const res = await app.request("/api/v1/recommendations?view=to", { headers: bearer(t) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { view: string; items: unknown[] };
    expect(body.view).toBe("to");
    expect(body.items).toEqual([]);
    expect((await app.request("/api/v1/recommendations?view=x", { headers: bearer(t) })).status).toBe(400);
  });

  it("a READ token cannot write and nothing changes; a READ_WRITE token reports progress", async () => {
    const db = getDb();
    const before = await db.progressReport.count({ where: { itemId: I.A1 } });
    const read = await token("READ");
    const post = (t: string, body: unknown, itemId = I.A1) =>
      app.request(`/api/v1/items/${itemId}/progress`, {
        method: "POST",
        headers: { ...bearer(t), "Content-Type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const refused = await post(read.token, { text: "只读令牌不能报送" });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).id).toBe("FORBIDDEN");
    expect(await db.progressReport.count({ where: { itemId: I.A1 } })).toBe(before);

    const rw = await token("READ_WRITE");
    // Bad input: typed Chinese 400s, never a 500, nothing stored.
    for (const bad of [{ text: 123 }, { text: "好", extra: true }, "{not json", { newStatus: "CLOSED", text: "x" }]) {
      const res = await post(rw.token, bad);
      expect(res.status).toBe(400);
      expect(["VALIDATION", "BAD_REQUEST"]).toContain((await errorOf(res)).id);
    }
    expect(await db.progressReport.count({ where: { itemId: I.A1 } })).toBe(before);
    // The item command and policy still decide: another org's item is not this org's to report on.
    expect([403, 404]).toContain((await post(rw.token, { text: "他单位事项" }, I.O1)).status);
    expect((await post(rw.token, { text: "不存在" }, newId())).status).toBe(404);

    const ok = await post(rw.token, { text: "已完成现场核查", newStatus: "IN_PROGRESS" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    expect(await db.progressReport.count({ where: { itemId: I.A1 } })).toBe(before + 1);
    const item = await db.trackedItem.findUniqueOrThrow({ where: { id: I.A1 }, select: { status: true } });
    expect(item.status).toBe("IN_PROGRESS");
  });

  it("revoked, expired, unknown or missing tokens get 401; a token in the query string gets 400 and is not used", async () => {
    const revoked = await token("READ");
    expect((await app.request("/api/v1/items", { headers: bearer(revoked.token) })).status).toBe(200);
    await revokeToken(admin, revoked.id, { ip: null, now: new Date() });
    const r1 = await app.request("/api/v1/items", { headers: bearer(revoked.token) });
    expect(r1.status).toBe(401);
    expect((await errorOf(r1)).id).toBe("UNAUTHENTICATED");

    const expired = await token("READ");
    await getDb().apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await app.request("/api/v1/items", { headers: bearer(expired.token) })).status).toBe(401);
    expect((await app.request("/api/v1/items", { headers: bearer(`ct_${"a".repeat(40)}`) })).status).toBe(401);
    expect((await app.request("/api/v1/items")).status).toBe(401);

    const fresh = await token("READ");
    for (const param of ["token", "access_token", "api_key", "apikey"]) {
      const res = await app.request(`/api/v1/items?${param}=${fresh.token}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toContain("Authorization");
      // Even with a good header too: refused, and the token is not used.
      expect(
        (await app.request(`/api/v1/items?${param}=${fresh.token}`, { headers: bearer(fresh.token) })).status,
      ).toBe(400);
    }
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id: fresh.id }, select: { lastUsedAt: true } });
    expect(row.lastUsedAt).toBeNull();
  });

  it("refuses oversize and wrong pages with a typed 400", async () => {
    const { token: t } = await token("READ");
    for (const q of ["pageSize=10000", "pageSize=0", "pageSize=abc", "page=-1"]) {
      const res = await app.request(`/api/v1/items?${q}`, { headers: bearer(t) });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).id).toBe("VALIDATION");
    }
  });

  it("rate-limits per token with 429 and Retry-After; every call is audited with the org", async () => {
    const { id, token: t } = await token("READ");
    // The bucket holds a minute's calls (120) and refills at 2 a second: calls go out 20 at a time (so
    // a slow, busy machine cannot refill as fast as it calls) until one is refused, and the calls
    // answered are counted against what may have refilled meanwhile.
    const started = Date.now();
    let ok = 0;
    let limited: Response | null = null;
    let calls = 0;
    while (!limited && calls < 600) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () => app.request("/api/v1/recommendations", { headers: bearer(t) })),
      );
      calls += batch.length;
      for (const res of batch) {
        if (res.status === 429) {
          if (!limited) limited = res;
          else await res.arrayBuffer();
        } else if (res.status === 200) {
          ok++;
          await res.arrayBuffer();
        } else throw new Error(`unexpected ${res.status}`);
      }
    }
    const refilled = Math.ceil(((Date.now() - started) / 1000) * 2);
    expect(limited, `no 429 after ${calls} calls`).not.toBeNull();
    expect(ok).toBeGreaterThanOrEqual(119);
    expect(ok).toBeLessThanOrEqual(120 + refilled + 1);
    expect(Number(limited!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await errorOf(limited!)).id).toBe("RATE_LIMITED");
    const audited = await getDb().auditEvent.findMany({
      where: { action: "api.call", targetId: id },
      select: { orgId: true, summary: true },
    });
    expect(audited.length).toBe(calls);
    expect(audited.every((a) => a.orgId === agency.id)).toBe(true);
    expect(audited.some((a) => a.summary === "GET /api/v1/recommendations 429")).toBe(true);
    expect(audited.some((a) => a.summary === "GET /api/v1/recommendations 200")).toBe(true);
    expect(audited.every((a) => !a.summary.includes("ct_"))).toBe(true);
  });

  it("the org's ADMIN creates (shown once), lists and revokes tokens on /admin/api-tokens; others may not", async () => {
    const cookie = await buildSessionCookie(admin.id);
    const page = await app.request("/admin/api-tokens", { cookie });
    expect(page.status).toBe(200);
    const created = await app.request("/admin/api-tokens?_data=routes%2F_app.admin.api-tokens", {
      cookie,
      form: { intent: "create", orgId: agency.id, name: "页面创建的令牌", scope: "READ", days: "7" },
    });
    expect(created.status).toBe(200);
    const { token: plain } = (await created.json()) as { token: string };
    expect(plain).toMatch(/^ct_[0-9A-Za-z]{40}$/);
    const row = await getDb().apiToken.findFirstOrThrow({ where: { orgId: agency.id, name: "页面创建的令牌" } });
    expect(row.tokenHash).not.toContain(plain.slice(3));
    expect(row.prefix).toBe(plain.slice(0, 8));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(6.9 * DAY);
    const listed = await (await app.request("/admin/api-tokens", { cookie })).text();
    expect(listed).toContain("页面创建的令牌");
    expect(listed).toContain(row.prefix);
    expect(listed).not.toContain(plain);
    for (const days of ["0", "366", "abc"]) {
      const bad = await app.request("/admin/api-tokens?_data=routes%2F_app.admin.api-tokens", {
        cookie,
        form: { intent: "create", orgId: agency.id, name: "坏", scope: "READ", days },
      });
      expect(bad.status).toBe(400);
    }
    // A coordinator of the org (not an ADMIN) can neither open the page nor create or revoke.
    expect((await app.request("/admin/api-tokens", { cookie: coordinatorCookie })).status).toBe(403);
    const other = await buildUser({ org: await buildOrg(), role: "ADMIN" });
    const otherCookie = await buildSessionCookie(other.id);
    const foreign = await app.request("/admin/api-tokens?_data=routes%2F_app.admin.api-tokens", {
      cookie: otherCookie,
      form: { intent: "revoke", tokenId: row.id },
    });
    expect(foreign.status).toBe(403);
    const revoked = await app.request("/admin/api-tokens?_data=routes%2F_app.admin.api-tokens", {
      cookie,
      form: { intent: "revoke", tokenId: row.id },
    });
    expect(revoked.status).toBe(200);
    expect((await getDb().apiToken.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();
    expect((await app.request("/api/v1/items", { headers: bearer(plain) })).status).toBe(401);
    const audit = await getDb().auditEvent.findMany({
      where: { targetId: row.id, action: { in: ["api.token_created", "api.token_revoked"] } },
      select: { action: true, orgId: true, summary: true },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(["api.token_created", "api.token_revoked"]);
    expect(audit.every((a) => a.orgId === agency.id && !a.summary.includes(plain))).toBe(true);
  });

  it("lists published typical cases, paged; an oversize page or unknown parameter is a typed 400", async () => {
    const { token: t } = await token("READ");
    const res = await app.request("/api/v1/cases?pageSize=5", { headers: bearer(t) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pageSize: number; total: number; items: Array<{ url: string }> };
    expect(body.pageSize).toBe(5);
    expect(body.items.length).toBeLessThanOrEqual(5);
    for (const q of ["pageSize=10000", "nope=1"]) {
      const bad = await app.request(`/api/v1/cases?${q}`, { headers: bearer(t) });
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).id).toBe("VALIDATION");
    }
    expect((await app.request("/api/v1/cases")).status).toBe(401);
  });

  it("an unknown API path or method answers in the API's shape", async () => {
    const { token: t } = await token("READ");
    const missing = await app.request("/api/v1/nothing-here", { headers: bearer(t) });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).id).toBe("NOT_FOUND");
    const wrongMethod = await app.request("/api/v1/items", {
      method: "POST",
      headers: { ...bearer(t), "Content-Type": "application/json" },
      body: "{}",
    });
    expect(wrongMethod.status).toBe(405);
    await errorOf(wrongMethod);
  });

  it("serves a readable reference at /api/docs", async () => {
    const res = await app.request("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain("GET /api/v1/items");
    expect(html).toContain("POST /api/v1/items/{itemId}/progress");
    expect(html).toContain("错误约定");
    expect(html).not.toMatch(/<script\b/);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("serves a valid OpenAPI 3.1 document without a token", async () => {
    const res = await app.request("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toBeTruthy();
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  // Last: it empties this address's bucket of refusals.
  it("calls without a valid token are slowed per address too (429 after a minute's worth of 401s)", async () => {
    const statuses = new Set<number>();
    // 20 at a time, so a busy machine cannot refill the bucket (2 a second) as fast as it calls.
    for (let i = 0; i < 30 && !statuses.has(429); i++) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () => app.request("/api/v1/items", { headers: bearer(`ct_${"b".repeat(40)}`) })),
      );
      for (const res of batch) {
        statuses.add(res.status);
        await res.arrayBuffer();
      }
    }
    expect([...statuses].sort()).toEqual([401, 429]);
  });
});
