import type { Editor } from "@tiptap/react";
import { absolutePositionToRelativePosition, ySyncPluginKey, type ProsemirrorBinding } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { QUOTE_MAX_LENGTH } from "~/domain/comment";

/** A selection to comment on, as the server takes it (ADR 017). */
export interface CommentSelection {
  anchor: string;
  head: string;
  quote: string;
}

/**
 * The text the user selected in the editor, as two Yjs relative positions (they stay valid while
 * others edit) and the quoted text. Works in a read-only editor too (a COMMENT member): the DOM
 * selection is read when ProseMirror's own is collapsed. null when nothing usable is selected.
 */
export function commentSelection(editor: Editor): CommentSelection | null {
  const { view, state } = editor;
  let { from, to } = state.selection;
  if (from === to && typeof window !== "undefined") {
    const dom = window.getSelection();
    if (
      dom &&
      dom.rangeCount > 0 &&
      !dom.isCollapsed &&
      view.dom.contains(dom.anchorNode) &&
      view.dom.contains(dom.focusNode)
    ) {
      try {
        const a = view.posAtDOM(dom.anchorNode as Node, dom.anchorOffset);
        const b = view.posAtDOM(dom.focusNode as Node, dom.focusOffset);
        from = Math.min(a, b);
        to = Math.max(a, b);
      } catch {
        return null;
      }
    }
  }
  if (from === to) return null;
  const quote = state.doc.textBetween(from, to, "\n", " ").trim();
  if (!quote || quote.length > QUOTE_MAX_LENGTH) return null;
  const binding = (ySyncPluginKey.getState(state) as { binding?: ProsemirrorBinding } | undefined)?.binding;
  if (!binding) return null;
  const rel = (pos: number) =>
    JSON.stringify(Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, binding.type, binding.mapping)));
  return { anchor: rel(from), head: rel(to), quote };
}

/** Scrolls to a thread's anchored text and selects it (the side panel's "show in the text"). */
export function revealThread(editor: Editor, threadId: string): boolean {
  let range: { from: number; to: number } | null = null;
  editor.state.doc.descendants((node, pos) => {
    if (!node.isText) return true;
    if (node.marks.some((m) => m.type.name === "comment" && m.attrs.threadId === threadId)) {
      range = range ? { from: range.from, to: pos + node.nodeSize } : { from: pos, to: pos + node.nodeSize };
    }
    return true;
  });
  const found = range as { from: number; to: number } | null;
  if (!found) return false;
  const el = editor.view.dom.querySelector(`[data-comment-thread="${CSS.escape(threadId)}"]`);
  el?.scrollIntoView({ block: "center", behavior: "smooth" });
  editor.commands.setTextSelection(found);
  return true;
}
