import path from "node:path";
import { defineConfig } from "vitest/config";

/** Scale-out failure drills (scripts/scale-out-check.sh): PostgreSQL, Redis, two processes, nginx. */
export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    include: ["tests/scale-out/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
