import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { absolutePositionToRelativePosition, initProseMirrorDoc } from "@tiptap/y-tiptap";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { exportCommentThreads } from "~/services/export-document.server";
import { renderDocx } from "~/services/export/docx.server";
import type { ExportModel, PMNode } from "~/services/export/model";
import { renderHtml } from "~/services/export/pdf.server";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { draftModel } from "./fixtures";
import { officeConverter, type OfficeConverter } from "./libreoffice";

/**
 * 导出 Word（含批注）: the open comment threads of a document as native Word comments anchored on
 * exactly the text their marks cover; the clean Word and PDF exports carry none; LibreOffice opens
 * the file with its comments; readers download it through the server, outsiders cannot.
 */

type Parts = Record<string, string>;

async function unzip(buf: Buffer): Promise<Parts> {
  const zip = await JSZip.loadAsync(buf);
  const parts: Parts = {};
  for (const [name, file] of Object.entries(zip.files))
    if (!file.dir && /\.(xml|rels)$/.test(name)) parts[name] = await file.async("string");
  return parts;
}

/** The text of every w:t in order. */
const texts = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");

interface WordComment {
  id: string;
  author: string;
  initials: string;
  date: string;
  text: string;
}

/** The comments of word/comments.xml, in order; a comment's paragraphs joined by "\n". */
function wordComments(xml: string): WordComment[] {
  return [...xml.matchAll(/<w:comment ([^>]*)>([\s\S]*?)<\/w:comment>/g)].map(([, attrs, inner]) => {
    const attr = (name: string) => new RegExp(`w:${name}="([^"]*)"`).exec(attrs)?.[1] ?? "";
    const paragraphs = inner.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [];
    return {
      id: attr("id"),
      author: attr("author"),
      initials: attr("initials"),
      date: attr("date"),
      text: paragraphs.map(texts).join("\n"),
    };
  });
}

/** The document text a comment range encloses; its reference run must follow the range's end. */
function anchoredText(body: string, id: string): string {
  const start = body.indexOf(`<w:commentRangeStart w:id="${id}"/>`);
  const end = body.indexOf(`<w:commentRangeEnd w:id="${id}"/>`);
  expect(start, `range start of comment ${id}`).toBeGreaterThan(-1);
  expect(end, `range end of comment ${id}`).toBeGreaterThan(start);
  expect(body.indexOf(`<w:commentReference w:id="${id}"/>`)).toBeGreaterThan(end);
  return texts(body.slice(start, end));
}

const count = (xml: string, needle: string) => xml.split(needle).length - 1;

// ---------------------------------------------------------------------------------------------
// Rendering, from a model and thread rows
// ---------------------------------------------------------------------------------------------

const comment = (threadId: string) => ({ type: "comment", attrs: { threadId } });
const t = (text: string, ...marks: Array<{ type: string; attrs?: Record<string, unknown> }>): PMNode =>
  marks.length ? { type: "text", text, marks } : { type: "text", text };
const p = (...content: PMNode[]): PMNode => ({ type: "paragraph", content });

const COMMENT_A = "建议将“三个月”改为“两个月”。";
const REPLY_A = "同意，已修改。";
const DELETED_REPLY = "这条回复已删除";
const COMMENT_B = "两段表述请合并。\n并补充制度依据。";
const RESOLVED_COMMENT = "此条已解决，不应导出。";

function commentedContent(): PMNode {
  return {
    type: "doc",
    content: [
      // Thread A: two runs of one paragraph (the second one bold).
      p(
        t("会议议定："),
        t("三个月内", comment("thr_a")),
        t("完成", { type: "bold" }, comment("thr_a")),
        t("整改并报送进展。"),
      ),
      // Thread B: the end of one paragraph and the start of the next.
      p(t("各单位要"), t("加强协作，", comment("thr_b"))),
      p(t("按期报送", comment("thr_b")), t("进展情况。")),
      // Thread C is resolved; a mark of an unknown thread is ignored.
      p(t("其他"), t("已解决事项", comment("thr_c")), t("另行研究，"), t("无主批注", comment("thr_gone")), t("。")),
    ],
  };
}

