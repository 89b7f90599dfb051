import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { renderDocx } from "~/services/export/docx.server";
import { PAGE } from "~/services/export/layout";
import { renderPdf } from "~/services/export/pdf.server";
import { seed } from "../../prisma/seed";
import { seedCases } from "../../prisma/seed-cases";
import { seedWork } from "../../prisma/seed-work";
import { buildSessionCookie } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { syntheticLongModel } from "./fixtures";
import { officeConverter, pdfWords, type OfficeConverter, type PdfPage } from "./libreoffice";

/**
 * Office fidelity (ADR 022): the .docx opened by LibreOffice — as WPS and LibreOffice users open it —
 * lays out like our own PDF: the same page count, 28 characters on a full body line, 22 lines on a
 * full page, the red 版头 and the title each on one line. Checked on the demo 纪要 as the server
 * exports it and on a long synthetic 纪要; page 1 and the last page of each are kept as pictures.
 */

const SHOTS = "/tmp/export-shots";
const PT_PER_MM = 72 / 25.4;
const LEFT = PAGE.marginLeftMm * PT_PER_MM;
const RIGHT = (PAGE.widthMm - PAGE.marginRightMm) * PT_PER_MM;
const TEXT_BOTTOM = (PAGE.heightMm - PAGE.marginBottomMm) * PT_PER_MM;

interface Line {
  y: number;
  xMin: number;
  xMax: number;
  height: number;
  text: string;
}

/** The text lines of a page above the page-number area: words grouped by baseline, left to right. */
function linesOf(page: PdfPage): Line[] {
  const byY = new Map<number, Line>();
  for (const w of page.words) {
    if (w.yMax > TEXT_BOTTOM + 4) continue; // the "— n —" footer
    const key = [...byY.keys()].find((y) => Math.abs(y - w.yMax) < 3) ?? w.yMax;
    const line = byY.get(key);
    if (!line) byY.set(key, { y: key, xMin: w.xMin, xMax: w.xMax, height: w.yMax - w.yMin, text: w.text });
    else {
      line.xMin = Math.min(line.xMin, w.xMin);
      line.xMax = Math.max(line.xMax, w.xMax);
      line.height = Math.max(line.height, w.yMax - w.yMin);
      line.text += w.text;
    }
  }
  return [...byY.values()].sort((a, b) => a.y - b.y);
}

/** Width in characters of the grid: CJK and full-width 1, ASCII ½. */
const ems = (text: string) => [...text].reduce((n, ch) => n + (ch.codePointAt(0)! < 0x2e80 ? 0.5 : 1), 0);

