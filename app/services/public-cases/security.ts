/**
 * The security headers of the public case pages (/cases, /cases/:slug, /cases/feed.xml). They are
 * complete HTML/XML documents without any script or inline style, so the policy allows nothing but
 * the site's own stylesheet and images. Plain constants (no imports): the Express middleware
 * (server/middleware/security.ts) applies them before the routes run, the routes set them again.
 */
export const PUBLIC_CASES_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const PUBLIC_CASES_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": PUBLIC_CASES_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/** True for /cases and everything below it (any letter case, as the router matches). */
export function isPublicCasesPath(path: string): boolean {
  const p = path.toLowerCase();
  return p === "/cases" || p.startsWith("/cases/");
}
