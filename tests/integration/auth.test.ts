import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { buildOrg, buildSessionCookie, buildUser, TEST_PASSWORD } from "../factories";
import { sessionCookieFrom, startServer, type RunningServer } from "./helpers";

let app: RunningServer;
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  await app.close();
});

async function login(username: string, password: string, headers: Record<string, string> = {}) {
  return app.request("/login", { form: { username, password, redirectTo: "/" }, headers });
}

describe("sign-in", () => {
  it("signs in a user, who then sees the shell with the org name", async () => {
    const org = await buildOrg({ name: "登录测试市场监督管理局" });
    const user = await buildUser({ org, role: "DRAFTER", displayName: "登录测试人" });
    const res = await login(user.username, TEST_PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = sessionCookieFrom(res);
    expect(cookie).toBeTruthy();
    const home = await app.request("/", { cookie: cookie! });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("登录测试市场监督管理局");
    expect(html).toContain("登录测试人");
    const audit = await getDb().auditEvent.findFirst({ where: { actorId: user.id, action: "auth.login" } });
    expect(audit).not.toBeNull();
  });

  it("gives the same Chinese message for a wrong password and an unknown user", async () => {
    const user = await buildUser();
    const wrong = await login(user.username, "not-the-password1");
    const unknown = await login("nobody-here", "whatever123");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.text(), await unknown.text()];
    expect(a).toContain("用户名或密码错误");
    expect(b).toContain("用户名或密码错误");
    expect(sessionCookieFrom(wrong)).toBeNull();
    const failures = await getDb().auditEvent.count({ where: { action: "auth.login_failed", actorId: user.id } });
    expect(failures).toBe(1);
  });

  it("locks an account after repeated failures, even for the right password, with a Chinese message", async () => {
    const user = await buildUser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(user.username, `wrong-pass-${i}`)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[4]).toBe(429);
    const locked = await login(user.username, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("临时锁定");
    expect(sessionCookieFrom(locked)).toBeNull();
    expect(await getDb().auditEvent.count({ where: { action: "auth.locked", actorId: user.id } })).toBe(1);
  });

  it("slows down repeated failures", async () => {
    const user = await buildUser();
    const t0 = Date.now();
    await login(user.username, "wrong-1a");
    const first = Date.now() - t0;
    await login(user.username, "wrong-2a");
    const t1 = Date.now();
    await login(user.username, "wrong-3a");
    const third = Date.now() - t1;
    // LOGIN_SLOWDOWN_MS=10 in tests: the third failure waits 40 ms, the first 10 ms.
    expect(third).toBeGreaterThanOrEqual(40);
    expect(first).toBeGreaterThanOrEqual(10);
  });

  it("rejects bad input with Chinese messages and no 500", async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { username: "", password: "" },
      { username: "x".repeat(5000), password: "y" },
      { username: "<script>alert(1)</script>", password: "<img src=x onerror=alert(1)>" },
      { username: "a", password: "b", redirectTo: "https://evil.example/" },
    ];
    for (const form of cases) {
      const res = await app.request("/login", { form });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const html = await res.text();
      expect(html).toMatch(/请输入用户名|用户名或密码错误|请输入密码/);
      expect(html).not.toContain("<script>alert(1)</script>");
    }
  });

  it("never redirects off-site after sign-in", async () => {
    const user = await buildUser();
    const res = await app.request("/login", {
      form: { username: user.username, password: TEST_PASSWORD, redirectTo: "//evil.example/x" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
  });
});

describe("sessions", () => {
  it("logout ends the session", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    expect((await app.request("/", { cookie })).status).toBe(200);
    const out = await app.request("/logout", { method: "POST", cookie });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/login");
    const after = await app.request("/", { cookie });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toContain("/login");
    expect(await getDb().auditEvent.count({ where: { action: "auth.logout", actorId: user.id } })).toBe(1);
  });

  it("an expired session is refused and removed", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    const id = cookie.split("=")[1];
    await getDb().session.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await app.request("/", { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("/login");
    expect(await getDb().session.findUnique({ where: { id } })).toBeNull();
  });

  it("a session past half its lifetime is extended (sliding expiry)", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    const id = cookie.split("=")[1];
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    await getDb().session.update({ where: { id }, data: { expiresAt: soon } });
    expect((await app.request("/", { cookie })).status).toBe(200);
    const row = await getDb().session.findUnique({ where: { id }, select: { expiresAt: true } });
    expect(row!.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 60 * 60 * 1000);
  });

  it("a deactivated user's session no longer works", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    await getDb().user.update({ where: { id: user.id }, data: { active: false } });
    expect((await app.request("/", { cookie })).status).toBe(302);
  });
});

