import { chartWords, parseChartSpec } from "~/domain/chart";
import { CASE_SECTIONS, SECTION_ALIASES, type CaseSection } from "~/domain/typical-case";

/**
 * Reading a typical case's text (ProseMirror JSON): its sections by their headings, keywords, and
 * the plain text the redaction check reads. Pure: used by the server and the browser.
 */

type PM = { type?: unknown; text?: unknown; content?: unknown; attrs?: Record<string, unknown> };

function children(node: PM): PM[] {
  return Array.isArray(node.content) ? (node.content as PM[]) : [];
}

/** The text of a node, blocks separated by newlines. */
export function nodeText(node: PM): string {
  if (typeof node.text === "string") return node.text;
  if (node.type === "hardBreak") return "\n";
  const kids = children(node);
  const inline = kids.every((k) => typeof k.text === "string" || k.type === "hardBreak");
  return kids.map(nodeText).join(inline ? "" : "\n");
}

/** A heading's section name, with numbering (一、 / 1. / 【】) and colons stripped; null when it is not one. */
export function sectionOf(headingText: string): CaseSection | null {
  const name = headingText
    .replace(/^[\s【[（(]*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])?\s*/, "")
    .replace(/[】\]）)：:\s]+$/, "")
    .trim();
  if ((CASE_SECTIONS as readonly string[]).includes(name)) return name as CaseSection;
  return SECTION_ALIASES[name] ?? null;
}

export interface CaseSections {
  /** Text of each section found (trimmed). */
  sections: Partial<Record<CaseSection, string>>;
  /** Required sections that are absent or empty. */
  missing: CaseSection[];
}

/** The sections of a case: each heading named like a section collects the blocks after it. */
export function readCaseSections(doc: unknown): CaseSections {
  const sections: Partial<Record<CaseSection, string>> = {};
  let current: CaseSection | null = null;
  for (const block of children((doc ?? {}) as PM)) {
    if (block.type === "heading") {
      const s = sectionOf(nodeText(block));
      if (s) {
        current = s;
        sections[s] ??= "";
        continue;
      }
    }
    if (current) sections[current] = `${sections[current] ?? ""}\n${nodeText(block)}`;
  }
  for (const key of Object.keys(sections) as CaseSection[]) sections[key] = (sections[key] ?? "").trim();
  return { sections, missing: CASE_SECTIONS.filter((s) => !sections[s]) };
}

/** Keywords from the 关键词 section: split on 、，,；; and spaces, deduplicated, at most 10. */
export function caseKeywords(sections: CaseSections["sections"]): string[] {
  return [
    ...new Set(
      (sections.关键词 ?? "")
        .split(/[、，,；;\s]+/)
        .map((k) => k.trim())
        .filter((k) => k.length > 0 && k.length <= 20),
    ),
  ].slice(0, 10);
}

/** The whole text of a case as the redaction check reads it: blocks separated by newlines. */
export function caseText(doc: unknown): string {
  return nodeText((doc ?? {}) as PM);
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/**
 * Everything of a case that reaches the public page besides its text (ADR 015): link addresses (with
 * %-escapes decoded, so `sfz=330102…` and `tel%3D138…` read as written), images' alternative text
 * and titles, and a figure's caption and the words of its chart (title, categories, series). The
 * redaction check reads these too, one per line.
 */
export function caseAttributeText(doc: unknown): string {
  const out: string[] = [];
  const visit = (node: PM) => {
    for (const mark of Array.isArray((node as { marks?: unknown }).marks) ? (node as { marks: PM[] }).marks : []) {
      const href = mark.attrs?.href;
      if (mark.type === "link" && typeof href === "string" && href) out.push(decoded(href));
    }
    if (node.type === "statChart") {
      const caption = node.attrs?.caption;
      if (typeof caption === "string" && caption) out.push(caption);
      const spec = parseChartSpec(node.attrs?.spec);
      if (spec) out.push(chartWords(spec));
    }
    for (const key of ["alt", "title", "src", "href"]) {
      const value = node.attrs?.[key];
      if (typeof value === "string" && value) out.push(key === "src" || key === "href" ? decoded(value) : value);
    }
    children(node).forEach(visit);
  };
  visit((doc ?? {}) as PM);
  return [...new Set(out)].join("\n");
}

/** One finding of the 脱敏检查 (defined with the case vocabulary, which the case panel reads). */
export type { CaseFinding } from "~/domain/typical-case";
