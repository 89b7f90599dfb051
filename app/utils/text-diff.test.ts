import { describe, expect, it } from "vitest";
import { diffParagraphs, diffStats, diffText } from "./text-diff";

const render = async (a: string, b: string) =>
  (await diffText(a, b))
    .map((p) => (p.kind === "same" ? p.text : p.kind === "ins" ? `[+${p.text}]` : `[-${p.text}]`))
    .join("");

describe("diffText", () => {
  it("finds inserted and deleted Chinese characters inside a paragraph", async () => {
    expect(await render("会议议定如下事项。", "会议研究议定如下三项事项。")).toBe("会议[+研究]议定如下[+三项]事项。\n");
    expect(await render("由市司法局牵头负责。", "由市司法局负责。")).toBe("由市司法局[-牵头]负责。\n");
  });

  it("keeps unchanged paragraphs and reports whole inserted or removed ones", async () => {
    const parts = await diffText("一、会议概况\n内容甲\n二、议定事项", "一、会议概况\n二、议定事项\n新增段落");
    expect(parts).toEqual([
      { kind: "same", text: "一、会议概况\n" },
      { kind: "del", text: "内容甲\n" },
      { kind: "same", text: "二、议定事项\n" },
      { kind: "ins", text: "新增段落\n" },
    ]);
    expect(diffStats(parts)).toEqual({ inserted: 4, deleted: 3 });
  });

  it("returns only unchanged text for equal inputs and handles empty texts", async () => {
    expect(await diffText("相同", "相同")).toEqual([{ kind: "same", text: "相同\n" }]);
    expect(await diffText("", "新")).toEqual([{ kind: "ins", text: "新\n" }]);
    expect(await diffText("旧", "")).toEqual([{ kind: "del", text: "旧\n" }]);
    expect(await diffText("", "")).toEqual([]);
  });

  it("stays fast on long documents with scattered edits", async () => {
    const para = (i: number) => `第${i}段：各成员单位按照职责分工抓好落实，按期报送进展情况。`;
    const before = Array.from({ length: 3000 }, (_, i) => para(i)).join("\n");
    const after = Array.from({ length: 3000 }, (_, i) =>
      i % 100 === 0 ? para(i).replace("抓好", "切实抓好") : para(i),
    ).join("\n");
    const started = performance.now();
    const stats = diffStats(await diffText(before, after));
    expect(stats).toEqual({ inserted: 60, deleted: 0 });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("splits into display paragraphs and marks removed paragraph breaks", async () => {
    const paragraphs = diffParagraphs(await diffText("甲\n乙", "甲乙"));
    expect(paragraphs.map((p) => p.map((x) => `${x.kind}:${x.text}`).join("|"))).toEqual(["same:甲|del:¶", "same:乙"]);
  });
});
