import { describe, expect, it } from "vitest";
import { editorSchema } from "./extensions";
import { checkSuggestingChange } from "./suggestion-check";

const schema = editorSchema();
const mark = (kind: string, id: string) => ({
  type: kind,
  attrs: { id, authorId: id.split(".")[0], authorName: null, orgId: null, orgName: null, at: null },
});
const t = (text: string, ...marks: unknown[]) => ({ type: "text", text, ...(marks.length ? { marks } : {}) });
const doc = (...texts: unknown[]) =>
  schema.nodeFromJSON({ type: "doc", content: [{ type: "paragraph", content: texts }] });

const base = doc(t("整改期限为三个月。"));
const ME = "court";

describe("a SUGGEST connection may only propose (ADR 019)", () => {
  it("accepts its own suggested insertion and deletion", () => {
    const after = doc(
      t("整改期限为"),
      t("三", mark("deletion", "court.a")),
      t("两", mark("insertion", "court.a")),
      t("个月。"),
    );
    expect(checkSuggestingChange(base, after, ME)).toBeNull();
  });

  it("refuses a plain deletion, a plain insertion and a change of formatting", () => {
    expect(checkSuggestingChange(base, doc(t("整改期限为个月。")), ME)).toMatch(/outside/);
    expect(checkSuggestingChange(base, doc(t("整改期限为三个月以内。")), ME)).toMatch(/outside/);
    expect(checkSuggestingChange(base, doc(t("整改期限为"), t("三个月", { type: "bold" }), t("。")), ME)).toMatch(
      /outside/,
    );
  });

  it("refuses a suggestion written in someone else's name", () => {
    const after = doc(t("整改期限为三个月"), t("以内", mark("insertion", "sfj.x")), t("。"));
    expect(checkSuggestingChange(base, after, ME)).toMatch(/someone else/);
  });

  it("refuses removing or changing another unit's suggestion, and allows withdrawing its own", () => {
    const theirs = doc(t("整改期限为三个月"), t("以内", mark("insertion", "scjg.b")), t("。"));
    expect(checkSuggestingChange(theirs, base, ME)).toMatch(/another author/);
    const reshaped = doc(t("整改期限为三个月"), t("以", mark("insertion", "scjg.b")), t("。"));
    expect(checkSuggestingChange(theirs, reshaped, ME)).toMatch(/another author/);
    const mine = doc(t("整改期限为三个月"), t("以内", mark("insertion", "court.c")), t("。"));
    expect(checkSuggestingChange(mine, base, ME)).toBeNull();
  });

  it("may propose deleting another unit's proposed words (their suggestion stays, word for word)", () => {
    const theirs = doc(t("整改期限为三个月"), t("以内", mark("insertion", "scjg.b")), t("。"));
    const after = doc(
      t("整改期限为三个月"),
      t("以内", mark("insertion", "scjg.b"), mark("deletion", "court.d")),
      t("。"),
    );
    expect(checkSuggestingChange(theirs, after, ME)).toBeNull();
  });
});
