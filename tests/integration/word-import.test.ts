import {
  AlignmentType,
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from "docx";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { isDomainError } from "~/domain/errors";
import { describeWordImport } from "~/domain/word-import";
import { editorSchema } from "~/editor/schema/extensions";
import { getCurrentUser, type CurrentUser } from "~/services/auth/current-user.server";
import { createDocumentFromWord } from "~/services/create-document.server";
import type { TemplateNode } from "~/services/document-templates";
import { readWordDocument } from "~/services/import/word-document.server";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";

/**
 * 从 Word 导入 (issue 21, ADR 020) at the service level: .docx files built here with the `docx`
 * package become editor JSON with their headings (Word styles and typed 公文 numbering), marks, lists
 * and tables; a 纪要's header lines become its fields; what cannot come in is reported in Chinese;
 * bad files are refused in Chinese and create no Document row.
 */

/** A 1×1 transparent PNG. */
const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  ),
);

const pack = async (doc: Document) => new Uint8Array(await Packer.toBuffer(doc));

const NUMBERING = {
  config: [
    {
      reference: "steps",
      levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START }],
    },
  ],
};

/** (a) Word heading styles, marks, a bullet and a numbered list, a table with a header row, a picture, a footnote. */
function styledDocx() {
  return pack(
    new Document({
      numbering: NUMBERING,
      footnotes: { 1: { children: [new Paragraph("见《行政执法监督条例》第十条。")] } },
      sections: [
        {
          children: [
            new Paragraph({ text: "关于加强行政执法协调的工作方案", heading: HeadingLevel.TITLE }),
            new Paragraph({ text: "总体要求", heading: HeadingLevel.HEADING_1 }),
            new Paragraph({
              children: [
                new TextRun("坚持"),
                new TextRun({ text: "依法行政", bold: true }),
                new TextRun("，做到"),
                new TextRun({ text: "程序正当", italics: true }),
                new TextRun("，"),
                new TextRun({ text: "权责统一", underline: {} }),
                new TextRun("。"),
                new FootnoteReferenceRun(1),
              ],
            }),
            new Paragraph({ text: "工作任务", heading: HeadingLevel.HEADING_2 }),
            new Paragraph({ text: "梳理执法事项", bullet: { level: 0 } }),
            new Paragraph({ text: "统一裁量基准", bullet: { level: 0 } }),
            new Paragraph({ text: "具体步骤", heading: HeadingLevel.HEADING_3 }),
            new Paragraph({ text: "召开协调会", numbering: { reference: "steps", level: 0 } }),
            new Paragraph({ text: "形成会议纪要", numbering: { reference: "steps", level: 0 } }),
            new Table({
              rows: [
                new TableRow({
                  tableHeader: true,
                  children: ["单位", "任务"].map((t) => new TableCell({ children: [new Paragraph(t)] })),
                }),
                new TableRow({
                  children: ["市司法局", "牵头协调"].map((t) => new TableCell({ children: [new Paragraph(t)] })),
                }),
              ],
            }),
            new Paragraph({
              children: [new ImageRun({ type: "png", data: PNG, transformation: { width: 10, height: 10 } })],
            }),
            new Paragraph("以上方案自印发之日起施行。"),
          ],
        },
      ],
    }),
  );
}

const LONG_BODY = "1. 各执法单位要在本方案印发之日起三十日内完成执法事项清单梳理工作，并将清单报送市司法局备案。";

/** (b) 公文 numbering typed into plain paragraphs, and a long numbered body sentence. */
function numberedDocx() {
  return pack(
    new Document({
      sections: [
        {
          children: [
            new Paragraph("一、总体要求"),
            new Paragraph("（一）工作目标"),
            new Paragraph("1. 建立协调机制"),
            new Paragraph("（1）明确牵头单位"),
            new Paragraph(LONG_BODY),
            new Paragraph({ children: [new TextRun({ text: "2．加强组织领导。", bold: true })] }),
            new Paragraph("3. 按时报送。"),
            new Paragraph("二、保障措施"),
          ],
        },
      ],
    }),
  );
}

