import { openApiDocument } from "~/services/api/v1.server";

/** GET /api/v1/openapi.json — the OpenAPI 3.1 document of the data-exchange API (no token needed). */
export function loader() {
  return new Response(JSON.stringify(openApiDocument(), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
