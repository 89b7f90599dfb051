import { createConsultServer, type ConsultServer, type ServerOptions } from "../../server/app";

export interface RunningServer {
  server: ConsultServer;
  origin: string;
  /** fetch against the server with same-origin headers for mutations. */
  request(path: string, init?: RequestInit & { cookie?: string; form?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/** Starts the real server (Remix build, socket.io, upgrade routing) on a random loopback port. */
export async function startServer(options: Omit<ServerOptions, "log"> = {}): Promise<RunningServer> {
  const server = await createConsultServer({ log: () => undefined, ...options });
  const port = await server.listen(0, "127.0.0.1");
  const origin = `http://127.0.0.1:${port}`;
  return {
    server,
    origin,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.cookie) headers.set("Cookie", init.cookie);
      let body = init.body;
      if (init.form) {
        body = new URLSearchParams(init.form).toString();
        headers.set("Content-Type", "application/x-www-form-urlencoded");
      }
      const method = init.method ?? (init.form ? "POST" : "GET");
      if (method !== "GET" && !headers.has("Origin")) headers.set("Origin", origin);
      return fetch(`${origin}${path}`, { ...init, method, headers, body, redirect: "manual" });
    },
    close: () => server.close(),
  };
}

/** "name=value" of the Set-Cookie header, or null. */
export function sessionCookieFrom(res: Response): string | null {
  const raw = res.headers.get("set-cookie");
  if (!raw) return null;
  const pair = raw.split(";")[0];
  return pair.endsWith("=") ? null : pair;
}
