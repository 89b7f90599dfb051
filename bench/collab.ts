/**
 * Co-editing benchmark: Consult's collab server against the reference y-websocket server
 * (@y/websocket-server with LevelDB persistence), under the same load from the same client harness,
 * one after the other in this run.
 *
 * Load: D documents × C clients, each client inserting a token at a random place R times a second
 * for T seconds. Propagation latency of an edit = until every other client of the document has
 * applied it. Cold join = a new client reaching the full text of a stored 20,000-edit document that
 * is not in the server's memory.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  cpuMs,
  freePort,
  median,
  percentile,
  printTable,
  rssBytes,
  sleep,
  startProcess,
  stopProcess,
  type Row,
} from "./lib";

export interface CollabBenchConfig {
  docs: number;
  clientsPerDoc: number;
  editsPerSecond: number;
  seconds: number;
  coldJoinEdits: number;
  coldJoins: number;
  /** Interleaved rounds per server. */
  rounds: number;
}

export interface Target {
  name: "consult" | "reference";
  process: ChildProcess;
  url: string;
  /** Document name for index i (and the cold-join document). */
  docName: (i: number | "cold") => string;
  cookie: (clientIndex: number) => string | undefined;
}

interface LoadResult {
  latencies: number[];
  delivered: number;
  lost: number;
  divergentDocs: number;
  rssPerConnection: number;
  /** Server CPU time while the clients typed, per edit sent. */
  cpuPerEdit: number;
}

export function client(target: Target, name: string, cookie: string | undefined, doc = new Y.Doc()) {
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, {
        headers: {
          Origin: target.url.replace(/^ws/, "http").replace(/\/collab$/, ""),
          ...(cookie ? { Cookie: cookie } : {}),
        },
      });
    }
  }
  const provider = new WebsocketProvider(target.url, name, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 1000,
  });
  return { doc, provider };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) return false;
    await sleep(10);
  }
  return true;
}

async function runLoad(target: Target, cfg: CollabBenchConfig): Promise<LoadResult> {
  const baseline = rssBytes(target.process.pid!);
  const docs: Array<Array<ReturnType<typeof client>>> = [];
  const pending = new Map<string, { t0: number; remaining: number; max: number }>();
  const latencies: number[] = [];
  let delivered = 0;
  // eslint-disable-next-line no-control-regex -- tokens are framed by STX/ETX so typed text never matches
  const TOKEN = /\u0002(\d+:\d+:\d+)\u0003/g;

  for (let d = 0; d < cfg.docs; d++) {
    const row: Array<ReturnType<typeof client>> = [];
    for (let c = 0; c < cfg.clientsPerDoc; c++) {
      const cl = client(target, target.docName(d), target.cookie(c));
      cl.doc.getText("t").observe((event) => {
        if (event.transaction.local) return;
        delivered++;
        const now = performance.now();
        for (const op of event.changes.delta) {
          if (typeof op.insert !== "string") continue;
          for (const m of op.insert.matchAll(TOKEN)) {
            const p = pending.get(m[1]);
            if (!p) continue;
            p.max = Math.max(p.max, now - p.t0);
            if (--p.remaining === 0) {
              latencies.push(p.max);
              pending.delete(m[1]);
            }
          }
        }
      });
      row.push(cl);
    }
    docs.push(row);
  }
  const all = docs.flat();
  const closes: number[] = [];
  for (const c of all) c.provider.on("connection-close", (e: CloseEvent | null) => e && closes.push(e.code));
  const connected = await waitFor(() => all.every((c) => c.provider.synced), 30_000);
  if (!connected)
    throw new Error(
      `${target.name}: ${all.filter((c) => !c.provider.synced).length} clients did not sync (close codes: ${[...new Set(closes)].join(", ") || "none"})`,
    );
  await sleep(500);
  const loaded = rssBytes(target.process.pid!);

  const interval = 1000 / cfg.editsPerSecond;
  const cpu0 = cpuMs(target.process.pid!);
  const end = performance.now() + cfg.seconds * 1000;
  const timers: NodeJS.Timeout[] = [];
  let seq = 0;
  docs.forEach((row, d) =>
    row.forEach((cl, c) => {
      const tick = () => {
        if (performance.now() >= end) return;
        const text = cl.doc.getText("t");
        const id = `${d}:${c}:${seq++}`;
        pending.set(id, { t0: performance.now(), remaining: cfg.clientsPerDoc - 1, max: 0 });
        text.insert(Math.floor(Math.random() * (text.length + 1)), `\u0002${id}\u0003`);
      };
      const start = setTimeout(() => {
        tick();
        timers.push(setInterval(tick, interval));
      }, Math.random() * interval);
      timers.push(start);
    }),
  );
  await sleep(cfg.seconds * 1000);
  for (const t of timers) clearInterval(t);
  await waitFor(() => pending.size === 0, 10_000);
  const cpuPerEdit = (cpuMs(target.process.pid!) - cpu0) / Math.max(1, seq);
  const lost = pending.size;
  await sleep(300);
  const divergentDocs = docs.filter((row) =>
    row.some((cl) => cl.doc.getText("t").toString() !== row[0].doc.getText("t").toString()),
  ).length;
  for (const cl of all) {
    cl.provider.destroy();
    cl.doc.destroy();
  }
  return {
    latencies: latencies.sort((a, b) => a - b),
    delivered: delivered / cfg.seconds,
    lost,
    divergentDocs,
    rssPerConnection: Math.max(0, loaded - baseline) / all.length,
    cpuPerEdit,
  };
}

