// Driver adapters for the Prisma CLI (migrate), with the two fixes Prisma 6.19's JS schema engine
// needs on this stack (see docs/decisions/002-prisma-on-two-databases.md):
// - SQLite: the schema engine sends whole multi-statement scripts through argument-less
//   executeRaw; better-sqlite3 prepares one statement at a time, so those go to executeScript.
// - PostgreSQL: the catalog's `name` (OID 19) and `"char"` (OID 18) columns are not deserializable
//   by adapter-pg 6.19.3; they are read as text (OID 25). Shadow databases are dropped WITH (FORCE)
//   after their pool is closed.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import pg from "pg";

export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, "");
}

function patchSqlite(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query: SqlQuery) => {
    if (query.args.length === 0 && query.sql.split(";").filter((s) => s.trim()).length > 1) {
      await adapter.executeScript(query.sql);
      return 0;
    }
    return executeRaw(query);
  };
  return adapter;
}

const TEXT_OID = 25;
const catalogTextTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === 19 || oid === 18 ? pg.types.getTypeParser(TEXT_OID, format) : pg.types.getTypeParser(oid, format),
};

/** A pg.Pool whose catalog `name`/`"char"` columns are reported as text to the adapter. */
function catalogSafePool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, types: catalogTextTypes });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const remap = (result: pg.QueryResult) => {
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  (pool as unknown as { query: (...args: unknown[]) => Promise<pg.QueryResult> }).query = async (...args: unknown[]) =>
    remap(await query(...args));
  return pool;
}

export function cliAdapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const base = new PrismaPg(catalogSafePool({ connectionString: url }));
    return {
      provider: "postgres",
      adapterName: base.adapterName,
      connect: () => base.connect(),
      connectToShadowDb: async () => {
        const database = `consult_shadow_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE DATABASE "${database}"`);
        await admin.end();
        const shadowUrl = new URL(url);
        shadowUrl.pathname = `/${database}`;
        const shadowPool = catalogSafePool({ connectionString: shadowUrl.toString() });
        const adapter = await new PrismaPg(shadowPool).connect();
        const dispose = adapter.dispose.bind(adapter);
        adapter.dispose = async () => {
          await dispose();
          await shadowPool.end().catch(() => undefined);
          const dropper = new pg.Client({ connectionString: url });
          await dropper.connect();
          await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
          await dropper.end();
        };
        return adapter;
      },
    };
  }
  const file = sqliteFilePath(url);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const base = new PrismaBetterSQLite3({ url: file });
  const shadow = new PrismaBetterSQLite3({ url: ":memory:" });
  return {
    provider: "sqlite",
    adapterName: base.adapterName,
    connect: async () => patchSqlite(await base.connect()),
    connectToShadowDb: async () => patchSqlite(await shadow.connect()),
  };
}
