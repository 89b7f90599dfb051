import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CRAFTED_CLIENT, craftCrossedUpdate, craftItemUpdate } from "../../tests/collab/crafted-update";
import { guardIntegrity, HELD_LIMIT_BYTES, type IntegrityGuard, type IntegrityRefusal } from "./integrity";

const LOAD = "load";
const REMOTE = "remote";

/**
 * What the collab server does with a document: a guarded Y.Doc whose stored state loads unchecked,
 * whose accepted updates are "broadcast", and which is swapped for the restored Y.Doc on a refusal.
 */
function guardedServer(stored?: Uint8Array) {
  const refusals: IntegrityRefusal[] = [];
  const broadcast: Uint8Array[] = [];
  let doc = new Y.Doc();
  let guard: IntegrityGuard;
  const watch = (d: Y.Doc): IntegrityGuard => {
    d.on("update", (update: Uint8Array, origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
      if (origin !== LOAD && !guard.isRefused(tr)) broadcast.push(update);
    });
    return guardIntegrity(d, {
      checks: (origin) => origin !== LOAD,
      onRefused: (refusal) => {
        guard.detach();
        refusals.push(refusal);
        doc = refusal.restored;
        guard = watch(doc);
      },
    });
  };
  guard = watch(doc);
  if (stored) Y.applyUpdate(doc, stored, LOAD);
  return {
    get doc() {
      return doc;
    },
    refusals,
    broadcast,
    apply(update: Uint8Array, origin: unknown = "client") {
      Y.applyUpdate(doc, update, origin);
    },
  };
}

function replicaOf(source: Y.Doc | Uint8Array, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  Y.applyUpdate(doc, source instanceof Y.Doc ? Y.encodeStateAsUpdate(source) : source);
  return doc;
}

/** Everything a document shows: the text, the editor fragment (with formatting), a map. */
function content(doc: Y.Doc) {
  return {
    t: doc.getText("t").toDelta(),
    u: doc.getText("u").toString(),
    xml: doc.getXmlFragment("default").toString(),
    meta: doc.getMap("meta").toJSON(),
  };
}

function exchange(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE);
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}

/** A document with a run typed at once ("hello", one item) plus some other content. */
function seededDoc(): Y.Doc {
  const author = new Y.Doc();
  author.clientID = 11;
  author.getText("t").insert(0, "hello");
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText("一、会议概况")]);
  author.getXmlFragment("default").insert(0, [p]);
  author.getMap("meta").set("title", "会商纪要");
  author.getText("t").insert(5, " world");
  author.getText("t").delete(0, 1);
  return author;
}

