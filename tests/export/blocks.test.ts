import { describe, expect, it } from "vitest";
import {
  clean,
  closingLines,
  inlineText,
  layoutContent,
  layoutDocument,
  safeHref,
  type Block,
} from "~/services/export/blocks";
import { redHeaderSizePt } from "~/services/export/layout";
import type { PMNode } from "~/services/export/model";
import { ATTENDING, HASH, minutesContent, minutesModel } from "./fixtures";

const t = (text: string, ...marks: string[]): PMNode => ({
  type: "text",
  text,
  marks: marks.map((type) => ({ type })),
});
const p = (...content: PMNode[]): PMNode => ({ type: "paragraph", content });
const doc = (...content: PMNode[]): PMNode => ({ type: "doc", content });
const text = (b: Block) =>
  b.kind === "heading" || b.kind === "paragraph" || b.kind === "field" ? inlineText(b.inlines) : "";

describe("layoutContent", () => {
  it("keeps header fields in place and lifts 出席 / 请假 / 列席 out, in GB/T order", () => {
    const { blocks, attendance } = layoutContent(minutesContent());
    expect(blocks.slice(0, 6).map((b) => (b.kind === "field" ? b.label : b.kind))).toEqual([
      "会议名称",
      "期号",
      "时间",
      "地点",
      "主持人",
      "记录人",
    ]);
    expect(blocks[0]).toMatchObject({ kind: "field", label: "会议名称" });
    expect(text(blocks[0])).toBe("行政执法监督协调会商");
    expect(attendance.map((a) => a.label)).toEqual(["出席", "请假", "列席"]);
    expect(inlineText(attendance[0].inlines)).toBe(ATTENDING.join("、"));
    expect(blocks.some((b) => text(b).includes("出席"))).toBe(false);
  });

  it("drops empty attendance lines and empty header fields, and treats other bold prefixes as ordinary text", () => {
    const { blocks, attendance } = layoutContent(
      doc(
        p(t("出席：", "bold")),
        p(t("列席：", "bold"), t("  ")),
        p(t("请假：", "bold"), t(" 示例市税务局")),
        p(t("会议指出：", "bold"), t("要依法行政。")),
        p(t("出席：")),
        p(t("主持人：", "bold")),
      ),
    );
    expect(attendance).toEqual([{ label: "请假", inlines: [expect.objectContaining({ text: "示例市税务局" })] }]);
    // 主持人： with nothing after it is left out of the export
    expect(blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph"]);
    expect(text(blocks[0])).toBe("会议指出：要依法行政。");
    expect(text(blocks[1])).toBe("出席："); // not bold: not a field
  });

  it("numbers ordered lists from attrs.start, marks bullets and indents nested lists", () => {
    const li = (...c: PMNode[]): PMNode => ({ type: "listItem", content: c });
    const { blocks } = layoutContent(
      doc({
        type: "orderedList",
        attrs: { start: 3 },
        content: [li(p(t("甲")), p(t("甲续"))), li(p(t("乙")), { type: "bulletList", content: [li(p(t("乙一")))] })],
      }),
    );
    expect(blocks).toEqual([
      expect.objectContaining({ kind: "paragraph", marker: "3.", indent: 0 }),
      expect.objectContaining({ kind: "paragraph", marker: null, indent: 0 }),
      expect.objectContaining({ kind: "paragraph", marker: "4.", indent: 0 }),
      expect.objectContaining({ kind: "paragraph", marker: "●", indent: 2 }),
    ]);
  });

  it("renders unknown nodes by their text and never throws on malformed JSON", () => {
    const { blocks } = layoutContent(
      doc(
        { type: "trackedItem", attrs: { itemId: "x", number: 1 }, content: [p(t("事项一"))] },
        { type: "mention", content: [t("@某单位"), { type: "hardBreak" }] },
        p(
          t("前"),
          { type: "emoji", content: [{ type: "text", text: "🙂" }] } as PMNode,
          { type: "image" } as PMNode,
          t("后"),
        ),
        { type: "heading", attrs: { level: "x" }, content: [t("无级别")] },
        { type: "heading", attrs: { level: 6 }, content: [t("六级")] },
        { type: "paragraph", content: "oops" } as unknown as PMNode,
        { type: "blockquote", content: [p(t("引文"))] },
        {
          type: "table",
          content: [
            {
              type: "tableRow",
              content: [{ type: "tableHeader", attrs: { colspan: 2, rowspan: "NaN" }, content: [p(t("表头"))] }],
            },
          ],
        },
        7 as unknown as PMNode,
      ),
    );
    expect(text(blocks[0])).toBe("事项一");
    expect(blocks[1]).toMatchObject({ kind: "paragraph" });
    expect(text(blocks[1])).toBe("@某单位 ");
    expect(text(blocks[2])).toBe("前🙂后");
    expect(blocks[3]).toMatchObject({ kind: "heading", level: 1 });
    expect(blocks[4]).toMatchObject({ kind: "heading", level: 4 });
    expect(blocks[5]).toMatchObject({ kind: "paragraph", inlines: [] });
    expect(blocks[6]).toMatchObject({ kind: "paragraph", quote: true, indent: 2 });
    expect(blocks[7]).toMatchObject({ kind: "table", rows: [[{ header: true, colspan: 2, rowspan: 1 }]] });
    for (const junk of [null, undefined, "doc", 42, { type: "doc", content: "x" }, { content: [] }]) {
      expect(layoutContent(junk)).toEqual({ blocks: [], attendance: [] });
    }
  });

  it("trims blank paragraphs at the start and end", () => {
    const { blocks } = layoutContent(doc(p(), p(t("  ")), p(t("正文")), p(), p(t("正文二")), p(), p()));
    expect(blocks.map(text)).toEqual(["正文", "", "正文二"]);
  });
});

describe("helpers", () => {
  it("keeps only http(s) and mailto links", () => {
    expect(safeHref("https://example.gov.cn/x")).toBe("https://example.gov.cn/x");
    expect(safeHref(" mailto:a@example.gov.cn")).toBe("mailto:a@example.gov.cn");
    for (const bad of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:text/html,x",
      "/relative",
      "//evil.example",
      "vbscript:x",
      5,
      null,
    ])
      expect(safeHref(bad)).toBeNull();
  });

  it("strips characters XML cannot carry", () => {
    expect(clean("a\u0000b\u0008c\u001Fd\uFFFEe\uD800f\uDC00g😀h\ti\nj")).toBe("abcdefg😀h i j");
    expect(clean("x\ny\tz", true)).toBe("x\ny    z");
  });

  it("closes with the version and hash, or with the draft notice", () => {
    expect(closingLines({ draft: false, hash: HASH, versionLabel: "第4版（定稿）" })).toEqual([
      { text: "版本：第4版（定稿）", latin: false },
      { text: "定稿 SHA-256：", latin: false },
      { text: HASH, latin: true },
    ]);
    expect(closingLines({ draft: false, hash: HASH, versionLabel: null })).toHaveLength(2);
    expect(closingLines({ draft: true, hash: null, versionLabel: null })).toEqual([
      { text: "草稿，未定稿，不得作为正式文书使用", latin: false },
    ]);
    expect(closingLines({ draft: true, hash: HASH, versionLabel: "当前草稿" }).map((l) => l.text)).toEqual([
      "草稿，未定稿，不得作为正式文书使用",
      "版本：当前草稿",
    ]);
  });

  it("formats the date in China time", () => {
    expect(layoutDocument(minutesModel({ date: new Date("2026-11-22T16:30:00Z") })).date).toBe("2026年11月23日");
  });

  it("sizes the red header to fit one line, between 二号 and 小初", () => {
    expect(redHeaderSizePt("行政执法监督协调会商纪要")).toBe(36);
    expect(redHeaderSizePt("纪要")).toBe(36);
    expect(redHeaderSizePt("示例市行政执法监督协调联席会议会商纪要")).toBeLessThan(36);
    expect(redHeaderSizePt("很".repeat(40))).toBe(22);
  });
});
