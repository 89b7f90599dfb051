import { Prisma, isPostgresUrl, type Tx } from "~/db.server";
import { SEARCH_KINDS, type SearchKind } from "~/domain/search";

/**
 * Global search (ADR 028): the index rows, the queue of records to re-index, and the query that matches and
 * authorizes in one statement. Two adapters behind `searchIndex()`: SQLite's FTS5 table `SearchFts` (rowid =
 * SearchEntry.id) and PostgreSQL's `to_tsvector('simple', tokens)` GIN index. Both read the same pre-segmented,
 * space-joined tokens, so both find the same records.
 */

/** Whose reading the query is restricted to: the actor's user id, orgs and supervised regions (上级监督下级). */
export interface SearchReader {
  userId: string;
  orgIds: readonly string[];
  /** Region paths the actor supervises below (its memberships in supervising kinds of org). */
  supervisingPaths: readonly string[];
}

export interface SearchEntryInput {
  kind: SearchKind;
  recordId: string;
  title: string;
  body: string;
  /** Space-joined index tokens. */
  tokens: string;
  sourceAt: Date;
}

/** What must match: every token exactly, every prefix as the start of a token. */
export interface SearchMatch {
  tokens: readonly string[];
  prefixes: readonly string[];
}

export interface SearchHit {
  kind: SearchKind;
  recordId: string;
  title: string;
  body: string;
}

export interface SearchResultRows {
  hits: SearchHit[];
  /** Matches per kind the reader may read (every kind, whatever `kinds` asked for; before the limit). */
  counts: Partial<Record<SearchKind, number>>;
}

export interface SearchIndex {
  readonly name: "sqlite-fts5" | "postgres-tsvector";
  write(tx: Tx, entry: SearchEntryInput): Promise<void>;
  remove(tx: Tx, kind: SearchKind, recordId: string): Promise<void>;
  search(
    tx: Tx,
    match: SearchMatch,
    reader: SearchReader,
    options: { kinds: readonly SearchKind[]; limit: number },
  ): Promise<SearchResultRows>;
  /** Bytes the index takes (table and full-text index), for the bench. */
  size(tx: Tx): Promise<number>;
}

const FALSE = Prisma.sql`1 = 0`;

function inList(column: Prisma.Sql, values: readonly string[]): Prisma.Sql {
  return values.length ? Prisma.sql`${column} IN (${Prisma.join(values)})` : FALSE;
}

/** 上级监督下级 as SQL: the region lies strictly below one of the supervised paths (a prefix test, no LIKE). */
function supervisedBelow(regionPath: Prisma.Sql, paths: readonly string[]): Prisma.Sql {
  if (!paths.length) return FALSE;
  return Prisma.join(
    paths.map((p) => Prisma.sql`(substr(${regionPath}, 1, ${p.length}) = ${p} AND ${regionPath} <> ${p})`),
    " OR ",
  );
}

/**
 * The document policy's read rule (`grantedDocumentAccess`, app/policies/document.ts), whatever the status: a
 * member of the owner org, of an org listed on the document, a user listed on it, or a supervising org above the
 * owner's region.
 */
