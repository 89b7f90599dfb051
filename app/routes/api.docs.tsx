import { apiReferenceHtml } from "~/services/api/reference.server";

/** GET /api/docs — the readable reference of the data-exchange API (ADR 027). */
export function loader() {
  return new Response(apiReferenceHtml(), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
