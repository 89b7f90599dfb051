import { absolutePositionToRelativePosition, initProseMirrorDoc, prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { createDeriver } from "~/editor/schema/derive";
import { anchorAtPositions, anchorAtSelection, anchoredThreadIds } from "./comment-anchors.server";

const schema = editorSchema();
const derive = createDeriver();

function docWith(...paragraphs: string[]): Y.Doc {
  return prosemirrorJSONToYDoc(
    schema,
    { type: "doc", content: paragraphs.map((t) => ({ type: "paragraph", content: [{ type: "text", text: t }] })) },
    YJS_FRAGMENT,
  );
}

/** The selection [from, to) as the browser sends it: two Yjs relative positions. */
function selection(ydoc: Y.Doc, from: number, to: number) {
  const fragment = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { mapping } = initProseMirrorDoc(fragment, schema);
  const rel = (pos: number) => Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, fragment, mapping));
  return { anchor: rel(from), head: rel(to) };
}

/** The text each thread's mark covers, from the derived JSON. */
function marked(ydoc: Y.Doc): Record<string, string> {
  const out: Record<string, string> = {};
  type N = { text?: string; marks?: Array<{ type: string; attrs?: { threadId?: string } }>; content?: N[] };
  const visit = (n: N) => {
    for (const m of n.marks ?? [])
      if (m.type === "comment" && m.attrs?.threadId)
        out[m.attrs.threadId] = (out[m.attrs.threadId] ?? "") + (n.text ?? "");
    n.content?.forEach(visit);
  };
  visit(derive(ydoc).json as N);
  return out;
}

describe("comment anchors (ADR 017)", () => {
  it("marks exactly the selected text, and the mark follows edits before and inside it", () => {
    const ydoc = docWith("会议议定：三个月内完成整改并报送进展。");
    // "三个月内完成整改" starts after "会议议定：" (5 chars) at position 1 + 5.
    anchorAtSelection(ydoc, schema, { ...selection(ydoc, 6, 14), quote: "三个月内完成整改", threadId: "t1" });
    expect(marked(ydoc)).toEqual({ t1: "三个月内完成整改" });
    const text = (ydoc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, "经研究，");
    text.insert(4 + 5 + 3, "（含）");
    expect(marked(ydoc)).toEqual({ t1: "三个月（含）内完成整改" });
    expect(anchoredThreadIds(derive(ydoc).json)).toEqual(new Set(["t1"]));
  });

  it("lets threads overlap, across paragraphs", () => {
    const ydoc = docWith("第一段文字内容", "第二段文字内容");
    anchorAtSelection(ydoc, schema, { ...selection(ydoc, 3, 6), quote: "段文字", threadId: "a" });
    anchorAtSelection(ydoc, schema, { ...selection(ydoc, 4, 13), quote: "文字内容第二段", threadId: "b" });
    const m = marked(ydoc);
    expect(m.a).toBe("段文字");
    expect(m.b).toBe("文字内容第二段");
  });

  it("refuses a selection whose text changed meanwhile, and an empty one, writing nothing", () => {
    const ydoc = docWith("原文内容");
    const sel = selection(ydoc, 1, 3);
    const text = (ydoc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.delete(0, 1);
    text.insert(0, "改");
    expect(() => anchorAtSelection(ydoc, schema, { ...sel, quote: "原文", threadId: "x" })).toThrow(
      /已被他人修改|重新选择/,
    );
    expect(() => anchorAtSelection(ydoc, schema, { ...selection(ydoc, 2, 2), quote: "", threadId: "x" })).toThrow(
      /选中/,
    );
    expect(() =>
      anchorAtSelection(ydoc, schema, { anchor: { bogus: 1 }, head: null, quote: "原文", threadId: "x" }),
    ).toThrow();
    expect(marked(ydoc)).toEqual({});
  });

  it("anchors a frozen version's range in the reopened draft only while the text there is the quote", () => {
    const ydoc = docWith("退回意见针对的句子");
    expect(anchorAtPositions(ydoc, schema, { from: 5, to: 8, quote: "针对的", threadId: "v1" })).toBe(true);
    expect(anchorAtPositions(ydoc, schema, { from: 1, to: 3, quote: "不一样", threadId: "v2" })).toBe(false);
    expect(anchorAtPositions(ydoc, schema, { from: 1, to: 999, quote: "退回", threadId: "v3" })).toBe(false);
    expect(marked(ydoc)).toEqual({ v1: "针对的" });
  });
});
