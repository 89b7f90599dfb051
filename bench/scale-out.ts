/**
 * Scale-out benchmark: two app processes behind nginx on PostgreSQL + Redis (scripts/scale-out.sh).
 * D documents × C clients, all connected through nginx (round robin, so each document has clients
 * on both processes); each client inserts a token R times a second for T seconds. Every delivery
 * of an edit to another client is one sample, classed by whether sender and receiver are on the
 * same process (the reference, measured in the same run) or on different ones (relayed by Redis).
 */
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { createDocument, health, signIn, startStack } from "../tests/scale-out/stack";
import { percentile, printTable, sleep, type Row } from "./lib";

export interface ScaleOutBenchConfig {
  docs: number;
  clientsPerDoc: number;
  editsPerSecond: number;
  seconds: number;
}

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  process: 0 | 1;
}

function connect(lb: string, documentId: string, cookie: string): Omit<Client, "process"> {
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { Origin: lb, Cookie: cookie } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${lb.replace(/^http/, "ws")}/collab`, documentId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 1000,
  });
  return { doc, provider };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) return false;
    await sleep(10);
  }
  return true;
}

export async function benchScaleOut(cfg: ScaleOutBenchConfig): Promise<{ ok: boolean }> {
  console.log(
    `\n== scale-out: ${cfg.docs} documents × ${cfg.clientsPerDoc} clients through nginx to 2 processes, ${cfg.editsPerSecond} edits/s each for ${cfg.seconds} s`,
  );
  const t0 = Date.now();
  const stack = startStack({
    name: "scale-out-bench",
    lbPort: 3280,
    appPorts: [3281, 3282],
    redisPort: 6392,
    pgPort: 54335,
  });
  console.log(`   stack up in ${Math.round((Date.now() - t0) / 1000)} s (PostgreSQL, Redis, 2 processes, nginx)`);
  const clients: Client[][] = [];
  try {
    // Ten demo users of four agencies (a user may hold 30 connections per process).
    const usernames = [
      "sfj.coord",
      "court.drafter",
      "sfj.drafter",
      "court.liaison",
      "procu.coord",
      "jw.coord",
      "sfj.publisher",
      "court.publisher",
      "procu.liaison",
      "admin",
    ];
    const cookies: string[] = [];
    for (const u of usernames) cookies.push(await signIn(stack.lb, u));
    const documentIds: string[] = [];
    for (let d = 0; d < cfg.docs; d++)
      documentIds.push(
        await createDocument(stack.lb, cookies[0], stack.databaseUrl, `扩展基准 ${d + 1}`, "示例市司法局", [
          "示例市中级人民法院",
          "示例市人民检察院",
          "示例市纪委监委",
        ]),
      );

    // Connect one client at a time and ask process 1 whether it gained the connection.
    let onFirst = (await health(stack.apps[0]))!.collab;
    for (const [d, documentId] of documentIds.entries()) {
      const row: Client[] = [];
      for (let c = 0; c < cfg.clientsPerDoc; c++) {
        const cl = connect(stack.lb, documentId, cookies[c % cookies.length]);
        if (!(await waitFor(() => cl.provider.synced, 15_000))) throw new Error(`client ${d}:${c} did not sync`);
        const now = (await health(stack.apps[0]))!.collab;
        row.push({ ...cl, process: now > onFirst ? 0 : 1 });
        onFirst = now;
      }
      clients.push(row);
    }
    const all = clients.flat();
    const split = [all.filter((c) => c.process === 0).length, all.filter((c) => c.process === 1).length];
    console.log(`   ${all.length} clients connected: ${split[0]} on process 1, ${split[1]} on process 2`);

    const sent = new Map<string, { t0: number; from: 0 | 1 }>();
    const samples = { same: [] as number[], cross: [] as number[] };
    const expected = new Map<string, number>();
    // eslint-disable-next-line no-control-regex -- tokens are framed by STX/ETX so typed text never matches
    const TOKEN = /\u0002(\d+:\d+:\d+)\u0003/g;
    for (const row of clients) {
      for (const cl of row) {
        cl.doc.getText("t").observe((event) => {
          if (event.transaction.local) return;
          const now = performance.now();
          for (const op of event.changes.delta) {
            if (typeof op.insert !== "string") continue;
            for (const m of op.insert.matchAll(TOKEN)) {
              const s = sent.get(m[1]);
              if (!s) continue;
              (s.from === cl.process ? samples.same : samples.cross).push(now - s.t0);
              expected.set(m[1], (expected.get(m[1]) ?? 0) - 1);
            }
          }
        });
      }
    }

    const run = async (seconds: number) => {
      const interval = 1000 / cfg.editsPerSecond;
      const end = performance.now() + seconds * 1000;
      const timers: NodeJS.Timeout[] = [];
      let seq = 0;
      clients.forEach((row, d) =>
        row.forEach((cl, c) => {
          const tick = () => {
            if (performance.now() >= end) return;
            const text = cl.doc.getText("t");
            const id = `${d}:${c}:${seq++}`;
            sent.set(id, { t0: performance.now(), from: cl.process });
            expected.set(id, row.length - 1);
            text.insert(Math.floor(Math.random() * (text.length + 1)), `\u0002${id}\u0003`);
          };
          timers.push(
            setTimeout(() => {
              tick();
              timers.push(setInterval(tick, interval));
            }, Math.random() * interval),
          );
        }),
      );
      await sleep(seconds * 1000);
      for (const t of timers) clearInterval(t);
      await waitFor(() => [...expected.values()].every((n) => n <= 0), 10_000);
    };
    // Warm-up (JIT, connection pools), then the measured run.
    await run(2);
    samples.same.length = 0;
    samples.cross.length = 0;
    await run(cfg.seconds);
    const lost = [...expected.values()].filter((n) => n > 0).length;
    await sleep(300);
    const divergent = clients.filter((row) =>
      row.some((cl) => cl.doc.getText("t").toString() !== row[0].doc.getText("t").toString()),
    ).length;

    samples.same.sort((a, b) => a - b);
    samples.cross.sort((a, b) => a - b);
    const rows: Row[] = [
      {
        metric: "propagation p50",
        consult: percentile(samples.cross, 50),
        reference: percentile(samples.same, 50),
        unit: "ms",
        better: "lower",
      },
      {
        metric: "propagation p95",
        consult: percentile(samples.cross, 95),
        reference: percentile(samples.same, 95),
        unit: "ms",
        better: "lower",
      },
      {
        metric: "propagation p99",
        consult: percentile(samples.cross, 99),
        reference: percentile(samples.same, 99),
        unit: "ms",
        better: "lower",
        target: "both < 100 ms",
      },
      {
        metric: "deliveries measured",
        consult: samples.cross.length,
        reference: samples.same.length,
        unit: "count",
        better: "higher",
      },
      { metric: "divergent documents", consult: divergent, reference: 0, unit: "count", better: "lower", target: "0" },
      { metric: "edits never delivered", consult: lost, reference: 0, unit: "count", better: "lower", target: "0" },
    ];
    printTable(
      "Scale-out co-editing (consult = across processes via Redis, reference = within one process; same run)",
      rows,
    );
    const checks = [
      { name: "p99 across processes < 100 ms", ok: rows[2].consult < 100 },
      { name: "p99 within one process < 100 ms", ok: rows[2].reference < 100 },
      { name: "every document converged, nothing lost", ok: divergent === 0 && lost === 0 },
    ];
    for (const ch of checks) console.log(`   ${ch.ok ? "MET " : "MISS"}  ${ch.name}`);
    return { ok: checks.every((ch) => ch.ok) };
  } finally {
    for (const cl of clients.flat()) {
      cl.provider.destroy();
      cl.doc.destroy();
    }
    stack.stop();
  }
}
