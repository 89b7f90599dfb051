import type { NextFunction, Request, Response } from "express";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Every mutation of the app is an HTML form (urlencoded or multipart): any other body type (JSON,
 * text, XML…) is refused with 415 and a Chinese message before a route tries to read it, instead of
 * failing inside `request.formData()`. socket.io's own transport never reaches Express. The
 * data-exchange API (/api/v1/, ADR 027) reads JSON and refuses other bodies itself, in its own shape.
 */
export function formBodyOnly(req: Request, res: Response, next: NextFunction): void {
  if (!MUTATING.has(req.method) || req.path.startsWith("/socket.io/") || req.path.startsWith("/api/v1/")) return next();
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  // A multipart body without a boundary cannot be read: refuse it here rather than fail in the route.
  if (hasBody && type.startsWith("multipart/form-data") && !/;\s*boundary=("?)[^";]+\1/.test(type)) {
    res.status(400).json({ error: { id: "MALFORMED_BODY", message: "提交的表单格式不正确，请刷新页面后重试。" } });
    return;
  }
  if (!hasBody || FORM_TYPES.some((t) => type.startsWith(t))) return next();
  res.status(415).json({ error: { id: "UNSUPPORTED_MEDIA_TYPE", message: "请通过页面表单提交：不支持该内容类型。" } });
}
