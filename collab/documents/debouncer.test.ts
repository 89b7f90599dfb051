import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDebouncer } from "./debouncer";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("per-key debouncer", () => {
  it("runs a key after a quiet time, each key on its own", () => {
    const runs: string[] = [];
    const d = createDebouncer<string>({ waitMs: 100, run: (key) => void runs.push(key) });
    d.schedule("a");
    vi.advanceTimersByTime(60);
    d.schedule("a");
    d.schedule("b");
    vi.advanceTimersByTime(60);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(runs).toEqual(["a", "b"]);
    expect(d.isScheduled("a")).toBe(false);
  });

  it("runs at the latest maxWaitMs after the first schedule, then opens a new window", () => {
    const at: number[] = [];
    const start = Date.now();
    const d = createDebouncer<string>({ waitMs: 100, maxWaitMs: 500, run: () => void at.push(Date.now() - start) });
    for (let t = 0; t < 700; t += 50) {
      d.schedule("k");
      vi.advanceTimersByTime(50);
    }
    vi.advanceTimersByTime(1000);
    expect(at).toEqual([500, 750]);
  });

  it("flush runs a scheduled key now and waits for it; cancel forgets it; scheduleIn sets an exact delay", async () => {
    const runs: string[] = [];
    const d = createDebouncer<string>({
      waitMs: 100,
      maxWaitMs: 500,
      run: async (key) => {
        await Promise.resolve();
        runs.push(key);
      },
    });
    d.schedule("a");
    d.schedule("b");
    await d.flush("a");
    expect(runs).toEqual(["a"]);
    await d.flush("a");
    expect(runs).toEqual(["a"]);
    d.cancel("b");
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(["a"]);
    d.scheduleIn("c", 1000);
    vi.advanceTimersByTime(999);
    expect(runs).toEqual(["a"]);
    d.schedule("c");
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toEqual(["a", "c"]);
    d.schedule("d");
    d.schedule("e");
    await d.flushAll();
    expect(runs).toEqual(["a", "c", "d", "e"]);
  });

  it("ignores a rejected run started by the timer; flush returns the rejection", async () => {
    const d = createDebouncer<string>({ waitMs: 10, run: () => Promise.reject(new Error("boom")) });
    d.schedule("a");
    await vi.advanceTimersByTimeAsync(20);
    d.schedule("a");
    await expect(d.flush("a")).rejects.toThrow("boom");
  });
});
