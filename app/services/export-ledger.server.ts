import { PassThrough, Readable, type Writable } from "node:stream";
import type * as ExcelJS from "exceljs";
import { database } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import {
  countLedgerByKind,
  getRegionPath,
  iterateLedgerRows,
  ledgerFilterLabels,
  ledgerFilterNames,
  ledgerWhere,
  type LedgerFilterLabel,
  type LedgerQuery,
  type LedgerRow,
} from "~/models/ledger.server";
import {
  daysOverdue,
  FEEDBACK_CYCLE_LABELS,
  ITEM_KIND_LABELS,
  ITEM_KINDS,
  itemLabels,
  type FeedbackCycle,
  type ItemKind,
} from "~/domain/tracked-item";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { EventBus } from "~/domain/events";
import { loadExcelJS } from "~/services/libraries.server";
import { CHINA_OFFSET_MS, chinaDay, formatDate } from "~/domain/dates";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Rows read from the database per keyset page. */
const BATCH = 1000;
/** Uncompressed sheet XML allowed to wait for deflate. */
const ZIP_HIGH_WATER = 512 * 1024;

export interface LedgerExportContext {
  ip: string | null;
  events: EventBus;
  /** Chosen by the page that asked, to receive progress over socket.io. */
  progressToken: string | null;
  now?: Date;
  /** Rows per database page (tests use small ones). */
  batch?: number;
}

/**
 * Columns of the ledger export (architecture.md "Document formats" "Agreed item line" plus progress,
 * overdue days and source). Widths in characters of the default font (a Chinese character takes
 * two): each header fits on one line, text columns wrap, and together they print on one A4
 * landscape page width at about 60 %.
 */
export const LEDGER_COLUMNS = [
  { header: "序号", key: "number", width: 5, align: "center" },
  { header: "类别", key: "kind", width: 8, align: "wrap" },
  { header: "事项", key: "wording", width: 40, align: "wrap" },
  { header: "牵头单位", key: "lead", width: 16, align: "wrap" },
  { header: "配合单位", key: "supporting", width: 18, align: "wrap" },
  { header: "完成时限", key: "due", width: 12, align: "center" },
  { header: "反馈周期", key: "cycle", width: 9, align: "wrap" },
  { header: "状态", key: "status", width: 8, align: "wrap" },
  { header: "逾期天数", key: "overdueDays", width: 9, align: "center" },
  { header: "最新进展", key: "progress", width: 36, align: "wrap" },
  { header: "最新进展时间", key: "progressAt", width: 13, align: "center" },
  { header: "来源文书", key: "source", width: 20, align: "wrap" },
  { header: "会商系列", key: "series", width: 14, align: "wrap" },
  { header: "召集单位", key: "owner", width: 16, align: "wrap" },
  { header: "创建时间", key: "createdAt", width: 12, align: "center" },
  { header: "销号时间", key: "closedAt", width: 12, align: "center" },
] as const;

/** Row 1 is the title (the filter in words), row 2 the column headers, repeated on every printed page. */
const TITLE_ROW = 1;
const HEADER_ROW = 2;

/**
 * Excel has no time zones: a cell holds wall-clock time. Shift UTC instants to China wall time so
 * 完成时限 (end of the China day) shows the right day and times read as in the app.
 */
function wallClock(d: Date | null): Date | null {
  return d ? new Date(d.getTime() + CHINA_OFFSET_MS) : null;
}

/** 完成时限 as a date-only cell: the China calendar day at midnight (no time to round across days). */
function dayCell(d: Date | null): Date | null {
  return d ? new Date(`${chinaDay(d)}T00:00:00Z`) : null;
}

