import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { safeFileName } from "~/services/uploads.server";
import { safeRedirect } from "~/utils/request.server";
import { buildOrg, buildUser, TEST_PASSWORD } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * Sign-in, redirects and public surfaces under attack (issue 16, ADR 015): parallel guessing, open
 * redirects, the session cookie's lifetime, forged Host headers, and file names that lie.
 */
let app: RunningServer;
beforeAll(async () => {
  process.env.LOGIN_SLOWDOWN_MS = "50";
  // The app's own modules read the environment once (this file's server process is its own).
  process.env.PUBLIC_URL = "https://consult.example.gov.cn";
  // Behind a proxy, so that the address locked at the end is this file's own (on PostgreSQL the test
  // files share one database, and a locked loopback address would refuse every other file's sign-ins).
  process.env.TRUST_PROXY = "true";
  app = await startServer();
});
afterAll(async () => {
  delete process.env.LOGIN_SLOWDOWN_MS;
  delete process.env.PUBLIC_URL;
  delete process.env.TRUST_PROXY;
  await app.close();
});

/** A documentation-range address (RFC 5737) of this file's own. */
const clientAddress = `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
const login = (username: string, password: string, redirectTo?: string) =>
  app.request("/login", {
    headers: { "X-Forwarded-For": clientAddress },
    form: { username, password, ...(redirectTo === undefined ? {} : { redirectTo }) },
  });

/** Password checks that happened for the account: one "登录失败…连续第 N 次" audit row per checked guess. */
async function checkedGuesses(username: string): Promise<number> {
  return getDb().auditEvent.count({
    where: { action: "auth.login_failed", summary: { startsWith: `登录失败（${username}）` } },
  });
}

describe("sign-in under parallel guessing", () => {
  it("checks at most LOGIN_MAX_FAILURES of 40 parallel wrong passwords, then refuses the right one while locked", async () => {
    const user = await buildUser({ org: await buildOrg(), role: "DRAFTER" });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(user.username, `wrong-${i}-pw`)));
    expect(answers.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expect(await checkedGuesses(user.username)).toBeLessThanOrEqual(5);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(35);
    const right = await login(user.username, TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.get("set-cookie") ?? "").not.toContain("consult_session=");
  });

  it("a right password sent among 40 parallel wrong ones never gets in once the account is locked", async () => {
    const user = await buildUser({ org: await buildOrg(), role: "DRAFTER" });
    await Promise.all(Array.from({ length: 40 }, (_, i) => login(user.username, `wrong-${i}-pw`)));
    const after = await Promise.all([
      login(user.username, TEST_PASSWORD),
      ...Array.from({ length: 5 }, () => login(user.username, "again-wrong1")),
    ]);
    expect(after.map((r) => r.status)).toEqual(Array(6).fill(429));
    expect(await checkedGuesses(user.username)).toBeLessThanOrEqual(5);
  });
});

describe("redirects after sign-in", () => {
  const corpus = [
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/\r\nLocation: https://evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/ /evil.example",
    "/\u3000/evil.example",
    "/\u200b/evil.example",
    "/\u2028/evil.example",
    " /ledger",
    "/ledger\u0000",
    "data:text/html,<script>alert(1)</script>",
    "/" + "a".repeat(3000),
  ];

  it("answers every hostile redirectTo with a same-origin path or the default page, never a 500", async () => {
    const user = await buildUser({ org: await buildOrg(), role: "DRAFTER", password: "Redirect2026pw" });
    for (const redirectTo of corpus) {
      const res = await login(user.username, "Redirect2026pw", redirectTo);
      expect(res.status, JSON.stringify(redirectTo)).toBeLessThan(500);
      const location = res.headers.get("location") ?? "";
      if (res.status === 302) {
        const target = new URL(location, app.origin);
        expect(target.origin, JSON.stringify(redirectTo)).toBe(app.origin);
        expect(location.startsWith("/") && !location.startsWith("//"), JSON.stringify(redirectTo)).toBe(true);
      }
      // Signed in already: the login page redirects too, by the same rule.
      const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
      if (!cookie) continue;
      const again = await app.request(`/login?redirectTo=${encodeURIComponent(redirectTo)}`, { cookie });
      expect(again.status, JSON.stringify(redirectTo)).toBe(302);
      expect(new URL(again.headers.get("location") ?? "", app.origin).origin).toBe(app.origin);
    }
  });

  it("keeps ordinary targets, with their query", () => {
    expect(safeRedirect("/ledger?status=OVERDUE&q=检察")).toBe("/ledger?status=OVERDUE&q=%E6%A3%80%E5%AF%9F");
    expect(safeRedirect("/documents/abc#versions")).toBe("/documents/abc#versions");
    for (const bad of corpus) {
      const target = safeRedirect(bad);
      expect(new URL(target, "https://consult.example.gov.cn").origin, JSON.stringify(bad)).toBe(
        "https://consult.example.gov.cn",
      );
      expect(/^\/(?![\\/])[^\\\s]*$/.test(target), JSON.stringify([bad, target])).toBe(true);
    }
  });
});

describe("the session cookie", () => {
  it("lives no longer than the server session", async () => {
    const user = await buildUser({ org: await buildOrg(), role: "DRAFTER", password: "Cookie2026pw" });
    const res = await login(user.username, "Cookie2026pw");
    const header = res.headers.get("set-cookie") ?? "";
    const maxAge = Number(/Max-Age=(\d+)/i.exec(header)?.[1]);
    const session = await getDb().session.findFirstOrThrow({ where: { userId: user.id }, select: { expiresAt: true } });
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(Math.ceil((session.expiresAt.getTime() - Date.now()) / 1000) + 5);
    expect(maxAge).toBeLessThanOrEqual(12 * 3600);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
  });
});

describe("public surfaces", () => {
  it("builds the feed's links from PUBLIC_URL, whatever Host the request names", async () => {
    const feed = await app.request("/cases/feed.xml", {
      headers: { Host: "evil.example", "X-Forwarded-Host": "evil.example" },
    });
    const text = await feed.text();
    expect(feed.status).toBe(200);
    expect(text).toContain('href="https://consult.example.gov.cn/cases/feed.xml"');
    expect(text).not.toContain("evil.example");
  });

  it("strips bidirectional and control characters from upload names", () => {
    expect(safeFileName("报告\u202Efdp.doc")).toBe("报告fdp.doc");
    expect(safeFileName("a\u2066b\u2069c\u200e\u200f.pdf")).toBe("abc.pdf");
    expect(safeFileName("../../etc/\u0007passwd")).toBe("passwd");
  });
});

describe("sign-in from one address", () => {
  // Last in the file: it locks this file's client address.
  it("checks at most LOGIN_IP_MAX_FAILURES guesses from one address across many accounts", async () => {
    const org = await buildOrg();
    const users = await Promise.all(Array.from({ length: 8 }, () => buildUser({ org, role: "VIEWER" })));
    const answers = await Promise.all(
      Array.from({ length: 48 }, (_, i) => login(users[i % users.length].username, `wrong-${i}-pw`)),
    );
    expect(answers.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    const checked = await getDb().auditEvent.count({
      where: { action: "auth.login_failed", summary: { contains: "连续第" }, targetId: { in: users.map((u) => u.id) } },
    });
    expect(checked).toBeLessThanOrEqual(30);
  });
});
