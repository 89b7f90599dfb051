/**
 * Restart benchmark (ADR 030): how soon a freshly started server serves again. Consult is started as production
 * starts it (`node --enable-source-maps build/server/index.js`, NODE_ENV=production, on SQLite with the 示例市
 * demo data) and measured from the spawn to
 * - "listening" on stdout;
 * - the first GET /healthz answering 200 (the database answers and the Remix build has loaded);
 * - the first signed-in page: GET / with the session cookie of sfj.coord (signed in before the measured starts;
 *   the session outlives restarts), answering 200 with the 工作台;
 * and the CPU time the process used until it listened (less sensitive to other load on the machine than the
 * wall times). Reference, started alternately with Consult in the same run: the y-websocket server
 * (@y/websocket-server with LevelDB persistence), to "running at" and its first HTTP answer.
 * Median of BENCH_RESTART_STARTS (5) starts each; one start of each before them (not counted) warms the disk
 * cache, signs in and lets the search index take in the seeded records, so every measured start finds the
 * database at rest.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { Db } from "../app/db.server";
import { cpuMs, freePort, median, printTable, sleep, startProcess, stopProcess, type Row } from "./lib";

export interface RestartBenchConfig {
  /** Measured starts per server. */
  starts: number;
}

interface StartTimes {
  listening: number;
  healthz: number;
  page: number;
  cpu: number;
}

const CONSULT_USER = "sfj.coord";
const PASSWORD = "Demo@2026";

async function prepare(dir: string): Promise<{ url: string; db: Db }> {
  const url = `file:${path.join(dir, "restart.db")}`;
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA: "prisma/schema.prisma" },
    stdio: "pipe",
  });
  const { createDb } = await import("../app/db.server");
  const { seed } = await import("../prisma/seed");
  const db = createDb(url);
  await seed(db);
  return { url, db };
}

/** Until the server's search job has taken in every record the seed marked (the warm-up start's work). */
async function searchIndexSettled(db: Db): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await db.searchDirty.count()) > 0) {
    if (Date.now() > deadline) throw new Error("restart bench: the search index did not take in the seed");
    await sleep(200);
  }
}

/** Polls `url` every 5 ms until it answers `ok` (a refused or failed request counts as not yet). */
async function firstAnswer(url: string, ok: (res: Response, body: string) => boolean, init?: RequestInit) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(url, { redirect: "manual", ...init });
      if (ok(res, await res.text())) return;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`restart bench: ${url} did not answer`);
    await sleep(5);
  }
}

async function signIn(origin: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ username: CONSULT_USER, password: PASSWORD }).toString(),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`restart bench: sign-in failed (${res.status})`);
  return cookie;
}

/**
 * One start of Consult: spawn → listening → /healthz 200 → the signed-in 工作台; then `beforeStop`, and SIGTERM.
 * The first start signs in (not measured then) and keeps the cookie in `session` for the others.
 */
async function startConsult(
  url: string,
  session: { cookie?: string },
  beforeStop: () => Promise<void> = async () => undefined,
): Promise<StartTimes> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const server = await startProcess(
    ["--enable-source-maps", "build/server/index.js"],
    {
      DATABASE_URL: url,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      PUBLIC_URL: origin,
      COOKIE_SECURE: "false",
      LOG_LEVEL: "warn",
    },
    /listening on/,
  );
  try {
    const listening = performance.now() - t0;
    const cpu = cpuMs(server.pid!);
    await firstAnswer(`${origin}/healthz`, (res) => res.status === 200);
    const healthz = performance.now() - t0;
    session.cookie ??= await signIn(origin);
    await firstAnswer(`${origin}/`, (res, body) => res.status === 200 && body.includes("工作台"), {
      headers: { Cookie: session.cookie },
    });
    const page = performance.now() - t0;
    await beforeStop();
    return { listening, healthz, page, cpu };
  } finally {
    await stopProcess(server);
  }
}

/** One start of the reference: spawn → "running at" → its first HTTP answer ("okay"). */
async function startReference(dir: string): Promise<StartTimes> {
  const port = await freePort();
  const t0 = performance.now();
  const server = await startProcess(
    ["node_modules/@y/websocket-server/src/server.js"],
    { HOST: "127.0.0.1", PORT: String(port), YPERSISTENCE: path.join(dir, "leveldb") },
    /running at/,
  );
  try {
    const listening = performance.now() - t0;
    const cpu = cpuMs(server.pid!);
    await firstAnswer(`http://127.0.0.1:${port}/`, (res) => res.status === 200);
    const answered = performance.now() - t0;
    return { listening, healthz: answered, page: answered, cpu };
  } finally {
    await stopProcess(server);
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

export async function benchRestart(cfg: RestartBenchConfig): Promise<{ ok: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), "consult-restart-bench-"));
  console.log(
    `\n== restart: spawn → listening → GET /healthz 200 → signed-in 工作台 (${CONSULT_USER}), median of ${cfg.starts} starts, alternating with the reference`,
  );
  const runs: Record<"consult" | "reference", StartTimes[]> = { consult: [], reference: [] };
  const loadBefore = load();
  let db: Db | undefined;
  try {
    const prepared = await prepare(dir);
    db = prepared.db;
    const session: { cookie?: string } = {};
    // Warm-up, not counted: the disk cache, the session (the database keeps it) and the search index.
    await startReference(dir);
    await startConsult(prepared.url, session, () => searchIndexSettled(prepared.db));
    for (let i = 0; i < cfg.starts; i++) {
      runs.reference.push(await startReference(dir));
      runs.consult.push(await startConsult(prepared.url, session));
      console.log(
        `   start ${i + 1}: consult listening ${runs.consult[i].listening.toFixed(0)} ms, /healthz ${runs.consult[i].healthz.toFixed(0)} ms, page ${runs.consult[i].page.toFixed(0)} ms; reference ${runs.reference[i].listening.toFixed(0)} / ${runs.reference[i].healthz.toFixed(0)} ms`,
      );
    }
  } finally {
    await db?.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (name: "consult" | "reference", k: keyof StartTimes) => median(runs[name].map((r) => r[k]));
  const rows: Row[] = [
    {
      metric: "start → listening",
      consult: med("consult", "listening"),
      reference: med("reference", "listening"),
      unit: "ms",
      better: "lower",
      target: "< 1000 ms",
    },
    {
      metric: "  CPU time until listening",
      consult: med("consult", "cpu"),
      reference: med("reference", "cpu"),
      unit: "ms",
      better: "lower",
    },
    {
      metric: "start → first /healthz 200",
      consult: med("consult", "healthz"),
      reference: med("reference", "healthz"),
      unit: "ms",
      better: "lower",
    },
    {
      metric: "start → first signed-in page",
      consult: med("consult", "page"),
      reference: med("reference", "page"),
      unit: "ms",
      better: "lower",
    },
  ];
  printTable(
    `Restart, median of ${cfg.starts} starts (reference: y-websocket server, its first HTTP answer for /healthz and the page)`,
    rows,
  );
  console.log(`   load average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
  const ok = med("consult", "listening") < 1000;
  console.log(`   ${ok ? "MET " : "MISS"}  listening < 1 s after start (median)`);
  return { ok };
}
