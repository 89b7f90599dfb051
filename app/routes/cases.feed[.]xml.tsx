import type { LoaderFunctionArgs } from "@remix-run/node";
import type { FeedEntry } from "~/models/publication.server";
import { listPublicFeed } from "~/services/public-cases/cases.server";
import { publicOrigin } from "~/utils/request.server";
import {
  ATOM_TYPE,
  cachedResponse,
  caseBodyHtml,
  caseHref,
  CASES_PATH,
  chineseDate,
  esc,
  FEED_PATH,
  SITE_NAME,
  strongEtag,
} from "~/services/public-cases/page.server";

const FEED_ID = "urn:consult:typical-cases";

/**
 * GET /cases/feed.xml — Atom 1.0 feed of the 典型案例 (the current version of the latest 50 cases;
 * a withdrawn case's entry carries the withdrawal notice instead of the text). Every value is XML
 * escaped; the body is HTML escaped once more as the content of type="html".
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const origin = publicOrigin(request);
  const entries = await listPublicFeed(50);
  const etag = strongEtag(["feed", origin, ...entries.flatMap((e) => [e.id, e.version, e.state])]);
  return cachedResponse(request, { body: renderFeed(origin, entries), contentType: ATOM_TYPE, etag });
}

function entryXml(origin: string, e: FeedEntry): string {
  const url = `${origin}${caseHref(e.slug)}`;
  const withdrawn = e.state === "WITHDRAWN";
  const summary = withdrawn
    ? `本案例已于${chineseDate(e.publishedAt)}撤回：${e.note?.trim() || "发布单位已撤回本案例。"}`
    : [
        `${e.batch} · ${e.field}`,
        e.keywords.length ? `关键词：${e.keywords.join("；")}` : "",
        e.version > 1 && e.note ? `更正说明：${e.note}` : "",
      ]
        .filter(Boolean)
        .join("。");
  const html = withdrawn
    ? `<p>${esc(summary)}</p>`
    : `${e.version > 1 && e.note ? `<p>更正说明：${esc(e.note)}（${esc(chineseDate(e.publishedAt))}更正）</p>\n` : ""}${caseBodyHtml(e.json)}`;
  return [
    "<entry>",
    `<id>${esc(`${FEED_ID}:${e.slug}`)}</id>`,
    `<title type="text">${esc(withdrawn ? `（已撤回）${e.title}` : e.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${esc(url)}"/>`,
    `<published>${e.firstPublishedAt.toISOString()}</published>`,
    `<updated>${e.publishedAt.toISOString()}</updated>`,
    ...(e.orgs.length ? e.orgs : [SITE_NAME]).map((o) => `<author><name>${esc(o)}</name></author>`),
    `<category term="${esc(e.field)}" label="${esc(`领域：${e.field}`)}"/>`,
    `<category term="${esc(e.batch)}" label="${esc(`批次：${e.batch}`)}"/>`,
    `<summary type="text">${esc(summary)}</summary>`,
    // type="html": the HTML is the element's text, so it is escaped (once for XML; the body's own escaping stays inside).
    `<content type="html">${esc(html)}</content>`,
    "</entry>",
  ].join("\n");
}

function renderFeed(origin: string, entries: FeedEntry[]): string {
  const updated = entries.reduce((max, e) => (e.publishedAt > max ? e.publishedAt : max), new Date(0));
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `<id>${FEED_ID}</id>`,
    `<title type="text">${esc(SITE_NAME)}</title>`,
    '<subtitle type="text">行政执法监督协调会商中形成、经脱敏审核后公布的典型案例。</subtitle>',
    `<updated>${updated.toISOString()}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${esc(`${origin}${FEED_PATH}`)}"/>`,
    `<link rel="alternate" type="text/html" href="${esc(`${origin}${CASES_PATH}`)}"/>`,
    `<author><name>${esc(SITE_NAME)}</name></author>`,
    "<generator>会商协同</generator>",
    ...entries.map((e) => entryXml(origin, e)),
    "</feed>",
    "",
  ].join("\n");
}
