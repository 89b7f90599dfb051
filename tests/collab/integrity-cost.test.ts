import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { buildDocument as buildEditorDocument, measureGuard, paragraphsOf } from "../../bench/integrity";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { connectClient, waitFor, type TestClient } from "./client";

/**
 * The integrity guard's share of the server's CPU per edit (opt-in: BENCH_INTEGRITY=1): the real
 * server in its own process, a 30,000-character document, 3 writers typing and 7 readers; the
 * server's CPU per edit from /proc, against the guard's own work per update measured here on the
 * very updates the writers sent.
 */
const children: ChildProcess[] = [];
const clients: TestClient[] = [];
afterAll(() => {
  for (const c of clients) c.destroy();
  for (const child of children) child.kill("SIGKILL");
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system) of a process so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

describe.runIf(process.env.BENCH_INTEGRITY)("integrity guard cost in the real server", () => {
  it("prints the server's CPU per typing edit and the guard's share of it", async () => {
    const org = await buildOrg({ kind: "JUSTICE_BUREAU" });
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) => buildUser({ org, role: "DRAFTER", displayName: `用户${i}` })),
    );
    const doc = await buildDocument({ ownerOrg: org, createdById: users[0].id });
    const cookies = await Promise.all(users.map((u) => buildSessionCookie(u.id)));
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "tests/collab/server-process.ts"], {
      env: { ...process.env, PORT: String(port) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    await new Promise<void>((resolve) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("READY") && resolve());
    });
    const origin = `http://127.0.0.1:${port}`;
    const all = cookies.map((c) => connectClient(origin, doc.id, c));
    clients.push(...all);
    await Promise.all(all.map((c) => c.synced()));
    const state = buildEditorDocument(Number(process.env.BENCH_INTEGRITY_CHARS ?? 30_000));
    Y.applyUpdate(all[0].doc, state);
    const vector = (c: TestClient) => Y.encodeStateVector(c.doc).toString();
    const sameAsFirst = () => all.every((c) => vector(c) === vector(all[0]));
    await waitFor(sameAsFirst, 20_000, "document loaded everywhere");

    const writers = all.slice(0, 3);
    const sent: Uint8Array[] = [];
    for (const w of writers) {
      w.doc.on("update", (u: Uint8Array, o: unknown) => {
        if (o !== w.provider) sent.push(u);
      });
    }
    const type = async (keys: number) => {
      const cursors = writers.map((w, i) => ({ text: paragraphsOf(w.doc)[10 + i * 20], at: 0 }));
      for (let k = 0; k < keys; k++) {
        const c = cursors[k % 3];
        c.at = Math.min(c.at, c.text.length);
        c.text.insert(c.at++, "字");
        // 3 writers × ~150 keystrokes/s (the throttle allows 200 messages/s per connection).
        if (k % 3 === 2) await new Promise((r) => setTimeout(r, 6));
      }
      await waitFor(sameAsFirst, 20_000, "every reader has every edit");
    };
    await type(600);
    const edits = Number(process.env.BENCH_INTEGRITY_EDITS ?? 3000);
    const start = Y.encodeStateAsUpdate(all[0].doc);
    const before = cpuMs(child.pid!);
    const t0 = performance.now();
    sent.length = 0;
    await type(edits);
    const seconds = (performance.now() - t0) / 1000;
    const serverMicros = ((cpuMs(child.pid!) - before) * 1000) / edits;
    const measured = sent.slice();
    // The guard's cost per update: with minus without, on the same updates in this process.
    const m = measureGuard(start, measured, 9);
    const guard = Math.max(m.guarded - m.plain, m.checks);
    console.log(
      `integrity guard in the real server: ${edits} edits in ${seconds.toFixed(1)} s from 3 writers, ` +
        `10 connections; server CPU per edit ${serverMicros.toFixed(0)} µs (guard included); guard ` +
        `${guard.toFixed(2)} µs per update (decode + apply + frame ${m.plain.toFixed(1)} µs without it, ` +
        `${m.guarded.toFixed(1)} µs with it; checks alone ${m.checks.toFixed(2)} µs) = ` +
        `${((guard / serverMicros) * 100).toFixed(1)} % of the server's CPU per edit`,
    );
    expect(guard / serverMicros).toBeLessThan(0.1);
  }, 120_000);
});
