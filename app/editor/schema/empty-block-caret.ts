import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "@tiptap/pm/state";
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
  type ProsemirrorBinding,
} from "@tiptap/y-tiptap";
import * as Y from "yjs";

/**
 * Keeps a caret that sits in an empty paragraph where it is when a co-editor's change arrives.
 *
 * y-tiptap redraws the document on every remote change and then restores the local selection. It
 * first resolves the selection's Yjs relative position (which is right: it names the paragraph's own
 * Y element), then second-guesses it with a content match for "structural" changes: the caret is
 * put in the N-th block of the same type and text. Every empty paragraph has the same (empty) text,
 * so when a co-editor fills or adds another empty paragraph before ours, the N-th empty paragraph
 * is a later one and the next keystrokes land there (typical-case sections start empty, so this
 * showed up as text typed into the wrong section; yjs/y-prosemirror#44, #181 are the same family).
 *
 * This plugin remembers the relative position of a collapsed caret in an empty textblock when a
 * Yjs transaction starts; once y-tiptap has dispatched the remote change, it puts the caret back
 * where the Yjs position resolves, if that paragraph still exists and the content match moved the
 * caret away from it. Undo/redo (which restores its own saved selection), non-empty blocks and
 * range selections are left to y-tiptap.
 */

const key = new PluginKey("emptyBlockCaret");

interface SyncState {
  binding?: ProsemirrorBinding;
}

interface SyncMeta {
  isChangeOrigin?: boolean;
  isUndoRedoOperation?: boolean;
}

/** The relative position to keep, or null when the caret is not collapsed in an empty textblock. */
export function emptyBlockAnchor(state: EditorState, binding: ProsemirrorBinding): Y.RelativePosition | null {
  const { selection } = state;
  if (!(selection instanceof TextSelection) || !selection.empty) return null;
  const parent = selection.$head.parent;
  if (!parent.isTextblock || parent.content.size > 0) return null;
  let relative: Y.RelativePosition | null;
  try {
    // During a local transaction the mapping may not know a paragraph just created; such a
    // position is never used (only remote changes are corrected), so failing to encode it is fine.
    relative = absolutePositionToRelativePosition(
      selection.head,
      binding.type,
      binding.mapping,
    ) as Y.RelativePosition | null;
  } catch {
    return null;
  }
  // The position must name the paragraph itself (y-tiptap encodes "inside this empty element").
  return relative && relative.type && relative.item === null ? relative : null;
}

/**
 * Where the caret belongs after a remote change, or null to keep y-tiptap's choice: the position
 * the kept anchor resolves to, when its paragraph survives and is a textblock.
 */
export function restoredCaret(
  state: EditorState,
  binding: ProsemirrorBinding,
  anchor: Y.RelativePosition,
): number | null {
  const decoded = Y.createAbsolutePositionFromRelativePosition(anchor, binding.doc);
  if (!decoded || !(decoded.type instanceof Y.XmlElement) || !decoded.type._item || decoded.type._item.deleted)
    return null;
  let pos: number | null;
  try {
    pos = relativePositionToAbsolutePosition(binding.doc, binding.type, anchor, binding.mapping);
  } catch {
    return null;
  }
  if (pos === null || pos < 0 || pos > state.doc.content.size) return null;
  const $pos = state.doc.resolve(pos);
  if (!$pos.parent.isTextblock) return null;
  return state.selection.empty && state.selection.head === pos ? null : pos;
}

export const EmptyBlockCaret = Extension.create({
  name: "emptyBlockCaret",

  addProseMirrorPlugins() {
    // Set while a Yjs transaction runs (the remote change is dispatched inside it).
    let anchor: Y.RelativePosition | null = null;
    let binding: ProsemirrorBinding | null = null;

    return [
      new Plugin({
        key,
        view(view) {
          binding = (ySyncPluginKey.getState(view.state) as SyncState | undefined)?.binding ?? null;
          const doc = binding?.doc;
          if (!binding || !doc) return {};
          const bound = binding;
          const before = () => {
            anchor = emptyBlockAnchor(view.state, bound);
          };
          const after = () => {
            anchor = null;
          };
          doc.on("beforeAllTransactions", before);
          doc.on("afterAllTransactions", after);
          return {
            destroy() {
              doc.off("beforeAllTransactions", before);
              doc.off("afterAllTransactions", after);
              anchor = null;
              binding = null;
            },
          };
        },
        appendTransaction(transactions: readonly Transaction[], _old, state) {
          if (!anchor || !binding) return null;
          const remote = transactions.some((tr) => {
            const meta = tr.getMeta(ySyncPluginKey) as SyncMeta | undefined;
            return Boolean(meta?.isChangeOrigin) && !meta?.isUndoRedoOperation && tr.docChanged;
          });
          if (!remote) return null;
          const pos = restoredCaret(state, binding, anchor);
          if (pos === null) return null;
          return state.tr.setSelection(TextSelection.create(state.doc, pos)).setMeta("addToHistory", false);
        },
      }),
    ];
  },
});
