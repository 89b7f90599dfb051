import type { LoaderFunctionArgs } from "@remix-run/node";
import type { PublicCase, PublicCaseVersion } from "~/models/publication.server";
import { findPublicCase } from "~/services/public-cases/cases.server";
import { SLUG_PATTERN } from "~/domain/typical-case";
import {
  cachedResponse,
  caseBodyHtml,
  caseHref,
  CASES_PATH,
  chineseDate,
  esc,
  HTML_TYPE,
  htmlPage,
  joinNames,
  notFoundResponse,
  strongEtag,
  timeHtml,
} from "~/services/public-cases/page.server";

/**
 * GET /cases/:slug — one published case for reading and printing (no sign-in): its facts, the
 * correction history and the frozen, redacted text; a withdrawn case shows the withdrawal notice and
 * no text. A complete HTML document without script (strict CSP), cacheable with a strong ETag.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (slug.length > 120 || !SLUG_PATTERN.test(slug)) return notFoundResponse();
  const item = await findPublicCase(slug);
  if (!item) return notFoundResponse();
  const etag = strongEtag(["case", slug, ...item.versions.flatMap((v) => [v.id, v.version, v.state, v.note])]);
  return cachedResponse(request, { body: renderCase(item), contentType: HTML_TYPE, etag });
}

/** 更正说明：…（2026年3月12日更正） / 撤回说明 of a version that is no longer the current one. */
function historyLine(v: PublicCaseVersion): string {
  const note = v.note?.trim() ? esc(v.note.trim()) : "内容已修改";
  if (v.state === "WITHDRAWN")
    return `<li><span class="label">撤回说明：</span>${note}（${esc(chineseDate(v.publishedAt))}撤回）</li>`;
  return `<li><span class="label">更正说明：</span>${note}（${esc(chineseDate(v.publishedAt))}更正）</li>`;
}

function facts(item: PublicCase): string {
  const row = (label: string, value: string, wide = false) =>
    value ? `<div${wide ? ' class="wide"' : ""}><dt>${label}</dt><dd>${value}</dd></div>` : "";
  return [
    '<dl class="facts">',
    row("发布单位", item.orgs.length > 1 ? `${joinNames(item.orgs)}（联合发布）` : joinNames(item.orgs), true),
    row("发布日期", timeHtml(item.firstPublishedAt)),
    item.version > 1 && item.state === "PUBLISHED" ? row("更正日期", timeHtml(item.publishedAt)) : "",
    row("批次", esc(item.batch)),
    row("领域", esc(item.field)),
    row("关键词", item.keywords.map((k) => `<span class="kw">${esc(k)}</span>`).join(""), true),
    "</dl>",
  ].join("\n");
}

function renderCase(item: PublicCase): string {
  const withdrawn = item.state === "WITHDRAWN";
  // Every later version but a current withdrawal (that one is the notice): corrections, oldest first.
  const history = item.versions.filter((v) => v.version > 1 && !(withdrawn && v.id === item.id));
  const main = [
    '<nav class="crumbs" aria-label="当前位置">',
    `<a href="${CASES_PATH}">典型案例</a><span aria-hidden="true">›</span><span>${esc(item.batch)}</span>`,
    "</nav>",
    `<article class="case-article${withdrawn ? " withdrawn" : ""}">`,
    "<header>",
    `<h1>${esc(item.title)}</h1>`,
    facts(item),
    "</header>",
    withdrawn
      ? `<div class="notice withdrawn-notice" role="note"><p>本案例已于${esc(chineseDate(item.publishedAt))}撤回：${esc(item.note?.trim() || "发布单位已撤回本案例。")}</p></div>`
      : "",
    history.length
      ? `<section class="history" aria-label="更正记录"><ul>\n${history.map(historyLine).join("\n")}\n</ul></section>`
      : "",
    withdrawn ? "" : `<div class="case-body">\n${caseBodyHtml(item.json)}\n</div>`,
    "</article>",
    `<p class="back"><a href="${CASES_PATH}">← 返回典型案例库</a></p>`,
  ].join("\n");
  return htmlPage({
    title: withdrawn ? `（已撤回）${item.title}` : item.title,
    main,
    bodyClass: "case",
    canonical: caseHref(item.slug),
    description: `${item.batch} · ${item.field} · ${item.orgs.join("、")}`,
  });
}
