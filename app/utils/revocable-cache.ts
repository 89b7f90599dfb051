/**
 * A small read-through cache for facts that access decisions are made from (sessions, a document's
 * members), safe against revocation (ADR 032):
 * - concurrent reads of one key share one load (200 people opening the minutes at 9 o'clock load each
 *   session and the document's facts once);
 * - entries live `ttlMs` at most (the backstop for changes no event announces);
 * - `forget` drops entries, and a load that was running when something was forgotten is not kept and
 *   is run again before it is returned, so no caller ever gets a value read before the last revocation.
 */
export class RevocableCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly loading = new Map<string, { promise: Promise<V | null>; epoch: number }>();
  /** Moves on every forget: a load that started in an older epoch may have read revoked facts. */
  private epoch = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The cached value, or `load()`'s (null is returned and never cached). */
  async get(key: string, load: () => Promise<V | null>, valid?: (value: V) => boolean): Promise<V | null> {
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.until > this.now() && (!valid || valid(hit.value))) return hit.value;
      this.entries.delete(key);
    }
    for (let attempt = 0; ; attempt++) {
      const epoch = this.epoch;
      let flight = this.loading.get(key);
      if (!flight || flight.epoch !== epoch) {
        // The bookkeeping runs before any caller sees the value: a read right after it finds the entry.
        const done = () => {
          if (this.loading.get(key) === mine) this.loading.delete(key);
        };
        const mine: { promise: Promise<V | null>; epoch: number } = {
          epoch,
          promise: load().then(
            (value) => {
              done();
              if (value !== null && this.epoch === epoch) this.put(key, value);
              return value;
            },
            (error: unknown) => {
              done();
              throw error;
            },
          ),
        };
        flight = mine;
        this.loading.set(key, mine);
      }
      const value = await flight.promise;
      // Something was revoked while it loaded: read again (a revocation storm gives up after a few tries
      // and answers with the latest read, which started after all but the last revocations).
      if (this.epoch === epoch || attempt >= 3) return value;
    }
  }

  /** Forgets the entries `match` selects (all without it); loads running now are not kept. */
  forget(match?: (value: V, key: string) => boolean): void {
    this.epoch++;
    if (!match) {
      this.entries.clear();
      return;
    }
    for (const [key, entry] of this.entries) if (match(entry.value, key)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private put(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
    // Oldest first out (Map keeps insertion order).
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
