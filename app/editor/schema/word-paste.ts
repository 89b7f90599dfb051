import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { isWordHtml, normalizeWordHtml } from "./word-html";

/**
 * Paste from Word or WPS (ADR 020): the clipboard's HTML goes through the same normalization as a
 * .docx imported with 从 Word 导入 (./word-html.ts) — real lists instead of mso-list paragraphs,
 * headings by style and by the 公文 numbering rule, no <o:p>, mso styles or comments — before the
 * editor parses it with the schema. Other HTML (our own copies, web pages) is left as it is.
 */
export function transformWordPaste(html: string, parser?: DOMParser): string {
  if (!isWordHtml(html)) return html;
  const domParser = parser ?? (typeof DOMParser === "undefined" ? null : new DOMParser());
  if (!domParser) return html;
  const doc = domParser.parseFromString(html, "text/html");
  normalizeWordHtml(doc.body);
  return doc.body.innerHTML;
}

export const WordPaste = Extension.create({
  name: "wordPaste",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("wordPaste"),
        props: { transformPastedHTML: (html) => transformWordPaste(html) },
      }),
    ];
  },
});
