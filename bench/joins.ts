/**
 * Joins, connections and presence (issue 25): Consult's collab server against the reference
 * y-websocket server (@y/websocket-server, in memory, no authentication), one after the other,
 * interleaved over R rounds, from the same client harness in this process.
 *
 * - many: M connections over K documents opened at once (first, on a fresh process): time until all are
 *   synced, RSS per connection (process RSS after minus before), then presence: one client of a document
 *   changes its awareness state every few ms, latency = until every other client of that document has it
 *   (p50/p99).
 * - join: N clients opening D documents at once (documents stored, not in memory): connect + first
 *   sync p50/p95 per client, and the server's CPU time per connection (authentication, loading).
 *
 * The harness measures its own event-loop delay: when it, not the server, was the bottleneck the
 * figure is marked. The load average is printed next to each round.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { client, prepareConsult, startConsult, type Target } from "./collab";
import { cpuMs, median, percentile, printTable, rssBytes, sleep, startProcess, stopProcess, type Row } from "./lib";

export interface JoinBenchConfig {
  joinClients: number;
  joinDocs: number;
  connections: number;
  connectionDocs: number;
  awarenessSamples: number;
  /** ms between two presence changes. */
  awarenessIntervalMs: number;
  rounds: number;
}

type Client = ReturnType<typeof client>;
let sessions = 1;

interface RoundResult {
  joinTimes: number[];
  cpuPerJoin: number;
  rampMs: number;
  rssPerConnection: number;
  baselineRss: number;
  awareness: number[];
  harnessDelayP99: number;
  load: number;
}

async function startReferenceInMemory(): Promise<Target> {
  const { freePort } = await import("./lib");
  const port = await freePort();
  const proc = await startProcess(
    ["node_modules/@y/websocket-server/src/server.js"],
    { HOST: "127.0.0.1", PORT: String(port) },
    /running at/,
  );
  return {
    name: "reference",
    process: proc,
    url: `ws://127.0.0.1:${port}/collab`,
    docName: (i) => `doc${i}`,
    cookie: () => undefined,
  };
}

async function waitAll(clients: Client[], timeoutMs: number): Promise<void> {
  const start = performance.now();
  const closes = new Set<number>();
  for (const c of clients) c.provider.on("connection-close", (e: CloseEvent | null) => e && closes.add(e.code));
  while (!clients.every((c) => c.provider.synced)) {
    if (performance.now() - start > timeoutMs)
      throw new Error(
        `${clients.filter((c) => !c.provider.synced).length} clients did not sync (close codes: ${[...closes].join(", ") || "none"})`,
      );
    await sleep(5);
  }
}

function destroy(clients: Client[]) {
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
}

/** Opens `count` clients over `docs` documents at once; resolves with each one's connect + first sync time. */
async function openAll(target: Target, count: number, docs: number, offset = 0) {
  const clients: Client[] = [];
  const times: number[] = new Array(count).fill(NaN);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const d = offset + (i % docs);
    const cl = client(target, target.docName(d), target.cookie(i % sessions));
    const started = performance.now();
    const onSync = (synced: boolean) => {
      if (!synced) return;
      times[i] = performance.now() - started;
      cl.provider.off("sync", onSync);
    };
    cl.provider.on("sync", onSync);
    clients.push(cl);
  }
  await waitAll(clients, 60_000);
  return { clients, times: times.sort((a, b) => a - b), rampMs: performance.now() - t0 };
}

async function round(target: Target, cfg: JoinBenchConfig): Promise<RoundResult> {
  const pid = target.process.pid!;
  // Warm-up: a few joins so both servers run JIT-compiled code, then everyone leaves.
  const warm = await openAll(target, Math.min(20, cfg.joinClients), cfg.joinDocs);
  destroy(warm.clients);
  await sleep(1000);

  const baselineRss = rssBytes(pid);
  // First on a fresh server (after the warm-up): what the connections add to the process's memory.
  const many = await openAll(target, cfg.connections, cfg.connectionDocs, cfg.joinDocs);
  await sleep(1000);
  const rssPerConnection = Math.max(0, rssBytes(pid) - baselineRss) / cfg.connections;

  // Presence: a change by one client, until every other client of the document has it.
  const byDoc: Client[][] = Array.from({ length: cfg.connectionDocs }, () => []);
  many.clients.forEach((c, i) => byDoc[i % cfg.connectionDocs].push(c));
  const pending = new Map<number, { t0: number; remaining: number }>();
  const latencies: number[] = [];
  for (const c of many.clients) {
    c.provider.awareness.on("change", ({ updated, added }: { updated: number[]; added: number[] }) => {
      const now = performance.now();
      for (const id of [...updated, ...added]) {
        if (id === c.doc.clientID) continue;
        const n = (c.provider.awareness.getStates().get(id) as { n?: number } | undefined)?.n;
        const p = n === undefined ? undefined : pending.get(n);
        if (!p) continue;
        if (--p.remaining === 0) {
          latencies.push(now - p.t0);
          pending.delete(n!);
        }
      }
    });
  }
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  for (let n = 1; n <= cfg.awarenessSamples; n++) {
    const peers = byDoc[n % cfg.connectionDocs];
    const sender = peers[Math.floor(Math.random() * peers.length)];
    pending.set(n, { t0: performance.now(), remaining: peers.length - 1 });
    sender.provider.awareness.setLocalStateField("n", n);
    await sleep(cfg.awarenessIntervalMs);
  }
  const deadline = performance.now() + 5000;
  while (pending.size > 0 && performance.now() < deadline) await sleep(10);
  eld.disable();
  const load = loadavg()[0];
  destroy(many.clients);
  await sleep(1500);

  const cpu0 = cpuMs(pid);
  const join = await openAll(target, cfg.joinClients, cfg.joinDocs);
  const cpuPerJoin = (cpuMs(pid) - cpu0) / cfg.joinClients;
  destroy(join.clients);
  await sleep(1500);

  return {
    joinTimes: join.times,
    cpuPerJoin,
    rampMs: many.rampMs,
    rssPerConnection,
    baselineRss,
    // Changes that never reached everyone count as the worst latency.
    awareness: [...latencies, ...[...pending.keys()].map(() => Infinity)].sort((a, b) => a - b),
    harnessDelayP99: eld.percentile(99) / 1e6,
    load,
  };
}

