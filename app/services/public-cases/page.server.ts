import { createHash } from "node:crypto";
import { clean, layoutContent } from "~/services/export/blocks";
import { escapeHtml, renderBlocksHtml } from "~/services/export/html";
import { formatDate } from "~/domain/dates";
import { PUBLIC_CASES_SECURITY_HEADERS } from "./security";

/**
 * The shell shared by the public case routes (/cases, /cases/:slug, /cases/feed.xml): escaping, the
 * page layout, the case body, the headers (strict CSP, caching) and the ETag/304 answer. Every page is
 * a complete document built as a string, with no script and no inline style, so it is inert even if
 * a value slipped through unescaped markup-wise (it cannot: every value goes through `esc`).
 */

export const SITE_NAME = "会商协同 · 典型案例库";
export const CASES_PATH = "/cases";
export const FEED_PATH = "/cases/feed.xml";
export const STYLESHEET = "/cases.css";
export const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=600";
/** Changes of the markup change every ETag (bump with the page templates). */
const RENDER_VERSION = "public-cases-1";

/** Text for HTML/XML content and quoted attributes: characters XML cannot carry dropped, markup escaped. */
export function esc(text: string): string {
  return escapeHtml(clean(text));
}

/** 2026年3月12日 (China time) */
export function chineseDate(d: Date): string {
  return formatDate(d);
}

/** <time datetime="2026-03-12T…Z">2026年3月12日</time> */
export function timeHtml(d: Date): string {
  return `<time datetime="${d.toISOString()}">${esc(chineseDate(d))}</time>`;
}

export function caseHref(slug: string): string {
  return `${CASES_PATH}/${encodeURIComponent(slug)}`;
}

/** Org names as the page prints them: 甲、乙. */
export function joinNames(names: string[]): string {
  return names.map(esc).join("、");
}

/**
 * The body of a case: the ProseMirror JSON through the export's layout and block renderer (the PDF's
 * markup), indentation as classes (no inline style under the CSP), http(s) links only, with rel.
 */
export function caseBodyHtml(json: string): string {
  let doc: unknown = null;
  try {
    doc = JSON.parse(json);
  } catch {
    doc = null;
  }
  const { blocks, attendance } = layoutContent(doc);
  // A case has no attendance block: such lines (出席：…) are kept, at the end as in the PDF.
  const all = [...blocks, ...attendance.map((a) => ({ kind: "field" as const, label: a.label, inlines: a.inlines }))];
  return renderBlocksHtml(all, { indent: "class", mailto: false, linkRel: "noopener noreferrer nofollow" });
}

/** A strong ETag of everything a response depends on (row ids, versions, states, the query…). */
export function strongEtag(parts: ReadonlyArray<string | number | boolean | null>): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([RENDER_VERSION, ...parts]))
    .digest("base64url");
  return `"${hash.slice(0, 32)}"`;
}

/** True when If-None-Match names the ETag (weak comparison, as RFC 9110 wants for If-None-Match) or is "*". */
export function etagMatches(request: Request, etag: string): boolean {
  const header = request.headers.get("If-None-Match");
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

function baseHeaders(contentType: string): Headers {
  const headers = new Headers(PUBLIC_CASES_SECURITY_HEADERS);
  headers.set("Content-Type", contentType);
  return headers;
}

/**
 * A cacheable public answer: 304 without a body when the client's copy is current, else the body
 * with its ETag.
 */
export function cachedResponse(request: Request, opts: { body: string; contentType: string; etag: string }): Response {
  const headers = baseHeaders(opts.contentType);
  headers.set("ETag", opts.etag);
  headers.set("Cache-Control", CACHE_CONTROL);
  if (etagMatches(request, opts.etag)) {
    headers.delete("Content-Type");
    return new Response(null, { status: 304, headers });
  }
  return new Response(opts.body, { status: 200, headers });
}

export const HTML_TYPE = "text/html; charset=utf-8";
export const ATOM_TYPE = "application/atom+xml; charset=utf-8";

export interface PageOptions {
  /** The document title before the site name. */
  title: string;
  description?: string;
  /** Already escaped HTML of <main>. */
  main: string;
  /** Extra class on <body>. */
  bodyClass?: string;
  /** The canonical path of the page (e.g. /cases/abc). */
  canonical?: string;
}

/** A complete HTML document in the public layout: site header, main, footer; no script, no inline style. */
export function htmlPage(opts: PageOptions): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="zh-CN">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="strict-origin-when-cross-origin">',
    `<title>${esc(opts.title)} · ${esc(SITE_NAME)}</title>`,
    opts.description ? `<meta name="description" content="${esc(opts.description)}">` : "",
    opts.canonical ? `<link rel="canonical" href="${esc(opts.canonical)}">` : "",
    `<link rel="stylesheet" href="${STYLESHEET}">`,
    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
    `<link rel="alternate" type="application/atom+xml" title="${esc(SITE_NAME)}" href="${FEED_PATH}">`,
    "</head>",
    `<body${opts.bodyClass ? ` class="${esc(opts.bodyClass)}"` : ""}>`,
    '<a class="skip" href="#main">跳到正文</a>',
    '<header class="site">',
    '<div class="wrap">',
    `<a class="brand" href="${CASES_PATH}"><span class="brand-name">会商协同</span><span class="brand-sep" aria-hidden="true">·</span><span class="brand-sub">典型案例库</span></a>`,
    '<nav class="site-nav" aria-label="典型案例库">',
    `<a href="${CASES_PATH}">全部案例</a>`,
    `<a href="${FEED_PATH}" type="application/atom+xml">订阅更新（Atom）</a>`,
    "</nav>",
    "</div>",
    "</header>",
    `<main id="main" class="wrap">`,
    opts.main,
    "</main>",
    '<footer class="site">',
    '<div class="wrap">',
    "<p>本库公布的典型案例均已依法脱敏处理，仅供学习参考。案例内容以发布单位公布的文本为准。</p>",
    `<p>${esc(SITE_NAME)}</p>`,
    "</div>",
    "</footer>",
    "</body>",
    "</html>",
  ]
    .filter(Boolean)
    .join("\n");
}

/** The Chinese 404 page (same layout and CSP); briefly cacheable, a case may be published soon. */
export function notFoundResponse(): Response {
  const main = [
    '<section class="not-found">',
    "<h1>未找到该典型案例</h1>",
    "<p>您访问的案例不存在，或链接地址有误。</p>",
    `<p><a href="${CASES_PATH}">返回典型案例库</a></p>`,
    "</section>",
  ].join("\n");
  const headers = baseHeaders(HTML_TYPE);
  headers.set("Cache-Control", "public, max-age=60");
  return new Response(htmlPage({ title: "页面不存在", main }), { status: 404, headers });
}