/** (c) A 纪要 with its header lines typed as text (padded labels as Word users align them). */
function minutesDocx() {
  return pack(
    new Document({
      sections: [
        {
          children: [
            new Paragraph("会议名称：行政执法协调联席会议"),
            new Paragraph("时　　间：2026年12月1日14时30分"),
            new Paragraph("地　　点：市司法局第一会议室"),
            new Paragraph("主持人：王磊"),
            new Paragraph("一、会议概况"),
            new Paragraph("会议听取了各单位工作情况汇报。时间：不作为字段。"),
            new Paragraph("出席：市司法局、市中级人民法院"),
            new Paragraph("列席：市市场监督管理局"),
          ],
        },
      ],
    }),
  );
}

const textOf = (node: TemplateNode): string =>
  node.type === "text" ? (node.text ?? "") : (node.content ?? []).map(textOf).join("");
const blocks = (doc: TemplateNode) => (doc.content ?? []).map((n) => [n.type, n.attrs?.level ?? null, textOf(n)]);
const marksOf = (doc: TemplateNode, text: string) => {
  let found: string[] | null = null;
  const walk = (n: TemplateNode) => {
    if (n.type === "text" && n.text === text) found = (n.marks ?? []).map((m) => m.type);
    (n.content ?? []).forEach(walk);
  };
  walk(doc);
  return found;
};

describe("reading a .docx into the editor schema", () => {
  it("(a) keeps Word's headings, marks, lists and tables, and reports the picture and the footnote", async () => {
    const word = await readWordDocument(await styledDocx(), { minutes: false });
    // Valid in the editor's schema.
    expect(() => editorSchema().nodeFromJSON(word.content)).not.toThrow();
    expect(word.title).toBe("关于加强行政执法协调的工作方案");
    const top = blocks(word.content);
    expect(top.slice(0, 4)).toEqual([
      ["heading", 1, "总体要求"],
      ["paragraph", null, "坚持依法行政，做到程序正当，权责统一。"],
      ["heading", 2, "工作任务"],
      ["bulletList", null, "梳理执法事项统一裁量基准"],
    ]);
    expect(top[4]).toEqual(["heading", 3, "具体步骤"]);
    expect(top[5]?.slice(0, 1)).toEqual(["orderedList"]);
    expect(top[5]?.[2]).toBe("召开协调会形成会议纪要");
    expect(marksOf(word.content, "依法行政")).toEqual(["bold"]);
    expect(marksOf(word.content, "程序正当")).toEqual(["italic"]);
    expect(marksOf(word.content, "权责统一")).toEqual(["underline"]);
    const table = word.content.content!.find((n) => n.type === "table")!;
    expect(table.content!.map((row) => row.content!.map((c) => [c.type, textOf(c)]))).toEqual([
      [
        ["tableHeader", "单位"],
        ["tableHeader", "任务"],
      ],
      [
        ["tableCell", "市司法局"],
        ["tableCell", "牵头协调"],
      ],
    ]);
    // The footnote's text is not in the body; the title paragraph is the title, not body text.
    expect(JSON.stringify(word.content)).not.toContain("行政执法监督条例");
    expect(top.map((b) => b[2])).not.toContain("关于加强行政执法协调的工作方案");
    expect(top[top.length - 1]).toEqual(["paragraph", null, "以上方案自印发之日起施行。"]);
    expect(word.report).toMatchObject({ image: 1, footnote: 1 });
    expect(describeWordImport(word.report)).toEqual(["已忽略 1 张图片", "已忽略 1 个脚注"]);
  });

  it("(b) turns short paragraphs with 公文 numbering into headings of their level; numbered sentences stay body text", async () => {
    const word = await readWordDocument(await numberedDocx(), { minutes: false });
    expect(blocks(word.content)).toEqual([
      ["heading", 1, "一、总体要求"],
      ["heading", 2, "（一）工作目标"],
      ["heading", 3, "1. 建立协调机制"],
      ["heading", 4, "（1）明确牵头单位"],
      ["paragraph", null, LONG_BODY],
      // Bold and short: a run-in heading, even with its full stop (its bold goes with it).
      ["heading", 3, "2．加强组织领导。"],
      ["paragraph", null, "3. 按时报送。"],
      ["heading", 1, "二、保障措施"],
    ]);
    expect(marksOf(word.content, "2．加强组织领导。")).toEqual([]);
    expect(word.report).toEqual({});
    // No Title paragraph and no plain heading: the form's title or the file name will name it.
    expect(word.title).toBeNull();
  });

  it("(c) recognises a 纪要's header and attendance lines as its fields", async () => {
    const word = await readWordDocument(await minutesDocx(), { minutes: true });
    const fields = word.content.content!.filter((n) => n.content?.[0]?.marks?.[0]?.type === "bold");
    expect(fields.map((f) => [f.content![0]!.text, f.content![1]?.text ?? ""])).toEqual([
      ["会议名称：", "行政执法协调联席会议"],
      ["时间：", "2026年12月1日14时30分"],
      ["地点：", "市司法局第一会议室"],
      ["主持人：", "王磊"],
      ["出席：", "市司法局、市中级人民法院"],
      ["列席：", "市市场监督管理局"],
    ]);
    // A 时间： inside the body is text; the 一、 line is a heading.
    expect(blocks(word.content)).toContainEqual(["heading", 1, "一、会议概况"]);
    expect(blocks(word.content)).toContainEqual([
      "paragraph",
      null,
      "会议听取了各单位工作情况汇报。时间：不作为字段。",
    ]);
    // Not a 纪要: the same lines stay paragraphs.
    const plain = await readWordDocument(await minutesDocx(), { minutes: false });
    expect(blocks(plain.content)[0]).toEqual(["paragraph", null, "会议名称：行政执法协调联席会议"]);
  });
});

