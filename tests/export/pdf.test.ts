import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExportError } from "~/services/export/model";
import { renderHtml, renderPdf } from "~/services/export/pdf.server";
import { draftModel, HASH, longModel, minutesModel } from "./fixtures";

const SHOTS = "/tmp/export-shots";

/** A page of the PDF as RGB pixels (pdftoppm's default P6 output on stdout, parsed here). */
interface Raster {
  width: number;
  height: number;
  rgb: Buffer;
}

function rasterize(pdf: string, page: number, dpi: number): Raster {
  const ppm = execFileSync("pdftoppm", ["-r", String(dpi), "-f", String(page), "-l", String(page), pdf], {
    maxBuffer: 64 * 1024 * 1024,
  });
  // header: "P6" <ws> width <ws> height <ws> maxval <single ws> data; no comments from pdftoppm
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(ppm[i]))) i++;
    let tok = "";
    while (!/\s/.test(String.fromCharCode(ppm[i]))) tok += String.fromCharCode(ppm[i++]);
    fields.push(tok);
  }
  i++;
  const [magic, w, h, max] = fields;
  expect(magic).toBe("P6");
  expect(max).toBe("255");
  const width = Number(w);
  const height = Number(h);
  const rgb = ppm.subarray(i, i + width * height * 3);
  expect(rgb.length).toBe(width * height * 3);
  return { width, height, rgb };
}

function count(
  r: Raster,
  pred: (red: number, green: number, blue: number) => boolean,
  rows: [number, number] = [0, 1],
): number {
  let n = 0;
  for (let y = Math.floor(r.height * rows[0]); y < Math.floor(r.height * rows[1]); y++) {
    for (let x = 0; x < r.width; x++) {
      const o = (y * r.width + x) * 3;
      if (pred(r.rgb[o], r.rgb[o + 1], r.rgb[o + 2])) n++;
    }
  }
  return n;
}

const isRed = (r: number, g: number, b: number) => r > 200 && g < 90 && b < 90;
/** The watermark's solid light grey (#D0D0D0), not the anti-aliased edges of black text. */
const isWatermarkGrey = (r: number, g: number, b: number) =>
  Math.abs(r - 0xd0) <= 6 && Math.abs(g - 0xd0) <= 6 && Math.abs(b - 0xd0) <= 6;

const pdftotext = (pdf: string) => execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"]).toString("utf8");
const pdfinfo = (pdf: string) => execFileSync("pdfinfo", [pdf]).toString("utf8");

