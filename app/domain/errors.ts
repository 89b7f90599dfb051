/**
 * The one error contract (ADR 016). Commands (app/services) and helpers throw a `DomainError` with a
 * stable id and a Chinese message; the edges turn it into what their callers understand:
 * - routes: an HTTP status and `{ error }` (app/utils/http.server.ts: `runAction`, `errorResponse`);
 * - the collab server: a close code (app/protocol/collab.ts: `closeCodeFor`);
 * - socket.io: an acknowledgement `{ ok: false, error }` (server/realtime).
 * Pure and isomorphic: the browser may read the ids and messages too.
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

/** Messages per form field (zod/conform field paths), in Chinese. */
export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  readonly id: ErrorId;
  readonly status: number;
  readonly fieldErrors: FieldErrors | undefined;
  constructor(id: ErrorId, message?: string, fieldErrors?: FieldErrors) {
    super(message ?? ERRORS[id].message);
    this.name = "DomainError";
    this.id = id;
    this.status = ERRORS[id].status;
    this.fieldErrors = fieldErrors;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** The record does not exist — or the caller may not know that it does (the same answer). */
export const notFound = (message?: string) => new DomainError("NOT_FOUND", message);
/** Not signed in, or credentials that do not match (the same words for an unknown user and a wrong password). */
export const unauthenticated = (message?: string) => new DomainError("UNAUTHENTICATED", message);
/** The caller may not do this; the message says who may (and, for a form, the field it concerns). */
export const forbidden = (message?: string, fieldErrors?: FieldErrors) =>
  new DomainError("FORBIDDEN", message, fieldErrors);
/** The state does not allow it now (already decided, changed meanwhile, a rule of the workflow). */
export const conflict = (message: string) => new DomainError("CONFLICT", message);
/** The input is wrong: a message, and per field where it is known. */
export const invalid = (message: string, fieldErrors?: FieldErrors) =>
  new DomainError("VALIDATION", message, fieldErrors);
export const tooLarge = (message?: string) => new DomainError("PAYLOAD_TOO_LARGE", message);
export const rateLimited = (message?: string) => new DomainError("RATE_LIMITED", message);
export const unavailable = (message?: string) => new DomainError("UNAVAILABLE", message);

/** The first message of a set of field errors (for a form-level notice). */
export function firstFieldMessage(fieldErrors: FieldErrors, fallback = ERRORS.VALIDATION.message): string {
  return Object.values(fieldErrors).find((m) => m.length > 0)?.[0] ?? fallback;
}
