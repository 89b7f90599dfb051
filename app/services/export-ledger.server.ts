import { PassThrough, Readable, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import { database } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import {
  countLedgerByKind,
  getRegionPath,
  iterateLedgerRows,
  ledgerWhere,
  type LedgerQuery,
  type LedgerRow,
} from "~/models/ledger.server";
import {
  daysOverdue,
  FEEDBACK_CYCLE_LABELS,
  ITEM_KIND_LABELS,
  ITEM_KINDS,
  ITEM_STATUS_LABELS,
  itemLabels,
  type FeedbackCycle,
  type ItemKind,
} from "~/domain/tracked-item";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { EventBus } from "~/domain/events";
import { CHINA_OFFSET_MS, chinaDay } from "~/domain/dates";

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

/** Columns of the ledger export (architecture.md "Document formats" "Agreed item line" plus progress, overdue days and source). */
export const LEDGER_COLUMNS = [
  { header: "序号", key: "number", width: 6 },
  { header: "类别", key: "kind", width: 12 },
  { header: "事项", key: "wording", width: 60 },
  { header: "牵头单位", key: "lead", width: 24 },
  { header: "配合单位", key: "supporting", width: 36 },
  { header: "完成时限", key: "due", width: 14 },
  { header: "反馈周期", key: "cycle", width: 9 },
  { header: "状态", key: "status", width: 13 },
  { header: "逾期天数", key: "overdueDays", width: 9 },
  { header: "最新进展", key: "progress", width: 48 },
  { header: "最新进展时间", key: "progressAt", width: 17 },
  { header: "来源文书", key: "source", width: 36 },
  { header: "会商系列", key: "series", width: 28 },
  { header: "召集单位", key: "owner", width: 24 },
  { header: "创建时间", key: "createdAt", width: 17 },
  { header: "销号时间", key: "closedAt", width: 17 },
] as const;

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

const DATE_FORMAT = 'yyyy"年"m"月"d"日"';
const TIME_FORMAT = "yyyy-mm-dd hh:mm";
const NUM_FORMATS: Partial<Record<(typeof LEDGER_COLUMNS)[number]["key"], string>> = {
  due: DATE_FORMAT,
  progressAt: TIME_FORMAT,
  createdAt: TIME_FORMAT,
  closedAt: TIME_FORMAT,
};

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = LEDGER_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: NUM_FORMATS[c.key] ? { numFmt: NUM_FORMATS[c.key] } : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle" };
  header.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEEF2F7" } };
  header.height = 20;
  header.commit();
  return sheet;
}

function finishSheet(sheet: ExcelJS.Worksheet, rows: number) {
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows + 1), column: LEDGER_COLUMNS.length } };
  sheet.commit();
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

function describeFilters(query: LedgerQuery): string {
  const parts: string[] = [];
  if (query.q) parts.push(`搜索“${query.q}”`);
  if (query.kind) parts.push(ITEM_KIND_LABELS[query.kind]);
  if (query.statuses.length) parts.push(`状态 ${query.statuses.map((s) => ITEM_STATUS_LABELS[s]).join("、")}`);
  if (query.drafts) parts.push("含草拟中");
  if (query.overdue) parts.push("仅逾期");
  if (query.dueWithin !== null) parts.push(`${query.dueWithin} 天内到期`);
  if (query.lead) parts.push("按牵头单位");
  if (query.supporting) parts.push("按配合单位");
  if (query.region) parts.push("按区划");
  if (query.series) parts.push(`会商系列 ${query.series}`);
  if (query.consultation) parts.push("按会商");
  return parts.length ? parts.join("，") : "全部跟踪中事项";
}

/**
 * The ledger as .xlsx, streamed: exceljs's streaming writer writes into the returned stream while
 * rows are read in keyset pages of 1000, one sheet per kind present (议定事项 / 整改措施 / 挂牌督办案件),
 * header bold and frozen, autofilter over the rows. Memory stays flat whatever the row count; a
 * slow client holds the export back instead of filling memory. Audited before the first byte.
 */
export async function exportLedger(
  user: CurrentUser,
  query: LedgerQuery,
  ctx: LedgerExportContext,
): Promise<{ body: ReadableStream<Uint8Array>; filename: string; count: number }> {
  const db = database();
  const now = ctx.now ?? new Date();
  const progress = (fraction: number, label: string) => {
    if (ctx.progressToken)
      ctx.events.publish({ type: "export.progress", userId: user.id, token: ctx.progressToken, fraction, label });
  };
  progress(0.02, "正在统计事项");
  const where = ledgerWhere(user.actor, query, { now, regionPath: await getRegionPath(db, query.region) });
  const counts = await countLedgerByKind(db, where);
  const total = [...counts.values()].reduce((a, n) => a + n, 0);
  await recordAudit(db, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: user.actor.memberships[0]?.orgId ?? null,
    action: "ledger.exported",
    targetType: "TrackedItem",
    targetId: null,
    summary: `导出台账 Excel（${total} 项；${describeFilters(query)}）`,
    ip: ctx.ip,
  });

  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "会商协同";
  workbook.created = now;

  const write = async () => {
    let written = 0;
    const kinds = ITEM_KINDS.filter((k) => counts.has(k));
    if (kinds.length === 0) finishSheet(addSheet(workbook, "台账"), 0);
    for (const kind of kinds) {
      const sheet = addSheet(workbook, ITEM_KIND_LABELS[kind]);
      let rows = 0;
      for await (const page of iterateLedgerRows(db, { AND: [where, { kind }] }, query.sort, ctx.batch ?? BATCH)) {
        for (const r of page) sheet.addRow(rowValues(r, now)).commit();
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

  return {
    body: Readable.toWeb(out) as ReadableStream<Uint8Array>,
    filename: `台账-${chinaDay(now)}.xlsx`,
    count: total,
  };
}
