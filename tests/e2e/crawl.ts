/**
 * What the crawls of tests/e2e (links in pages.spec.ts, form buttons in button-crawl.spec.ts) share:
 * the links a page offers, and the kind of page an address is.
 */

/** Where every role's crawl starts: the shell's sections. */
export const CRAWL_START = [
  "/",
  "/consultations",
  "/documents",
  "/ledger",
  "/recommendations",
  "/typical-cases",
  "/account",
  "/guide",
];

/** Links the HTML of a page offers, inside the app (no downloads of other origins, no logout). */
export function linksIn(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*\shref="(\/[^"#]*)"/g)) {
    const href = m[1].replaceAll("&amp;", "&");
    if (/^\/(logout|build|assets)\b/.test(href)) continue;
    out.add(href);
  }
  return [...out];
}

/**
 * One address per kind of page: /items/a and /items/b, or /ledger?kind=… and /ledger?sort=…, are the
 * same page under the same rule.
 */
export function pageKind(href: string): string {
  return href.replace(/[?#].*$/, "").replace(/[a-z0-9]{20,}|\d+/g, ":id");
}
