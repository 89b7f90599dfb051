import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { requireDocumentAccess } from "~/services/document-access.server";
import { commandContext } from "~/services/context.server";
import { exportDocument, isExportFormat } from "~/services/export-document.server";
import { httpError, orThrowHttp } from "~/utils/errors";

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
function contentDisposition(filename: string): string {
  const safe = [...filename]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '"\\/:*?<>|'.includes(c) ? "_" : c))
    .join("")
    .slice(0, 120);
  const ext = safe.split(".").pop() ?? "bin";
  return `attachment; filename="document.${ext}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}

/**
 * GET /documents/:id/export/docx | docx-comments | pdf — the GB/T 9704 export of a document any
 * member may read; docx-comments adds its open comment threads (批注) as Word comments.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const format = params.format;
  if (!isExportFormat(format)) throw httpError("NOT_FOUND", "不支持的导出格式。");
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const token = new URL(request.url).searchParams.get("progress");
  const out = await orThrowHttp(() =>
    exportDocument(user, facts, format, {
      ...commandContext(request, context),
      progressToken: token && /^[A-Za-z0-9_-]{8,64}$/.test(token) ? token : null,
    }),
  );
  return new Response(new Uint8Array(out.body), {
    headers: {
      "Content-Type": out.contentType,
      "Content-Length": String(out.body.byteLength),
      "Content-Disposition": contentDisposition(out.filename),
      "Cache-Control": "private, no-store",
    },
  });
}
