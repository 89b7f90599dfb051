import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** The editor instance Tiptap keeps on its element, as far as the specs use it. */
export type EditorElement = HTMLElement & {
  editor?: {
    state: {
      doc: {
        descendants(f: (node: { isText: boolean; text?: string; nodeSize: number }, pos: number) => boolean): void;
      };
    };
    chain(): { focus(): { setTextSelection(r: number | { from: number; to: number }): { run(): boolean } } };
  };
};

/** Selects the first occurrence of `text` in the editor: a text selection dispatched to ProseMirror. */
export async function selectInEditor(page: Page, text: string): Promise<void> {
  const done = await page.getByTestId("editor").evaluate((el, wanted) => {
    const editor = (el as EditorElement).editor;
    if (!editor) return false;
    let found: { from: number; to: number } | null = null;
    editor.state.doc.descendants((node, pos) => {
      const at = node.isText && !found ? (node.text ?? "").indexOf(wanted) : -1;
      if (at >= 0) found = { from: pos + at, to: pos + at + wanted.length };
      return !found;
    });
    return found ? editor.chain().focus().setTextSelection(found).run() : false;
  }, text);
  expect(done, `"${text}" is in the editor`).toBe(true);
  // Tiptap focuses in the next animation frame: keys typed before would go nowhere.
  await expect(page.getByTestId("editor")).toBeFocused();
}
