import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/**
 * Structural integrity of incoming Yjs updates (pure, no I/O).
 *
 * Yjs trusts the origins an update claims. An item whose left origin lies to the right of its right
 * origin ("crossed origins"), or whose origins lie in different lists, is integrated by YATA in a
 * place that depends on what the receiver already has and on the order it integrates structs in:
 * clients that get it live place it one way, a later joiner loading the stored state another, and
 * the document silently diverges. So does a "wide" item, whose origins were never neighbours
 * (the right origin's own left origin lies between them, say). Honest Yjs clients never produce
 * such items: an item is created between two neighbours, and stays between them on every replica.
 *
 * The check runs on a transaction after its structs are integrated and before Yjs garbage-collects
 * or merges anything ('beforeObserverCalls'): every item the transaction added must lie in one list
 * with its origins, origin to its left and right origin to its right, and what lies between the
 * origins must not include their own origins (the left one's right origin, the right one's left
 * origin), which whoever knew them knew too. Honest items sit next to their origins except for
 * concurrently inserted items in between, so the walks are short; a walk that grows long falls
 * back to numbering the list once per list and transaction. Deeper causal dependencies (an origin's
 * origin's...) are not followed.
 *
 * Structs and deletions an update cannot integrate yet (they reference items the document does not
 * have) are held back per sender instead of in the document's shared pending store, and retried
 * after that sender's next transactions. Honest clients do send such updates (an edit typed right
 * after reconnecting travels before the client's sync step 2 that carries what it depends on), and
 * get them integrated, and checked, with their own next message. Left in the shared store, someone
 * else's update would integrate them (a crafted item there would be blamed on that other sender,
 * over and over), and pending deletions would delete that sender's next items on the server only.
 *
 * A refused transaction is undone by building a new Y.Doc with the state before it: the structs up
 * to `beforeState` and the delete set without the transaction's deletions (content it deleted is
 * still there until the cleanup's garbage collection, which runs after this check).
 */

export type ViolationKind =
  | "crossed-origins"
  | "origins-apart"
  | "missing-dependencies"
  | "pending-deletes"
  | "check-failed"
  | "not-a-suggestion";

export interface IntegrityViolation {
  kind: ViolationKind;
  /** The offending item, when there is one. */
  id: { client: number; clock: number } | null;
  reason: string;
}

/** A document's structs and deletions that could not be integrated yet (yjs keeps them aside). */
export interface PendingState {
  structs: { missing: Map<number, number>; update: Uint8Array } | null;
  ds: Uint8Array | null;
}

const NOTHING_PENDING: PendingState = { structs: null, ds: null };

/** Transactions refused by any guard (a guard replaced after a refusal still answers for them). */
const refusedTransactions = new WeakSet<Y.Transaction>();

/** Steps an origin walk may take before the list is numbered instead (honest walks take 0 to a few). */
const WALK_LIMIT = 32;

/** The pending state of a document now, copied (yjs mutates `missing` in place). */
export function capturePending(doc: Y.Doc): PendingState {
  const { pendingStructs, pendingDs } = doc.store;
  if (!pendingStructs && !pendingDs) return NOTHING_PENDING;
  return {
    structs: pendingStructs ? { missing: new Map(pendingStructs.missing), update: pendingStructs.update } : null,
    ds: pendingDs,
  };
}

function contains(struct: Y.Item, id: Y.ID): boolean {
  return struct.id.client === id.client && struct.id.clock <= id.clock && id.clock < struct.id.clock + struct.length;
}

type ListIndex = Map<Y.Item, number>;

/** The numbered lists of one transaction's check, by parent type and key. */
class ListNumbers {
  private byParent: Map<object, Map<string | null, ListIndex>> | null = null;

  of(item: Y.Item): ListIndex {
    const parent: object = item.parent ?? this;
    this.byParent ??= new Map();
    let byKey = this.byParent.get(parent);
    if (!byKey) this.byParent.set(parent, (byKey = new Map()));
    let index = byKey.get(item.parentSub);
    if (!index) byKey.set(item.parentSub, (index = numberList(item)));
    return index;
  }
}

/** Positions of every item (deleted ones too) in the list `item` belongs to. */
function numberList(item: Y.Item): ListIndex {
  let head = item;
  while (head.left) head = head.left;
  const index: ListIndex = new Map();
  let n = 0;
  for (let s: Y.Item | null = head; s; s = s.right) index.set(s, n++);
  return index;
}