describe("integrity guard: crossed origins", () => {
  it("without the guard, the crafted update makes a later joiner diverge from the clients that had it live", () => {
    const server = seededDoc();
    const live = replicaOf(server, 21);
    const bad = craftCrossedUpdate(server);
    Y.applyUpdate(server, bad);
    Y.applyUpdate(live, bad);
    const joiner = replicaOf(server);
    expect(live.getText("t").toString()).toBe(server.getText("t").toString());
    expect(joiner.getText("t").toString()).not.toBe(live.getText("t").toString());
  });

  it("detects the crafted crossed-origins item and restores the document as it was", () => {
    const stored = Y.encodeStateAsUpdate(seededDoc());
    const server = guardedServer(stored);
    const before = Y.encodeStateAsUpdate(server.doc);
    const beforeJson = content(server.doc);
    server.apply(craftCrossedUpdate(server.doc));
    expect(server.refusals).toHaveLength(1);
    expect(server.refusals[0].violation).toMatchObject({ kind: "crossed-origins", id: { client: CRAFTED_CLIENT } });
    expect(server.broadcast).toHaveLength(0);
    expect(content(server.doc)).toEqual(beforeJson);
    expect(Y.encodeStateAsUpdate(server.doc)).toEqual(before);
    expect(Y.encodeStateVector(server.doc)).toEqual(Y.encodeStateVector(replicaOf(stored)));
  });

  it("detects origins in two different lists, and a crossing found only after a long walk", () => {
    const author = new Y.Doc();
    author.clientID = 5;
    const other = new Y.Doc();
    other.clientID = 6;
    // 100 separate items: two writers alternate, so nothing merges.
    for (let i = 0; i < 100; i++) {
      const d = i % 2 ? other : author;
      d.getText("t").insert(d.getText("t").length, String(i % 10));
      exchange(author, other);
    }
    author.getText("u").insert(0, "elsewhere");
    exchange(author, other);
    const items: Y.Item[] = [];
    for (let it = author.getText("t")._start; it; it = it.right) items.push(it);
    expect(items.length).toBe(100);
    const uStart = author.getText("u")._start;
    if (!uStart) throw new Error("no u");

    const twoLists = guardedServer(Y.encodeStateAsUpdate(author));
    twoLists.apply(craftItemUpdate(author, { origin: items[10].id, rightOrigin: uStart.id }));
    expect(twoLists.refusals.map((r) => r.violation.kind)).toEqual(["crossed-origins"]);

    // Right origin 5 items left of the origin: walking right from the new item never finds it
    // within the walk limit, the numbered list shows it on the wrong side.
    const longWalk = guardedServer(Y.encodeStateAsUpdate(author));
    longWalk.apply(craftItemUpdate(author, { origin: items[10].id, rightOrigin: items[5].id }));
    expect(longWalk.refusals.map((r) => r.violation.kind)).toEqual(["crossed-origins"]);
    expect(content(longWalk.doc)).toEqual(content(author));

    // The same origins the right way round: never neighbours either (item 5's right origin, item 6, is
    // between them), found in the numbered list too.
    const wide = guardedServer(Y.encodeStateAsUpdate(author));
    wide.apply(craftItemUpdate(author, { origin: items[5].id, rightOrigin: items[90].id }));
    expect(wide.refusals.map((r) => r.violation.kind)).toEqual(["origins-apart"]);
  });

  it("refuses an item whose origins were never neighbours (it diverges too), after a short or a long walk", () => {
    // Two writers, then an item claiming to go at the start of the text, right before its fifth
    // character: that character's own left origin lies between, so no honest client saw them side by side.
    const build = () => {
      const [a, b] = [1, 2].map((clientID) => {
        const d = new Y.Doc();
        d.clientID = clientID;
        return d;
      });
      a.getText("t").insert(0, "ab");
      exchange(a, b);
      a.getText("t").insert(1, "abc");
      b.getText("t").insert(1, "ab");
      exchange(a, b);
      return a;
    };
    const unguarded = build();
    const live = replicaOf(unguarded, 4);
    const wide = craftItemUpdate(unguarded, { origin: null, rightOrigin: Y.createID(1, 4) }, { client: 3, text: "Z" });
    Y.applyUpdate(unguarded, wide);
    Y.applyUpdate(live, wide);
    expect(live.getText("t").toString()).toBe(unguarded.getText("t").toString());
    expect(replicaOf(unguarded).getText("t").toString()).not.toBe(live.getText("t").toString());

    const server = guardedServer(Y.encodeStateAsUpdate(build()));
    server.apply(wide);
    expect(server.refusals.map((r) => r.violation.kind)).toEqual(["origins-apart"]);
    expect(server.doc.getText("t").toString()).toBe(build().getText("t").toString());
  });

  it("accepts an honest item with more than the walk limit of concurrent items between it and its origin", () => {
    const a = new Y.Doc();
    a.clientID = 1;
    const b = new Y.Doc();
    b.clientID = 2;
    a.getText("t").insert(0, "xy");
    exchange(a, b);
    const server = guardedServer(Y.encodeStateAsUpdate(a));
    // a prepends 100 characters at the gap (100 items with origin x); b inserts once, concurrently.
    for (let i = 0; i < 100; i++) a.getText("t").insert(1, "a");
    b.getText("t").insert(1, "B");
    server.apply(Y.encodeStateAsUpdate(a, Y.encodeStateVector(server.doc)));
    server.apply(Y.encodeStateAsUpdate(b, Y.encodeStateVector(server.doc)));
    expect(server.refusals).toHaveLength(0);
    exchange(a, b);
    expect(b.getText("t").toString()).toBe(`x${"a".repeat(100)}By`);
    expect(content(server.doc)).toEqual(content(b));
  });

  it("refuses the whole update: honest items and deletions sent with the crossed item are undone too", () => {
    const stored = Y.encodeStateAsUpdate(seededDoc());
    const server = guardedServer(stored);
    const bystander = replicaOf(stored, 31);
    const before = content(server.doc);
    const attacker = replicaOf(stored, CRAFTED_CLIENT - 1);
    const own: Uint8Array[] = [];
    attacker.on("update", (u: Uint8Array) => own.push(u));
    attacker.getText("t").delete(0, 4);
    attacker.getText("t").insert(0, "[inserted]");
    attacker.getXmlFragment("default").delete(0, 1);
    attacker.getMap("meta").set("title", "changed");
    server.apply(Y.mergeUpdates([...own, craftCrossedUpdate(server.doc)]));
    expect(server.refusals).toHaveLength(1);
    expect(server.broadcast).toHaveLength(0);
    expect(content(server.doc)).toEqual(before);
    expect(server.doc.getText("t").toString()).toBe("ello world");
    // A replica that never saw it converges with the restored document, then both keep editing.
    exchange(server.doc, bystander);
    expect(content(bystander)).toEqual(content(server.doc));
    bystander.getText("t").insert(0, "¶");
    server.doc.getText("t").insert(server.doc.getText("t").length, "!");
    exchange(server.doc, bystander);
    expect(content(bystander)).toEqual(content(server.doc));
    expect(content(replicaOf(server.doc))).toEqual(content(bystander));
    expect(bystander.getText("t").toString()).toBe("¶ello world!");
  });

  it("restores a document whose earlier deletions were garbage-collected, byte for byte", () => {
    const author = seededDoc();
    for (let i = 0; i < 20; i++) {
      author.getText("t").insert(author.getText("t").length, ` ${i}`);
      if (i % 3 === 0) author.getText("t").delete(2, 2);
    }
    const server = guardedServer();
    server.apply(Y.encodeStateAsUpdate(author));
    server.apply(Y.encodeStateAsUpdate(replicaOf(author), Y.encodeStateVector(server.doc)));
    const before = Y.encodeStateAsUpdate(server.doc);
    server.apply(craftCrossedUpdate(author));
    expect(server.refusals).toHaveLength(1);
    expect(Y.encodeStateAsUpdate(server.doc)).toEqual(before);
  });
});

