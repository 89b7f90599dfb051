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

/**
 * Keeps the connection usable when a handler answers before reading the whole body it allowed. The
 * multipart reader stops at a part over the upload limit and leaves the rest of the body unread
 * (paused); Node then resets the keep-alive connection when the next request comes on it, so the
 * client's next request failed (every upload form: a 9 MB file under the 10 MB body limit). When
 * the answer starts and the body has not fully arrived, the rest is read and discarded; the
 * declared length (checked by `bodyLimit`) bounds it, and the request timeout still ends a client
 * that stops sending.
 */
export function drainAbandonedBodies(req: Request, res: Response, next: NextFunction): void {
  if (Number(req.headers["content-length"] ?? 0) > 0) {
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
      if (!req.complete && !req.destroyed) {
        req.removeAllListeners("data");
        req.resume();
      }
      return writeHead.apply(this, args);
    } as Response["writeHead"];
  }
  next();
}
