import { DOMParser as ProseMirrorDOMParser } from "@tiptap/pm/model";
import { invalid } from "~/domain/errors";
import { describeWordImport, type WordImportReport } from "~/domain/word-import";
import { editorSchema } from "~/editor/schema/extensions";
import { normalizeWordHtml } from "~/editor/schema/word-html";
import type { TemplateNode } from "~/services/document-templates";
import { DOCX_MESSAGES, openDocx, parseXml } from "./docx-archive";
import { recogniseMinutesFields } from "./minutes-fields";
import { countUnsupported, otherFromMammoth } from "./word-unsupported";

/**
 * 从 Word 导入 (ADR 020): a .docx read into the editor's JSON. The archive is opened under the shared
 * limits (./docx-archive); mammoth turns it into HTML with a style map (Heading 1–4 / 标题 1–4 → 一级…
 * 四级 headings, Title → the document's title, underline and strike kept), pictures, notes and comment
 * anchors taken out before anything of them is read; the HTML goes through the same normalization as
 * a paste from Word (app/editor/schema/word-html.ts: the 公文 heading rule) and is parsed with the
 * editor schema. What the schema cannot hold is counted (./word-unsupported) for the user's report.
 */

export interface WordDocument {
  /** The document body (ProseMirror JSON of the editor schema), without the title paragraph. */
  content: TemplateNode;
  /** The title Word gives: its Title paragraph, else the file's own title, else its first plain heading. */
  title: string | null;
  /** The Title paragraph taken out of the body, to put back when the document is given another title. */
  titleBlock: TemplateNode | null;
  report: WordImportReport;
}

const STYLE_MAP = [
  "p[style-name='Title'] => p.docx-title:fresh",
  "p[style-name='标题'] => p.docx-title:fresh",
  ...[1, 2, 3, 4, 5, 6].flatMap((n) => [
    `p[style-name='Heading ${n}'] => h${Math.min(n, 4)}:fresh`,
    `p[style-name='标题 ${n}'] => h${Math.min(n, 4)}:fresh`,
  ]),
  "u => u",
  "strike => s",
];

/** Reads a .docx; `minutes`: recognise the 纪要 header fields too. Refuses in Chinese, creating nothing. */
export async function readWordDocument(data: Uint8Array, options: { minutes: boolean }): Promise<WordDocument> {
  const docx = await openDocx(data);
  const report = countUnsupported(await parseXml((await docx.text("word/document.xml")) ?? ""));
  const coreXml = await docx.text("docProps/core.xml");
  // mammoth and happy-dom load on the first import (ADR 030): together they take half a second to load.
  const [{ default: mammoth }, { Window }] = await Promise.all([import("mammoth"), import("happy-dom")]);
  let converted: { value: string; messages: Array<{ type: string; message: string }> };
  try {
    converted = await mammoth.convertToHtml(
      { buffer: Buffer.from(docx.data) },
      { styleMap: STYLE_MAP, externalFileAccess: false, transformDocument: prepareDocument },
    );
  } catch {
    throw invalid(DOCX_MESSAGES.corrupt);
  }
  const other = otherFromMammoth(converted.messages);
  if (other) report.other = (report.other ?? 0) + other;
  const { doc, title } = htmlToDoc(Window, converted.value);
  let content = doc.content;
  if (options.minutes) content = recogniseMinutesFields(content);
  if (!content.some((node) => hasText(node))) {
    const ignored = describeWordImport(report);
    throw invalid(`Word 文档中没有可导入的文字内容${ignored.length ? `（${ignored.join("；")}）` : ""}。`);
  }
  return {
    content: { type: "doc", content },
    title: cleanTitle(title) ?? cleanTitle(await coreTitle(coreXml)) ?? firstPlainHeading(content),
    titleBlock: cleanTitle(title) ? { type: "paragraph", content: [{ type: "text", text: cleanTitle(title)! }] } : null,
    report,
  };
}

type MammothElement = {
  type: string;
  children?: MammothElement[];
  value?: string;
  checked?: boolean;
  styleId?: string | null;
  styleName?: string | null;
  alignment?: string | null;
  isBold?: boolean;
  fontSize?: number | null;
};

