import { invalid } from "~/domain/errors";
import type { StoredFile } from "~/models/attachment.server";

/**
 * What uploads may be (progress report attachments, recommendation originals): the types allowed,
 * checked by extension and by content, their size, and a file name safe to store and send back.
 */

/** An uploaded file, already read into memory by the route (size-limited while parsing). */
export interface UploadedFile {
  name: string;
  type: string;
  data: Uint8Array;
}

export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

/** Allowed attachment types: extension → (MIME, magic-number check). */
const ALLOWED: Record<string, { mime: string; magic: (b: Uint8Array) => boolean }> = {
  pdf: { mime: "application/pdf", magic: (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 },
  png: { mime: "image/png", magic: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  jpg: { mime: "image/jpeg", magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  jpeg: { mime: "image/jpeg", magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  docx: {
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    magic: (b) => b[0] === 0x50 && b[1] === 0x4b,
  },
  xlsx: {
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    magic: (b) => b[0] === 0x50 && b[1] === 0x4b,
  },
  ofd: { mime: "application/ofd", magic: (b) => b[0] === 0x50 && b[1] === 0x4b },
  doc: { mime: "application/msword", magic: (b) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0 },
  xls: {
    mime: "application/vnd.ms-excel",
    magic: (b) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0,
  },
};
export const ALLOWED_ATTACHMENT_EXTENSIONS = Object.keys(ALLOWED);

/**
 * Characters a file name never needs and that make it lie: C0/C1 controls, and the bidirectional
 * controls (U+200E/U+200F marks, U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates,
 * U+061C) with which "报告\u202Efdp.doc" displays as "报告cod.pdf".
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const UNSAFE_NAME_CHAR = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/;

/** A file name safe to store and to send back: no path, no control or bidi characters, bounded length. */
export function safeFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const cleaned = [...base]
    .filter((c) => !UNSAFE_NAME_CHAR.test(c))
    .join("")
    .replace(/^\.+/, "")
    .trim();
  return (cleaned || "附件").slice(-100);
}

/** Why an upload is refused (type, emptiness, size, content), or null when it is acceptable. */
function uploadProblem(file: UploadedFile, name: string): string | null {
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  const rule = ALLOWED[ext];
  if (!rule) return `附件「${name}」的类型不允许，仅支持 ${ALLOWED_ATTACHMENT_EXTENSIONS.join("、")}。`;
  if (file.data.byteLength === 0) return `附件「${name}」是空文件。`;
  if (file.data.byteLength > MAX_ATTACHMENT_BYTES)
    return `附件「${name}」超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB。`;
  if (!rule.magic(file.data)) return `附件「${name}」的内容与扩展名不符。`;
  return null;
}

/**
 * An upload checked (type by extension and content, size) and named safely, ready to store; refused
 * with a Chinese message, given to `field` of the form.
 */
export function checkUpload(file: UploadedFile, field: string): StoredFile {
  const name = safeFileName(file.name);
  const problem = uploadProblem(file, name);
  if (problem) throw invalid(problem, { [field]: [problem] });
  const ext = name.split(".").pop()!.toLowerCase();
  return { name, mime: ALLOWED[ext].mime, data: file.data };
}

/** The uploads of one form field, each checked (`checkUpload`), at most `MAX_ATTACHMENTS` of them. */
export function checkUploads(files: readonly UploadedFile[], field: string): StoredFile[] {
  if (files.length > MAX_ATTACHMENTS) {
    const message = `每次最多上传 ${MAX_ATTACHMENTS} 个附件`;
    throw invalid(message, { [field]: [message] });
  }
  return files.map((f) => checkUpload(f, field));
}

/** The limits the upload fields show (`FilesField`). */
export function uploadLimits() {
  return {
    maxFiles: MAX_ATTACHMENTS,
    maxMb: Math.floor(MAX_ATTACHMENT_BYTES / 1024 / 1024),
    extensions: ALLOWED_ATTACHMENT_EXTENSIONS,
  };
}
