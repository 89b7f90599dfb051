import { ERRORS } from "~/domain/errors";
import { API_MAX_PAGE_SIZE } from "./contract.server";
import { openApiDocument } from "./v1.server";

/**
 * The readable reference of the data-exchange API (/api/docs): a plain server-rendered page in
 * Chinese, generated from the same OpenAPI document, with headings and captioned tables.
 */

const escape = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { type?: string; enum?: string[] };
}
interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses?: Record<string, { description?: string }>;
}

const IN_LABELS: Record<string, string> = { query: "查询参数", path: "路径参数", header: "请求头" };

export function apiReferenceHtml(): string {
  const doc = openApiDocument() as unknown as {
    info: { title: string };
    paths: Record<string, Record<string, Operation>>;
  };
  const sections = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = op.parameters ?? [];
      const paramTable = params.length
        ? `<table><caption>参数</caption><thead><tr><th scope="col">名称</th><th scope="col">位置</th><th scope="col">必填</th><th scope="col">说明</th></tr></thead><tbody>${params
            .map(
              (p) =>
                `<tr><td><code>${escape(p.name)}</code></td><td>${escape(IN_LABELS[p.in] ?? p.in)}</td><td>${p.required ? "是" : "否"}</td><td>${escape(p.description ?? (p.schema?.enum ? `可选：${p.schema.enum.join("、")}` : ""))}</td></tr>`,
            )
            .join("")}</tbody></table>`
        : "<p>无参数。</p>";
      const body = op.requestBody
        ? `<p>请求体：JSON（<code>Content-Type: application/json</code>，不超过 64 KB），不允许未列出的字段。字段见 <a href="/api/v1/openapi.json">OpenAPI 文档</a>。</p>`
        : "";
      const responses = Object.entries(op.responses ?? {})
        .map(([code, r]) => `<li><code>${escape(code)}</code> ${escape(r.description)}</li>`)
        .join("");
      return `<section aria-labelledby="op-${escape(method)}-${escape(path.replace(/\W/g, "-"))}"><h3 id="op-${escape(method)}-${escape(path.replace(/\W/g, "-"))}"><code>${escape(method.toUpperCase())} ${escape(path)}</code></h3><p>${escape(op.summary)}</p>${op.description ? `<p>${escape(op.description)}</p>` : ""}${paramTable}${body}<h4>应答</h4><ul>${responses}</ul></section>`;
    }),
  );
  const errorRows = Object.entries(ERRORS)
    .filter(([id]) => id !== "FOREIGN_ORIGIN")
    .map(([id, e]) => `<tr><td><code>${id}</code></td><td>${e.status}</td><td>${escape(e.message)}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>接口文档 · ${escape(doc.info.title)}</title>
</head>
<body>
<main>
<h1>${escape(doc.info.title)}（v1）</h1>
<p>机器可读的接口描述：<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>（OpenAPI 3.1）。</p>
<h2>认证</h2>
<p>每个单位的系统管理员在“系统管理 → 接口令牌”创建令牌（只读或读写，有效期 1–365 天），令牌只显示一次。调用时放在请求头 <code>Authorization: Bearer &lt;令牌&gt;</code> 中；放在网址参数（token、access_token、api_key、apikey）中的令牌一律拒绝（400），且不会被使用。令牌按本单位协调员的权限访问数据；只读令牌不能提交数据（403）；令牌无效、已吊销或已过期时返回 401。</p>
<p>每个令牌每分钟的调用次数有上限，超出时返回 429 和 <code>Retry-After</code> 请求头（秒）。每次调用都记入审计日志（方法、路径、状态）。</p>
<h2>分页</h2>
<p><code>page</code> 从 1 开始；<code>pageSize</code> 为 1–${API_MAX_PAGE_SIZE}，超出范围返回 400。</p>
<h2>接口</h2>
${sections.join("\n")}
<h2>错误约定</h2>
<p>所有非 2xx 的应答均为 JSON：<code>{ "error": { "id": "VALIDATION", "message": "中文说明" } }</code>。</p>
<table><caption>错误类型</caption><thead><tr><th scope="col">id</th><th scope="col">HTTP 状态</th><th scope="col">默认说明</th></tr></thead><tbody>${errorRows}</tbody></table>
</main>
</body>
</html>`;
}
