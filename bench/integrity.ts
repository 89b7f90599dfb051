/**
 * Cost of the integrity guard (collab/documents/integrity.ts) per honest typing update, on a document
 * of BENCH_INTEGRITY_CHARS characters (30,000) typed by three writers: the server's own work for one
 * update (decode the frame's update to validate it, apply it, encode the broadcast frame) with and
 * without the guard, in alternating rounds. Leaves out the WebSocket, extensions and database, so
 * the overhead is a share of much less than the real per-edit CPU (that share is measured by
 * tests/collab/integrity-cost.test.ts). Also prints what a refusal costs (rebuilding the document)
 * and what the long-walk fallback costs (numbering a list).
 *
 *   node --import tsx bench/integrity.ts        (or BENCH_ONLY=integrity npm run bench)
 */
import { pathToFileURL } from "node:url";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { capturePending, findViolation, guardIntegrity } from "../collab/documents/integrity";
import { craftItemUpdate, crossedOriginsIn } from "../tests/collab/crafted-update";

const LOAD = Symbol("load");
const letters = "会商纪要司法局法院检察院意见建议落实情况abcdefgh ，。";

function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

export const paragraphsOf = (doc: Y.Doc) =>
  doc
    .getXmlFragment("default")
    .toArray()
    .flatMap((p) => (p instanceof Y.XmlElement && p.firstChild instanceof Y.XmlText ? [p.firstChild] : []));

/** Three writers build an editor document of `chars` characters in bursts, with deletions and formatting. */
export function buildDocument(chars: number): Uint8Array {
  const rnd = prng(7);
  const writers = [11, 22, 33].map((clientID) => {
    const d = new Y.Doc();
    d.clientID = clientID;
    return d;
  });
  const sync = () => {
    for (const a of writers) {
      for (const b of writers) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    }
  };
  const length = (d: Y.Doc) => paragraphsOf(d).reduce((n, t) => n + t.length, 0);
  while (length(writers[0]) < chars) {
    for (const w of writers) {
      const fragment = w.getXmlFragment("default");
      const texts = paragraphsOf(w);
      if (texts.length === 0 || rnd(25) === 0) {
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText()]);
        fragment.insert(rnd(fragment.length + 1), [p]);
        continue;
      }
      const t = texts[rnd(texts.length)];
      const at = rnd(t.length + 1);
      // A burst of typing: one character per transaction, as an editor sends them.
      const burst = 1 + rnd(40);
      for (let i = 0; i < burst; i++) t.insert(at + i, letters[rnd(letters.length)]);
      if (t.length > 10 && rnd(4) === 0) t.delete(rnd(t.length - 5), 1 + rnd(4));
      if (t.length > 10 && rnd(6) === 0) t.format(rnd(t.length - 5), 1 + rnd(5), { bold: true });
    }
    if (rnd(3) === 0) sync();
  }
  sync();
  return Y.encodeStateAsUpdate(writers[0]);
}

/** Honest typing updates against `state`: three typists, each at its own place, seeing the others every 10 keys. */
function typingUpdates(state: Uint8Array, count: number): Uint8Array[] {
  const rnd = prng(99);
  const updates: Uint8Array[] = [];
  const typists = [101, 202, 303].map((clientID) => {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    Y.applyUpdate(doc, state);
    doc.on("update", (u: Uint8Array, origin: unknown) => {
      if (origin !== LOAD) updates.push(u);
    });
    const texts = paragraphsOf(doc);
    return { doc, text: texts[rnd(texts.length)], cursor: 0 };
  });
  for (const t of typists) t.cursor = rnd(t.text.length + 1);
  for (let i = 0; updates.length < count; i++) {
    const t = typists[i % typists.length];
    if (rnd(40) === 0) t.cursor = rnd(t.text.length + 1);
    if (t.cursor > 0 && rnd(8) === 0) t.text.delete(--t.cursor, 1);
    else t.text.insert(t.cursor++, letters[rnd(letters.length)]);
    if (i % 30 === 29) {
      for (const a of typists) {
        for (const b of typists) {
          if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), LOAD);
        }
      }
      for (const x of typists) x.cursor = Math.min(x.cursor, x.text.length);
    }
  }
  return updates.slice(0, count);
}

/**
 * One server-side document served `updates`: the CPU microseconds spent, in total. `repeat` > 0
 * (unguarded) does the guard's checks that many times per transaction instead (capturing the pending
 * state when it starts, checking the items it added): timing them one by one would cost more than
 * they do, so the cost per check is read from the difference between repeat counts.
 */
function serve(state: Uint8Array, updates: Uint8Array[], mode: "plain" | "guarded", repeat = 0) {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, state, LOAD);
  let refused = 0;
  let sink = 0;
  doc.on("update", (update: Uint8Array) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, update);
    sink += encoding.length(e);
  });
  if (mode === "guarded") guardIntegrity(doc, { checks: (origin) => origin !== LOAD, onRefused: () => refused++ });
  if (repeat > 0) {
    doc.on("beforeTransaction", () => {
      for (let i = 0; i < repeat; i++) capturePending(doc);
    });
    doc.on("beforeObserverCalls", (tr: Y.Transaction) => {
      for (let i = 0; i < repeat; i++) if (findViolation(tr)) refused++;
    });
  }
  const connection = { id: 1 };
  const before = process.cpuUsage();
  for (const update of updates) {
    Y.decodeUpdate(update);
    Y.applyUpdate(doc, update, connection);
  }
  const used = process.cpuUsage(before);
  if (sink === 0) throw new Error("nothing broadcast");
  if (refused) throw new Error(`${refused} honest updates refused`);
  doc.destroy();
  return used.user + used.system;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const REPEAT = 20;

