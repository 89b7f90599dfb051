import { copyFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

// Each test file (own process) gets a fresh copy of the migrated template database, unless a
// PostgreSQL URL was given on purpose.
if (!process.env.TEST_DATABASE_URL) {
  const dir = process.env.TEST_DATA_DIR ?? "data/test";
  const file = `${dir}/${randomBytes(6).toString("hex")}.db`;
  copyFileSync(`${dir}/template.db`, file);
  process.env.DATABASE_URL = `file:./${file}`;
} else {
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
}
process.env.NODE_ENV = "test";
process.env.LOGIN_SLOWDOWN_MS ??= "10";
process.env.LOG_LEVEL ??= "silent";
