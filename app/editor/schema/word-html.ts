/**
 * Word's structure in the editor's schema (ADR 020), one module for both ways in:
 * - 从 Word 导入: the HTML mammoth makes of a .docx (app/services/import/word-document.server.ts);
 * - paste from Word or WPS: the clipboard's HTML, before the editor parses it (./word-paste.ts).
 * Both go through `normalizeWordHtml`, so a document reads the same however it came in.
 *
 * The 公文 heading rule (`gongwenHeadingLevel`): a paragraph that starts with 公文 numbering becomes a
 * heading of that level — 一、 → 1, （一） → 2, 1. / 1． → 3, （1） → 4 — when it reads as a heading:
 * at most HEADING_MAX_CHARS characters, something after the number, no sentence inside it (no 。！？；
 * before its end), and no sentence end (。！？；) at its end unless the whole paragraph is bold (a
 * bold run-in heading such as “（一）加强组织领导。”). Long or sentence-like numbered paragraphs
 * (“1. 各单位要……。”) stay body paragraphs. Only paragraphs directly in the body count, never those in
 * lists, tables or quotes. The typed number stays in the heading's text: our headings do not number
 * themselves (the export writes the text as it is, app/services/export/blocks.ts).
 */

export type GongwenLevel = 1 | 2 | 3 | 4;

export const HEADING_MAX_CHARS = 40;

const CN_DIGITS = "一二三四五六七八九十百零〇";
const NUMBERING: ReadonlyArray<readonly [RegExp, GongwenLevel]> = [
  [new RegExp(`^[${CN_DIGITS}]+、`), 1],
  [new RegExp(`^[（(][${CN_DIGITS}]+[）)]`), 2],
  [/^[0-9０-９]{1,3}[.．](?![0-9０-９])/, 3],
  [/^[（(][0-9０-９]{1,3}[）)]/, 4],
];
const SENTENCE_END = /[。！？；!?;]/;
const SPACE = /^[\s\u3000]+|[\s\u3000]+$/g;

/** The 公文 numbering a text starts with and its level, or null. */
export function gongwenNumbering(text: string): { number: string; level: GongwenLevel } | null {
  const t = text.replace(SPACE, "");
  for (const [re, level] of NUMBERING) {
    const m = re.exec(t);
    if (m) return { number: m[0], level };
  }
  return null;
}

/** The heading level a paragraph with this text takes under the rule above, or null (it stays a paragraph). */
export function gongwenHeadingLevel(text: string, allBold: boolean): GongwenLevel | null {
  const t = text.replace(SPACE, "");
  if (!t || [...t].length > HEADING_MAX_CHARS) return null;
  const numbering = gongwenNumbering(t);
  if (!numbering) return null;
  const rest = t.slice(numbering.number.length).replace(SPACE, "");
  if (!rest) return null;
  const endsSentence = SENTENCE_END.test(rest.slice(-1));
  if (SENTENCE_END.test(endsSentence ? rest.slice(0, -1) : rest)) return null;
  if (endsSentence && !allBold) return null;
  return numbering.level;
}

/** True for clipboard HTML written by Word or WPS (not our own editor's, not a web page's). */
export function isWordHtml(html: string): boolean {
  return /urn:schemas-microsoft-com:office|class="?Mso|mso-|content="?(Microsoft Word|WPS)|<o:p>/i.test(html);
}

const ELEMENT = 1;
const TEXT = 3;
const COMMENT = 8;

/**
 * Turns Word's markup inside `root` into the HTML the schema parses, in place: comments, Office
 * namespaced elements (o:p, v:shape…), style sheets and pictures go; Word's list paragraphs (mso-list)
 * become real <ul>/<ol> with <li>; MsoHeading paragraphs become headings; mso-* styles and Mso classes
 * go; then the 公文 heading rule. Works on any DOM (the browser's, or happy-dom on the server).
 */
export function normalizeWordHtml(root: Element): void {
  readListMarkers(root);
  removeNoise(root);
  convertListParagraphs(root);
  for (const p of Array.from(root.querySelectorAll("p"))) {
    const m = /\bMsoHeading([1-6])\b/.exec(p.getAttribute("class") ?? "");
    if (m) replaceTag(p, `h${m[1]}`);
  }
  cleanAttributes(root);
  applyHeadingRule(root);
}

