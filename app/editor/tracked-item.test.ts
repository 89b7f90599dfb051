// @vitest-environment happy-dom
import { Editor, type JSONContent } from "@tiptap/core";
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { prosemirrorJSONToYDoc, ySyncPluginKey } from "@tiptap/y-tiptap";
import { afterEach, describe, expect, it } from "vitest";
import { createDeriver } from "../../collab/documents/derive";
import { findItemNodes } from "../models/tracked-item.server";
import { contentExtensions, editorSchema, YJS_FRAGMENT } from "./extensions";
import { idFixes, ITEM_ID_PATTERN, trackedItemIdPlugin, TRACKED_ITEM } from "./tracked-item";

const LEAD = "leadorg0001";
const SUP1 = "suporg00001";
const SUP2 = "suporg00002";

const text = (t: string) => ({ type: "text", text: t });
const item = (attrs: Record<string, unknown>, wording: string) => ({ type: TRACKED_ITEM, attrs, content: wording ? [text(wording)] : [] });
const para = (t: string) => ({ type: "paragraph", content: t ? [text(t)] : [] });

function itemsOf(doc: PMNode): Array<{ pos: number; itemId: string | null; text: string }> {
  const out: Array<{ pos: number; itemId: string | null; text: string }> = [];
  doc.descendants((node, pos) => {
    if (node.type.name === TRACKED_ITEM) out.push({ pos, itemId: node.attrs.itemId as string | null, text: node.textContent });
    return node.type.name !== TRACKED_ITEM;
  });
  return out;
}

describe("trackedItem schema", () => {
  const schema: Schema = editorSchema();

  it("is a defining block with inline content and exactly the tracked attributes", () => {
    const type = schema.nodes[TRACKED_ITEM];
    expect(type).toBeDefined();
    expect(type.isBlock).toBe(true);
    expect(type.spec.defining).toBe(true);
    expect(type.spec.content).toBe("inline*");
    const node = type.create();
    expect(node.attrs).toEqual({ itemId: null, leadOrgId: null, supportingOrgIds: "", dueDate: null, feedbackCycle: "NONE" });
  });

  it("survives the collab server's derivation (Yjs → JSON) with every attribute, as findItemNodes reads them", () => {
    const json = {
      type: "doc",
      content: [
        para("会议议定："),
        item({ itemId: "item0000001", leadOrgId: LEAD, supportingOrgIds: `${SUP1},${SUP2}`, dueDate: "2027-01-15", feedbackCycle: "MONTHLY" }, "建立涉企行政检查计划统筹机制"),
        item({ itemId: "item0000002", leadOrgId: null, supportingOrgIds: "", dueDate: null, feedbackCycle: "NONE" }, "梳理重复检查事项清单"),
      ],
    };
    const derived = createDeriver()(prosemirrorJSONToYDoc(editorSchema(), json, YJS_FRAGMENT));
    expect(derived.text).toBe("会议议定：\n建立涉企行政检查计划统筹机制\n梳理重复检查事项清单");
    expect(findItemNodes(derived.json)).toEqual([
      { itemId: "item0000001", number: 1, wording: "建立涉企行政检查计划统筹机制", leadOrgId: LEAD, supportingOrgIds: [SUP1, SUP2], dueDate: "2027-01-15", feedbackCycle: "MONTHLY" },
      { itemId: "item0000002", number: 2, wording: "梳理重复检查事项清单", leadOrgId: null, supportingOrgIds: [], dueDate: null, feedbackCycle: "NONE" },
    ]);
  });
});

