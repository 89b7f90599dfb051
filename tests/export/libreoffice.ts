/**
 * Opening exports with real office software in tests: Debian's LibreOffice (`soffice --headless`)
 * converts a file as a WPS/LibreOffice user would open and print it, and poppler reads the PDF back.
 * Each converter has its own profile directory, so test files running side by side do not share one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";

export interface OfficeConverter {
  /** Work directory for inputs and outputs; removed by `dispose`. */
  dir: string;
  /** `soffice --convert-to <target>` of `file`; returns the path of the converted file (`<name>.<ext>`). */
  convert(file: string, target: string, ext: string): string;
  dispose(): void;
}

/**
 * `gbt9704Fonts`: LibreOffice substitutes the 公文 faces it lacks as deploy/fonts says (the same
 * fallbacks as our PDF), as on a machine set up by the README — so both lay digits and CJK out with
 * the same glyph widths and any difference is the file's, not the fonts'.
 */
export function officeConverter(prefix: string, options: { gbt9704Fonts?: boolean } = {}): OfficeConverter {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const profile = `/tmp/lo-${randomBytes(6).toString("hex")}`;
  const env = { ...process.env };
  if (options.gbt9704Fonts) {
    const conf = path.join(dir, "fonts.conf");
    writeFileSync(
      conf,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n` +
        `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n` +
        `  <include>${path.resolve("deploy/fonts/65-gbt9704-fallbacks.conf")}</include>\n</fontconfig>\n`,
    );
    env.FONTCONFIG_FILE = conf;
  }
  return {
    dir,
    convert(file, target, ext) {
      const which = spawnSync("sh", ["-c", "command -v soffice"], { encoding: "utf8" });
      expect(
        which.status,
        "LibreOffice is required for this test: `soffice` is not on PATH (Debian: apt-get install libreoffice-writer-nogui)",
      ).toBe(0);
      const out = mkdtempSync(path.join(dir, "out-"));
      const run = spawnSync(
        "soffice",
        [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", target, "--outdir", out, file],
        { encoding: "utf8", timeout: 120_000, env },
      );
      expect(run.error, `soffice failed to run: ${run.error?.message}`).toBeUndefined();
      expect(run.status, `soffice exited ${run.status}: ${run.stderr}`).toBe(0);
      const converted = path.join(out, `${path.basename(file, path.extname(file))}.${ext}`);
      expect(() => readFileSync(converted), `soffice wrote no ${ext}: ${run.stdout} ${run.stderr}`).not.toThrow();
      return converted;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A word as `pdftotext -bbox` places it: page (from 1), box in points, text. */
export interface PdfWord {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

export interface PdfPage {
  width: number;
  height: number;
  words: PdfWord[];
}

/** Every page of a PDF with its words and their boxes (poppler's `pdftotext -bbox`). */
export function pdfWords(pdf: string): PdfPage[] {
  const html = execFileSync("pdftotext", ["-bbox", "-enc", "UTF-8", pdf, "-"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const pages: PdfPage[] = [];
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  for (const page of html.split(/<page /).slice(1)) {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(page);
    const words: PdfWord[] = [];
    for (const m of page.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      words.push({
        page: pages.length + 1,
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: unescape(m[5]),
      });
    }
    pages.push({ width: Number(size?.[1] ?? 0), height: Number(size?.[2] ?? 0), words });
  }
  return pages;
}