describe("createDocumentFromWord", () => {
  let user: CurrentUser;
  let bureau: { id: string };
  let court: { id: string };

  beforeAll(async () => {
    const region = await buildRegion();
    bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region });
    court = await buildOrg({ kind: "COURT", region });
    const drafter = await buildUser({ org: bureau, role: "DRAFTER", displayName: "王磊" });
    const cookie = await buildSessionCookie(drafter.id);
    user = (await getCurrentUser(new Request("http://x/", { headers: { Cookie: cookie } })))!;
  });

  const input = (type: "MINUTES" | "SUPERVISION_LISTING" = "MINUTES", title: string | null = null) => ({
    title,
    type,
    ownerOrgId: bureau.id,
    writerOrgIds: [court.id],
    readerOrgIds: [],
  });

  it("creates the draft with the imported content, Word's title, the members, and audits it as imported", async () => {
    const created = await createDocumentFromWord(
      user,
      input("SUPERVISION_LISTING"),
      { name: "方案.docx", data: await styledDocx() },
      { ip: null },
    );
    const db = getDb();
    const row = await db.document.findUniqueOrThrow({
      where: { id: created.id },
      select: { title: true, type: true, members: { select: { orgId: true, access: true } } },
    });
    expect(row).toMatchObject({ title: "关于加强行政执法协调的工作方案", type: "SUPERVISION_LISTING" });
    expect(row.members).toEqual([{ orgId: court.id, access: "WRITE" }]);
    const snapshot = await db.documentSnapshot.findUniqueOrThrow({ where: { documentId: created.id } });
    expect(snapshot.text).toContain("坚持依法行政");
    expect(JSON.parse(snapshot.json).content[0]).toMatchObject({ type: "heading", attrs: { level: 1 } });
    expect(created.report).toMatchObject({ image: 1, footnote: 1 });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { targetId: created.id, action: "document.created" },
      select: { summary: true },
    });
    expect(audit.summary).toContain("（从 Word 导入）");
  });

  it("keeps a given title, with Word's title paragraph back in the body; without any title the file name stands in", async () => {
    const given = await createDocumentFromWord(
      user,
      input("SUPERVISION_LISTING", "本单位的标题"),
      { name: "方案.docx", data: await styledDocx() },
      { ip: null },
    );
    const db = getDb();
    expect((await db.document.findUniqueOrThrow({ where: { id: given.id } })).title).toBe("本单位的标题");
    const json = JSON.parse((await db.documentSnapshot.findUniqueOrThrow({ where: { documentId: given.id } })).json);
    expect(textOf(json.content[0])).toBe("关于加强行政执法协调的工作方案");
    const named = await createDocumentFromWord(
      user,
      input(),
      { name: "第3期会商纪要.docx", data: await numberedDocx() },
      { ip: null },
    );
    expect((await db.document.findUniqueOrThrow({ where: { id: named.id } })).title).toBe("第3期会商纪要");
  });

  it("(d) refuses bad files in Chinese, quickly, and creates no document", async () => {
    const db = getDb();
    // Only this unit's documents: the PostgreSQL check runs other test files on the same database at once.
    const ours = { where: { ownerOrgId: input().ownerOrgId } };
    const before = await db.document.count(ours);
    const bomb = await new JSZip()
      .file("word/document.xml", "<".repeat(30 * 1024 * 1024))
      .generateAsync({ type: "uint8array", compression: "DEFLATE" });
    // A bomb that lies: its header declares a small part.
    const liar = await lyingZip();
    const fakeDoc = new Uint8Array(4096);
    fakeDoc.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const corrupt = new Uint8Array(2048);
    corrupt.set([0x50, 0x4b, 0x03, 0x04]);
    const emptyDocx = await pack(new Document({ sections: [{ children: [new Paragraph("")] }] }));
    const onlyPicture = await pack(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({
                children: [new ImageRun({ type: "png", data: PNG, transformation: { width: 10, height: 10 } })],
              }),
            ],
          },
        ],
      }),
    );
    const xlsxLike = await new JSZip().file("xl/workbook.xml", "<workbook/>").generateAsync({ type: "uint8array" });
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["corrupt bytes", corrupt, /文件已损坏，无法读取/],
      ["a zip bomb", bomb, /解压后过大/],
      ["a zip bomb with lying sizes", liar, /解压后过大/],
      ["a .doc renamed", fakeDoc, /这是旧版 Word（\.doc）文件，请在 Word 或 WPS 中另存为 \.docx 后再导入/],
      ["50 MB", new Uint8Array(50 * 1024 * 1024), /不能超过 10 MB/],
      ["not a Word file", new TextEncoder().encode("这不是 Word 文件"), /不是 Word 文档/],
      ["a zip that is not Word", xlsxLike, /不是 Word 文档（\.docx）：缺少正文部分/],
      ["an empty document", emptyDocx, /没有可导入的文字内容/],
      ["only a picture", onlyPicture, /没有可导入的文字内容（已忽略 1 张图片）/],
      ["an empty file", new Uint8Array(0), /空的/],
    ];
    for (const [label, data, message] of cases) {
      const started = Date.now();
      const error = await createDocumentFromWord(user, input(), { name: "x.docx", data }, { ip: null }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDomainError(error), label).toBe(true);
      if (!isDomainError(error)) continue;
      expect(error.status, label).toBe(400);
      expect(error.message, label).toMatch(message);
      expect(error.fieldErrors?.wordFile?.[0], label).toBe(error.message);
      if (label === "50 MB") expect(Date.now() - started, "refused before reading").toBeLessThan(200);
    }
    expect(await db.document.count(ours)).toBe(before);
  });
});

/**
 * A zip whose word/document.xml inflates to 30 MB while its headers say 100 bytes: the declared-size
 * check passes, the inflation cap must stop it.
 */
async function lyingZip(): Promise<Uint8Array> {
  const zip = await new JSZip()
    .file("word/document.xml", " ".repeat(30 * 1024 * 1024), { createFolders: false })
    .generateAsync({ type: "uint8array", compression: "DEFLATE" });
  const out = Uint8Array.from(zip);
  const view = new DataView(out.buffer);
  // One entry: its local header at 0, its central directory record where the end record says.
  const central = view.getUint32(out.length - 22 + 16, true);
  view.setUint32(0 + 22, 100, true);
  view.setUint32(central + 24, 100, true);
  return out;
}
