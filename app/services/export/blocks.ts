/**
 * Walks the editor's ProseMirror JSON into a neutral list of blocks that the .docx and the HTML/PDF
 * renderers both lay out, so the two exports stay in step. The JSON is treated as untrusted: wrong
 * shapes are skipped, unknown node types render their text, nothing throws.
 */
import { chartDescription, INVALID_CHART_TEXT, parseChartSpec, type ChartSpec } from "~/domain/chart";
import { COMMENT_MARK } from "~/domain/comment";
import { ITEM_EXTRA_LABELS, itemLabels, type ItemKind } from "~/domain/tracked-item";
import { endOfChinaDay, formatDate } from "~/domain/dates";
import { DRAFT_NOTICE, emWidth } from "./layout";
import type { ExportModel, PMNode } from "./model";

export interface TextMarks {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  code: boolean;
}

export type Inline =
  | {
      kind: "text";
      text: string;
      marks: TextMarks;
      /** only http(s) and mailto links survive */
      href: string | null;
      /**
       * The comment threads (批注) whose `comment` mark covers this text, when any. Only the 含批注
       * Word export reads them; every other renderer ignores them, so clean exports carry no comments.
       */
      threads?: string[];
      /**
       * An open 修订 this text is (ADR 019): only the 含修订 Word export is given content with them,
       * and writes them as Word tracked changes (w:ins / w:del).
       */
      revision?: Revision;
    }
  | { kind: "break" };

export interface Revision {
  kind: "insertion" | "deletion";
  /** 陈静（示例市中级人民法院）: person and unit, as Word shows a change's author. */
  author: string;
  /** ISO 8601, or null when unknown. */
  date: string | null;
}

export type HeadingLevel = 1 | 2 | 3 | 4;

export type Block =
  /** 一、 (黑体) / （一） (楷体) / 1. (仿宋 bold) / （1） (仿宋); the numbering is part of the text. */
  | { kind: "heading"; level: HeadingLevel; inlines: Inline[] }
  /**
   * A body paragraph: 2-character first-line indent plus `indent` characters on every line (list
   * nesting, quotes). `marker` ("1." / "•") starts the first paragraph of a list item.
   */
  | { kind: "paragraph"; inlines: Inline[]; marker: string | null; indent: number; quote: boolean }
  /** A minutes header field (会议名称：…) rendered in place: label in 黑体, value in 仿宋. */
  | { kind: "field"; label: string; inlines: Inline[] }
  | { kind: "code"; lines: string[]; indent: number }
  | { kind: "rule" }
  | { kind: "table"; rows: TableCell[][] }
  /**
   * A statistical figure (统计图): the chart drawn from `spec`, then its caption line 图N <caption>
   * (`captionLine`), kept together. `number` counts the figures of the document in order (table
   * cells included); `alt` states its numbers for whoever cannot see it. A figure whose spec does not
   * parse is a paragraph ［图表数据无效］ instead, and takes no number.
   */
  | { kind: "figure"; number: number; spec: ChartSpec; caption: string; alt: string };

export interface TableCell {
  header: boolean;
  colspan: number;
  rowspan: number;
  blocks: Block[];
}

/** 出席 / 请假 / 列席, the GB/T 9704 order of the attendance block at the end of a 纪要. */
export const ATTENDANCE_LABELS = ["出席", "请假", "列席"] as const;
export type AttendanceLabel = (typeof ATTENDANCE_LABELS)[number];

export interface AttendanceLine {
  label: AttendanceLabel;
  /** The names after the colon (单位、姓名), 仿宋; wrapped lines align after the colon. */
  inlines: Inline[];
}

/** A line of the closing block (hash and version, or the draft notice). `latin`: set in a half-width Latin font. */
export interface ClosingLine {
  text: string;
  latin: boolean;
}

export interface DocumentLayout {
  blocks: Block[];
  attendance: AttendanceLine[];
  closing: ClosingLine[];
  /** 2026年11月23日 (China time) */
  date: string;
}