const at = (iso: string) => new Date(iso);
const author = (displayName: string, org: string | null) => ({
  author: { displayName },
  org: org ? { name: org } : null,
});

function threadRows() {
  return [
    {
      id: "thr_a",
      status: "OPEN",
      comments: [
        { body: COMMENT_A, createdAt: at("2026-11-20T01:00:00Z"), deletedAt: null, ...author("张三", "某单位") },
        { body: REPLY_A, createdAt: at("2026-11-20T02:30:00Z"), deletedAt: null, ...author("李四", "示例市司法局") },
        {
          body: DELETED_REPLY,
          createdAt: at("2026-11-20T03:00:00Z"),
          deletedAt: at("2026-11-20T03:05:00Z"),
          ...author("王五", "某单位"),
        },
      ],
    },
    {
      id: "thr_b",
      status: "OPEN",
      comments: [
        { body: COMMENT_B, createdAt: at("2026-11-21T08:00:00Z"), deletedAt: null, ...author("张三", "某单位") },
      ],
    },
    {
      id: "thr_c",
      status: "RESOLVED",
      comments: [
        { body: RESOLVED_COMMENT, createdAt: at("2026-11-19T08:00:00Z"), deletedAt: null, ...author("张三", "某单位") },
      ],
    },
  ];
}

const model = (): ExportModel => draftModel({ title: "关于整改进展的会商纪要", content: commentedContent() });

