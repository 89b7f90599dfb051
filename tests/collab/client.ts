import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

/** A Node y-websocket client (the same provider the browser uses) that sends a session cookie. */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: Array<{ code: number; reason: string }>;
  synced(): Promise<void>;
  text(): string;
  type(s: string): void;
  destroy(): void;
}

export function wsBase(httpOrigin: string): string {
  return `${httpOrigin.replace(/^http/, "ws")}/collab`;
}

export function connectClient(
  httpOrigin: string,
  documentId: string,
  cookie?: string,
  opts: { doc?: Y.Doc; connect?: boolean } = {},
): TestClient {
  const doc = opts.doc ?? new Y.Doc();
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { Cookie: cookie, Origin: httpOrigin } : { Origin: httpOrigin } });
    }
  }
  const provider = new WebsocketProvider(wsBase(httpOrigin), documentId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: 300,
  });
  const closes: Array<{ code: number; reason: string }> = [];
  provider.on("connection-close", (event: CloseEvent | null) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const ytext = doc.getText("t");
  return {
    doc,
    provider,
    closes,
    synced: () =>
      new Promise<void>((resolve) => {
        if (provider.synced) return resolve();
        const on = (s: boolean) => {
          if (s) {
            provider.off("sync", on);
            resolve();
          }
        };
        provider.on("sync", on);
      }),
    text: () => ytext.toString(),
    type: (s: string) => ytext.insert(ytext.length, s),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  label = "condition",
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens a raw WebSocket and resolves with the close code. */
export function rawSocket(httpOrigin: string, documentId: string, cookie?: string) {
  const ws = new WebSocket(`${wsBase(httpOrigin)}/${documentId}`, {
    headers: { Origin: httpOrigin, ...(cookie ? { Cookie: cookie } : {}) },
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.on("open", () => resolve());
    ws.on("error", reject);
  });
  return { ws, closed, opened };
}
