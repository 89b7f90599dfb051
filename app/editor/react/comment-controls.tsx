import { Extension } from "@tiptap/core";
import { EditorContent, type Editor } from "@tiptap/react";
import { MessageSquarePlus } from "lucide-react";
import { useEffect, useRef, useState } from "react";

/** The keyboard shortcut of 批注, as Tiptap writes it. */
export const COMMENT_SHORTCUT = "Mod-Alt-m";
const SHORTCUT_LABEL = "Ctrl+Alt+M";

/** Mod-Alt-m: comment on the selection (works in a read-only editor too). */
export const CommentShortcut = Extension.create<{ onComment: () => boolean }>({
  name: "commentShortcut",
  addOptions() {
    return { onComment: () => false };
  },
  addKeyboardShortcuts() {
    return { [COMMENT_SHORTCUT]: () => this.options.onComment() };
  },
});

/** The 批注 button (toolbars of writers and of members who may only comment). */
export function CommentButton({ onComment }: { onComment: () => boolean }) {
  const [hint, setHint] = useState(false);
  return (
    <span className="relative inline-flex items-center">
      <button
        type="button"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => setHint(!onComment())}
        title={`批注（${SHORTCUT_LABEL}）`}
        aria-keyshortcuts="Control+Alt+M"
        className="inline-flex h-8 items-center gap-1 rounded px-2 text-sm text-slate-700 hover:bg-slate-100"
      >
        <MessageSquarePlus className="h-4 w-4" aria-hidden />
        批注
      </button>
      {hint ? (
        <span role="status" className="ml-1 text-xs text-amber-800">
          请先选中要批注的文字
        </span>
      ) : null}
    </span>
  );
}

/** The toolbar of a member who may comment but not edit (可批注). */
export function CommentOnlyToolbar({ onComment, note }: { onComment: () => boolean; note: string | null }) {
  return (
    <div role="toolbar" aria-label="批注" className="flex flex-wrap items-center gap-2">
      <CommentButton onComment={onComment} />
      <span className="text-sm text-slate-600">{note ?? "您可以批注，不能修改正文"}</span>
    </div>
  );
}

/**
 * The editor with its context menu: a right click on selected text offers 批注 (the browser's own
 * menu otherwise). The menu is keyboard-usable and closes with Escape or a click elsewhere.
 */
export function EditorWithMenu({ editor, onComment }: { editor: Editor | null; onComment: (() => boolean) | null }) {
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const item = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!menu) return;
    item.current?.focus();
    const close = () => setMenu(null);
    window.addEventListener("click", close);
    window.addEventListener("scroll", close, true);
    return () => {
      window.removeEventListener("click", close);
      window.removeEventListener("scroll", close, true);
    };
  }, [menu]);
  return (
    <div
      onContextMenu={(e) => {
        const selected = typeof window !== "undefined" && !(window.getSelection()?.isCollapsed ?? true);
        if (!onComment || !editor || (!selected && editor.state.selection.empty)) return;
        e.preventDefault();
        setMenu({ x: e.clientX, y: e.clientY });
      }}
    >
      <EditorContent editor={editor} />
      {menu && onComment ? (
        <div
          role="menu"
          aria-label="正文操作"
          className="fixed z-50 rounded-md border border-slate-200 bg-white py-1 shadow-lg"
          style={{ left: menu.x, top: menu.y }}
        >
          <button
            ref={item}
            type="button"
            role="menuitem"
            className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-sm hover:bg-slate-100 focus:bg-slate-100"
            onKeyDown={(e) => e.key === "Escape" && setMenu(null)}
            onClick={() => {
              onComment();
              setMenu(null);
            }}
          >
            <MessageSquarePlus className="h-4 w-4" aria-hidden />
            批注<span className="ml-auto pl-4 text-xs text-slate-600">{SHORTCUT_LABEL}</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}
