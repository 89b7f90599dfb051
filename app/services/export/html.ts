/**
 * Self-contained print HTML of a co-drafted document in the GB/T 9704-2012 layout, for Chromium's
 * print-to-PDF (pdf.server.ts). Same blocks as the .docx (blocks.ts). Everything from the model is
 * user content and is escaped; the page needs no script, fonts or images from anywhere (strict CSP):
 * a figure's chart is an SVG of its own in a data: URL.
 */
import { chartSvg } from "~/domain/chart";
import {
  captionLine,
  layoutDocument,
  splitEnd,
  tableGrid,
  type AttendanceLine,
  type Block,
  type ClosingLine,
  type Inline,
  type TableCell,
} from "./blocks";
import {
  CHAR_PITCH_PT,
  emWidth,
  FIGURE_LINES,
  FIGURE_WIDTH_MM,
  FONT,
  LINE_PT,
  PAGE,
  RED,
  redHeaderSizePt,
  SIZE,
  TEXT_WIDTH_MM,
  WATERMARK_GREY,
  WATERMARK_TEXT,
} from "./layout";
import type { ExportModel } from "./model";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const pt = (n: number) => `${Number(n.toFixed(3))}pt`;

const CSS = `
@page {
  size: A4;
  margin: ${PAGE.marginTopMm}mm ${PAGE.marginRightMm}mm ${PAGE.marginBottomMm}mm ${PAGE.marginLeftMm}mm;
}
@page :right {
  @bottom-right { content: "— " counter(page) " —"; margin-right: ${pt(SIZE.siHao)}; }
}
@page :left {
  @bottom-left { content: "— " counter(page) " —"; margin-left: ${pt(SIZE.siHao)}; }
}
@page {
  @bottom-right { font-family: ${FONT.song.css}; font-size: ${pt(SIZE.siHao)}; vertical-align: top; padding-top: 2.9mm; white-space: pre; }
  @bottom-left { font-family: ${FONT.song.css}; font-size: ${pt(SIZE.siHao)}; vertical-align: top; padding-top: 2.9mm; white-space: pre; }
}
:root {
  /* one character of the 28-character grid (≈ 15.79 pt) */
  --ch: ${pt(CHAR_PITCH_PT)};
  --line: ${pt(LINE_PT)};
  print-color-adjust: exact;
  -webkit-print-color-adjust: exact;
}
html { background: #fff; }
html, body { margin: 0; padding: 0; }
body {
  width: ${TEXT_WIDTH_MM}mm;
  font-family: ${FONT.fangsong.css};
  font-size: ${pt(SIZE.sanHao)};
  line-height: var(--line);
  /* 28 characters per line, as Word's document grid does */
  letter-spacing: calc(var(--ch) - ${pt(SIZE.sanHao)} - 0.01pt);
  color: #000;
  text-align: justify;
  font-kerning: none;
  line-break: strict;
  /* the space Word, WPS and LibreOffice put between Chinese and Latin letters or digits */
  text-autospace: normal;
  overflow-wrap: break-word;
}
p, h2, h3, h4, h5, pre, table, hr { margin: 0; }
.watermark {
  position: fixed; inset: 0; z-index: -1;
  display: flex; align-items: center; justify-content: center;
  pointer-events: none;
}
.watermark span {
  transform: rotate(-45deg);
  font-family: ${FONT.hei.css};
  font-size: 150pt; line-height: 1; letter-spacing: 0.2em;
  color: #${WATERMARK_GREY};
}
.red-header {
  margin-top: 35mm;
  text-align: center; color: #${RED};
  font-family: ${FONT.title.css}; font-weight: 700;
  letter-spacing: 0;
}
.issue { margin-top: var(--line); text-align: center; }
.issuer-line {
  display: flex; justify-content: space-between; gap: var(--ch);
  padding: 0 var(--ch) 4mm; border-bottom: 1.5pt solid #${RED};
}
.issuer-line.no-issue { margin-top: var(--line); }
.title {
  margin: calc(2 * var(--line)) 0 var(--line);
  text-align: center;
  font-family: ${FONT.title.css}; font-weight: 700; font-size: ${pt(SIZE.erHao)};
  letter-spacing: 0;
  break-after: avoid;
}
.p, .h { text-indent: calc(2 * var(--ch)); font-weight: 400; font-size: inherit; }
.h { break-after: avoid; }
.h1 { font-family: ${FONT.hei.css}; }
.h2 { font-family: ${FONT.kai.css}; }
.h3 { font-weight: 700; }
.quote { font-family: ${FONT.kai.css}; margin-right: calc(2 * var(--ch)); }
.label { font-family: ${FONT.hei.css}; }
strong, b { font-weight: 700; }
code, pre { font-family: ${FONT.mono.css}; }
pre {
  margin-left: calc(2 * var(--ch));
  font-size: ${pt(SIZE.xiaoSi)}; line-height: 1.6; letter-spacing: 0;
  white-space: pre-wrap; text-align: left;
}
hr { border: 0; border-top: 0.75pt solid #000; margin: calc(var(--line) / 2 - 0.375pt) 0; }
a { color: inherit; text-decoration: underline; }
table {
  width: 100%; border-collapse: collapse;
  font-size: ${pt(SIZE.siHao)}; line-height: 1.5; letter-spacing: 0;
  text-align: left;
}
table.grid { table-layout: fixed; }
th, td { border: 0.5pt solid #000; padding: 1.5pt 4pt; vertical-align: middle; }
th { font-family: ${FONT.hei.css}; font-weight: 400; text-align: center; word-break: keep-all; }
tr { break-inside: avoid; }
td .p, th .p, td .h, th .h { text-indent: 0; }
/* A figure: the chart in a block of whole lines, centred, its caption (仿宋 四号) on the line below, never parted. */
figure.chart { margin: 0; break-inside: avoid; text-indent: 0; text-align: center; }
figure.chart img {
  display: block; margin: 0 auto;
  width: ${FIGURE_WIDTH_MM}mm; max-width: 100%; height: calc(${FIGURE_LINES} * var(--line));
  object-fit: contain;
}
td figure.chart img, th figure.chart img { width: 100%; height: auto; }
figure.chart figcaption { font-size: ${pt(SIZE.siHao)}; letter-spacing: 0; text-align: center; }
.end { break-inside: avoid; }
.attendance { margin-top: var(--line); break-inside: avoid; }
.att { text-align: left; }
.closing {
  margin-top: calc(var(--line) / 2);
  padding: 2pt calc(var(--ch) / 2);
  border-top: 1pt solid #000; border-bottom: 1pt solid #000;
  font-size: ${pt(SIZE.xiaoSi)}; line-height: 21pt; letter-spacing: 0;
  text-align: left;
  break-inside: avoid;
}
.latin { font-family: ${FONT.latin.css}; word-break: break-all; }
`;

