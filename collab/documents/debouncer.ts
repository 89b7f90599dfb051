export interface DebouncerOptions<K> {
  /** Quiet time: a key runs this long after it was last scheduled. */
  waitMs: number;
  /** Longest a key waits after the first schedule since it last ran, however often it is scheduled again. */
  maxWaitMs?: number;
  /** Keep the process alive while a run is pending (timers are unref'd otherwise). */
  keepAlive?: boolean;
  /**
   * The work for a key. A run the timer starts must report its own errors (a rejection is ignored
   * there); `flush` returns the run's promise.
   */
  run(key: K): Promise<void> | void;
}

export interface Debouncer<K> {
  /** Runs `key` after `waitMs` of quiet (restarting the wait), at the latest `maxWaitMs` after its first schedule. */
  schedule(key: K): void;
  /** Runs `key` after exactly `delayMs` (a retry), replacing its timer; its max-wait window is kept. */
  scheduleIn(key: K, delayMs: number): void;
  isScheduled(key: K): boolean;
  /** Runs `key` now if it is scheduled, and waits for that run. */
  flush(key: K): Promise<void>;
  /** Runs every scheduled key now, and waits for those runs. */
  flushAll(): Promise<void>;
  /** Forgets `key`'s pending run. */
  cancel(key: K): void;
}

interface Pending {
  timer: NodeJS.Timeout;
  /** When the first schedule since the last run happened (null: only a retry is pending). */
  firstAt: number | null;
}

/**
 * One debouncer per concern, keyed (by document): persistence, automatic versions and derived items
 * each wait for a pause in a document's changes, some at most so long, and flush when the document
 * is stored or the server stops.
 */
export function createDebouncer<K>(options: DebouncerOptions<K>): Debouncer<K> {
  const pending = new Map<K, Pending>();

  const start = (key: K): void | Promise<void> => {
    pending.delete(key);
    return options.run(key);
  };

  const arm = (key: K, delayMs: number, firstAt: number | null) => {
    const previous = pending.get(key);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => {
      const result = start(key);
      if (result) result.catch(() => undefined);
    }, delayMs);
    if (!options.keepAlive) timer.unref();
    pending.set(key, { timer, firstAt });
  };

  const flush = async (key: K): Promise<void> => {
    const entry = pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    await start(key);
  };

  return {
    schedule(key) {
      const now = Date.now();
      const firstAt = pending.get(key)?.firstAt ?? now;
      const delay =
        options.maxWaitMs === undefined
          ? options.waitMs
          : Math.max(0, Math.min(options.waitMs, options.maxWaitMs - (now - firstAt)));
      arm(key, delay, firstAt);
    },
    scheduleIn(key, delayMs) {
      arm(key, delayMs, pending.get(key)?.firstAt ?? null);
    },
    isScheduled(key) {
      return pending.has(key);
    },
    flush,
    async flushAll() {
      await Promise.all([...pending.keys()].map(flush));
    },
    cancel(key) {
      const entry = pending.get(key);
      if (!entry) return;
      clearTimeout(entry.timer);
      pending.delete(key);
    },
  };
}