/**
 * CPU per update (µs, medians of `rounds` alternating runs) serving `updates` on `state` without
 * and with the guard, and the guard's checks alone: the extra CPU of REPEAT checks per transaction,
 * divided (the difference of the first two also holds the event dispatch, and run-to-run noise).
 */
export function measureGuard(state: Uint8Array, updates: Uint8Array[], rounds: number) {
  const perUpdate = (mode: "plain" | "guarded", repeat = 0) => serve(state, updates, mode, repeat) / updates.length;
  perUpdate("plain");
  perUpdate("guarded");
  const plain: number[] = [];
  const guarded: number[] = [];
  const checks: number[] = [];
  // Alternating A B B A, so neither side always runs first.
  for (let r = 0; r < rounds; r++) {
    if (r % 2) guarded.push(perUpdate("guarded"));
    plain.push(perUpdate("plain"));
    if (r % 2 === 0) guarded.push(perUpdate("guarded"));
    checks.push((perUpdate("plain", REPEAT + 1) - perUpdate("plain", 1)) / REPEAT);
  }
  return { plain: median(plain), guarded: median(guarded), checks: median(checks) };
}

export async function benchIntegrity(opts: {
  chars: number;
  updates: number;
  rounds: number;
}): Promise<{ ok: boolean }> {
  const t0 = performance.now();
  const state = buildDocument(opts.chars);
  const check = new Y.Doc();
  Y.applyUpdate(check, state);
  const structs = [...check.store.clients.values()].reduce((n, s) => n + s.length, 0);
  const paragraphs = paragraphsOf(check).length;
  console.log(
    `\nintegrity guard: ${opts.chars.toLocaleString()}-character document (${paragraphs} paragraphs, ` +
      `${structs} structs, ${(state.byteLength / 1024).toFixed(0)} KiB), ` +
      `built in ${Math.round(performance.now() - t0)} ms`,
  );
  const updates = typingUpdates(state, opts.updates);
  const { plain: p, guarded: g, checks: c } = measureGuard(state, updates, opts.rounds);
  const what = `${updates.length} typing updates from 3 writers, ${opts.rounds} alternating rounds`;
  console.log(`  ${what}, median CPU per update:`);
  console.log(`  decode + apply + broadcast frame: ${p.toFixed(1)} µs without the guard, ${g.toFixed(1)} µs with it`);
  console.log(
    `  guard: +${(g - p).toFixed(1)} µs per update (${(((g - p) / p) * 100).toFixed(1)} % of this minimal path; ` +
      `its checks alone, from ${REPEAT}× repeated checks: ${c.toFixed(2)} µs)`,
  );
  console.log(
    "  the target (< 10 % of the server's CPU per edit, WebSocket, extensions and storage included) is measured by\n" +
      "  BENCH_INTEGRITY=1 npx vitest run tests/collab/integrity-cost.test.ts",
  );

  // What a refusal costs: the check, then rebuilding the document as it was before the update.
  const run = paragraphsOf(check).find((t) => {
    for (let it = t._start; it; it = it.right) if (!it.deleted && it.length >= 3) return true;
    return false;
  });
  if (!run) throw new Error("no run of three characters");
  const victim = new Y.Doc();
  Y.applyUpdate(victim, state, LOAD);
  let refusals = 0;
  guardIntegrity(victim, { checks: (origin) => origin !== LOAD, onRefused: () => refusals++ });
  const crafted = craftItemUpdate(check, crossedOriginsIn(run));
  const refuseStart = performance.now();
  Y.applyUpdate(victim, crafted, { id: 2 });
  const refuseMs = performance.now() - refuseStart;
  if (refusals !== 1) throw new Error("crafted update not refused");
  console.log(`  one refused crossed-origins update (check and rebuild of the document): ${refuseMs.toFixed(1)} ms`);

  // The long-walk fallback: a list of single-character items from two writers (nothing merges),
  // and an item whose walk passes the limit, so the list is numbered once.
  const long = new Y.Doc();
  for (let i = 0; i < opts.chars; i++) {
    long.clientID = 1 + (i % 2);
    long.getText("long").insert(i, "x");
  }
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(long), LOAD);
  guardIntegrity(server, { checks: (origin) => origin !== LOAD, onRefused: () => refusals++ });
  const items: Y.Item[] = [];
  for (let it = server.getText("long")._start; it; it = it.right) items.push(it);
  const wide = { origin: items[100].id, rightOrigin: items[items.length - 1].id };
  const far = craftItemUpdate(server, wide, { name: "long" });
  const farStart = performance.now();
  Y.applyUpdate(server, far, { id: 3 });
  console.log(
    `  a wide item across a ${items.length}-item list (walk limit passed, list numbered, refused): ` +
      `${(performance.now() - farStart).toFixed(1)} ms`,
  );
  // Nothing refused (serve throws otherwise); the share of the real per-edit CPU is the test's to judge.
  return { ok: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const result = await benchIntegrity({
    chars: num("BENCH_INTEGRITY_CHARS", 30_000),
    updates: num("BENCH_INTEGRITY_UPDATES", 5000),
    rounds: num("BENCH_INTEGRITY_ROUNDS", 9),
  });
  void result;
}
