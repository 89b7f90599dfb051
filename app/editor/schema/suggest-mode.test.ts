import type { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, type Transaction } from "@tiptap/pm/state";
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import { editorSchema, YJS_FRAGMENT } from "./extensions";
import { suggestTransaction, type SuggestOptions } from "./suggest-mode";
import { checkSuggestingChange } from "./suggestion-check";
import {
  acceptSuggestions,
  hasSuggestions,
  listSuggestions,
  rejectSuggestions,
  resolveSuggestions,
} from "./suggestions";
import { TRACKED_ITEM } from "./tracked-item";

const schema = editorSchema();
const plain = (...paras: string[]) =>
  schema.nodeFromJSON({
    type: "doc",
    content: paras.map((t) => ({ type: "paragraph", content: [{ type: "text", text: t }] })),
  });
const lines = (d: PMNode) => d.textBetween(0, d.content.size, "|").replaceAll("\u200B", "");

let counter = 0;
const as = (userId: string, orgName: string): SuggestOptions => ({
  author: { userId, name: `${orgName}经办人`, orgId: `org-${userId}`, orgName },
  now: () => "2026-12-06T08:00:00.000Z",
  random: () => `r${++counter}`,
});
const court = as("u-court", "示例市中级人民法院");
const procuratorate = as("u-proc", "示例市人民检察院");

/** The change `make` describes, made as a proposal by `who`: the resulting document. */
function propose(doc: PMNode, who: SuggestOptions, make: (s: EditorState) => Transaction): PMNode {
  const state = EditorState.create({ doc });
  const out = suggestTransaction(make(state), state, who);
  if ("refused" in out) throw new Error(`refused: ${out.refused}`);
  return out.tr.doc;
}

/** Through Yjs and back, as every other editor and the server read it. */
function viaYjs(doc: PMNode): PMNode {
  const ydoc = prosemirrorJSONToYDoc(schema, doc.toJSON(), YJS_FRAGMENT);
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(YJS_FRAGMENT), schema);
}

const original = plain("整改期限为三个月。", "逐项销号。");

