import { Prisma, isPostgresUrl, type Tx } from "~/db.server";
import { ENFORCEMENT_KINDS } from "~/domain/organization";
import { SEARCH_KINDS, type SearchKind } from "~/domain/search";

/**
 * Global search (ADR 028): the index rows, the queue of records to re-index, and the query that matches and
 * authorizes in one statement. Two adapters behind `searchIndex()`: SQLite's FTS5 table `SearchFts` (rowid =
 * SearchEntry.id) and PostgreSQL's stored `tsv` column (`to_tsvector('simple', tokens)`) with its GIN index. Both read the same pre-segmented,
 * space-joined tokens, so both find the same records.
 *
 * Each kind's read rule below is its policy written as SQL (the policy's file is named at each); the
 * authorization matrix compares every relation's results with what the pages show it.
 */

/** Whose reading the query is restricted to: the actor's user id, orgs and the regions it supervises below. */
export interface SearchReader {
  userId: string;
  orgIds: readonly string[];
  /** Region paths the actor supervises below (memberships in SUPERVISING_KINDS: documents, consultations, items). */
  supervisingPaths: readonly string[];
  /** 行政执法监督: region paths at and below which it reads the items law-enforcement units lead or support. */
  enforcementPaths: readonly string[];
  /** Region paths below which it follows recommendations addressed there (FOLLOWING_KINDS). */
  followingPaths: readonly string[];
  /** Orgs in which it handles clues (CLUE_HANDLING_ROLES): only they read a clue (ADR 023). */
  clueOrgIds: readonly string[];
}

export interface SearchEntryInput {
  kind: SearchKind;
  recordId: string;
  title: string;
  body: string;
  href: string;
  /** Org ids the unit filter finds the record by. */
  units: readonly string[];
  status: string;
  /** YYYY-MM-DD (China time), or "" when the record has no date of its own. */
  recordDay: string;
  /** Space-joined index tokens. */
  tokens: string;
  sourceAt: Date;
}

/** What must match: every token exactly, every prefix as the start of a token. */
export interface SearchMatch {
  tokens: readonly string[];
  prefixes: readonly string[];
}

/** What narrows the matches besides the words (already validated: an org id, a status, days). */
export interface SearchNarrowing {
  kinds: readonly SearchKind[];
  unit?: string | null;
  status?: string | null;
  fromDay?: string | null;
  toDay?: string | null;
}

export interface SearchHit {
  kind: SearchKind;
  recordId: string;
  title: string;
  body: string;
  href: string;
  status: string;
  recordDay: string;
}

export interface SearchResultRows {
  hits: SearchHit[];
  /** Matches per kind the reader may read, with every narrowing but the kind (before the limit). */
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
    options: SearchNarrowing & { limit: number },
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

/** The region is one of the paths or lies below one. */
function atOrBelow(regionPath: Prisma.Sql, paths: readonly string[]): Prisma.Sql {
  if (!paths.length) return FALSE;
  return Prisma.join(
    paths.map((p) => Prisma.sql`substr(${regionPath}, 1, ${p.length}) = ${p}`),
    " OR ",
  );
}

/**
 * The document policy's read rule (`grantedDocumentAccess`, app/policies/document.ts), whatever the status: a
 * member of the owner org, of an org listed on the document, a user listed on it, or a supervising org above the
 * owner's region.
 */
function documentReadable(documentId: Prisma.Sql, r: SearchReader): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Document" d
    JOIN "Organization" o ON o."id" = d."ownerOrgId" JOIN "Region" g ON g."id" = o."regionId"
    WHERE d."id" = ${documentId} AND (
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

/**
 * The ledger's scope (`itemScopeWhere`, app/models/tracked-item.server.ts, mirroring `authorizeItem` "read"): not
 * removed, and the actor's org owns, leads or supports it, or is listed on its source document, or supervises
 * the owner's region, or (行政执法监督) a law-enforcement unit of its region leads or supports it.
 */
function itemReadable(recordId: Prisma.Sql, r: SearchReader): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "TrackedItem" i
    JOIN "Organization" o ON o."id" = i."ownerOrgId" JOIN "Region" g ON g."id" = o."regionId"
    WHERE i."id" = ${recordId} AND i."status" <> 'REMOVED' AND (
      ${inList(Prisma.sql`i."ownerOrgId"`, r.orgIds)}
      OR EXISTS (SELECT 1 FROM "TrackedItemOrg" io WHERE io."itemId" = i."id" AND ${inList(Prisma.sql`io."orgId"`, r.orgIds)})
      OR EXISTS (SELECT 1 FROM "DocumentMember" m WHERE m."documentId" = i."sourceDocumentId"
        AND (${inList(Prisma.sql`m."orgId"`, r.orgIds)} OR m."userId" = ${r.userId}))
      OR ${supervisedBelow(Prisma.sql`g."path"`, r.supervisingPaths)}
      OR ${
        r.enforcementPaths.length
          ? Prisma.sql`EXISTS (SELECT 1 FROM "TrackedItemOrg" eo JOIN "Organization" eorg ON eorg."id" = eo."orgId"
              JOIN "Region" er ON er."id" = eorg."regionId"
              WHERE eo."itemId" = i."id" AND eo."role" IN ('LEAD', 'SUPPORTING')
                AND ${inList(Prisma.sql`eorg."kind"`, [...ENFORCEMENT_KINDS])}
                AND (${atOrBelow(Prisma.sql`er."path"`, r.enforcementPaths)}))`
          : FALSE
      }))`;
}

/**
 * The recommendation policy's read rule (`recommendationScopeWhere`, app/models/recommendation.server.ts): issued
 * by, addressed to or copied to one of the actor's orgs, or addressed to an org below a region it follows.
 */
function recommendationReadable(recordId: Prisma.Sql, r: SearchReader): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Recommendation" rc
    JOIN "Organization" o ON o."id" = rc."recipientOrgId" JOIN "Region" g ON g."id" = o."regionId"
    WHERE rc."id" = ${recordId} AND (
      ${inList(Prisma.sql`rc."issuerOrgId"`, r.orgIds)}
      OR ${inList(Prisma.sql`rc."recipientOrgId"`, r.orgIds)}
      OR EXISTS (SELECT 1 FROM "RecommendationCopy" cp WHERE cp."recommendationId" = rc."id"
        AND ${inList(Prisma.sql`cp."orgId"`, r.orgIds)})
      OR ${supervisedBelow(Prisma.sql`g."path"`, r.followingPaths)}))`;
}

