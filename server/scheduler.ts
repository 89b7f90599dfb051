import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { getEnv } from "../app/env.server";
import type { EventBus } from "../app/domain/events";
import { runReminders } from "../app/services/reminders.server";
import { runWebhookDeliveries } from "../app/services/webhooks.server";

/**
 * Scheduled jobs of one server process (ADR 009). Each job runs on a timer chain (the next run is
 * scheduled when the previous one ends, so runs never overlap), its timers are unref'd (they never
 * keep the process alive), errors are logged and never escape, and stop() waits for a run in flight
 * after asking it to stop at the next item. Several processes may run the same jobs: the reminders
 * job takes a lease and its reminder key makes every send happen once.
 */

export interface SchedulerOptions {
  /** Default: REMINDERS_ENABLED, else on (off under NODE_ENV=test so tests opt in). */
  enabled?: boolean;
  /** Time between runs; default REMINDER_INTERVAL_SECONDS. */
  intervalMs?: number;
  /** Limit the reminder scan to items convened by these orgs (tests on a shared database). */
  scope?: { ownerOrgIds?: string[] };
}

export interface Scheduler {
  readonly enabled: boolean;
  /** This process's lease holder id (host:pid:random). */
  readonly holder: string;
  /** Number of completed reminder runs (including ones that found another process holding the lease). */
  readonly runs: number;
  stop(): Promise<void>;
}

/** The first run comes this soon after start (or after one interval, if shorter). */
const FIRST_RUN_DELAY_MS = 10_000;

export function startScheduler(
  deps: { events: EventBus; log: (msg: string) => void },
  options: SchedulerOptions = {},
): Scheduler {
  const env = getEnv();
  const enabled = options.enabled ?? env.REMINDERS_ENABLED ?? env.NODE_ENV !== "test";
  const intervalMs = options.intervalMs ?? env.REMINDER_INTERVAL_SECONDS * 1000;
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let runs = 0;

  const runOnce = async () => {
    const started = Date.now();
    try {
      const r = await runReminders(new Date(), {
        holder,
        events: deps.events,
        signal: abort.signal,
        scope: options.scope,
        log: deps.log,
      });
      if (r.sent || r.failed || r.alreadySent || (r.ran && !r.complete && !abort.signal.aborted)) {
        deps.log(
          `[reminders] ${r.sent} sent (${r.notifications} notifications), ${r.alreadySent} already sent elsewhere, ${r.stale} changed, ${r.failed} failed; ${r.scanned} items and recommendations in ${Date.now() - started} ms${r.complete ? "" : ", stopped early"}`,
        );
      }
    } catch (err) {
      deps.log(`[reminders] run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    } finally {
      runs++;
    }
    // Outbound webhooks (ADR 027): the deliveries queued so far, under the `webhooks` lease.
    if (abort.signal.aborted) return;
    try {
      const w = await runWebhookDeliveries(new Date(), { holder });
      if (w.delivered || w.retried || w.failed)
        deps.log(`[webhooks] ${w.delivered} delivered, ${w.retried} to retry, ${w.failed} failed`);
    } catch (err) {
      deps.log(`[webhooks] run failed: ${err instanceof Error ? err.message : String(err)}`);
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

  if (enabled) schedule(Math.min(FIRST_RUN_DELAY_MS, intervalMs));

  return {
    enabled,
    holder,
    get runs() {
      return runs;
    },
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
