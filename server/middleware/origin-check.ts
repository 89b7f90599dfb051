import type { NextFunction, Request, Response } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function hostOf(value: string): string | null {
  try {
    return new URL(value).host.toLowerCase();
  } catch {
    return null;
  }
}

export function isAllowedOrigin(origin: string, requestHost: string | undefined, allowed: readonly string[]): boolean {
  const host = hostOf(origin);
  if (!host) return false;
  if (requestHost && host === requestHost.toLowerCase()) return true;
  return allowed.some((a) => hostOf(a) === host);
}

/**
 * Refuses state-changing requests from foreign origins (CSRF defence in depth beside SameSite=Lax
 * cookies): Origin, or failing that Referer, must be this site or ALLOWED_ORIGINS. A mutating
 * request that carries a cookie but neither header is refused too.
 */
export function originCheck(allowedOrigins: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const source = req.headers.origin ?? req.headers.referer;
    const host =
      req.headers["x-forwarded-host"] && req.app.get("trust proxy")
        ? String(req.headers["x-forwarded-host"])
        : req.headers.host;
    const ok = source ? isAllowedOrigin(source, host, allowedOrigins) : !req.headers.cookie;
    if (ok) return next();
    res.status(403);
    const body = { error: { id: "FOREIGN_ORIGIN", message: "请求来源不受信任，已拒绝。请从本系统页面提交。" } };
    if ((req.headers.accept ?? "").includes("text/html")) {
      res
        .type("html")
        .send(`<!doctype html><meta charset="utf-8"><title>请求被拒绝</title><p>${body.error.message}</p>`);
    } else {
      res.json(body);
    }
  };
}
