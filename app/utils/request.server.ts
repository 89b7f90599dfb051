import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { getEnv } from "~/env.server";
import { httpError } from "~/utils/errors";
import { invalid } from "~/domain/errors";

/** The client IP: X-Forwarded-For's first hop only when TRUST_PROXY is on (set by the server). */
export function clientIp(request: Request): string | null {
  const fromServer = request.headers.get("x-consult-client-ip");
  if (fromServer) return fromServer;
  if (getEnv().TRUST_PROXY) {
    const xff = request.headers.get("x-forwarded-for");
    if (xff) return xff.split(",")[0].trim();
  }
  return null;
}

/**
 * The site's public origin for absolute links (feeds, invitations, notifications): PUBLIC_URL, never
 * a request's Host header, which anyone can forge; only the demo and tests fall back to the request.
 */
export function publicOrigin(request: Request): string {
  return getEnv().PUBLIC_URL ?? new URL(request.url).origin;
}

const REDIRECT_BASE = "http://consult.invalid";

/**
 * Only a path of this site may be a redirect target (no open redirects): it must start with one "/",
 * hold no control character, whitespace or backslash (browsers strip tabs and newlines and read "\"
 * as "/", so "/\t/host" or "/\\host" would leave the site), and still be on this origin once parsed
 * as a URL. Anything else gives `fallback`. The result is the parsed, percent-encoded path.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string" || to.length > 2000) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f\\\s\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A file from a multipart form, as the attachment checks take it. */
export interface FormFile {
  name: string;
  type: string;
  data: Uint8Array;
}

/**
 * Reads a multipart form with every file part held in memory up to `maxBytes`; a Chinese message
 * instead of an exception when a part is too large or the body cannot be read.
 */
/**
 * `request.formData()` for form routes: a body that cannot be parsed (a truncated or boundary-less
 * multipart body, say) is the client's error — 400 with a Chinese message, never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw httpError("BAD_REQUEST", "提交的表单内容不完整或格式有误，请刷新页面后重新提交。");
  }
  if (holdsNul(form)) throw httpError("BAD_REQUEST", NUL_MESSAGE);
  return form;
}

const NUL_MESSAGE = "提交的内容包含不允许的控制字符，请检查后重试。";

/**
 * No form field name, value or file name may hold a NUL character: PostgreSQL text cannot store one
 * (it would be a 500 there) and no legitimate input contains it. File contents are not checked.
 */
function holdsNul(form: FormData): boolean {
  for (const [name, value] of form.entries()) {
    if (name.includes("\u0000") || (typeof value === "string" ? value : value.name).includes("\u0000")) return true;
  }
  return false;
}

export async function readMultipartForm(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; form: FormData } | { ok: false; message: string }> {
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }),
    );
    return holdsNul(form) ? { ok: false, message: NUL_MESSAGE } : { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return { ok: false, message: `单个附件不能超过 ${maxBytes / 1024 / 1024} MB。` };
    return { ok: false, message: "上传的内容无法读取，请重试。" };
  }
}

/** The non-empty files of a form field. */
export async function formFiles(form: FormData, name: string): Promise<FormFile[]> {
  const out: FormFile[] = [];
  for (const value of form.getAll(name)) {
    if (typeof value === "string" || value.size === 0) continue;
    out.push({ name: value.name, type: value.type, data: new Uint8Array(await value.arrayBuffer()) });
  }
  return out;
}

export function isMultipart(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
}

/**
 * A form that may carry files in its `files` field: multipart when files are attached (read within
 * `maxBytes`), else url-encoded. A multipart body that cannot be read is a Chinese field error on `files`.
 */
export async function readFormWithFiles(
  request: Request,
  maxBytes: number,
): Promise<{ form: FormData; files: FormFile[] }> {
  if (!isMultipart(request)) return { form: await readFormData(request), files: [] };
  const read = await readMultipartForm(request, maxBytes);
  if (!read.ok) throw invalid(read.message, { files: [read.message] });
  return { form: read.form, files: await formFiles(read.form, "files") };
}
