import { SaxesParser } from "saxes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { PMNode } from "~/services/export/model";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * The public 典型案例库 against the real server, anonymous: /cases (list, search, facets, pages),
 * /cases/:slug (reading page, corrections, withdrawal, 404), /cases/feed.xml (Atom), the strict CSP,
 * caching (ETag/304), and XSS payloads in every field. Publication rows are inserted directly (the
 * publishing workflow is not under test here). Names carry a per-file suffix: a PostgreSQL run shares
 * one database.
 */

const STRICT_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const S = newId()
  .replace(/[^a-z0-9]/g, "")
  .slice(0, 8);
const MARK = `标记${S}`;

let app: RunningServer;
let publishedById: string;
let orgName: string;

const paragraph = (text: string): PMNode => ({ type: "paragraph", content: [{ type: "text", text }] });
const heading = (text: string): PMNode => ({ type: "heading", attrs: { level: 1 }, content: [{ type: "text", text }] });
const doc = (...content: PMNode[]): PMNode => ({ type: "doc", content });

interface PubInput {
  slug: string;
  version?: number;
  title: string;
  keywords?: string[];
  field?: string;
  batch?: string;
  orgs?: string[];
  json?: PMNode;
  text?: string;
  state?: "PUBLISHED" | "WITHDRAWN";
  current?: boolean;
  note?: string | null;
  publishedAt?: Date;
  documentId?: string;
}

async function newCaseDocument(title: string): Promise<string> {
  const org = await buildOrg();
  return (
    await buildDocument({ ownerOrg: org, createdById: publishedById, type: "TYPICAL_CASE", status: "PUBLISHED", title })
  ).id;
}

async function publish(p: PubInput): Promise<{ id: string; documentId: string }> {
  const documentId = p.documentId ?? (await newCaseDocument(p.title));
  const id = newId();
  const json =
    p.json ??
    doc(
      heading("关键词"),
      paragraph((p.keywords ?? []).join("；")),
      heading("基本案情"),
      paragraph(p.text ?? `${p.title}的基本案情。`),
    );
  await getDb().publication.create({
    data: {
      id,
      documentId,
      slug: p.slug,
      version: p.version ?? 1,
      title: p.title,
      keywords: JSON.stringify(p.keywords ?? []),
      field: p.field ?? "市场监管",
      batch: p.batch ?? "2026年上半年",
      orgs: JSON.stringify(p.orgs ?? [orgName]),
      json: JSON.stringify(json),
      text: `关键词 ${(p.keywords ?? []).join(" ")} 基本案情 ${p.text ?? `${p.title}的基本案情。`}`,
      sha256: "0".repeat(64),
      state: p.state ?? "PUBLISHED",
      current: p.current ?? true,
      note: p.note ?? null,
      publishedAt: p.publishedAt ?? new Date("2026-03-12T02:00:00Z"),
      publishedById,
    },
  });
  return { id, documentId };
}

const SLUG = {
  food: `food-safety-${S}`,
  river: `river-pollution-${S}`,
  gone: `withdrawn-case-${S}`,
  xss: `xss-case-${S}`,
};
const TITLE = {
  food: `某超市销售过期食品案${MARK}`,
  riverOld: `某化工企业超标排污案（旧）${MARK}`,
  river: `某化工企业超标排污案${MARK}`,
  gone: `某培训机构虚假宣传案${MARK}`,
};
const GONE_TEXT = `撤回案例的正文内容${S}`;
const PAYLOAD = `<script>alert(1)</script><img src=x onerror=alert(1)>"><svg onload=alert(1)>]]>&`;

