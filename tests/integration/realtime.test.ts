import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import WebSocket from "ws";
import { getDb } from "~/db.server";
import { notify } from "~/models/notification.server";
import { buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

let app: RunningServer;
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  await app.close();
});

/** A notification to one user through the model and the server's own event bus. */
async function sendTestNotification(userId: string): Promise<void> {
  await notify(getDb(), app.server.events, {
    userId,
    kind: "test",
    title: "测试通知",
    body: "如果您看到这条通知，说明实时通知工作正常。",
  });
}

function open(cookie?: string): Socket {
  return connect(app.origin, {
    path: "/socket.io/",
    transports: ["websocket"],
    extraHeaders: cookie ? { Cookie: cookie } : {},
    reconnection: false,
    forceNew: true,
  });
}

describe("socket.io", () => {
  it("refuses a connection without a session", async () => {
    const socket = open();
    const err = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(err.message).toBe("UNAUTHENTICATED");
    socket.close();
  });

  it("refuses a connection with a forged session cookie", async () => {
    const socket = open("consult_session=forged-session-id");
    const err = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(err.message).toBe("UNAUTHENTICATED");
    socket.close();
  });

  it("delivers a test event to user:<id> and to nobody else", async () => {
    const alice = await buildUser();
    const bob = await buildUser();
    const aliceCookie = await buildSessionCookie(alice.id);
    const a = open(aliceCookie);
    const b = open(await buildSessionCookie(bob.id));
    await Promise.all([
      new Promise<void>((r) => a.on("connect", () => r())),
      new Promise<void>((r) => b.on("connect", () => r())),
    ]);
    const bobGot: unknown[] = [];
    b.on("notification", (n) => bobGot.push(n));
    const received = new Promise<{ title: string }>((resolve) => a.on("notification", resolve));
    await sendTestNotification(alice.id);
    const n = await received;
    expect(n.title).toBe("测试通知");
    await new Promise((r) => setTimeout(r, 200));
    expect(bobGot).toEqual([]);
    a.close();
    b.close();
  });

  it("persists notifications, so the unread count survives being offline", async () => {
    const user = await buildUser();
    const cookie = await buildSessionCookie(user.id);
    await sendTestNotification(user.id);
    const list = await app.request("/api/notifications", { cookie });
    const data = (await list.json()) as { unread: number; notifications: Array<{ title: string }> };
    expect(data.unread).toBe(1);
    expect(data.notifications[0].title).toBe("测试通知");
    await app.request("/api/notifications", { form: { intent: "markAllRead" }, cookie });
    const after = (await (await app.request("/api/notifications", { cookie })).json()) as { unread: number };
    expect(after.unread).toBe(0);
  });

  it("rejects an unknown notification intent with a typed error", async () => {
    const user = await buildUser();
    const res = await app.request("/api/notifications", {
      form: { intent: "test" },
      cookie: await buildSessionCookie(user.id),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { id: "VALIDATION" } });
  });
});

describe("upgrade routing", () => {
  function tryUpgrade(path: string): Promise<number> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${app.origin.replace("http", "ws")}${path}`);
      ws.on("unexpected-response", (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on("open", () => {
        resolve(101);
        ws.close();
      });
      ws.on("error", () => undefined);
    });
  }

  it("refuses unknown upgrade paths with 404", async () => {
    expect(await tryUpgrade("/something-else")).toBe(404);
    expect(await tryUpgrade("/")).toBe(404);
  });

  it("routes /collab/<id> to the collab server", async () => {
    expect(await tryUpgrade("/collab/abc")).toBe(101);
  });

  it("refuses a collab upgrade from a foreign origin before any WebSocket exists", async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${app.origin.replace("http", "ws")}/collab/abc`, {
        headers: { Origin: "https://evil.example" },
      });
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => undefined);
    });
    expect(status).toBe(403);
  });
});
