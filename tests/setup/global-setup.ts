import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";

/** Migrates a template SQLite database once; each test file works on its own copy (per-file.ts). */
export default function setup() {
  rmSync("data/test", { recursive: true, force: true });
  mkdirSync("data/test", { recursive: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: "file:./data/test/template.db", PRISMA_SCHEMA: "prisma/schema.prisma" },
    stdio: "pipe",
  });
}
