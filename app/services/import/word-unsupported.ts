import type { Document as XmlDocument, Element } from "@xmldom/xmldom";
import type { WordImportReport } from "~/domain/word-import";

/**
 * What a .docx holds that the editor cannot (ADR 020), counted from word/document.xml so the user is
 * told after 从 Word 导入: pictures, footnotes and endnotes, comments, equations, charts, SmartArt,
 * embedded objects, text boxes (kept as paragraphs when Word wrote a fallback mammoth reads, otherwise
 * lost) and tracked changes (read as accepted). Where Word offers alternatives (mc:AlternateContent),
 * the first choice is what the author sees and what is counted.
 */

const NS = {
  w: "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
  mc: "http://schemas.openxmlformats.org/markup-compatibility/2006",
  m: "http://schemas.openxmlformats.org/officeDocument/2006/math",
  pic: "http://schemas.openxmlformats.org/drawingml/2006/picture",
  c: "http://schemas.openxmlformats.org/drawingml/2006/chart",
  dgm: "http://schemas.openxmlformats.org/drawingml/2006/diagram",
  wps: "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
  v: "urn:schemas-microsoft-com:vml",
};

/** `w:ins` → the namespace key and the local name, for the elements counted below. */
function qualified(el: Element): string | null {
  for (const [prefix, uri] of Object.entries(NS)) if (el.namespaceURI === uri) return `${prefix}:${el.localName}`;
  return null;
}

function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

function add(report: WordImportReport, kind: keyof WordImportReport): void {
  report[kind] = (report[kind] ?? 0) + 1;
}

/** Counts what 从 Word 导入 leaves out or changes, by kind. */
export function countUnsupported(doc: XmlDocument): WordImportReport {
  const report: WordImportReport = {};
  const root = doc.documentElement;
  if (root) walk(root, report, { textBoxFallback: false, inObject: false });
  return report;
}

interface Ctx {
  /** Inside an mc:Choice whose mc:Fallback carries the text box's text (mammoth reads the fallback). */
  textBoxFallback: boolean;
  inObject: boolean;
}

function walk(el: Element, report: WordImportReport, ctx: Ctx): void {
  for (const child of childElements(el)) {
    const name = qualified(child);
    switch (name) {
      case "mc:AlternateContent": {
        const [choice] = childElements(child).filter((c) => qualified(c) === "mc:Choice");
        const [fallback] = childElements(child).filter((c) => qualified(c) === "mc:Fallback");
        const fallbackText = Boolean(fallback && fallback.getElementsByTagNameNS(NS.w, "txbxContent").length);
        if (choice) walk(choice, report, { ...ctx, textBoxFallback: fallbackText });
        else if (fallback) walk(fallback, report, ctx);
        continue;
      }
      case "w:ins":
      case "w:del":
        // On w:rPr they mark a paragraph mark, not text.
        if (qualified(el) !== "w:rPr") add(report, "revision");
        break;
      case "w:footnoteReference":
        add(report, "footnote");
        continue;
      case "w:endnoteReference":
        add(report, "endnote");
        continue;
      case "w:commentReference":
        add(report, "comment");
        continue;
      case "m:oMath":
        add(report, "equation");
        continue;
      case "c:chart":
        add(report, "chart");
        continue;
      case "dgm:relIds":
        add(report, "smartArt");
        continue;
      case "w:object":
        add(report, "object");
        walk(child, report, { ...ctx, inObject: true });
        continue;
      case "w:altChunk":
        add(report, "other");
        continue;
      case "pic:pic":
        add(report, "image");
        continue;
      case "v:imagedata":
        // An embedded object's picture is its preview, counted as the object.
        if (!ctx.inObject) add(report, "image");
        continue;
      case "wps:txbx":
        add(report, ctx.textBoxFallback ? "textBoxKept" : "textBoxIgnored");
        break;
      case "v:textbox":
        add(report, "textBoxKept");
        break;
    }
    walk(child, report, ctx);
  }
}

/** Elements mammoth reports as unrecognised that carry nothing to read, or that are counted above. */
const NOT_CONTENT =
  /(Range)?(Start|End)$|^m:|^(w:permStart|w:permEnd|w:proofErr|w:noBreakHyphen|w:softHyphen|w:altChunk|w:object)$/;

/** mammoth's messages that mean content was lost (unrecognised elements with content, errors). */
export function otherFromMammoth(messages: ReadonlyArray<{ type: string; message: string }>): number {
  let n = 0;
  for (const m of messages) {
    if (m.type === "error") n++;
    const element = /^An unrecognised element was ignored: (\S+)/.exec(m.message)?.[1];
    if (element && !NOT_CONTENT.test(element)) n++;
  }
  return n;
}
