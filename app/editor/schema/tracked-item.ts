import { createId } from "@paralleldrive/cuid2";
import { InputRule, mergeAttributes, Node } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { SUPERVISION_TERM_MONTHS, type ItemKind } from "~/domain/tracked-item";
import { addMonthsIso, chinaDay } from "~/domain/dates";

/**
 * A tracked item block (architecture.md "Document formats"): 议定事项 of minutes, 整改措施 of a rectification plan, 督办案件 of a
 * supervision listing — one node, labelled by the kind of its document (`itemLabels`). The wording
 * is the node's inline content, tracking facts are attributes. The collab server derives TrackedItem rows from these nodes
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
  /** 督办单位 of a supervised case: comma-separated org ids; empty = all supervising orgs of the listing. */
  supervisorOrgIds: string;
  /** 责任人 of a rectification measure: plain text, at most `RESPONSIBLE_MAX` characters. */
  responsible: string | null;
  /** 整改标准 of a rectification measure: plain text, at most `STANDARD_MAX` characters. */
  standard: string | null;
}

export const RESPONSIBLE_MAX = 50;
export const STANDARD_MAX = 500;

/** Options of the node: the kind of the items of the document being edited (browser only; the server keeps the default). */
export interface TrackedItemOptions {
  kind: ItemKind;
}

export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Shortcut that inserts an item (Tiptap notation) and how the toolbar shows it. */
export const INSERT_ITEM_SHORTCUT = "Mod-Alt-i";

/** The `supportingOrgIds` attribute as a list (deduplicated, without blanks). */
export function splitOrgIds(raw: unknown): string[] {
  if (typeof raw !== "string") return [];
  return [
    ...new Set(
      raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export function joinOrgIds(ids: readonly string[]): string {
  return [...new Set(ids.map((s) => s.trim()).filter(Boolean))].join(",");
}

function str(v: string | null | undefined): string | null {
  return v === null || v === undefined || v === "" ? null : v;
}

/**
 * A plain-text attribute (责任人, 整改标准): control characters and lone surrogates dropped (line
 * breaks kept only when `multiline`, other whitespace runs become one space), trimmed, cut to `max` characters (code points); null when nothing is left.
 */
export function normalizeItemText(raw: unknown, max: number, multiline = false): string | null {
  if (typeof raw !== "string") return null;
  let text = "";
  for (const ch of raw.replace(/\r\n?/g, "\n")) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "\n" && multiline) text += ch;
    else if (c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c) text += " ";
    else if (c >= 0x20 && c !== 0x7f && c !== 0xfffe && c !== 0xffff && !(c >= 0xd800 && c <= 0xdfff)) text += ch;
  }
  if (!multiline) text = text.replace(/\s+/g, " ");
  const cut = [...text.trim()].slice(0, max).join("").trim();
  return cut === "" ? null : cut;
}

/**
 * The due date an item of `kind` gets when inserted without one: a supervised case is due six
 * months from today in China time (督办期限默认六个月; 08-31 → 02-28/29), other kinds have none.
 */
export function defaultItemDueDate(kind: ItemKind, now: Date = new Date()): string | null {
  return kind === "SUPERVISED_CASE" ? addMonthsIso(chinaDay(now), SUPERVISION_TERM_MONTHS) : null;
}

/** The words that, typed as 【…】 in an empty paragraph, turn it into an item (any kind, in any document). */
export const ITEM_INPUT_WORDS = ["议定事项", "整改措施", "督办案件"] as const;

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

export const TrackedItem = Node.create<TrackedItemOptions, TrackedItemStorage>({
  name: TRACKED_ITEM,
  group: "block",
  content: "inline*",
  defining: true,

  addOptions() {
    return { kind: "AGREED_ITEM" };
  },

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
      supervisorOrgIds: {
        default: "",
        parseHTML: (el) => joinOrgIds(splitOrgIds(el.getAttribute("data-supervisor-org-ids") ?? "")),
        renderHTML: (attrs) => (attrs.supervisorOrgIds ? { "data-supervisor-org-ids": attrs.supervisorOrgIds } : {}),
      },
      responsible: {
        default: null,
        parseHTML: (el) => normalizeItemText(el.getAttribute("data-responsible"), RESPONSIBLE_MAX),
        renderHTML: (attrs) => (attrs.responsible ? { "data-responsible": attrs.responsible } : {}),
      },
      standard: {
        default: null,
        parseHTML: (el) => normalizeItemText(el.getAttribute("data-standard"), STANDARD_MAX, true),
        renderHTML: (attrs) => (attrs.standard ? { "data-standard": attrs.standard } : {}),
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
          const dueDate = attrs.dueDate === undefined ? defaultItemDueDate(this.options.kind) : attrs.dueDate;
          const node = type.create({ ...attrs, itemId, dueDate });
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
    // 【议定事项】, 【整改措施】 or 【督办案件】 typed at the start of an empty paragraph turns the
    // paragraph into an item (labelled by the document's kind whichever word was typed).
    const kind = this.options.kind;
    return [
      new InputRule({
        find: new RegExp(`^【(?:${ITEM_INPUT_WORDS.join("|")})】$`),
        handler: ({ state, range }) => {
          const $from = state.doc.resolve(range.from);
          const $to = state.doc.resolve(range.to);
          const type = state.schema.nodes[TRACKED_ITEM];
          if (
            !type ||
            $from.parent.type.name !== "paragraph" ||
            $from.parentOffset !== 0 ||
            $to.parentOffset !== $to.parent.content.size
          )
            return null;
          const before = $from.before();
          if (!$from.node(-1).canReplaceWith($from.index(-1), $from.index(-1) + 1, type)) return null;
          state.tr.replaceWith(
            before,
            $from.after(),
            type.create({ itemId: createId(), dueDate: defaultItemDueDate(kind) }),
          );
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
export function idFixes(
  doc: PMNode,
  changed: ReadonlyArray<[number, number]>,
  newIdFn: () => string = createId,
): Array<{ pos: number; itemId: string }> {
  const items: Array<{ pos: number; id: string | null; touched: boolean }> = [];
  doc.descendants((node, pos) => {
    if (node.type.name !== TRACKED_ITEM) return true;
    const end = pos + node.nodeSize;
    const raw = node.attrs.itemId;
    items.push({
      pos,
      id: typeof raw === "string" && ITEM_ID_PATTERN.test(raw) ? raw : null,
      touched: changed.some(([a, b]) => (a === b ? a > pos && a < end : a < end && b > pos)),
    });
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