/**
 * The clue policy's read rule (`clueRelation`, app/policies/clue.ts): a handler of the sending or receiving unit,
 * or of a unit granted access. Nobody else learns that the clue exists (ADR 023).
 */
function clueReadable(recordId: Prisma.Sql, r: SearchReader): Prisma.Sql {
  if (!r.clueOrgIds.length) return FALSE;
  return Prisma.sql`EXISTS (SELECT 1 FROM "Clue" cl WHERE cl."id" = ${recordId} AND (
      ${inList(Prisma.sql`cl."fromOrgId"`, r.clueOrgIds)}
      OR ${inList(Prisma.sql`cl."toOrgId"`, r.clueOrgIds)}
      OR EXISTS (SELECT 1 FROM "ClueGrant" gr WHERE gr."clueId" = cl."id" AND ${inList(Prisma.sql`gr."orgId"`, r.clueOrgIds)})))`;
}

/** The comment policy's read rule (`authorizeComment` "read", app/policies/comment.ts): whoever reads the document. */
function commentReadable(recordId: Prisma.Sql, r: SearchReader): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "CommentThread" t WHERE t."id" = ${recordId}
    AND ${documentReadable(Prisma.sql`t."documentId"`, r)})`;
}

/** A typical case while its current publication is published (the public library; withdrawn is gone at once). */
function caseReadable(recordId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Publication" pb WHERE pb."documentId" = ${recordId}
    AND pb."current" AND pb."state" = 'PUBLISHED')`;
}

const READABLE: Record<SearchKind, (recordId: Prisma.Sql, r: SearchReader) => Prisma.Sql> = {
  document: documentReadable,
  consultation: consultationReadable,
  item: itemReadable,
  recommendation: recommendationReadable,
  clue: clueReadable,
  comment: commentReadable,
  case: caseReadable,
};

/** Only kinds with a read rule are ever returned: a kind without one matches nothing (never over-share). */
export function readableWhere(reader: SearchReader, kinds: readonly SearchKind[]): Prisma.Sql {
  const known = kinds.filter((k) => SEARCH_KINDS.includes(k));
  if (!known.length) return FALSE;
  return Prisma.sql`(${Prisma.join(
    known.map((k) => Prisma.sql`(e."kind" = ${k} AND ${READABLE[k](Prisma.sql`e."recordId"`, reader)})`),
    " OR ",
  )})`;
}

/** LIKE's wildcards taken literally. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The narrowings other than the kind, as SQL over the entry row `e`. */
function narrowingWhere(n: SearchNarrowing): Prisma.Sql {
  const and: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (n.unit) and.push(Prisma.sql`e."units" LIKE ${`% ${likeLiteral(n.unit)} %`} ESCAPE '\\'`);
  if (n.status) and.push(Prisma.sql`e."status" = ${n.status}`);
  if (n.fromDay) and.push(Prisma.sql`e."recordDay" >= ${n.fromDay}`);
  if (n.toDay) and.push(Prisma.sql`e."recordDay" <> '' AND e."recordDay" <= ${n.toDay}`);
  return Prisma.join(and, " AND ");
}

interface HitRow {
  kind: string;
  recordId: string;
  title: string;
  body: string;
  href: string;
  status: string;
  recordDay: string;
}

/** A row of the unified statement: a hit (grp 0) or a kind's count (grp 1). */
interface UnifiedRow extends HitRow {
  grp: number | bigint;
  n: number | bigint;
}

