// @vitest-environment happy-dom
import { Editor, type JSONContent } from "@tiptap/core";
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { prosemirrorJSONToYDoc, ySyncPluginKey } from "@tiptap/y-tiptap";
import { afterEach, describe, expect, it } from "vitest";
import { createDeriver } from "./derive";
import { findItemNodes } from "~/models/tracked-item.server";
import { contentExtensions, editorSchema, YJS_FRAGMENT } from "./extensions";
import type { ItemKind } from "~/domain/tracked-item";
import {
  defaultItemDueDate,
  idFixes,
  ITEM_ID_PATTERN,
  normalizeItemText,
  RESPONSIBLE_MAX,
  STANDARD_MAX,
  TrackedItem,
  trackedItemIdPlugin,
  TRACKED_ITEM,
} from "./tracked-item";

const LEAD = "leadorg0001";
const SUP1 = "suporg00001";
const SUP2 = "suporg00002";
const SV1 = "svorg000001";
const SV2 = "svorg000002";

const text = (t: string) => ({ type: "text", text: t });
const item = (attrs: Record<string, unknown>, wording: string) => ({
  type: TRACKED_ITEM,
  attrs,
  content: wording ? [text(wording)] : [],
});
const para = (t: string) => ({ type: "paragraph", content: t ? [text(t)] : [] });

function itemsOf(doc: PMNode): Array<{ pos: number; itemId: string | null; text: string }> {
  const out: Array<{ pos: number; itemId: string | null; text: string }> = [];
  doc.descendants((node, pos) => {
    if (node.type.name === TRACKED_ITEM)
      out.push({ pos, itemId: node.attrs.itemId as string | null, text: node.textContent });
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
    expect(node.attrs).toEqual({
      itemId: null,
      leadOrgId: null,
      supportingOrgIds: "",
      dueDate: null,
      feedbackCycle: "NONE",
      supervisorOrgIds: "",
      responsible: null,
      standard: null,
    });
  });

  it("keeps the kind-specific attributes through JSON", () => {
    const json = item(
      {
        itemId: "json0000001",
        leadOrgId: LEAD,
        supportingOrgIds: SUP1,
        dueDate: "2027-03-01",
        feedbackCycle: "WEEKLY",
        supervisorOrgIds: `${SV1},${SV2}`,
        responsible: "张某（副局长）",
        standard: "一、建立台账；\n二、逐项销号",
      },
      "整改措施",
    );
    const node = schema.nodeFromJSON(json);
    expect(node.attrs).toMatchObject({
      supervisorOrgIds: `${SV1},${SV2}`,
      responsible: "张某（副局长）",
      standard: "一、建立台账；\n二、逐项销号",
    });
    expect(node.toJSON()).toEqual(json);
  });

  it("survives the collab server's derivation (Yjs → JSON) with every attribute, as findItemNodes reads them", () => {
    const json = {
      type: "doc",
      content: [
        para("会议议定："),
        item(
          {
            itemId: "item0000001",
            leadOrgId: LEAD,
            supportingOrgIds: `${SUP1},${SUP2}`,
            dueDate: "2027-01-15",
            feedbackCycle: "MONTHLY",
            supervisorOrgIds: `${SV1},${SV2}`,
            responsible: "张某",
            standard: "全部整改到位",
          },
          "建立涉企行政检查计划统筹机制",
        ),
        item(
          { itemId: "item0000002", leadOrgId: null, supportingOrgIds: "", dueDate: null, feedbackCycle: "NONE" },
          "梳理重复检查事项清单",
        ),
      ],
    };
    const derived = createDeriver()(prosemirrorJSONToYDoc(editorSchema(), json, YJS_FRAGMENT));
    expect(derived.text).toBe("会议议定：\n建立涉企行政检查计划统筹机制\n梳理重复检查事项清单");
    expect(findItemNodes(derived.json)).toEqual([
      {
        itemId: "item0000001",
        number: 1,
        wording: "建立涉企行政检查计划统筹机制",
        leadOrgId: LEAD,
        supportingOrgIds: [SUP1, SUP2],
        dueDate: "2027-01-15",
        feedbackCycle: "MONTHLY",
        supervisorOrgIds: [SV1, SV2],
        responsible: "张某",
        standard: "全部整改到位",
      },
      {
        itemId: "item0000002",
        number: 2,
        wording: "梳理重复检查事项清单",
        leadOrgId: null,
        supportingOrgIds: [],
        dueDate: null,
        feedbackCycle: "NONE",
        supervisorOrgIds: [],
        responsible: null,
        standard: null,
      },
    ]);
  });
});

