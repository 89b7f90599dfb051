import { describe, expect, it } from "vitest";
import { RevocableCache } from "./revocable-cache";

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe("RevocableCache", () => {
  it("loads a key once for concurrent readers and answers from memory until the TTL", async () => {
    let now = 0;
    const cache = new RevocableCache<string>(1000, 10, () => now);
    let loads = 0;
    const load = async () => `v${++loads}`;
    const all = await Promise.all([cache.get("a", load), cache.get("a", load), cache.get("a", load)]);
    expect(all).toEqual(["v1", "v1", "v1"]);
    now = 999;
    expect(await cache.get("a", load)).toBe("v1");
    now = 1000;
    expect(await cache.get("a", load)).toBe("v2");
  });

  it("never caches null, and drops an entry its validity check refuses", async () => {
    const cache = new RevocableCache<string>(60_000);
    let loads = 0;
    expect(await cache.get("a", async () => (loads++, null))).toBeNull();
    expect(await cache.get("a", async () => (loads++, null))).toBeNull();
    expect(loads).toBe(2);
    await cache.get("b", async () => "old");
    expect(
      await cache.get(
        "b",
        async () => "new",
        (v) => v !== "old",
      ),
    ).toBe("new");
  });

  it("a load running when something is revoked is neither kept nor returned: it is read again", async () => {
    const cache = new RevocableCache<string>(60_000);
    const first = deferred<string>();
    const reads: string[] = [];
    let n = 0;
    const load = () => {
      n++;
      if (n === 1) return first.promise;
      reads.push("fresh");
      return Promise.resolve("after revocation");
    };
    const pending = cache.get("a", load);
    cache.forget((_, key) => key === "a");
    first.resolve("before revocation");
    expect(await pending).toBe("after revocation");
    expect(await cache.get("a", load)).toBe("after revocation");
    expect(reads).toEqual(["fresh"]);
  });

  it("forgets what the predicate selects, keeps the rest, and stays within its size", async () => {
    const cache = new RevocableCache<{ user: string }>(60_000, 2);
    await cache.get("s1", async () => ({ user: "u1" }));
    await cache.get("s2", async () => ({ user: "u2" }));
    cache.forget((v) => v.user === "u1");
    expect(await cache.get("s1", async () => ({ user: "u1-again" }))).toEqual({ user: "u1-again" });
    expect(await cache.get("s2", async () => ({ user: "reloaded" }))).toEqual({ user: "u2" });
    await cache.get("s3", async () => ({ user: "u3" }));
    expect(cache.size).toBe(2);
  });
});
