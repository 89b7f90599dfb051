import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  parsePublicCaseQuery,
  type Facet,
  type PublicCaseList,
  type PublicCaseQuery,
  type PublicCaseRow,
} from "~/models/publication.server";
import {
  cachedResponse,
  caseHref,
  CASES_PATH,
  esc,
  HTML_TYPE,
  htmlPage,
  joinNames,
  strongEtag,
  timeHtml,
} from "~/services/public-cases/page.server";
import { searchPublicCases } from "~/services/public-cases/cases.server";

/**
 * GET /cases — the public 典型案例库 (no sign-in): search, batch and field filters, pages. A resource
 * route answering a complete HTML document without any script, under the strict CSP of
 * app/services/public-cases/security.ts; cacheable with a strong ETag.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = parsePublicCaseQuery(new URL(request.url).searchParams);
  const list = await searchPublicCases(query);
  const etag = strongEtag([
    "list",
    query.q,
    query.batch,
    query.field,
    list.page,
    list.total,
    ...list.rows.flatMap((r) => [r.id, r.version, "PUBLISHED"]),
    ...list.facets.batches.flatMap((f) => [f.value, f.count]),
    ...list.facets.fields.flatMap((f) => [f.value, f.count]),
  ]);
  return cachedResponse(request, { body: renderList(query, list), contentType: HTML_TYPE, etag });
}

function listHref(query: PublicCaseQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.batch) params.set("batch", query.batch);
  if (query.field) params.set("field", query.field);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `${CASES_PATH}?${search}` : CASES_PATH;
}

function facetSelect(name: string, label: string, all: string, facets: Facet[], chosen: string): string {
  // A chosen value no published case has any more still shows (with 0), so the form says what was asked.
  const options = chosen && !facets.some((f) => f.value === chosen) ? [...facets, { value: chosen, count: 0 }] : facets;
  return [
    `<div class="control"><label for="${name}">${label}</label>`,
    `<select id="${name}" name="${name}">`,
    `<option value="">${all}</option>`,
    ...options.map(
      (f) =>
        `<option value="${esc(f.value)}"${f.value === chosen ? " selected" : ""}>${esc(f.value)}（${f.count}）</option>`,
    ),
    "</select></div>",
  ].join("\n");
}

function searchForm(query: PublicCaseQuery, list: PublicCaseList): string {
  return [
    `<form class="search" method="get" action="${CASES_PATH}" role="search" aria-label="检索典型案例">`,
    '<div class="control grow"><label for="q">关键词</label>',
    `<input id="q" name="q" type="search" value="${esc(query.q)}" maxlength="100" placeholder="如：食品安全 行政处罚（多个词用空格分隔）" autocomplete="off"></div>`,
    facetSelect("batch", "批次", "全部批次", list.facets.batches, query.batch),
    facetSelect("field", "领域", "全部领域", list.facets.fields, query.field),
    '<div class="actions"><button type="submit">检索</button>',
    query.q || query.batch || query.field ? `<a class="reset" href="${CASES_PATH}">清除条件</a>` : "",
    "</div>",
    "</form>",
  ].join("\n");
}

function resultItem(r: PublicCaseRow): string {
  const corrected = r.version > 1 ? '<span class="tag corrected">已更正</span>' : "";
  return [
    '<li class="case">',
    `<h2 class="case-title"><a href="${esc(caseHref(r.slug))}">${esc(r.title)}</a>${corrected}</h2>`,
    '<p class="meta">',
    `<span class="batch">${esc(r.batch)}</span>`,
    `<span class="field">${esc(r.field)}</span>`,
    r.orgs.length ? `<span class="orgs">发布单位：${joinNames(r.orgs)}</span>` : "",
    `<span class="date">${timeHtml(r.firstPublishedAt)}</span>`,
    "</p>",
    r.excerpt ? `<p class="excerpt">${esc(r.excerpt)}</p>` : "",
    r.keywords.length
      ? `<ul class="keywords" aria-label="关键词">${r.keywords.map((k) => `<li>${esc(k)}</li>`).join("")}</ul>`
      : "",
    "</li>",
  ]
    .filter(Boolean)
    .join("\n");
}

function pager(query: PublicCaseQuery, list: PublicCaseList): string {
  if (list.pageCount <= 1) return "";
  const prev =
    list.page > 1
      ? `<a rel="prev" href="${esc(listHref(query, Math.min(list.page - 1, list.pageCount)))}">上一页</a>`
      : '<span class="disabled">上一页</span>';
  const next =
    list.page < list.pageCount
      ? `<a rel="next" href="${esc(listHref(query, list.page + 1))}">下一页</a>`
      : '<span class="disabled">下一页</span>';
  return `<nav class="pager" aria-label="分页">${prev}<span class="pos">第 ${Math.min(list.page, list.pageCount)} / ${list.pageCount} 页</span>${next}</nav>`;
}

function emptyState(query: PublicCaseQuery, list: PublicCaseList): string {
  const filtered = Boolean(query.q || query.batch || query.field);
  if (filtered) {
    return [
      '<div class="empty">',
      "<p><strong>没有找到符合条件的典型案例。</strong></p>",
      "<p>请尝试减少关键词、换用近义词，或选择其他批次和领域。</p>",
      `<p><a href="${CASES_PATH}">查看全部典型案例</a></p>`,
      "</div>",
    ].join("\n");
  }
  if (list.total > 0)
    return `<div class="empty"><p>该页没有内容。</p><p><a href="${CASES_PATH}">返回第一页</a></p></div>`;
  return '<div class="empty"><p><strong>暂无已发布的典型案例。</strong></p><p>典型案例原则上每半年公布一批，敬请关注。</p></div>';
}

function renderList(query: PublicCaseQuery, list: PublicCaseList): string {
  const filtered = Boolean(query.q || query.batch || query.field);
  const summary = filtered
    ? `找到 <strong>${list.total}</strong> 件符合条件的典型案例`
    : `共 <strong>${list.total}</strong> 件典型案例`;
  const main = [
    '<div class="page-head">',
    "<h1>典型案例</h1>",
    '<p class="lead">行政执法监督协调会商中形成的典型案例，经脱敏审核后向社会公布。</p>',
    "</div>",
    searchForm(query, list),
    `<p class="summary" role="status">${summary}</p>`,
    list.rows.length ? `<ol class="results">\n${list.rows.map(resultItem).join("\n")}\n</ol>` : emptyState(query, list),
    pager(query, list),
  ].join("\n");
  const title = filtered ? `检索“${query.q || query.batch || query.field}” · 典型案例` : "典型案例";
  return htmlPage({
    title,
    main,
    bodyClass: "list",
    canonical: listHref(query, list.page),
    description: "会商协同典型案例库：按关键词、批次和领域检索已公布的典型案例。",
  });
}
