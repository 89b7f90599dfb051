import { createId } from "@paralleldrive/cuid2";
import { InputRule, mergeAttributes, Node } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";

/**
 * 议定事项 (agreed item) block of the minutes (DESIGN §2): the wording is the node's inline content,
 * tracking facts are attributes. The collab server derives TrackedItem rows from these nodes
 * (`findItemNodes` in app/models/tracked-item.server.ts reads exactly these attributes).
 *
 * Schema only: no React here, the server loads this file. The browser adds the node view.
 */

export const TRACKED_ITEM = "trackedItem";

export type FeedbackCycleAttr = "NONE" | "WEEKLY" | "MONTHLY";

export interface TrackedItemAttrs {
  /** The TrackedItem row id (cuid2); given by the editor, unique in the document. */
  itemId: string | null;
  /** 牵头单位 (one org id). */
  leadOrgId: string | null;
  /** 配合单位: comma-separated org ids, never containing the lead. */
  supportingOrgIds: string;
  /** 完成时限: YYYY-MM-DD (a China calendar day). */
  dueDate: string | null;
  /** 反馈周期 */
  feedbackCycle: FeedbackCycleAttr;
}

export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Shortcut that inserts an item (Tiptap notation) and how the toolbar shows it. */
export const INSERT_ITEM_SHORTCUT = "Mod-Alt-i";

/** The `supportingOrgIds` attribute as a list (deduplicated, without blanks). */
export function splitOrgIds(raw: unknown): string[] {
  if (typeof raw !== "string") return [];
  return [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
}

export function joinOrgIds(ids: readonly string[]): string {
  return [...new Set(ids.map((s) => s.trim()).filter(Boolean))].join(",");
}

function str(v: string | null | undefined): string | null {
  return v === null || v === undefined || v === "" ? null : v;
}

export interface TrackedItemStorage {
  /** The item whose settings the browser node view should open once it mounts (set by the insert command). */
  pendingSettings: string | null;
}

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    trackedItem: {
      /**
       * Inserts an item after the current top-level block (or in place of an empty paragraph) and
       * puts the cursor in its wording. With `openSettings`, the node view opens its settings.
       */
      insertTrackedItem: (attrs?: Partial<TrackedItemAttrs>, options?: { openSettings?: boolean }) => ReturnType;
    };
  }
  interface Storage {
    trackedItem: TrackedItemStorage;
  }
}

export const TrackedItem = Node.create<Record<string, never>, TrackedItemStorage>({
  name: TRACKED_ITEM,
  group: "block",
  content: "inline*",
  defining: true,

  addStorage() {
    return { pendingSettings: null };
  },

  addAttributes() {
    return {
      itemId: {
        default: null,
        parseHTML: (el) => str(el.getAttribute("data-item-id")),
        renderHTML: (attrs) => (attrs.itemId ? { "data-item-id": attrs.itemId } : {}),
      },
      leadOrgId: {
        default: null,
        parseHTML: (el) => str(el.getAttribute("data-lead-org-id")),
        renderHTML: (attrs) => (attrs.leadOrgId ? { "data-lead-org-id": attrs.leadOrgId } : {}),
      },
      supportingOrgIds: {
        default: "",
        parseHTML: (el) => joinOrgIds(splitOrgIds(el.getAttribute("data-supporting-org-ids") ?? "")),
        renderHTML: (attrs) => (attrs.supportingOrgIds ? { "data-supporting-org-ids": attrs.supportingOrgIds } : {}),
      },
      dueDate: {
        default: null,
        parseHTML: (el) => {
          const v = el.getAttribute("data-due-date");
          return v && DATE_PATTERN.test(v) ? v : null;
        },
        renderHTML: (attrs) => (attrs.dueDate ? { "data-due-date": attrs.dueDate } : {}),
      },
      feedbackCycle: {
        default: "NONE",
        parseHTML: (el) => {
          const v = el.getAttribute("data-feedback-cycle");
          return v === "WEEKLY" || v === "MONTHLY" ? v : "NONE";
        },
        renderHTML: (attrs) => ({ "data-feedback-cycle": attrs.feedbackCycle ?? "NONE" }),
      },
    };
  },

  parseHTML() {
    return [{ tag: "div[data-tracked-item]" }];
  },

  renderHTML({ HTMLAttributes }) {
    return ["div", mergeAttributes({ "data-tracked-item": "" }, HTMLAttributes), 0];
  },

  addCommands() {
    return {
      insertTrackedItem:
        (attrs = {}, options = {}) =>
        ({ state, tr, dispatch, editor }) => {
          if (!editor.isEditable) return false;
          const type = state.schema.nodes[TRACKED_ITEM];
          if (!type) return false;
          const itemId = attrs.itemId && ITEM_ID_PATTERN.test(attrs.itemId) ? attrs.itemId : createId();
          const node = type.create({ ...attrs, itemId });
          const { $from } = state.selection;
          let from: number;
          let to: number;
          if ($from.depth === 0) {
            from = to = state.selection.to;
          } else {
            const block = $from.node(1);
            if (block.type.name === "paragraph" && block.content.size === 0) {
              from = $from.before(1);
              to = $from.after(1);
            } else {
              from = to = $from.after(1);
            }
          }
          if (dispatch) {
            tr.replaceWith(from, to, node);
            tr.setSelection(TextSelection.create(tr.doc, from + 1));
            tr.scrollIntoView();
            if (options.openSettings) this.storage.pendingSettings = itemId;
          }
          return true;
        },
    };
  },

  addKeyboardShortcuts() {
    return {
      [INSERT_ITEM_SHORTCUT]: () => this.editor.commands.insertTrackedItem({}, { openSettings: true }),
    };
  },

  addInputRules() {
    // 【议定事项】 typed at the start of an empty paragraph turns the paragraph into an item.
    return [
      new InputRule({
        find: /^【议定事项】$/,
        handler: ({ state, range }) => {
          const $from = state.doc.resolve(range.from);
          const $to = state.doc.resolve(range.to);
          const type = state.schema.nodes[TRACKED_ITEM];
          if (!type || $from.parent.type.name !== "paragraph" || $from.parentOffset !== 0 || $to.parentOffset !== $to.parent.content.size) return null;
          const before = $from.before();
          if (!$from.node(-1).canReplaceWith($from.index(-1), $from.index(-1) + 1, type)) return null;
          state.tr.replaceWith(before, $from.after(), type.create({ itemId: createId() }));
          state.tr.setSelection(TextSelection.create(state.tr.doc, before + 1));
        },
      }),
    ];
  },

  addProseMirrorPlugins() {
    return [trackedItemIdPlugin()];
  },
});

