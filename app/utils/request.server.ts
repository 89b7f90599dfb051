import { getEnv } from "~/env.server";

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

/** Only same-site relative paths may be redirect targets (no open redirects). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
