import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a server process and waits until it prints `ready` (or the port is open). */
export async function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.on("data", (d: Buffer) => {
    if (process.env.BENCH_ELD) process.stderr.write(d);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start`)), 30_000);
    const onData = (d: Buffer) => {
      if (ready.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}`)));
  });
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in bytes (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/** CPU time (user + system) a process has used so far, in ms (Linux, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // Fields after "(comm) ": state is index 0, utime 11, stime 12.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export interface Row {
  metric: string;
  consult: number;
  reference: number;
  unit: string;
  /** "lower" when smaller is better. */
  better: "lower" | "higher";
  target?: string;
}

export function printTable(title: string, rows: Row[]): void {
  const fmt = (n: number) => (Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2)) : "—");
  const lines = [
    `\n${title}`,
    `${"metric".padEnd(34)} ${"consult".padStart(10)} ${"reference".padStart(10)} ${"ratio".padStart(7)}  target`,
    `${"-".repeat(34)} ${"-".repeat(10)} ${"-".repeat(10)} ${"-".repeat(7)}  ------`,
  ];
  for (const r of rows) {
    const ratio = r.reference === 0 ? (r.consult === 0 ? 1 : Infinity) : r.consult / r.reference;
    lines.push(
      `${`${r.metric} (${r.unit})`.padEnd(34)} ${fmt(r.consult).padStart(10)} ${fmt(r.reference).padStart(10)} ${(Number.isFinite(ratio) ? ratio.toFixed(2) + "×" : "—").padStart(7)}  ${r.target ?? ""}`,
    );
  }
  console.log(lines.join("\n"));
}