describe("integrity guard: references to unknown items", () => {
  it("holds back what a sender's update cannot integrate yet, until that sender's next message brings it", () => {
    const stored = Y.encodeStateAsUpdate(seededDoc());
    const server = guardedServer(stored);
    const sender = { name: "writer" };
    const writer = replicaOf(stored, 99);
    const updates: Uint8Array[] = [];
    writer.on("update", (u: Uint8Array) => updates.push(u));
    writer.getText("t").insert(0, "ab");
    writer.getText("t").insert(2, "cd");
    writer.getText("t").delete(0, 1);
    // As when an edit typed right after reconnecting overtakes the sync step 2 carrying older ones.
    server.apply(updates[1], sender);
    server.apply(updates[2], sender);
    expect(server.doc.store.pendingStructs).toBeNull();
    expect(server.doc.store.pendingDs).toBeNull();
    expect(server.doc.getText("t").toString()).toBe("ello world");
    server.apply(updates[0], sender);
    expect(server.refusals).toHaveLength(0);
    expect(server.doc.getText("t").toString()).toBe(writer.getText("t").toString());
    expect(server.doc.getText("t").toString()).toBe("bcdello world");
  });

  it("a crafted item waiting for another writer's items is never integrated with them, and is refused later", () => {
    const stored = Y.encodeStateAsUpdate(seededDoc());
    const server = guardedServer(stored);
    const attacker = { name: "attacker" };
    const honest = { name: "honest" };
    const writer = replicaOf(stored, 77);
    writer.getText("t").insert(0, "abcdef");
    // Crossed origins among characters of client 77 the server does not have yet.
    server.apply(craftCrossedUpdate(writer), attacker);
    expect(server.refusals).toHaveLength(0);
    server.apply(Y.encodeStateAsUpdate(writer, Y.encodeStateVector(server.doc)), honest);
    expect(server.refusals).toHaveLength(0);
    expect(server.doc.getText("t").toString()).toBe(writer.getText("t").toString());
    expect(server.broadcast.some((u) => Y.parseUpdateMeta(u).to.has(CRAFTED_CLIENT))).toBe(false);
    // The attacker's next message retries what it holds: refused, and blamed on the attacker.
    const next = replicaOf(server.doc, CRAFTED_CLIENT - 1);
    let harmless: Uint8Array | null = null;
    next.on("update", (u: Uint8Array) => (harmless = u));
    next.getMap("meta").set("note", "…");
    if (!harmless) throw new Error("no update");
    server.apply(harmless, attacker);
    const refused = server.refusals.map((r) => [r.violation.kind, r.transaction.origin]);
    expect(refused).toEqual([["crossed-origins", attacker]]);
    expect(server.doc.getText("t").toString()).toBe(writer.getText("t").toString());
  });

  it("holds deletions of items not there yet for their sender", () => {
    const stored = Y.encodeStateAsUpdate(seededDoc());
    const server = guardedServer(stored);
    const sender = { name: "writer" };
    const other = replicaOf(stored, 88);
    other.getText("t").insert(0, "abc");
    const creation = Y.encodeStateAsUpdate(other, Y.encodeStateVector(server.doc));
    let deletion: Uint8Array | null = null;
    other.on("update", (u: Uint8Array) => (deletion = u));
    other.getText("t").delete(1, 1);
    if (!deletion) throw new Error("no deletion");
    server.apply(deletion, sender);
    expect(server.doc.store.pendingDs).toBeNull();
    server.apply(creation, sender);
    expect(server.refusals).toHaveLength(0);
    expect(server.doc.getText("t").toString()).toBe("acello world");
  });

  it("refuses what cannot be held: for an origin that is no object, or too much of it", () => {
    const stored = Y.encodeStateAsUpdate(seededDoc());
    const writer = replicaOf(stored, 66);
    writer.getText("t").insert(0, "abc");
    const ahead = craftItemUpdate(writer, { origin: Y.createID(66, 2), rightOrigin: null });
    const plain = guardedServer(stored);
    plain.apply(ahead, "not an object");
    expect(plain.refusals.map((r) => r.violation.kind)).toEqual(["missing-dependencies"]);
    expect(plain.doc.store.pendingStructs).toBeNull();

    const flood = guardedServer(stored);
    const text = "x".repeat(HELD_LIMIT_BYTES + 1000);
    const huge = craftItemUpdate(writer, { origin: Y.createID(66, 2), rightOrigin: null }, { text });
    flood.apply(huge, { name: "flooder" });
    expect(flood.refusals.map((r) => r.violation.kind)).toEqual(["missing-dependencies"]);
    expect(flood.doc.store.pendingStructs).toBeNull();
  });

  it("keeps pending state of unchecked origins; a checked update that completes it is accepted", () => {
    const base = seededDoc();
    const stored = Y.encodeStateAsUpdate(base);
    const server = guardedServer(stored);
    const writer = replicaOf(stored, 99);
    const updates: Uint8Array[] = [];
    writer.on("update", (u: Uint8Array) => updates.push(u));
    writer.getText("t").insert(0, "ab");
    writer.getText("t").insert(2, "cd");
    writer.getText("t").delete(0, 1);
    // The second and third arrive first, from a trusted source (another process): kept pending.
    server.apply(updates[1], LOAD);
    server.apply(updates[2], LOAD);
    expect(server.doc.store.pendingStructs).not.toBeNull();
    // An unrelated client update is not blamed for it.
    const bystander = replicaOf(stored, 98);
    bystander.getText("u").insert(0, "x");
    server.apply(Y.encodeStateAsUpdate(bystander, Y.encodeStateVector(server.doc)));
    // The first arrives from the writer: everything integrates.
    server.apply(updates[0]);
    expect(server.refusals).toHaveLength(0);
    expect(server.doc.store.pendingStructs).toBeNull();
    expect(server.doc.getText("t").toString()).toBe(writer.getText("t").toString());
  });

  it("a refusal restores the pending state of unchecked origins as it was", () => {
    const stored = Y.encodeStateAsUpdate(seededDoc());
    const server = guardedServer(stored);
    const writer = replicaOf(stored, 99);
    const updates: Uint8Array[] = [];
    writer.on("update", (u: Uint8Array) => updates.push(u));
    writer.getText("t").insert(0, "ab");
    writer.getText("t").insert(2, "cd");
    server.apply(updates[1], LOAD);
    const missing = new Map(server.doc.store.pendingStructs?.missing);
    expect(missing.get(99)).toBeDefined();
    server.apply(craftCrossedUpdate(server.doc));
    expect(server.refusals).toHaveLength(1);
    expect(server.doc.store.pendingStructs?.missing).toEqual(missing);
    server.apply(updates[0], LOAD);
    expect(server.doc.getText("t").toString()).toBe(writer.getText("t").toString());
  });
});