describe("renderDocx with comment threads (含批注)", () => {
  let withComments: Buffer;
  let parts: Parts;
  let body: string;
  let list: WordComment[];

  beforeAll(async () => {
    const threads = await exportCommentThreads(threadRows());
    withComments = await renderDocx(model(), undefined, threads);
    parts = await unzip(withComments);
    body = parts["word/document.xml"];
    list = wordComments(parts["word/comments.xml"] ?? "");
  });

  it("writes each open thread's first comment and its replies, attributed to 显示名（单位名）", () => {
    expect(list.map((c) => c.author)).toEqual(["张三（某单位）", "李四（示例市司法局）", "张三（某单位）"]);
    expect(list.map((c) => c.initials)).toEqual(["ZS", "LS", "ZS"]);
    expect(list.map((c) => c.text)).toEqual([COMMENT_A, `李四回复：${REPLY_A}`, COMMENT_B]);
    expect(list.map((c) => c.date)).toEqual([
      "2026-11-20T01:00:00.000Z",
      "2026-11-20T02:30:00.000Z",
      "2026-11-21T08:00:00.000Z",
    ]);
    // The reply is threaded under its comment (w15:paraIdParent in commentsExtended.xml).
    const extended = parts["word/commentsExtended.xml"] ?? "";
    const paraIds = [...parts["word/comments.xml"].matchAll(/<w:comment [\s\S]*?w14:paraId="([0-9A-F]{8})"/g)].map(
      (m) => m[1],
    );
    expect(paraIds).toHaveLength(3);
    expect(extended).toContain(`<w15:commentEx w15:paraId="${paraIds[1]}" w15:paraIdParent="${paraIds[0]}"/>`);
    expect(extended).not.toContain(`w15:paraId="${paraIds[2]}" w15:paraIdParent`);
  });

  it("anchors every comment on exactly the marked words, across runs and paragraphs", () => {
    const [first, reply, spanning] = list.map((c) => c.id);
    expect(anchoredText(body, first)).toBe("三个月内完成");
    expect(anchoredText(body, reply)).toBe("三个月内完成");
    expect(anchoredText(body, spanning)).toBe("加强协作，按期报送");
    const start = body.indexOf(`<w:commentRangeStart w:id="${spanning}"/>`);
    const end = body.indexOf(`<w:commentRangeEnd w:id="${spanning}"/>`);
    expect(count(body.slice(start, end), "</w:p>"), "the range crosses one paragraph end").toBe(1);
    // The bold run keeps its formatting inside the range.
    expect(body).toMatch(/<w:r><w:rPr>(?:(?!<\/w:rPr>)[\s\S])*<w:b\/>(?:(?!<\/w:r>)[\s\S])*<w:t[^>]*>完成<\/w:t>/);
    expect(texts(body)).toContain("会议议定：三个月内完成整改并报送进展。");
  });

  it("leaves out resolved threads, deleted comments and marks of unknown threads", () => {
    expect(count(body, "<w:commentRangeStart ")).toBe(3);
    expect(count(body, "<w:commentRangeEnd ")).toBe(3);
    expect(count(body, "<w:commentReference ")).toBe(3);
    const all = parts["word/comments.xml"];
    expect(all).not.toContain(RESOLVED_COMMENT);
    expect(all).not.toContain(DELETED_REPLY);
    expect(all).not.toContain("王五");
    expect(texts(body)).toContain("已解决事项另行研究，无主批注。");
  });

  it("the clean Word export of the same content has no comments at all", async () => {
    const clean = await unzip(await renderDocx(model()));
    expect(Object.keys(clean)).not.toContain("word/comments.xml");
    expect(Object.keys(clean)).not.toContain("word/commentsExtended.xml");
    const cleanBody = clean["word/document.xml"];
    expect(cleanBody).not.toContain("commentRangeStart");
    expect(cleanBody).not.toContain("commentReference");
    expect(clean["[Content_Types].xml"]).not.toContain("comments");
    expect(texts(cleanBody)).toContain("会议议定：三个月内完成整改并报送进展。");
    expect(texts(cleanBody)).toContain("各单位要加强协作，");
    // No threads given (or none open) is the clean export too.
    const none = await unzip(await renderDocx(model(), undefined, await exportCommentThreads([threadRows()[2]])));
    expect(Object.keys(none)).not.toContain("word/comments.xml");
    expect(none["word/document.xml"]).not.toContain("commentRangeStart");
  });

  it("the PDF's HTML ignores the comment mark", () => {
    const html = renderHtml(model());
    expect(html).not.toContain("thr_a");
    expect(html).not.toContain("data-comment-thread");
    expect(html).not.toContain("comment-anchor");
    expect(html).not.toContain(COMMENT_A);
    expect(html).toContain("三个月内");
  });

  describe("opened by LibreOffice", () => {
    let dir: string;
    let office: OfficeConverter;
    beforeAll(() => {
      office = officeConverter("docx-comments");
      dir = office.dir;
    });
    afterAll(() => office.dispose());

    /** soffice --headless --convert-to <target>; the path of the converted file. */
    const convert = (file: string, target: string, ext: string) => office.convert(file, target, ext);

    it("converts it to a PDF with the body text", () => {
      const file = path.join(dir, "commented.docx");
      writeFileSync(file, withComments);
      const pdf = convert(file, "pdf", "pdf");
      const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
      expect(text).toContain("关于整改进展的会商纪要");
      expect(text).toContain("会议议定：三个月内完成整改并报送进展。");
      expect(text).toContain("各单位要加强协作，");
      expect(text).toContain("按期报送进展情况。");
    }, 150_000);

    it("keeps the comments, their authors and ranges when saved as ODT", async () => {
      const file = path.join(dir, "roundtrip.docx");
      writeFileSync(file, withComments);
      const odt = convert(file, "odt", "odt");
      const zip = await JSZip.loadAsync(readFileSync(odt));
      const content = (await zip.file("content.xml")?.async("string")) ?? "";
      const annotations = content.match(/<office:annotation[ >][\s\S]*?<\/office:annotation>/g) ?? [];
      expect(annotations).toHaveLength(3);
      const plain = (xml: string) => xml.replace(/<[^>]+>/g, "");
      /** The annotation whose text contains `text`: its author and the document text of its range. */
      const annotation = (text: string) => {
        const found = annotations.find((a) => plain(a).includes(text));
        expect(found, `an annotation with ${text}`).toBeTruthy();
        const xml = found ?? "";
        const name = /<office:annotation office:name="([^"]+)"/.exec(xml)?.[1];
        expect(name, "the annotation is a range").toBeTruthy();
        const end = content.indexOf(`<office:annotation-end office:name="${name}"/>`);
        const start = content.indexOf(xml) + xml.length;
        expect(end).toBeGreaterThan(start);
        // Other annotations starting inside the range are not document text.
        const range = content.slice(start, end).replace(/<office:annotation[ >][\s\S]*?<\/office:annotation>/g, "");
        return { author: /<dc:creator>([^<]*)<\/dc:creator>/.exec(xml)?.[1], range: plain(range) };
      };
      // LibreOffice keeps each comment with its author, text and range (a reply on the same range; its
      // order among the annotations at one position is LibreOffice's).
      expect(annotation(COMMENT_A)).toEqual({ author: "张三（某单位）", range: "三个月内完成" });
      expect(annotation(`李四回复：${REPLY_A}`)).toEqual({ author: "李四（示例市司法局）", range: "三个月内完成" });
      expect(annotation("两段表述请合并。并补充制度依据。")).toEqual({
        author: "张三（某单位）",
        range: "加强协作，按期报送",
      });
      expect(content).not.toContain(RESOLVED_COMMENT);
      expect(content).not.toContain(DELETED_REPLY);
      expect(plain(content)).toContain("已解决事项另行研究，无主批注。");
    }, 150_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Through the server
// ---------------------------------------------------------------------------------------------

describe("GET /documents/:id/export/docx-comments", () => {
  let app: RunningServer;
  const clients: TestClient[] = [];
  const schema = editorSchema();

  beforeAll(async () => {
    app = await startServer();
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await app.close();
  });

  async function world() {
    const region = await buildRegion();
    const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region, name: `司法局${randomBytes(3).toString("hex")}` });
    const court = await buildOrg({ kind: "COURT", region, name: `某单位${randomBytes(3).toString("hex")}` });
    const readerOrg = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region });
    const drafter = await buildUser({ org: bureau, role: "DRAFTER", displayName: "李四" });
    const liaison = await buildUser({ org: court, role: "LIAISON", displayName: "张三" });
    const reader = await buildUser({ org: readerOrg, role: "DRAFTER", displayName: "读者" });
    const stranger = await buildUser({ role: "DRAFTER" });
    const doc = await buildDocument({
      ownerOrg: bureau,
      createdById: drafter.id,
      title: "含批注导出测试纪要",
      members: [
        { orgId: court.id, access: "COMMENT" },
        { orgId: readerOrg.id, access: "READ" },
      ],
    });
    const cookies = {
      drafter: await buildSessionCookie(drafter.id),
      liaison: await buildSessionCookie(liaison.id),
      reader: await buildSessionCookie(reader.id),
      stranger: await buildSessionCookie(stranger.id),
    };
    return { bureau, court, doc, cookies };
  }

  /** The editor positions of `text` in a client's copy (first occurrence). */
  function positionOf(doc: Y.Doc, text: string): number {
    const { doc: pm } = initProseMirrorDoc(doc.getXmlFragment(YJS_FRAGMENT), schema);
    let found = -1;
    pm.descendants((node, pos) => {
      if (found < 0 && node.isText && node.text?.includes(text)) found = pos + (node.text?.indexOf(text) ?? 0);
      return found < 0;
    });
    expect(found, `"${text}" in the text`).toBeGreaterThan(-1);
    return found;
  }

  /** A selection from the start of `from` to the end of `to` (possibly in another paragraph), as the browser sends it. */
  function selection(doc: Y.Doc, from: string, to: string, quote: string) {
    const fragment = doc.getXmlFragment(YJS_FRAGMENT);
    const { mapping } = initProseMirrorDoc(fragment, schema);
    const rel = (pos: number) =>
      JSON.stringify(Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, fragment, mapping)));
    return { anchor: rel(positionOf(doc, from)), head: rel(positionOf(doc, to) + to.length), quote };
  }

  it("gives a reader the Word file with the open threads as comments; an outsider is refused", async () => {
    const w = await world();
    const editor = connectClient(app.origin, w.doc.id, w.cookies.drafter);
    clients.push(editor);
    await editor.synced();
    editor.doc.transact(() => {
      for (const text of ["会议议定：三个月内完成整改并报送进展。", "各单位要加强协作，", "按期报送进展情况。"]) {
        const para = new Y.XmlElement("paragraph");
        para.insert(0, [new Y.XmlText(text)]);
        editor.doc.getXmlFragment(YJS_FRAGMENT).push([para]);
      }
    });
    const liaison = connectClient(app.origin, w.doc.id, w.cookies.liaison);
    clients.push(liaison);
    await liaison.synced();
    await waitFor(() => liaison.doc.getXmlFragment(YJS_FRAGMENT).length === 3, 3000, "text reached the liaison");

    // The page offers the export only once there is an open thread.
    const before = await (await app.request(`/documents/${w.doc.id}`, { cookie: w.cookies.reader })).text();
    expect(before).toContain("导出 Word");
    expect(before).not.toContain("导出 Word（含批注）");

    const post = (cookie: string, form: Record<string, string>) =>
      app.request(`/documents/${w.doc.id}/comments`, { cookie, form });
    const open = async (form: Record<string, string>) => {
      const res = await post(w.cookies.liaison, { intent: "open", ...form });
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { threadId: string }).threadId;
    };
    const a = await open({ ...selection(liaison.doc, "三个月内", "三个月内", "三个月内"), body: COMMENT_A });
    expect((await post(w.cookies.drafter, { intent: "reply", threadId: a, body: REPLY_A })).status).toBe(200);
    const b = await open({
      ...selection(liaison.doc, "加强协作，", "按期报送", "加强协作，\n按期报送"),
      body: "两段表述请合并。",
    });
    const c = await open({ ...selection(liaison.doc, "进展情况", "进展情况", "进展情况"), body: RESOLVED_COMMENT });
    expect((await post(w.cookies.drafter, { intent: "resolve", threadId: c })).status).toBe(200);
    expect(new Set([a, b, c]).size).toBe(3);

    const page = await (await app.request(`/documents/${w.doc.id}`, { cookie: w.cookies.reader })).text();
    expect(page).toContain("导出 Word（含批注）");
    expect(page).toContain(`/documents/${w.doc.id}/export/docx-comments`);

    const res = await app.request(`/documents/${w.doc.id}/export/docx-comments`, { cookie: w.cookies.reader });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(res.headers.get("content-disposition")).toContain(
      `filename*=UTF-8''${encodeURIComponent("《含批注导出测试纪要》（含批注）.docx")}`,
    );
    const parts = await unzip(Buffer.from(await res.arrayBuffer()));
    const list = wordComments(parts["word/comments.xml"] ?? "");
    expect(list.map((x) => [x.author, x.text])).toEqual([
      [`张三（${w.court.name}）`, COMMENT_A],
      [`李四（${w.bureau.name}）`, `李四回复：${REPLY_A}`],
      [`张三（${w.court.name}）`, "两段表述请合并。"],
    ]);
    const body = parts["word/document.xml"];
    expect(anchoredText(body, list[0].id)).toBe("三个月内");
    expect(anchoredText(body, list[1].id)).toBe("三个月内");
    expect(anchoredText(body, list[2].id)).toBe("加强协作，按期报送");
    expect(parts["word/comments.xml"]).not.toContain(RESOLVED_COMMENT);
    expect(count(body, "<w:commentRangeStart ")).toBe(3);

    const audit = await getDb().auditEvent.findFirst({
      where: { targetId: w.doc.id, action: "document.exported" },
      select: { summary: true },
    });
    expect(audit?.summary).toContain("含批注");

    // The clean export of the same document has no comments.
    const clean = await app.request(`/documents/${w.doc.id}/export/docx`, { cookie: w.cookies.reader });
    expect(clean.status).toBe(200);
    const cleanParts = await unzip(Buffer.from(await clean.arrayBuffer()));
    expect(Object.keys(cleanParts)).not.toContain("word/comments.xml");
    expect(cleanParts["word/document.xml"]).not.toContain("commentRangeStart");
    expect(texts(cleanParts["word/document.xml"])).toContain("三个月内完成整改");

    // Outsiders and strangers are refused as for the clean export; unknown formats are 404.
    expect(
      (await app.request(`/documents/${w.doc.id}/export/docx-comments`, { cookie: w.cookies.stranger })).status,
    ).toBe(403);
    expect((await app.request(`/documents/${w.doc.id}/export/docx-comments`)).status).not.toBe(200);
    expect((await app.request(`/documents/${w.doc.id}/export/odt`, { cookie: w.cookies.reader })).status).toBe(404);
  });
});