function rowValues(r: LedgerRow, now: Date) {
  const c = r.sourceDocument.consultation;
  const overdue = daysOverdue(r, now);
  return {
    number: r.number,
    kind: ITEM_KIND_LABELS[r.kind as keyof typeof ITEM_KIND_LABELS] ?? r.kind,
    wording: r.wording,
    lead: r.leadOrg?.name ?? "",
    supporting: r.orgs.map((o) => o.org.name).join("、"),
    due: dayCell(r.dueDate),
    cycle: FEEDBACK_CYCLE_LABELS[r.feedbackCycle as FeedbackCycle] ?? r.feedbackCycle,
    status: itemLabels(
      (ITEM_KINDS as readonly string[]).includes(r.kind) ? (r.kind as ItemKind) : "AGREED_ITEM",
    ).statusLabel(r.status),
    overdueDays: overdue || null,
    progress: r.lastProgressText ?? "",
    progressAt: wallClock(r.lastProgressAt),
    source: r.sourceDocument.title,
    series: c ? `${c.series} 第${c.number}期` : (r.series ?? ""),
    owner: r.ownerOrg.name,
    createdAt: wallClock(r.createdAt),
    closedAt: wallClock(r.closedAt),
  };
}

/**
 * The day only, as the ledger page shows due and progress dates (a time cell keeps its time, for
 * another format to show): 10 characters fit a 12-wide column, where 2026年12月31日 or a time would not.
 */
const DATE_FORMAT = "yyyy-mm-dd";
const NUM_FORMATS: Partial<Record<(typeof LEDGER_COLUMNS)[number]["key"], string>> = {
  due: DATE_FORMAT,
  progressAt: DATE_FORMAT,
  createdAt: DATE_FORMAT,
  closedAt: DATE_FORMAT,
};

const THIN = { style: "thin", color: { argb: "FFB8C0CC" } } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDCE4EF" } };
const TITLE_SIZE = 14;

/** Printing (inches): A4 landscape, all columns on one page width, as many pages tall as the rows need. */
const PAGE_SETUP: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: "landscape",
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  horizontalCentered: true,
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.25, footer: 0.3 },
  printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
};
const FOOTER = "&C第 &P 页 共 &N 页";

function columnAlignment(align: (typeof LEDGER_COLUMNS)[number]["align"]): Partial<ExcelJS.Alignment> {
  return align === "wrap" ? { wrapText: true, vertical: "top" } : { horizontal: "center", vertical: "top" };
}

/** Display width of a text in characters of the default font (a Chinese character a little over two). */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e7f ? 2.15 : 1.05;
  return w;
}

/** Lines a text takes wrapped in a column of `width` characters. */
function wrappedLines(text: string, width: number): number {
  return text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(textWidth(line) / (width - 1))), 0);
}

/** Points per line of 11 pt text (Chinese fonts set lines further apart than Calibri), and the cell's padding. */
const LINE_HEIGHT = 14.5;
const ROW_PADDING = 3;
/** Excel's highest row. */
const MAX_ROW_HEIGHT = 409;
const WRAPPED = LEDGER_COLUMNS.filter((c) => c.align === "wrap");

/**
 * The height of a row, in points, from its longest wrapped text, set on every row: LibreOffice
 * trusts the stored heights of a file that says Microsoft Excel made it (exceljs says so) instead
 * of fitting rows to their text, and would print each row one line high. Generous rather than
 * tight (Excel's Chinese fonts run wider than LibreOffice's): a blank line, never a cut one.
 */
function rowHeight(values: Record<string, unknown>): number {
  const lines = Math.max(
    1,
    ...WRAPPED.map((c) => (typeof values[c.key] === "string" ? wrappedLines(values[c.key] as string, c.width) : 1)),
  );
  return Math.min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + ROW_PADDING);
}

/**
 * exceljs's streaming writer keeps `pageSetup.horizontalCentered` but never writes the
 * `<printOptions>` that holds it (the in-memory writer does): write it just before `<pageMargins>`,
 * where the schema wants it. Relies on exceljs 4.4 internals; skipped if they change.
 */
function centreOnPage(sheet: ExcelJS.Worksheet): void {
  const writer = sheet as unknown as { _writePageMargins?: () => void; _write?: (xml: string) => void };
  const margins = writer._writePageMargins;
  const write = writer._write;
  if (typeof margins !== "function" || typeof write !== "function") return;
  writer._writePageMargins = function (this: typeof writer) {
    write.call(this, '<printOptions horizontalCentered="1"/>');
    margins.call(this);
  };
}

/**
 * A sheet ready to print: the title row (merged across the columns, its height fitted to the title),
 * the bold header row frozen below it and repeated on every page, A4 landscape fitted to the page
 * width, 第 n 页 共 N 页 in the footer. Column styles (borders, wrapping, date formats) go to every row.
 */
