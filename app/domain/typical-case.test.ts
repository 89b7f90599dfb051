import { describe, expect, it } from "vitest";
import { batchSlugPrefix, nextBatchSlug, SLUG_PATTERN } from "./typical-case";

describe("readable case addresses", () => {
  it("name the half-year batch in pinyin and number the cases in it", () => {
    expect(batchSlugPrefix("2026年上半年")).toBe("2026-shangbannian-");
    expect(batchSlugPrefix("2026年下半年")).toBe("2026-xiabannian-");
    expect(batchSlugPrefix("专题")).toBe("case-");
    expect(nextBatchSlug("2026-shangbannian-", [])).toBe("2026-shangbannian-01");
    expect(
      nextBatchSlug("2026-shangbannian-", ["2026-shangbannian-01", "2026-shangbannian-07", "2026-shangbannian-x"]),
    ).toBe("2026-shangbannian-08");
    expect(SLUG_PATTERN.test(nextBatchSlug("2026-xiabannian-", ["2026-xiabannian-99"]))).toBe(true);
  });
});