/** The minutes header fields (architecture.md "Document formats") that render as 黑体-label paragraphs. */
const FIELD_LABELS = new Set(["会议名称", "期号", "时间", "地点", "主持人", "记录人", ...ATTENDANCE_LABELS]);

const NO_MARKS: TextMarks = { bold: false, italic: false, underline: false, strike: false, code: false };

export function layoutDocument(model: ExportModel): DocumentLayout {
  const { blocks, attendance } = layoutContent(model.content, model.itemKind);
  return { blocks, attendance, closing: closingLines(model), date: formatDate(model.date) };
}

/**
 * The body blocks in document order, and the attendance lines lifted out of it (they go at the end).
 * `itemKind` names the fields of the document's item blocks (议定事项 / 整改措施 / 督办案件).
 */
export function layoutContent(
  doc: unknown,
  itemKind: ItemKind = "AGREED_ITEM",
): { blocks: Block[]; attendance: AttendanceLine[] } {
  const blocks: Block[] = [];
  const attendance: AttendanceLine[] = [];
  const items = { count: 0, kind: itemKind };
  const figures = { count: 0 };
  const top = isNode(doc) ? (doc.type === "doc" ? children(doc) : [doc]) : [];
  for (const node of top) {
    if (node.type === "paragraph") {
      const field = asField(node);
      if (field && isAttendanceLabel(field.label)) {
        if (!isBlank(field.inlines)) attendance.push({ label: field.label, inlines: field.inlines });
        continue;
      }
      if (field) {
        // A header field nobody filled in (主持人：) is left out of the export.
        if (!isBlank(field.inlines)) blocks.push({ kind: "field", label: field.label, inlines: field.inlines });
        continue;
      }
    }
    walkBlock(node, { indent: 0, quote: false, listDepth: 0, marker: null, items, figures }, blocks);
  }
  attendance.sort((a, b) => ATTENDANCE_LABELS.indexOf(a.label) - ATTENDANCE_LABELS.indexOf(b.label));
  return { blocks: trimBlankParagraphs(blocks), attendance };
}

export function closingLines(model: Pick<ExportModel, "draft" | "hash" | "versionLabel">): ClosingLine[] {
  const version: ClosingLine[] = model.versionLabel
    ? [{ text: `版本：${clean(model.versionLabel)}`, latin: false }]
    : [];
  if (model.draft || !model.hash) return [{ text: DRAFT_NOTICE, latin: false }, ...version];
  return [...version, { text: "定稿 SHA-256：", latin: false }, { text: clean(model.hash), latin: true }];
}

/**
 * The body split where the end of the document starts: the last body block, when it is a paragraph,
 * heading or field, stays on a page with the 出席/列席 block and the closing block, so the end never
 * starts a page alone (.docx keep-with-next, PDF break-inside: avoid). A last table or code block is
 * not carried along: it may be long, and a page break before the end block is then the lesser harm.
 */
export function splitEnd(blocks: Block[]): { body: Block[]; lead: Block[] } {
  const last = blocks.at(-1);
  if (!last || last.kind === "table" || last.kind === "code" || last.kind === "rule" || last.kind === "figure")
    return { body: blocks, lead: [] };
  return { body: blocks.slice(0, -1), lead: [last] };
}

/** 图1 各单位收案数: the caption line under a figure (a full-width space after the number). */
export function captionLine(figure: Extract<Block, { kind: "figure" }>): string {
  return figure.caption ? `图${figure.number}\u3000${figure.caption}` : `图${figure.number}`;
}

/** The plain text of inlines (breaks as spaces). */
export function inlineText(inlines: Inline[]): string {
  return inlines.map((i) => (i.kind === "text" ? i.text : " ")).join("");
}

// ---------------------------------------------------------------------------------------------

