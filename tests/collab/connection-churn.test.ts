import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { CollabExtension } from "../../collab/extensions/types";
import { createCollabServer, type CollabServer } from "../../collab/server";

/**
 * Connections dropped while they are still being authenticated leave nothing behind (issue 16): no
 * document, awareness or timer is created for a socket that never joined. Authentication here takes
 * 40 ms (a database across a network), so every drop lands in the middle of it.
 */
let http: Server;
let collab: CollabServer;
let url = "";
let authenticated = 0;

const slowAuthentication: CollabExtension = {
  name: "slow-authentication",
  async onAuthenticate() {
    await new Promise((r) => setTimeout(r, 40));
    authenticated++;
    return {
      userId: "u1",
      sessionId: "s1",
      displayName: "测试",
      orgId: null,
      orgName: null,
      readOnly: false,
      suggestOnly: false,
    };
  },
  // Every real extension stack has disconnect hooks (connection limits, throttle, logger).
  onDisconnect() {},
};

beforeAll(async () => {
  collab = createCollabServer({ extensions: [slowAuthentication] });
  http = createServer();
  http.on("upgrade", (req, socket, head) => collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/collab/churn-doc`;
});
afterAll(async () => {
  await collab.close();
  await new Promise((r) => http.close(r));
});

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

function dropMidAuthentication(): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on("open", () => ws.terminate());
    ws.on("close", () => resolve());
    ws.on("error", () => resolve());
  });
}

describe("connections dropped mid-authentication", () => {
  it("1,000 of them add no timers and no heap, and open no document", async () => {
    const round = async (n: number) => {
      for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: 100 }, dropMidAuthentication));
      // Let the server finish the authentications it had started.
      await new Promise((r) => setTimeout(r, 300));
    };
    await round(100);
    gc();
    const before = { timers: timers(), heap: process.memoryUsage().heapUsed, authenticated };
    await round(1000);
    gc();
    const after = { timers: timers(), heap: process.memoryUsage().heapUsed, authenticated };
    console.log(
      `[churn] 1,000 dropped mid-authentication: timers ${before.timers} → ${after.timers}, ` +
        `heap ${(before.heap / 1e6).toFixed(1)} → ${(after.heap / 1e6).toFixed(1)} MB`,
    );
    expect(after.authenticated - before.authenticated).toBe(1000);
    expect(after.timers - before.timers).toBeLessThanOrEqual(5);
    expect(after.heap - before.heap).toBeLessThan(4e6);
    expect(collab.stats()).toMatchObject({ documents: 0, connections: 0 });
  }, 60_000);
});