/** Random editing of the text and the editor fragment, as the editor does it. */
function randomEdit(doc: Y.Doc, rnd: ReturnType<typeof prng>) {
  const letters = "会商纪要abcdefgh ";
  const word = () => Array.from({ length: 1 + rnd.int(5) }, () => letters[rnd.int(letters.length)]).join("");
  const text = doc.getText("t");
  const fragment = doc.getXmlFragment("default");
  const editText = (t: Y.Text | Y.XmlText) => {
    const len = t.length;
    const op = rnd.int(10);
    if (op < 5 || len === 0) t.insert(rnd.int(len + 1), word(), rnd.chance(0.2) ? { bold: true } : undefined);
    else if (op < 8) {
      const at = rnd.int(len);
      t.delete(at, 1 + rnd.int(Math.min(4, len - at)));
    } else {
      const at = rnd.int(len);
      t.format(at, 1 + rnd.int(len - at), rnd.chance(0.5) ? { bold: true } : { bold: null, italic: true });
    }
  };
  const paragraphs = () => fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
  const op = rnd.int(10);
  if (op < 3) editText(text);
  else if (op < 4 || paragraphs().length === 0) {
    const p = new Y.XmlElement(rnd.chance(0.8) ? "paragraph" : "heading");
    p.insert(0, [new Y.XmlText(word())]);
    fragment.insert(rnd.int(fragment.length + 1), [p]);
  } else if (op < 5 && fragment.length > 1) fragment.delete(rnd.int(fragment.length), 1);
  else if (op < 6) {
    const ps = paragraphs();
    ps[rnd.int(ps.length)].setAttribute("level", String(1 + rnd.int(3)));
  } else {
    const ps = paragraphs();
    const inner = ps[rnd.int(ps.length)].firstChild;
    if (inner instanceof Y.XmlText) editText(inner);
  }
}

