// Prisma CLI configuration. Prisma 6.19 runs here with its JS engine and a driver adapter (no
// native engine download): see docs/decisions/002-prisma-on-two-databases.md.
// PRISMA_SCHEMA selects the schema (SQLite source or the derived PostgreSQL one); the adapter is
// picked from DATABASE_URL.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { cliAdapterFactory } from "./scripts/prisma-cli-adapter";

// The schema reads env("DATABASE_URL"); without it the CLI cannot read the generator block and
// falls back to downloading a native engine.
process.env.DATABASE_URL ??= "file:./data/consult.db";

const isPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
const schema = process.env.PRISMA_SCHEMA ?? (isPostgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(schema),
  migrations: { path: path.join(path.dirname(schema), "migrations") },
  adapter: async () => cliAdapterFactory(process.env.DATABASE_URL ?? ""),
});