interface Ctx {
  /** extra left indent in characters */
  indent: number;
  quote: boolean;
  listDepth: number;
  /** the list-item marker still waiting for the item's first paragraph */
  marker: { value: string | null } | null;
  /** Items numbered so far in the document, and their kind (shared by the whole walk) */
  items: { count: number; kind: ItemKind };
  /** Figures numbered so far (shared by the whole walk) */
  figures: { count: number };
}

function walkBlock(node: PMNode, ctx: Ctx, out: Block[]): void {
  switch (node.type) {
    case "paragraph":
      out.push({
        kind: "paragraph",
        inlines: collectInlines(children(node)),
        marker: takeMarker(ctx),
        indent: ctx.indent,
        quote: ctx.quote,
      });
      return;
    case "heading": {
      const raw = Number(node.attrs?.level);
      const level = (Number.isInteger(raw) ? Math.min(Math.max(raw, 1), 4) : 1) as HeadingLevel;
      out.push({ kind: "heading", level, inlines: collectInlines(children(node)) });
      return;
    }
    case "bulletList":
    case "orderedList": {
      const ordered = node.type === "orderedList";
      const start = Number.isInteger(Number(node.attrs?.start)) ? Number(node.attrs?.start) : 1;
      const depth = ctx.listDepth + 1;
      children(node).forEach((item, i) => {
        const marker = { value: ordered ? `${start + i}.` : "●" };
        const itemCtx: Ctx = {
          indent: ctx.indent + (depth > 1 ? 2 : 0),
          quote: ctx.quote,
          listDepth: depth,
          marker,
          items: ctx.items,
          figures: ctx.figures,
        };
        if (item.type === "listItem") for (const child of children(item)) walkBlock(child, itemCtx, out);
        else walkBlock(item, itemCtx, out);
      });
      return;
    }
    case "blockquote":
      for (const child of children(node)) walkBlock(child, { ...ctx, indent: ctx.indent + 2, quote: true }, out);
      return;
    case "codeBlock":
      out.push({ kind: "code", lines: textContent(node).split("\n"), indent: ctx.indent });
      return;
    case "horizontalRule":
      out.push({ kind: "rule" });
      return;
    case "hardBreak":
      return;
    case "table":
      out.push({
        kind: "table",
        rows: children(node)
          .map((row) => tableRow(row, ctx))
          .filter((r) => r.length > 0),
      });
      return;
    case "trackedItem":
      out.push(trackedItemBlock(node, ctx));
      return;
    case "statChart":
      out.push(figureBlock(node, ctx));
      return;
    case "text":
      out.push({
        kind: "paragraph",
        inlines: collectInlines([node]),
        marker: takeMarker(ctx),
        indent: ctx.indent,
        quote: ctx.quote,
      });
      return;
    default: {
      // Unknown: inline content renders as a paragraph, block content is walked.
      const kids = children(node);
      if (typeof node.text === "string" || kids.some((k) => k.type === "text" || k.type === "hardBreak")) {
        const inlines = collectInlines(typeof node.text === "string" ? [{ type: "text", text: node.text }] : kids);
        out.push({ kind: "paragraph", inlines, marker: takeMarker(ctx), indent: ctx.indent, quote: ctx.quote });
      } else {
        for (const child of kids) walkBlock(child, ctx, out);
      }
    }
  }
}

/**
 * An item: a numbered paragraph "N. <wording>（…）" whose parenthesis names the fields of the kind:
 * - 议定事项 （牵头单位：X；配合单位：Y；完成时限：D）
 * - 整改措施 （责任单位：X；配合单位：Y；责任人：Z；整改时限：D；整改标准：S）
 * - 督办案件 （督办单位：A、B；承办单位：X；协办单位：Y；督办期限：D）
 * Org names come from the attributes `leadOrgName` / `supportingOrgNames` / `supervisorOrgNames` the
 * caller resolved from the ids; parts without a value are left out.
 */
