import { useEffect, useRef, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CloseCode, COLLAB_PATH_PREFIX, FINAL_CLOSE_CODES } from "~/protocol/collab";
import { createCompositionGate, type CompositionGate } from "../schema/composition-gate";

export type Connection = "connecting" | "connected" | "offline" | "refused";

/** Where the document's connection stands, as the status line shows it. */
export interface CollabStatus {
  connection: Connection;
  /** The server has everything this client has (and the other way round). */
  synced: boolean;
  /** Local edits made while not synced (reset once synced again). */
  unsynced: number;
  /** The IndexedDB cache has been loaded into the doc. */
  cacheReady: boolean;
  /** Why the server refused the connection for good (final close codes), or null. */
  refusal: string | null;
  /** A passing problem after which the provider reconnects by itself, or null. */
  notice: string | null;
}

export interface CollabSession {
  /** What the server and the IndexedDB cache sync. */
  ydoc: Y.Doc;
  /** The editor binds to `gate.viewDoc`, which holds remote changes back while an input method composes. */
  gate: CompositionGate;
  provider: WebsocketProvider;
  status: CollabStatus;
}

const REFUSAL_MESSAGES: Record<number, string> = {
  [CloseCode.UNAUTHENTICATED]: "登录已失效，请重新登录后再编辑。",
  [CloseCode.FORBIDDEN]: "您已无权访问此文书。",
  [CloseCode.NOT_FOUND]: "文书不存在或已被删除。",
  [CloseCode.DOCUMENT_TOO_LARGE]: "文书已达到大小上限，无法继续保存修改。",
  [CloseCode.NOT_A_SUGGESTION]: "您对此文书只能提出修订，刚才的修改不是修订，未被保存。请刷新页面后在修订模式下修改。",
};

/** Closes after which the editor reconnects by itself; the notice stays until it is synced again. */
const TRANSIENT_MESSAGES: Record<number, string> = {
  [CloseCode.UNAVAILABLE]: "服务器暂时无法保存修改：您的内容已保存在本机，恢复后会自动同步，请勿清除浏览器数据。",
  [CloseCode.RATE_LIMITED]: "操作过于频繁，稍后自动重试。",
  [CloseCode.GOING_AWAY]: "服务器正在切换，正在重新连接…",
};

/** The status line's text and tone for a status. */
export function describeConnection(status: Pick<CollabStatus, "connection" | "synced" | "unsynced" | "cacheReady">): {
  label: string;
  tone: "ok" | "pending" | "error";
  /** `data-state` of the status line (the e2e tests wait for "synced"). */
  state: Connection | "synced";
} {
  const { connection, synced, unsynced, cacheReady } = status;
  const state = connection === "connected" && synced ? "synced" : connection;
  if (connection === "refused") return { label: "连接已断开", tone: "error", state };
  if (connection === "connected" && synced) return { label: "● 已连接，已同步", tone: "ok", state };
  if (connection === "connected" || connection === "connecting") {
    const label = unsynced > 0 ? `正在重连 — ${unsynced} 处修改未同步` : cacheReady ? "正在连接…" : "正在加载…";
    return { label, tone: "pending", state };
  }
  const label = unsynced > 0 ? `离线 — ${unsynced} 处修改未同步（已保存在本机）` : "离线";
  return { label, tone: "error", state };
}

