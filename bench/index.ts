/**
 * `npm run bench`: every benchmark prints its figures next to a reference measured in the same run.
 * Settings: BENCH_DOCS, BENCH_CLIENTS, BENCH_RATE, BENCH_SECONDS, BENCH_COLD_EDITS, BENCH_COLD_JOINS, BENCH_ROUNDS
 * (co-editing); BENCH_JOIN_CLIENTS, BENCH_JOIN_DOCS, BENCH_CONNECTIONS, BENCH_CONNECTION_DOCS,
 * BENCH_AWARENESS_SAMPLES, BENCH_AWARENESS_INTERVAL, BENCH_JOIN_ROUNDS (joins and presence, issue 25); BENCH_LEDGER_ITEMS, BENCH_LEDGER_SAMPLES, BENCH_LEDGER_CONNECTIONS, BENCH_LEDGER_SECONDS,
 * BENCH_LEDGER_EXPORTS (ledger); BENCH_SCALE_DOCS, BENCH_SCALE_CLIENTS, BENCH_SCALE_RATE, BENCH_SCALE_SECONDS
 * (scale-out: PostgreSQL, Redis, two processes, nginx); BENCH_RESTART_STARTS (restart: starts per server, 5);
 * BENCH_ONLY=collab|joins|ledger|search|scale-out|restart runs one of them.
 * BENCH_ONLY=suggestions (not part of the full run) measures the 修订 review's cost per proposal update.
 * BENCH_ONLY=integrity (not part of the full run) measures the integrity guard's cost per typing update
 * (BENCH_INTEGRITY_CHARS, BENCH_INTEGRITY_UPDATES, BENCH_INTEGRITY_ROUNDS).
 * Search (ADR 028): BENCH_SEARCH_RECORDS (100,000), BENCH_SEARCH_SAMPLES, BENCH_SEARCH_REF_SAMPLES (the LIKE
 * reference), BENCH_SEARCH_DB (sqlite by default; postgres or sqlite,postgres), BENCH_SEARCH_PG_PORT (54481).
 * Restart (ADR 030): the built server (`npm run build`, which `npm run bench` runs first) from spawn to listening,
 * to /healthz and to a signed-in page, against the y-websocket server's start.
 */
import { benchCollab } from "./collab";
import { benchJoins } from "./joins";
import { benchIntegrity } from "./integrity";
import { benchSuggestions } from "./suggestions";
import { benchLedger } from "./ledger";
import { benchRestart } from "./restart";
import { benchScaleOut } from "./scale-out";
import { benchSearch } from "./search";

process.env.LOG_LEVEL ??= "silent";
// Each y-websocket provider in Node registers a process exit listener; hundreds of clients are expected here.
process.setMaxListeners(0);
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const only = process.env.BENCH_ONLY;

const started = Date.now();
const results: Array<{ ok: boolean }> = [];
if (!only || only === "collab") {
  results.push(
    await benchCollab({
      docs: num("BENCH_DOCS", 20),
      clientsPerDoc: num("BENCH_CLIENTS", 10),
      editsPerSecond: num("BENCH_RATE", 2),
      seconds: num("BENCH_SECONDS", 15),
      coldJoinEdits: num("BENCH_COLD_EDITS", 20_000),
      coldJoins: num("BENCH_COLD_JOINS", 7),
      rounds: num("BENCH_ROUNDS", 2),
    }),
  );
}
if (!only || only === "joins") {
  results.push(
    await benchJoins({
      joinClients: num("BENCH_JOIN_CLIENTS", 200),
      joinDocs: num("BENCH_JOIN_DOCS", 20),
      connections: num("BENCH_CONNECTIONS", 1000),
      connectionDocs: num("BENCH_CONNECTION_DOCS", 50),
      awarenessSamples: num("BENCH_AWARENESS_SAMPLES", 300),
      awarenessIntervalMs: num("BENCH_AWARENESS_INTERVAL", 20),
      rounds: num("BENCH_JOIN_ROUNDS", 3),
    }),
  );
}
if (!only || only === "ledger") {
  results.push(
    await benchLedger({
      items: num("BENCH_LEDGER_ITEMS", 10_000),
      samples: num("BENCH_LEDGER_SAMPLES", 30),
      connections: num("BENCH_LEDGER_CONNECTIONS", 20),
      seconds: num("BENCH_LEDGER_SECONDS", 10),
      exports: num("BENCH_LEDGER_EXPORTS", 3),
    }),
  );
}
if (only === "integrity") {
  results.push(
    await benchIntegrity({
      chars: num("BENCH_INTEGRITY_CHARS", 30_000),
      updates: num("BENCH_INTEGRITY_UPDATES", 5000),
      rounds: num("BENCH_INTEGRITY_ROUNDS", 9),
    }),
  );
}
if (only === "suggestions") {
  results.push(
    await benchSuggestions({
      chars: num("BENCH_SUGGEST_CHARS", 30_000),
      updates: num("BENCH_SUGGEST_UPDATES", 200),
      rounds: num("BENCH_SUGGEST_ROUNDS", 5),
    }),
  );
}
if (!only || only === "search") {
  results.push(
    await benchSearch({
      records: num("BENCH_SEARCH_RECORDS", 100_000),
      samples: num("BENCH_SEARCH_SAMPLES", 50),
      refSamples: num("BENCH_SEARCH_REF_SAMPLES", 5),
      // PostgreSQL doubles the case's ~11 minutes: BENCH_SEARCH_DB=postgres or sqlite,postgres asks for it.
      databases: (process.env.BENCH_SEARCH_DB ?? "sqlite")
        .split(",")
        .filter((d): d is "sqlite" | "postgres" => d === "sqlite" || d === "postgres"),
      pgPort: num("BENCH_SEARCH_PG_PORT", 54481),
    }),
  );
}
if (!only || only === "restart") {
  results.push(await benchRestart({ starts: num("BENCH_RESTART_STARTS", 5) }));
}
if (!only || only === "scale-out") {
  results.push(
    await benchScaleOut({
      docs: num("BENCH_SCALE_DOCS", 20),
      clientsPerDoc: num("BENCH_SCALE_CLIENTS", 10),
      editsPerSecond: num("BENCH_SCALE_RATE", 2),
      seconds: num("BENCH_SCALE_SECONDS", 15),
    }),
  );
}
console.log(
  `\nbench finished in ${Math.round((Date.now() - started) / 1000)} s: targets ${results.every((r) => r.ok) ? "met" : "not all met"}`,
);
process.exit(0);
