/** Types a browser may show inline; everything else downloads. */
const INLINE = new Set(["application/pdf", "image/png", "image/jpeg"]);

/**
 * A stored attachment as a response: inline only for PDF and images, never sniffed, sandboxed, not
 * cached by shared caches (architecture.md "Conventions").
 */
export function attachmentResponse(file: {
  fileName: string;
  mimeType: string;
  size: number;
  data: Uint8Array;
  sha256: string;
}): Response {
  const disposition = INLINE.has(file.mimeType) ? "inline" : "attachment";
  return new Response(new Uint8Array(file.data), {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Length": String(file.size),
      "Content-Disposition": `${disposition}; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      ETag: `"${file.sha256}"`,
    },
  });
}
