// Derives prisma/postgres/schema.prisma from the SQLite source schema (prisma/schema.prisma).
// Run by `npm run db:generate`; the derived file is committed so migrations can be diffed in review.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const source = readFileSync("prisma/schema.prisma", "utf8");
const derived =
  "// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.ts — do not edit.\n" +
  source
    .replace(/^\/\/ Source schema[\s\S]*?\n\n/m, "")
    .replace('output       = "../app/generated/sqlite"', 'output       = "../../app/generated/postgres"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
if (derived === source || !derived.includes('"postgresql"') || !derived.includes("generated/postgres")) {
  throw new Error("prisma-schemas: the source schema no longer has the expected generator/datasource lines");
}
mkdirSync("prisma/postgres", { recursive: true });
writeFileSync("prisma/postgres/schema.prisma", derived);
console.log("prisma/postgres/schema.prisma derived from prisma/schema.prisma");
