import type * as ExcelJS from "exceljs";
import { invalid } from "~/domain/errors";
import {
  CASE_FIELDS,
  FIGURE_FIELDS,
  FIGURE_LABELS,
  MAX_CASES,
  TEMPLATE_CASE_HEADERS,
  TEMPLATE_CASE_SHEET,
  TEMPLATE_FIGURE_HEADERS,
  TEMPLATE_FIGURE_SHEET,
  caseFieldProblems,
  figureProblems,
  quarterLabel,
  type CaseField,
  type Figures,
} from "~/domain/litigation";
import type { CaseRow, FigureRow } from "~/models/litigation.server";
import { openOfficeZip } from "~/services/import/docx-archive";
import { loadExcelJS } from "~/services/libraries.server";

/**
 * The court's quarterly workbook (ADR 025): the template we hand out (one sheet of figures per
 * defendant agency, one of notable cases, the region's agencies listed for picking) and the reader
 * that checks an uploaded one row by row. Nothing is imported unless every row is right.
 */

export const MAX_WORKBOOK_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 2000;

export const XLSX_MESSAGES = {
  empty: "上传的文件是空的，请选择 Excel 工作簿（.xlsx）。",
  legacyDoc: "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 后再上传。",
  notDocx: "上传的文件不是 Excel 工作簿（.xlsx），请使用本系统提供的模板。",
  corrupt: "文件已损坏，无法读取。请确认文件能在 Excel 或 WPS 中打开，另存为 .xlsx 后重新上传。",
  noBody: "上传的文件不是 Excel 工作簿（.xlsx）：缺少工作表。",
  bomb: "上传的文件解压后过大，无法读取。请检查文件是否正确。",
} as const;

export interface Agency {
  id: string;
  name: string;
  shortName: string | null;
}

export interface ReadWorkbook {
  figures: FigureRow[];
  cases: CaseRow[];
}

/**
 * Reads an uploaded workbook against the agencies of the court's region. Throws a Chinese
 * `invalid` carrying every row's problem (`fieldErrors.workbook`, "收结案情况 第3行：…") when
 * anything is wrong, so the page lists them all at once.
 */