describe("request protection", () => {
  it("refuses a cross-origin POST", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    const res = await app.request("/logout", { method: "POST", cookie, headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect((await res.json()) as unknown).toMatchObject({ error: { id: "FOREIGN_ORIGIN" } });
    // The session survived: the forged logout did nothing.
    expect((await app.request("/", { cookie })).status).toBe(200);
  });

  it("refuses a cookie-carrying POST with neither Origin nor Referer", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    const res = await fetch(`${app.origin}/logout`, {
      method: "POST",
      headers: { Cookie: cookie },
      redirect: "manual",
    });
    expect(res.status).toBe(403);
  });

  it("sends security headers with a nonce-based CSP", async () => {
    const res = await app.request("/login");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(html).toContain(`nonce="${nonce}"`);
  });

  it("answers /healthz with JSON", async () => {
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", db: "ok" });
  });

  it("renders 404 in Chinese for an unknown page", async () => {
    const user = await buildUser();
    const res = await app.request("/no-such-page", { cookie: await buildSessionCookie(user.id) });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("页面不存在");
  });
});

describe("admin pages", () => {
  it("refuse a VIEWER with a Chinese 403 page", async () => {
    const viewer = await buildUser({ role: "VIEWER", org: await buildOrg({ kind: "JUSTICE_BUREAU" }) });
    const cookie = await buildSessionCookie(viewer.id);
    for (const path of ["/admin", "/admin/orgs", "/admin/users", "/admin/audit"]) {
      const res = await app.request(path, { cookie });
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain("无权访问");
    }
  });

  it("refuse an anonymous visitor by sending them to sign in", async () => {
    const res = await app.request("/admin/orgs");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fadmin%2Forgs");
  });
});

describe("password change", () => {
  it("signs the user out everywhere else and keeps this browser signed in", async () => {
    const user = await buildUser();
    const otherDevice = await buildSessionCookie(user.id);
    const thisDevice = await buildSessionCookie(user.id);
    const res = await app.request("/account", {
      cookie: thisDevice,
      form: { currentPassword: TEST_PASSWORD, newPassword: "NewPass2026", confirmPassword: "NewPass2026" },
    });
    expect(res.status).toBe(302);
    const fresh = sessionCookieFrom(res);
    expect(fresh).toBeTruthy();
    expect((await app.request("/", { cookie: otherDevice })).status).toBe(302);
    expect((await app.request("/", { cookie: thisDevice })).status).toBe(302);
    expect((await app.request("/", { cookie: fresh! })).status).toBe(200);
    expect((await login(user.username, "NewPass2026")).status).toBe(302);
    expect(await getDb().auditEvent.count({ where: { action: "auth.password_changed", actorId: user.id } })).toBe(1);
  });

  it("refuses a wrong current password or a weak new one in Chinese and changes nothing", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    const wrong = await app.request("/account", {
      cookie,
      form: { currentPassword: "nope-123456", newPassword: "NewPass2026", confirmPassword: "NewPass2026" },
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("当前密码不正确");
    const weak = await app.request("/account", {
      cookie,
      form: { currentPassword: TEST_PASSWORD, newPassword: "short", confirmPassword: "short" },
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("密码至少 8 位");
    expect((await login(user.username, TEST_PASSWORD)).status).toBe(302);
  });
});

describe("server rendering", () => {
  it("never emits NUL bytes in pages full of Chinese text (React 18 chunk-boundary bug)", async () => {
    const region = await (await import("../factories")).buildRegion({ name: "示例测试市" });
    const admin = await buildUser({ role: "ADMIN", org: await buildOrg({ kind: "JUSTICE_BUREAU", region }) });
    for (let i = 0; i < 60; i++)
      await buildOrg({
        region,
        kind: "ENFORCEMENT_AGENCY",
        name: `示例测试市第${i}综合行政执法监督管理局${"执法".repeat(i % 7)}`,
      });
    const res = await app.request("/admin/orgs", { cookie: await buildSessionCookie(admin.id) });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(20_000);
    expect(bytes.includes(0)).toBe(false);
  });
});
