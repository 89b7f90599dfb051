import { defineConfig } from "@playwright/test";

/**
 * Browser tests with Debian's chromium (never a downloaded browser). Each worker starts its own
 * server on its own copy of the demo database (tests/e2e/fixtures.ts): worker n on E2E_PORT + n.
 * E2E_WORKERS sets how many (default 2).
 */
export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Every test creates the data it changes (through the app or its services), so tests run in whatever order and on whichever worker.
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [["list"]],
  use: {
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    // DOM snapshots of every action, without the screencast: the frames cost the browser about a
    // quarter of its CPU, and the failure screenshot below still shows the last state.
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: true },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
