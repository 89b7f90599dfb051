import { markSearchDirty } from "~/models/search.server";
import * as Y from "yjs";
import { getDb, isUniqueViolation, type Prisma, type Tx } from "~/db.server";
import type { VersionKind } from "~/domain/document";
import { newId } from "~/utils/ids";

/** Who changed the text since the previous version. */
export interface VersionAuthor {
  userId: string;
  name: string;
  org: string | null;
}

/** What a version stores: the Yjs state and the content derived from it (by the caller: see document-content). */
export interface VersionContent {
  state: Uint8Array;
  json: string;
  text: string;
  sha256: string;
}

/**
 * The document's current Yjs state as stored (snapshot + the log after it), as one update; call the
 * collab server's storeDocument first.
 */
export async function readStoredState(tx: Tx, documentId: string): Promise<Uint8Array> {
  const [snapshot, log] = await Promise.all([
    tx.documentSnapshot.findUnique({ where: { documentId }, select: { state: true, lastSeq: true } }),
    tx.documentUpdate.findMany({ where: { documentId }, orderBy: { seq: "asc" }, select: { seq: true, data: true } }),
  ]);
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, new Uint8Array(snapshot.state));
  for (const row of log) if (!snapshot || row.seq > snapshot.lastSeq) Y.applyUpdate(doc, new Uint8Array(row.data));
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

export function parseAuthors(raw: string): VersionAuthor[] {
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (a): a is VersionAuthor =>
        typeof a === "object" &&
        a !== null &&
        typeof (a as VersionAuthor).userId === "string" &&
        typeof (a as VersionAuthor).name === "string",
    );
  } catch {
    return [];
  }
}

function mergeAuthors(a: VersionAuthor[], b: VersionAuthor[]): VersionAuthor[] {
  const byId = new Map(a.map((x) => [x.userId, x]));
  for (const x of b) if (!byId.has(x.userId)) byId.set(x.userId, x);
  return [...byId.values()];
}

export interface SaveVersionInput {
  kind: VersionKind;
  name: string | null;
  createdById: string | null;
  authors: VersionAuthor[];
  content: VersionContent;
  restoredFromNumber?: number | null;
}

export interface SavedVersion {
  id: string;
  number: number;
  sha256: string;
  /** false when the content equalled the latest version's and no new row was written. */
  created: boolean;
}

/**
 * Writes a version inside `tx`. An automatic version of unchanged content is skipped; a named,
 * countersign or restore version of content an automatic version already holds takes that row over
 * (keeping its authors), so the history has no twin entries.
 */
export async function saveVersionTx(tx: Tx, documentId: string, input: SaveVersionInput): Promise<SavedVersion> {
  // A named version's name is found by search (the document's entry lists them).
  if (input.name) await markSearchDirty(tx, "document", [documentId]);
  const latest = await tx.documentVersion.findFirst({
    where: { documentId },
    orderBy: { number: "desc" },
    select: { id: true, number: true, kind: true, sha256: true, authors: true },
  });
  if (latest && latest.sha256 === input.content.sha256) {
    if (input.kind === "AUTO") return { id: latest.id, number: latest.number, sha256: latest.sha256, created: false };
    if (latest.kind === "AUTO") {
      await tx.documentVersion.update({
        where: { id: latest.id },
        data: {
          kind: input.kind,
          name: input.name,
          createdById: input.createdById,
          // Same text and hash; the state now also holds the 批注 and 修订 open at this moment (ADR 019).
          state: new Uint8Array(input.content.state),
          authors: JSON.stringify(mergeAuthors(parseAuthors(latest.authors), input.authors)),
          restoredFromNumber: input.restoredFromNumber ?? null,
        },
      });
      return { id: latest.id, number: latest.number, sha256: latest.sha256, created: false };
    }
  }
  const id = newId();
  const number = (latest?.number ?? 0) + 1;
  await tx.documentVersion.create({
    data: {
      id,
      documentId,
      number,
      kind: input.kind,
      name: input.name,
      authors: JSON.stringify(input.authors),
      restoredFromNumber: input.restoredFromNumber ?? null,
      state: new Uint8Array(input.content.state),
      json: input.content.json,
      text: input.content.text,
      sha256: input.content.sha256,
      createdById: input.createdById,
    },
  });
  return { id, number, sha256: input.content.sha256, created: true };
}

/** saveVersionTx in its own transaction, retried when a concurrent writer took the same number. */
export async function saveVersion(documentId: string, input: SaveVersionInput): Promise<SavedVersion> {
  const db = getDb();
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction((tx) => saveVersionTx(tx, documentId, input));
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

const listSelect = {
  id: true,
  number: true,
  name: true,
  kind: true,
  authors: true,
  sha256: true,
  createdById: true,
  createdAt: true,
  restoredFromNumber: true,
} as const;

/** The version list of a document, newest first, with the names of whoever saved each. */
export async function listVersions(tx: Tx, documentId: string) {
  const rows = await tx.documentVersion.findMany({
    where: { documentId },
    orderBy: { number: "desc" },
    select: listSelect,
  });
  const creators = new Map(
    (
      await tx.user.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.createdById).filter((x): x is string => Boolean(x)))] } },
        select: { id: true, displayName: true },
      })
    ).map((u) => [u.id, u.displayName]),
  );
  return rows.map((r) => ({
    ...r,
    kind: r.kind as VersionKind,
    authors: parseAuthors(r.authors),
    createdBy: r.createdById ? (creators.get(r.createdById) ?? null) : null,
  }));
}

const versionSelect = {
  id: true,
  number: true,
  name: true,
  kind: true,
  authors: true,
  json: true,
  text: true,
  sha256: true,
  createdById: true,
  createdAt: true,
  restoredFromNumber: true,
} as const;

export type VersionRow = Prisma.DocumentVersionGetPayload<{ select: typeof versionSelect }>;

/** One version of a document by its number, or null. */
export async function getVersion(tx: Tx, documentId: string, number: number): Promise<VersionRow | null> {
  return tx.documentVersion.findUnique({ where: { documentId_number: { documentId, number } }, select: versionSelect });
}

/** One version by its id (a document's final version), or null. */
export async function getVersionById(tx: Tx, id: string): Promise<VersionRow | null> {
  return tx.documentVersion.findUnique({ where: { id }, select: versionSelect });
}

/** The stored Yjs state of one version (定稿校验 derives its content again). */
export async function getVersionState(tx: Tx, id: string): Promise<Uint8Array | null> {
  const row = await tx.documentVersion.findUnique({ where: { id }, select: { state: true } });
  return row ? new Uint8Array(row.state) : null;
}

/** The hash and content of one version (for sealing a final document). */
export async function getVersionSeal(tx: Tx, id: string) {
  return tx.documentVersion.findUniqueOrThrow({ where: { id }, select: { id: true, sha256: true, json: true } });
}

/** The authors recorded on the versions numbered in (after, upTo] (版本对比: who changed the text between two). */
export async function listAuthorsBetween(
  tx: Tx,
  documentId: string,
  after: number,
  upTo: number,
): Promise<VersionAuthor[][]> {
  const rows = await tx.documentVersion.findMany({
    where: { documentId, number: { gt: after, lte: upTo } },
    select: { authors: true },
  });
  return rows.map((r) => parseAuthors(r.authors));
}

/** The number of a document's version with this hash, or null (checking a hash copied from an export). */
export async function findVersionNumberByHash(tx: Tx, documentId: string, sha256: string): Promise<number | null> {
  const row = await tx.documentVersion.findFirst({ where: { documentId, sha256 }, select: { number: true } });
  return row?.number ?? null;
}
