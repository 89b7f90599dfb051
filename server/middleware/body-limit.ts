import type { NextFunction, Request, Response } from "express";

/** Url-encoded forms carry text only: their largest legitimate body is far below a megabyte. */
const FORM_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Refuses bodies declared larger than the limit before anything reads them (url-encoded forms:
 * FORM_MAX_BYTES; multipart uploads: maxBytes).
 */
export function bodyLimit(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers["content-length"] ?? 0);
    const urlEncoded = (req.headers["content-type"] ?? "")
      .toLowerCase()
      .startsWith("application/x-www-form-urlencoded");
    if (declared > (urlEncoded ? Math.min(maxBytes, FORM_MAX_BYTES) : maxBytes)) {
      res.status(413).json({ error: { id: "PAYLOAD_TOO_LARGE", message: "提交的内容过大。" } });
      return;
    }
    next();
  };
}
