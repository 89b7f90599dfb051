import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * Every GET page, signed in and anonymous, and the 404 / error / refusal answers carry the security
 * headers: a CSP whose script-src is a per-request nonce (never 'unsafe-inline') or nothing at all
 * (the public case pages), frame-ancestors 'none', Referrer-Policy, X-Content-Type-Options nosniff
 * and X-Frame-Options DENY (or frame-ancestors alone on the public pages' strict policy).
 */
let app: RunningServer;
let cookie: string;
let adminCookie: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await startServer();
  const region = await buildRegion({ level: "CITY" });
  const org = await buildOrg({ region, kind: "JUSTICE_BUREAU" });
  const user = await buildUser({ org, role: "COORDINATOR" });
  const admin = await buildUser({ org, role: "ADMIN" });
  cookie = await buildSessionCookie(user.id);
  adminCookie = await buildSessionCookie(admin.id);
  const document = await buildDocument({ ownerOrg: org, createdById: user.id, title: "安全头测试文书" });
  const kase = await buildDocument({
    ownerOrg: org,
    createdById: user.id,
    type: "TYPICAL_CASE",
    status: "PUBLISHED",
    title: "安全头测试案例",
  });
  const slug = `headers-${newId().slice(0, 8)}`;
  await getDb().publication.create({
    data: {
      id: newId(),
      documentId: kase.id,
      slug,
      version: 1,
      title: "安全头测试案例",
      keywords: "[]",
      field: "市场监管",
      batch: "2026年上半年",
      orgs: "[]",
      json: JSON.stringify({
        type: "doc",
        content: [{ type: "paragraph", content: [{ type: "text", text: "正文" }] }],
      }),
      text: "正文",
      sha256: "0".repeat(64),
      state: "PUBLISHED",
      current: true,
      note: null,
      publishedAt: new Date(),
      publishedById: user.id,
    },
  });
  Object.assign(ids, { orgId: org.id, userId: admin.id, documentId: document.id, slug });
});
afterAll(async () => {
  await app.close();
});