describe("item id plugin", () => {
  const schema: Schema = editorSchema();
  const stateOf = (content: unknown[]) =>
    EditorState.create({
      schema,
      doc: schema.nodeFromJSON({ type: "doc", content }),
      plugins: [trackedItemIdPlugin()],
    });
  const apply = (state: EditorState, build: (tr: Transaction) => Transaction) =>
    state.applyTransaction(build(state.tr)).state;

  it("gives an inserted item without an id a fresh cuid2", () => {
    const state = apply(stateOf([para("正文")]), (tr) =>
      tr.insert(tr.doc.content.size, schema.nodeFromJSON(item({}, "新事项"))),
    );
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
    const remote = apply(base, (tr) =>
      tr
        .insert(0, schema.nodeFromJSON(original))
        .insert(0, schema.nodeFromJSON(item({}, "无编号")))
        .setMeta(ySyncPluginKey, { isChangeOrigin: true }),
    );
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
    const doc = schema.nodeFromJSON({
      type: "doc",
      content: [
        item({ itemId: "dupdup00001" }, "甲"),
        item({ itemId: "dupdup00001" }, "乙"),
        item({ itemId: "bad id" }, "丙"),
      ],
    });
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
  const make = (content: JSONContent[], editable = true, kind?: ItemKind) => {
    const extensions = kind
      ? contentExtensions().map((e) => (e.name === TRACKED_ITEM ? TrackedItem.configure({ kind }) : e))
      : contentExtensions();
    editor = new Editor({ extensions, content: { type: "doc", content }, editable });
    return editor;
  };
  const type = (e: Editor, s: string) => {
    for (const ch of s) {
      const { from, to } = e.state.selection;
      const handled = e.view.someProp("handleTextInput", (f) =>
        f(e.view, from, to, ch, () => e.state.tr.insertText(ch, from, to)),
      );
      if (!handled) e.view.dispatch(e.state.tr.insertText(ch, from, to));
    }
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

  it("turns 【整改措施】 and 【督办案件】 into items too, in any document; in a listing a case is due in six months", () => {
    for (const kind of ["AGREED_ITEM", "RECTIFICATION_MEASURE", "SUPERVISED_CASE"] as const) {
      for (const word of ["议定事项", "整改措施", "督办案件"]) {
        const e = make([para("前文"), para("")], true, kind);
        e.commands.setTextSelection(e.state.doc.content.size - 1);
        type(e, `【${word}】`);
        const json = e.getJSON();
        expect(json.content?.map((n) => n.type)).toEqual(["paragraph", TRACKED_ITEM, "paragraph"]);
        expect(json.content?.[1].attrs?.itemId).toMatch(ITEM_ID_PATTERN);
        expect(json.content?.[1].attrs?.dueDate).toBe(
          kind === "SUPERVISED_CASE" ? defaultItemDueDate("SUPERVISED_CASE") : null,
        );
        e.destroy();
      }
    }
    // Other bracketed words stay text.
    const e = make([para("")]);
    e.commands.setTextSelection(1);
    type(e, "【督办事项】");
    expect(e.getJSON().content?.map((n) => n.type)).toEqual(["paragraph"]);
  });

  it("inserts a case of a listing with the default 督办期限 unless one is given", () => {
    const e = make([para("清单")], true, "SUPERVISED_CASE");
    e.commands.setTextSelection(3);
    e.commands.insertTrackedItem();
    e.commands.insertTrackedItem({ dueDate: "2027-05-01" });
    e.commands.insertTrackedItem({ dueDate: null });
    const dues = (e.getJSON().content ?? []).filter((n) => n.type === TRACKED_ITEM).map((n) => n.attrs?.dueDate);
    // Each insertion goes after the current block (the previous item), so they read in order.
    expect(dues).toEqual([defaultItemDueDate("SUPERVISED_CASE"), "2027-05-01", null]);
    expect(defaultItemDueDate("SUPERVISED_CASE")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    e.destroy();
    // Minutes and plans: no default.
    const m = make([para("纪要")], true, "RECTIFICATION_MEASURE");
    m.commands.setTextSelection(3);
    m.commands.insertTrackedItem();
    expect(findItemNodes(m.getJSON())[0].dueDate).toBeNull();
  });

  it("parses and renders the kind-specific attributes, normalised", () => {
    const e = make([para("")]);
    const longName = "甲".repeat(RESPONSIBLE_MAX + 5);
    e.commands.setContent(
      `<div data-tracked-item data-item-id="html0000002" data-supervisor-org-ids=" ${SV1},${SV2} ,${SV1},," data-responsible="  张某\t（副局长）  " data-standard="  一、建立台账；&#10;二、逐项销号  ">甲</div>` +
        `<div data-tracked-item data-item-id="html0000003" data-responsible="${longName}" data-standard="   ">乙</div>`,
    );
    const [first, second] = [e.state.doc.child(0), e.state.doc.child(1)];
    expect(first.attrs).toMatchObject({
      supervisorOrgIds: `${SV1},${SV2}`,
      responsible: "张某 （副局长）",
      standard: "一、建立台账；\n二、逐项销号",
    });
    expect(second.attrs).toMatchObject({
      supervisorOrgIds: "",
      responsible: "甲".repeat(RESPONSIBLE_MAX),
      standard: null,
    });
    const html = e.getHTML();
    expect(html).toContain(`data-supervisor-org-ids="${SV1},${SV2}"`);
    expect(html).toContain('data-responsible="张某 （副局长）"');
    expect(html).toContain("data-standard=");
    // Empty values are not rendered, and the HTML parses back to the same attributes.
    expect(html.match(/data-supervisor-org-ids/g)).toHaveLength(1);
    expect(html.match(/data-standard=/g)).toHaveLength(1);
    e.destroy();
    const again = make([para("")]);
    again.commands.setContent(html);
    expect(again.state.doc.child(0).attrs).toEqual(first.attrs);
    expect(again.state.doc.child(1).attrs).toEqual(second.attrs);
  });

  it("parses and renders div[data-tracked-item] with data attributes", () => {
    const e = make([para("")]);
    e.commands.setContent(
      `<div data-tracked-item data-item-id="html0000001" data-lead-org-id="${LEAD}" data-supporting-org-ids="${SUP1}, ${SUP2},${SUP1}" data-due-date="2027-02-01" data-feedback-cycle="WEEKLY">事项</div>`,
    );
    const node = e.state.doc.child(0);
    expect(node.type.name).toBe(TRACKED_ITEM);
    expect(node.attrs).toEqual({
      itemId: "html0000001",
      leadOrgId: LEAD,
      supportingOrgIds: `${SUP1},${SUP2}`,
      dueDate: "2027-02-01",
      feedbackCycle: "WEEKLY",
      supervisorOrgIds: "",
      responsible: null,
      standard: null,
    });
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

describe("kind-specific values", () => {
  it("督办期限 defaults to six calendar months from today in China time, the day clamped to the month's end", () => {
    // 2026-08-31 in China (16:30 UTC the day before) → 2027-02-28; a leap year gets the 29th.
    expect(defaultItemDueDate("SUPERVISED_CASE", new Date("2026-08-30T16:30:00Z"))).toBe("2027-02-28");
    expect(defaultItemDueDate("SUPERVISED_CASE", new Date("2027-08-31T04:00:00Z"))).toBe("2028-02-29");
    expect(defaultItemDueDate("SUPERVISED_CASE", new Date("2026-08-30T15:30:00Z"))).toBe("2027-02-28");
    expect(defaultItemDueDate("SUPERVISED_CASE", new Date("2026-03-31T04:00:00Z"))).toBe("2026-09-30");
    expect(defaultItemDueDate("SUPERVISED_CASE", new Date("2026-07-15T04:00:00Z"))).toBe("2027-01-15");
    expect(defaultItemDueDate("AGREED_ITEM", new Date("2026-08-31T04:00:00Z"))).toBeNull();
    expect(defaultItemDueDate("RECTIFICATION_MEASURE", new Date("2026-08-31T04:00:00Z"))).toBeNull();
  });

  it("normalises 责任人 and 整改标准 as plain text", () => {
    expect(normalizeItemText("  张某\n（副局长）\u0007 ", RESPONSIBLE_MAX)).toBe("张某 （副局长）");
    expect(normalizeItemText("一、\r\n二、\t三", STANDARD_MAX, true)).toBe("一、\n二、 三");
    expect(normalizeItemText("   ", RESPONSIBLE_MAX)).toBeNull();
    expect(normalizeItemText(42, RESPONSIBLE_MAX)).toBeNull();
    expect(normalizeItemText("𠀀".repeat(60), RESPONSIBLE_MAX)).toBe("𠀀".repeat(RESPONSIBLE_MAX));
    expect(normalizeItemText("a\ud800b", RESPONSIBLE_MAX)).toBe("ab");
  });
});
