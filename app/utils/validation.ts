import { ID_PATTERN } from "~/domain/ids";
import { z } from "zod";
import { invalid, type DomainError, type FieldErrors } from "~/domain/errors";

/**
 * Chinese messages for every zod issue, so that a wrong type, a missing field or an over-long
 * value reads as a sentence to the user instead of "Expected string, received number".
 */
const zhErrorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === "undefined" || issue.received === "null") return { message: "此项为必填项" };
      return { message: "格式不正确" };
    case z.ZodIssueCode.too_small:
      if (issue.type === "string")
        return { message: issue.minimum === 1 ? "此项为必填项" : `至少需要 ${issue.minimum} 个字符` };
      if (issue.type === "array") return { message: `至少选择 ${issue.minimum} 项` };
      return { message: `不能小于 ${issue.minimum}` };
    case z.ZodIssueCode.too_big:
      if (issue.type === "string") return { message: `不能超过 ${issue.maximum} 个字符` };
      if (issue.type === "array") return { message: `最多选择 ${issue.maximum} 项` };
      return { message: `不能大于 ${issue.maximum}` };
    case z.ZodIssueCode.invalid_enum_value:
      return { message: "请选择有效的选项" };
    case z.ZodIssueCode.invalid_string:
      return { message: "格式不正确" };
    case z.ZodIssueCode.invalid_date:
      return { message: "日期无效" };
    default:
      return { message: ctx.defaultError.startsWith("Required") ? "此项为必填项" : "填写的内容有误" };
  }
};
z.setErrorMap(zhErrorMap);

/** Control characters other than tab/newline are never valid in text fields. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** True when a multi-line text holds a control character other than tab, CR or LF (NUL breaks PostgreSQL text). */
export function hasControlChars(s: string): boolean {
  return CONTROL_CHARS.test(s);
}

/** A trimmed single-line text with Chinese messages. */
export function text(opts: { max: number; min?: number; label?: string }) {
  return z
    .string({ required_error: "此项为必填项", invalid_type_error: "格式不正确" })
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(opts.min ?? 1, opts.min && opts.min > 1 ? `至少需要 ${opts.min} 个字符` : "此项为必填项")
        .max(opts.max, `不能超过 ${opts.max} 个字符`)
        .refine((s) => !CONTROL_CHARS.test(s), "包含不允许的控制字符")
        .refine((s) => !/[\r\n]/.test(s), "不能包含换行"),
    );
}

/**
 * An optional trimmed text: empty becomes null. No pipe: conform's coercion treats a pipe's output
 * schema as required, so the checks sit on the input string.
 */
export function optionalText(opts: { max: number; /** One message for every refusal. */ message?: string }) {
  return z
    .string({ invalid_type_error: opts.message ?? "格式不正确" })
    .max(opts.max, opts.message ?? `不能超过 ${opts.max} 个字符`)
    .refine((s) => !CONTROL_CHARS.test(s), opts.message ?? "包含不允许的控制字符")
    .optional()
    .transform((s) => {
      const t = (s ?? "").trim();
      return t === "" ? null : t;
    });
}

export const idField = z.string({ required_error: "此项为必填项" }).regex(ID_PATTERN, "选择无效");

export const usernameField = z
  .string({ required_error: "请输入用户名" })
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(3, "用户名至少 3 个字符")
      .max(32, "用户名不能超过 32 个字符")
      .regex(/^[a-z0-9][a-z0-9._-]*$/, "用户名只能包含小写字母、数字、点、下划线和连字符，且以字母或数字开头"),
  );

export { z };

/** A list typed one entry per line (or separated by 、，,；;): trimmed, deduplicated, blanks dropped. */
export function lineListField(opts: { maxChars: number }) {
  return z
    .string({ invalid_type_error: "格式不正确" })
    .max(opts.maxChars, `不能超过 ${opts.maxChars} 个字符`)
    .refine((s) => !CONTROL_CHARS.test(s.replace(/[\r\n]/g, "")), "包含不允许的控制字符")
    .default("")
    .transform((s) => [
      ...new Set(
        s
          .split(/[\r\n、，,；;]+/)
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    ]);
}

/** The issues of a failed parse per field (the first path segment), in Chinese. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) (fieldErrors[String(issue.path[0])] ??= []).push(issue.message);
  return fieldErrors;
}

/** A failed parse as the command contract's refusal: the first message, and every message per field. */
export function invalidInput(error: z.ZodError, fallback = "填写的内容有误。"): DomainError {
  return invalid(error.issues[0]?.message ?? fallback, zodFieldErrors(error));
}