export async function readLitigationWorkbook(data: Uint8Array, agencies: readonly Agency[]): Promise<ReadWorkbook> {
  if (data.byteLength > MAX_WORKBOOK_BYTES)
    throw invalid(`工作簿不能超过 ${MAX_WORKBOOK_BYTES / 1024 / 1024} MB。`, {
      workbook: [`工作簿不能超过 ${MAX_WORKBOOK_BYTES / 1024 / 1024} MB。`],
    });
  try {
    await openOfficeZip(data, { messages: XLSX_MESSAGES, mainPart: "xl/workbook.xml", binaryPart: /^xl\/media\//i });
  } catch (error) {
    const message = (error as Error).message;
    throw invalid(message, { workbook: [message] });
  }
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  } catch {
    throw invalid(XLSX_MESSAGES.corrupt, { workbook: [XLSX_MESSAGES.corrupt] });
  }
  const byName = new Map<string, Agency>();
  for (const a of agencies) {
    byName.set(normalize(a.name), a);
    if (a.shortName) byName.set(normalize(a.shortName), a);
  }
  const problems: string[] = [];
  const figures = readFigures(workbook, byName, problems);
  const cases = readCases(workbook, byName, problems);
  if (problems.length === 0 && figures.length === 0)
    problems.push(`「${TEMPLATE_FIGURE_SHEET}」工作表没有数据行：请按模板每个被告单位填写一行。`);
  if (problems.length) {
    const shown = problems.slice(0, 50);
    if (problems.length > shown.length) shown.push(`另有 ${problems.length - shown.length} 处问题未列出。`);
    throw invalid(`工作簿有 ${problems.length} 处问题，未导入任何数据。`, { workbook: shown });
  }
  return { figures, cases };
}

function readFigures(workbook: ExcelJS.Workbook, byName: Map<string, Agency>, problems: string[]): FigureRow[] {
  const sheet = workbook.getWorksheet(TEMPLATE_FIGURE_SHEET);
  if (!sheet) {
    problems.push(`缺少「${TEMPLATE_FIGURE_SHEET}」工作表：请使用本系统提供的模板。`);
    return [];
  }
  if (!headersMatch(sheet, TEMPLATE_FIGURE_HEADERS)) {
    problems.push(`「${TEMPLATE_FIGURE_SHEET}」第1行应为表头：${TEMPLATE_FIGURE_HEADERS.join("、")}。`);
    return [];
  }
  const rows: FigureRow[] = [];
  const seen = new Map<string, number>();
  if (sheet.rowCount > MAX_ROWS + 1) {
    problems.push(`「${TEMPLATE_FIGURE_SHEET}」行数过多（最多 ${MAX_ROWS} 行）。`);
    return [];
  }
  for (let n = 2; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    const cells = TEMPLATE_FIGURE_HEADERS.map((_, i) => cellText(row.getCell(i + 1).value));
    // A row without figures is no data, named or not: the template lists every agency of the region,
    // and one without cases is left blank (as in the form, where blank agencies are left out).
    if (cells.slice(1).every((c) => c === "")) continue;
    const where = `「${TEMPLATE_FIGURE_SHEET}」第${n}行`;
    const agency = byName.get(normalize(cells[0]));
    if (!cells[0]) {
      problems.push(`${where}：请填写被告单位。`);
      continue;
    }
    if (!agency) {
      problems.push(`${where}：被告单位「${cells[0].slice(0, 40)}」不在本地区行政机关名录中，请从下拉列表中选择。`);
      continue;
    }
    const earlier = seen.get(agency.id);
    if (earlier) {
      problems.push(`${where}：被告单位与第${earlier}行重复。`);
      continue;
    }
    seen.set(agency.id, n);
    const values: Partial<Figures> = {};
    const rowProblems: string[] = [];
    FIGURE_FIELDS.forEach((k, i) => {
      const text = cells[i + 1];
      if (text === "") values[k] = 0;
      else if (!/^\d+(\.0+)?$/.test(text)) rowProblems.push(`${FIGURE_LABELS[k]}「${text.slice(0, 20)}」不是整数`);
      else values[k] = Number(text);
    });
    if (rowProblems.length === 0) rowProblems.push(...figureProblems(values as Figures));
    if (rowProblems.length) {
      problems.push(`${where}：${rowProblems.join("；")}。`);
      continue;
    }
    rows.push({ agencyOrgId: agency.id, ...(values as Figures) });
  }
  return rows;
}

function readCases(workbook: ExcelJS.Workbook, byName: Map<string, Agency>, problems: string[]): CaseRow[] {
  const sheet = workbook.getWorksheet(TEMPLATE_CASE_SHEET);
  // The notable cases are optional: a workbook without the sheet has none.
  if (!sheet) return [];
  if (!headersMatch(sheet, TEMPLATE_CASE_HEADERS)) {
    problems.push(`「${TEMPLATE_CASE_SHEET}」第1行应为表头：${TEMPLATE_CASE_HEADERS.join("、")}。`);
    return [];
  }
  const rows: CaseRow[] = [];
  if (sheet.rowCount > MAX_ROWS + 1) {
    problems.push(`「${TEMPLATE_CASE_SHEET}」行数过多（最多 ${MAX_ROWS} 行）。`);
    return [];
  }
  for (let n = 2; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    const cells = TEMPLATE_CASE_HEADERS.map((_, i) => cellText(row.getCell(i + 1).value));
    if (cells.every((c) => c === "")) continue;
    const where = `「${TEMPLATE_CASE_SHEET}」第${n}行`;
    const rowProblems: string[] = [];
    const agency = byName.get(normalize(cells[0]));
    if (!cells[0]) rowProblems.push("请填写被告单位");
    else if (!agency) rowProblems.push(`被告单位「${cells[0].slice(0, 40)}」不在本地区行政机关名录中`);
    const values = Object.fromEntries(CASE_FIELDS.map((k, i) => [k, cells[i + 1]])) as Record<CaseField, string>;
    rowProblems.push(...caseFieldProblems(values));
    if (rowProblems.length) {
      problems.push(`${where}：${rowProblems.join("；")}。`);
      continue;
    }
    rows.push({ agencyOrgId: agency!.id, ...values });
  }
  if (rows.length > MAX_CASES) problems.push(`「${TEMPLATE_CASE_SHEET}」最多填写 ${MAX_CASES} 件典型案件。`);
  return rows;
}

function headersMatch(sheet: ExcelJS.Worksheet, headers: readonly string[]): boolean {
  const row = sheet.getRow(1);
  return headers.every((h, i) => normalize(cellText(row.getCell(i + 1).value)) === normalize(h));
}

/** What a cell shows, as text: numbers as written, rich text joined, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "string") return value.replace(/\u00a0/g, " ").trim();
  if (typeof value === "boolean") return value ? "是" : "否";
  if (value instanceof Date) return "";
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText))
      return value.richText
        .map((r) => r.text)
        .join("")
        .trim();
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("text" in value && typeof value.text === "string") return value.text.trim();
  }
  return "";
}

/** Names compared without spaces and with full-width brackets: "示例市 公安局" = "示例市公安局". */
function normalize(s: string): string {
  return s.replace(/\s+/g, "").replace(/\(/g, "（").replace(/\)/g, "）");
}

/**
 * The template for one court and quarter: the agencies of its region pre-listed in the first sheet
 * (a 下拉列表 on the name column), the figure columns restricted to whole numbers, the notable
 * cases sheet with its headers, and a 说明 sheet.
 */
export async function litigationTemplate(o: {
  courtName: string;
  year: number;
  quarter: number;
  agencies: readonly Agency[];
  figures?: ReadonlyArray<FigureRow>;
  cases?: ReadonlyArray<CaseRow>;
}): Promise<Buffer> {
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  workbook.creator = o.courtName;
  const names = workbook.addWorksheet("单位名录", { state: "hidden" });
  o.agencies.forEach((a, i) => (names.getCell(i + 1, 1).value = a.name));
  const list = `单位名录!$A$1:$A$${Math.max(o.agencies.length, 1)}`;
  const agencyName = new Map(o.agencies.map((a) => [a.id, a.name]));

  const figures = workbook.addWorksheet(TEMPLATE_FIGURE_SHEET, { views: [{ state: "frozen", ySplit: 1 }] });
  figures.columns = TEMPLATE_FIGURE_HEADERS.map((h, i) => ({ header: h, width: i === 0 ? 34 : 16 }));
  const filled = new Map((o.figures ?? []).map((f) => [f.agencyOrgId, f]));
  o.agencies.forEach((a, i) => {
    const f = filled.get(a.id);
    figures.getRow(i + 2).values = [a.name, ...FIGURE_FIELDS.map((k) => (f ? f[k] : null))];
  });
  const lastRow = Math.max(o.agencies.length + 1, 2) + 20;
  for (let r = 2; r <= lastRow; r++) {
    figures.getCell(r, 1).dataValidation = {
      type: "list",
      allowBlank: true,
      formulae: [list],
      showErrorMessage: true,
      errorTitle: "被告单位",
      error: "请从本地区行政机关名录中选择",
    };
    for (let c = 2; c <= TEMPLATE_FIGURE_HEADERS.length; c++)
      figures.getCell(r, c).dataValidation = {
        type: "whole",
        operator: "between",
        allowBlank: true,
        formulae: [0, 100000],
        showErrorMessage: true,
        errorTitle: "数字",
        error: "请填写不小于 0 的整数",
      };
  }
  figures.getRow(1).font = { bold: true };

  const cases = workbook.addWorksheet(TEMPLATE_CASE_SHEET, { views: [{ state: "frozen", ySplit: 1 }] });
  cases.columns = TEMPLATE_CASE_HEADERS.map((h, i) => ({ header: h, width: [34, 26, 24, 30, 50][i] }));
  (o.cases ?? []).forEach((c, i) => {
    cases.getRow(i + 2).values = [agencyName.get(c.agencyOrgId) ?? "", ...CASE_FIELDS.map((k) => c[k])];
  });
  for (let r = 2; r <= MAX_CASES + 1; r++)
    cases.getCell(r, 1).dataValidation = { type: "list", allowBlank: true, formulae: [list] };
  cases.getRow(1).font = { bold: true };

  const help = workbook.addWorksheet("说明");
  [
    `${o.courtName} ${quarterLabel(o.year, o.quarter)}行政诉讼案件审理情况`,
    "",
    `1.「${TEMPLATE_FIGURE_SHEET}」每个被告单位一行，单位名称请从下拉列表中选择；没有案件的单位可以删去或留空。`,
    "2. 各项均为本季度数字，填写不小于 0 的整数；败诉率、出庭率由系统按审结数计算，无需填写。",
    "3. 行政机关败诉数、调解撤诉数、负责人出庭应诉数均不能大于审结数。",
    `4.「${TEMPLATE_CASE_SHEET}」填写本季度需要通报的案件（可不填），案号、案由、裁判结果和暴露的执法问题均为必填。`,
    "5. 上传后系统逐行检查；有任何一行不符合要求，整个工作簿都不会导入，请按提示修改后重新上传。",
  ].forEach((line, i) => (help.getCell(i + 1, 1).value = line));
  help.getColumn(1).width = 110;
  help.getRow(1).font = { bold: true, size: 14 };
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 1, activeTab: 1, visibility: "visible" }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
