import type { Db } from "../../app/db.server";
import type { DerivedContent } from "./derive";

export interface StoredDocument {
  /** Compacted state, or null before the first compaction. */
  state: Uint8Array | null;
  /** Log entries after the snapshot, in order. */
  updates: Uint8Array[];
  /** Highest seq present (snapshot's or log's). */
  lastSeq: number;
}

/** Prisma access for Yjs documents: the update log and its compacted snapshot. */
export interface DocumentStore {
  load(documentId: string): Promise<StoredDocument>;
  /** Appends one (merged) update; returns its seq. */
  append(documentId: string, update: Uint8Array): Promise<number>;
  /** Replaces the snapshot with `state` and deletes log entries up to `upToSeq`, atomically. */
  compact(documentId: string, state: Uint8Array, derived: DerivedContent, upToSeq: number): Promise<void>;
}

export function createDocumentStore(db: Db): DocumentStore {
  return {
    async load(documentId) {
      const snapshot = await db.documentSnapshot.findUnique({ where: { documentId }, select: { state: true, lastSeq: true } });
      const after = snapshot?.lastSeq ?? 0;
      const rows = await db.documentUpdate.findMany({ where: { documentId, seq: { gt: after } }, orderBy: { seq: "asc" }, select: { seq: true, data: true } });
      return {
        state: snapshot ? new Uint8Array(snapshot.state) : null,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.length ? rows[rows.length - 1].seq : after,
      };
    },
    async append(documentId, update) {
      const row = await db.documentUpdate.create({ data: { documentId, data: new Uint8Array(update) }, select: { seq: true } });
      return row.seq;
    },
    async compact(documentId, state, derived, upToSeq) {
      const json = JSON.stringify(derived.json);
      const bytes = new Uint8Array(state);
      await db.$transaction(async (tx) => {
        await tx.documentSnapshot.upsert({
          where: { documentId },
          create: { documentId, state: bytes, json, text: derived.text, lastSeq: upToSeq },
          update: { state: bytes, json, text: derived.text, lastSeq: upToSeq },
        });
        await tx.documentUpdate.deleteMany({ where: { documentId, seq: { lte: upToSeq } } });
      });
    },
  };
}