export const trackedItemIdKey = new PluginKey("trackedItemIds");

/** true for transactions that carry changes made by another client (or loaded from the cache). */
function isRemote(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return Boolean(meta?.isChangeOrigin);
}

/**
 * Ranges of the final document touched by local transactions (remote ones are only mapped).
 * Exported for tests.
 */
export function localChangedRanges(transactions: readonly Transaction[]): Array<[number, number]> {
  let ranges: Array<[number, number]> = [];
  for (const tr of transactions) {
    if (!tr.docChanged) continue;
    ranges = ranges.map(([a, b]) => [tr.mapping.map(a, -1), tr.mapping.map(b, 1)]);
    if (isRemote(tr)) continue;
    tr.mapping.maps.forEach((map, i) => {
      const rest = tr.mapping.slice(i + 1);
      map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
        ranges.push([rest.map(newStart, -1), rest.map(newEnd, 1)]);
      });
    });
  }
  return ranges;
}

/**
 * The fixes to apply to a document: every item touched by the local change whose id is missing,
 * malformed or also carried by another item gets a fresh id. Among items sharing an id, the first
 * untouched one keeps it (the original of a paste or duplicate), else the first in document order.
 * Untouched items are never changed, so two clients never rewrite each other's ids.
 */
export function idFixes(doc: PMNode, changed: ReadonlyArray<[number, number]>, newIdFn: () => string = createId): Array<{ pos: number; itemId: string }> {
  const items: Array<{ pos: number; id: string | null; touched: boolean }> = [];
  doc.descendants((node, pos) => {
    if (node.type.name !== TRACKED_ITEM) return true;
    const end = pos + node.nodeSize;
    const raw = node.attrs.itemId;
    items.push({ pos, id: typeof raw === "string" && ITEM_ID_PATTERN.test(raw) ? raw : null, touched: changed.some(([a, b]) => (a === b ? a > pos && a < end : a < end && b > pos)) });
    return false;
  });
  if (!items.some((i) => i.touched)) return [];
  const keeper = new Map<string, number>();
  for (const item of items) {
    if (!item.id) continue;
    const current = keeper.get(item.id);
    if (current === undefined || (items[current].touched && !item.touched)) keeper.set(item.id, items.indexOf(item));
  }
  const used = new Set(items.map((i) => i.id).filter((x): x is string => x !== null));
  const fixes: Array<{ pos: number; itemId: string }> = [];
  items.forEach((item, index) => {
    if (!item.touched) return;
    if (item.id && keeper.get(item.id) === index) return;
    let id = newIdFn();
    while (used.has(id)) id = newIdFn();
    used.add(id);
    fixes.push({ pos: item.pos, itemId: id });
  });
  return fixes;
}

/** Gives items touched by local edits a fresh id when they have none or share one (paste, duplicate). */
export function trackedItemIdPlugin(): Plugin {
  return new Plugin({
    key: trackedItemIdKey,
    appendTransaction(transactions: readonly Transaction[], _old: EditorState, state: EditorState) {
      if (!transactions.some((tr) => tr.docChanged && !isRemote(tr))) return null;
      const fixes = idFixes(state.doc, localChangedRanges(transactions));
      if (!fixes.length) return null;
      const tr = state.tr;
      for (const fix of fixes) tr.setNodeAttribute(fix.pos, "itemId", fix.itemId);
      return tr.setMeta(trackedItemIdKey, true);
    },
  });
}