function removeNoise(node: Node): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === COMMENT) {
      child.remove();
      continue;
    }
    if (child.nodeType !== ELEMENT) continue;
    const el = child as Element;
    const tag = el.tagName.toLowerCase();
    if (tag.includes(":") || ["style", "meta", "link", "script", "title", "xml", "img", "head"].includes(tag)) {
      el.remove();
      continue;
    }
    // The number Word shows before a list paragraph (its own list item gives it back).
    if (/mso-list:\s*ignore/i.test(el.getAttribute("style") ?? "")) {
      el.remove();
      continue;
    }
    removeNoise(el);
  }
}

interface ListInfo {
  list: string;
  level: number;
  ordered: boolean;
  start: number;
}

/** A Word list paragraph's list id, level and kind (from mso-list and its marker), or null. */
function listInfo(p: Element, marker: string): ListInfo | null {
  const m = /mso-list:\s*(l\d+)\s+level(\d+)/i.exec(p.getAttribute("style") ?? "");
  if (!m) return null;
  const mark = marker.replace(/[\s\u00a0\u3000]+/g, "");
  const digits = /^[(（]?(\d+)[.．)）、]?$/.exec(mark);
  const ordered = Boolean(digits) || /^[(（]?[A-Za-z一二三四五六七八九十ivxIVX]+[.．)）、]$/.test(mark);
  return { list: m[1]!.toLowerCase(), level: Number(m[2]), ordered, start: digits ? Number(digits[1]) : 1 };
}

const MSO_LIST = /mso-list:\s*l\d+\s+level\d+/i;

/** The marker span (mso-list:Ignore) Word puts first in a numbered paragraph: what it shows. */
function markerSpan(el: Element): Element | undefined {
  return Array.from(el.querySelectorAll("span")).find((s) => /mso-list:\s*ignore/i.test(s.getAttribute("style") ?? ""));
}

/**
 * Before the marker spans go: a list paragraph keeps its marker for `listInfo`; a heading's number,
 * and 公文 numbering (一、 （一） （1）) that Word numbered itself, become text again — our schema has no
 * lists numbered that way, and the heading rule reads them.
 */
function readListMarkers(root: Element): void {
  for (const el of Array.from(root.querySelectorAll("p, h1, h2, h3, h4, h5, h6"))) {
    if (!MSO_LIST.test(el.getAttribute("style") ?? "")) continue;
    const span = markerSpan(el);
    const marker = (span?.textContent ?? "").replace(/[\s\u00a0\u3000]+/g, "");
    const numbering = gongwenNumbering(marker);
    const inline = el.tagName.toLowerCase() !== "p" || (numbering !== null && numbering.level !== 3);
    if (!inline) {
      el.setAttribute("data-word-marker", marker);
      continue;
    }
    el.setAttribute("style", (el.getAttribute("style") ?? "").replace(/mso-list:[^;]*;?/gi, ""));
    if (marker) prependText(el, span!, marker);
  }
}

/** Puts `text` at the start of the first text after `skip`, so it takes that run's formatting. */
function prependText(el: Element, skip: Element, text: string): void {
  const walker = el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (skip.contains(n) || !(n.textContent ?? "").trim()) continue;
    n.textContent = text + (n.textContent ?? "");
    return;
  }
  el.appendChild(el.ownerDocument.createTextNode(text));
}

function convertListParagraphs(root: Element): void {
  const paragraphs = Array.from(root.querySelectorAll("p")).filter((p) => MSO_LIST.test(p.getAttribute("style") ?? ""));
  const infos = new Map<Element, ListInfo>();
  for (const p of paragraphs) {
    const info = listInfo(p, p.getAttribute("data-word-marker") ?? "");
    p.removeAttribute("data-word-marker");
    if (info) infos.set(p, info);
  }
  const done = new Set<Element>();
  for (const p of paragraphs) {
    if (done.has(p) || !infos.has(p)) continue;
    const run: Element[] = [p];
    for (let next = nextElement(p); next && infos.has(next); next = nextElement(next)) run.push(next);
    run.forEach((x) => done.add(x));
    buildList(run, infos);
  }
}