/**
 * Walks from `start` (leftwards or rightwards) to the struct containing `target`, at most WALK_LIMIT
 * steps: that struct, null at the end of the list, or undefined past the limit. The structs passed
 * on the way are pushed to `passed`.
 */
function walk(start: Y.Item | null, target: Y.ID, leftwards: boolean, passed: Y.Item[]): Y.Item | null | undefined {
  for (let s = start, steps = 0; s; steps++) {
    if (contains(s, target)) return s;
    if (steps >= WALK_LIMIT) return undefined;
    passed.push(s);
    s = leftwards ? s.left : s.right;
  }
  return null;
}

/**
 * Whether an item's origins were never next to each other: the right origin of its left origin, or
 * the left origin of its right origin, lies between them (`inside`), or exists where the other end
 * is the list's start or end. Whoever knew the origins knew those too (they are their dependencies),
 * so an honest sender cannot have seen the two origins side by side. Such "wide" items are placed
 * differently by live clients and later joiners as well.
 */
function originsApart(left: Y.Item | null, right: Y.Item | null, inside: (id: Y.ID) => boolean): boolean {
  if (left?.rightOrigin && (right === null || inside(left.rightOrigin))) return true;
  if (right?.origin && (left === null || inside(right.origin))) return true;
  return false;
}

type Placement = "ok" | "crossed-origins" | "origins-apart";

const nothingBetween = () => false;

/**
 * Checks where one integrated item lies: in one list with its origins, the origin to its left and
 * the right origin to its right, with the origins' own neighbours not between them (originsApart).
 * At check time the struct containing the origin ends there and the one containing the right
 * origin starts there (integration split them; merging comes later). `lists` numbers the item's
 * list (once per list and transaction) when a walk grows long.
 */
function placement(store: Y.Doc["store"], item: Y.Item, lists: ListNumbers): Placement {
  const { origin, rightOrigin } = item;
  // The usual case: both origins are the item's neighbours, nothing between them.
  const leftNext = origin === null || (item.left !== null && contains(item.left, origin));
  if (leftNext && (rightOrigin === null || (item.right !== null && contains(item.right, rightOrigin)))) {
    return originsApart(origin && item.left, rightOrigin && item.right, nothingBetween) ? "origins-apart" : "ok";
  }
  const passed: Y.Item[] = [];
  const left = origin ? walk(item.left, origin, true, passed) : null;
  if (origin && left === null) return "crossed-origins";
  const right = rightOrigin ? walk(item.right, rightOrigin, false, passed) : null;
  if (rightOrigin && right === null) return "crossed-origins";
  if (left !== undefined && right !== undefined) {
    // Both walks arrived: `passed` holds exactly the structs between the origins (but the item).
    return originsApart(left, right, (id) => passed.some((s) => contains(s, id))) ? "origins-apart" : "ok";
  }
  // A long walk: compare positions in the numbered list instead.
  const index = lists.of(item);
  const at = index.get(item);
  const structOf = (id: Y.ID): Y.Item | null => {
    const struct: Y.Item | Y.GC = Y.getItem(store, id);
    return struct instanceof Y.Item ? struct : null;
  };
  const positionOf = (id: Y.ID): number | undefined => {
    const struct = structOf(id);
    return struct ? index.get(struct) : undefined;
  };
  const from = origin ? positionOf(origin) : -1;
  const to = rightOrigin ? positionOf(rightOrigin) : index.size;
  if (at === undefined || from === undefined || to === undefined || from >= at || to <= at) return "crossed-origins";
  const inside = (id: Y.ID) => {
    const p = positionOf(id);
    return p !== undefined && from < p && p < to && p !== at;
  };
  const leftStruct = origin ? structOf(origin) : null;
  const rightStruct = rightOrigin ? structOf(rightOrigin) : null;
  return originsApart(leftStruct, rightStruct, inside) ? "origins-apart" : "ok";
}

type Ranges = Map<number, Array<[number, number]>>;

function addRange(ranges: Ranges, client: number, clock: number, len: number) {
  let list = ranges.get(client);
  if (!list) ranges.set(client, (list = []));
  list.push([clock, clock + len]);
}