/**
 * One statement for the hits and the counts: `hits` (id, kind, r — lower ranks first) matches, narrows and
 * authorizes once, materialized; the first `limit` hits of the asked kinds are joined to their entries, and
 * every kind's count is taken from the same set. Authorization runs once per matching entry, not twice.
 */
function unifiedSearch(hits: Prisma.Sql, options: SearchNarrowing & { limit: number }): Prisma.Sql {
  const kinds = options.kinds.filter((k) => SEARCH_KINDS.includes(k));
  return Prisma.sql`WITH "hits" AS MATERIALIZED (${hits})
    SELECT 0 AS "grp", h."r" AS "r", e."id" AS "eid", ${HIT_COLUMNS}, 0 AS "n"
      FROM (SELECT "id", "r" FROM "hits" WHERE ${inList(Prisma.sql`"kind"`, kinds)}
            ORDER BY "r", "id" LIMIT ${options.limit}) h
      JOIN "SearchEntry" e ON e."id" = h."id"
    UNION ALL
    SELECT 1, 0, 0, "kind", '', '', '', '', '', '', COUNT(*) FROM "hits" GROUP BY "kind"
    ORDER BY 1, 2, 3`;
}

function toResult(rows: UnifiedRow[]): SearchResultRows {
  const counts: Partial<Record<SearchKind, number>> = {};
  const hits: SearchHit[] = [];
  for (const row of rows) {
    if (Number(row.grp) === 1) counts[row.kind as SearchKind] = Number(row.n);
    else
      hits.push({
        kind: row.kind as SearchKind,
        recordId: row.recordId,
        title: row.title,
        body: row.body,
        href: row.href,
        status: row.status,
        recordDay: row.recordDay,
      });
  }
  return { hits, counts };
}

/**
 * Writes the row and returns its id (the FTS5 rowid). `storeTokens` false: the FTS5 table holds them (SQLite),
 * the column stays empty — the tokens are about four times the text.
 */
async function upsertEntry(tx: Tx, entry: SearchEntryInput, storeTokens: boolean): Promise<number> {
  const tokens = storeTokens ? entry.tokens : "";
  const units = entry.units.length ? ` ${[...new Set(entry.units)].join(" ")} ` : "";
  const data = {
    title: entry.title,
    body: entry.body,
    href: entry.href,
    units,
    status: entry.status,
    recordDay: entry.recordDay,
    tokens,
    sourceAt: entry.sourceAt,
  };
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

const HIT_COLUMNS = Prisma.sql`e."kind", e."recordId", e."title", e."body", e."href", e."status", e."recordDay"`;

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
  async search(tx, match, reader, options) {
    const hits = Prisma.sql`SELECT e."id" AS "id", e."kind" AS "kind", bm25("SearchFts") AS "r"
      FROM "SearchFts" JOIN "SearchEntry" e ON e."id" = "SearchFts".rowid
      WHERE "SearchFts" MATCH ${fts5Expression(match)} AND ${narrowingWhere(options)}
        AND ${readableWhere(reader, SEARCH_KINDS)}`;
    return toResult(await tx.$queryRaw<UnifiedRow[]>(unifiedSearch(hits, options)));
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
  async search(tx, match, reader, options) {
    const q = Prisma.sql`to_tsquery('simple', ${tsqueryExpression(match)})`;
    // The stored tsvector column and its GIN index (migration search_tsvector_column): the match uses the index,
    // the rank reads the stored vector instead of re-parsing the tokens of every hit.
    const hits = Prisma.sql`SELECT e."id" AS "id", e."kind" AS "kind", -ts_rank(e."tsv", ${q}) AS "r"
      FROM "SearchEntry" e WHERE e."tsv" @@ ${q} AND ${narrowingWhere(options)}
        AND ${readableWhere(reader, SEARCH_KINDS)}`;
    return toResult(await tx.$queryRaw<UnifiedRow[]>(unifiedSearch(hits, options)));
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

/**
 * When each of the records' entries was last written from its source; -1 for a row written before entries
 * carried their link (the sweep rewrites those).
 */
export async function indexedSourceTimes(tx: Tx, kind: SearchKind, recordIds: readonly string[]) {
  const rows = await tx.searchEntry.findMany({
    where: { kind, recordId: { in: [...recordIds] } },
    select: { recordId: true, sourceAt: true, href: true },
  });
  return new Map(rows.map((r) => [r.recordId, r.href ? r.sourceAt.getTime() : -1]));
}

/** A page of a kind's entries' record ids in order (the sweep looks for entries whose record is gone). */
export async function entryRecordIdsPage(tx: Tx, kind: SearchKind, after: string | null, take: number) {
  const rows = await tx.searchEntry.findMany({
    where: { kind, ...(after ? { recordId: { gt: after } } : {}) },
    orderBy: { recordId: "asc" },
    take,
    select: { recordId: true },
  });
  return rows.map((r) => r.recordId);
}

export async function countSearchEntries(tx: Tx): Promise<number> {
  return tx.searchEntry.count();
}
