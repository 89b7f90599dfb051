import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, type Transaction } from "@tiptap/pm/state";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { placeRevisions } from "~/editor/schema/place-revisions";
import { suggestTransaction, type SuggestOptions } from "~/editor/schema/suggest-mode";
import { acceptSuggestions, listSuggestions, rejectSuggestions } from "~/editor/schema/suggestions";
import { renderDocx } from "~/services/export/docx.server";
import type { PMNode as ExportNode } from "~/services/export/model";
import { readRevisedWord, readWordChanges } from "~/services/import/word-revisions";
import { placeComments } from "~/editor/schema/place-revisions";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { draftModel } from "./fixtures";
import { officeConverter, type OfficeConverter } from "./libreoffice";

/**
 * 修订 and Word (issue 20, ADR 019): the 含修订 export writes open 修订 as Word's own tracked changes
 * (w:ins / w:del, author person（unit）, date), LibreOffice reads them as tracked changes, and the same
 * file imported into a fresh copy of the document recreates the same 修订 — also after LibreOffice has
 * saved it again. A file whose changes no longer fit is reported in Chinese; bad files change nothing.
 */
const schema = editorSchema();
const COURT = "示例市中级人民法院";
const court: SuggestOptions = {
  author: { userId: "u-court", name: "陈静", orgId: "org-court", orgName: COURT },
  now: () => "2026-12-06T08:00:00.000Z",
  random: () => randomBytes(4).toString("hex"),
};
const original = schema.nodeFromJSON({
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "一、整改期限为三个月，自通知之日起计算。" }] },
    { type: "paragraph", content: [{ type: "text", text: "二、逐项销号，按月报送进展，并抄送市中级人民法院。" }] },
  ],
});

function propose(doc: PMNode, make: (s: EditorState) => Transaction): PMNode {
  const state = EditorState.create({ doc });
  const out = suggestTransaction(make(state), state, court);
  if ("refused" in out) throw new Error(out.refused);
  return out.tr.doc;
}
const offsetOf = (doc: PMNode, text: string) => {
  let at = -1;
  doc.descendants((node, pos) => {
    if (at < 0 && node.isText && node.text!.includes(text)) at = pos + node.text!.indexOf(text);
    return at < 0;
  });
  return at;
};
/** 三 → 两, and ，按月报送进展 struck, as the court's 修订. */
function proposed(): PMNode {
  const three = offsetOf(original, "三个月");
  const step1 = propose(original, (s) => s.tr.insertText("两", three, three + 1));
  const from = offsetOf(step1, "，按月报送进展");
  return propose(step1, (s) => s.tr.delete(from, from + "，按月报送进展".length));
}
const summary = (doc: PMNode) => listSuggestions(doc).map((s) => [s.kind, s.text, s.orgName]);
const lines = (d: PMNode) => d.textBetween(0, d.content.size, "|").replaceAll("\u200B", "");

async function documentXml(docx: Buffer): Promise<string> {
  return (await (await JSZip.loadAsync(docx)).file("word/document.xml")!.async("string")) ?? "";
}