/**
 * A document with `edits` separate edits in its history, typed the way drafters type: runs of
 * characters at a cursor, the cursor jumping elsewhere every ~30 edits, and one edit in ten a
 * backspace.
 */
function buildHistory(edits: number): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText("t");
  const alphabet = "会商纪要议定事项牵头单位配合完成时限反馈督办整改落实司法建议检察";
  let cursor = 0;
  for (let i = 0; i < edits; i++) {
    doc.transact(() => {
      if (i % 30 === 0) cursor = Math.floor(Math.random() * (text.length + 1));
      if (i % 10 === 9 && cursor > 0) {
        text.delete(cursor - 1, 1);
        cursor--;
      } else {
        text.insert(cursor, alphabet[i % alphabet.length]);
        cursor++;
      }
    });
  }
  return doc;
}

async function coldJoin(target: Target, cfg: CollabBenchConfig, history: Y.Doc): Promise<number[]> {
  const name = target.docName("cold");
  const expected = history.getText("t").toString();
  const seed = client(target, name, target.cookie(0), new Y.Doc());
  Y.applyUpdate(seed.doc, Y.encodeStateAsUpdate(history));
  await waitFor(() => seed.provider.synced, 10_000);
  // Let the server persist it (Consult batches within 0.5 s; LevelDB writes as it goes).
  await sleep(1500);
  seed.provider.destroy();
  seed.doc.destroy();
  await sleep(1500);
  const times: number[] = [];
  for (let i = 0; i < cfg.coldJoins; i++) {
    const t0 = performance.now();
    const joiner = client(target, name, target.cookie(i % cfg.clientsPerDoc));
    const ok = await waitFor(() => joiner.doc.getText("t").length === expected.length, 15_000);
    times.push(ok ? performance.now() - t0 : NaN);
    if (joiner.doc.getText("t").toString() !== expected) times[times.length - 1] = NaN;
    joiner.provider.destroy();
    joiner.doc.destroy();
    // Both servers unload a document when its last client leaves.
    await sleep(800);
  }
  return times;
}

export interface ConsultFixture {
  pristine: string;
  docIds: string[];
  cookies: string[];
}