function nextElement(el: Element): Element | null {
  let n = el.nextSibling;
  while (n && n.nodeType !== ELEMENT) {
    if (n.nodeType === TEXT && (n.textContent ?? "").trim()) return null;
    n = n.nextSibling;
  }
  return n as Element | null;
}

/** One run of consecutive list paragraphs as nested lists, where the run was. */
function buildList(run: Element[], infos: Map<Element, ListInfo>): void {
  const doc = run[0]!.ownerDocument;
  const stack: Array<{ level: number; list: Element; info: ListInfo; item: Element | null }> = [];
  const anchor = doc.createElement("div");
  run[0]!.before(anchor);
  for (const p of run) {
    const info = infos.get(p)!;
    while (stack.length && stack[stack.length - 1]!.level > info.level) stack.pop();
    let top = stack[stack.length - 1];
    if (top && top.level === info.level && (top.info.list !== info.list || top.info.ordered !== info.ordered)) {
      stack.pop();
      top = stack[stack.length - 1];
    }
    if (!top || top.level < info.level) {
      const list = doc.createElement(info.ordered ? "ol" : "ul");
      if (info.ordered && info.start !== 1) list.setAttribute("start", String(info.start));
      const parent = top?.item ?? anchor;
      parent.appendChild(list);
      top = { level: info.level, list, info, item: null };
      stack.push(top);
    }
    const li = doc.createElement("li");
    const para = doc.createElement("p");
    while (p.firstChild) para.appendChild(p.firstChild);
    li.appendChild(para);
    top.list.appendChild(li);
    top.item = li;
    p.remove();
  }
  anchor.replaceWith(...Array.from(anchor.childNodes));
}

function replaceTag(el: Element, tag: string): Element {
  const next = el.ownerDocument.createElement(tag);
  while (el.firstChild) next.appendChild(el.firstChild);
  el.replaceWith(next);
  return next;
}

function cleanAttributes(root: Element): void {
  for (const el of [root, ...Array.from(root.querySelectorAll("*"))]) {
    const style = el.getAttribute("style");
    if (style !== null) {
      const kept = style
        .split(";")
        .map((d) => d.trim())
        .filter((d) => d && !/^mso-/i.test(d))
        .join(";");
      if (kept) el.setAttribute("style", kept);
      else el.removeAttribute("style");
    }
    const cls = el.getAttribute("class");
    if (cls !== null && /\bMso/.test(cls)) el.removeAttribute("class");
    for (const name of ["lang", "align"]) el.removeAttribute(name);
  }
}

const BOLD_TAGS = new Set(["b", "strong"]);
const NOT_TOP = new Set(["li", "td", "th", "table", "ul", "ol", "blockquote"]);

/** True when every visible character of `p` is bold (<b>, <strong>, or a bold font-weight). */
function allBold(p: Element): boolean {
  let any = false;
  const walk = (node: Node, bold: boolean): boolean => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT) {
        if (!(child.textContent ?? "").replace(/[\s\u00a0\u3000]/g, "")) continue;
        any = true;
        if (!bold) return false;
      } else if (child.nodeType === ELEMENT) {
        const el = child as Element;
        const weight = /font-weight:\s*(bold|[6-9]00)/i.test(el.getAttribute("style") ?? "");
        const normal = /font-weight:\s*(normal|[1-4]00)/i.test(el.getAttribute("style") ?? "");
        const b = normal ? false : bold || weight || BOLD_TAGS.has(el.tagName.toLowerCase());
        if (!walk(el, b)) return false;
      }
    }
    return true;
  };
  return walk(p, false) && any;
}

function isTopLevel(p: Element, root: Element): boolean {
  for (let el = p.parentElement; el && el !== root; el = el.parentElement)
    if (NOT_TOP.has(el.tagName.toLowerCase())) return false;
  return true;
}

function applyHeadingRule(root: Element): void {
  for (const p of Array.from(root.querySelectorAll("p"))) {
    if (!isTopLevel(p, root)) continue;
    const level = gongwenHeadingLevel(p.textContent ?? "", allBold(p));
    if (!level) continue;
    const heading = replaceTag(p, `h${level}`);
    heading.setAttribute("data-level", String(level));
    // The heading's own face carries the weight: its text loses the bold it had as a paragraph.
    for (const b of Array.from(heading.querySelectorAll("b, strong"))) b.replaceWith(...Array.from(b.childNodes));
  }
}