function trackedItemBlock(node: PMNode, ctx: Ctx): Block {
  ctx.items.count++;
  const kind = ctx.items.kind;
  const labels = itemLabels(kind);
  const a = node.attrs ?? {};
  const inlines = collectInlines(children(node));
  const parts: string[] = [];
  const add = (label: string, value: string) => {
    if (value) parts.push(`${label}：${value}`);
  };
  if (kind === "SUPERVISED_CASE") add(ITEM_EXTRA_LABELS.supervisors, names(a.supervisorOrgNames).join("、"));
  add(labels.lead, typeof a.leadOrgName === "string" ? clean(a.leadOrgName).trim() : "");
  add(labels.supporting, names(a.supportingOrgNames).join("、"));
  if (kind === "RECTIFICATION_MEASURE")
    add(ITEM_EXTRA_LABELS.responsible, typeof a.responsible === "string" ? clean(a.responsible).trim() : "");
  if (typeof a.dueDate === "string" && /^\d{4}-\d{2}-\d{2}$/.test(a.dueDate)) {
    const due = endOfChinaDay(a.dueDate);
    if (!Number.isNaN(due.getTime())) add(labels.due, formatDate(due));
  }
  if (kind === "RECTIFICATION_MEASURE")
    add(
      ITEM_EXTRA_LABELS.standard,
      typeof a.standard === "string" ? clean(a.standard).replace(/\s+/g, " ").trim() : "",
    );
  if (parts.length) inlines.push({ kind: "text", text: `（${parts.join("；")}）`, marks: NO_MARKS, href: null });
  return {
    kind: "paragraph",
    inlines,
    marker: takeMarker(ctx) ?? `${ctx.items.count}.`,
    indent: ctx.indent,
    quote: ctx.quote,
  };
}

/** A list of org names given as an array or a 、/,-separated string (blank and non-string entries dropped). */
function names(raw: unknown): string[] {
  const list: unknown[] = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[、,]/) : [];
  return list
    .filter((n): n is string => typeof n === "string")
    .map((n) => clean(n).trim())
    .filter(Boolean);
}

/**
 * A figure from a `statChart` node: numbered when its spec parses, else the placeholder paragraph.
 * The caption is the node's, else the chart's title.
 */
function figureBlock(node: PMNode, ctx: Ctx): Block {
  const spec = parseChartSpec(node.attrs?.spec);
  if (!spec) {
    const inlines: Inline[] = [{ kind: "text", text: INVALID_CHART_TEXT, marks: NO_MARKS, href: null }];
    return { kind: "paragraph", inlines, marker: takeMarker(ctx), indent: ctx.indent, quote: ctx.quote };
  }
  const raw = typeof node.attrs?.caption === "string" ? node.attrs.caption : "";
  const caption = clean(raw).replace(/\s+/g, " ").trim() || spec.title;
  return { kind: "figure", number: ++ctx.figures.count, spec, caption, alt: chartDescription(spec, caption) };
}

function tableRow(row: PMNode, ctx: Pick<Ctx, "items" | "figures">): TableCell[] {
  const { items, figures } = ctx;
  return children(row).map((cell) => {
    const blocks: Block[] = [];
    for (const child of children(cell))
      walkBlock(child, { indent: 0, quote: false, listDepth: 0, marker: null, items, figures }, blocks);
    return {
      header: cell.type === "tableHeader",
      colspan: span(cell.attrs?.colspan),
      rowspan: span(cell.attrs?.rowspan),
      blocks,
    };
  });
}

function span(v: unknown): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 100) : 1;
}

function takeMarker(ctx: Ctx): string | null {
  if (!ctx.marker) return null;
  const m = ctx.marker.value;
  ctx.marker.value = null;
  return m;
}