export async function benchJoins(cfg: JoinBenchConfig): Promise<{ ok: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), "consult-joins-"));
  console.log(
    `\n== joins and presence: ${cfg.joinClients} clients joining ${cfg.joinDocs} documents at once; ${cfg.connections.toLocaleString("en")} connections over ${cfg.connectionDocs} documents, ${cfg.awarenessSamples} presence changes every ${cfg.awarenessIntervalMs} ms; ${cfg.rounds} interleaved rounds per server`,
  );
  const runs: Record<"consult" | "reference", RoundResult[]> = { consult: [], reference: [] };
  try {
    // Every connection its own session (the costly case: nobody's session is already known), 20 per
    // user (under the per-user connection limit of 30).
    sessions = Math.max(cfg.connections, cfg.joinClients);
    const users = Math.ceil(sessions / 20);
    const fixture = await prepareConsult({ docs: cfg.joinDocs + cfg.connectionDocs, clientsPerDoc: users }, dir, 20);
    for (let r = 0; r < cfg.rounds; r++) {
      for (const start of [
        () => startReferenceInMemory(),
        () => startConsult({ docs: cfg.joinDocs + cfg.connectionDocs }, dir, r, fixture),
      ]) {
        const target = await start();
        try {
          const res = await round(target, cfg);
          runs[target.name].push(res);
          const harness =
            res.harnessDelayP99 > 20
              ? ` — harness event-loop p99 ${res.harnessDelayP99.toFixed(0)} ms: the harness, not the server, may have been the bottleneck`
              : "";
          console.log(
            `   round ${r + 1} ${target.name.padEnd(9)}: join p50 ${percentile(res.joinTimes, 50).toFixed(1)} ms, CPU/join ${res.cpuPerJoin.toFixed(2)} ms, ramp ${(res.rampMs / 1000).toFixed(2)} s, RSS/conn ${(res.rssPerConnection / 1024).toFixed(1)} KiB (baseline ${(res.baselineRss / 1048576).toFixed(0)} MiB), presence p99 ${percentile(res.awareness, 99).toFixed(1)} ms, load ${res.load.toFixed(2)}${harness}`,
          );
        } finally {
          await stopProcess(target.process);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Median over rounds of each round's figure: one noisy round does not decide.
  const med = (name: "consult" | "reference", f: (r: RoundResult) => number) => median(runs[name].map(f));
  const fig = (f: (r: RoundResult) => number) => ({ consult: med("consult", f), reference: med("reference", f) });
  const rows: Row[] = [
    {
      metric: "connect + first sync p50",
      ...fig((r) => percentile(r.joinTimes, 50)),
      unit: "ms",
      better: "lower",
      target: "≤ 1.0× (accepted ≤ 1.5×)",
    },
    { metric: "connect + first sync p95", ...fig((r) => percentile(r.joinTimes, 95)), unit: "ms", better: "lower" },
    {
      metric: "server CPU per connection",
      ...fig((r) => r.cpuPerJoin),
      unit: "ms",
      better: "lower",
      target: "≤ 2 ms",
    },
    {
      metric: `ramp to ${cfg.connections} connections`,
      ...fig((r) => r.rampMs / 1000),
      unit: "s",
      better: "lower",
    },
    {
      metric: "RSS per connection",
      ...fig((r) => r.rssPerConnection / 1024),
      unit: "KiB",
      better: "lower",
      target: "≤ 1.0× (accepted ≤ 1.5×, ≤ 33 KB)",
    },
    { metric: "baseline RSS", ...fig((r) => r.baselineRss / 1048576), unit: "MiB", better: "lower" },
    { metric: "presence p50", ...fig((r) => percentile(r.awareness, 50)), unit: "ms", better: "lower" },
    {
      metric: "presence p99",
      ...fig((r) => percentile(r.awareness, 99)),
      unit: "ms",
      better: "lower",
      target: "≤ 2.0× in every round",
    },
  ];
  printTable("Joins and presence (median of rounds; ratio = consult / reference)", rows);
  const ratio = (row: Row) => row.consult / row.reference;
  const everyRound = runs.consult.every(
    (c, i) => percentile(c.awareness, 99) <= 2 * Math.max(percentile(runs.reference[i].awareness, 99), 1),
  );
  const checks = [
    { name: "connect + first sync p50 ≤ 1.5× reference (accepted)", ok: ratio(rows[0]) <= 1.5 },
    { name: "server CPU per connection ≤ 2 ms", ok: rows[2].consult <= 2 },
    {
      name: "RSS per connection ≤ 1.5× reference and ≤ 33 KB (accepted)",
      ok: ratio(rows[4]) <= 1.5 && rows[4].consult * 1024 <= 33_000,
    },
    { name: "presence p99 ≤ 2× reference in every round", ok: everyRound },
  ];
  for (const ch of checks) console.log(`   ${ch.ok ? "MET " : "MISS"}  ${ch.name}`);
  return { ok: checks.every((ch) => ch.ok) };
}
