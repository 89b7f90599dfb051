import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

/**
 * One app server per Playwright worker, each on its own port and its own SQLite database (a copy of
 * the demo database global-setup.ts prepared): workers never see each other's data.
 * Worker n (its parallelIndex, 0 ≤ n < workers) listens on E2E_PORT + n.
 */
export function e2eBasePort(): number {
  return Number(process.env.E2E_PORT ?? 3100);
}

export function templateDbFile(): string {
  return `data/e2e-${e2eBasePort()}-template.db`;
}

export interface E2eServer {
  port: number;
  origin: string;
  /** The server's database, relative to the repository root. */
  dbFile: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthy(origin: string): Promise<boolean> {
  try {
    const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startServer(index: number, timeoutMs = 90_000): Promise<E2eServer> {
  const port = e2eBasePort() + index;
  const origin = `http://127.0.0.1:${port}`;
  const dbFile = `data/e2e-${port}.db`;
  const logFile = `data/e2e-${port}.log`;
  if (await healthy(origin))
    throw new Error(`${origin} already answers: another run uses port ${port} (set E2E_PORT).`);
  const log = openSync(logFile, "w");
  // Its own process group, so stopping it also stops what it started (a PDF export's chromium).
  const child = spawn("bash", ["scripts/e2e-server.sh"], {
    env: { ...process.env, E2E_PORT: String(port), E2E_DB: dbFile, E2E_TEMPLATE: templateDbFile() },
    stdio: ["ignore", log, log],
    detached: true,
  });
  closeSync(log);
  const pid = child.pid!;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  // A worker that exits without its teardown (crash, kill) must not leave the port taken.
  const onExit = () => kill("SIGKILL");
  process.on("exit", onExit);

  const deadline = Date.now() + timeoutMs;
  while (!(await healthy(origin))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      kill("SIGKILL");
      process.off("exit", onExit);
      const tail = readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
      throw new Error(`The e2e server on ${origin} did not start (log ${logFile}):\n${tail}`);
    }
    await sleep(200);
  }
  return {
    port,
    origin,
    dbFile,
    async stop() {
      kill("SIGTERM");
      await Promise.race([exited(child), sleep(10_000)]);
      kill("SIGKILL");
      process.off("exit", onExit);
    },
  };
}
