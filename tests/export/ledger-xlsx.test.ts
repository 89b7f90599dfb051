import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { chinaDay, endOfChinaDay, formatDate } from "~/domain/dates";
import { loader } from "~/routes/ledger.export[.]xlsx";
import { createEventBus } from "~/services/events.server";
import { LEDGER_COLUMNS, ledgerExportFilename, ledgerExportTitle } from "~/services/export-ledger.server";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { officeConverter, pdfWords, type OfficeConverter } from "./libreoffice";

/**
 * The ledger .xlsx prints (issue 21): A4 landscape, every column on one page width, the header row
 * repeated on each page, 第 n 页 共 N 页 in the footer, long text wrapped; a title row and the file
 * name say which filters made it. Read back with exceljs, then printed to PDF by LibreOffice.
 * The export route's loader runs from source here (no server build needed).
 */

const DAY = 86_400_000;
const HEADERS = LEDGER_COLUMNS.map((c) => c.header);
const tag = randomBytes(3).toString("hex");
const MARKET = `市市场监管局${tag}`;
/** Overdue items led by MARKET: enough long rows for more than one printed page. */
const OVERDUE = 24;

let cookie: string;
let market: { id: string; name: string };
const events = createEventBus();

async function exportXlsx(search: string): Promise<Response> {
  const request = new Request(`http://localhost/ledger/export.xlsx${search}`, { headers: { Cookie: cookie } });
  return (await loader({ request, params: {}, context: { events } as unknown as AppLoadContext })) as Response;
}

async function readXlsx(body: ArrayBuffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body);
  return workbook;
}

/** The UTF-8 name of a Content-Disposition (RFC 5987). */
function utf8Name(disposition: string | null): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? "");
  return m ? decodeURIComponent(m[1]) : "";
}

beforeAll(async () => {
  const city = await buildRegion({ name: `打印测试市${tag}` });
  const sfj = await buildOrg({ region: city, kind: "JUSTICE_BUREAU", name: `市司法局${tag}` });
  market = await buildOrg({ region: city, kind: "ENFORCEMENT_AGENCY", name: MARKET });
  const court = await buildOrg({ region: city, kind: "COURT", name: `市中级人民法院${tag}` });
  const coord = await buildUser({ org: sfj, role: "COORDINATOR" });
  cookie = await buildSessionCookie(coord.id);
  const doc = await buildDocument({
    ownerOrg: sfj,
    createdById: coord.id,
    status: "FINALIZED",
    title: "关于推进行政执法与刑事司法衔接工作的第三次联席会议纪要",
  });
  const now = Date.now();
  const item = async (n: number, lead: { id: string }, supporting: { id: string }, dueInDays: number) => {
    const wording =
      `第${n}项：建立健全行政执法与刑事司法衔接工作机制，完善案件移送标准和程序，` +
      "定期通报涉嫌犯罪案件移送、立案、审查起诉情况，对应当移送而未移送的案件逐件核查并形成书面报告。";
    await getDb().trackedItem.create({
      data: {
        id: newId(),
        kind: "AGREED_ITEM",
        sourceDocumentId: doc.id,
        ownerOrgId: sfj.id,
        number: n,
        wording,
        searchText: wording.toLowerCase(),
        leadOrgId: lead.id,
        dueDate: endOfChinaDay(chinaDay(new Date(now + dueInDays * DAY))),
        status: "IN_PROGRESS",
        activatedAt: new Date(now - 60 * DAY),
        lastProgressAt: new Date(now - 3 * DAY),
        lastProgressText: "已召开专题会议研究部署，正在逐件核查近三年移送案件，预计本月底前形成核查报告。",
        orgs: {
          create: [
            { orgId: lead.id, role: "LEAD" },
            { orgId: supporting.id, role: "SUPPORTING" },
          ],
        },
      },
    });
  };
  for (let n = 1; n <= OVERDUE; n++) await item(n, market, court, -n);
  await item(OVERDUE + 1, market, court, 30); // not overdue
  await item(OVERDUE + 2, court, market, -3); // another lead
});

