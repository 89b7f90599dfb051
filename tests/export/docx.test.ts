import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { tableGrid } from "~/services/export/blocks";
import { renderDocx } from "~/services/export/docx.server";
import type { ExportModel } from "~/services/export/model";
import { ATTENDING, draftModel, HASH, minutesModel } from "./fixtures";

type Parts = Record<string, string>;

async function unzip(buf: Buffer): Promise<Parts> {
  const zip = await JSZip.loadAsync(buf);
  const parts: Parts = {};
  for (const [name, file] of Object.entries(zip.files))
    if (!file.dir && /\.(xml|rels)$/.test(name)) parts[name] = await file.async("string");
  return parts;
}

/** The text of every w:t in order (runs split text, so assert on this rather than on raw XML). */
const texts = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
/** The w:p elements of a part. */
const paragraphs = (xml: string) => xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [];
const paragraphWith = (xml: string, text: string) => paragraphs(xml).find((p) => texts(p).includes(text));
/** The run (w:r) whose text is exactly `text`. */
const runWith = (xml: string, text: string) =>
  (xml.match(/<w:r>[\s\S]*?<\/w:r>/g) ?? []).find((r) => texts(r) === text);
const mm = (v: number) => Math.round((v * 1440) / 25.4);
const headerParts = (parts: Parts) => Object.keys(parts).filter((n) => /^word\/header\d*\.xml$/.test(n));

