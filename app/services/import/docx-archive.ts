import { promisify } from "node:util";
import { inflateRaw } from "node:zlib";
import type JSZip from "jszip";
import { invalid } from "~/domain/errors";
import { MAX_DOCX_BYTES } from "~/domain/word-import";
import { loadJSZip, loadXmlDom } from "~/services/libraries.server";

/**
 * Opening a .docx from outside (导入修订稿, 从 Word 导入; ADR 019, 020), limits first: its size, what it
 * is (an old .doc, not a zip, a zip that is not Word), and what its parts inflate to — a zip bomb
 * stops here, whether its archive declares the real sizes or lies about them. Every refusal is a
 * Chinese `invalid`, thrown before anything is created.
 */

export { MAX_DOCX_BYTES };

/** What one XML part may inflate to. */
export const MAX_XML_BYTES = 20 * 1024 * 1024;
/** What all the parts other than media may inflate to together. */
const MAX_PARTS_BYTES = 3 * MAX_XML_BYTES;
/** What the archive may declare in all (media included; media are never inflated here). */
const MAX_DECLARED_BYTES = 20 * MAX_XML_BYTES;

/** Parts never read as text (pictures, embedded files, fonts): not inflated, only counted in the declared total. */
const BINARY_PART = /^word\/(media|embeddings|fonts)\//i;

export const DOCX_MESSAGES = {
  empty: "上传的文件是空的，请选择 Word 文档（.docx）。",
  legacyDoc: "这是旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再导入。",
  notDocx: "上传的文件不是 Word 文档（.docx），请另存为 .docx 后重新上传。",
  corrupt: "文件已损坏，无法读取。请确认文件能在 Word 或 WPS 中打开，另存为 .docx 后重新上传。",
  noBody: "上传的文件不是 Word 文档（.docx）：缺少正文部分。",
  bomb: "上传的文件解压后过大，无法读取。请检查文件是否正确。",
  unreadable: "上传的 Word 文档内容无法解析。",
} as const;

type ZipEntry = JSZip.JSZipObject & {
  _data?: { uncompressedSize?: number; compressedContent?: Uint8Array; compression?: { magic?: string } };
};

/** An opened .docx whose text parts are known to inflate within the limits. */
export interface DocxArchive {
  /** The bytes as uploaded (for a reader that opens the archive itself, e.g. mammoth). */
  data: Uint8Array;
  has(name: string): boolean;
  /** A part as text, or null when the archive has no such part. */
  text(name: string): Promise<string | null>;
}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The refusal for a file of this size, or null: checked before the file is read (`name`: 修订稿, Word 文件). */
export function docxSizeProblem(bytes: number, name = "Word 文件"): string | null {
  if (bytes > MAX_DOCX_BYTES) return `${name}不能超过 ${MAX_DOCX_BYTES / 1024 / 1024} MB。`;
  return null;
}

/**
 * Opens a .docx or refuses it in Chinese: too large, empty, an old .doc (an OLE compound file), not a
 * zip, a zip that cannot be read, a zip without word/document.xml, or one whose parts inflate beyond
 * the limits.
 */
export async function openDocx(data: Uint8Array, name = "Word 文件"): Promise<DocxArchive> {
  const tooLarge = docxSizeProblem(data.byteLength, name);
  if (tooLarge) throw invalid(tooLarge);
  const files = await openOfficeZip(data, {
    messages: DOCX_MESSAGES,
    mainPart: "word/document.xml",
    binaryPart: BINARY_PART,
  });
  return {
    data,
    has: (part) => Boolean(files[part] && !files[part].dir),
    async text(part) {
      const file = files[part];
      if (!file || file.dir) return null;
      try {
        return await file.async("string");
      } catch {
        throw invalid(DOCX_MESSAGES.corrupt);
      }
    },
  };
}

/** The refusals of an Office Open XML file of one kind (.docx, .xlsx), in Chinese. */
export type OfficeZipMessages = Record<"empty" | "legacyDoc" | "notDocx" | "corrupt" | "noBody" | "bomb", string>;

/**
 * Opens an Office Open XML zip (a .docx, an .xlsx) or refuses it: empty, an old binary Office file (an
 * OLE compound file), not a zip, unreadable, without its main part, or with parts that inflate
 * beyond the limits — declared or real (a declared size may lie). The size limit of the upload is
 * the caller's.
 */
export async function openOfficeZip(
  data: Uint8Array,
  o: { messages: OfficeZipMessages; mainPart: string; binaryPart: RegExp },
): Promise<Record<string, ZipEntry>> {
  if (data.byteLength === 0) throw invalid(o.messages.empty);
  if (OLE_MAGIC.every((b, i) => data[i] === b)) throw invalid(o.messages.legacyDoc);
  if (data.byteLength < 4 || data[0] !== 0x50 || data[1] !== 0x4b) throw invalid(o.messages.notDocx);
  const Zip = await loadJSZip();
  let zip: JSZip;
  try {
    zip = await Zip.loadAsync(data);
  } catch {
    throw invalid(o.messages.corrupt);
  }
  const files = zip.files as Record<string, ZipEntry>;
  if (!files[o.mainPart]) throw invalid(o.messages.noBody);
  // The sizes the archive declares, before inflating anything…
  let declared = 0;
  for (const file of Object.values(files)) declared += file._data?.uncompressedSize ?? 0;
  if ((files[o.mainPart]._data?.uncompressedSize ?? Infinity) > MAX_XML_BYTES || declared > MAX_DECLARED_BYTES)
    throw invalid(o.messages.bomb);
  // …then what the text parts really inflate to, under a cap (a declared size may lie).
  await checkInflatedSizes(
    Object.values(files).filter((f) => !f.dir && !o.binaryPart.test(f.name)),
    o.messages,
  );
  return files;
}

const inflate = promisify(inflateRaw) as (data: Uint8Array, options: { maxOutputLength: number }) => Promise<Buffer>;

async function checkInflatedSizes(parts: ZipEntry[], messages: OfficeZipMessages): Promise<void> {
  let total = 0;
  for (const part of parts) {
    const raw = part._data?.compressedContent;
    const method = part._data?.compression?.magic;
    if (!raw || method === undefined) continue;
    let size: number;
    if (method === "\x00\x00") size = raw.byteLength;
    else if (method === "\x08\x00") {
      const limit = Math.min(MAX_XML_BYTES, MAX_PARTS_BYTES - total) + 1;
      try {
        size = (await inflate(raw, { maxOutputLength: limit })).byteLength;
      } catch (error) {
        if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw invalid(messages.bomb);
        throw invalid(messages.corrupt);
      }
    } else throw invalid(messages.corrupt);
    total += size;
    if (size > MAX_XML_BYTES || total > MAX_PARTS_BYTES) throw invalid(messages.bomb);
    // A part larger than it says: JSZip would inflate it all before noticing.
    if (size !== part._data?.uncompressedSize) throw invalid(messages.corrupt);
  }
}

/** An XML part parsed (xmldom, no network, no entities beyond XML's own); a Chinese refusal otherwise. */
export async function parseXml(xml: string) {
  if (xml.length > MAX_XML_BYTES) throw invalid(DOCX_MESSAGES.bomb);
  const { DOMParser } = await loadXmlDom();
  try {
    return new DOMParser({ onError: () => undefined }).parseFromString(xml, "text/xml");
  } catch {
    throw invalid(DOCX_MESSAGES.unreadable);
  }
}
