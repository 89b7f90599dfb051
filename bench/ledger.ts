/**
 * Ledger (台账) benchmark on a database holding N generated items (scripts/generate-ledger.ts, after
 * the 示例市 seed), signed in as sfj.coord (示例市司法局, who sees them all):
 * - the ledger page, first page with default filters and with a search term: request time on
 *   loopback (median after warm-up; the server's full work: loaders and React render) and the
 *   loader's own Server-Timing;
 * - the .xlsx export of every item (drafts included), downloaded in full;
 * - p99 latency and throughput of the ledger page under C concurrent readers for T seconds
 *   (autocannon).
 * Reference, measured in the same run against the same server: GET /healthz (Express + `SELECT 1`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { cpuMs, freePort, median, printTable, sleep, startProcess, stopProcess, type Row } from "./lib";

export interface LedgerBenchConfig {
  items: number;
  /** Sequential samples per page after warm-up. */
  samples: number;
  connections: number;
  seconds: number;
  exports: number;
}

const SEARCH = "检察建议";

async function prepare(dir: string, items: number): Promise<{ url: string; apiToken: string }> {
  const file = path.join(dir, "ledger.db");
  const url = `file:${file}`;
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA: "prisma/schema.prisma" },
    stdio: "pipe",
  });
  const { createDb } = await import("../app/db.server");
  const { seed } = await import("../prisma/seed");
  const { generateLedger } = await import("../scripts/generate-ledger");
  const db = createDb(url);
  let apiToken = "";
  try {
    await seed(db);
    const t0 = performance.now();
    const { total } = await generateLedger(db, items);
    console.log(
      `   generated ${total.toLocaleString("en")} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    // A READ token of sfj.coord's org for GET /api/v1/items (ADR 027): it reads what sfj.coord reads.
    const { generateApiToken, hashApiToken } = await import("../app/services/api-tokens.server");
    const coord = await db.user.findUniqueOrThrow({ where: { username: "sfj.coord" }, include: { memberships: true } });
    apiToken = generateApiToken();
    await db.apiToken.create({
      data: {
        id: `benchtoken${Date.now().toString(36)}`,
        orgId: coord.memberships[0].orgId,
        name: "bench",
        scopes: "READ",
        tokenHash: hashApiToken(apiToken),
        prefix: apiToken.slice(0, 8),
        expiresAt: new Date(Date.now() + 86_400_000),
        createdById: coord.id,
      },
    });
    await db.$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    await db.$disconnect();
  }
  return { url, apiToken };
}

async function signIn(origin: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ username: "sfj.coord", password: "Demo@2026" }).toString(),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`ledger bench: sign-in failed (${res.status})`);
  return cookie;
}

interface Sample {
  ms: number;
  loader: number;
  db: number;
}

async function timed(url: string, cookie: string): Promise<Sample> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Cookie: cookie } });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`ledger bench: ${url} answered ${res.status}`);
  const timing = res.headers.get("server-timing") ?? "";
  return {
    ms,
    loader: Number(/total;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN),
    db: Number(/db;[^,]*dur=([\d.]+)/.exec(timing)?.[1] ?? NaN),
  };
}

export async function benchLedger(cfg: LedgerBenchConfig): Promise<{ ok: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), "consult-ledger-bench-"));
  console.log(
    `\n== ledger: ${cfg.items.toLocaleString("en")} generated items, signed in as sfj.coord; median of ${cfg.samples} requests per page after warm-up; ${cfg.connections} concurrent readers for ${cfg.seconds} s; .xlsx median of ${cfg.exports}`,
  );
  const rows: Row[] = [];
  const checks: Array<{ name: string; ok: boolean }> = [];
  try {
    const { url, apiToken } = await prepare(dir, cfg.items);
    const port = await freePort();
    const server = await startProcess(
      ["--import", "tsx", "bench/servers/consult.ts"],
      {
        DATABASE_URL: url,
        PORT: String(port),
        LOG_LEVEL: "silent",
        NODE_ENV: "production",
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        REMINDERS_ENABLED: "false",
        COOKIE_SECURE: "false",
        // The API's per-token bucket must not throttle the load run.
        API_RATE_PER_MINUTE: "100000",
      },
      /READY/,
    );
    const origin = `http://127.0.0.1:${port}`;
    try {
      const cookie = await signIn(origin);
      const pages = {
        ledger: `${origin}/ledger`,
        search: `${origin}/ledger?q=${encodeURIComponent(SEARCH)}`,
        healthz: `${origin}/healthz`,
      };
      // Warm-up (JIT, SQLite page cache, Prisma's query compiler).
      for (let i = 0; i < 8; i++) for (const u of Object.values(pages)) await timed(u, cookie);
      const samples: Record<keyof typeof pages, Sample[]> = { ledger: [], search: [], healthz: [] };
      const cpu: Record<keyof typeof pages, number> = { ledger: 0, search: 0, healthz: 0 };
      // Blocks of each page in turn, twice, so the three see the same machine conditions; the
      // server's CPU time per request (from /proc) does not depend on what else runs on the machine.
      for (let round = 0; round < 2; round++) {
        for (const [k, u] of Object.entries(pages) as Array<[keyof typeof pages, string]>) {
          const c0 = cpuMs(server.pid!);
          for (let i = 0; i < cfg.samples / 2; i++) samples[k].push(await timed(u, cookie));
          cpu[k] += cpuMs(server.pid!) - c0;
        }
      }
      const cpuPer = (k: keyof typeof pages) => cpu[k] / samples[k].length;
      const first = await fetch(pages.ledger, { headers: { Cookie: cookie } });
      const tracked = Number(/共 (?:<!-- -->)?(\d+)(?:<!-- -->)? 项/.exec(await first.text())?.[1] ?? NaN);
      const searched = await fetch(pages.search, { headers: { Cookie: cookie } });
      const hits = Number(/共 (?:<!-- -->)?(\d+)(?:<!-- -->)? 项/.exec(await searched.text())?.[1] ?? NaN);
      console.log(
        `   sfj.coord sees ${tracked.toLocaleString("en")} tracked items on the default view; "${SEARCH}" matches ${hits.toLocaleString("en")}`,
      );
      const med = (k: keyof typeof pages, f: keyof Sample) => median(samples[k].map((s) => s[f]));

      // Export of every item (drafts too).
      const exportTimes: number[] = [];
      let exported = 0;
      let bytes = 0;
      for (let i = 0; i < cfg.exports; i++) {
        const t0 = performance.now();
        const res = await fetch(`${origin}/ledger/export.xlsx?drafts=1`, { headers: { Cookie: cookie } });
        const body = await res.arrayBuffer();
        exportTimes.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`ledger bench: export answered ${res.status}`);
        exported = Number(res.headers.get("x-item-count"));
        bytes = body.byteLength;
        await sleep(300);
      }
      console.log(`   .xlsx: ${exported.toLocaleString("en")} rows, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);

      // Concurrent readers: the ledger page, then the reference, same load.
      const load = async (u: string) =>
        autocannon({ url: u, connections: cfg.connections, duration: cfg.seconds, headers: { cookie } });
      const ledgerLoad = await load(pages.ledger);
      await sleep(500);
      const healthLoad = await load(pages.healthz);
      await sleep(500);
      // The data-exchange API's ledger (JSON, one page of 50) under the same load, with a READ token.
      const apiLoad = await autocannon({
        url: `${origin}/api/v1/items?pageSize=50`,
        connections: cfg.connections,
        duration: cfg.seconds,
        headers: { authorization: `Bearer ${apiToken}` },
      });
      if (apiLoad.non2xx || apiLoad.errors)
        console.log(`   warning: API ${apiLoad.non2xx} non-2xx answers, ${apiLoad.errors} errors under load`);
      if (ledgerLoad.non2xx || ledgerLoad.errors)
        console.log(`   warning: ${ledgerLoad.non2xx} non-2xx answers, ${ledgerLoad.errors} errors under load`);

      rows.push(
        {
          metric: "ledger page (request)",
          consult: med("ledger", "ms"),
          reference: med("healthz", "ms"),
          unit: "ms",
          better: "lower",
          target: "≤ 150 ms",
        },
        {
          metric: "  server CPU per request",
          consult: cpuPer("ledger"),
          reference: cpuPer("healthz"),
          unit: "ms",
          better: "lower",
        },
        { metric: "  of which loader", consult: med("ledger", "loader"), reference: NaN, unit: "ms", better: "lower" },
        {
          metric: "  of which ledger queries",
          consult: med("ledger", "db"),
          reference: NaN,
          unit: "ms",
          better: "lower",
        },
        {
          metric: `ledger search "${SEARCH}" (request)`,
          consult: med("search", "ms"),
          reference: med("healthz", "ms"),
          unit: "ms",
          better: "lower",
          target: "≤ 150 ms",
        },
        {
          metric: "  server CPU per request",
          consult: cpuPer("search"),
          reference: cpuPer("healthz"),
          unit: "ms",
          better: "lower",
        },
        {
          metric: "  of which ledger queries",
          consult: med("search", "db"),
          reference: NaN,
          unit: "ms",
          better: "lower",
        },
        {
          metric: `.xlsx export, ${exported.toLocaleString("en")} items`,
          consult: median(exportTimes),
          reference: NaN,
          unit: "ms",
          better: "lower",
          target: "≤ 3000 ms",
        },
        {
          metric: `p99, ${cfg.connections} readers × ${cfg.seconds} s`,
          consult: ledgerLoad.latency.p99,
          reference: healthLoad.latency.p99,
          unit: "ms",
          better: "lower",
        },
        {
          metric: `p50, ${cfg.connections} readers × ${cfg.seconds} s`,
          consult: ledgerLoad.latency.p50,
          reference: healthLoad.latency.p50,
          unit: "ms",
          better: "lower",
        },
        {
          metric: `API GET /api/v1/items p97.5 (autocannon has no p95), ${cfg.connections} clients, vs. HTML ledger`,
          consult: apiLoad.latency.p97_5,
          reference: ledgerLoad.latency.p97_5,
          unit: "ms",
          better: "lower",
        },
        {
          metric: "API GET /api/v1/items throughput (vs. HTML ledger)",
          consult: apiLoad.requests.average,
          reference: ledgerLoad.requests.average,
          unit: "req/s",
          better: "higher",
        },
        {
          metric: "throughput under load",
          consult: ledgerLoad.requests.average,
          reference: healthLoad.requests.average,
          unit: "req/s",
          better: "higher",
        },
      );
      checks.push(
        {
          name: "ledger page ≤ 150 ms server time (median request, first page, default filters)",
          ok: med("ledger", "ms") <= 150,
        },
        { name: "ledger search ≤ 150 ms server time (median request)", ok: med("search", "ms") <= 150 },
        { name: ".xlsx export of every item ≤ 3 s", ok: median(exportTimes) <= 3000 },
        { name: "no errors under load", ok: ledgerLoad.errors === 0 && ledgerLoad.non2xx === 0 },
      );
    } finally {
      await stopProcess(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    `Ledger, ${cfg.items.toLocaleString("en")} items (ratio = ledger / GET /healthz on the same server)`,
    rows,
  );
  for (const ch of checks) console.log(`   ${ch.ok ? "MET " : "MISS"}  ${ch.name}`);
  return { ok: checks.every((c) => c.ok) };
}