/** GET pages by route file; a route file with a default export or a loader missing here fails the test. */
const PAGES: Record<string, (i: Record<string, string>) => string> = {
  "_app._index.tsx": () => "/",
  "_app.$section.tsx": () => "/no-such-section",
  "_app.account.tsx": () => "/account",
  "_app.guide._index.tsx": () => "/guide",
  "_app.guide.$topic.tsx": () => "/guide/convene",
  "_app.admin._index.tsx": () => "/admin",
  "_app.admin.api-tokens.tsx": () => "/admin/api-tokens",
  "_app.admin.audit.tsx": () => "/admin/audit",
  "_app.admin.webhooks.tsx": () => "/admin/webhooks",
  "_app.admin.diagnostics.tsx": () => "/admin/diagnostics",
  "_app.admin.orgs.$orgId.tsx": (i) => `/admin/orgs/${i.orgId}`,
  "_app.admin.orgs._index.tsx": () => "/admin/orgs",
  "_app.admin.orgs.new.tsx": () => "/admin/orgs/new",
  "_app.admin.tsx": () => "/admin/users",
  "_app.admin.users.$userId.tsx": (i) => `/admin/users/${i.userId}`,
  "_app.admin.users._index.tsx": () => "/admin/users",
  "_app.admin.users.new.tsx": () => "/admin/users/new",
  "_app.clues.$clueId.tsx": () => "/clues/no-such-clue",
  "_app.clues._index.tsx": () => "/clues",
  "_app.clues.new.tsx": () => "/clues/new",
  "_app.clues.stats.tsx": () => "/clues/stats",
  "_app.consultations.$consultationId._index.tsx": () => "/consultations/no-such-consultation",
  "_app.consultations.$consultationId.invite[.]ics.tsx": () => "/consultations/no-such-consultation/invite.ics",
  "_app.consultations._index.tsx": () => "/consultations",
  "_app.consultations.new.tsx": () => "/consultations/new",
  "_app.documents.$documentId.tsx": (i) => `/documents/${i.documentId}`,
  "_app.documents.$documentId_.compare.tsx": (i) => `/documents/${i.documentId}/compare`,
  "_app.documents.$documentId_.verify.tsx": (i) => `/documents/${i.documentId}/verify`,
  "_app.documents.$documentId_.versions.$number.tsx": (i) => `/documents/${i.documentId}/versions/1`,
  "_app.documents.$documentId_.versions._index.tsx": (i) => `/documents/${i.documentId}/versions`,
  "_app.documents._index.tsx": () => "/documents",
  "_app.documents.new.tsx": () => "/documents/new",
  "_app.experts.$personId.tsx": () => "/experts/no-such-person",
  "_app.experts._index.tsx": () => "/experts",
  "_app.experts.new.tsx": () => "/experts/new",
  "_app.items.$itemId.tsx": () => "/items/no-such-item",
  "_app.ledger.tsx": () => "/ledger",
  "_app.search.tsx": () => "/search?q=会商",
  "_app.litigation.$reportId.tsx": () => "/litigation/no-such-report",
  "_app.litigation._index.tsx": () => "/litigation",
  "_app.litigation.trends.tsx": () => "/litigation/trends",
  "_app.recommendations.$recommendationId.tsx": () => "/recommendations/no-such-recommendation",
  "_app.recommendations._index.tsx": () => "/recommendations",
  "_app.recommendations.new.tsx": () => "/recommendations/new",
  "_app.recommendations.overview.tsx": () => "/recommendations/overview",
  "_app.reports.$reportId.tsx": () => "/reports/no-such-report",
  "_app.reports.new.tsx": () => "/reports/new",
  "_app.tsx": () => "/documents",
  "_app.typical-cases._index.tsx": () => "/typical-cases",
  "_app.typical-cases.new.tsx": () => "/typical-cases/new",
  "api.docs.tsx": () => "/api/docs",
  "api.notifications.tsx": () => "/api/notifications",
  "api.v1.$.tsx": () => "/api/v1/nope",
  "api.v1.cases.tsx": () => "/api/v1/cases",
  "api.v1.clues.tsx": () => "/api/v1/clues",
  "api.v1.clues.$clueId.$step.tsx": () => "/api/v1/clues/nope/receipt",
  "api.v1.export.tsx": () => "/api/v1/export",
  "api.v1.items.$itemId.progress.tsx": () => "/api/v1/items/nope/progress",
  "api.v1.items.tsx": () => "/api/v1/items",
  "api.v1.listings.tsx": () => "/api/v1/listings",
  "api.v1.litigation.tsx": () => "/api/v1/litigation",
  "api.v1.litigation.$reportId.tsx": () => "/api/v1/litigation/nope",
  "api.v1.openapi[.]json.tsx": () => "/api/v1/openapi.json",
  "api.v1.recommendations.tsx": () => "/api/v1/recommendations",
  "cases.$slug.tsx": (i) => `/cases/${i.slug}`,
  "cases._index.tsx": () => "/cases",
  "cases.feed[.]xml.tsx": () => "/cases/feed.xml",
  "clues.$clueId.files.$fileId.tsx": () => "/clues/nope/files/nope",
  "consultations.$consultationId.files.$fileId.tsx": () => "/consultations/nope/files/nope",
  "documents.$documentId.case.tsx": (i) => `/documents/${i.documentId}/case`,
  "documents.$documentId.comments.tsx": (i) => `/documents/${i.documentId}/comments`,
  "documents.$documentId.export.$format.tsx": (i) => `/documents/${i.documentId}/export/nope`,
  "documents.$documentId.suggestions.tsx": (i) => `/documents/${i.documentId}/suggestions`,
  "items.$itemId.attachments.$attachmentId.tsx": () => "/items/no-such-item/attachments/nope",
  "ledger.export[.]xlsx.tsx": () => "/ledger/export.xlsx",
  "litigation.$reportId.workbook.tsx": () => "/litigation/no-such-report/workbook",
  "password.tsx": () => "/password",
  "login.tsx": () => "/login",
  "logout.tsx": () => "/logout",
  "recommendations.$recommendationId.files.$fileId.tsx": () => "/recommendations/nope/files/nope",
};

