import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { isPublicCasesPath, PUBLIC_CASES_SECURITY_HEADERS } from "../../app/services/public-cases/security";

/**
 * Per-request CSP nonce and security headers. Remix's inline hydration scripts carry the nonce
 * (app/entry.server.tsx), so script-src needs no 'unsafe-inline'.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  const nonce = randomBytes(16).toString("base64");
  res.locals.nonce = nonce;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self' ws: wss:",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  res.removeHeader("X-Powered-By");
  if (isPublicCasesPath(req.path)) publicCasesHeaders(res);
  next();
}

/**
 * The public case pages (no sign-in, no script at all) get the strict policy, also when no route
 * matches. The routes set the same headers: Remix's adapter appends response headers, so here a
 * route's value of these headers replaces the default instead of adding a second one.
 */
function publicCasesHeaders(res: Response): void {
  for (const [name, value] of Object.entries(PUBLIC_CASES_SECURITY_HEADERS)) res.setHeader(name, value);
  const owned = new Set(Object.keys(PUBLIC_CASES_SECURITY_HEADERS).map((n) => n.toLowerCase()));
  const append = res.append.bind(res);
  res.append = (field: string, value?: string | string[]) =>
    value !== undefined && owned.has(field.toLowerCase()) ? res.set(field, value) : append(field, value);
}
