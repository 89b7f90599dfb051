import { describe, expect, it } from "vitest";
import { decodeWordImport, describeWordImport, encodeWordImport } from "./word-import";

describe("the 从 Word 导入 report", () => {
  it("travels as kinds and counts and reads as Chinese sentences in a fixed order", () => {
    const report = { footnote: 1, image: 2, textBoxKept: 1 };
    const encoded = encodeWordImport(report);
    expect(encoded).toBe("image-2.footnote-1.textBoxKept-1");
    expect(decodeWordImport(encoded)).toEqual(report);
    expect(describeWordImport(decodeWordImport(encoded))).toEqual([
      "已忽略 2 张图片",
      "已忽略 1 个脚注",
      "1 个文本框中的文字已作为正文段落导入，请核对位置",
    ]);
    expect(encodeWordImport({})).toBe("");
    expect(describeWordImport({})).toEqual([]);
  });

  it("ignores what it does not know in the address (no text ever comes from it)", () => {
    expect(decodeWordImport("image-2.<script>-1.constructor-3.footnote-99999.comment-0.equation-x")).toEqual({
      image: 2,
    });
    expect(decodeWordImport(null)).toEqual({});
    expect(decodeWordImport("image-1.".repeat(100))).toEqual({});
  });
});
