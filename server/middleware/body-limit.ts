import type { NextFunction, Request, Response } from "express";

/** Refuses bodies declared larger than the limit before anything reads them. */
export function bodyLimit(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      res.status(413).json({ error: { id: "PAYLOAD_TOO_LARGE", message: "提交的内容过大。" } });
      return;
    }
    next();
  };
}