function collectInlines(nodes: PMNode[], out: Inline[] = []): Inline[] {
  for (const node of nodes) {
    if (node.type === "text") {
      // A link into the system (办理记录 → /items/…) is navigation for people in the editor, not text of the document.
      if (isNavigation(node)) continue;
      const marks = marksOf(node);
      // A 修订's anchor characters (a proposed paragraph break) carry no text of their own.
      const raw = typeof node.text === "string" ? node.text : "";
      const text = clean(marks.revision ? raw.replaceAll("\u200B", "") : raw);
      if (text) out.push({ kind: "text", text, ...marks });
    } else if (node.type === "hardBreak") {
      out.push({ kind: "break" });
    } else if (typeof node.text === "string") {
      const text = clean(node.text);
      if (text) out.push({ kind: "text", text, marks: NO_MARKS, href: null });
    } else {
      collectInlines(children(node), out); // unknown inline node: its text
    }
  }
  return out;
}

function marksOf(node: PMNode): { marks: TextMarks; href: string | null; threads?: string[]; revision?: Revision } {
  const marks: TextMarks = { ...NO_MARKS };
  let href: string | null = null;
  const threads: string[] = [];
  let revision: Revision | undefined;
  for (const m of Array.isArray(node.marks) ? node.marks : []) {
    if (!m || typeof m !== "object") continue;
    switch (m.type) {
      case "bold":
      case "italic":
      case "underline":
      case "strike":
      case "code":
        marks[m.type] = true;
        break;
      case "link":
        href = safeHref(m.attrs?.href);
        break;
      case COMMENT_MARK: {
        const id = m.attrs?.threadId;
        if (typeof id === "string" && id && !threads.includes(id)) threads.push(id);
        break;
      }
      case "insertion":
      case "deletion":
        revision ??= revisionOf(m.type, m.attrs);
        break;
    }
  }
  return { marks, href, ...(threads.length ? { threads } : {}), ...(revision ? { revision } : {}) };
}

function revisionOf(kind: "insertion" | "deletion", attrs: Record<string, unknown> | undefined): Revision {
  const name = typeof attrs?.authorName === "string" ? clean(attrs.authorName).slice(0, 40) : "";
  const org = typeof attrs?.orgName === "string" ? clean(attrs.orgName).slice(0, 60) : "";
  const at = typeof attrs?.at === "string" && !Number.isNaN(Date.parse(attrs.at)) ? attrs.at : null;
  return { kind, author: (org ? `${name}（${org}）` : name) || "未署名", date: at };
}

/** Text linked to a page of the system itself (a path such as /items/…): the editor's navigation, never exported. */
function isNavigation(node: PMNode): boolean {
  return (Array.isArray(node.marks) ? node.marks : []).some(
    (m) =>
      Boolean(m) &&
      typeof m === "object" &&
      m.type === "link" &&
      typeof m.attrs?.href === "string" &&
      /^\/(?!\/)/.test(m.attrs.href.trim()),
  );
}

/** Only http(s) and mailto links are kept; anything else (javascript:, data:, relative) renders as plain text. */
export function safeHref(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const href = v.trim();
  if (!/^(https?:\/\/|mailto:)/i.test(href)) return null;
  try {
    return new URL(href).href;
  } catch {
    return null;
  }
}

function asField(node: PMNode): { label: string; inlines: Inline[] } | null {
  const [first, ...rest] = children(node);
  if (!first || first.type !== "text" || typeof first.text !== "string") return null;
  if (!marksOf(first).marks.bold) return null;
  const m = /^\s*(\S+?)\s*[：:]\s*$/.exec(first.text);
  if (!m || !FIELD_LABELS.has(m[1])) return null;
  const inlines = collectInlines(rest);
  const head = inlines[0];
  if (head?.kind === "text") {
    const trimmed = head.text.trimStart();
    if (trimmed) inlines[0] = { ...head, text: trimmed };
    else inlines.shift();
  }
  return { label: m[1], inlines };
}

function isAttendanceLabel(label: string): label is AttendanceLabel {
  return (ATTENDANCE_LABELS as readonly string[]).includes(label);
}

function isBlank(inlines: Inline[]): boolean {
  return inlines.every((i) => i.kind === "break" || !i.text.trim());
}

