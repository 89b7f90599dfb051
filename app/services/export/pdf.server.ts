/**
 * PDF export: prints the GB/T 9704 HTML (html.ts) with headless Chromium (Debian's /usr/bin/chromium
 * or CHROMIUM_PATH). Each render gets a private temp dir (page, profile, output) that is always
 * removed; at most two renders run at once; a render that takes longer than a minute is killed.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { renderHtml } from "./html";
import { ExportError, type ExportModel, type Progress } from "./model";

export { renderHtml } from "./html";

const MAX_CONCURRENT = 2;
const TIMEOUT_MS = 60_000;
const FAILED = "PDF 生成失败，请稍后重试。";

let running = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next)
      next(); // hand the slot over
    else running--;
  }
}

export async function renderPdf(model: ExportModel, onProgress?: Progress): Promise<Buffer> {
  onProgress?.(0.05, "排版正文");
  const html = renderHtml(model);
  onProgress?.(0.15, "等待排版服务");
  return withSlot(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "consult-pdf-"));
    try {
      const page = path.join(dir, "doc.html");
      const out = path.join(dir, "out.pdf");
      await writeFile(page, html, "utf8");
      onProgress?.(0.3, "生成 PDF");
      await runChromium(dir, page, out);
      const pdf = await readFile(out).catch((cause: unknown) => {
        throw new ExportError(FAILED, { cause });
      });
      if (pdf.subarray(0, 5).toString("latin1") !== "%PDF-")
        throw new ExportError(FAILED, { cause: new Error("output is not a PDF") });
      onProgress?.(1, "完成");
      return pdf;
    } finally {
      // a straggling Chromium helper may still be writing to the profile: retry, and never mask the result
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => undefined);
    }
  });
}

function runChromium(dir: string, page: string, out: string): Promise<void> {
  const bin = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    `--user-data-dir=${path.join(dir, "profile")}`,
    "--no-pdf-header-footer",
    `--print-to-pdf=${out}`,
    "--virtual-time-budget=5000",
    pathToFileURL(page).href,
  ];
  return new Promise((resolve, reject) => {
    let stderr = "";
    let settled = false;
    const finish = (err: ExportError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    // detached: own process group, so a timeout kills the wrapper script and every Chromium process it started
    const child = spawn(bin, args, {
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
      env: { ...process.env, HOME: dir },
    });
    const timer = setTimeout(() => {
      kill(child.pid);
      finish(new ExportError(FAILED, { cause: new Error(`chromium timed out after ${TIMEOUT_MS} ms\n${stderr}`) }));
    }, TIMEOUT_MS);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    child.on("error", (cause) => finish(new ExportError(FAILED, { cause })));
    child.on("close", (code, signal) => {
      if (code === 0) finish(null);
      else finish(new ExportError(FAILED, { cause: new Error(`chromium exited with ${code ?? signal}\n${stderr}`) }));
    });
  });
}

function kill(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}
