/**
 * 从 Word 导入 (ADR 020): what a .docx brought that the editor cannot hold, counted by kind and told
 * to the user in Chinese after the import — nothing is dropped without a word. Shared by the importer
 * (which counts), the 新建文书 action (which passes the counts to the document page in its redirect)
 * and the document page (which shows them once).
 */

/** The largest .docx read (导入修订稿 and 从 Word 导入 alike). */
export const MAX_DOCX_BYTES = 10 * 1024 * 1024;

export const WORD_IMPORT_KINDS = [
  "image",
  "footnote",
  "endnote",
  "comment",
  "equation",
  "chart",
  "smartArt",
  "object",
  "textBoxIgnored",
  "textBoxKept",
  "revision",
  "other",
] as const;

export type WordImportKind = (typeof WORD_IMPORT_KINDS)[number];

/** Counts by kind; a kind that did not occur is absent. */
export type WordImportReport = Partial<Record<WordImportKind, number>>;

/** One sentence per kind (n ≥ 1). */
const SENTENCES: Record<WordImportKind, (n: number) => string> = {
  image: (n) => `已忽略 ${n} 张图片`,
  footnote: (n) => `已忽略 ${n} 个脚注`,
  endnote: (n) => `已忽略 ${n} 个尾注`,
  comment: (n) => `已忽略 ${n} 条批注`,
  equation: (n) => `已忽略 ${n} 个公式`,
  chart: (n) => `已忽略 ${n} 个图表`,
  smartArt: (n) => `已忽略 ${n} 个 SmartArt 图形`,
  object: (n) => `已忽略 ${n} 个嵌入对象`,
  textBoxIgnored: (n) => `已忽略 ${n} 个文本框`,
  textBoxKept: (n) => `${n} 个文本框中的文字已作为正文段落导入，请核对位置`,
  revision: (n) => `${n} 处修订已按“接受修订”后的文字导入`,
  other: (n) => `已忽略 ${n} 处其他不支持的内容`,
};

/** The report as Chinese sentences, in a fixed order; empty when nothing was left out. */
export function describeWordImport(report: WordImportReport): string[] {
  return WORD_IMPORT_KINDS.filter((k) => (report[k] ?? 0) > 0).map((k) => SENTENCES[k](report[k]!));
}

/** The most of one kind a report carries through a URL (more is shown as this many). */
const MAX_COUNT = 9999;

/** `image-2.footnote-1`: the report in a query parameter (kinds and numbers only, never text). */
export function encodeWordImport(report: WordImportReport): string {
  return WORD_IMPORT_KINDS.filter((k) => (report[k] ?? 0) > 0)
    .map((k) => `${k}-${Math.min(report[k]!, MAX_COUNT)}`)
    .join(".");
}

/** The report read back from a query parameter; anything unknown or malformed is left out. */
export function decodeWordImport(value: string | null | undefined): WordImportReport {
  const out: WordImportReport = {};
  if (!value || value.length > 300) return out;
  for (const part of value.split(".")) {
    const m = /^([A-Za-z]+)-(\d{1,4})$/.exec(part);
    if (!m) continue;
    const kind = WORD_IMPORT_KINDS.find((k) => k === m[1]);
    const n = Number(m[2]);
    if (kind && n > 0) out[kind] = n;
  }
  return out;
}
