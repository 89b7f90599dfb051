/**
 * Typed errors with a stable id and HTTP status. Remix routes throw Responses through
 * `invariantResponse` / `httpError`; code outside Remix (server, collab, realtime) uses `AppError`.
 * The Chinese message is what the UI shows; `id` is for clients and logs.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, message: "请求内容有误，请检查后重试。" },
  VALIDATION: { status: 400, message: "填写的内容有误，请按提示修改。" },
  UNAUTHENTICATED: { status: 401, message: "请先登录。" },
  FORBIDDEN: { status: 403, message: "您没有权限访问此页面或执行此操作。" },
  FOREIGN_ORIGIN: { status: 403, message: "请求来源不受信任，已拒绝。请从本系统页面提交。" },
  NOT_FOUND: { status: 404, message: "您要找的页面或数据不存在，可能已被删除。" },
  CONFLICT: { status: 409, message: "数据已被他人修改，请刷新后重试。" },
  PAYLOAD_TOO_LARGE: { status: 413, message: "提交的内容过大。" },
  RATE_LIMITED: { status: 429, message: "操作过于频繁，请稍后再试。" },
  UNAVAILABLE: { status: 503, message: "服务暂时不可用，请稍后重试。" },
  INTERNAL: { status: 500, message: "系统出现错误，我们已记录。请稍后重试。" },
} as const;

export type ErrorId = keyof typeof ERRORS;

export class AppError extends Error {
  readonly id: ErrorId;
  readonly status: number;
  constructor(id: ErrorId, message?: string) {
    super(message ?? ERRORS[id].message);
    this.id = id;
    this.status = ERRORS[id].status;
  }
}

export interface ErrorBody {
  error: { id: ErrorId; message: string };
}

export function errorBody(id: ErrorId, message?: string): ErrorBody {
  return { error: { id, message: message ?? ERRORS[id].message } };
}

/** A JSON Response carrying a typed error; thrown from loaders/actions. */
export function httpError(id: ErrorId, message?: string): Response {
  return new Response(JSON.stringify(errorBody(id, message)), {
    status: ERRORS[id].status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

export function invariantResponse(condition: unknown, id: ErrorId, message?: string): asserts condition {
  if (!condition) throw httpError(id, message);
}
