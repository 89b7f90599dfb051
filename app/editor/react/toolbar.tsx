import type { Editor } from "@tiptap/react";
import {
  BetweenHorizontalEnd,
  Bold,
  ClipboardCheck,
  FilePenLine,
  Italic,
  List,
  ListOrdered,
  Pilcrow,
  Redo2,
  Rows3,
  Table2,
  Undo2,
} from "lucide-react";
import { useEffect, useState, type ReactNode } from "react";
import { cx } from "~/components/ui";
import { itemLabels } from "~/domain/tracked-item";
import { HEADING_LEVELS } from "../schema/extensions";
import { defaultItemDueDate, INSERT_ITEM_SHORTCUT } from "../schema/tracked-item";
import { CommentButton } from "./comment-controls";
import { useTrackedItems } from "./tracked-items-context";

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
  children: ReactNode;
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

/** 格式: paragraph and heading levels, marks, lists, table, the document's item, undo/redo. */
export function Toolbar({
  editor,
  onComment,
  suggesting = false,
  onToggleSuggesting = null,
}: {
  editor: Editor | null;
  onComment?: (() => boolean) | null;
  /** 修订 mode is on: changes are proposals (ADR 019). */
  suggesting?: boolean;
  /** Switches 修订 on and off; null when the user may only suggest (the mode is then fixed). */
  onToggleSuggesting?: (() => void) | null;
}) {
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
      {editor.isActive("table") ? (
        <>
          <ToolbarButton label="在下方插入行" onClick={() => chain().addRowAfter().run()}>
            <BetweenHorizontalEnd className="h-4 w-4" aria-hidden />
          </ToolbarButton>
          <ToolbarButton label="删除当前行" onClick={() => chain().deleteRow().run()}>
            <Rows3 className="h-4 w-4" aria-hidden />
          </ToolbarButton>
        </>
      ) : null}
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
      {onComment ? (
        <>
          <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
          <CommentButton onComment={onComment} />
        </>
      ) : null}
      <SuggestSwitch suggesting={suggesting} onToggle={onToggleSuggesting} />
    </div>
  );
}

/** 修订: a switch for writers; for a unit that may only suggest, a note that the mode is on. */
function SuggestSwitch({ suggesting, onToggle }: { suggesting: boolean; onToggle: (() => void) | null }) {
  if (onToggle)
    return (
      <>
        <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
        <ToolbarButton
          label="修订"
          title="修订模式：修改将作为修订提出，由起草单位接受或拒绝"
          active={suggesting}
          onClick={onToggle}
        >
          <FilePenLine className="h-4 w-4" aria-hidden />
          <span className="ml-1">修订</span>
        </ToolbarButton>
      </>
    );
  return suggesting ? (
    <span className="ml-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="suggest-only">
      修订模式：您的修改将作为修订提出
    </span>
  ) : null;
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