describe("a change made in 修订 mode is a proposal by its author (ADR 019)", () => {
  it("replacing 三 with 两: struck and inserted, attributed to the court, rejected back to the original", () => {
    const out = propose(original, court, (s) => s.tr.insertText("两", 6, 7));
    expect(listSuggestions(out).map((x) => [x.kind, x.orgName, x.text, x.authorId])).toEqual([
      ["deletion", "示例市中级人民法院", "三", "u-court"],
      ["insertion", "示例市中级人民法院", "两", "u-court"],
    ]);
    expect(listSuggestions(out)[0]!.id.startsWith("u-court.")).toBe(true);
    expect(rejectSuggestions(out).eq(original)).toBe(true);
    expect(lines(acceptSuggestions(out))).toBe("整改期限为两个月。|逐项销号。");
    expect(viaYjs(out).eq(out)).toBe(true);
  });

  it("Enter, a join of two paragraphs and a deletion across them are proposals that reject to the original", () => {
    const split = propose(original, court, (s) => s.tr.split(4));
    expect(lines(viaYjs(split))).toBe("整改期|限为三个月。|逐项销号。");
    expect(rejectSuggestions(viaYjs(split)).eq(original)).toBe(true);
    expect(lines(acceptSuggestions(split))).toBe("整改期|限为三个月。|逐项销号。");

    const joined = propose(original, court, (s) => s.tr.delete(10, 12));
    expect(rejectSuggestions(viaYjs(joined)).eq(original)).toBe(true);
    expect(lines(acceptSuggestions(joined))).toBe("整改期限为三个月。逐项销号。");

    const across = propose(original, court, (s) => s.tr.delete(9, 13));
    expect(rejectSuggestions(across).eq(original)).toBe(true);
    expect(lines(acceptSuggestions(across))).toBe("整改期限为三个月项销号。");
  });

  it("a whole new paragraph and a new 议定事项 are marked in their text, so they survive Yjs as proposals", () => {
    const para = propose(original, court, (s) =>
      s.tr.insert(s.doc.content.size, schema.nodes.paragraph!.create(null, schema.text("并报市司法局备案。"))),
    );
    const item = propose(para, court, (s) =>
      s.tr.insert(s.doc.content.size, schema.nodes[TRACKED_ITEM]!.create(null, schema.text("两个月内完成清理。"))),
    );
    const synced = viaYjs(item);
    expect(synced.eq(item)).toBe(true);
    expect(listSuggestions(synced).map((x) => x.text)).toEqual(["并报市司法局备案。", "两个月内完成清理。"]);
    expect(rejectSuggestions(synced).eq(original)).toBe(true);
    const accepted = acceptSuggestions(synced);
    expect(accepted.childCount).toBe(4);
    expect(accepted.lastChild!.type.name).toBe(TRACKED_ITEM);
    expect(hasSuggestions(accepted)).toBe(false);
  });

  it("the settings of a 议定事项 one is proposing are part of the proposal; a heading level of existing text is not", () => {
    const withItem = propose(original, court, (s) =>
      s.tr.insert(s.doc.content.size, schema.nodes[TRACKED_ITEM]!.create(null, schema.text("两个月内完成清理。"))),
    );
    const itemPos = withItem.content.size - withItem.lastChild!.nodeSize;
    const configured = propose(withItem, court, (s) => s.tr.setNodeAttribute(itemPos, "dueDate", "2027-02-28"));
    expect(configured.lastChild!.attrs.dueDate).toBe("2027-02-28");
    expect(rejectSuggestions(viaYjs(configured)).eq(original)).toBe(true);
    const state = EditorState.create({ doc: configured });
    expect(
      suggestTransaction(state.tr.setNodeAttribute(itemPos, "dueDate", "2027-03-31"), state, procuratorate),
    ).toEqual({
      refused: "formatting",
    });
  });

  it("the empty paragraph every editor keeps at the end is no change of the text", () => {
    const withItem = propose(original, court, (s) =>
      s.tr.insert(s.doc.content.size, schema.nodes[TRACKED_ITEM]!.create(null, schema.text("两个月内完成清理。"))),
    );
    // Tiptap's trailing node adds it outside the suggesting transaction.
    const trailing = withItem.copy(withItem.content.addToEnd(schema.nodes.paragraph!.create()));
    expect(checkSuggestingChange(withItem, trailing, "u-court")).toBeNull();
    const plainText = trailing.copy(trailing.content.addToEnd(schema.nodes.paragraph!.create(null, schema.text("x"))));
    expect(checkSuggestingChange(trailing, plainText, "u-court")).toBe("changed text outside 修订");
  });

  it("an empty new paragraph carries an anchor, and deleting a whole paragraph removes it once accepted", () => {
    const empty = propose(original, court, (s) => s.tr.insert(s.doc.content.size, schema.nodes.paragraph!.create()));
    expect(rejectSuggestions(viaYjs(empty)).eq(original)).toBe(true);
    const gone = propose(original, court, (s) => s.tr.delete(11, s.doc.content.size));
    expect(rejectSuggestions(viaYjs(gone)).eq(original)).toBe(true);
    expect(lines(acceptSuggestions(gone))).toBe("整改期限为三个月。");
  });

  it("bold is a proposal too (struck and re-inserted bold), rejected to the original", () => {
    const bold = propose(original, court, (s) => s.tr.addMark(1, 5, schema.marks.bold!.create()));
    expect(rejectSuggestions(viaYjs(bold)).eq(original)).toBe(true);
  });

  it("typing next to another unit's proposal starts one's own, and accepting one leaves the other open", () => {
    const byCourt = propose(original, court, (s) => s.tr.insertText("两", 6, 7));
    // The procuratorate types right after the court's 两: the library would reuse the court's id.
    const both = propose(byCourt, procuratorate, (s) => s.tr.insertText("（含）", 8));
    const list = listSuggestions(both);
    expect(list.map((x) => [x.kind, x.orgName, x.text])).toEqual([
      ["deletion", "示例市中级人民法院", "三"],
      ["insertion", "示例市中级人民法院", "两"],
      ["insertion", "示例市人民检察院", "（含）"],
    ]);
    const courtId = list[0]!.id;
    const procId = list[2]!.id;
    expect(procId).not.toBe(courtId);
    const oneAccepted = resolveSuggestions(both, [courtId], "accept");
    expect(listSuggestions(oneAccepted).map((x) => x.id)).toEqual([procId]);
    expect(lines(rejectSuggestions(oneAccepted))).toBe("整改期限为两个月。|逐项销号。");
  });

  it("deleting another unit's proposed text, or changing a heading level, is refused before it is sent", () => {
    const byCourt = propose(original, court, (s) => s.tr.insertText("两", 6, 7));
    const state = EditorState.create({ doc: byCourt });
    const deleteTheirs = suggestTransaction(state.tr.delete(7, 8), state, procuratorate);
    expect(deleteTheirs).toEqual({ refused: "other-author" });
    const s2 = EditorState.create({ doc: original });
    const heading = suggestTransaction(s2.tr.setNodeMarkup(0, schema.nodes.heading!, { level: 1 }), s2, court);
    expect("refused" in heading).toBe(true);
  });
});