/** Answers that are not routes: unknown pages, bad ids, refused bodies, static misses. */
const EXTRA = [
  "/no-such-page",
  "/documents/..%2F..%2Fetc",
  "/admin/orgs/nope",
  "/build/no-such-file.js",
  "/%E0%A4%A",
  "/documents/nope/versions/abc",
  "/cases/no-such-case",
  "/CASES/x",
];

function checkHeaders(where: string, res: Response) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, `${where}: CSP`).not.toBe("");
  const directives = new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values] as const),
  );
  const script = directives.get("script-src") ?? directives.get("default-src") ?? [];
  expect(script, `${where}: script-src`).not.toContain("'unsafe-inline'");
  expect(script, `${where}: script-src`).not.toContain("'unsafe-eval'");
  const strictPublic = directives.get("default-src")?.includes("'none'") && !directives.has("script-src");
  if (!strictPublic)
    expect(
      script.some((s) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(s)),
      `${where}: script-src nonce in ${csp}`,
    ).toBe(true);
  expect(directives.get("frame-ancestors"), `${where}: frame-ancestors`).toEqual(["'none'"]);
  expect(res.headers.get("referrer-policy"), `${where}: Referrer-Policy`).toMatch(
    /^(same-origin|strict-origin-when-cross-origin|no-referrer)$/,
  );
  expect(res.headers.get("x-content-type-options"), `${where}: X-Content-Type-Options`).toBe("nosniff");
  if (!strictPublic) expect(res.headers.get("x-frame-options"), `${where}: X-Frame-Options`).toBe("DENY");
  expect(res.headers.get("x-powered-by"), `${where}: X-Powered-By`).toBeNull();
}

describe("security headers on every page", () => {
  it("the table lists every route file with a page or a loader", () => {
    const files = readdirSync("app/routes").filter(
      (f) =>
        /\.tsx?$/.test(f) &&
        /export (default|async function loader|const loader)/.test(readFileSync(`app/routes/${f}`, "utf8")),
    );
    expect(files.filter((f) => !PAGES[f])).toEqual([]);
  });

  for (const [who, cookieOf] of [
    ["anonymous", () => ""],
    ["signed in", () => cookie],
    ["administrator", () => adminCookie],
  ] as const) {
    it(`every GET page, ${who}: HTML answers (including 404 and error pages) carry the headers; nonces differ`, async () => {
      const nonces = new Set<string>();
      let html = 0;
      for (const path of [...new Set([...Object.values(PAGES).map((p) => p(ids)), ...EXTRA])]) {
        const res = await app.request(path, { cookie: cookieOf() || undefined });
        const body = await res.text();
        expect(res.status, `${path}: ${body.slice(0, 200)}`).toBeLessThan(500);
        checkHeaders(`${who} ${path} (${res.status})`, res);
        if ((res.headers.get("content-type") ?? "").includes("text/html")) {
          html++;
          const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
          if (nonce) {
            nonces.add(nonce);
            // Every script element of the page carries this request's nonce.
            for (const tag of body.match(/<script\b[^>]*>/g) ?? [])
              expect(tag, `${path}: script without the nonce`).toContain(`nonce="${nonce}"`);
          }
        }
      }
      expect(html).toBeGreaterThan(who === "anonymous" ? 3 : 10);
      expect(nonces.size, "a fresh nonce per response").toBe([...nonces].length);
    });
  }

  it("refusals outside Remix (foreign origin, wrong body type, too large) carry the headers too", async () => {
    const answers = [
      await app.request("/documents/new", {
        method: "POST",
        cookie,
        body: "title=x",
        headers: {
          Origin: "https://evil.example",
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "text/html",
        },
      }),
      await app.request("/documents/new", {
        method: "POST",
        cookie,
        body: "{}",
        headers: { "Content-Type": "application/json" },
      }),
      await app
        .request("/documents/new", {
          method: "POST",
          cookie,
          body: "x",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(50 * 1024 * 1024) },
        })
        .catch(() => null),
      await app.request("/healthz"),
    ];
    for (const res of answers) if (res) checkHeaders(`${res.url} ${res.status}`, res);
  });
});
