// @vitest-environment happy-dom
import { Editor, type JSONContent } from "@tiptap/core";
import { afterEach, describe, expect, it } from "vitest";
import { WORD_CLIPBOARD_HTML } from "../../../tests/fixtures/word-clipboard";
import { contentExtensions } from "./extensions";
import { gongwenHeadingLevel, isWordHtml } from "./word-html";
import { transformWordPaste } from "./word-paste";

/**
 * Paste from Word or WPS (ADR 020): the clipboard's HTML keeps its structure — real lists, headings
 * by style and by the 公文 numbering rule shared with 从 Word 导入 — and loses Word's markup.
 */

const textOf = (node: JSONContent): string =>
  node.type === "text" ? (node.text ?? "") : (node.content ?? []).map(textOf).join("");
const shape = (node: JSONContent): unknown => {
  if (node.type === "bulletList" || node.type === "orderedList")
    return [node.type, ...(node.content ?? []).map((li) => (li.content ?? []).map(shape))];
  return [node.type, node.attrs?.level ?? null, textOf(node)];
};

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
});

describe("the 公文 heading rule", () => {
  it.each([
    ["一、总体要求", false, 1],
    ["（一）工作目标", false, 2],
    ["(二)工作目标", false, 2],
    ["1. 建立协调机制", false, 3],
    ["2．建立协调机制", false, 3],
    ["（1）明确牵头单位", false, 4],
    ["　　一、总体要求　", false, 1],
    // Sentences stay body text: a full stop at the end (unless bold), or a sentence inside.
    ["3. 按时报送。", false, null],
    ["3. 按时报送。", true, 3],
    ["（一）加强领导。明确分工", true, null],
    ["1. 各执法单位要在本方案印发之日起三十日内完成执法事项清单梳理工作并将清单报送市司法局备案", false, null],
    // Not numbering, or nothing after it.
    ["1.5亿元的专项资金", false, null],
    ["一、", false, null],
    ["会议议定如下事项", false, null],
  ] as const)("%s (bold: %s) → %s", (text, bold, level) => {
    expect(gongwenHeadingLevel(text, bold)).toBe(level);
  });
});

describe("transformWordPaste", () => {
  it("keeps Word's lists, headings, marks and table, and drops its markup", () => {
    const html = transformWordPaste(WORD_CLIPBOARD_HTML);
    expect(html).not.toMatch(/o:p|mso-|<!--|class="?Mso|supportLists|<style|<meta/i);
    expect(html).not.toContain("·");
    expect(html).toContain("<ul>");

    editor = new Editor({ extensions: contentExtensions(), content: "<p></p>" });
    editor.view.pasteHTML(WORD_CLIPBOARD_HTML);
    const doc = editor.getJSON();
    const blocks = (doc.content ?? []).filter((n) => !(n.type === "paragraph" && !textOf(n)));
    expect(blocks.map(shape)).toEqual([
      ["heading", 1, "行政执法协调工作方案"],
      ["heading", 1, "一、总体要求"],
      ["paragraph", null, "坚持依法行政，做到程序正当，权责统一。"],
      ["heading", 2, "（一）工作目标"],
      ["bulletList", [["paragraph", null, "梳理执法事项"]], [["paragraph", null, "统一裁量基准"]]],
      [
        "orderedList",
        [
          ["paragraph", null, "召开协调会"],
          ["orderedList", [["paragraph", null, "确定议题"]]],
        ],
        [["paragraph", null, "形成会议纪要"]],
      ],
      // A long numbered sentence stays a paragraph.
      [
        "paragraph",
        null,
        "1. 各执法单位要在本方案印发之日起三十日内完成执法事项清单梳理工作，并将清单报送市司法局备案。",
      ],
      // Numbered by Word itself (chinese-counting): the number comes back as text, and the rule applies.
      ["heading", 1, "二、保障措施"],
      ["table", null, "单位任务1. 市司法局牵头协调"],
    ]);
    const marks = (text: string) => {
      let found: string[] | null = null;
      const walk = (n: JSONContent) => {
        if (n.type === "text" && n.text === text) found = (n.marks ?? []).map((m) => m.type);
        (n.content ?? []).forEach(walk);
      };
      walk(doc);
      return found;
    };
    expect(marks("依法行政")).toEqual(["bold"]);
    expect(marks("程序正当")).toEqual(["italic"]);
    expect(marks("权责统一")).toEqual(["underline"]);
    // The heading's bold went with it; a numbered cell in a table stays a paragraph.
    expect(marks("一、总体要求")).toEqual([]);
    const table: JSONContent = blocks.find((n) => n.type === "table")!;
    const cell: JSONContent = table.content![1]!.content![0]!;
    expect(cell.content![0]!.type).toBe("paragraph");
  });

  it("leaves other HTML alone (our own copies, web pages)", () => {
    const own = '<p data-pm-slice="1 1 []">1. 召开协调会</p><ol><li><p>一</p></li></ol>';
    expect(isWordHtml(own)).toBe(false);
    expect(transformWordPaste(own)).toBe(own);
  });
});