function trimBlankParagraphs(blocks: Block[]): Block[] {
  const blank = (b: Block | undefined) => b?.kind === "paragraph" && !b.marker && isBlank(b.inlines);
  let start = 0;
  let end = blocks.length;
  while (start < end && blank(blocks[start])) start++;
  while (end > start && blank(blocks[end - 1])) end--;
  return blocks.slice(start, end);
}

function textContent(node: PMNode): string {
  if (typeof node.text === "string") return clean(node.text, true);
  return children(node)
    .map((c) => (c.type === "hardBreak" ? "\n" : textContent(c)))
    .join("");
}

function isNode(v: unknown): v is PMNode {
  return !!v && typeof v === "object" && typeof (v as { type?: unknown }).type === "string";
}

function children(node: PMNode): PMNode[] {
  return Array.isArray(node.content) ? node.content.filter(isNode) : [];
}

/**
 * Drops characters XML 1.0 cannot carry (C0 controls, lone surrogates, U+FFFE/U+FFFF), so user text
 * can never break the .docx; tabs become spaces; newlines survive only where asked (code blocks).
 */
export function clean(text: string, keepNewlines = false): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) out += keepNewlines ? "\n" : " ";
    else if (c === 0x09) out += keepNewlines ? "    " : " ";
    else if (c < 0x20 || c === 0x7f || c === 0xfffe || c === 0xffff) continue;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) out += text[i] + text[++i];
    } else if (c >= 0xdc00 && c <= 0xdfff) continue;
    else out += text[i];
  }
  return out;
}

/**
 * The table grid, shared by the .docx (w:tblGrid) and the PDF (<colgroup>, fixed layout) so both
 * wrap cells alike: its number of columns (counting cells that rowspans carry down into later rows)
 * and a width for each. A column wants the longest text of its single-column cells (2–16 characters
 * of `charWidth`, plus one for the cell's padding). When the wants fit, the spare width is shared in
 * proportion; when they do not, short columns (序号, 期限 — at most 4 characters) keep what they want,
 * so "序号" never wraps, and the long ones share the rest in proportion.
 */
export function tableGrid(rows: TableCell[][], total: number, charWidth: number): number[] {
  const carried: number[] = []; // per column: rows still covered by a rowspan from above
  const want: number[] = [];
  for (const row of rows) {
    let col = 0;
    for (const cell of row) {
      while ((carried[col] ?? 0) > 0) col++;
      if (cell.colspan === 1) want[col] = Math.max(want[col] ?? 0, cellChars(cell));
      for (let k = 0; k < cell.colspan; k++) carried[col + k] = cell.rowspan;
      col += cell.colspan;
    }
    for (let k = 0; k < carried.length; k++) if (carried[k] > 0) carried[k]--;
  }
  const cols = Math.max(1, carried.length, want.length);
  const chars = Array.from({ length: cols }, (_, i) => Math.min(Math.max(Math.ceil(want[i] ?? 0), 2), 16));
  const need = chars.map((c) => (c + 1) * charWidth);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let widths: number[];
  const fixed = chars.map((c) => c <= 4);
  const fixedSum = sum(need.filter((_, i) => fixed[i]));
  if (sum(need) <= total || fixed.every(Boolean) || !fixed.some(Boolean) || fixedSum > total / 2) {
    widths = need.map((n) => Math.floor((total * n) / sum(need)));
  } else {
    const flexible = sum(need.filter((_, i) => !fixed[i]));
    widths = need.map((n, i) => (fixed[i] ? Math.floor(n) : Math.floor(((total - fixedSum) * n) / flexible)));
  }
  widths[cols - 1] += total - sum(widths);
  return widths;
}

function cellChars(cell: TableCell): number {
  return Math.max(
    0,
    ...cell.blocks.map((b) =>
      b.kind === "paragraph" || b.kind === "heading" || b.kind === "field"
        ? emWidth(inlineText(b.inlines)) + (b.kind === "field" ? emWidth(b.label) + 1 : 0)
        : 8,
    ),
  );
}
