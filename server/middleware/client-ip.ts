import type { NextFunction, Request, Response } from "express";

export const CLIENT_IP_HEADER = "x-consult-client-ip";

/**
 * Resolves the client IP once (Express's trust-proxy setting decides whether X-Forwarded-For
 * counts) and passes it to Remix in a header that clients cannot forge: an incoming copy is always
 * overwritten.
 */
export function clientIp(req: Request, _res: Response, next: NextFunction): void {
  const ip = (req.ip ?? req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  req.headers[CLIENT_IP_HEADER] = ip || "unknown";
  next();
}
