import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { relay } from "../../collab/extensions/relay";
import type { CollabExtension, CollabIdentity } from "../../collab/extensions/types";
import type { CollabRelay, RelayEnvelope, RelayMessage } from "../../collab/relay";
import { createCollabServer, type CollabServer } from "../../collab/server";
import { CloseCode } from "../../app/protocol/collab";
import { connectClient, waitFor, type TestClient } from "./client";

/**
 * The relay extension between two collab servers in one process, over an in-memory transport that
 * behaves like Redis pub/sub (one channel per document, delivery to the other subscribers only,
 * asynchronous). The drills in tests/scale-out run the same thing over real Redis and nginx.
 */
function createBus() {
  const channels = new Map<string, Map<string, (envelope: RelayEnvelope) => void>>();
  const published: Array<{ from: string; documentId: string; message: RelayMessage }> = [];
  const transport = (processId: string, options: { mute?: boolean } = {}) => {
    const resync: Array<() => void> = [];
    const relayOf: CollabRelay & { resync(): void } = {
      processId,
      async join(documentId, onMessage) {
        const channel = channels.get(documentId) ?? new Map();
        channels.set(documentId, channel);
        channel.set(processId, onMessage);
        return channel.size - 1;
      },
      leave(documentId) {
        channels.get(documentId)?.delete(processId);
      },
      publish(documentId, message) {
        if (options.mute) return;
        published.push({ from: processId, documentId, message });
        for (const [id, handler] of channels.get(documentId) ?? [])
          if (id !== processId) setImmediate(() => handler({ from: processId, message }));
      },
      onResync(listener) {
        resync.push(listener);
      },
      onPeerLost() {},
      async close() {},
      resync() {
        for (const l of resync) l();
      },
    };
    return relayOf;
  };
  return { transport, published, channels };
}

const identity = (userId: string): CollabIdentity => ({
  userId,
  sessionId: `s-${userId}`,
  displayName: userId,
  orgId: null,
  orgName: null,
  readOnly: false,
  suggestOnly: false,
});
const anyone: CollabExtension = {
  name: "anyone",
  async onAuthenticate({ request }) {
    return identity(String(request.headers.cookie ?? "u").replace("u=", ""));
  },
};

async function listen(collab: CollabServer): Promise<{ http: Server; origin: string }> {
  const http = createServer();
  http.on("upgrade", (req, socket, head) => collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
  return { http, origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

const bus = createBus();
const transports = { a: bus.transport("a"), b: bus.transport("b"), mute: bus.transport("mute", { mute: true }) };
const servers: Array<{ collab: CollabServer; http: Server; origin: string }> = [];
const clients: TestClient[] = [];
let a: (typeof servers)[number];
let b: (typeof servers)[number];
let mute: (typeof servers)[number];

beforeAll(async () => {
  for (const t of [transports.a, transports.b, transports.mute]) {
    const collab = createCollabServer({ extensions: [relay(t), anyone] });
    servers.push({ collab, ...(await listen(collab)) });
  }
  [a, b, mute] = servers;
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) {
    await s.collab.close();
    await new Promise((r) => s.http.close(r));
  }
});

function client(server: (typeof servers)[number], documentId: string, user: string) {
  const c = connectClient(server.origin, documentId, `u=${user}`);
  clients.push(c);
  return c;
}

const append = (text: string) => (doc: Y.Doc) => doc.getText("t").insert(doc.getText("t").length, text);

describe("relay extension", () => {
  it("carries updates and presence both ways; a server change starts from the other process's state", async () => {
    const onA = client(a, "doc-1", "alice");
    await onA.synced();
    onA.type("甲");
    await waitFor(() => bus.published.some((p) => p.from === "a" && p.message.kind === "update"), 3000, "publish");
    const onB = client(b, "doc-1", "bob");
    await onB.synced();
    await waitFor(() => onB.text() === "甲", 3000, "a's update on b");
    onB.type("乙");
    await waitFor(() => onA.text() === "甲乙", 3000, "b's update on a");
    onA.provider.awareness.setLocalStateField("cursor", 1);
    await waitFor(
      () => [...onB.provider.awareness.getStates().values()].some((s) => (s.user as { id?: string })?.id === "alice"),
      3000,
      "a's presence on b, stamped by a",
    );
    expect(bus.channels.get("doc-1")?.size).toBe(2);
  });

  it("a document opened by a server change waits for the peers' state, then its change reaches their clients", async () => {
    const onA = client(a, "doc-2", "alice");
    await onA.synced();
    onA.type("已有");
    await waitFor(() => bus.published.some((p) => p.documentId === "doc-2" && p.message.kind === "update"));
    let seen = "";
    await b.collab.applyChange("doc-2", identity("server"), (doc) => {
      seen = doc.getText("t").toString();
      append("+恢复")(doc);
    });
    expect(seen).toBe("已有");
    await waitFor(() => onA.text() === "已有+恢复", 3000, "the server change on a");
    // No client on b: the document was unloaded there and left its channel.
    expect(b.collab.stats().documentIds).not.toContain("doc-2");
    expect(bus.channels.get("doc-2")?.has("b")).toBe(false);
  });

  it("waits at most 500 ms for peers that do not answer", async () => {
    const onMute = client(mute, "doc-3", "carol");
    await onMute.synced();
    const started = Date.now();
    await b.collab.applyChange("doc-3", identity("server"), append("x"));
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(450);
    expect(waited).toBeLessThan(3000);
  });

  it("closes a document's connections on every process, and resyncs after the transport reconnects", async () => {
    const onA = client(a, "doc-4", "alice");
    await onA.synced();
    const before = bus.published.length;
    transports.b.resync();
    transports.a.resync();
    await waitFor(
      () =>
        bus.published
          .slice(before)
          .some((p) => p.from === "a" && p.documentId === "doc-4" && p.message.kind === "sync1"),
      3000,
      "a resyncs its open documents",
    );
    b.collab.closeDocumentConnections("doc-4", CloseCode.ACCESS_CHANGED, "access changed");
    await waitFor(() => onA.closes.some((c) => c.code === CloseCode.ACCESS_CHANGED), 3000, "close crosses");
  });
});