describe("renderDocx (GB/T 9704 纪要)", () => {
  let final: Buffer;
  let draft: Buffer;
  let doc: Parts;
  let draftDoc: Parts;
  let body: string;
  const progress: Array<[number, string]> = [];

  beforeAll(async () => {
    final = await renderDocx(minutesModel(), (f, label) => progress.push([f, label]));
    draft = await renderDocx(draftModel());
    doc = await unzip(final);
    draftDoc = await unzip(draft);
    body = doc["word/document.xml"];
  });

  it("is a zip package with a main document", () => {
    expect(final.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(draft.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(body).toContain("<w:body>");
    expect(progress.at(-1)?.[0]).toBe(1);
    expect(progress.map(([, l]) => l)).toContain("排版正文");
  });

  it("lays out A4 with the GB/T 9704 margins and a 22 × 28 grid", () => {
    expect(mm(37)).toBe(2098);
    expect(mm(28)).toBe(1587);
    expect(body).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const pgMar = body.match(/<w:pgMar [^>]*>/)?.[0] ?? "";
    expect(pgMar).toContain(`w:top="${mm(37)}"`);
    expect(pgMar).toContain(`w:bottom="${mm(35)}"`);
    expect(pgMar).toContain(`w:left="${mm(28)}"`);
    expect(pgMar).toContain(`w:right="${mm(26)}"`);
    // 版心 156 × 225 mm
    expect(Math.abs(11906 - mm(28) - mm(26) - mm(156))).toBeLessThanOrEqual(1);
    expect(16838 - mm(37) - mm(35)).toBe(mm(225));
    // no character grid (LibreOffice and WPS misread its charSpace): 28 characters come from
    // condensing every run by 0.25 pt, which all suites honour
    expect(body).not.toContain("linesAndChars");
    expect(doc["word/styles.xml"]).toMatch(/<w:rPrDefault><w:rPr>.*<w:spacing w:val="-5"\/>/);
  });

  it("sets 仿宋 三号 at a fixed 28.95 pt as the document default", () => {
    const styles = doc["word/styles.xml"];
    const defaults = styles.match(/<w:docDefaults>[\s\S]*?<\/w:docDefaults>/)?.[0] ?? "";
    expect(defaults).toMatch(/<w:rFonts [^>]*w:eastAsia="仿宋"/);
    expect(defaults).toMatch(/<w:rFonts [^>]*w:ascii="仿宋"/);
    expect(defaults).toContain('<w:sz w:val="32"/>');
    expect(defaults).toMatch(/<w:spacing [^>]*w:line="579" w:lineRule="exact"/);
  });

  it("prints the red 版头, 期号, issuer and date above a red rule, then the 小标宋 二号 title", () => {
    const all = texts(body);
    const header = runWith(body, "行政执法监督协调会商纪要") ?? "";
    expect(header).toContain('<w:color w:val="FF0000"/>');
    expect(header).toMatch(/w:eastAsia="方正小标宋简体"/);
    expect(header).toMatch(/w:ascii="方正小标宋简体"/);
    expect(header).toContain('<w:sz w:val="72"/>'); // 小初
    expect(paragraphWith(body, "第3期")).toContain('<w:jc w:val="center"/>');
    const issuerLine = paragraphWith(body, "示例市司法局") ?? "";
    expect(texts(issuerLine)).toBe("示例市司法局\t2026年11月23日");
    expect(issuerLine).toMatch(/<w:bottom w:val="single" [^>]*w:color="FF0000"/);
    expect(issuerLine).toMatch(/<w:tab w:val="right"/);
    const title = runWith(body, "关于规范涉企行政检查有关问题的会商纪要") ?? "";
    expect(title).toMatch(/w:eastAsia="方正小标宋简体"/);
    expect(title).toContain('<w:sz w:val="44"/>');
    expect(all.indexOf("第3期")).toBeLessThan(all.indexOf("关于规范涉企行政检查"));
  });

  it("renders headings by level in 黑体, 楷体, bold 仿宋 and 仿宋 without adding numbers", () => {
    expect(runWith(body, "一、会议概况")).toMatch(/w:eastAsia="黑体"/);
    expect(runWith(body, "（一）关于涉企行政检查统筹")).toMatch(/w:eastAsia="楷体"/);
    expect(runWith(body, "1.检查计划报送")).toMatch(/<w:b\/>/);
    const h4 = runWith(body, "（1）报送方式") ?? "";
    expect(h4).toMatch(/w:eastAsia="仿宋"/);
    expect(h4).not.toMatch(/<w:b\/>/);
    expect(texts(body)).not.toContain("1.一、");
  });

  it("keeps the header fields in place with a 黑体 label", () => {
    const all = texts(body);
    expect(runWith(body, "会议名称：")).toMatch(/w:eastAsia="黑体"/);
    expect(all.indexOf("会议名称：")).toBeLessThan(all.indexOf("一、会议概况"));
    expect(all.indexOf("记录人：")).toBeLessThan(all.indexOf("一、会议概况"));
  });

  it("moves 出席 / 请假 / 列席 to the end, before the closing block, with a hanging indent after the colon", () => {
    const all = texts(body);
    const attend = all.indexOf("出席：");
    expect(attend).toBeGreaterThan(all.indexOf("未知节点的文字也要保留。"));
    expect(attend).toBeLessThan(all.indexOf("请假："));
    expect(all.indexOf("请假：")).toBeLessThan(all.indexOf("列席："));
    expect(all.indexOf("列席：")).toBeLessThan(all.indexOf(HASH));
    expect(all.match(/出席：/g)).toHaveLength(1);
    const p = paragraphWith(body, "出席：") ?? "";
    expect(texts(p)).toBe(`出席：${ATTENDING.join("、")}`);
    const ind = p.match(/<w:ind [^>]*>/)?.[0] ?? "";
    const left = Number(ind.match(/w:left="(\d+)"/)?.[1]);
    const hanging = Number(ind.match(/w:hanging="(\d+)"/)?.[1]);
    expect(hanging).toBe(3 * 316); // "出席：" is three characters on the 28-character grid
    expect(left).toBe(5 * 316); // two characters in, then the label
    expect(runWith(p, "出席：")).toMatch(/w:eastAsia="黑体"/);
    expect(runWith(p, ATTENDING.join("、"))).toMatch(/w:eastAsia="仿宋"/);
  });

  it("renders lists, the table with merged cells, quotes, links, hard breaks and unknown nodes", () => {
    const all = texts(body);
    expect(all).toContain("●检查事项、检查对象和检查频次应当一并报送；");
    expect(all).toContain("2.平台故障时，以书面形式报送，并于恢复后补录。");
    const table = body.match(/<w:tbl>[\s\S]*<\/w:tbl>/)?.[0] ?? "";
    expect(texts(table)).toContain("梳理重复检查事项清单");
    expect(table).toContain('<w:gridSpan w:val="3"/>');
    expect(table).toMatch(/<w:vMerge w:val="restart"\/>/);
    expect(table).toMatch(/<w:vMerge(?: w:val="continue")?\/>/);
    expect(runWith(table, "序号")).toMatch(/w:eastAsia="黑体"/);
    const grid = [...table.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(grid).toHaveLength(4);
    expect(grid.reduce((a, b) => a + b, 0)).toBe(11906 - mm(28) - mm(26)); // the full 版心 width
    expect(grid[0]).toBe(Math.min(...grid)); // 序号 narrow, 事项 wide
    expect(grid[1]).toBe(Math.max(...grid));
    expect(runWith(body, "各单位要按照“谁执法谁普法”的要求，做好执法过程中的释法说理工作。")).toMatch(
      /w:eastAsia="楷体"/,
    );
    expect(all).toContain("示例市司法局会同示例市公安局于2026年12月31日前完成执法数据共享接口对接。"); // trackedItem
    expect(all).toContain("未知节点的文字也要保留。");
    expect(paragraphWith(body, "联系人：张某")).toContain("<w:br/>");
    expect(body).toMatch(/<w:hyperlink [^>]*r:id="[^"]+"[^>]*>[\s\S]*?市政府门户网站/);
    expect(doc["word/_rels/document.xml.rels"]).toContain('Target="https://www.example.gov.cn/zfxxgk"');
  });

  it("prints the SHA-256 and version label of the final version in a small closing block", () => {
    const all = texts(body);
    expect(all).toContain(HASH);
    expect(all).toContain("版本：第4版（定稿）定稿 SHA-256：");
    expect(all.indexOf(HASH)).toBeGreaterThan(all.indexOf("列席："));
    const run = runWith(body, HASH) ?? "";
    expect(run).toContain('<w:sz w:val="24"/>'); // 小四
    expect(all).not.toContain("草稿");
  });

  it("uses odd/even footers with a — PAGE — field, odd right and even left, 宋体 四号", () => {
    expect(doc["word/settings.xml"]).toContain("<w:evenAndOddHeaders/>");
    const refs = body.match(/<w:footerReference [^>]*>/g) ?? [];
    expect(refs.some((r) => r.includes('w:type="default"'))).toBe(true);
    expect(refs.some((r) => r.includes('w:type="even"'))).toBe(true);
    const footers = Object.keys(doc)
      .filter((n) => /^word\/footer\d*\.xml$/.test(n))
      .map((n) => doc[n]);
    expect(footers).toHaveLength(2);
    for (const f of footers) {
      expect(f).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
      expect(texts(f)).toBe("—  —"); // "— " PAGE " —"
      expect(f).toMatch(/w:eastAsia="宋体"/);
      expect(f).toContain('<w:sz w:val="28"/>');
    }
    expect(footers.some((f) => f.includes('<w:jc w:val="right"/>'))).toBe(true);
    expect(footers.some((f) => f.includes('<w:jc w:val="left"/>'))).toBe(true);
  });

  it("sets the core properties", () => {
    const core = doc["docProps/core.xml"];
    expect(core).toContain("<dc:title>关于规范涉企行政检查有关问题的会商纪要</dc:title>");
    expect(core).toContain("<dc:creator>示例市司法局</dc:creator>");
  });

  it("has no watermark when final, and Word's 草稿 watermark on every page of a draft", () => {
    expect(headerParts(doc)).toHaveLength(0);
    expect(body).not.toContain("<w:headerReference");

    const dbody = draftDoc["word/document.xml"];
    const refs = dbody.match(/<w:headerReference [^>]*>/g) ?? [];
    expect(refs.some((r) => r.includes('w:type="default"'))).toBe(true);
    expect(refs.some((r) => r.includes('w:type="even"'))).toBe(true);
    const headers = headerParts(draftDoc).map((n) => draftDoc[n]);
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const h of headers) {
      expect(h).toMatch(/<v:textpath [^>]*string="草稿"/);
      expect(h).toMatch(/rotation:315/);
    }
    const all = texts(dbody);
    expect(all).toContain("草稿，未定稿，不得作为正式文书使用版本：第2版（第1轮会签稿）");
    expect(all).not.toContain("SHA-256");
  });

  it("sizes table columns by content and counts columns carried down by rowspans", () => {
    const cell = (text: string, colspan = 1, rowspan = 1) => ({
      header: false,
      colspan,
      rowspan,
      blocks: [
        {
          kind: "paragraph" as const,
          inlines: [
            {
              kind: "text" as const,
              text,
              marks: { bold: false, italic: false, underline: false, strike: false, code: false },
              href: null,
            },
          ],
          marker: null,
          indent: 0,
          quote: false,
        },
      ],
    });
    // row 2 has one cell only: the other two columns are carried down by rowspans from row 1
    const widths = tableGrid(
      [[cell("序", 1, 2), cell("很长很长很长很长很长的事项"), cell("单位", 1, 2)], [cell("乙")]],
      1000,
      30,
    );
    expect(widths).toHaveLength(3);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(widths[1]).toBeGreaterThan(widths[0] * 3);
    expect(tableGrid([[cell("甲", 3)]], 900, 30)).toEqual([300, 300, 300]);
    expect(tableGrid([], 100, 10)).toEqual([100]);
    // too wide for the page: 序号 keeps its two characters and padding, the long columns share the rest
    const tight = tableGrid([[cell("序号"), cell("很".repeat(16)), cell("长".repeat(16))]], 600, 20);
    expect(tight[0]).toBe(60);
    expect(tight[1] + tight[2]).toBe(540);
  });

  it("never throws on odd content and escapes markup-looking text", async () => {
    const model: ExportModel = minutesModel({
      title: `<script>alert("x")</script> & 标题`,
      issueNumber: null,
      content: {
        type: "doc",
        content: [
          { type: "paragraph", content: [{ type: "text", text: "控制字符\u0000\u0007\uFFFF与孤立代理\uD800" }] },
          { type: "heading", attrs: { level: 9 }, content: [{ type: "text", text: "（1）越界层级" }] },
          { type: "table", content: [{ type: "tableRow", content: [] }] },
          { type: "codeBlock", content: [{ type: "text", text: "  line 1\n\tline 2" }] },
          { type: "horizontalRule" },
          null as never,
          {
            type: "paragraph",
            content: [
              {
                type: "text",
                text: "<w:p>不是标签</w:p>",
                marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }],
              },
            ],
          },
        ],
      },
    });
    const parts = await unzip(await renderDocx(model));
    const xml = parts["word/document.xml"];
    expect(texts(xml)).toContain("控制字符与孤立代理");
    expect(texts(xml)).toContain("&lt;w:p&gt;不是标签&lt;/w:p&gt;");
    expect(xml).not.toContain("<w:hyperlink");
    expect(texts(xml)).toContain("&lt;script&gt;");
    expect(parts["docProps/core.xml"]).toContain("&lt;script&gt;");
    expect(texts(xml)).not.toContain("第3期");
  });
});