/** Whether every range of `inner` lies inside the union of `outer`'s ranges. */
function covered(outer: Ranges, inner: Ranges): boolean {
  for (const [client, ranges] of inner) {
    const merged: Array<[number, number]> = [];
    for (const [from, to] of [...(outer.get(client) ?? [])].sort((a, b) => a[0] - b[0])) {
      const last = merged[merged.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    for (const [from, to] of ranges) if (!merged.some(([f, t]) => f <= from && to <= t)) return false;
  }
  return true;
}

function structRanges(updateV2: Uint8Array): Ranges {
  const ranges: Ranges = new Map();
  for (const s of Y.decodeUpdateV2(updateV2).structs) {
    if (!(s instanceof Y.Skip)) addRange(ranges, s.id.client, s.id.clock, s.length);
  }
  return ranges;
}

function deleteRanges(updateV2: Uint8Array): Ranges {
  const ranges: Ranges = new Map();
  for (const [client, items] of Y.decodeUpdateV2(updateV2).ds.clients) {
    for (const d of items) addRange(ranges, client, d.clock, d.len);
  }
  return ranges;
}

/**
 * The first structural violation among the items `tr` added, or null. Call it from the document's
 * 'beforeObserverCalls' event (after integration, before garbage collection and merging).
 */
export function findViolation(tr: Y.Transaction): IntegrityViolation | null {
  const store = tr.doc.store;
  let lists: ListNumbers | undefined;
  for (const [client, clock] of tr.afterState) {
    const beforeClock = tr.beforeState.get(client) ?? 0;
    if (clock <= beforeClock) continue;
    const structs = store.clients.get(client);
    if (!structs) continue;
    // The transaction's structs are the last ones (not merged yet): no search needed.
    let first = structs.length;
    while (first > 0 && structs[first - 1].id.clock >= beforeClock) first--;
    for (let i = first; i < structs.length; i++) {
      const item = structs[i];
      if (!(item instanceof Y.Item)) continue;
      lists ??= new ListNumbers();
      const placed = item.parent instanceof Y.AbstractType ? placement(store, item, lists) : "crossed-origins";
      if (placed !== "ok") {
        const id = { client: item.id.client, clock: item.id.clock };
        const what = placed === "crossed-origins" ? "lies outside its origins" : "has origins that were never adjacent";
        return { kind: placed, id, reason: `item ${id.client}:${id.clock} ${what}` };
      }
    }
  }
  return null;
}

/**
 * Encodes (update format v1) the document as it was before `tr`: structs below `tr.beforeState`,
 * deleted as they were then. Only valid from 'beforeObserverCalls': the transaction's structs are
 * still separate from older ones and what it deleted is not garbage-collected yet.
 */
export function encodeStateBefore(tr: Y.Transaction): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const rest = encoder.restEncoder;
  const clients: Array<[number, Array<Y.Item | Y.GC>, number]> = [];
  for (const [client, structs] of tr.doc.store.clients) {
    const beforeClock = tr.beforeState.get(client) ?? 0;
    if (beforeClock === 0) continue;
    const last = structs[structs.length - 1];
    let end = structs.length;
    if (last.id.clock + last.length > beforeClock) {
      end = Y.findIndexSS(structs, beforeClock);
      // Not expected (structs merge only after this hook), but an item can be split safely here:
      // the cleanup merges it again.
      if (structs[end].id.clock !== beforeClock) {
        if (!(structs[end] instanceof Y.Item)) throw new Error(`struct of ${client} spans the transaction's start`);
        Y.getItemCleanStart(tr, Y.createID(client, beforeClock));
        end = Y.findIndexSS(structs, beforeClock);
      }
    }
    clients.push([client, structs, end]);
  }
  // Same order as yjs writes them (higher client ids first).
  clients.sort((a, b) => b[0] - a[0]);
  const deleted: Ranges = new Map();
  encoding.writeVarUint(rest, clients.length);
  for (const [client, structs, end] of clients) {
    encoding.writeVarUint(rest, end);
    encoder.writeClient(client);
    encoding.writeVarUint(rest, 0);
    for (let i = 0; i < end; i++) {
      const s = structs[i];
      s.write(encoder, 0);
      // Deleted before the transaction: deleted now and not by it (it deletes whole structs).
      if (s.deleted && !Y.isDeleted(tr.deleteSet, s.id)) {
        const ranges = deleted.get(client);
        const previous = ranges?.[ranges.length - 1];
        if (previous && previous[1] === s.id.clock) previous[1] += s.length;
        else addRange(deleted, client, s.id.clock, s.length);
      }
    }
  }
  encoding.writeVarUint(rest, deleted.size);
  for (const [client, ranges] of deleted) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(rest, client);
    encoding.writeVarUint(rest, ranges.length);
    for (const [from, to] of ranges) {
      encoder.writeDsClock(from);
      encoder.writeDsLen(to - from);
    }
  }
  return encoder.toUint8Array();
}

