import { describe, expect, it } from "vitest";
import {
  MAX_QUERY_LENGTH,
  hanBigrams,
  indexBigrams,
  markWords,
  matchedPassage,
  parseSearchQuery,
  textPieces,
} from "./search";

describe("search tokens (query side)", () => {
  it("splits text into lower-cased Han and other runs, dropping punctuation", () => {
    expect(textPieces("关于《行政执法监督》的ABC-123报告，2026年")).toEqual([
      "关于",
      "行政执法监督",
      "的",
      "abc",
      "123",
      "报告",
      "2026",
      "年",
    ]);
    expect(textPieces("ＡＢＣ　会商")).toEqual(["abc", "会商"]);
  });

  it("makes overlapping bigrams of a Han run, and the run's last character on the index side", () => {
    expect(hanBigrams("检察建议")).toEqual(["检察", "察建", "建议"]);
    expect(hanBigrams("检")).toEqual([]);
    expect(indexBigrams("府院联动。张")).toEqual(["府院", "院联", "联动", "动", "张"]);
  });

  it("asks for every bigram of the query's Han runs, and prefixes for one character and other words", () => {
    const parsed = parseSearchQuery("  检察建议 张 ABC ");
    expect(parsed).toEqual({
      ok: true,
      query: { tokens: ["检察", "察建", "建议"], prefixes: ["张", "abc"], words: ["检察建议", "张", "abc"] },
    });
    expect(parseSearchQuery("张")).toEqual({ ok: true, query: { tokens: [], prefixes: ["张"], words: ["张"] } });
  });

  it("leaves nothing of a query language: quotes, stars, NEAR(, OR and minus are punctuation or plain words", () => {
    const parsed = parseSearchQuery('"会商" NEAR(纪要* -整改) OR ^{x}:');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    for (const t of [...parsed.query.tokens, ...parsed.query.prefixes]) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
    expect(parsed.query.prefixes).toEqual(["near", "or", "x"]);
  });

  it("refuses an empty and an over-long query", () => {
    expect(parseSearchQuery("  \u0000 ！？ ")).toEqual({ ok: false, reason: "empty" });
    expect(parseSearchQuery("长".repeat(MAX_QUERY_LENGTH)).ok).toBe(true);
    expect(parseSearchQuery("长".repeat(MAX_QUERY_LENGTH + 1))).toEqual({ ok: false, reason: "tooLong" });
  });
});

describe("matched passage", () => {
  it("marks every occurrence, longest word first, case-insensitively", () => {
    expect(markWords("会商纪要与会商ABC", ["会商纪要", "会商", "abc"])).toEqual([
      { text: "会商纪要", mark: true },
      { text: "与", mark: false },
      { text: "会商", mark: true },
      { text: "ABC", mark: true },
    ]);
    expect(markWords("<b>会商</b>", ["会商"])).toEqual([
      { text: "<b>", mark: false },
      { text: "会商", mark: true },
      { text: "</b>", mark: false },
    ]);
  });

  it("cuts a window where the words occur together, with ellipses", () => {
    const body = `${"前文。".repeat(100)}检察建议落实整改${"后文。".repeat(100)}`;
    const parts = matchedPassage(body, ["检察建议", "整改"], 60);
    expect(parts[0]).toEqual({ text: "…", mark: false });
    expect(parts.at(-1)).toEqual({ text: "…", mark: false });
    expect(parts.filter((p) => p.mark).map((p) => p.text)).toEqual(["检察建议", "整改"]);
    expect(parts.map((p) => p.text).join("").length).toBeLessThanOrEqual(62);
  });
});
