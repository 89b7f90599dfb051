import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { DomainError, ERRORS, invalid, tooLarge } from "~/domain/errors";

extendZodWithOpenApi(z);

/**
 * The contract every /api/v1 handler shares (ADR 027): zod refusals as one Chinese sentence, the
 * JSON body reader, the error schema and the error responses of the OpenAPI document.
 */

const MAX_JSON_BYTES = 64 * 1024;

// --- errors ---

/** A zod refusal as one Chinese sentence (the first issue, with its field). */
export function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return ERRORS.VALIDATION.message;
  const field = issue.path.join(".");
  const where = field ? `字段「${field}」` : "请求内容";
  switch (issue.code) {
    case "unrecognized_keys":
      return `${where}含有不支持的字段：${issue.keys.join("、")}。`;
    case "invalid_type":
      return issue.received === "undefined" ? `${where}为必填项。` : `${where}的类型不正确，应为 ${issue.expected}。`;
    case "too_big":
      return `${where}超出上限（最大 ${String(issue.maximum)}）。`;
    case "too_small":
      return `${where}低于下限（最小 ${String(issue.minimum)}）。`;
    case "invalid_enum_value":
      return `${where}的取值无效，可选：${issue.options.join("、")}。`;
    default:
      return `${where}无效。`;
  }
}

export function parseOr400<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(zodMessage(parsed.error));
  return parsed.data;
}

/** The request's JSON body: application/json, at most 64 KB, well-formed. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new DomainError("BAD_REQUEST", "请求体应为 JSON（Content-Type: application/json）。");
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_JSON_BYTES) throw tooLarge(`请求体不能超过 ${MAX_JSON_BYTES / 1024} KB。`);
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > MAX_JSON_BYTES) throw tooLarge(`请求体不能超过 ${MAX_JSON_BYTES / 1024} KB。`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DomainError("BAD_REQUEST", "请求体不是合法的 JSON。");
  }
}

export const ErrorSchema = z
  .object({
    error: z.object({
      id: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...Array<keyof typeof ERRORS>]),
      message: z.string().openapi({ description: "中文说明", example: "接口令牌无效、已吊销或已过期。" }),
    }),
  })
  .openapi("Error");

export const isoDate = z.string().openapi({ format: "date-time" });

export const iso = (d: Date | null) => d?.toISOString() ?? null;

export const errorResponses = (codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      {
        description: Object.values(ERRORS).find((e) => e.status === code)?.message ?? "错误",
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  );

export const API_MAX_PAGE_SIZE = 200;
export const API_DEFAULT_PAGE_SIZE = 50;

/** `page` and `pageSize` of a paged list (other parameters pass through to the list's own parser). */
export const PageParams = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1).openapi({ description: "页码，从 1 开始" }),
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(API_MAX_PAGE_SIZE)
      .default(API_DEFAULT_PAGE_SIZE)
      .openapi({ description: `每页条数，1–${API_MAX_PAGE_SIZE}` }),
  })
  .passthrough();