function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, title: string) {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: "frozen", ySplit: HEADER_ROW, topLeftCell: `A${HEADER_ROW + 1}` }],
    pageSetup: PAGE_SETUP,
    headerFooter: { oddFooter: FOOTER },
  });
  centreOnPage(sheet);
  sheet.columns = LEDGER_COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    style: {
      border: BORDER,
      alignment: columnAlignment(c.align),
      ...(NUM_FORMATS[c.key] ? { numFmt: NUM_FORMATS[c.key] } : {}),
    },
  }));
  const last = LEDGER_COLUMNS.length;
  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, last);
  const titleRow = sheet.getRow(TITLE_ROW);
  titleRow.getCell(1).value = title;
  // Every cell of the merge: the column styles would draw their borders through the title.
  for (let i = 1; i <= last; i++)
    titleRow.getCell(i).style = {
      font: { bold: true, size: TITLE_SIZE },
      alignment: { horizontal: "center", vertical: "middle", wrapText: true },
    };
  // A merged row is not fitted to its text by Excel: its height is set here, a line per page width.
  const pageWidth = LEDGER_COLUMNS.reduce((a, c) => a + c.width, 0);
  const lines = Math.max(1, Math.ceil((textWidth(title) * TITLE_SIZE) / 11 / (pageWidth - 4)));
  titleRow.height = 8 + lines * 20;
  titleRow.commit();
  const header = sheet.getRow(HEADER_ROW);
  LEDGER_COLUMNS.forEach((c, i) => {
    const h = header.getCell(i + 1);
    h.value = c.header;
    h.style = {
      font: { bold: true },
      fill: HEADER_FILL,
      border: BORDER,
      alignment: { horizontal: "center", vertical: "middle", wrapText: true },
    };
  });
  header.height = 30;
  header.commit();
  return sheet;
}

function finishSheet(sheet: ExcelJS.Worksheet, rows: number) {
  sheet.autoFilter = {
    from: { row: HEADER_ROW, column: 1 },
    to: { row: HEADER_ROW + Math.max(0, rows), column: LEDGER_COLUMNS.length },
  };
  sheet.commit();
}

/** The title row: 台账（牵头：市市场监管局；仅逾期）— 导出于 2026年12月6日 (China time). */
export function ledgerExportTitle(filters: readonly LedgerFilterLabel[], now: Date): string {
  const what = filters.length ? filters.map((f) => f.label).join("；") : "全部事项";
  return `台账（${what}）— 导出于 ${formatDate(now)}`;
}

