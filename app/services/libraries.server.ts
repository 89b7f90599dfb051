// Libraries only rare actions need, loaded on first use instead of at start (ADR 030): the .xlsx export and
// import (exceljs), the .docx export (docx), .docx and .zip files (jszip, xmldom) and pinyin initials
// (pinyin-pro). Each costs tens to hundreds of milliseconds to import; the process that never exports pays
// nothing. Node imports a module once, so every call after the first returns at once. Modules use the types
// with `import type` and call these for the values. (A library only one module uses is imported on first use
// right there: happy-dom and mammoth in the Word import, resvg in chart-png, jieba in the segmenter, diff in
// text-diff, the PostgreSQL drivers in db.server and the collab store.)
import type * as ExcelJSModule from "exceljs";
import type JSZipClass from "jszip";

export type ExcelJS = typeof ExcelJSModule;
export type Docx = typeof import("docx") & Pick<typeof import("docx/watermarks"), "TextWatermark">;
export type JSZip = typeof JSZipClass;

/** exceljs (a CommonJS module: its exports are the default export of `import()`). */
export async function loadExcelJS(): Promise<ExcelJS> {
  return ((await import("exceljs")) as unknown as { default: ExcelJS }).default;
}

let docx: Promise<Docx> | undefined;

/** docx with its text watermark (a separate entry point of the package), as one object. */
export function loadDocx(): Promise<Docx> {
  docx ??= Promise.all([import("docx"), import("docx/watermarks")]).then(([lib, { TextWatermark }]) => ({
    ...lib,
    TextWatermark,
  }));
  return docx;
}

/** JSZip (a CommonJS module: the class is the default export of `import()`). */
export async function loadJSZip(): Promise<JSZip> {
  return (await import("jszip")).default;
}

/** xmldom's DOMParser for the parts of a .docx (ADR 019, 020). */
export async function loadXmlDom(): Promise<typeof import("@xmldom/xmldom")> {
  return import("@xmldom/xmldom");
}

/** pinyin-pro's `pinyin`: the initials of names (@mentions, Word comments' authors). */
export async function loadPinyin(): Promise<(typeof import("pinyin-pro"))["pinyin"]> {
  return (await import("pinyin-pro")).pinyin;
}
