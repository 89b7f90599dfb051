import type { AnyExtension } from "@tiptap/core";
import { getSchema } from "@tiptap/core";
import Blockquote from "@tiptap/extension-blockquote";
import Document from "@tiptap/extension-document";
import { BulletList, ListItem, OrderedList } from "@tiptap/extension-list";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";
import { SUGGESTION_MARKS } from "~/domain/suggestion";
import { StatChart } from "./chart";
import { CommentMark } from "./comment-mark";
import { GongwenHeading } from "./heading";
import { SuggestionMarks } from "./suggestion-marks";
import { TrackedItem } from "./tracked-item";
import { WordPaste } from "./word-paste";

/**
 * The content extensions of every Consult document: imported by the browser editor and by the
 * collab server, so both agree on every node (architecture.md "Document formats"). Collaboration itself (Yjs binding,
 * carets) is added by the browser only; it adds no nodes.
 *
 * Heading levels follow the 公文 hierarchy: 1 = 一、 (黑体), 2 = (一) (楷体), 3 = 1. , 4 = (1).
 */
export function contentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Yjs brings its own undo manager.
      undoRedo: false,
      // GongwenHeading below: levels 1–4 rendered under the page's own h1.
      heading: false,
      // The containers below, allowed to carry 修订 marks on their blocks.
      document: false,
      blockquote: false,
      bulletList: false,
      orderedList: false,
      listItem: false,
      link: { openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"] },
    }),
    GongwenHeading,
    ...[Document, Blockquote, BulletList, OrderedList, ListItem, TableRow, TableCell, TableHeader].map((node) =>
      node.extend({ marks: SUGGESTION_BLOCK_MARKS }),
    ),
    GongwenTable,
    // 统计图 (图N): written by the server into the reports it generates; the browser swaps in its node view.
    StatChart,
    // 议定事项: schema, ids, insertion; the browser swaps in a version with its React node view.
    TrackedItem,
    // 批注 anchors (ADR 017): written by the server, shown by the editor.
    CommentMark,
    // 修订 (ADR 019): suggested insertions, deletions and changes of formatting.
    ...SuggestionMarks,
    // Paste from Word or WPS keeps its lists and headings (ADR 020); adds no nodes.
    WordPaste,
  ];
}

/**
 * The 修订 marks a container's blocks may carry for a moment: the suggestion transform marks a whole
 * proposed block (a new paragraph, a 议定事项, a table row) on the block itself, and the editor turns
 * that into marks on the block's text before anything is sent (y-tiptap keeps no marks on blocks;
 * ADR 019). Without them in the schema, proposing a new block throws.
 */
const SUGGESTION_BLOCK_MARKS = SUGGESTION_MARKS.join(" ");

/**
 * Tables: Tab and Shift+Tab move between cells; Tab in the last cell leaves the editor like every
 * other field (WCAG 2.1.2 — the default adds a row there, so the keyboard could never get out).
 * Rows are added from the toolbar.
 */
const GongwenTable = Table.extend({
  marks: SUGGESTION_BLOCK_MARKS,
  addKeyboardShortcuts() {
    return {
      Tab: () => this.editor.commands.goToNextCell(),
      "Shift-Tab": () => this.editor.commands.goToPreviousCell(),
    };
  },
}).configure({ resizable: false });

/** Name of the Y.XmlFragment holding the document body. */
export const YJS_FRAGMENT = "default";

let schema: ReturnType<typeof getSchema> | undefined;

/**
 * The editor's ProseMirror schema, built once per process (building it takes tens of milliseconds, and every
 * deriver, export and import asks for it): one schema, so nodes made by one part fit every other part.
 */
export function editorSchema() {
  schema ??= getSchema(contentExtensions());
  return schema;
}

export const HEADING_LEVELS = [
  // The accessible name starts with what the button shows (WCAG 2.5.3, axe label-content-name-mismatch).
  { level: 1, label: "一、", title: "一、 一级标题（黑体）" },
  { level: 2, label: "（一）", title: "（一） 二级标题（楷体）" },
  { level: 3, label: "1.", title: "1. 三级标题（仿宋）" },
  { level: 4, label: "（1）", title: "（1） 四级标题（仿宋）" },
] as const;