beforeAll(async () => {
  app = await startServer({ scheduler: { enabled: false } });
  const org = await buildOrg({ name: `某市市场监督管理局${S}` });
  orgName = org.name;
  publishedById = (await buildUser({ org, role: "PUBLISHER" })).id;

  await publish({
    slug: SLUG.food,
    title: TITLE.food,
    keywords: ["食品安全", "过期食品", MARK],
    field: "市场监管",
    batch: "2026年上半年",
    text: `市场监管部门依法查处超市销售过期食品的行为${MARK}。`,
    publishedAt: new Date("2026-03-12T02:00:00Z"),
  });

  const river = await publish({
    slug: SLUG.river,
    title: TITLE.riverOld,
    keywords: ["排污", MARK],
    field: "生态环境",
    batch: "2025年下半年",
    current: false,
    publishedAt: new Date("2025-09-01T02:00:00Z"),
  });
  await publish({
    slug: SLUG.river,
    documentId: river.documentId,
    version: 2,
    title: TITLE.river,
    keywords: ["排污", "按日连续处罚", MARK],
    field: "生态环境",
    batch: "2025年下半年",
    note: "更正了处罚金额的表述",
    publishedAt: new Date("2025-10-08T02:00:00Z"),
    orgs: [orgName, `某市生态环境局${S}`],
  });

  const gone = await publish({
    slug: SLUG.gone,
    title: TITLE.gone,
    keywords: ["虚假宣传", MARK],
    field: "市场监管",
    batch: "2026年上半年",
    text: GONE_TEXT,
    current: false,
    publishedAt: new Date("2026-01-05T02:00:00Z"),
  });
  await publish({
    slug: SLUG.gone,
    documentId: gone.documentId,
    version: 2,
    title: TITLE.gone,
    keywords: ["虚假宣传", MARK],
    field: "市场监管",
    batch: "2026年上半年",
    text: GONE_TEXT,
    state: "WITHDRAWN",
    note: "案件处理结果已被依法变更",
    publishedAt: new Date("2026-04-20T02:00:00Z"),
  });

  await publish({
    slug: SLUG.xss,
    title: `XSS${S}${PAYLOAD}`,
    keywords: [`<img src=x onerror=alert(1)>`, `"><svg onload=alert(1)>`, `A&B]]>`],
    orgs: [`<script>alert(1)</script>单位${S}`, `"><svg onload=alert(1)>`],
    field: `"><svg onload=alert(1)>`,
    batch: `<img src=x onerror=alert(1)>`,
    text: `正文${PAYLOAD}`,
    json: doc(
      heading(`<script>alert(1)</script>`),
      paragraph(`正文${PAYLOAD}`),
      {
        type: "paragraph",
        content: [
          { type: "text", text: "脚本链接", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] },
        ],
      },
      {
        type: "paragraph",
        content: [
          { type: "text", text: "邮件链接", marks: [{ type: "link", attrs: { href: "mailto:a@example.gov.cn" } }] },
        ],
      },
      {
        type: "paragraph",
        content: [
          {
            type: "text",
            text: "数据链接",
            marks: [{ type: "link", attrs: { href: "data:text/html,<script>alert(1)</script>" } }],
          },
        ],
      },
      {
        type: "paragraph",
        content: [
          {
            type: "text",
            text: "外部链接",
            marks: [{ type: "link", attrs: { href: 'https://example.gov.cn/a?b=1&c="><script>' } }],
          },
        ],
      },
      {
        type: "bulletList",
        content: [
          {
            type: "listItem",
            content: [
              paragraph("列表项"),
              { type: "bulletList", content: [{ type: "listItem", content: [paragraph("嵌套列表项")] }] },
            ],
          },
        ],
      },
    ),
    publishedAt: new Date("2026-02-01T02:00:00Z"),
  });
});