describe("renderHtml", () => {
  it("lays the page out as GB/T 9704 with paged-media page numbers", () => {
    const html = renderHtml(minutesModel());
    expect(html).toMatch(/@page\s*{\s*size: A4;\s*margin: 37mm 26mm 35mm 28mm;/);
    expect(html).toMatch(/@page :right {\s*@bottom-right { content: "— " counter\(page\) " —"/);
    expect(html).toMatch(/@page :left {\s*@bottom-left { content: "— " counter\(page\) " —"/);
    expect(html).toContain("line-height: var(--line)");
    expect(html).toContain("--line: 28.95pt");
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toContain('class="watermark"');
    expect(renderHtml(draftModel())).toContain('<div class="watermark" aria-hidden="true"><span>草稿</span></div>');
    // attendance after the body, closing after the attendance
    const body = html.slice(html.indexOf("<body>"));
    expect(body.indexOf("出席：")).toBeGreaterThan(body.indexOf("未知节点的文字也要保留。"));
    expect(body.indexOf(HASH)).toBeGreaterThan(body.indexOf("列席："));
  });

  it("escapes all user text and keeps only http(s)/mailto links", () => {
    const html = renderHtml(
      minutesModel({
        title: "<script>alert(1)</script>标题",
        redHeader: `纪要"><img src=x onerror=alert(1)>`,
        issuer: "<b>单位</b>",
        issueNumber: "第<i>3</i>期",
        versionLabel: "<svg onload=alert(1)>",
        content: {
          type: "doc",
          content: [
            { type: "paragraph", content: [{ type: "text", text: "<iframe src=//evil>", marks: [{ type: "bold" }] }] },
            {
              type: "paragraph",
              content: [
                { type: "text", text: "坏链接", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] },
              ],
            },
            {
              type: "paragraph",
              content: [
                {
                  type: "text",
                  text: "数据链接",
                  marks: [{ type: "link", attrs: { href: "data:text/html,<script>alert(1)</script>" } }],
                },
              ],
            },
            {
              type: "paragraph",
              content: [
                {
                  type: "text",
                  text: "好链接",
                  marks: [{ type: "link", attrs: { href: 'https://example.gov.cn/a?b=1&c="x"' } }],
                },
              ],
            },
            {
              type: "paragraph",
              content: [
                {
                  type: "text",
                  text: "邮件",
                  marks: [{ type: "link", attrs: { href: "mailto:office@example.gov.cn" } }],
                },
              ],
            },
            { type: "codeBlock", content: [{ type: "text", text: "</pre><script>alert(1)</script>" }] },
            {
              type: "table",
              content: [
                {
                  type: "tableRow",
                  content: [
                    {
                      type: "tableCell",
                      attrs: { colspan: '2"><script>', rowspan: 1 },
                      content: [{ type: "paragraph", content: [{ type: "text", text: "<td>" }] }],
                    },
                  ],
                },
              ],
            },
          ],
        },
      }),
    );
    const body = html.slice(html.indexOf("</head>"));
    expect(html).not.toMatch(/<script|<img|<iframe|<svg|<b>|<i>|javascript:|data:text/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;标题");
    expect(body).toContain("&lt;iframe src=//evil&gt;");
    expect(body).toContain("坏链接");
    expect(body).not.toMatch(/<a href="(?!https:\/\/example\.gov\.cn|mailto:)/);
    expect(body).toContain('<a href="https://example.gov.cn/a?b=1&amp;c=%22x%22">');
    expect(body).toContain('<a href="mailto:office@example.gov.cn">');
    expect(body).not.toContain("colspan");
  });
});

describe("renderPdf", () => {
  let dir: string;
  let finalPdf: string;
  let draftPdf: string;
  let finalText: string;
  let draftText: string;
  const progress: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "export-test-"));
    // the long model is the finalized one, so two Chromium runs cover everything (they run concurrently)
    const [final, draft] = await Promise.all([
      renderPdf(longModel(), (_, label) => progress.push(label)),
      renderPdf(draftModel()),
    ]);
    finalPdf = path.join(dir, "final.pdf");
    draftPdf = path.join(dir, "draft.pdf");
    writeFileSync(finalPdf, final);
    writeFileSync(draftPdf, draft);
    finalText = pdftotext(finalPdf);
    draftText = pdftotext(draftPdf);
    mkdirSync(SHOTS, { recursive: true });
    const shot = (pdf: string, page: number, name: string) =>
      execFileSync("pdftoppm", [
        "-r",
        "80",
        "-f",
        String(page),
        "-l",
        String(page),
        "-png",
        "-singlefile",
        pdf,
        path.join(SHOTS, name),
      ]);
    shot(finalPdf, 1, "minutes-page1");
    shot(finalPdf, 2, "minutes-page2");
    shot(draftPdf, 1, "minutes-draft-page1");
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("produces A4 PDFs", () => {
    expect(readFileSync(finalPdf).subarray(0, 4).toString("latin1")).toBe("%PDF");
    expect(readFileSync(draftPdf).subarray(0, 4).toString("latin1")).toBe("%PDF");
    const info = pdfinfo(finalPdf);
    expect(info).toMatch(/Page size:\s+595(\.\d+)? x 842(\.\d+)? pts|Page size:\s+594\.9\d x 841\.9\d pts/);
    expect(Number(info.match(/Pages:\s+(\d+)/)?.[1])).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual(expect.arrayContaining(["排版正文", "生成 PDF", "完成"]));
    // the page-1 screenshots for people to look at
    expect(existsSync(path.join(SHOTS, "minutes-page1.png"))).toBe(true);
    expect(existsSync(path.join(SHOTS, "minutes-page2.png"))).toBe(true);
  });

  it("contains the title, 期号, hash and page numbers as text", () => {
    expect(finalText).toContain("关于规范涉企行政检查有关问题的会商纪要");
    expect(finalText).toContain("行政执法监督协调会商纪要");
    expect(finalText).toContain("第3期");
    expect(finalText).toContain("2026年11月23日");
    expect(finalText.replace(/\s/g, "")).toContain(HASH);
    expect(finalText).toContain("第60段");
    // "— 1 —": pdftotext drops the half-width spaces next to the 一字线 of the margin boxes
    expect(finalText).toMatch(/—\s*1\s*—/);
    expect(finalText).toMatch(/—\s*2\s*—/);
    expect(finalText).not.toContain("草稿");
    const attend = finalText.indexOf("出席：");
    expect(attend).toBeGreaterThan(finalText.indexOf("第60段"));
    expect(finalText.indexOf("版本：第4版（定稿）")).toBeGreaterThan(attend);
    expect(finalText.indexOf("定稿 SHA-256")).toBeGreaterThan(attend);
  });

  it("marks drafts", () => {
    expect(draftText).toContain("草稿");
    expect(draftText).toContain("草稿，未定稿，不得作为正式文书使用");
    expect(draftText).toContain("版本：第2版（第1轮会签稿）");
    expect(draftText).not.toContain("SHA-256");
    expect(draftText).toMatch(/—\s*1\s*—/);
  });

  it("prints the red 版头 at the top of page 1 and the grey watermark only on drafts", () => {
    const final1 = rasterize(finalPdf, 1, 50);
    const draft1 = rasterize(draftPdf, 1, 50);
    expect(final1.width).toBeGreaterThan(400);
    expect(count(final1, isRed, [0, 0.4])).toBeGreaterThan(300);
    expect(count(final1, isRed, [0.5, 1])).toBe(0);
    const final2 = rasterize(finalPdf, 2, 50);
    expect(count(final2, isRed)).toBe(0);

    const draftGrey = count(draft1, isWatermarkGrey);
    const finalGrey = count(final1, isWatermarkGrey);
    expect(draftGrey).toBeGreaterThan(2000);
    expect(draftGrey).toBeGreaterThan(finalGrey * 10);
  });

  it("fails with an ExportError that keeps Chromium's output out of the message, and cleans up", async () => {
    const fake = path.join(dir, "fake-chromium.sh");
    const argsFile = path.join(dir, "args.txt");
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\necho "secret stderr detail" >&2\nexit 3\n`);
    chmodSync(fake, 0o755);
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = fake;
    try {
      const err = await renderPdf(minutesModel()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ExportError);
      expect((err as ExportError).message).toBe("PDF 生成失败，请稍后重试。");
      expect((err as ExportError).message).not.toContain("secret");
      expect(String(((err as ExportError).cause as Error).message)).toContain("secret stderr detail");
      const args = readFileSync(argsFile, "utf8").split("\n");
      expect(args).toEqual(expect.arrayContaining(["--headless", "--no-sandbox", "--no-pdf-header-footer"]));
      const profile = args.find((a) => a.startsWith("--user-data-dir="))!.slice("--user-data-dir=".length);
      expect(path.dirname(profile).startsWith(os.tmpdir())).toBe(true);
      expect(existsSync(path.dirname(profile))).toBe(false);

      process.env.CHROMIUM_PATH = path.join(dir, "no-such-chromium");
      await expect(renderPdf(minutesModel())).rejects.toBeInstanceOf(ExportError);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it("runs at most two Chromium processes at once", async () => {
    const log = path.join(dir, "concurrency.log");
    const fake = path.join(dir, "slow-chromium.sh");
    writeFileSync(fake, `#!/bin/sh\necho start >> '${log}'\nsleep 0.3\necho end >> '${log}'\nexit 1\n`);
    chmodSync(fake, 0o755);
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = fake;
    try {
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => renderPdf(minutesModel())));
      expect(results.every((r) => r.status === "rejected" && r.reason instanceof ExportError)).toBe(true);
      let running = 0;
      let max = 0;
      const events = readFileSync(log, "utf8").trim().split("\n");
      for (const e of events) {
        running += e === "start" ? 1 : -1;
        max = Math.max(max, running);
      }
      expect(events.filter((e) => e === "start")).toHaveLength(5);
      expect(max).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
