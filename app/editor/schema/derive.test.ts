import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import { editorSchema, YJS_FRAGMENT } from "./extensions";
import { createDeriver } from "./derive";

describe("server-side derivation with the editor schema", () => {
  it("turns Yjs state into the same ProseMirror JSON and text", () => {
    const json = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: "一、会议概况" }] },
        { type: "paragraph", content: [{ type: "text", text: "市司法局召集协调会商。" }] },
        {
          type: "table",
          content: [
            {
              type: "tableRow",
              content: [
                {
                  type: "tableCell",
                  attrs: { colspan: 1, rowspan: 1, colwidth: null },
                  content: [{ type: "paragraph", content: [{ type: "text", text: "牵头单位" }] }],
                },
              ],
            },
          ],
        },
      ],
    };
    const ydoc = prosemirrorJSONToYDoc(editorSchema(), json, YJS_FRAGMENT);
    const derived = createDeriver()(ydoc);
    expect(derived.text).toBe("一、会议概况\n市司法局召集协调会商。\n牵头单位");
    expect((derived.json as { content: Array<{ type: string }> }).content.map((c) => c.type)).toEqual([
      "heading",
      "paragraph",
      "table",
    ]);
  });
});
