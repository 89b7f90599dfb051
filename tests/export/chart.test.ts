import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChartSpec } from "~/domain/chart";
import { layoutContent } from "~/services/export/blocks";
import { renderDocx } from "~/services/export/docx.server";
import type { ExportModel, PMNode } from "~/services/export/model";
import { renderHtml, renderPdf } from "~/services/export/pdf.server";
import { draftModel } from "./fixtures";

const SHOTS = "/tmp/export-shots";

const cases: ChartSpec = {
  kind: "bar",
  title: "各单位收案数",
  unit: "件",
  categories: ["示例市公安局", "示例市司法局", "示例市市场监督管理局", "示例市生态环境局"],
  series: [
    { name: "2025年", values: [12, 8, 23, 5] },
    { name: "2026年", values: [15, null, 31, 7] },
  ],
};

const quarters: ChartSpec = {
  kind: "line",
  title: "各季度行政复议纠错率",
  unit: "%",
  categories: ["第一季度", "第二季度", "第三季度", "第四季度"],
  series: [{ name: "纠错率", values: [12.5, 10.2, 9.8, 11] }],
};

const p = (text: string): PMNode => ({ type: "paragraph", content: [{ type: "text", text }] });
const chart = (spec: unknown, caption: string): PMNode => ({
  type: "statChart",
  attrs: { spec: typeof spec === "string" ? spec : JSON.stringify(spec), caption },
});

function chartModel(figures: PMNode[]): ExportModel {
  return draftModel({
    redHeader: "示例市行政执法监督工作简报",
    issueNumber: null,
    title: "2026年第一季度行政执法监督情况报告",
    itemKind: "AGREED_ITEM",
    content: {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: "一、收案情况" }] },
        p("本季度各单位收案情况见图1，纠错率变化见图2。"),
        ...figures,
        p("以上数据截至2026年3月31日。"),
      ],
    },
  });
}

const twoCharts = () =>
  chartModel([chart(cases, "各单位收案数"), p("纠错率总体下降。"), chart(quarters, "<b>各季度纠错率</b>")]);
const invalidChart = () => chartModel([chart('{"kind":"pie"}', "无效的图"), chart("not json", "")]);

async function media(docx: Buffer): Promise<{ images: Array<{ name: string; data: Buffer }>; body: string }> {
  const zip = await JSZip.loadAsync(docx);
  const images = await Promise.all(
    Object.keys(zip.files)
      .filter((n) => n.startsWith("word/media/"))
      .sort()
      .map(async (name) => ({ name, data: await zip.file(name)!.async("nodebuffer") })),
  );
  return { images, body: await zip.file("word/document.xml")!.async("string") };
}

/** The text of every w:t in order. */
const texts = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");