/**
 * Before mammoth writes HTML: pictures, note and comment references go (counted from the XML; never
 * read, so never inflated), check boxes become ☑/☐, and when no paragraph has the Title style, a
 * short centred first paragraph set bold or large (the usual 公文 title) takes it.
 */
function prepareDocument(document: MammothElement): MammothElement {
  const strip = (element: MammothElement): MammothElement => {
    if (element.children)
      element.children = element.children.flatMap((child): MammothElement[] => {
        if (child.type === "image" || child.type === "noteReference" || child.type === "commentReference") return [];
        if (child.type === "checkbox") return [{ type: "text", value: child.checked ? "☑" : "☐" }];
        return [strip(child)];
      });
    return element;
  };
  strip(document);
  const paragraphs = (document.children ?? []).filter((c) => c.type === "paragraph");
  if (paragraphs.some((p) => /^(title|标题)$/i.test(p.styleName ?? ""))) return document;
  const first = paragraphs.find((p) => textOf(p).trim());
  if (!first || first !== (document.children ?? []).find((c) => c.type !== "paragraph" || textOf(c).trim()))
    return document;
  const runs = descendants(first).filter((r) => r.type === "run" && textOf(r).trim());
  const bold = runs.length > 0 && runs.every((r) => r.isBold);
  const large = runs.some((r) => (r.fontSize ?? 0) >= 18);
  const text = textOf(first).trim();
  if (
    first.alignment === "center" &&
    (bold || large) &&
    [...text].length <= 60 &&
    !/^(标题|heading)/i.test(first.styleName ?? "")
  )
    Object.assign(first, { styleId: null, styleName: "Title" });
  return document;
}

function descendants(element: MammothElement): MammothElement[] {
  return (element.children ?? []).flatMap((c) => [c, ...descendants(c)]);
}

function textOf(element: MammothElement): string {
  if (element.type === "text") return element.value ?? "";
  return (element.children ?? []).map(textOf).join("");
}

/** mammoth's HTML → the Title paragraph's text and the body as JSON (after the shared normalization). */
function htmlToDoc(
  Window: typeof import("happy-dom").Window,
  html: string,
): { doc: { content: TemplateNode[] }; title: string | null } {
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  try {
    const document = new window.DOMParser().parseFromString(
      `<!DOCTYPE html><html><body>${html}</body></html>`,
      "text/html",
    );
    const body = document.body;
    const titles = Array.from(body.querySelectorAll("p.docx-title"));
    const title = titles[0]?.textContent ?? null;
    titles[0]?.remove();
    for (const t of titles.slice(1)) t.removeAttribute("class");
    normalizeWordHtml(body as unknown as Element);
    const node = ProseMirrorDOMParser.fromSchema(editorSchema()).parse(body as unknown as Node);
    const json = node.toJSON() as { content?: TemplateNode[] };
    return { doc: { content: json.content ?? [] }, title };
  } finally {
    window.happyDOM.abort();
    window.happyDOM.close();
  }
}

function hasText(node: TemplateNode): boolean {
  if (node.type === "text") return Boolean(node.text?.trim());
  return (node.content ?? []).some(hasText);
}

// eslint-disable-next-line no-control-regex -- control characters are what a title may not hold
const TITLE_NOISE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** A title as the 标题 field takes it: one line, no control characters, at most 100 characters. */
export function cleanTitle(raw: string | null | undefined): string | null {
  const t = (raw ?? "")
    .replace(TITLE_NOISE, " ")
    .replace(/[\s\u3000]+/g, " ")
    .trim();
  return t ? [...t].slice(0, 100).join("") : null;
}

async function coreTitle(xml: string | null): Promise<string | null> {
  if (!xml) return null;
  const list = (await parseXml(xml)).getElementsByTagNameNS("http://purl.org/dc/elements/1.1/", "title");
  return list.length ? (list[0]!.textContent ?? null) : null;
}

/** The first heading that is not a numbered section (一、…): a document's own name, when it has one. */
function firstPlainHeading(content: TemplateNode[]): string | null {
  const heading = content.find((n) => n.type === "heading");
  if (!heading) return null;
  const text = (heading.content ?? []).map((c) => c.text ?? "").join("");
  return /^[\s\u3000]*([一二三四五六七八九十]+、|[（(]|[0-9０-９]+[.．])/.test(text) ? null : cleanTitle(text);
}