/** The Y.Doc, its composition gate and the (not yet connected) provider of a document. */
function openSession(documentId: string): Pick<CollabSession, "ydoc" | "gate" | "provider"> {
  const ydoc = new Y.Doc();
  const gate = createCompositionGate(ydoc);
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${window.location.host}${COLLAB_PATH_PREFIX.replace(/\/$/, "")}`;
  const provider = new WebsocketProvider(url, documentId, ydoc, {
    connect: false,
    disableBc: true,
    maxBackoffTime: 5000,
  });
  return { ydoc, gate, provider };
}

type StatusUpdate = (update: (status: CollabStatus) => CollabStatus) => void;

/** A setter for one field that leaves the state untouched (no render) when the value is the same. */
function fieldSetter<K extends keyof CollabStatus>(setStatus: StatusUpdate, key: K) {
  return (value: CollabStatus[K] | ((current: CollabStatus[K]) => CollabStatus[K])) =>
    setStatus((s) => {
      const next = typeof value === "function" ? (value as (c: CollabStatus[K]) => CollabStatus[K])(s[key]) : value;
      return Object.is(next, s[key]) ? s : { ...s, [key]: next };
    });
}

/**
 * Connects a session: loads the IndexedDB cache, then connects (when the browser is online); follows
 * the provider's status, sync and close codes, counts local edits made while not synced, and follows
 * the browser's online/offline events. Returns the cleanup.
 */
function connectSession(
  documentId: string,
  { ydoc, provider }: Pick<CollabSession, "ydoc" | "provider">,
  setStatus: StatusUpdate,
  onAccessChanged: () => void,
): () => void {
  const set = {
    connection: fieldSetter(setStatus, "connection"),
    synced: fieldSetter(setStatus, "synced"),
    unsynced: fieldSetter(setStatus, "unsynced"),
    cacheReady: fieldSetter(setStatus, "cacheReady"),
    refusal: fieldSetter(setStatus, "refusal"),
    notice: fieldSetter(setStatus, "notice"),
  };
  const cache = new IndexeddbPersistence(`consult-doc-${documentId}`, ydoc);
  let cancelled = false;
  void cache.whenSynced.then(() => {
    if (cancelled) return;
    set.cacheReady(true);
    if (navigator.onLine) provider.connect();
  });
  const onStatus = ({ status }: { status: string }) =>
    set.connection(status === "connected" ? "connected" : status === "connecting" ? "connecting" : "offline");
  const onSync = (isSynced: boolean) => {
    set.synced(isSynced);
    if (isSynced) {
      set.unsynced(0);
      set.notice(null);
    }
  };
  const onClose = (event: CloseEvent | null) => {
    if (!event) return;
    if (FINAL_CLOSE_CODES.has(event.code)) {
      set.connection("refused");
      set.refusal(REFUSAL_MESSAGES[event.code] ?? "连接被服务器拒绝。");
    }
    // 4205: access changed (removed, read-only, finalized); the provider reconnects by itself.
    if (event.code === CloseCode.ACCESS_CHANGED) onAccessChanged();
    if (TRANSIENT_MESSAGES[event.code]) set.notice(TRANSIENT_MESSAGES[event.code]);
  };
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    // Local edits (not from the server, not from the cache) made while not synced.
    if (origin !== provider && origin !== cache && !(navigator.onLine && provider.wsconnected && provider.synced))
      set.unsynced((n) => n + 1);
  };
  provider.on("status", onStatus);
  provider.on("sync", onSync);
  provider.on("connection-close", onClose);
  ydoc.on("update", onUpdate);
  // When the browser reports the network gone, stop using a socket that may be half-dead: edits
  // stay in the Y.Doc and IndexedDB and are sent when the network returns.
  const goOffline = () => {
    provider.disconnect();
    set.connection("offline");
    set.synced(false);
  };
  const goOnline = () => {
    if (!cancelled) provider.connect();
  };
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", goOnline);
  return () => {
    cancelled = true;
    window.removeEventListener("offline", goOffline);
    window.removeEventListener("online", goOnline);
    ydoc.off("update", onUpdate);
    provider.off("status", onStatus);
    provider.off("sync", onSync);
    provider.off("connection-close", onClose);
    provider.disconnect();
    void cache.destroy();
  };
}

const INITIAL_STATUS: CollabStatus = {
  connection: "connecting",
  synced: false,
  unsynced: 0,
  cacheReady: false,
  refusal: null,
  notice: null,
};

/**
 * The co-editing session of a document in the browser: one Y.Doc, its composition gate, the
 * WebSocket provider to our collab server and the IndexedDB cache (edits made offline survive
 * closing the tab and merge when the document is next opened online), with the connection status.
 * `onAccessChanged` runs when the server closes with 4205 (the page revalidates the user's access);
 * after a final close code the status is "refused" with the reason.
 *
 * Browser only (it reads `window` when first rendered): mount it after hydration. The session is
 * made once per mounted component (key the component by document); it is destroyed shortly after
 * unmount, so React's development double-mount can reuse it.
 */
export function useCollabSession(
  documentId: string,
  { onAccessChanged }: { onAccessChanged: () => void },
): CollabSession {
  const [session] = useState(() => openSession(documentId));
  const [status, setStatus] = useState<CollabStatus>(INITIAL_STATUS);
  const onAccessChangedRef = useRef(onAccessChanged);
  onAccessChangedRef.current = onAccessChanged;
  const destroyTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { ydoc, gate, provider } = session;

  useEffect(() => {
    if (destroyTimer.current) clearTimeout(destroyTimer.current);
    const disconnect = connectSession(documentId, { ydoc, provider }, setStatus, () => onAccessChangedRef.current());
    return () => {
      disconnect();
      destroyTimer.current = setTimeout(() => {
        provider.destroy();
        gate.destroy();
        ydoc.destroy();
      }, 1000);
    };
  }, [documentId, provider, ydoc, gate]);

  return { ydoc, gate, provider, status };
}