afterAll(async () => {
  await app?.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  return { res, body: await res.text() };
}

function expectPublicHeaders(res: Response, contentType: RegExp) {
  expect(res.headers.get("content-security-policy")).toBe(STRICT_CSP);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(res.headers.get("content-type")).toMatch(contentType);
}

const TAG = /<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>"'/]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=>"'/]+)(?:="([^"]*)")?/g;
const ACTIVE_ELEMENTS = new Set([
  "script",
  "img",
  "svg",
  "iframe",
  "object",
  "embed",
  "math",
  "style",
  "base",
  "form",
  "frame",
  "video",
  "audio",
]);

/**
 * The markup of a page is only what this tokenizer reads as tags (the pages quote every attribute
 * with "): no element that runs or loads anything, no event handler or inline style attribute, no
 * link but http(s), the site's own paths and in-page anchors. Every "<" must start such a tag (or a closing tag, the
 * doctype): an unescaped "<" of a payload would not.
 */
function expectNoActiveMarkup(html: string) {
  for (const m of html.matchAll(TAG)) {
    const tag = m[1].toLowerCase();
    if (tag === "form") {
      expect(m[0]).toMatch(/action="\/cases"/);
    } else {
      expect(ACTIVE_ELEMENTS.has(tag), m[0]).toBe(false);
    }
    for (const a of m[2].matchAll(ATTRIBUTE)) {
      const name = a[1].toLowerCase();
      expect(name.startsWith("on") || name === "style" || name === "srcdoc", m[0]).toBe(false);
      if (name === "href" || name === "src" || name === "action")
        expect(a[2] ?? "", m[0]).toMatch(/^(https?:\/\/|\/(?!\/)|#[a-z]+$)/);
    }
  }
  const stray = html
    .replace(TAG, "")
    .replace(/<\/[a-zA-Z][a-zA-Z0-9]*>/g, "")
    .replace(/^<!DOCTYPE html>/, "");
  expect(stray, "an unescaped < outside a tag").not.toContain("<");
}

/** Parses the XML strictly (well-formedness errors throw) and returns the text of every element, by name. */
function parseXml(xml: string): Map<string, string[]> {
  const parser = new SaxesParser();
  const texts = new Map<string, string[]>();
  const stack: Array<{ name: string; text: string }> = [];
  parser.on("error", (err) => {
    throw err;
  });
  parser.on("opentag", (tag) => stack.push({ name: tag.name, text: "" }));
  parser.on("text", (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on("closetag", () => {
    const top = stack.pop();
    if (top) texts.set(top.name, [...(texts.get(top.name) ?? []), top.text]);
  });
  parser.write(xml).close();
  return texts;
}

describe("GET /cases", () => {
  it("answers anonymously with the list of current published cases only", async () => {
    const { res, body } = await get(`/cases?q=${encodeURIComponent(MARK)}`);
    expect(res.status).toBe(200);
    expectPublicHeaders(res, /^text\/html; charset=utf-8$/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=600");
    expect(body).toMatch(/^<!DOCTYPE html>/);
    expect(body).toContain("<h1>典型案例</h1>");
    expect(body).toContain("会商协同");
    expect(body).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(body).toContain('<link rel="stylesheet" href="/cases.css">');
    expect(body).toContain(TITLE.food);
    expect(body).toContain(TITLE.river);
    expect(body).not.toContain(TITLE.riverOld); // an older version
    expect(body).not.toContain(TITLE.gone); // withdrawn
    expect(body).toContain("找到 <strong>2</strong> 件");
    // the row: link, batch, field, orgs, date, keywords, excerpt
    expect(body).toContain(`<a href="/cases/${SLUG.food}">${TITLE.food}</a>`);
    expect(body).toContain(`发布单位：${orgName}`);
    expect(body).toContain("2026年3月12日");
    expect(body).toContain("<li>过期食品</li>");
    expect(body).toContain("市场监管部门依法查处超市销售过期食品的行为");
    // newest first
    expect(body.indexOf(TITLE.food)).toBeLessThan(body.indexOf(TITLE.river));
    // the corrected case shows its first publication date
    expect(body).toContain("2025年9月1日");
    expectNoActiveMarkup(body);
  });

  it("searches Chinese substrings over title, keywords and text; every term must match", async () => {
    const byKeyword = await get(`/cases?q=${encodeURIComponent(`按日连续处罚 ${MARK}`)}`);
    expect(byKeyword.body).toContain(TITLE.river);
    expect(byKeyword.body).not.toContain(TITLE.food);

    const byTitle = await get(`/cases?q=${encodeURIComponent(`过期食品案${MARK}`)}`);
    expect(byTitle.body).toContain(TITLE.food);
    expect(byTitle.body).not.toContain(TITLE.river);

    const byText = await get(`/cases?q=${encodeURIComponent(`依法查处超市\u3000${MARK}`)}`); // full-width space separates too
    expect(byText.body).toContain(TITLE.food);
    expect(byText.body).not.toContain(TITLE.river);

    const none = await get(`/cases?q=${encodeURIComponent(`不存在的词语 ${MARK}`)}`);
    expect(none.res.status).toBe(200);
    expect(none.body).toContain("没有找到符合条件的典型案例");

    // the withdrawn case's text is not searchable
    const gone = await get(`/cases?q=${encodeURIComponent(GONE_TEXT)}`);
    expect(gone.body).not.toContain(TITLE.gone);
    expect(gone.body).toContain("没有找到符合条件的典型案例");
  });

  it("filters by batch and field, and offers both as facets with counts", async () => {
    const all = await get(`/cases`);
    expect(all.body).toMatch(/<option value="2026年上半年"( selected)?>2026年上半年（\d+）<\/option>/);
    expect(all.body).toMatch(/<option value="生态环境">生态环境（\d+）<\/option>/);

    const batch = await get(`/cases?q=${encodeURIComponent(MARK)}&batch=${encodeURIComponent("2025年下半年")}`);
    expect(batch.body).toContain(TITLE.river);
    expect(batch.body).not.toContain(TITLE.food);
    expect(batch.body).toContain('<option value="2025年下半年" selected>');

    const field = await get(`/cases?q=${encodeURIComponent(MARK)}&field=${encodeURIComponent("市场监管")}`);
    expect(field.body).toContain(TITLE.food);
    expect(field.body).not.toContain(TITLE.river);

    const both = await get(
      `/cases?q=${encodeURIComponent(MARK)}&field=${encodeURIComponent("市场监管")}&batch=${encodeURIComponent("2025年下半年")}`,
    );
    expect(both.body).toContain("没有找到符合条件的典型案例");
  });

  it("pages through many cases and survives hostile query strings", async () => {
    const batch = `2019年上半年`;
    const tag = `分页${S}`;
    for (let i = 0; i < 23; i++) {
      await publish({
        slug: `page-case-${S}-${i}`,
        title: `分页案例${i}号${tag}`,
        keywords: [tag],
        batch,
        field: "税务",
        publishedAt: new Date(Date.UTC(2019, 0, 1 + i)),
      });
    }
    const first = await get(`/cases?q=${encodeURIComponent(tag)}`);
    expect(first.body).toContain("找到 <strong>23</strong> 件");
    expect(first.body.match(/<li class="case">/g)).toHaveLength(20);
    expect(first.body).toContain("第 1 / 2 页");
    expect(first.body).toContain(`rel="next" href="/cases?q=${encodeURIComponent(tag)}&amp;page=2"`);
    expect(first.body).toContain("分页案例22号"); // newest first
    const second = await get(`/cases?q=${encodeURIComponent(tag)}&page=2`);
    expect(second.body.match(/<li class="case">/g)).toHaveLength(3);
    expect(second.body).toContain("分页案例0号");
    expect(second.body).toContain(`rel="prev"`);

    for (const qs of [
      "page=-1",
      "page=abc",
      "page=99999999999",
      "q=%25%25%5F",
      `q=${encodeURIComponent("长".repeat(1000))}`,
      "batch[]=x",
      "q=%E0%A4%A",
    ]) {
      const { res, body } = await get(`/cases?${qs}`);
      expect(res.status, qs.slice(0, 40)).toBe(200);
      expectNoActiveMarkup(body);
    }
  });

  it("answers 304 to a matching If-None-Match and changes the ETag with the rows", async () => {
    const path = `/cases?q=${encodeURIComponent(MARK)}`;
    const first = await get(path);
    const etag = first.res.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    const again = await get(path, { "If-None-Match": etag ?? "" });
    expect(again.res.status).toBe(304);
    expect(again.body).toBe("");
    expect(again.res.headers.get("etag")).toBe(etag);
    expect(again.res.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=600");
    expect(again.res.headers.get("content-security-policy")).toBe(STRICT_CSP);

    const other = await get(`/cases?q=${encodeURIComponent(TITLE.food)}`, { "If-None-Match": etag ?? "" });
    expect(other.res.status).toBe(200);
    expect(other.res.headers.get("etag")).not.toBe(etag);

    // a new publication matching the query changes the list, so the ETag
    await publish({
      slug: `etag-case-${S}`,
      title: `新发布的案例${MARK}`,
      keywords: [MARK],
      publishedAt: new Date("2026-05-01T02:00:00Z"),
    });
    const changed = await get(path, { "If-None-Match": etag ?? "" });
    expect(changed.res.status).toBe(200);
    expect(changed.body).toContain(`新发布的案例${MARK}`);
  });

  it("needs no sign-in: no redirect to /login and no session cookie", async () => {
    for (const path of ["/cases", `/cases/${SLUG.food}`, "/cases/feed.xml"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("location"), path).toBeNull();
      expect(res.headers.get("set-cookie"), path).toBeNull();
    }
  });
});

describe("GET /cases/:slug", () => {
  it("renders the reading page: title, orgs, date, batch, field, keywords, body, print styles", async () => {
    const { res, body } = await get(`/cases/${SLUG.food}`);
    expect(res.status).toBe(200);
    expectPublicHeaders(res, /^text\/html; charset=utf-8$/);
    expect(res.headers.get("etag")).toMatch(/^"/);
    expect(body).toContain(`<h1>${TITLE.food}</h1>`);
    expect(body).toContain(`<dt>发布单位</dt><dd>${orgName}</dd>`);
    expect(body).toContain('<dt>发布日期</dt><dd><time datetime="2026-03-12T02:00:00.000Z">2026年3月12日</time></dd>');
    expect(body).toContain("<dt>批次</dt><dd>2026年上半年</dd>");
    expect(body).toContain("<dt>领域</dt><dd>市场监管</dd>");
    expect(body).toContain('<span class="kw">食品安全</span>');
    expect(body).toContain('<h2 class="h h1">基本案情</h2>');
    expect(body).toContain(`市场监管部门依法查处超市销售过期食品的行为${MARK}。`);
    expect(body).not.toContain("更正说明");
    expectNoActiveMarkup(body);

    const css = await app.request("/cases.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    const sheet = await css.text();
    expect(sheet).toMatch(/@media print\s*{[^]*@page[^]*header\.site[^]*display: none/);
    expect(sheet).toMatch(/@media print[^]*font-family: var\(--serif\)/);
  });

  it("shows the correction history for a version 2", async () => {
    const { res, body } = await get(`/cases/${SLUG.river}`);
    expect(res.status).toBe(200);
    expect(body).toContain(`<h1>${TITLE.river}</h1>`);
    expect(body).not.toContain(TITLE.riverOld);
    expect(body).toContain("更正说明：</span>更正了处罚金额的表述（2025年10月8日更正）");
    expect(body).toContain("2025年9月1日"); // first published
    expect(body).toContain(`${orgName}、某市生态环境局${S}（联合发布）`);
  });

  it("shows a withdrawn case's notice without its text", async () => {
    const { res, body } = await get(`/cases/${SLUG.gone}`);
    expect(res.status).toBe(200);
    expectPublicHeaders(res, /^text\/html/);
    expect(body).toContain("本案例已于2026年4月20日撤回：案件处理结果已被依法变更");
    expect(body).toContain(TITLE.gone);
    expect(body).not.toContain(GONE_TEXT);
    expect(body).not.toContain('class="case-body"');
  });

  it("answers an unknown or malformed slug with the Chinese 404 page under the same CSP", async () => {
    for (const path of [
      `/cases/no-such-case-${S}`,
      "/cases/Food-Safety",
      `/cases/${SLUG.food.toUpperCase()}`,
      "/cases/..%2F..%2Fetc%2Fpasswd",
      "/cases/a..b",
      "/cases/-a",
      "/cases/a--b",
      `/cases/${"a".repeat(200)}`,
      "/cases/%3Cscript%3E",
    ]) {
      const { res, body } = await get(path);
      expect(res.status, path).toBe(404);
      expectPublicHeaders(res, /^text\/html; charset=utf-8$/);
      expect(body, path).toContain("未找到该典型案例");
      expect(body, path).not.toMatch(/<script/i);
    }
    // a path that no route matches still gets the strict policy (the middleware's)
    const deeper = await app.request("/cases/a/b");
    expect(deeper.status).toBe(404);
    expect(deeper.headers.get("content-security-policy")).toBe(STRICT_CSP);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const first = await get(`/cases/${SLUG.river}`);
    const etag = first.res.headers.get("etag") ?? "";
    const again = await get(`/cases/${SLUG.river}`, { "If-None-Match": `W/${etag}, "other"` });
    expect(again.res.status).toBe(304);
    expect(again.body).toBe("");
    expect((await get(`/cases/${SLUG.food}`, { "If-None-Match": etag })).res.status).toBe(200);
  });
});

describe("GET /cases/feed.xml", () => {
  it("is a well-formed Atom 1.0 feed of the current cases", async () => {
    const { res, body } = await get("/cases/feed.xml");
    expect(res.status).toBe(200);
    expectPublicHeaders(res, /^application\/atom\+xml; charset=utf-8$/);
    expect(res.headers.get("etag")).toMatch(/^"/);
    expect(body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    const xml = parseXml(body);
    expect(xml.get("title")).toContain("会商协同 · 典型案例库");
    expect(body).toContain(`<link rel="self" type="application/atom+xml" href="${app.origin}/cases/feed.xml"/>`);
    expect(body).toContain(`<link rel="alternate" type="text/html" href="${app.origin}/cases"/>`);
    expect(xml.get("id")).toContain(`urn:consult:typical-cases:${SLUG.food}`);
    expect(body).toContain(`<link rel="alternate" type="text/html" href="${app.origin}/cases/${SLUG.food}"/>`);
    expect(xml.get("name")).toContain(orgName);
    expect(xml.get("updated")?.every((u) => !Number.isNaN(Date.parse(u)))).toBe(true);
    // content type="html": the XML text is the body's HTML
    const content = (xml.get("content") ?? []).find((c) =>
      c.includes(`市场监管部门依法查处超市销售过期食品的行为${MARK}`),
    );
    expect(content).toContain('<h2 class="h h1">基本案情</h2>');
    // the withdrawn case: its notice, not its text; older versions are not entries
    expect(xml.get("title")).toContain(`（已撤回）${TITLE.gone}`);
    expect(body).not.toContain(GONE_TEXT);
    expect(xml.get("title")).not.toContain(TITLE.riverOld);
    expect(
      (xml.get("summary") ?? []).some((s) => s.includes("本案例已于2026年4月20日撤回：案件处理结果已被依法变更")),
    ).toBe(true);

    const again = await get("/cases/feed.xml", { "If-None-Match": res.headers.get("etag") ?? "" });
    expect(again.res.status).toBe(304);
  });
});

describe("XSS", () => {
  it("renders script, event handler and javascript: payloads inert on /cases", async () => {
    const { body } = await get(`/cases?q=${encodeURIComponent(`XSS${S}`)}`);
    expect(body).toContain(
      `XSS${S}&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&gt;&lt;svg onload=alert(1)&gt;]]&gt;&amp;`,
    );
    expect(body).toContain("<li>&lt;img src=x onerror=alert(1)&gt;</li>");
    expect(body).toContain("发布单位：&lt;script&gt;alert(1)&lt;/script&gt;单位");
    expect(body).toContain('<option value="&quot;&gt;&lt;svg onload=alert(1)&gt;">');
    expect(body).not.toContain(PAYLOAD);
    expectNoActiveMarkup(body);
    // the search term itself is echoed escaped
    const echoed = await get(`/cases?q=${encodeURIComponent(`"><script>alert(1)</script>`)}`);
    expect(echoed.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expectNoActiveMarkup(echoed.body);
  });

  it("renders them inert on /cases/:slug; only http(s) links survive, with rel", async () => {
    const { res, body } = await get(`/cases/${SLUG.xss}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(STRICT_CSP);
    expect(body).toContain(`<h1>XSS${S}&lt;script&gt;alert(1)&lt;/script&gt;`);
    expect(body).toContain("正文&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(body).toContain('<h2 class="h h1">&lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(body).toContain("<dt>批次</dt><dd>&lt;img src=x onerror=alert(1)&gt;</dd>");
    expect(body).not.toContain(PAYLOAD);
    expectNoActiveMarkup(body);
    expect(body).toContain('<p class="p">脚本链接</p>');
    expect(body).toContain('<p class="p">数据链接</p>');
    expect(body).toContain('<p class="p">邮件链接</p>');
    expect(body).toContain(
      '<a href="https://example.gov.cn/a?b=1&amp;c=%22%3E%3Cscript%3E" rel="noopener noreferrer nofollow">外部链接</a>',
    );
    expect(
      body
        .match(/<a href="[^"]*"( rel="[^"]*")?>/g)
        ?.filter((a) => a.startsWith('<a href="http') && !a.includes('rel="noopener noreferrer nofollow"')),
    ).toEqual([]);
    // nested list indentation is a class, not an inline style
    expect(body).toContain('<p class="p indent-2"><span class="marker">●</span>嵌套列表项</p>');
  });

  it("renders them escaped in the feed, which stays well-formed XML", async () => {
    const { body } = await get("/cases/feed.xml");
    const xml = parseXml(body); // throws on any well-formedness error
    expect(body).not.toContain(PAYLOAD);
    expect(body).not.toContain("]]>");
    expect(body).not.toMatch(/<script|<img|<svg/i);
    expect(xml.get("title")).toContain(`XSS${S}${PAYLOAD}`);
    expect(xml.get("name")).toContain(`<script>alert(1)</script>单位${S}`);
    // the content's HTML (after XML decoding) is still escaped HTML: no live markup in it
    const content = (xml.get("content") ?? []).find((c) => c.includes(`正文&lt;script&gt;`));
    expect(content).toBeDefined();
    expectNoActiveMarkup(content ?? "");
    expect(content).toContain('rel="noopener noreferrer nofollow"');
  });
});