function documentReadable(recordId: Prisma.Sql, r: SearchReader): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Document" d
    JOIN "Organization" o ON o."id" = d."ownerOrgId" JOIN "Region" g ON g."id" = o."regionId"
    WHERE d."id" = ${recordId} AND (
      ${inList(Prisma.sql`d."ownerOrgId"`, r.orgIds)}
      OR EXISTS (SELECT 1 FROM "DocumentMember" m WHERE m."documentId" = d."id"
        AND (${inList(Prisma.sql`m."orgId"`, r.orgIds)} OR m."userId" = ${r.userId}))
      OR ${supervisedBelow(Prisma.sql`g."path"`, r.supervisingPaths)}))`;
}

/**
 * The consultation policy's read rule (`consultationAccess`, app/policies/consultation.ts): a member of the
 * convening org; an invited org's member (org rows); a named person or the colleague they delegated to; a
 * supervising org above the convening org's region.
 */
function consultationReadable(recordId: Prisma.Sql, r: SearchReader): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Consultation" c
    JOIN "Organization" o ON o."id" = c."conveningOrgId" JOIN "Region" g ON g."id" = o."regionId"
    WHERE c."id" = ${recordId} AND (
      ${inList(Prisma.sql`c."conveningOrgId"`, r.orgIds)}
      OR EXISTS (SELECT 1 FROM "ConsultationParticipant" p WHERE p."consultationId" = c."id" AND (
        (p."userId" IS NULL AND ${inList(Prisma.sql`p."orgId"`, r.orgIds)})
        OR (p."userId" IS NOT NULL AND (p."userId" = ${r.userId} OR p."delegateUserId" = ${r.userId}))))
      OR ${supervisedBelow(Prisma.sql`g."path"`, r.supervisingPaths)}))`;
}

const READABLE: Record<SearchKind, (recordId: Prisma.Sql, r: SearchReader) => Prisma.Sql> = {
  document: documentReadable,
  consultation: consultationReadable,
};

/** Only kinds with a read rule are ever returned: a kind without one matches nothing (never over-share). */
function readableWhere(reader: SearchReader, kinds: readonly SearchKind[]): Prisma.Sql {
  const known = kinds.filter((k) => SEARCH_KINDS.includes(k));
  if (!known.length) return FALSE;
  return Prisma.sql`(${Prisma.join(
    known.map((k) => Prisma.sql`(e."kind" = ${k} AND ${READABLE[k](Prisma.sql`e."recordId"`, reader)})`),
    " OR ",
  )})`;
}

interface HitRow {
  kind: string;
  recordId: string;
  title: string;
  body: string;
}

function toResult(rows: HitRow[], countRows: Array<{ kind: string; n: number | bigint }>): SearchResultRows {
  const counts: Partial<Record<SearchKind, number>> = {};
  for (const c of countRows) counts[c.kind as SearchKind] = Number(c.n);
  return { hits: rows.map((h) => ({ ...h, kind: h.kind as SearchKind })), counts };
}

/**
 * Writes the row and returns its id (the FTS5 rowid). `storeTokens` false: the FTS5 table holds them (SQLite),
 * the column stays empty — the tokens are about four times the text.
 */
async function upsertEntry(tx: Tx, entry: SearchEntryInput, storeTokens: boolean): Promise<number> {
  const tokens = storeTokens ? entry.tokens : "";
  const data = { title: entry.title, body: entry.body, tokens, sourceAt: entry.sourceAt };
  const row = await tx.searchEntry.upsert({
    where: { kind_recordId: { kind: entry.kind, recordId: entry.recordId } },
    create: { kind: entry.kind, recordId: entry.recordId, ...data },
    update: data,
    select: { id: true },
  });
  return row.id;
}

/** FTS5 query text: every token quoted (no operator of the user's survives), prefixes as "x"*, all ANDed. */
export function fts5Expression(match: SearchMatch): string {
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  return [...match.tokens.map(quote), ...match.prefixes.map((p) => `${quote(p)}*`)].join(" AND ");
}