/** Longest file name, in characters (a Chinese one counts one): short enough for any file system. */
const MAX_FILENAME = 80;
/** Not allowed in file names on Windows (and "/" nowhere), control and format characters. */
const NOT_IN_FILENAMES = /[\\/:*?"<>|\p{Cc}\p{Cf}]/gu;

/**
 * The file name carries the filters: 台账-牵头市市场监管局-仅逾期-20261206.xlsx, or
 * 台账-全部-20261206.xlsx; shortened with … past MAX_FILENAME. `fallback` is the ASCII name for
 * clients without RFC 5987.
 */
export function ledgerExportFilename(
  filters: readonly LedgerFilterLabel[],
  now: Date,
): { filename: string; fallback: string } {
  const day = chinaDay(now).replaceAll("-", "");
  const parts = filters
    .map((f) => f.label.replace(/[：“”\s]/g, "").replace(NOT_IN_FILENAMES, ""))
    .filter((p) => p.length > 0);
  const tail = `-${day}.xlsx`;
  let stem = ["台账", ...(parts.length ? parts : ["全部"])].join("-");
  const room = MAX_FILENAME - tail.length;
  if ([...stem].length > room) stem = `${[...stem].slice(0, room - 1).join("")}…`;
  return { filename: `${stem}${tail}`, fallback: `ledger-${day}.xlsx` };
}

/** Resolves once `stream` drains (or closes): call only when it holds more than it wants. */
function drained(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/**
 * Backpressure for exceljs's streaming writer, which has none of its own: a sheet's rows go into a
 * buffer that archiver pipes into a PassThrough in front of deflate, written without regard to
 * what deflate has taken. Without waiting, a fast database fills it with the sheet's whole XML
 * (≈ 15 MiB per 10,000 rows): better-sqlite3 answers synchronously, so deflate's callbacks never
 * run while pages are read. Waiting here also yields to the event loop. Relies on exceljs 4.4 and
 * archiver internals; skipped if they change.
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  const buffer = (sheet as unknown as { stream?: { pipes?: unknown } }).stream;
  const target = Array.isArray(buffer?.pipes)
    ? (buffer.pipes[0] as (Writable & { _writableState?: { length?: number } }) | undefined)
    : undefined;
  // archiver's PassThrough comes from readable-stream 2, which has no `writableLength`.
  const waiting = target ? (target.writableLength ?? target._writableState?.length) : undefined;
  if (target && typeof waiting === "number" && waiting > ZIP_HIGH_WATER && !target.destroyed) await drained(target);
}

/** Waits while the zip writer is held back by a slow client (or until the client is gone). */
async function clientCaughtUp(out: PassThrough): Promise<void> {
  if (out.writableNeedDrain && !out.destroyed) await drained(out);
}

/**
 * The ledger as .xlsx, streamed: exceljs's streaming writer writes into the returned stream while
 * rows are read in keyset pages of 1000, one sheet per kind present (议定事项 / 整改措施 / 挂牌督办案件),
 * each set up to print (see `addSheet`) under a title naming the filters, which the file name carries
 * too. Memory stays flat whatever the row count; a slow client holds the export back instead of
 * filling memory. Audited before the first byte.
 */
export async function exportLedger(
  user: CurrentUser,
  query: LedgerQuery,
  ctx: LedgerExportContext,
): Promise<{ body: ReadableStream<Uint8Array>; filename: string; fallbackFilename: string; count: number }> {
  const excel = await loadExcelJS();
  const db = database();
  const now = ctx.now ?? new Date();
  const progress = (fraction: number, label: string) => {
    if (ctx.progressToken)
      ctx.events.publish({ type: "export.progress", userId: user.id, token: ctx.progressToken, fraction, label });
  };
  progress(0.02, "正在统计事项");
  const regionPath = await getRegionPath(db, query.region);
  const where = ledgerWhere(user.actor, query, { now, regionPath });
  const filters = ledgerFilterLabels(query, await ledgerFilterNames(db, user.actor, query, regionPath));
  const title = ledgerExportTitle(filters, now);
  const counts = await countLedgerByKind(db, where);
  const total = [...counts.values()].reduce((a, n) => a + n, 0);
  await recordAudit(db, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: user.actor.memberships[0]?.orgId ?? null,
    action: "ledger.exported",
    targetType: "TrackedItem",
    targetId: null,
    summary: `导出台账 Excel（${total} 项；${filters.map((f) => f.label).join("，") || "全部跟踪中事项"}）`,
    ip: ctx.ip,
  });

  const out = new PassThrough();
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "会商协同";
  workbook.created = now;

  const write = async () => {
    let written = 0;
    const kinds = ITEM_KINDS.filter((k) => counts.has(k));
    if (kinds.length === 0) finishSheet(addSheet(workbook, "台账", title), 0);
    for (const kind of kinds) {
      const sheet = addSheet(workbook, ITEM_KIND_LABELS[kind], title);
      let rows = 0;
      for await (const page of iterateLedgerRows(db, { AND: [where, { kind }] }, query.sort, ctx.batch ?? BATCH)) {
        for (const r of page) {
          const values = rowValues(r, now);
          const row = sheet.addRow(values);
          row.height = rowHeight(values);
          row.commit();
        }
        rows += page.length;
        written += page.length;
        progress(0.05 + 0.9 * (written / Math.max(1, total)), `已写入 ${written} / ${total} 项`);
        await zipCaughtUp(sheet);
        await clientCaughtUp(out);
        if (out.destroyed) return;
      }
      finishSheet(sheet, rows);
    }
    await workbook.commit();
    progress(1, "完成");
  };
  write().catch((error: unknown) => {
    if (out.destroyed) return; // the client went away
    console.error("[export] ledger .xlsx failed:", error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });

  const { filename, fallback } = ledgerExportFilename(filters, now);
  return {
    body: Readable.toWeb(out) as ReadableStream<Uint8Array>,
    filename,
    fallbackFilename: fallback,
    count: total,
  };
}
