import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { runSearchIndex } from "../app/services/search/search-indexer.server";

/**
 * The search index's job in this process (ADR 028), on its own timer chain like the scheduler's jobs (ADR 009):
 * every `intervalMs` it re-indexes what is marked dirty (one read when nothing is), and sweeps every source
 * `firstSweepMs` after start and every `sweepMs` after that. Timers are unref'd, errors logged, stop() waits for
 * a run in flight.
 */

export interface SearchIndexerOptions {
  /** Default on, also under tests: search results come from it. */
  enabled?: boolean;
  /** Time between runs (default 2 s). */
  intervalMs?: number;
  /** Time between full sweeps (default 5 min). */
  sweepMs?: number;
  /**
   * Time from start to the first sweep (default 30 s): a sweep reads every source (seconds on a large database),
   * which a restart's first requests should not wait behind (ADR 030). Marked records are indexed from the
   * first run on.
   */
  firstSweepMs?: number;
}

export interface SearchIndexer {
  readonly enabled: boolean;
  stop(): Promise<void>;
}

export function startSearchIndexer(log: (msg: string) => void, options: SearchIndexerOptions = {}): SearchIndexer {
  const enabled = options.enabled ?? true;
  const intervalMs = options.intervalMs ?? 2000;
  const sweepMs = options.sweepMs ?? 300_000;
  const firstSweepMs = options.firstSweepMs ?? 30_000;
  const holder = `${hostname()}:${process.pid}:search:${randomBytes(4).toString("hex")}`;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let nextSweep = Date.now() + firstSweepMs;

  const runOnce = async () => {
    const sweep = Date.now() >= nextSweep;
    try {
      const r = await runSearchIndex({ holder, sweep, signal: abort.signal, log });
      if (sweep && r.ran) nextSweep = Date.now() + sweepMs;
      if (r.indexed + r.removed > 20 || r.marked)
        log(`[search] ${r.indexed} indexed, ${r.removed} removed, ${r.marked} marked by the sweep`);
    } catch (err) {
      log(`[search] run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };

  const schedule = (delayMs: number) => {
    if (abort.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      inFlight = runOnce().finally(() => {
        inFlight = undefined;
        schedule(intervalMs);
      });
    }, delayMs);
    timer.unref();
  };

  if (enabled) schedule(Math.min(1000, intervalMs));
  return {
    enabled,
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
