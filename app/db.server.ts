import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PgClient } from "./generated/postgres/client";
import { PrismaClient, Prisma } from "./generated/sqlite/client";

export { Prisma };
export type Db = PrismaClient;
/** A transaction client or the root client: models take either. */
export type Tx = Prisma.TransactionClient | PrismaClient;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Creates the Prisma client for DATABASE_URL: SQLite (embedded default) through better-sqlite3,
 * or PostgreSQL through pg. Both clients come from the same schema (see
 * docs/decisions/002-prisma-on-two-databases.md), so the SQLite client's types describe both.
 */
export function createDb(url: string): Db {
  if (isPostgresUrl(url)) {
    const client = new PgClient({ adapter: postgresAdapter(url) });
    // Same models, same query API: the generated types differ only nominally.
    return client as unknown as Db;
  }
  const file = url.replace(/^file:/, "");
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new PrismaClient({ adapter: sqliteWithPragmas(file) });
}

/**
 * PostgreSQL through @prisma/adapter-pg and pg, imported when the client first connects: a process on SQLite
 * never loads them (ADR 030).
 */
function postgresAdapter(url: string): SqlDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    async connect() {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url, max: 10 }).connect();
    },
  };
}

/**
 * better-sqlite3 runs on the event loop: every commit blocks it. WAL with synchronous=NORMAL commits
 * without an fsync (the WAL is synced at checkpoints), so a crash of the process loses nothing and
 * only a power loss may lose the last moments; readers never block the writer; busy_timeout lets a
 * second process (tests, scripts) wait instead of failing.
 */
function sqliteWithPragmas(file: string): SqlDriverAdapterFactory {
  const base = new PrismaBetterSQLite3({ url: file });
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    async connect() {
      const adapter = await base.connect();
      await adapter.executeScript(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
      );
      if (process.env.SQLITE_BEGIN_IMMEDIATE === "true") beginImmediate(adapter);
      return adapter;
    },
  };
}

/**
 * For a process that writes the same SQLite file as a running server (a Playwright worker setting up
 * data, a script): its transactions take the write lock when they begin (BEGIN IMMEDIATE). A
 * deferred transaction that reads and then writes cannot wait for another process's commit —
 * SQLite answers "database is locked" at once — while an immediate one waits (busy_timeout).
 * Never in the server itself: its collab store writes through a second connection of the same
 * process, whose synchronous busy-wait would then block the event loop the transaction needs.
 * The adapter prepares its statements on a better-sqlite3 connection it keeps as `client`.
 */
function beginImmediate(adapter: object): void {
  const client = (adapter as { client?: { prepare: (sql: string) => unknown } }).client;
  if (!client) throw new Error("the SQLite adapter no longer exposes its connection: check beginImmediate");
  const prepare = client.prepare.bind(client);
  client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
}

let shared: Db | undefined;

/** The process's client, created on first use from DATABASE_URL. */
export function getDb(): Db {
  if (!shared) {
    shared = createDb(process.env.DATABASE_URL ?? "file:./data/consult.db");
  }
  return shared;
}

export async function disconnectDb(): Promise<void> {
  if (shared) {
    const client = shared;
    shared = undefined;
    await client.$disconnect();
  }
}

/** Unique-constraint violation from Prisma (P2002), on either database's client. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002"
  );
}
