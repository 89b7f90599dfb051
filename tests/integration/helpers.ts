import { createConsultServer, type ConsultServer, type ServerOptions } from "../../server/app";
import { getDb } from "~/db.server";

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
  await server.ready;
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

/**
 * The courts' quarterly reports (府院联动, ADR 025) with their figures and notable cases, as the
 * suites' database snapshots compare them: a refused request must leave these rows identical.
 */
export function litigationReportRows(courtOrgIds: string[]) {
  return getDb().litigationReport.findMany({
    where: { courtOrgId: { in: courtOrgIds } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      year: true,
      quarter: true,
      status: true,
      submittedAt: true,
      updatedAt: true,
      bulletinDocumentId: true,
      figures: {
        orderBy: { agencyOrgId: "asc" },
        select: {
          agencyOrgId: true,
          filed: true,
          concluded: true,
          lost: true,
          headAppeared: true,
          mediatedWithdrawn: true,
        },
      },
      cases: {
        orderBy: { position: "asc" },
        select: { position: true, agencyOrgId: true, caseNumber: true, cause: true, outcome: true, problem: true },
      },
    },
  });
}

/** The 专题报告 rows of the given units (ADR 026): a generation adds one, with its document. */
export function thematicReportRows(orgIds: string[]) {
  return getDb().thematicReport.findMany({
    where: { orgId: { in: orgIds } },
    orderBy: { id: "asc" },
    select: { id: true, documentId: true, orgId: true, figures: true },
  });
}