/**
 * A new Y.Doc holding the state of `tr.doc` before `tr` (see encodeStateBefore; same call-time
 * rule), with `pending` (the pending state before `tr`) pending again.
 */
export function restoreStateBefore(tr: Y.Transaction, pending: PendingState = NOTHING_PENDING): Y.Doc {
  const doc = tr.doc;
  const restored = new Y.Doc({ guid: doc.guid, gc: doc.gc, gcFilter: doc.gcFilter });
  Y.applyUpdate(restored, encodeStateBefore(tr));
  if (pending.structs) Y.applyUpdateV2(restored, pending.structs.update);
  if (pending.ds) Y.applyUpdateV2(restored, pending.ds);
  return restored;
}

export interface IntegrityRefusal {
  transaction: Y.Transaction;
  violation: IntegrityViolation;
  /** The document as it was before the refused transaction. */
  restored: Y.Doc;
}

export interface IntegrityGuard {
  /** Whether `tr` was refused (its 'update' must not be broadcast, relayed nor stored). */
  isRefused(tr: Y.Transaction): boolean;
  detach(): void;
}

/** Most bytes of not yet integrable updates held back for one sender. */
export const HELD_LIMIT_BYTES = 256 * 1024;

/** What one sender sent that could not be integrated yet (update format v2, as yjs keeps it). */
interface Held {
  guid: string;
  update: Uint8Array;
  /** Per client, the lowest clock it waits for: worth retrying once the document has it. */
  missing: Map<number, number>;
}

/** Held back per sender (transaction origin); survives the replacement of a refused document. */
const heldBySender = new WeakMap<object, Held>();

function waitFor(missing: Map<number, number>, client: number, clock: number) {
  missing.set(client, Math.min(clock, missing.get(client) ?? clock));
}

/**
 * Moves what `tr` left pending (beyond what was pending before it) from the document's shared
 * pending store to its sender's held updates. A violation when the sender cannot hold anything
 * (not an object) or holds too much.
 */
function holdBack(tr: Y.Transaction, before: PendingState): IntegrityViolation | null {
  const doc = tr.doc;
  const { pendingStructs, pendingDs } = doc.store;
  const newStructs =
    pendingStructs !== null &&
    pendingStructs.update !== before.structs?.update &&
    (!before.structs || !covered(structRanges(before.structs.update), structRanges(pendingStructs.update)));
  const newDs =
    pendingDs !== null &&
    pendingDs !== before.ds &&
    (!before.ds || !covered(deleteRanges(before.ds), deleteRanges(pendingDs)));
  if (!newStructs && !newDs) return null;
  const sender: unknown = tr.origin;
  if (typeof sender !== "object" || sender === null) {
    return { kind: "missing-dependencies", id: null, reason: "update references items unknown here" };
  }
  const previous = heldBySender.get(sender);
  const parts: Uint8Array[] = previous?.guid === doc.guid ? [previous.update] : [];
  const missing = new Map(previous?.guid === doc.guid ? previous.missing : []);
  // What was pending before stays in the shared store (it came from unchecked origins); the copy
  // held here too is harmless (yjs skips what it already has).
  if (newStructs && pendingStructs) {
    parts.push(pendingStructs.update);
    for (const [client, clock] of pendingStructs.missing) waitFor(missing, client, clock);
    const kept = before.structs;
    doc.store.pendingStructs = kept && { missing: new Map(kept.missing), update: kept.update };
  }
  if (newDs && pendingDs) {
    parts.push(pendingDs);
    for (const [client, ranges] of deleteRanges(pendingDs)) for (const [from] of ranges) waitFor(missing, client, from);
    doc.store.pendingDs = before.ds;
  }
  const update = parts.length === 1 ? parts[0] : Y.mergeUpdatesV2(parts);
  if (update.byteLength > HELD_LIMIT_BYTES) {
    heldBySender.delete(sender);
    return { kind: "missing-dependencies", id: null, reason: "too much held back waiting for unknown items" };
  }
  heldBySender.set(sender, { guid: doc.guid, update, missing });
  return null;
}

