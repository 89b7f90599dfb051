import * as Y from "yjs";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { contentHash, contentOf, withoutCommentMarks } from "./document-content.server";

const schema = editorSchema();
const paragraph = (...content: unknown[]) => ({ type: "paragraph", content });
const text = (t: string, marks?: unknown[]) => ({ type: "text", ...(marks ? { marks } : {}), text: t });
const contentOfJson = (doc: unknown) =>
  contentOf(prosemirrorJSONToYDoc(schema, schema.nodeFromJSON(doc).toJSON(), YJS_FRAGMENT) as Y.Doc);

describe("the content hash ignores comments (ADR 017)", () => {
  const plain = { type: "doc", content: [paragraph(text("三个月", [{ type: "bold" }]), text("内完成整改。"))] };
  const commented = {
    type: "doc",
    content: [
      paragraph(
        text("三个月", [{ type: "bold" }, { type: "comment", attrs: { threadId: "t1" } }]),
        text("内完成", [{ type: "comment", attrs: { threadId: "t1" } }]),
        text("整改。"),
      ),
    ],
  };

  it("gives a commented text the hash of the same text without comments", () => {
    const a = contentOfJson(plain);
    const b = contentOfJson(commented);
    expect(b.json).toContain('"comment"');
    expect(b.sha256).toBe(a.sha256);
    expect(withoutCommentMarks(b.json)).toBe(a.json);
  });

  it("leaves a text without comments byte for byte as it is, and still tells different texts apart", () => {
    const a = contentOfJson(plain);
    expect(withoutCommentMarks(a.json)).toBe(a.json);
    expect(contentHash(a.json)).not.toBe(
      contentOfJson({ type: "doc", content: [paragraph(text("两个月内完成整改。"))] }).sha256,
    );
  });
});
