import type { Element, Node as XmlNode } from "@xmldom/xmldom";
import { MAX_DOCX_BYTES, openDocx, parseXml } from "./docx-archive";

/**
 * Reading a revised Word file (导入修订稿, ADR 019): the tracked changes (w:ins / w:del) of
 * word/document.xml, paragraph by paragraph with the text around them, so they can be matched onto
 * the current document by their context. mammoth drops tracked changes, so the XML is read here,
 * with limits first (./docx-archive): it is a file from outside.
 */

export const MAX_REVISED_DOCX_BYTES = MAX_DOCX_BYTES;
/** A paragraph's text before and after a change, as far as it is compared. */
const CONTEXT_CHARS = 12;

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

export type SegmentKind = "text" | "insertion" | "deletion";

interface Segment {
  kind: SegmentKind;
  text: string;
  author: string | null;
  date: string | null;
  /** A comment range starting or ending here (an empty segment). */
  comment?: { id: string; edge: "start" | "end" };
}

/** A Word comment (批注) with the text its range covers in one paragraph, and the text around it. */
export interface WordComment {
  author: string | null;
  date: string | null;
  body: string;
  /** The paragraph text its range covers, inserted and deleted text included. */
  quote: string;
  before: string;
  after: string;
}

/** One tracked change with the unchanged text (Word's original) around it in its paragraph. */
export interface WordChange {
  kind: "insertion" | "deletion";
  text: string;
  author: string | null;
  date: string | null;
  before: string;
  after: string;
  /** A deletion directly followed by an insertion (a replacement) shares its group with it. */
  group: number;
  /** The paragraph, as Word shows it with the change marked, for the report of what did not fit. */
  paragraph: string;
}

/** The tracked changes of a .docx, in document order; a Chinese refusal when it is not one. */
export async function readWordChanges(data: Uint8Array): Promise<WordChange[]> {
  return (await readRevisedWord(data)).changes;
}

/** The tracked changes and the comments of a .docx; a Chinese refusal when it is not one. */
export async function readRevisedWord(data: Uint8Array): Promise<{ changes: WordChange[]; comments: WordComment[] }> {
  const docx = await openDocx(data, "修订稿");
  const doc = await parseXml((await docx.text("word/document.xml")) ?? "");
  const commentsXml = await docx.text("word/comments.xml");
  const bodies = commentsXml
    ? commentBodies(await parseXml(commentsXml))
    : new Map<string, { author: string | null; date: string | null; body: string }>();
  const paragraphs = doc.getElementsByTagNameNS(W, "p");
  const out: WordChange[] = [];
  const comments: WordComment[] = [];
  let group = 0;
  for (let i = 0; i < paragraphs.length; i++) {
    const all = collect(paragraphs[i]!, "text", null, null, []);
    comments.push(...commentsIn(all, bodies));
    const segments = merge(all);
    if (!segments.some((s) => s.kind !== "text")) continue;
    const shown = segments
      .map((s) => (s.kind === "deletion" ? `[-${s.text}-]` : s.kind === "insertion" ? `[+${s.text}+]` : s.text))
      .join("");
    segments.forEach((s, index) => {
      if (s.kind === "text") return;
      // Word's original around the change: unchanged and deleted text (what the document had).
      const base = (list: Segment[]) =>
        list
          .filter((x) => x.kind !== "insertion")
          .map((x) => x.text)
          .join("");
      const before = base(segments.slice(0, index)).slice(-CONTEXT_CHARS);
      const after = base(segments.slice(index + 1)).slice(0, CONTEXT_CHARS);
      const replaces = s.kind === "insertion" && segments[index - 1]?.kind === "deletion";
      if (!replaces) group++;
      out.push({ kind: s.kind, text: s.text, author: s.author, date: s.date, before, after, group, paragraph: shown });
    });
  }
  return { changes: out, comments };
}

/** word/comments.xml: each comment's author, date and text (its paragraphs joined by line breaks). */
function commentBodies(doc: Awaited<ReturnType<typeof parseXml>>) {
  const out = new Map<string, { author: string | null; date: string | null; body: string }>();
  const list = doc.getElementsByTagNameNS(W, "comment");
  for (let i = 0; i < list.length; i++) {
    const el = list[i]!;
    const paragraphs = el.getElementsByTagNameNS(W, "p");
    const lines: string[] = [];
    for (let k = 0; k < paragraphs.length; k++)
      lines.push(
        collect(paragraphs[k]!, "text", null, null, [])
          .map((x) => x.text)
          .join(""),
      );
    out.set(el.getAttributeNS(W, "id") ?? "", {
      author: el.getAttributeNS(W, "author"),
      date: el.getAttributeNS(W, "date"),
      body: lines.join("\n").trim(),
    });
  }
  return out;
}

/** The comments whose range starts and ends in this paragraph, with the text around the range. */
function commentsIn(
  segments: Segment[],
  bodies: Map<string, { author: string | null; date: string | null; body: string }>,
): WordComment[] {
  const text = segments.map((x) => x.text).join("");
  const starts = new Map<string, number>();
  const out: WordComment[] = [];
  let offset = 0;
  for (const s of segments) {
    if (s.comment?.edge === "start") starts.set(s.comment.id, offset);
    if (s.comment?.edge === "end" && starts.has(s.comment.id)) {
      const from = starts.get(s.comment.id)!;
      const body = bodies.get(s.comment.id);
      if (body?.body && offset > from)
        out.push({
          author: body.author,
          date: body.date,
          body: body.body,
          quote: text.slice(from, offset),
          before: text.slice(Math.max(0, from - CONTEXT_CHARS), from),
          after: text.slice(offset, offset + CONTEXT_CHARS),
        });
    }
    offset += s.text.length;
  }
  return out;
}

/** The runs of a paragraph as segments, descending into hyperlinks, smart tags and content controls. */
function collect(
  node: XmlNode,
  kind: SegmentKind,
  author: string | null,
  date: string | null,
  out: Segment[],
): Segment[] {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== 1 || (child as Element).namespaceURI !== W) continue;
    const el = child as Element;
    switch (el.localName) {
      case "pPr":
      case "rPr":
        break;
      case "ins":
      case "del":
        collect(
          el,
          el.localName === "ins" ? "insertion" : "deletion",
          el.getAttributeNS(W, "author"),
          el.getAttributeNS(W, "date"),
          out,
        );
        break;
      case "t":
      case "delText":
        out.push({ kind, text: el.textContent ?? "", author, date });
        break;
      case "tab":
        out.push({ kind, text: "\t", author, date });
        break;
      case "commentRangeStart":
      case "commentRangeEnd":
        out.push({
          kind,
          text: "",
          author,
          date,
          comment: {
            id: el.getAttributeNS(W, "id") ?? "",
            edge: el.localName === "commentRangeStart" ? "start" : "end",
          },
        });
        break;
      default:
        collect(el, kind, author, date, out);
    }
  }
  return out;
}

function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.kind === s.kind && last.author === s.author) last.text += s.text;
    else if (s.text) out.push({ ...s, comment: undefined });
  }
  return out;
}