describe("导出 Word（含修订）and 导入修订稿", () => {
  let docx: Buffer;
  beforeAll(async () => {
    docx = await renderDocx(draftModel({ content: proposed().toJSON() as ExportNode }));
  });

  it("writes open 修订 as Word tracked changes with person（unit） and date", async () => {
    const xml = await documentXml(docx);
    const ins = /<w:ins w:id="\d+" w:author="([^"]+)" w:date="([^"]+)">([\s\S]*?)<\/w:ins>/.exec(xml);
    expect(ins?.[1]).toBe(`陈静（${COURT}）`);
    expect(ins?.[2]).toBe("2026-12-06T08:00:00Z");
    expect(ins?.[3]).toContain(">两</w:t>");
    const dels = [...xml.matchAll(/<w:del w:id="\d+" w:author="([^"]+)"[^>]*>([\s\S]*?)<\/w:del>/g)];
    expect(
      dels.map((d) => [...d[2]!.matchAll(/<w:delText[^>]*>([^<]*)<\/w:delText>/g)].map((m) => m[1]).join("")),
    ).toEqual(["三", "，按月报送进展"]);
    // The clean export of the same draft has none.
    const clean = await documentXml(
      await renderDocx(draftModel({ content: rejectSuggestions(proposed()).toJSON() as ExportNode })),
    );
    expect(clean).not.toContain("<w:ins ");
    expect(clean).not.toContain("<w:del ");
  });

  it("imported into a fresh copy of the document, recreates the same 修订", async () => {
    const changes = await readWordChanges(docx);
    expect(changes.map((c) => [c.kind, c.text, c.author])).toEqual([
      ["deletion", "三", `陈静（${COURT}）`],
      ["insertion", "两", `陈静（${COURT}）`],
      ["deletion", "，按月报送进展", `陈静（${COURT}）`],
    ]);
    const out = placeRevisions(
      original,
      changes.map((c) => ({ ...c, authorName: "陈静" })),
      court.author,
      {
        now: "2026-12-06T09:00:00.000Z",
        random: () => randomBytes(4).toString("hex"),
      },
    );
    expect(out.unplaced).toEqual([]);
    expect(summary(out.doc)).toEqual(summary(proposed()));
    expect(lines(acceptSuggestions(out.doc))).toBe(lines(acceptSuggestions(proposed())));
    expect(rejectSuggestions(out.doc).eq(original)).toBe(true);
    // The replacement is one 修订 (one id for its deletion and insertion), as in the editor.
    const ids = listSuggestions(out.doc).map((s) => s.id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it("carries a 批注 out as a Word comment and back in as a thread on the same words", async () => {
    const doc = proposed();
    const from = offsetOf(doc, "自通知之日起计算");
    const commented = doc.type.schema.nodeFromJSON(doc.toJSON());
    const withMark = EditorState.create({ doc: commented }).tr.addMark(
      from,
      from + "自通知之日起计算".length,
      schema.marks.comment!.create({ threadId: "t1" }),
    ).doc;
    const file = await renderDocx(draftModel({ content: withMark.toJSON() as ExportNode }), undefined, [
      {
        threadId: "t1",
        entries: [
          {
            author: `陈静（${COURT}）`,
            initials: "陈",
            date: new Date("2026-12-06T08:00:00Z"),
            text: "起算日请与通知书核对。",
          },
        ],
      },
    ]);
    const { changes, comments } = await readRevisedWord(file);
    expect(changes).toHaveLength(3);
    expect(comments).toEqual([
      expect.objectContaining({
        author: `陈静（${COURT}）`,
        body: "起算日请与通知书核对。",
        quote: "自通知之日起计算",
      }),
    ]);
    const placed = placeComments(doc, comments, () => "thread-1");
    expect(placed.unplaced).toEqual([]);
    let anchored = "";
    placed.doc.descendants((node) => {
      if (node.isText && node.marks.some((m) => m.type.name === "comment" && m.attrs.threadId === "thread-1"))
        anchored += node.text;
      return true;
    });
    expect(anchored).toBe("自通知之日起计算");
  });

  it("reports, and does not apply, a change whose text is no longer there", async () => {
    const changed = schema.nodeFromJSON({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "一、整改期限为六十日。" }] },
        { type: "paragraph", content: [{ type: "text", text: "二、逐项销号，按月报送进展，并抄送市中级人民法院。" }] },
      ],
    });
    const out = placeRevisions(
      changed,
      (await readWordChanges(docx)).map((c) => ({ ...c, authorName: null })),
      court.author,
      {
        now: "2026-12-06T09:00:00.000Z",
        random: () => "x",
      },
    );
    expect(out.placed).toBe(1);
    expect(out.unplaced.map((u) => [u.change.kind, u.change.text, u.reason])).toEqual([
      ["deletion", "三", "not-found"],
      ["insertion", "两", "not-found"],
    ]);
  });

  describe("through LibreOffice", () => {
    let office: OfficeConverter;
    let dir: string;
    beforeAll(() => {
      office = officeConverter("docx-revisions");
      dir = office.dir;
    });
    afterAll(() => office.dispose());
    const convert = (file: string, target: string, ext: string) => office.convert(file, target, ext);

    it("shows the insertion and the deletions as tracked changes by the court, and keeps them when it saves the file again", async () => {
      const file = path.join(dir, "revised.docx");
      writeFileSync(file, docx);
      const odt = await JSZip.loadAsync(readFileSync(convert(file, "odt", "odt")));
      const content = (await odt.file("content.xml")?.async("string")) ?? "";
      const regions = content.match(/<text:changed-region[\s\S]*?<\/text:changed-region>/g) ?? [];
      const kinds = regions.map((r) =>
        r.includes("<text:insertion") ? "insertion" : r.includes("<text:deletion") ? "deletion" : "other",
      );
      expect(kinds.sort()).toEqual(["deletion", "deletion", "insertion"]);
      for (const r of regions) expect(r).toContain(`陈静（${COURT}）`);
      // Saved again as .docx by LibreOffice, it still imports as the same 修订.
      const again = readFileSync(convert(file, "docx:MS Word 2007 XML", "docx"));
      const changes = await readWordChanges(again);
      const out = placeRevisions(
        original,
        changes.map((c) => ({ ...c, authorName: null })),
        court.author,
        {
          now: "2026-12-06T09:00:00.000Z",
          random: () => randomBytes(4).toString("hex"),
        },
      );
      expect(out.unplaced).toEqual([]);
      expect(summary(out.doc)).toEqual(summary(proposed()));
    }, 150_000);
  });
});