/** The height pdftotext gives 三号 body words in this PDF: the most common line height. */
function bodyHeight(pages: PdfPage[]): number {
  const counts = new Map<number, number>();
  for (const l of pages.flatMap(linesOf)) counts.set(Math.round(l.height), (counts.get(Math.round(l.height)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

/**
 * Full body lines of Chinese text: 三号 lines from the left margin to the right one (neither a
 * paragraph's first or last line, nor a table row), without Latin letters or digits — their widths
 * depend on the face a machine substitutes, and LibreOffice adds space around them (ADR 022).
 */
function fullBodyLines(pages: PdfPage[]): Line[] {
  const height = bodyHeight(pages);
  return pages
    .flatMap(linesOf)
    .filter(
      (l) =>
        Math.abs(l.height - height) < 1 &&
        Math.abs(l.xMin - LEFT) < 3 &&
        RIGHT - l.xMax < 8 &&
        !/[\x21-\x7e]/.test(l.text),
    );
}

/**
 * Full pages: between the first and the last, every line 三号 body text (no table, no 版头), and
 * not the page before the end block (which keep-together may leave short on purpose).
 */
function fullPages(pages: PdfPage[]): Line[][] {
  const height = bodyHeight(pages);
  const lines = pages.map(linesOf);
  return lines.filter(
    (page, i) =>
      i > 0 &&
      i < lines.length - 2 &&
      page.length > 0 &&
      page.every((l) => Math.abs(l.height - height) < 1) &&
      !lines[i + 1].some((l) => l.text.startsWith("出席：")),
  );
}

function shot(pdf: string, page: number, name: string) {
  execFileSync("pdftoppm", [
    "-r",
    "60",
    "-f",
    String(page),
    "-l",
    String(page),
    "-png",
    "-singlefile",
    pdf,
    path.join(SHOTS, name),
  ]);
}

/**
 * A GET that retries once when the kept-alive connection was closed by the server while idle
 * (undici reuses it and reads ECONNRESET) — the LibreOffice conversions leave long pauses.
 */
async function fetchExport(server: RunningServer, url: string, cookie: string): Promise<Response> {
  try {
    return await server.request(url, { cookie });
  } catch {
    return server.request(url, { cookie });
  }
}

interface Rendered {
  name: string;
  office: PdfPage[];
  ours: PdfPage[];
}

describe("the .docx opened by LibreOffice lays out like our PDF", () => {
  let office: OfficeConverter;
  let server: RunningServer;
  const rendered: Rendered[] = [];
  let demo: { minutesId: string; draftMinutesId: string; caseId: string; cookie: string; caseCookie: string };

  /** Our PDF and LibreOffice's PDF of the .docx, both read back; page 1 and the last page kept as pictures. */
  function lay(name: string, docx: Buffer, pdf: Buffer): Rendered {
    const docxFile = path.join(office.dir, `${name}.docx`);
    const ours = path.join(office.dir, `${name}-ours.pdf`);
    writeFileSync(docxFile, docx);
    writeFileSync(ours, pdf);
    const fromOffice = office.convert(docxFile, "pdf", "pdf");
    const r = { name, office: pdfWords(fromOffice), ours: pdfWords(ours) };
    for (const [pdfFile, pages, suffix] of [
      [fromOffice, r.office, "libreoffice"],
      [ours, r.ours, "ours"],
    ] as const) {
      shot(pdfFile, 1, `${name}-${suffix}-page1`);
      shot(pdfFile, pages.length, `${name}-${suffix}-last`);
    }
    rendered.push(r);
    return r;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    office = officeConverter("office-fidelity", { gbt9704Fonts: true });
    server = await startServer();
    const db = getDb();
    await seed(db);
    await seedWork();
    await seedCases();
    const minutes = await db.document.findFirstOrThrow({
      where: { type: "MINUTES", status: "FINALIZED" },
      select: { id: true, createdById: true },
    });
    const draftMinutes = await db.document.findFirstOrThrow({
      where: { type: "MINUTES", status: "DRAFT", consultation: { carriedItemIds: { not: "[]" } } },
      select: { id: true },
    });
    const published = await db.document.findFirstOrThrow({
      where: { type: "TYPICAL_CASE", status: "PUBLISHED" },
      select: { id: true, createdById: true },
    });
    demo = {
      minutesId: minutes.id,
      draftMinutesId: draftMinutes.id,
      caseId: published.id,
      cookie: await buildSessionCookie(minutes.createdById),
      caseCookie: await buildSessionCookie(published.createdById),
    };
    const get = async (id: string, format: string) => {
      const res = await fetchExport(server, `/documents/${id}/export/${format}`, demo.cookie);
      expect(res.status, `${format} export of ${id}`).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const model = syntheticLongModel();
    const [demoDocx, demoPdf, longDocx, longPdf] = await Promise.all([
      get(minutes.id, "docx"),
      get(minutes.id, "pdf"),
      renderDocx(model),
      renderPdf(model),
    ]);
    lay("demo-minutes", demoDocx, demoPdf);
    lay("long-minutes", longDocx, longPdf);
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    office?.dispose();
  });

  it("has the same number of pages as our PDF", () => {
    for (const r of rendered) {
      expect(r.ours.length, r.name).toBeGreaterThanOrEqual(2);
      expect(r.office.length, `${r.name}: LibreOffice ${r.office.length} pages, ours ${r.ours.length}`).toBe(
        r.ours.length,
      );
    }
    expect(rendered.find((r) => r.name === "long-minutes")!.ours.length).toBeGreaterThanOrEqual(6);
  });

  it("puts 28 ± 1 characters on every full body line", () => {
    for (const r of rendered) {
      for (const [who, pages] of [
        ["LibreOffice", r.office],
        ["ours", r.ours],
      ] as const) {
        const lines = fullBodyLines(pages);
        expect(lines.length, `${r.name} (${who}): full body lines`).toBeGreaterThanOrEqual(
          r.name === "long-minutes" ? 60 : 3,
        );
        for (const line of lines) expect(ems(line.text), `${r.name} (${who}): ${line.text}`).toBeGreaterThanOrEqual(27);
        for (const line of lines) expect(ems(line.text), `${r.name} (${who}): ${line.text}`).toBeLessThanOrEqual(29);
      }
    }
  });

  it("puts 22 ± 1 lines on every full page", () => {
    const long = rendered.find((r) => r.name === "long-minutes")!;
    for (const [who, pages] of [
      ["LibreOffice", long.office],
      ["ours", long.ours],
    ] as const) {
      const full = fullPages(pages);
      expect(full.length, `${who}: pages of body text only`).toBeGreaterThanOrEqual(2);
      for (const lines of full) {
        expect(lines.length, `${who}: ${lines[0].text}…`).toBeGreaterThanOrEqual(21);
        expect(lines.length, `${who}: ${lines[0].text}…`).toBeLessThanOrEqual(23);
      }
    }
  });

  it("keeps the red 版头 on one line and wraps the title where our PDF does", () => {
    for (const r of rendered) {
      const office1 = linesOf(r.office[0]);
      const ours1 = linesOf(r.ours[0]);
      const header = ours1[0].text;
      expect(header, r.name).toMatch(/纪要$/);
      expect(office1[0].text, `${r.name}: LibreOffice's 版头`).toBe(header);
      // the title: the lines of 二号 text after the issuer line, before the first body line
      const big = (lines: Line[]) => {
        const issuer = lines.findIndex((l) => /\d{4}年\d{1,2}月\d{1,2}日$/.test(l.text));
        const height = lines[issuer + 1].height;
        const out: string[] = [];
        for (const l of lines.slice(issuer + 1)) {
          if (Math.abs(l.height - height) > 1) break;
          out.push(l.text);
        }
        return out;
      };
      const title = big(ours1);
      expect(title.join(""), `${r.name}: the title in our PDF`).toMatch(/纪要/);
      expect(big(office1), `${r.name}: LibreOffice's title lines`).toEqual(title);
    }
  });

  it("keeps the 出席/列席 block and the hash on one page, with the body's last lines", () => {
    for (const r of rendered) {
      for (const [who, pages] of [
        ["LibreOffice", r.office],
        ["ours", r.ours],
      ] as const) {
        const last = linesOf(pages.at(-1)!);
        const texts = last.map((l) => l.text);
        const attendance = texts.findIndex((t) => t.startsWith("出席："));
        expect(attendance, `${r.name} (${who}): 出席 on the last page`).toBeGreaterThan(0);
        expect(
          texts.some((t) => t.startsWith("定稿SHA-256")),
          `${r.name} (${who}): the hash`,
        ).toBe(true);
      }
    }
  });

  it("exports a published typical case without 草稿, in Word and in PDF", async () => {
    const docx = await fetchExport(server, `/documents/${demo.caseId}/export/docx`, demo.caseCookie);
    const pdf = await fetchExport(server, `/documents/${demo.caseId}/export/pdf`, demo.caseCookie);
    expect([docx.status, pdf.status]).toEqual([200, 200]);
    expect(decodeURIComponent(docx.headers.get("content-disposition") ?? "")).not.toContain("草稿");
    const zip = await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()));
    const parts = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^word\/(document|header\d*)\.xml$/.test(n))
        .map((n) => zip.file(n)!.async("string")),
    );
    expect(parts.join("")).not.toContain("草稿");
    expect(parts.join("")).toContain("定稿 SHA-256");
    const file = path.join(office.dir, "case.pdf");
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    expect(text).not.toContain("草稿");
    expect(text.replace(/\s/g, "")).toContain("定稿SHA-256");
  }, 120_000);

  it("leaves navigation links and empty header fields out of a draft's export", async () => {
    const res = await fetchExport(server, `/documents/${demo.draftMinutesId}/export/docx`, demo.cookie);
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const body = await zip.file("word/document.xml")!.async("string");
    const text = [...body.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
    expect(text).toContain("前期议定事项跟进情况");
    expect(text).not.toContain("办理记录");
    for (const label of ["主持人", "记录人", "地点"])
      expect(text).not.toMatch(new RegExp(`${label}：(?=[^\\u4e00-\\u9fa5\\w])|${label}：$`));
  }, 60_000);

  it("names the GB/T 9704 faces and their fallbacks in the font table, and sets the title bold", async () => {
    const zip = await JSZip.loadAsync(await renderDocx(syntheticLongModel()));
    const fonts = await zip.file("word/fontTable.xml")!.async("string");
    for (const [name, alt] of [
      ["仿宋", "仿宋_GB2312"],
      ["楷体", "楷体_GB2312"],
      ["黑体", "SimHei"],
      ["方正小标宋简体", "华文中宋"],
    ])
      expect(fonts).toMatch(
        new RegExp(`<w:font w:name="${name}"><w:altName w:val="${alt}"/>.*?<w:charset w:val="86"/>`),
      );
    const body = await zip.file("word/document.xml")!.async("string");
    const titleRun = body.match(/<w:r>(?:(?!<\/w:r>).)*关于开展涉企行政检查专项整治工作的会商纪要/)?.[0] ?? "";
    expect(titleRun).toContain("<w:b/>");
    // no character grid: every suite agrees on character spacing, not on a linesAndChars grid
    expect(body).not.toContain('w:type="linesAndChars"');
  });
});
