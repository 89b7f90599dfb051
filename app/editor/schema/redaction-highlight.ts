import { Extension } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

/**
 * 脱敏检查 in the editor: the findings of the server's check are marked where their text occurs,
 * and a one-click fix replaces every occurrence through an ordinary transaction (so every co-editor
 * gets it over Yjs). Browser only; adds no nodes or marks to the schema.
 */

export interface HighlightFinding {
  /** The exact text found (e.g. 13812345678, 张三). */
  text: string;
  /** Shown on hover, e.g. 手机号码. */
  label: string;
}

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    redactionHighlight: {
      /** Marks every occurrence of the findings' texts (an empty list clears the marks). */
      setRedactionFindings: (findings: readonly HighlightFinding[]) => ReturnType;
      /** Replaces every occurrence of `search` in the document by `replacement`. */
      replaceAllText: (search: string, replacement: string) => ReturnType;
    };
  }
}

export const redactionKey = new PluginKey<RedactionState>("redactionHighlight");

interface RedactionState {
  findings: readonly HighlightFinding[];
  decorations: DecorationSet;
}

/** Occurrences of `search` in the document's textblocks, as document ranges (text may span several text nodes). */
export function findOccurrences(doc: PMNode, search: string): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  if (!search) return out;
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    // The block's text with the document position of every character.
    let text = "";
    const positions: number[] = [];
    node.forEach((child, offset) => {
      if (child.isText && child.text) {
        for (let i = 0; i < child.text.length; i++) positions.push(pos + 1 + offset + i);
        text += child.text;
      } else {
        positions.push(-1);
        text += "\uFFFC";
      }
    });
    let at = text.indexOf(search);
    while (at !== -1) {
      const from = positions[at];
      const last = positions[at + search.length - 1];
      if (from >= 0 && last >= 0) out.push({ from, to: last + 1 });
      at = text.indexOf(search, at + search.length);
    }
    return false;
  });
  return out;
}

function decorate(doc: PMNode, findings: readonly HighlightFinding[]): DecorationSet {
  const decorations: Decoration[] = [];
  for (const f of findings) {
    for (const r of findOccurrences(doc, f.text)) {
      decorations.push(
        Decoration.inline(r.from, r.to, { class: "pii-flag", title: `脱敏检查：${f.label}`, "data-pii": f.label }),
      );
    }
  }
  return DecorationSet.create(doc, decorations);
}

export const RedactionHighlight = Extension.create({
  name: "redactionHighlight",

  addCommands() {
    return {
      setRedactionFindings:
        (findings) =>
        ({ tr, dispatch }) => {
          if (dispatch) dispatch(tr.setMeta(redactionKey, findings));
          return true;
        },
      replaceAllText:
        (search, replacement) =>
        ({ state, tr, dispatch, editor }) => {
          if (!editor.isEditable || !search) return false;
          const ranges = findOccurrences(state.doc, search);
          if (ranges.length === 0) return false;
          if (dispatch) {
            // From the end, so earlier positions stay valid.
            for (const r of [...ranges].reverse()) {
              if (replacement) tr.insertText(replacement, r.from, r.to);
              else tr.delete(r.from, r.to);
            }
            dispatch(tr);
          }
          return true;
        },
    };
  },

  addProseMirrorPlugins() {
    return [
      new Plugin<RedactionState>({
        key: redactionKey,
        state: {
          init: (_, state) => ({ findings: [], decorations: DecorationSet.create(state.doc, []) }),
          apply(tr, value, _old, state) {
            const next = tr.getMeta(redactionKey) as readonly HighlightFinding[] | undefined;
            if (next) return { findings: next, decorations: decorate(state.doc, next) };
            if (tr.docChanged && value.findings.length)
              return { findings: value.findings, decorations: decorate(state.doc, value.findings) };
            return value;
          },
        },
        props: {
          decorations(state) {
            return redactionKey.getState(state)?.decorations ?? null;
          },
        },
      }),
    ];
  },
});