describe("integrity guard: honest concurrent editing is never refused", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`three writers, random concurrent edits, offline stretches and batched updates (seed ${seed})`, () => {
      const rnd = prng(seed);
      const server = guardedServer();
      const writers = [3, 1_000_000, 42 + seed].map((clientID) => {
        const doc = new Y.Doc();
        doc.clientID = clientID;
        const outbox: Uint8Array[] = [];
        doc.on("update", (u: Uint8Array, origin: unknown) => {
          if (origin !== REMOTE) outbox.push(u);
        });
        return { doc, outbox, offlineRounds: 0 };
      });
      const sync = (w: (typeof writers)[number]) => {
        const sent = w.outbox.splice(0);
        // One merged update (items whose origins are in the same update), one by one, or one by one
        // out of order (held back until what they wait for arrives).
        const how = rnd.int(3);
        if (sent.length > 1 && how === 0) server.apply(Y.mergeUpdates(sent), w);
        else if (how === 1) for (const u of sent) server.apply(u, w);
        else for (const u of [...sent].sort(() => rnd.next() - 0.5)) server.apply(u, w);
        const missing = Y.encodeStateAsUpdate(server.doc, Y.encodeStateVector(w.doc));
        Y.applyUpdate(w.doc, missing, REMOTE);
      };
      for (let round = 0; round < 80; round++) {
        for (const w of writers) {
          if (w.offlineRounds === 0 && rnd.chance(0.08)) w.offlineRounds = 2 + rnd.int(8);
          const ops = 1 + rnd.int(4);
          if (rnd.chance(0.3)) w.doc.transact(() => Array.from({ length: ops }, () => randomEdit(w.doc, rnd)));
          else for (let i = 0; i < ops; i++) randomEdit(w.doc, rnd);
          if (w.offlineRounds > 0) w.offlineRounds--;
          else if (rnd.chance(0.7)) sync(w);
        }
      }
      for (const w of writers) w.offlineRounds = 0;
      // Until a round sends nothing: receiving formatting makes Yjs clean it up with deletions of its
      // own, sent at the next sync.
      for (let i = 0; i < 10; i++) {
        const sent = writers.reduce((n, w) => n + w.outbox.length, 0);
        for (const w of writers) sync(w);
        if (sent === 0 && writers.every((w) => w.outbox.length === 0)) break;
      }
      expect(server.refusals.map((r) => r.violation.reason)).toEqual([]);
      expect(server.doc.store.pendingStructs).toBeNull();
      const expected = content(server.doc);
      expect(server.doc.getXmlFragment("default").length).toBeGreaterThan(0);
      for (const w of writers) expect(content(w.doc)).toEqual(expected);
      expect(content(replicaOf(server.doc))).toEqual(expected);
    });
  }
});