/** One migrated database with a user per client slot, their sessions and the documents; copied per round. */
export async function prepareConsult(
  cfg: Pick<CollabBenchConfig, "docs" | "clientsPerDoc">,
  dir: string,
  sessionsPerUser = 1,
): Promise<ConsultFixture> {
  const pristine = path.join(dir, "pristine.db");
  const url = `file:${pristine}`;
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA: "prisma/schema.prisma" },
    stdio: "pipe",
  });
  process.env.DATABASE_URL = url;
  const { getDb, disconnectDb } = await import("../app/db.server");
  const { getLucia } = await import("../app/services/auth/auth.server");
  const { newId } = await import("../app/utils/ids");
  const db = getDb();
  const regionId = newId();
  await db.region.create({ data: { id: regionId, name: "基准市", level: "CITY", path: `/${regionId}/` } });
  const orgId = newId();
  await db.organization.create({ data: { id: orgId, name: "基准市司法局", kind: "JUSTICE_BUREAU", regionId } });
  const cookies: string[] = [];
  for (let c = 0; c < cfg.clientsPerDoc; c++) {
    const userId = newId();
    await db.user.create({
      data: { id: userId, username: `bench${c}`, displayName: `基准用户${c}`, passwordHash: "x" },
    });
    await db.membership.create({ data: { id: newId(), userId, orgId, role: "DRAFTER" } });
    for (let k = 0; k < sessionsPerUser; k++) {
      const session = await getLucia().createSession(userId, {});
      cookies.push(`${getLucia().sessionCookieName}=${session.id}`);
    }
  }
  const docIds: string[] = [];
  for (let d = 0; d <= cfg.docs; d++) {
    const id = newId();
    await db.document.create({
      data: { id, type: "MINUTES", title: `基准文书${d}`, ownerOrgId: orgId, createdById: "bench" },
    });
    docIds.push(id);
  }
  await db.$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  await disconnectDb();
  return { pristine, docIds, cookies };
}

export async function startConsult(
  cfg: Pick<CollabBenchConfig, "docs">,
  dir: string,
  round: number,
  fixture: ConsultFixture,
): Promise<Target> {
  const file = path.join(dir, `bench-${round}.db`);
  copyFileSync(fixture.pristine, file);
  const port = await freePort();
  const proc = await startProcess(
    [
      ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
      "--import",
      "tsx",
      "bench/servers/consult.ts",
    ],
    {
      DATABASE_URL: `file:${file}`,
      PORT: String(port),
      LOG_LEVEL: "silent",
      NODE_ENV: "production",
      CONSULT_DEMO: "true",
    },
    /READY/,
  );
  return {
    name: "consult",
    process: proc,
    url: `ws://127.0.0.1:${port}/collab`,
    docName: (i) => (i === "cold" ? fixture.docIds[cfg.docs] : fixture.docIds[i]),
    cookie: (c) => fixture.cookies[c],
  };
}

async function startReference(dir: string, round: number): Promise<Target> {
  const port = await freePort();
  const proc = await startProcess(
    ["node_modules/@y/websocket-server/src/server.js"],
    { HOST: "127.0.0.1", PORT: String(port), YPERSISTENCE: path.join(dir, `leveldb-${round}`) },
    /running at/,
  );
  return {
    name: "reference",
    process: proc,
    url: `ws://127.0.0.1:${port}/collab`,
    docName: (i) => (i === "cold" ? "cold" : `doc${i}`),
    cookie: () => undefined,
  };
}

