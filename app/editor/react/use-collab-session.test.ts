import { describe, expect, it } from "vitest";
import { describeConnection } from "./use-collab-session";

describe("connection status line", () => {
  const base = { connection: "connecting", synced: false, unsynced: 0, cacheReady: false } as const;

  it("says loading, connecting, then connected and synced", () => {
    expect(describeConnection(base)).toEqual({ label: "正在加载…", tone: "pending", state: "connecting" });
    expect(describeConnection({ ...base, cacheReady: true }).label).toBe("正在连接…");
    expect(describeConnection({ ...base, connection: "connected", cacheReady: true })).toEqual({
      label: "正在连接…",
      tone: "pending",
      state: "connected",
    });
    expect(describeConnection({ ...base, connection: "connected", synced: true, cacheReady: true })).toEqual({
      label: "● 已连接，已同步",
      tone: "ok",
      state: "synced",
    });
  });

  it("counts the edits not yet synced while reconnecting or offline", () => {
    expect(describeConnection({ ...base, unsynced: 3, cacheReady: true }).label).toBe("正在重连 — 3 处修改未同步");
    expect(describeConnection({ ...base, connection: "offline", unsynced: 2 })).toEqual({
      label: "离线 — 2 处修改未同步（已保存在本机）",
      tone: "error",
      state: "offline",
    });
    expect(describeConnection({ ...base, connection: "offline" }).label).toBe("离线");
  });

  it("says the connection ended after a final close", () => {
    expect(describeConnection({ ...base, connection: "refused", unsynced: 4 })).toEqual({
      label: "连接已断开",
      tone: "error",
      state: "refused",
    });
  });
});
