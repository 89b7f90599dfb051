import { Agent, request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * A file over the upload limit (8 MB for a consultation) in a body within the body limit (10 MB) is refused with a
 * Chinese message — and the keep-alive connection it came on stays usable: the next request on the
 * same socket is answered (it used to be reset, because abandoning the body destroyed the socket).
 */

let app: RunningServer;
let cookie: string;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  app = await startServer();
  const org = await buildOrg({ kind: "JUSTICE_BUREAU" });
  const user = await buildUser({ org, role: "COORDINATOR" });
  cookie = await buildSessionCookie(user.id);
});

afterAll(async () => {
  agent.destroy();
  await app?.close();
});

function send(
  method: string,
  path: string,
  body?: { data: Buffer; type: string },
): Promise<{ status: number; text: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${app.origin}${path}`,
      {
        method,
        agent,
        headers: {
          Cookie: cookie,
          Origin: app.origin,
          ...(body ? { "Content-Type": body.type, "Content-Length": body.data.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            reused: req.reusedSocket,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body?.data);
  });
}

describe("an upload over the limit", () => {
  it("is refused in Chinese and the keep-alive connection answers the next requests", async () => {
    const first = await send("GET", "/consultations/new");
    expect(first.status).toBe(200);
    const fd = new FormData();
    fd.set("title", "超大附件会商");
    fd.append("files", new Blob([new Uint8Array(9 * 1024 * 1024)], { type: "application/pdf" }), "大文件.pdf");
    const encoded = new Request(`${app.origin}/consultations/new`, { method: "POST", body: fd });
    const big = await send("POST", "/consultations/new", {
      data: Buffer.from(await encoded.arrayBuffer()),
      type: encoded.headers.get("content-type")!,
    });
    expect(big.status).toBe(400);
    expect(big.text).toContain("单个附件不能超过 8 MB");
    expect(big.reused).toBe(true);
    for (let i = 0; i < 3; i++) {
      const next = await send("GET", "/consultations/new");
      expect(next.status).toBe(200);
      expect(next.reused).toBe(true);
    }
  });
});