export async function benchCollab(cfg: CollabBenchConfig): Promise<{ ok: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), "consult-bench-"));
  console.log(
    `\n== co-editing: ${cfg.docs} documents × ${cfg.clientsPerDoc} clients × ${cfg.editsPerSecond} edits/s for ${cfg.seconds} s; cold join of a ${cfg.coldJoinEdits.toLocaleString("en")}-edit document (median of ${cfg.coldJoins}), ${cfg.rounds} interleaved rounds per server`,
  );
  const history = buildHistory(cfg.coldJoinEdits);
  const runs: Record<"consult" | "reference", Array<{ load: LoadResult; cold: number[] }>> = {
    consult: [],
    reference: [],
  };
  try {
    const fixture = await prepareConsult(cfg, dir);
    // Interleaved rounds (reference, consult, reference, consult…): both servers see the same
    // machine conditions, and one noisy moment does not decide the comparison.
    for (let round = 0; round < cfg.rounds; round++) {
      for (const start of [() => startReference(dir, round), () => startConsult(cfg, dir, round, fixture)]) {
        const target = await start();
        try {
          // Warm-up so both run with a JIT-compiled hot path.
          await runLoad(target, { ...cfg, seconds: 2 });
          await sleep(1000);
          const load = await runLoad(target, cfg);
          const cold = await coldJoin(target, cfg, history);
          runs[target.name].push({ load, cold });
          console.log(
            `   round ${round + 1} ${target.name.padEnd(9)}: p99 ${percentile(load.latencies, 99).toFixed(1)} ms, cold join ${median(cold).toFixed(1)} ms, ${load.latencies.length} edits measured, ${load.lost} lost, ${load.divergentDocs} divergent documents`,
          );
        } finally {
          await stopProcess(target.process);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const combine = (rs: Array<{ load: LoadResult; cold: number[] }>) => ({
    load: {
      latencies: rs.flatMap((r) => r.load.latencies).sort((a, b) => a - b),
      delivered: rs.reduce((a, r) => a + r.load.delivered, 0) / rs.length,
      lost: rs.reduce((a, r) => a + r.load.lost, 0),
      divergentDocs: rs.reduce((a, r) => a + r.load.divergentDocs, 0),
      rssPerConnection: rs.reduce((a, r) => a + r.load.rssPerConnection, 0) / rs.length,
      cpuPerEdit: rs.reduce((a, r) => a + r.load.cpuPerEdit, 0) / rs.length,
    },
    cold: rs.flatMap((r) => r.cold),
  });
  const results = { consult: combine(runs.consult), reference: combine(runs.reference) };
  const c = results.consult;
  const r = results.reference;
  const rows: Row[] = [
    {
      metric: "propagation p50",
      consult: percentile(c.load.latencies, 50),
      reference: percentile(r.load.latencies, 50),
      unit: "ms",
      better: "lower",
    },
    {
      metric: "propagation p95",
      consult: percentile(c.load.latencies, 95),
      reference: percentile(r.load.latencies, 95),
      unit: "ms",
      better: "lower",
    },
    {
      metric: "propagation p99",
      consult: percentile(c.load.latencies, 99),
      reference: percentile(r.load.latencies, 99),
      unit: "ms",
      better: "lower",
      target: "≤ 1.00×",
    },
    {
      metric: "delivered updates",
      consult: c.load.delivered,
      reference: r.load.delivered,
      unit: "/s",
      better: "higher",
    },
    {
      metric: "server CPU per edit",
      consult: c.load.cpuPerEdit,
      reference: r.load.cpuPerEdit,
      unit: "ms",
      better: "lower",
      target: "≤ 1.30×",
    },
    {
      metric: "server RSS per connection",
      consult: c.load.rssPerConnection / 1024,
      reference: r.load.rssPerConnection / 1024,
      unit: "KiB",
      better: "lower",
    },
    {
      metric: "cold join, 20k-edit document",
      consult: median(c.cold),
      reference: median(r.cold),
      unit: "ms",
      better: "lower",
      target: "≤ 1.00× and < 100 ms",
    },
    {
      metric: "divergent documents",
      consult: c.load.divergentDocs,
      reference: r.load.divergentDocs,
      unit: "count",
      better: "lower",
      target: "0",
    },
    {
      metric: "edits never delivered",
      consult: c.load.lost,
      reference: r.load.lost,
      unit: "count",
      better: "lower",
      target: "0",
    },
  ];
  printTable("Co-editing (ratio = consult / reference)", rows);
  const p99 = rows[2].consult / rows[2].reference;
  const cold = rows.find((row) => row.metric.startsWith("cold join"))!;
  const cpu = rows.find((row) => row.metric === "server CPU per edit")!;
  const checks = [
    { name: "p99 propagation ≤ 1.0× reference", ok: p99 <= 1.0 },
    { name: "server CPU per edit ≤ 1.3× reference", ok: cpu.consult <= 1.3 * cpu.reference },
    { name: "cold join ≤ 1.0× reference and < 100 ms", ok: cold.consult <= cold.reference && cold.consult < 100 },
    { name: "zero divergence, nothing lost", ok: c.load.divergentDocs === 0 && c.load.lost === 0 },
  ];
  for (const ch of checks) console.log(`   ${ch.ok ? "MET " : "MISS"}  ${ch.name}`);
  return { ok: checks.every((ch) => ch.ok) };
}
