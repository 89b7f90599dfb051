import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseLedgerQuery } from "~/models/ledger.server";
import { requireUser } from "~/services/auth/current-user.server";
import { exportLedger, XLSX_CONTENT_TYPE } from "~/services/export-ledger.server";
import { clientIp } from "~/utils/request.server";

/**
 * RFC 6266 / 5987: the ASCII fallback and the UTF-8 name, which carries the filters. ' ( ) * are
 * not attr-chars: encoded as well (encodeURIComponent leaves them).
 */
function contentDisposition(filename: string, fallback: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The query of the request. ExportButton appends `?progress=<token>` to its href, which already
 * carries the filters (`…xlsx?kind=…?progress=…`), so the last value reads "…?progress=<token>"
 * (Remix re-serializes the URL, so it arrives as %3F). A literal "?" never occurs in a value the
 * page wrote (URLSearchParams encodes it and none of the filters allow it except the search, where
 * it is split off here as well — a search for "?" is no loss).
 */
function searchParamsOf(request: Request): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of new URL(request.url).searchParams) {
    const at = value.indexOf("?");
    out.append(key, at < 0 ? value : value.slice(0, at));
    if (at >= 0) for (const [k, v] of new URLSearchParams(value.slice(at + 1))) out.append(k, v);
  }
  return out;
}

/** GET /ledger/export.xlsx?<ledger filters>[&progress=<token>] — the filtered ledger as .xlsx, streamed. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = searchParamsOf(request);
  const query = parseLedgerQuery(params);
  const token = params.get("progress");
  const out = await exportLedger(user, query, {
    ip: clientIp(request),
    events: context.events,
    progressToken: token && /^[A-Za-z0-9_-]{8,64}$/.test(token) ? token : null,
  });
  return new Response(out.body, {
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": contentDisposition(out.filename, out.fallbackFilename),
      "Cache-Control": "private, no-store",
      "X-Item-Count": String(out.count),
    },
  });
}
