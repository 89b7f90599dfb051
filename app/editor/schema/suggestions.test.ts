import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import { createDeriver, createDualDeriver } from "./derive";
import { editorSchema, YJS_FRAGMENT } from "./extensions";
import { acceptSuggestions, hasSuggestions, listSuggestions, rejectSuggestions } from "./suggestions";

const schema = editorSchema();
const by = (kind: string, id: string, org = "示例市中级人民法院") => ({
  type: kind,
  attrs: {
    id,
    authorId: id.split(".")[0],
    authorName: "陈静",
    orgId: "org-court",
    orgName: org,
    at: "2026-12-06T08:00:00Z",
  },
});
const text = (t: string, marks: unknown[] = []) => ({ type: "text", text: t, ...(marks.length ? { marks } : {}) });
const para = (...content: unknown[]) => ({ type: "paragraph", content });
const doc = (...content: unknown[]) => schema.nodeFromJSON({ type: "doc", content });

// "三个月" → "两个月" proposed by the court: the old words struck through, the new ones inserted.
const replaced = doc(
  para(text("整改期限为"), text("三", [by("deletion", "u1.a")]), text("两", [by("insertion", "u1.a")]), text("个月。")),
  para(text("逐项销号。"), text("并报市司法局备案。", [by("insertion", "u1.b")])),
);

describe("修订 resolved one way or the other (ADR 019)", () => {
  it("rejecting keeps the old text and drops proposed insertions and every suggestion mark", () => {
    const out = rejectSuggestions(replaced);
    expect(out.textBetween(0, out.content.size, "\n")).toBe("整改期限为三个月。\n逐项销号。");
    expect(hasSuggestions(out)).toBe(false);
  });

  it("accepting keeps the new text and drops proposed deletions", () => {
    const out = acceptSuggestions(replaced);
    expect(out.textBetween(0, out.content.size, "\n")).toBe("整改期限为两个月。\n逐项销号。并报市司法局备案。");
    expect(hasSuggestions(out)).toBe(false);
  });

  it("a document without suggestions is returned as it is", () => {
    const plain = doc(para(text("会议议定如下：")));
    expect(rejectSuggestions(plain)).toBe(plain);
    expect(acceptSuggestions(plain)).toBe(plain);
  });

  it("joins the text nodes split by marks again, so the result equals the plain document", () => {
    const out = rejectSuggestions(replaced);
    expect(out.eq(doc(para(text("整改期限为三个月。")), para(text("逐项销号。"))))).toBe(true);
  });

  it("a paragraph that was wholly a proposed insertion still leaves a valid document", () => {
    const onlyInserted = doc(para(text("新增一段。", [by("insertion", "u1.c")])));
    const out = rejectSuggestions(onlyInserted);
    out.check();
    expect(out.textContent).toBe("");
  });

  it("lists the open suggestions in document order with their author and text", () => {
    expect(listSuggestions(replaced).map((s) => [s.kind, s.id, s.orgName, s.text])).toEqual([
      ["deletion", "u1.a", "示例市中级人民法院", "三"],
      ["insertion", "u1.a", "示例市中级人民法院", "两"],
      ["insertion", "u1.b", "示例市中级人民法院", "并报市司法局备案。"],
    ]);
  });
});

describe("derivation reads the text that counts", () => {
  it("suggestion marks survive Yjs, and the deriver rejects them: same JSON and text as without the proposal", () => {
    const ydoc = prosemirrorJSONToYDoc(schema, replaced.toJSON(), YJS_FRAGMENT);
    const plain = prosemirrorJSONToYDoc(schema, rejectSuggestions(replaced).toJSON(), YJS_FRAGMENT);
    const derived = createDeriver()(ydoc);
    expect(derived.text).toBe("整改期限为三个月。\n逐项销号。");
    expect(JSON.stringify(derived.json)).toBe(JSON.stringify(createDeriver()(plain).json));
    const kept = createDeriver({ suggestions: "kept" })(ydoc);
    expect(kept.text).toBe("整改期限为三两个月。\n逐项销号。并报市司法局备案。");
    const both = createDualDeriver()(ydoc);
    expect(both.rejected.text).toBe(derived.text);
    expect(both.kept.text).toBe(kept.text);
  });
});