describe("item id plugin", () => {
  const schema: Schema = editorSchema();
  const stateOf = (content: unknown[]) => EditorState.create({ schema, doc: schema.nodeFromJSON({ type: "doc", content }), plugins: [trackedItemIdPlugin()] });
  const apply = (state: EditorState, build: (tr: Transaction) => Transaction) => state.applyTransaction(build(state.tr)).state;

  it("gives an inserted item without an id a fresh cuid2", () => {
    const state = apply(stateOf([para("正文")]), (tr) => tr.insert(tr.doc.content.size, schema.nodeFromJSON(item({}, "新事项"))));
    const [it1] = itemsOf(state.doc);
    expect(it1.itemId).toMatch(ITEM_ID_PATTERN);
  });

  it("renames the pasted copy, never the original, wherever the copy lands", () => {
    const original = item({ itemId: "original001", leadOrgId: LEAD }, "原事项");
    const base = stateOf([para("前"), original, para("后")]);
    const copy = schema.nodeFromJSON(original);
    // Pasted before the original, then after it.
    for (const at of [0, base.doc.content.size]) {
      const state = apply(base, (tr) => tr.insert(at, copy));
      const items = itemsOf(state.doc);
      expect(items).toHaveLength(2);
      const kept = items.filter((i) => i.itemId === "original001");
      expect(kept).toHaveLength(1);
      expect(kept[0].pos).toBe(at === 0 ? copy.nodeSize + 3 : 3);
      const fresh = items.find((i) => i.itemId !== "original001");
      expect(fresh?.itemId).toMatch(ITEM_ID_PATTERN);
    }
  });

  it("splitting an item (Enter in the middle) keeps the id on the first half", () => {
    const base = stateOf([item({ itemId: "splitme0001" }, "前半句后半句")]);
    const state = apply(base, (tr) => tr.split(1 + 3));
    const items = itemsOf(state.doc);
    expect(items.map((i) => i.text)).toEqual(["前半句", "后半句"]);
    expect(items[0].itemId).toBe("splitme0001");
    expect(items[1].itemId).toMatch(ITEM_ID_PATTERN);
    expect(items[1].itemId).not.toBe("splitme0001");
  });

  it("leaves remote changes alone, so clients never rewrite each other's ids", () => {
    const original = item({ itemId: "original001" }, "原事项");
    const base = stateOf([original]);
    const remote = apply(base, (tr) => tr.insert(0, schema.nodeFromJSON(original)).insert(0, schema.nodeFromJSON(item({}, "无编号"))).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
    expect(itemsOf(remote.doc).map((i) => i.itemId)).toEqual([null, "original001", "original001"]);
    // A later local edit elsewhere (a new paragraph) does not touch them either.
    const local = apply(remote, (tr) => tr.insert(tr.doc.content.size, schema.nodeFromJSON(para("补充"))));
    expect(itemsOf(local.doc).map((i) => i.itemId)).toEqual([null, "original001", "original001"]);
    // Typing into the id-less one fixes only that one.
    const typed = apply(local, (tr) => tr.insertText("甲", 1));
    const ids = itemsOf(typed.doc).map((i) => i.itemId);
    expect(ids[0]).toMatch(ITEM_ID_PATTERN);
    expect(ids.slice(1)).toEqual(["original001", "original001"]);
  });

  it("is deterministic: among touched duplicates the untouched one, else the first, keeps the id", () => {
    const doc = schema.nodeFromJSON({ type: "doc", content: [item({ itemId: "dupdup00001" }, "甲"), item({ itemId: "dupdup00001" }, "乙"), item({ itemId: "bad id" }, "丙")] });
    let n = 0;
    const ids = () => `fresh${String(++n).padStart(6, "0")}`;
    const firstSize = doc.child(0).nodeSize;
    const secondSize = doc.child(1).nodeSize;
    // Only the second touched: it is renamed, the first keeps.
    expect(idFixes(doc, [[firstSize + 1, firstSize + 2]], ids)).toEqual([{ pos: firstSize, itemId: "fresh000001" }]);
    // Only the first touched: the untouched second keeps the id.
    expect(idFixes(doc, [[1, 2]], ids)).toEqual([{ pos: 0, itemId: "fresh000002" }]);
    // Everything touched: the first keeps, the second and the malformed one are renamed.
    expect(idFixes(doc, [[0, doc.content.size]], ids)).toEqual([
      { pos: firstSize, itemId: "fresh000003" },
      { pos: firstSize + secondSize, itemId: "fresh000004" },
    ]);
    // Nothing touched: nothing to do.
    expect(idFixes(doc, [], ids)).toEqual([]);
  });
});

describe("insertion in the editor", () => {
  let editor: Editor | null = null;
  afterEach(() => {
    editor?.destroy();
    editor = null;
  });
  const make = (content: JSONContent[], editable = true) => {
    editor = new Editor({ extensions: contentExtensions(), content: { type: "doc", content }, editable });
    return editor;
  };

  it("inserts an item after the current block, with a fresh id, the cursor in its wording, and asks for its settings", () => {
    const e = make([para("会议议定如下："), para("其他")]);
    e.commands.setTextSelection(3);
    expect(e.commands.insertTrackedItem({}, { openSettings: true })).toBe(true);
    const json = e.getJSON();
    expect(json.content?.map((n) => n.type)).toEqual(["paragraph", TRACKED_ITEM, "paragraph"]);
    const id = json.content?.[1].attrs?.itemId as string;
    expect(id).toMatch(ITEM_ID_PATTERN);
    expect(e.storage.trackedItem.pendingSettings).toBe(id);
    expect(e.state.selection.$from.parent.type.name).toBe(TRACKED_ITEM);
    e.commands.insertContent("由示例市司法局牵头");
    expect(findItemNodes(e.getJSON())[0]).toMatchObject({ itemId: id, wording: "由示例市司法局牵头" });
  });

  it("replaces an empty paragraph instead of leaving it behind", () => {
    const e = make([para("甲"), para("")]);
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    e.commands.insertTrackedItem();
    // (StarterKit's trailing node keeps a paragraph after a final block.)
    expect(e.getJSON().content?.map((n) => n.type)).toEqual(["paragraph", TRACKED_ITEM, "paragraph"]);
  });

  it("does nothing in a read-only editor", () => {
    const e = make([para("甲")], false);
    expect(e.commands.insertTrackedItem()).toBe(false);
    expect(findItemNodes(e.getJSON())).toEqual([]);
  });

  it("turns 【议定事项】 typed at the start of an empty paragraph into an item, and nowhere else", () => {
    const type = (e: Editor, s: string) => {
      for (const ch of s) {
        const { from, to } = e.state.selection;
        const handled = e.view.someProp("handleTextInput", (f) => f(e.view, from, to, ch, () => e.state.tr.insertText(ch, from, to)));
        if (!handled) e.view.dispatch(e.state.tr.insertText(ch, from, to));
      }
    };
    const e = make([para("前文"), para("")]);
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    type(e, "【议定事项】");
    const json = e.getJSON();
    expect(json.content?.map((n) => n.type)).toEqual(["paragraph", TRACKED_ITEM, "paragraph"]);
    expect(json.content?.[1].content ?? []).toEqual([]);
    expect(json.content?.[1].attrs?.itemId).toMatch(ITEM_ID_PATTERN);
    type(e, "落实责任");
    expect(findItemNodes(e.getJSON())[0].wording).toBe("落实责任");
    e.destroy();

    // After other text it is just text.
    const e2 = make([para("说明")]);
    e2.commands.setTextSelection(3);
    type(e2, "【议定事项】");
    expect(e2.getJSON().content?.map((n) => n.type)).toEqual(["paragraph"]);
    expect(e2.state.doc.textContent).toBe("说明【议定事项】");
  });

  it("parses and renders div[data-tracked-item] with data attributes", () => {
    const e = make([para("")]);
    e.commands.setContent(`<div data-tracked-item data-item-id="html0000001" data-lead-org-id="${LEAD}" data-supporting-org-ids="${SUP1}, ${SUP2},${SUP1}" data-due-date="2027-02-01" data-feedback-cycle="WEEKLY">事项</div>`);
    const node = e.state.doc.child(0);
    expect(node.type.name).toBe(TRACKED_ITEM);
    expect(node.attrs).toEqual({ itemId: "html0000001", leadOrgId: LEAD, supportingOrgIds: `${SUP1},${SUP2}`, dueDate: "2027-02-01", feedbackCycle: "WEEKLY" });
    const html = e.getHTML();
    expect(html).toContain("data-tracked-item");
    expect(html).toContain('data-item-id="html0000001"');
    expect(html).toContain(`data-supporting-org-ids="${SUP1},${SUP2}"`);
    expect(html).toContain('data-feedback-cycle="WEEKLY"');
    expect(html).toContain(">事项</div>");
    // The selection helper used by the node view's focus return stays valid inside the item.
    expect(() => TextSelection.create(e.state.doc, 1)).not.toThrow();
  });
});