describe("ledger .xlsx set up to print", () => {
  let filtered: ArrayBuffer;
  let disposition: string | null;

  beforeAll(async () => {
    const res = await exportXlsx(`?lead=${market.id}&overdue=1`);
    expect(res.status).toBe(200);
    disposition = res.headers.get("content-disposition");
    filtered = await res.arrayBuffer();
  });

  it("prints A4 landscape, one page wide, the header row on every page, 第 n 页 共 N 页 in the footer", async () => {
    const sheet = (await readXlsx(filtered)).getWorksheet("议定事项")!;
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: "2:2",
    });
    expect(sheet.pageSetup.margins?.left).toBeLessThan(0.7);
    expect(sheet.headerFooter.oddFooter).toBe("&C第 &P 页 共 &N 页");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
  });

  it("titles the sheet with the filters in words and the export day, above a bold header row", async () => {
    const sheet = (await readXlsx(filtered)).getWorksheet("议定事项")!;
    const title = sheet.getCell("A1");
    expect(title.value).toBe(`台账（牵头：${MARKET}；仅逾期）— 导出于 ${formatDate(new Date())}`);
    expect(title.font).toMatchObject({ bold: true, size: 14 });
    expect(sheet.getCell("P1").isMerged).toBe(true);
    expect(sheet.getCell("P1").master.address).toBe("A1");
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(sheet.getCell("A2").font?.bold).toBe(true);
    expect(sheet.getCell("C2").fill).toMatchObject({ type: "pattern", pattern: "solid" });
    // Only the filtered items, from row 3.
    expect(sheet.rowCount).toBe(2 + OVERDUE);
    expect(String(sheet.getCell("C3").value)).toMatch(/^第\d+项：/);
    expect(sheet.getCell("D3").value).toBe(MARKET);
  });

  it("wraps the long text columns in narrow-enough widths", async () => {
    const sheet = (await readXlsx(filtered)).getWorksheet("议定事项")!;
    for (const col of ["C", "D", "E", "J", "L"])
      expect(sheet.getCell(`${col}3`).alignment, col).toMatchObject({ wrapText: true, vertical: "top" });
    expect(sheet.getColumn(1).width).toBeLessThanOrEqual(6);
    expect(sheet.getColumn(3).width).toBe(40);
    expect(sheet.getColumn(6).width).toBe(12);
    expect(sheet.getColumn(4).width).toBe(16);
    const total = LEDGER_COLUMNS.reduce((a, c) => a + c.width, 0);
    expect(total).toBeLessThan(260);
  });

  it("names the file after the filters, with an ASCII fallback", () => {
    const day = chinaDay(new Date()).replaceAll("-", "");
    expect(disposition).toMatch(new RegExp(`^attachment; filename="ledger-${day}\\.xlsx"; filename\\*=UTF-8''`));
    expect(utf8Name(disposition)).toBe(`台账-牵头${MARKET}-仅逾期-${day}.xlsx`);
  });

  it("says 全部 when nothing is filtered", async () => {
    const res = await exportXlsx("");
    const day = chinaDay(new Date()).replaceAll("-", "");
    expect(utf8Name(res.headers.get("content-disposition"))).toBe(`台账-全部-${day}.xlsx`);
    const sheet = (await readXlsx(await res.arrayBuffer())).getWorksheet("议定事项")!;
    expect(sheet.getCell("A1").value).toBe(`台账（全部事项）— 导出于 ${formatDate(new Date())}`);
    expect(sheet.rowCount).toBe(2 + OVERDUE + 2);
  });

  it("dates title and file name in China time; keeps file names short and legal", () => {
    const lateUtc = new Date("2026-12-05T16:30:00Z"); // 2026-12-06 00:30 in China
    expect(ledgerExportTitle([], lateUtc)).toBe("台账（全部事项）— 导出于 2026年12月6日");
    expect(ledgerExportFilename([], lateUtc)).toEqual({
      filename: "台账-全部-20261206.xlsx",
      fallback: "ledger-20261206.xlsx",
    });
    const { filename } = ledgerExportFilename(
      [
        { field: "q", label: '搜索“a/b\\c:d*e?f"g<h>i|j\u0007k”' },
        { field: "dueWithin", label: "7 天内到期" },
        { field: "series", label: `会商系列：${"长".repeat(200)}` },
      ],
      lateUtc,
    );
    expect(filename.startsWith("台账-搜索abcdefghijk-7天内到期-会商系列长长")).toBe(true);
    expect(filename).toMatch(/…-20261206\.xlsx$/);
    expect([...filename].length).toBeLessThanOrEqual(80);
    expect(filename).not.toMatch(/[\\/:*?"<>|\p{Cc}]/u);
  });
});

describe("ledger .xlsx printed by LibreOffice", () => {
  let office: OfficeConverter;
  let pdf: string;

  beforeAll(async () => {
    office = officeConverter("ledger-xlsx");
    const res = await exportXlsx(`?lead=${market.id}&overdue=1`);
    const file = path.join(office.dir, "ledger.xlsx");
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    pdf = office.convert(file, "pdf", "pdf");
    // LEDGER_PRINT_DIR=<dir> keeps the .xlsx, the PDF and page 1 as a PNG there, to look at.
    const keep = process.env.LEDGER_PRINT_DIR;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(file, path.join(keep, "ledger.xlsx"));
      copyFileSync(pdf, path.join(keep, "ledger.pdf"));
      execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", pdf, path.join(keep, "ledger-page")]);
    }
  }, 120_000);
  afterAll(() => office?.dispose());

  it("prints on A4 landscape pages", () => {
    const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.[23]\d* pts \(A4\)/);
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it("fits every column on the page width and repeats the header row on each page", () => {
    const pages = pdfWords(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const layout = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }).split("\f");
    pages.forEach((page, i) => {
      const text = layout[i] ?? "";
      for (const h of HEADERS) expect(text, `page ${i + 1}: ${h}`).toContain(h);
      // Every word inside the page (nothing cut off at the right edge).
      for (const w of page.words) expect(w.xMax, `page ${i + 1}: ${w.text}`).toBeLessThanOrEqual(page.width);
      expect(text.replace(/\s+/g, ""), `page ${i + 1} footer`).toContain(`第${i + 1}页共${pages.length}页`);
    });
    expect(layout[0]).toContain(`台账（牵头：${MARKET}；仅逾期）`);
    // The header row sits left to right in column order on page 1.
    const xs = HEADERS.map((h) => pages[0].words.find((w) => w.text === h)?.xMin ?? -1);
    expect(xs.every((x) => x >= 0)).toBe(true);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
});
