import { execFileSync } from "node:child_process";
import { e2eBasePort, templateDbFile } from "./servers";

/**
 * Migrates and seeds the demo database once per run; every worker's server starts on a copy of it
 * (tests/e2e/fixtures.ts), so N workers do not migrate and seed N times.
 */
export default function globalSetup(): void {
  try {
    execFileSync("bash", ["scripts/e2e-server.sh", "--prepare"], {
      env: { ...process.env, E2E_PORT: String(e2eBasePort()), E2E_DB: templateDbFile() },
      stdio: "pipe",
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`Preparing the demo database failed:\n${stderr}`, { cause: err });
  }
}
