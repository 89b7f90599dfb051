import { beforeAll, describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/domain/search";
import { loadSegmenter } from "~/services/redaction/segmenter";
import { entryTokens, indexTokens, loadSearchDictionary, searchWords } from "./search-tokens.server";

describe("search tokens (index side)", () => {
  beforeAll(() => loadSegmenter());

  it("holds jieba's search-mode words, lower-cased, without punctuation, plus the CJK bigrams", () => {
    const tokens = indexTokens("关于ABC公司的检察建议，请于三日内回复。");
    expect(tokens).toContain("abc");
    expect(tokens).toContain("公司");
    expect(tokens).toContain("检察");
    expect(tokens).toContain("察建");
    expect(tokens.every((t) => /^[\p{L}\p{N}]+$/u.test(t))).toBe(true);
  });

  it("keeps domain terms and organisation names whole once they are in the dictionary", async () => {
    await loadSearchDictionary(["示例市某某综合行政执法局"]);
    const words = searchWords("联合挂牌督办清单由示例市某某综合行政执法局报送，府院联动");
    expect(words).toContain("联合挂牌督办");
    expect(words).toContain("府院联动");
    expect(words).toContain("示例市某某综合行政执法局");
  });

  it("gives every query of the text's own characters a match: bigrams and one-character prefixes", () => {
    const text = "会议由邱某主持，研究涉企行政检查问题。";
    const tokens = new Set(entryTokens("标题", text).split(" "));
    for (const q of ["涉企行政检查", "行政 问题", "检查问题", "邱", "持", "题"]) {
      const parsed = parseSearchQuery(q);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      for (const t of parsed.query.tokens) expect(tokens.has(t), `${q}: ${t}`).toBe(true);
      for (const p of parsed.query.prefixes)
        expect(
          [...tokens].some((t) => t.startsWith(p)),
          `${q}: ${p}*`,
        ).toBe(true);
    }
  });
});
