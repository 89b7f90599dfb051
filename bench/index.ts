/**
 * `npm run bench`: every benchmark prints its figures next to a reference measured in the same run.
 * Settings: BENCH_DOCS, BENCH_CLIENTS, BENCH_RATE, BENCH_SECONDS, BENCH_COLD_EDITS, BENCH_COLD_JOINS, BENCH_ROUNDS.
 */
import { benchCollab } from "./collab";

process.env.LOG_LEVEL ??= "silent";
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const started = Date.now();
const collab = await benchCollab({
  docs: num("BENCH_DOCS", 20),
  clientsPerDoc: num("BENCH_CLIENTS", 10),
  editsPerSecond: num("BENCH_RATE", 2),
  seconds: num("BENCH_SECONDS", 15),
  coldJoinEdits: num("BENCH_COLD_EDITS", 20_000),
  coldJoins: num("BENCH_COLD_JOINS", 7),
  rounds: num("BENCH_ROUNDS", 2),
});
console.log(`\nbench finished in ${Math.round((Date.now() - started) / 1000)} s: targets ${collab.ok ? "met" : "not all met"}`);
process.exit(0);