export function renderHtml(model: ExportModel): string {
  const layout = layoutDocument(model);
  const end = splitEnd(layout.blocks);
  const headerSize = redHeaderSizePt(model.redHeader);
  return [
    "<!DOCTYPE html>",
    '<html lang="zh-CN">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(model.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    model.draft ? `<div class="watermark" aria-hidden="true"><span>${WATERMARK_TEXT}</span></div>` : "",
    "<header>",
    `<div class="red-header" style="font-size: ${pt(headerSize)}; line-height: ${pt(headerSize * 1.25)}">${escapeHtml(model.redHeader)}</div>`,
    model.issueNumber ? `<div class="issue">${escapeHtml(model.issueNumber)}</div>` : "",
    `<div class="issuer-line${model.issueNumber ? "" : " no-issue"}"><span>${escapeHtml(model.issuer)}</span><span>${escapeHtml(layout.date)}</span></div>`,
    "</header>",
    `<h1 class="title">${escapeHtml(model.title)}</h1>`,
    "<main>",
    renderBlocksHtml(end.body),
    "</main>",
    // The body's last paragraph, 出席/列席 and the closing block stay on one page (the .docx keeps them with next).
    '<div class="end">',
    renderBlocksHtml(end.lead),
    attendanceHtml(layout.attendance),
    closingHtml(layout.closing),
    "</div>",
    "</body>",
    "</html>",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * How the body renders outside the print HTML. The defaults are the print HTML's own (inline
 * indentation styles, http(s) and mailto links as they are); a page under a strict CSP without
 * inline styles passes `indent: "class"` and tightens the links.
 */
export interface BlocksHtmlOptions {
  /** List/quote indentation as an inline style (default) or as a class `indent-N` (N characters, even). */
  indent?: "style" | "class";
  /** Also keep mailto: links (default true); false keeps http(s) only, the others render as text. */
  mailto?: boolean;
  /** A `rel` for every link, e.g. "noopener noreferrer nofollow". */
  linkRel?: string;
}

/**
 * The HTML of body blocks (from `layoutContent`), every text escaped: the same markup for the PDF
 * export and the public case pages.
 */
export function renderBlocksHtml(blocks: Block[], o: BlocksHtmlOptions = {}): string {
  return blocks.map((b) => blockHtml(b, o)).join("\n");
}

/** ` style="margin-left: …"` or ` class="indent-N"` (merged into `classes`) for an indent of `n` characters. */
function indentAttrs(classes: string, n: number, o: BlocksHtmlOptions): string {
  const cls = (c: string) => (c ? ` class="${c}"` : "");
  if (!n) return cls(classes);
  if (o.indent === "class") return cls(`${classes ? `${classes} ` : ""}indent-${n}`);
  return `${cls(classes)} style="margin-left: calc(${n} * var(--ch))"`;
}

function blockHtml(b: Block, o: BlocksHtmlOptions): string {
  switch (b.kind) {
    case "heading": {
      const tag = `h${b.level + 1}`;
      return `<${tag} class="h h${b.level}">${inlinesHtml(b.inlines, o)}</${tag}>`;
    }
    case "paragraph": {
      const marker = b.marker ? `<span class="marker">${escapeHtml(b.marker)}</span>` : "";
      const body = marker + inlinesHtml(b.inlines, o);
      return `<p${indentAttrs(`p${b.quote ? " quote" : ""}`, b.indent, o)}>${body || "<br>"}</p>`;
    }
    case "field":
      return `<p class="p field"><span class="label">${escapeHtml(b.label)}：</span>${inlinesHtml(b.inlines, o)}</p>`;
    case "code":
      return `<pre${indentAttrs("", b.indent ? b.indent + 2 : 0, o)}>${escapeHtml(b.lines.join("\n"))}</pre>`;
    case "rule":
      return "<hr>";
    case "table": {
      // A first row of header cells repeats on every page, as Word's header row does (w:tblHeader).
      const tr = (row: TableCell[]) => `<tr>${row.map((c) => cellHtml(c, o)).join("")}</tr>`;
      const head = b.rows[0]?.length && b.rows[0].every((c) => c.header) ? b.rows[0] : null;
      const body = (head ? b.rows.slice(1) : b.rows).map(tr).join("\n");
      return `<table${o.indent === "class" ? "" : ' class="grid"'}>\n${o.indent === "class" ? "" : colgroup(b.rows)}${head ? `<thead>${tr(head)}</thead>\n` : ""}<tbody>\n${body}\n</tbody>\n</table>`;
    }
    case "figure":
      return figureHtml(b);
  }
}

/**
 * A figure: the chart as an <img> of its SVG (base64 data: URL, so no markup of the chart ever
 * meets the page's), its numbers in `alt`, and the caption line 图N … under it.
 */
function figureHtml(b: Extract<Block, { kind: "figure" }>): string {
  const src = `data:image/svg+xml;base64,${Buffer.from(chartSvg(b.spec), "utf8").toString("base64")}`;
  return `<figure class="chart"><img src="${src}" alt="${escapeHtml(b.alt)}"><figcaption>${escapeHtml(captionLine(b))}</figcaption></figure>`;
}

/**
 * The print's column widths: the .docx's own grid (tableGrid) as percentages of the text width, with
 * a fixed table layout, so cells wrap where Word, WPS and LibreOffice wrap them.
 */
function colgroup(rows: TableCell[][]): string {
  const total = 10_000;
  const widths = tableGrid(rows, total, (total * SIZE.siHao) / ((TEXT_WIDTH_MM / 25.4) * 72));
  return `<colgroup>${widths.map((w) => `<col style="width: ${(w / 100).toFixed(2)}%">`).join("")}</colgroup>\n`;
}

function cellHtml(c: TableCell, o: BlocksHtmlOptions): string {
  const tag = c.header ? "th" : "td";
  const span = `${c.colspan > 1 ? ` colspan="${c.colspan}"` : ""}${c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ""}`;
  return `<${tag}${span}>${renderBlocksHtml(c.blocks, o)}</${tag}>`;
}

function inlinesHtml(inlines: Inline[], o: BlocksHtmlOptions = {}): string {
  const rel = o.linkRel ? ` rel="${escapeHtml(o.linkRel)}"` : "";
  return inlines
    .map((i) => {
      if (i.kind === "break") return "<br>";
      let html = escapeHtml(i.text);
      if (i.marks.code) html = `<code>${html}</code>`;
      if (i.marks.bold) html = `<strong>${html}</strong>`;
      if (i.marks.italic) html = `<em>${html}</em>`;
      if (i.marks.underline) html = `<u>${html}</u>`;
      if (i.marks.strike) html = `<s>${html}</s>`;
      if (i.href && (o.mailto !== false || /^https?:\/\//i.test(i.href)))
        html = `<a href="${escapeHtml(i.href)}"${rel}>${html}</a>`;
      return html;
    })
    .join("");
}

function attendanceHtml(lines: AttendanceLine[]): string {
  if (!lines.length) return "";
  // label 黑体, names 仿宋; 2 characters in, wrapped lines aligned after the colon (hanging indent)
  const rows = lines.map((l) => {
    const hang = Math.round(emWidth(`${l.label}：`));
    const style = `padding-left: calc(${2 + hang} * var(--ch)); text-indent: calc(-${hang} * var(--ch))`;
    return `<p class="att" style="${style}"><span class="label">${escapeHtml(l.label)}：</span>${inlinesHtml(l.inlines)}</p>`;
  });
  return `<section class="attendance">\n${rows.join("\n")}\n</section>`;
}

function closingHtml(lines: ClosingLine[]): string {
  return `<footer class="closing">\n${lines.map((l) => `<div${l.latin ? ' class="latin"' : ""}>${escapeHtml(l.text)}</div>`).join("\n")}\n</footer>`;
}
