import { EditorState } from "@tiptap/pm/state";
import { prosemirrorJSONToYDoc, updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { editorSchema, YJS_FRAGMENT } from "../../app/editor/schema/extensions";
import { suggestTransaction } from "../../app/editor/schema/suggest-mode";
import { connectionOrigin } from "../origin";
import type { DocumentConnection } from "./shared-document";
import { guardIntegrity } from "./integrity";
import { suggestionReview } from "./suggestion-review";

const schema = editorSchema();
const origin = (suggestOnly: boolean) =>
  connectionOrigin({
    info: {
      id: 1,
      documentId: "d",
      ip: "",
      identity: suggestOnly
        ? { userId: "u-court", displayName: "陈静", orgId: "o", orgName: "中院", suggestOnly }
        : { userId: "u-drafter", displayName: "王磊", orgId: "b", orgName: "司法局", suggestOnly },
    },
  } as unknown as DocumentConnection);

describe("the suggestion review's kept blocks", () => {
  it("stay in step with writers' edits between proposals: honest proposals pass, a plain edit does not", () => {
    const json = {
      type: "doc",
      content: Array.from({ length: 20 }, (_, i) => ({
        type: "paragraph",
        content: [{ type: "text", text: `第${i}段原文。` }],
      })),
    };
    const state = Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(schema, json, YJS_FRAGMENT));
    const server = new Y.Doc();
    Y.applyUpdate(server, state);
    const refused: string[] = [];
    guardIntegrity(server, {
      checks: () => true,
      onRefused: (r) => refused.push(r.violation.reason),
      review: suggestionReview(server),
    });
    const writer = new Y.Doc();
    const court = new Y.Doc();
    Y.applyUpdate(writer, state);
    Y.applyUpdate(court, state);
    const drafter = origin(false);
    const liaison = origin(true);
    const send = (from: Y.Doc, as: object, change: () => void) => {
      const updates: Uint8Array[] = [];
      const on = (u: Uint8Array) => updates.push(u);
      from.on("update", on);
      change();
      from.off("update", on);
      for (const u of updates) {
        Y.applyUpdate(server, u, as);
        Y.applyUpdate(writer === from ? court : writer, u);
      }
    };
    const pm = (d: Y.Doc) => yXmlFragmentToProseMirrorRootNode(d.getXmlFragment(YJS_FRAGMENT), schema);
    const write = (d: Y.Doc, doc: ReturnType<typeof pm>) =>
      updateYFragment(d, d.getXmlFragment(YJS_FRAGMENT), doc, { mapping: new Map(), isOMark: new Map() });
    for (let round = 0; round < 10; round++) {
      // The drafter edits paragraph `round` plainly; then the court proposes in it and in another.
      send(writer, drafter, () => {
        const st = EditorState.create({ doc: pm(writer) });
        let pos = 0;
        for (let k = 0; k < round; k++) pos += st.doc.child(k).nodeSize;
        write(writer, st.apply(st.tr.insertText("改", pos + 2)).doc);
      });
      for (const target of [round, 19 - round]) {
        send(court, liaison, () => {
          const st = EditorState.create({ doc: pm(court) });
          let pos = 0;
          for (let k = 0; k < target; k++) pos += st.doc.child(k).nodeSize;
          const out = suggestTransaction(st.tr.insertText("拟", pos + 3), st, {
            author: { userId: "u-court", name: "陈静", orgId: "o", orgName: "中院" },
            now: () => "2026-12-06T08:00:00Z",
            random: () => `r${round}-${target}`,
          });
          if ("refused" in out) throw new Error(out.refused);
          write(court, out.tr.doc);
        });
      }
    }
    expect(refused).toEqual([]);
    expect(pm(server).eq(pm(court))).toBe(true);
    // A plain edit from the court is still caught after all that.
    send(court, liaison, () => {
      const st = EditorState.create({ doc: pm(court) });
      write(court, st.apply(st.tr.insertText("！", 3)).doc);
    });
    expect(refused).toEqual(["changed text outside 修订"]);
    // So is a proposal in the court's name but another unit's: the unit is the session's.
    send(court, liaison, () => {
      const st = EditorState.create({ doc: pm(server) });
      const out = suggestTransaction(st.tr.insertText("（检）", 3), st, {
        author: { userId: "u-court", name: "陈静", orgId: "p", orgName: "市人民检察院" },
        now: () => "2026-12-06T08:00:00Z",
        random: () => "forged",
      });
      if ("refused" in out) throw new Error(out.refused);
      write(court, out.tr.doc);
    });
    expect(refused).toEqual(["changed text outside 修订", "修订 attributed to someone else"]);
  });
});