/** tsquery text: every token a quoted lexeme, prefixes as 'x':*, all ANDed. */
export function tsqueryExpression(match: SearchMatch): string {
  const quote = (t: string) => `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  return [...match.tokens.map(quote), ...match.prefixes.map((p) => `${quote(p)}:*`)].join(" & ");
}

const sqliteIndex: SearchIndex = {
  name: "sqlite-fts5",
  async write(tx, entry) {
    const id = await upsertEntry(tx, entry, false);
    await tx.$executeRaw`DELETE FROM "SearchFts" WHERE rowid = ${id}`;
    await tx.$executeRaw`INSERT INTO "SearchFts" (rowid, "tokens") VALUES (${id}, ${entry.tokens})`;
  },
  async remove(tx, kind, recordId) {
    const row = await tx.searchEntry.findUnique({ where: { kind_recordId: { kind, recordId } }, select: { id: true } });
    if (!row) return;
    await tx.$executeRaw`DELETE FROM "SearchFts" WHERE rowid = ${row.id}`;
    await tx.searchEntry.delete({ where: { id: row.id } });
  },
  async search(tx, match, reader, { kinds, limit }) {
    const matches = Prisma.sql`"SearchFts" MATCH ${fts5Expression(match)}`;
    const rows = await tx.$queryRaw<HitRow[]>`SELECT e."kind", e."recordId", e."title", e."body"
      FROM "SearchFts" JOIN "SearchEntry" e ON e."id" = "SearchFts".rowid
      WHERE ${matches} AND ${readableWhere(reader, kinds)} ORDER BY bm25("SearchFts"), e."id" LIMIT ${limit}`;
    const counts = await tx.$queryRaw<Array<{ kind: string; n: number | bigint }>>`SELECT e."kind", COUNT(*) AS n
      FROM "SearchFts" JOIN "SearchEntry" e ON e."id" = "SearchFts".rowid
      WHERE ${matches} AND ${readableWhere(reader, SEARCH_KINDS)} GROUP BY e."kind"`;
    return toResult(rows, counts);
  },
  async size(tx) {
    const rows = await tx.$queryRaw<Array<{ n: number | bigint | null }>>`SELECT SUM("pgsize") AS n FROM "dbstat"
      WHERE "name" LIKE 'SearchFts%' OR "name" LIKE 'SearchEntry%' OR "name" = 'sqlite_autoindex_SearchEntry_1'`;
    return Number(rows[0]?.n ?? 0);
  },
};

const postgresIndex: SearchIndex = {
  name: "postgres-tsvector",
  async write(tx, entry) {
    await upsertEntry(tx, entry, true);
  },
  async remove(tx, kind, recordId) {
    await tx.searchEntry.deleteMany({ where: { kind, recordId } });
  },
  async search(tx, match, reader, { kinds, limit }) {
    const q = Prisma.sql`to_tsquery('simple', ${tsqueryExpression(match)})`;
    // The same expression as the GIN index of the migration, so the index answers the match.
    const matches = Prisma.sql`to_tsvector('simple', e."tokens") @@ ${q}`;
    const rows = await tx.$queryRaw<HitRow[]>`SELECT e."kind", e."recordId", e."title", e."body"
      FROM "SearchEntry" e WHERE ${matches} AND ${readableWhere(reader, kinds)}
      ORDER BY ts_rank(to_tsvector('simple', e."tokens"), ${q}) DESC, e."id" LIMIT ${limit}`;
    const counts = await tx.$queryRaw<Array<{ kind: string; n: number | bigint }>>`SELECT e."kind", COUNT(*) AS n
      FROM "SearchEntry" e WHERE ${matches} AND ${readableWhere(reader, SEARCH_KINDS)} GROUP BY e."kind"`;
    return toResult(rows, counts);
  },
  async size(tx) {
    const rows = await tx.$queryRaw<
      Array<{ n: number | bigint | null }>
    >`SELECT pg_total_relation_size('"SearchEntry"') AS n`;
    return Number(rows[0]?.n ?? 0);
  },
};

/** The adapter for the process's database (DATABASE_URL, as `getDb` chooses its client). */
export function searchIndex(): SearchIndex {
  return isPostgresUrl(process.env.DATABASE_URL ?? "") ? postgresIndex : sqliteIndex;
}

// ---- the re-index queue ----

/** Marks records to be (re-)indexed, in the caller's transaction: the change and its mark commit together. */
export async function markSearchDirty(tx: Tx, kind: SearchKind, recordIds: readonly string[], now = new Date()) {
  for (const recordId of new Set(recordIds)) {
    await tx.searchDirty.upsert({
      where: { kind_recordId: { kind, recordId } },
      create: { kind, recordId, dirtyAt: now },
      update: { dirtyAt: now },
      select: { kind: true },
    });
  }
}

export async function hasSearchDirty(tx: Tx): Promise<boolean> {
  return (await tx.searchDirty.findFirst({ select: { kind: true } })) !== null;
}

export async function nextSearchDirty(tx: Tx, take: number) {
  return tx.searchDirty.findMany({
    orderBy: [{ dirtyAt: "asc" }, { recordId: "asc" }],
    take,
    select: { kind: true, recordId: true, dirtyAt: true },
  });
}

/** Clears a mark only if nobody marked the record again since it was read (else the next run takes it). */
export async function clearSearchDirty(tx: Tx, kind: string, recordId: string, dirtyAt: Date): Promise<void> {
  await tx.searchDirty.deleteMany({ where: { kind, recordId, dirtyAt } });
}

/** When each indexed record of a kind was last written from its source. */
export async function indexedSourceTimes(tx: Tx, kind: SearchKind): Promise<Map<string, number>> {
  const rows = await tx.searchEntry.findMany({ where: { kind }, select: { recordId: true, sourceAt: true } });
  return new Map(rows.map((r) => [r.recordId, r.sourceAt.getTime()]));
}

export async function countSearchEntries(tx: Tx): Promise<number> {
  return tx.searchEntry.count();
}

// ---- the sources of the entries ----

export interface SearchSource {
  title: string;
  /** The text the passage is taken from. */
  body: string;
  sourceAt: Date;
}

const later = (a: Date, b: Date | null | undefined) => (b && b > a ? b : a);

/** A document's title and current text (its latest compacted snapshot), or null when it is gone. */
export async function readDocumentSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const doc = await tx.document.findUnique({
    where: { id },
    select: { title: true, updatedAt: true, snapshot: { select: { text: true, updatedAt: true } } },
  });
  if (!doc) return null;
  return { title: doc.title, body: doc.snapshot?.text ?? "", sourceAt: later(doc.updatedAt, doc.snapshot?.updatedAt) };
}

/** A consultation's title, series and number, agenda and place (what its invitation says), or null when gone. */
export async function readConsultationSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const c = await tx.consultation.findUnique({
    where: { id },
    select: { title: true, series: true, number: true, agenda: true, place: true, updatedAt: true },
  });
  if (!c) return null;
  let agenda: string[] = [];
  try {
    const parsed: unknown = JSON.parse(c.agenda);
    if (Array.isArray(parsed)) agenda = parsed.filter((a): a is string => typeof a === "string");
  } catch {
    agenda = [c.agenda];
  }
  const body = [`${c.series} 第${c.number}期`, ...agenda, `地点：${c.place}`].join("\n");
  return { title: c.title, body, sourceAt: c.updatedAt };
}

/** Every record of a kind with the time its source last changed (the sweep compares it with the index). */
export async function sourceTimes(tx: Tx, kind: SearchKind): Promise<Map<string, number>> {
  if (kind === "document") {
    const rows = await tx.document.findMany({
      select: { id: true, updatedAt: true, snapshot: { select: { updatedAt: true } } },
    });
    return new Map(rows.map((r) => [r.id, later(r.updatedAt, r.snapshot?.updatedAt).getTime()]));
  }
  const rows = await tx.consultation.findMany({ select: { id: true, updatedAt: true } });
  return new Map(rows.map((r) => [r.id, r.updatedAt.getTime()]));
}

/** Names of every organisation (the user dictionary of the segmenter). */
export async function organisationNames(tx: Tx): Promise<string[]> {
  const rows = await tx.organization.findMany({ select: { name: true, shortName: true } });
  return rows.flatMap((r) => (r.shortName ? [r.name, r.shortName] : [r.name]));
}

/** The record ids of the entries of a kind (the sweep drops those whose record is gone). */
export async function entriesOf(tx: Tx, kind: SearchKind): Promise<string[]> {
  return (await tx.searchEntry.findMany({ where: { kind }, select: { recordId: true } })).map((r) => r.recordId);
}
