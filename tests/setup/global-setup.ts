import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";

/** Migrates a template SQLite database once; each test file works on its own copy (per-file.ts). */
export default function setup() {
  // TEST_DATA_DIR lets two suites run side by side without deleting each other's databases.
  const dir = process.env.TEST_DATA_DIR ?? "data/test";
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:./${dir}/template.db`, PRISMA_SCHEMA: "prisma/schema.prisma" },
    stdio: "pipe",
  });
}