/** The sender's held update, taken, if the document now has something it waits for. */
function takeRetry(doc: Y.Doc, sender: object): Uint8Array | null {
  const held = heldBySender.get(sender);
  if (!held || held.guid !== doc.guid) return null;
  for (const [client, clock] of held.missing) {
    if (clock < Y.getState(doc.store, client)) {
      heldBySender.delete(sender);
      return held.update;
    }
  }
  return null;
}

/**
 * A check of what a transaction means, beyond its structure: `start` sees the document before the
 * transaction, `finish` after it is integrated (and before anyone is told); a violation refuses it
 * like a structural one. Runs only for transactions `checks` accepts.
 */
export interface TransactionReview {
  start(tr: Y.Transaction): void;
  finish(tr: Y.Transaction): IntegrityViolation | null;
}

/**
 * Checks the transactions of `doc` whose origin `checks` accepts. A violating transaction is marked
 * refused, the document's state before it is rebuilt, and `onRefused` is called once the
 * transaction's cleanup is done ('afterTransactionCleanup', before its 'update' event): the caller
 * replaces `doc` with `restored` and drops the update. What a checked transaction cannot integrate
 * yet is held back for its origin (which must then be an object, e.g. the connection) and applied
 * again, as that origin, after its next transactions.
 */
export function guardIntegrity(
  doc: Y.Doc,
  options: {
    checks: (origin: unknown) => boolean;
    onRefused: (refusal: IntegrityRefusal) => void;
    /** A further check of what the transaction means (e.g. only proposals from a SUGGEST connection). */
    review?: TransactionReview;
  },
): IntegrityGuard {
  // The transaction being checked, from its start to its check: one at a time (a transaction
  // starts only after the previous one's check), with a map for safety should they ever overlap.
  let current: Y.Transaction | null = null;
  let currentBefore: PendingState = NOTHING_PENDING;
  const overlapping = new Map<Y.Transaction, PendingState>();
  const refused = new Map<Y.Transaction, IntegrityRefusal>();
  const retry = new Set<object>();
  const onBefore = (tr: Y.Transaction) => {
    if (!options.checks(tr.origin)) return;
    if (current) overlapping.set(current, currentBefore);
    current = tr;
    currentBefore = capturePending(doc);
    options.review?.start(tr);
  };
  const onIntegrated = (tr: Y.Transaction) => {
    let before: PendingState | undefined;
    if (tr === current) {
      before = currentBefore;
      current = null;
    } else if ((before = overlapping.get(tr))) overlapping.delete(tr);
    if (!before) return;
    let violation: IntegrityViolation | null;
    try {
      violation = findViolation(tr) ?? holdBack(tr, before) ?? options.review?.finish(tr) ?? null;
    } catch (err) {
      violation = { kind: "check-failed", id: null, reason: `integrity check failed: ${String(err)}` };
    }
    if (!violation) {
      const sender: unknown = tr.origin;
      if (typeof sender === "object" && sender !== null && heldBySender.has(sender)) retry.add(sender);
      return;
    }
    // Marked first: should rebuilding fail (a bug), the update is still never broadcast nor stored.
    refusedTransactions.add(tr);
    refused.set(tr, { transaction: tr, violation, restored: restoreStateBefore(tr, before) });
  };
  const onCleanedUp = (tr: Y.Transaction) => {
    const refusal = refused.size > 0 ? refused.get(tr) : undefined;
    if (!refusal) return;
    refused.delete(tr);
    const sender: unknown = tr.origin;
    if (typeof sender === "object" && sender !== null) heldBySender.delete(sender);
    options.onRefused(refusal);
  };
  // Held updates are applied again once every transaction of the batch is cleaned up: a new
  // transaction of their sender, checked like the rest.
  const onAllDone = () => {
    if (retry.size === 0) return;
    for (const sender of [...retry]) {
      retry.delete(sender);
      const update = takeRetry(doc, sender);
      if (update) Y.applyUpdateV2(doc, update, sender);
    }
  };
  doc.on("beforeTransaction", onBefore);
  doc.on("beforeObserverCalls", onIntegrated);
  doc.on("afterTransactionCleanup", onCleanedUp);
  doc.on("afterAllTransactions", onAllDone);
  return {
    isRefused: (tr) => refusedTransactions.has(tr),
    detach() {
      doc.off("beforeTransaction", onBefore);
      doc.off("beforeObserverCalls", onIntegrated);
      doc.off("afterTransactionCleanup", onCleanedUp);
      doc.off("afterAllTransactions", onAllDone);
    },
  };
}