/** Pixels of a page (pdftoppm's P6 output at 40 dpi) for which `pred` holds. */
function countPixels(pdf: string, page: number, pred: (r: number, g: number, b: number) => boolean): number {
  const ppm = execFileSync("pdftoppm", ["-r", "40", "-f", String(page), "-l", String(page), pdf], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString("latin1"));
  expect(header).not.toBeNull();
  const rgb = ppm.subarray(header![0].length);
  let n = 0;
  for (let o = 0; o + 2 < rgb.length; o += 3) if (pred(rgb[o], rgb[o + 1], rgb[o + 2])) n++;
  return n;
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("statistical figures in the export blocks", () => {
  it("numbers the figures that draw, in document order, table cells included", () => {
    const { blocks } = layoutContent({
      type: "doc",
      content: [
        chart(cases, "甲"),
        chart("{}", "坏"),
        {
          type: "table",
          content: [{ type: "tableRow", content: [{ type: "tableCell", content: [chart(quarters, "")] }] }],
        },
        chart(cases, "丙"),
      ],
    });
    expect(blocks.map((b) => b.kind)).toEqual(["figure", "paragraph", "table", "figure"]);
    const cell = blocks[2].kind === "table" ? blocks[2].rows[0][0].blocks[0] : null;
    expect(cell).toMatchObject({ kind: "figure", number: 2, caption: "各季度行政复议纠错率" });
    expect(blocks[3]).toMatchObject({ kind: "figure", number: 3, caption: "丙" });
    expect(blocks[1]).toMatchObject({ kind: "paragraph", inlines: [{ kind: "text", text: "［图表数据无效］" }] });
  });
});

describe("statistical figures in the .docx", () => {
  it("prints each chart as a PNG, kept with its caption 图N", async () => {
    const { images, body } = await media(await renderDocx(twoCharts()));
    expect(images).toHaveLength(2);
    for (const { name, data } of images) {
      expect(name).toMatch(/\.png$/);
      const { width, height } = pngSize(data);
      expect(width).toBe(1280);
      expect(height).toBe(720);
      expect(data.length).toBeGreaterThan(10_000);
      expect(data.length).toBeLessThan(1_000_000);
    }
    const text = texts(body);
    expect(text).toContain("图1\u3000各单位收案数");
    expect(text).toContain("图2\u3000&lt;b&gt;各季度纠错率&lt;/b&gt;");
    // the picture: inline, 15 cm wide, with its numbers as alternative text
    const drawings = body.match(/<w:drawing>[\s\S]*?<\/w:drawing>/g) ?? [];
    expect(drawings).toHaveLength(2);
    const [, cx, cy] = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(drawings[0] ?? "")!.map(Number);
    expect(cx / 360_000).toBeCloseTo(15, 1); // cm
    expect(cx / cy).toBeCloseTo(640 / 360, 2);
    expect(drawings[0]).toContain('descr="图：各单位收案数。2025年：示例市公安局 12件');
    expect(drawings[0]).toContain("示例市司法局 无数据");
    expect(drawings[0]).toContain('name="图1"');
    // the picture's paragraph keeps with the caption's
    const paragraphs = body.match(/<w:p>[\s\S]*?<\/w:p>|<w:p [\s\S]*?<\/w:p>/g) ?? [];
    const picture = paragraphs.findIndex((x) => x.includes("<w:drawing>"));
    expect(paragraphs[picture]).toContain("<w:keepNext/>");
    expect(paragraphs[picture]).toContain('<w:jc w:val="center"/>');
    expect(texts(paragraphs[picture + 1])).toBe("图1\u3000各单位收案数");
    expect(paragraphs[picture + 1]).toContain('<w:jc w:val="center"/>');
  }, 30_000);

  it("prints the placeholder and no picture for a spec that does not parse", async () => {
    const { images, body } = await media(await renderDocx(invalidChart()));
    expect(images).toHaveLength(0);
    expect(body).not.toContain("<w:drawing>");
    expect(texts(body).match(/［图表数据无效］/g)).toHaveLength(2);
    expect(texts(body)).not.toContain("图1\u3000");
  });
});

describe("statistical figures in the PDF", () => {
  let dir: string;
  let pdf: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "export-chart-"));
    pdf = path.join(dir, "charts.pdf");
    writeFileSync(pdf, await renderPdf(twoCharts()));
    mkdirSync(SHOTS, { recursive: true });
    execFileSync("pdftoppm", ["-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", pdf, `${SHOTS}/charts-page1`]);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("puts each chart in a figure with its caption, as an SVG image whose alt states the numbers", () => {
    const html = renderHtml(twoCharts());
    expect(html).toContain("img-src data:");
    const figures = html.match(/<figure class="chart">[\s\S]*?<\/figure>/g) ?? [];
    expect(figures).toHaveLength(2);
    expect(html.match(/<img src="data:image\/svg\+xml;base64,/g)).toHaveLength(2);
    expect(figures[0]).toContain("<figcaption>图1\u3000各单位收案数</figcaption>");
    expect(figures[1]).toContain("<figcaption>图2\u3000&lt;b&gt;各季度纠错率&lt;/b&gt;</figcaption>");
    expect(figures[0]).toContain('alt="图：各单位收案数。2025年：示例市公安局 12件');
    const svg = Buffer.from(/base64,([^"]+)"/.exec(figures[1])![1], "base64").toString("utf8");
    expect(svg).toContain(">12.5</text>");
    expect(svg).toContain("单位：%");
    expect(html).toMatch(/figure\.chart \{[^}]*break-inside: avoid/);
  });

  it("prints the placeholder and no image for a spec that does not parse", () => {
    const html = renderHtml(invalidChart());
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<figure");
    expect(html.match(/［图表数据无效］/g)).toHaveLength(2);
  });

  // Chromium prints an SVG image as vector graphics (pdfimages finds no raster image): the chart's
  // words are text in the PDF, and its bars are painted in their colour.
  it("prints the charts in the PDF, with their words and captions as text", () => {
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"]).toString("utf8");
    expect(text).toContain("图1");
    expect(text).toContain("图2");
    expect(text).toContain("各单位收案数");
    expect(text).toContain("单位：件");
    expect(text).toContain("单位：%");
    expect(text).toContain("第四季度");
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf]).toString("utf8"))?.[1]);
    let blue = 0;
    for (let page = 1; page <= pages; page++)
      blue += countPixels(pdf, page, (r, g, b) => r < 60 && g > 80 && g < 120 && b > 210);
    // at 40 dpi the 2025年 bars of figure 1 and the line of figure 2: a few hundred pixels of #2563eb
    expect(blue).toBeGreaterThan(200);
  });
});
