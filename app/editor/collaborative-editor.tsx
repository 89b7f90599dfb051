import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import { Bold, ClipboardCheck, Italic, List, ListOrdered, Redo2, Table2, Undo2, Pilcrow } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CloseCode, COLLAB_PATH_PREFIX, FINAL_CLOSE_CODES } from "~/protocol/collab";
import { cx } from "~/components/ui";
import { createCompositionGate } from "./composition-gate";
import { contentExtensions, HEADING_LEVELS, YJS_FRAGMENT } from "./extensions";
import { EmptyBlockCaret } from "./empty-block-caret";
import { RedactionHighlight } from "./redaction-highlight";
import { itemLabels } from "~/domain/tracked-item";
import { defaultItemDueDate, INSERT_ITEM_SHORTCUT, TRACKED_ITEM } from "./tracked-item";
import { TrackedItemWithView } from "./tracked-item-view";
import { useTrackedItems } from "./tracked-items-context";

export interface EditorUser {
  id: string;
  name: string;
  org: string | null;
  color: string;
}

export interface PresenceEntry {
  clientId: number;
  name: string;
  org: string | null;
  color: string;
  readOnly: boolean;
  self: boolean;
}

type Connection = "connecting" | "connected" | "offline" | "refused";

const REFUSAL_MESSAGES: Record<number, string> = {
  [CloseCode.UNAUTHENTICATED]: "登录已失效，请重新登录后再编辑。",
  [CloseCode.FORBIDDEN]: "您已无权访问此文书。",
  [CloseCode.NOT_FOUND]: "文书不存在或已被删除。",
  [CloseCode.DOCUMENT_TOO_LARGE]: "文书已达到大小上限，无法继续保存修改。",
};

/** Closes after which the editor reconnects by itself; the notice stays until it is synced again. */
const TRANSIENT_MESSAGES: Record<number, string> = {
  [CloseCode.UNAVAILABLE]: "服务器暂时无法保存修改：您的内容已保存在本机，恢复后会自动同步，请勿清除浏览器数据。",
  [CloseCode.RATE_LIMITED]: "操作过于频繁，稍后自动重试。",
  [CloseCode.GOING_AWAY]: "服务器正在切换，正在重新连接…",
};

/**
 * The co-editing editor: Tiptap + Yjs over our collab server, with an IndexedDB cache so edits made
 * offline survive closing the tab and merge when the document is next opened online.
 */
