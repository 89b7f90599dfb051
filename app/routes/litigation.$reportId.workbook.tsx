import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { XLSX_CONTENT_TYPE } from "~/services/export-ledger.server";
import { litigationWorkbookFor } from "~/services/litigation.server";
import { orThrowHttp } from "~/utils/errors";
import { attachmentResponse } from "~/utils/file-response.server";

/**
 * GET /litigation/:reportId/workbook — the court's template for the quarter (ADR 025), listing the
 * region's agencies and what the report holds so far, for whoever reads the report.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await orThrowHttp(() => litigationWorkbookFor(user, params.reportId ?? ""));
  return attachmentResponse({
    fileName: file.fileName,
    mimeType: XLSX_CONTENT_TYPE,
    size: file.data.byteLength,
    data: file.data,
    sha256: createHash("sha256").update(file.data).digest("hex"),
  });
}