describe("POST /documents/:id/suggestions (导入修订稿)", () => {
  let app: RunningServer;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    app = await startServer();
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await app.close();
  });

  it("imports the court's revised file as its 修订; bad files get a Chinese message and change nothing", async () => {
    const region = await buildRegion();
    const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region, name: `司法局${randomBytes(3).toString("hex")}` });
    const courtOrg = await buildOrg({ kind: "COURT", region, name: `中院${randomBytes(3).toString("hex")}` });
    const drafter = await buildUser({ org: bureau, role: "DRAFTER", displayName: "王磊" });
    const liaison = await buildUser({ org: courtOrg, role: "LIAISON", displayName: "陈静" });
    const reader = await buildUser({ org: bureau, role: "VIEWER" });
    const doc = await buildDocument({
      ownerOrg: bureau,
      createdById: drafter.id,
      members: [{ orgId: courtOrg.id, access: "SUGGEST" }],
    });
    const cookies = {
      drafter: await buildSessionCookie(drafter.id),
      liaison: await buildSessionCookie(liaison.id),
      reader: await buildSessionCookie(reader.id),
    };
    const editor = connectClient(app.origin, doc.id, cookies.drafter);
    clients.push(editor);
    await editor.synced();
    updateYFragment(editor.doc, editor.doc.getXmlFragment(YJS_FRAGMENT), original, {
      mapping: new Map(),
      isOMark: new Map(),
    });
    const pm = () => yXmlFragmentToProseMirrorRootNode(editor.doc.getXmlFragment(YJS_FRAGMENT), schema);
    await app.server.collab.storeDocument(doc.id);

    const upload = (cookie: string, data: Uint8Array, name = "修订稿.docx") => {
      const form = new FormData();
      form.set("intent", "import");
      form.set("file", new Blob([new Uint8Array(data)]), name);
      return app.request(`/documents/${doc.id}/suggestions`, { method: "POST", cookie, body: form });
    };
    const revised = await renderDocx(draftModel({ content: proposed().toJSON() as ExportNode }));

    // Bad input first: nothing may change.
    const refusals: Array<[string, Uint8Array, number, RegExp]> = [
      ["not a docx", new TextEncoder().encode("这不是 Word 文件"), 400, /不是 Word 文档/],
      [
        "a zip without word/document.xml",
        await new JSZip().file("a.txt", "x").generateAsync({ type: "uint8array" }),
        400,
        /缺少正文/,
      ],
      [
        "a zip bomb",
        await new JSZip()
          .file("word/document.xml", "<".repeat(30 * 1024 * 1024))
          .generateAsync({ type: "uint8array", compression: "DEFLATE" }),
        400,
        /解压后过大/,
      ],
      [
        "a docx without tracked changes",
        await renderDocx(draftModel({ content: original.toJSON() as ExportNode })),
        400,
        /没有修订记录/,
      ],
    ];
    for (const [label, data, status, message] of refusals) {
      const res = await upload(cookies.liaison, data);
      expect(res.status, label).toBe(status);
      expect(await res.text(), label).toMatch(message);
    }
    const huge = await upload(cookies.liaison, new Uint8Array(50 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("过大");
    // A reader may not import.
    expect((await upload(cookies.reader, revised)).status).toBe(403);
    expect(listSuggestions(pm())).toEqual([]);

    const ok = await upload(cookies.liaison, revised);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, placed: 3, unplaced: [], comments: 0 });
    await waitFor(() => listSuggestions(pm()).length === 3, 5000, "the 修订 reach the drafter's editor");
    expect(listSuggestions(pm()).map((s) => [s.kind, s.text, s.orgName, s.authorId])).toEqual([
      ["deletion", "三", courtOrg.name, liaison.id],
      ["insertion", "两", courtOrg.name, liaison.id],
      ["deletion", "，按月报送进展", courtOrg.name, liaison.id],
    ]);

    // The same file again: its changes no longer fit (三 is struck, 两 inserted): reported in Chinese.
    const stale = schema.nodeFromJSON({
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text: "会议另行研究。" }] }],
    });
    updateYFragment(editor.doc, editor.doc.getXmlFragment(YJS_FRAGMENT), stale, {
      mapping: new Map(),
      isOMark: new Map(),
    });
    await app.server.collab.storeDocument(doc.id);
    const none = await upload(cookies.liaison, revised);
    expect(none.status).toBe(409);
    const why = await none.text();
    expect(why).toContain("都无法对应到当前文书");
    expect(why).toContain("删除「三」");
  }, 60_000);
});