export function CollaborativeEditor({
  documentId,
  user,
  canWrite,
  readOnlyReason,
  onAccessChanged,
  onEditor,
}: {
  documentId: string;
  user: EditorUser;
  canWrite: boolean;
  readOnlyReason: string | null;
  onAccessChanged: () => void;
  /** The page gets the editor (e.g. to mark and fix 脱敏检查 findings); null when it goes away. */
  onEditor?: (editor: Editor | null) => void;
}) {
  const [connection, setConnection] = useState<Connection>("connecting");
  const [synced, setSynced] = useState(false);
  const [unsynced, setUnsynced] = useState(0);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [presence, setPresence] = useState<PresenceEntry[]>([]);
  const [cacheReady, setCacheReady] = useState(false);
  // The kind of the document's items: the item node's insert defaults (督办期限) follow it.
  const { kind } = useTrackedItems();
  const onAccessChangedRef = useRef(onAccessChanged);
  onAccessChangedRef.current = onAccessChanged;

  // One Y.Doc and provider per mounted editor (the page keys the editor by document). They are
  // destroyed shortly after unmount, so React's development double-mount can reuse them.
  // `ydoc` is what the server and the IndexedDB cache sync; the editor binds to the gate's view doc,
  // which holds remote changes back while an input method is composing.
  const [{ ydoc, provider, gate }] = useState(() => {
    const doc = new Y.Doc();
    const compositionGate = createCompositionGate(doc);
    const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${COLLAB_PATH_PREFIX.replace(/\/$/, "")}`;
    return {
      ydoc: doc,
      gate: compositionGate,
      provider: new WebsocketProvider(url, documentId, doc, { connect: false, disableBc: true, maxBackoffTime: 5000 }),
    };
  });
  const destroyTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (destroyTimer.current) clearTimeout(destroyTimer.current);
    const cache = new IndexeddbPersistence(`consult-doc-${documentId}`, ydoc);
    let cancelled = false;
    void cache.whenSynced.then(() => {
      if (cancelled) return;
      setCacheReady(true);
      if (navigator.onLine) provider.connect();
    });
    const onStatus = ({ status }: { status: string }) =>
      setConnection(status === "connected" ? "connected" : status === "connecting" ? "connecting" : "offline");
    const onSync = (isSynced: boolean) => {
      setSynced(isSynced);
      if (isSynced) {
        setUnsynced(0);
        setNotice(null);
      }
    };
    const onClose = (event: CloseEvent | null) => {
      if (!event) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        setConnection("refused");
        setRefusal(REFUSAL_MESSAGES[event.code] ?? "连接被服务器拒绝。");
      }
      if (event.code === CloseCode.ACCESS_CHANGED) onAccessChangedRef.current();
      if (TRANSIENT_MESSAGES[event.code]) setNotice(TRANSIENT_MESSAGES[event.code]);
    };
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // Local edits (not from the server, not from the cache) made while not synced.
      if (origin !== provider && origin !== cache && !(navigator.onLine && provider.wsconnected && provider.synced))
        setUnsynced((n) => n + 1);
    };
    const onAwareness = () => {
      const states = provider.awareness.getStates() as Map<
        number,
        { user?: { name?: string; org?: string | null; color?: string; readOnly?: boolean } }
      >;
      const list: PresenceEntry[] = [];
      states.forEach((state, clientId) => {
        if (!state.user?.name) return;
        list.push({
          clientId,
          name: state.user.name,
          org: state.user.org ?? null,
          color: state.user.color ?? "#334155",
          readOnly: Boolean(state.user.readOnly),
          self: clientId === provider.awareness.clientID,
        });
      });
      setPresence(list);
    };
    provider.on("status", onStatus);
    provider.on("sync", onSync);
    provider.on("connection-close", onClose);
    provider.awareness.on("change", onAwareness);
    ydoc.on("update", onUpdate);
    // When the browser reports the network gone, stop using a socket that may be half-dead: edits
    // stay in the Y.Doc and IndexedDB and are sent when the network returns.
    const goOffline = () => {
      provider.disconnect();
      setConnection("offline");
      setSynced(false);
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
      provider.awareness.off("change", onAwareness);
      provider.off("status", onStatus);
      provider.off("sync", onSync);
      provider.off("connection-close", onClose);
      provider.disconnect();
      void cache.destroy();
      destroyTimer.current = setTimeout(() => {
        provider.destroy();
        gate.destroy();
        ydoc.destroy();
      }, 1000);
    };
  }, [documentId, provider, ydoc, gate]);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: canWrite,
      extensions: [
        // The shared schema, with the item node view (React) swapped in for the browser.
        ...contentExtensions().map((e) => (e.name === TRACKED_ITEM ? TrackedItemWithView.configure({ kind }) : e)),
        Collaboration.configure({ document: gate.viewDoc, field: YJS_FRAGMENT }),
        CollaborationCaret.configure({ provider, user: { name: user.name, color: user.color, org: user.org } }),
        EmptyBlockCaret,
        RedactionHighlight,
      ],
      editorProps: {
        attributes: {
          class: "gongwen prose-none min-h-[24rem] px-8 py-6 outline-none",
          "aria-label": "文书正文",
          role: "textbox",
          "aria-multiline": "true",
          "data-testid": "editor",
        },
      },
    },
    [provider, gate, kind],
  );

  useEffect(() => {
    editor?.setEditable(canWrite && !refusal);
  }, [editor, canWrite, refusal]);

  const onEditorRef = useRef(onEditor);
  onEditorRef.current = onEditor;
  useEffect(() => {
    onEditorRef.current?.(editor ?? null);
    return () => onEditorRef.current?.(null);
  }, [editor]);

  // Hold remote changes while an input method composes; apply them once it commits.
  useEffect(() => {
    if (!editor) return;
    const dom = editor.view.dom;
    const start = () => gate.setComposing(true);
    const end = () => setTimeout(() => gate.setComposing(false), 0);
    dom.addEventListener("compositionstart", start);
    dom.addEventListener("compositionend", end);
    return () => {
      dom.removeEventListener("compositionstart", start);
      dom.removeEventListener("compositionend", end);
      gate.setComposing(false);
    };
  }, [editor, gate]);

  return (
    <div className="flex flex-col gap-3 lg:flex-row">
      <div className="min-w-0 flex-1 rounded-lg border border-slate-200 bg-white shadow-sm">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-3 py-2">
          {canWrite && !refusal ? (
            <Toolbar editor={editor} />
          ) : (
            <p className="text-sm text-slate-600">{refusal ?? readOnlyReason ?? "只读"}</p>
          )}
          <ConnectionIndicator connection={connection} synced={synced} unsynced={unsynced} cacheReady={cacheReady} />
        </div>
        {refusal ? (
          <p role="alert" className="border-b border-red-100 bg-red-50 px-4 py-2 text-sm text-red-800">
            {refusal}
          </p>
        ) : notice ? (
          <p
            role="status"
            data-testid="collab-notice"
            className="border-b border-amber-100 bg-amber-50 px-4 py-2 text-sm text-amber-900"
          >
            {notice}
          </p>
        ) : null}
        <EditorContent editor={editor} />
      </div>
      <aside className="w-full shrink-0 lg:w-60" aria-label="在线人员">
        <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
          <h2 className="mb-2 text-sm font-semibold text-slate-700">正在查看（{presence.length}）</h2>
          <ul className="flex flex-col gap-2" data-testid="presence">
            {presence.map((p) => (
              <li key={p.clientId} className="flex items-start gap-2 text-sm">
                <span
                  className="mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full"
                  style={{ background: p.color }}
                  aria-hidden
                />
                <span>
                  <span className="font-medium">{p.name}</span>
                  {p.self ? <span className="text-slate-400">（我）</span> : null}
                  <span className="block text-xs text-slate-500">
                    {p.org ?? ""}
                    {p.readOnly ? " · 只读" : ""}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      </aside>
    </div>
  );
}

function ConnectionIndicator({
  connection,
  synced,
  unsynced,
  cacheReady,
}: {
  connection: Connection;
  synced: boolean;
  unsynced: number;
  cacheReady: boolean;
}) {
  let label: string;
  let tone: string;
  if (connection === "refused") {
    label = "连接已断开";
    tone = "bg-red-100 text-red-800";
  } else if (connection === "connected" && synced) {
    label = "● 已连接，已同步";
    tone = "bg-green-100 text-green-800";
  } else if (connection === "connected" || connection === "connecting") {
    label = unsynced > 0 ? `正在重连 — ${unsynced} 处修改未同步` : cacheReady ? "正在连接…" : "正在加载…";
    tone = "bg-amber-100 text-amber-800";
  } else {
    label = unsynced > 0 ? `离线 — ${unsynced} 处修改未同步（已保存在本机）` : "离线";
    tone = "bg-red-100 text-red-800";
  }
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection"
      data-state={connection === "connected" && synced ? "synced" : connection}
      className={cx("rounded px-2 py-1 text-xs font-medium", tone)}
    >
      {label}
    </span>
  );
}

function ToolbarButton({
  onClick,
  active,
  label,
  title,
  children,
}: {
  onClick: () => void;
  active?: boolean;
  label: string;
  title?: string;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
      title={title ?? label}
      aria-label={label}
      aria-pressed={active}
      className={cx(
        "inline-flex h-8 min-w-8 items-center justify-center rounded px-2 text-sm",
        active ? "bg-brand-100 text-brand-800" : "text-slate-700 hover:bg-slate-100",
      )}
    >
      {children}
    </button>
  );
}

function Toolbar({ editor }: { editor: Editor | null }) {
  const { kind, tracksItems = true } = useTrackedItems();
  const item = itemLabels(kind).item;
  const [, force] = useState(0);
  useEffect(() => {
    if (!editor) return;
    const rerender = () => force((n) => n + 1);
    editor.on("transaction", rerender);
    return () => {
      editor.off("transaction", rerender);
    };
  }, [editor]);
  if (!editor) return <div className="h-8" />;
  const chain = () => editor.chain().focus();
  return (
    <div role="toolbar" aria-label="格式" className="flex flex-wrap items-center gap-0.5">
      <ToolbarButton label="正文" active={editor.isActive("paragraph")} onClick={() => chain().setParagraph().run()}>
        <Pilcrow className="h-4 w-4" aria-hidden />
      </ToolbarButton>
      {HEADING_LEVELS.map((h) => (
        <ToolbarButton
          key={h.level}
          label={h.title}
          active={editor.isActive("heading", { level: h.level })}
          onClick={() => chain().toggleHeading({ level: h.level }).run()}
        >
          {h.label}
        </ToolbarButton>
      ))}
      <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
      <ToolbarButton label="加粗" active={editor.isActive("bold")} onClick={() => chain().toggleBold().run()}>
        <Bold className="h-4 w-4" aria-hidden />
      </ToolbarButton>
      <ToolbarButton label="倾斜" active={editor.isActive("italic")} onClick={() => chain().toggleItalic().run()}>
        <Italic className="h-4 w-4" aria-hidden />
      </ToolbarButton>
      <ToolbarButton
        label="项目符号列表"
        active={editor.isActive("bulletList")}
        onClick={() => chain().toggleBulletList().run()}
      >
        <List className="h-4 w-4" aria-hidden />
      </ToolbarButton>
      <ToolbarButton
        label="编号列表"
        active={editor.isActive("orderedList")}
        onClick={() => chain().toggleOrderedList().run()}
      >
        <ListOrdered className="h-4 w-4" aria-hidden />
      </ToolbarButton>
      <ToolbarButton
        label="插入表格"
        onClick={() => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()}
      >
        <Table2 className="h-4 w-4" aria-hidden />
      </ToolbarButton>
      {tracksItems ? (
        <ToolbarButton
          label={`插入${item}`}
          title={`插入${item}（${shortcutLabel(INSERT_ITEM_SHORTCUT)}）`}
          onClick={() =>
            editor
              .chain()
              .focus()
              .insertTrackedItem({ dueDate: defaultItemDueDate(kind) }, { openSettings: true })
              .run()
          }
        >
          <ClipboardCheck className="h-4 w-4" aria-hidden />
          <span className="ml-1">{item}</span>
        </ToolbarButton>
      ) : null}
      <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
      <ToolbarButton label="撤销" onClick={() => chain().undo().run()}>
        <Undo2 className="h-4 w-4" aria-hidden />
      </ToolbarButton>
      <ToolbarButton label="重做" onClick={() => chain().redo().run()}>
        <Redo2 className="h-4 w-4" aria-hidden />
      </ToolbarButton>
    </div>
  );
}

/** "Mod-Alt-i" → "Ctrl+Alt+I" (⌘⌥I on a Mac). */
function shortcutLabel(shortcut: string): string {
  const mac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
  return shortcut
    .split("-")
    .map((k) =>
      k === "Mod"
        ? mac
          ? "⌘"
          : "Ctrl"
        : k === "Alt"
          ? mac
            ? "⌥"
            : "Alt"
          : k === "Shift"
            ? mac
              ? "⇧"
              : "Shift"
            : k.toUpperCase(),
    )
    .join(mac ? "" : "+");
}
