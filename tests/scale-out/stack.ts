import { execFileSync } from "node:child_process";
import pg from "pg";

/** A scale-out stack (scripts/scale-out.sh) on its own ports, for the failover test and the bench. */
export interface Stack {
  lb: string;
  apps: string[];
  databaseUrl: string;
  env: Record<string, string>;
  run(...args: string[]): string;
  stop(): void;
}

export function startStack(options: {
  name: string;
  lbPort: number;
  appPorts: [number, number];
  redisPort: number;
  pgPort: number;
  appEnv?: string;
}): Stack {
  const env = {
    LB_PORT: String(options.lbPort),
    APP_PORTS: options.appPorts.join(" "),
    REDIS_PORT: String(options.redisPort),
    PG_PORT: String(options.pgPort),
    PG_DB: `consult_${options.name.replace(/\W/g, "_")}`,
    SCALE_DIR: `data/${options.name}`,
    FRESH_DB: "1",
    SKIP_BUILD: "1",
    APP_ENV: `LOG_LEVEL=warn REMINDERS_ENABLED=false LOGIN_SLOWDOWN_MS=0 ${options.appEnv ?? ""}`.trim(),
  };
  const run = (...args: string[]) =>
    execFileSync("bash", ["scripts/scale-out.sh", ...args], {
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  run("stop");
  run("start");
  return {
    lb: `http://127.0.0.1:${options.lbPort}`,
    apps: options.appPorts.map((p) => `http://127.0.0.1:${p}`),
    databaseUrl: `postgresql://consult@127.0.0.1:${options.pgPort}/${env.PG_DB}`,
    env,
    run,
    stop: () => {
      try {
        run("stop");
      } catch {
        // already down
      }
    },
  };
}

/** Signs a demo user in (password Demo@2026) and returns the session cookie. */
export async function signIn(origin: string, username: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ username, password: "Demo@2026" }).toString(),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  return cookie;
}

/** Creates a minutes draft owned by `orgName`, co-drafted by `writerOrgNames`; returns its id. */
export async function createDocument(
  origin: string,
  cookie: string,
  databaseUrl: string,
  title: string,
  orgName: string,
  writerOrgNames: string[] = [],
): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const orgs = await client.query<{ id: string; name: string }>(
      'SELECT "id", "name" FROM "Organization" WHERE "name" = ANY($1)',
      [[orgName, ...writerOrgNames]],
    );
    const idOf = (name: string) => orgs.rows.find((o) => o.name === name)!.id;
    const form = new URLSearchParams({ title, type: "MINUTES", ownerOrgId: idOf(orgName) });
    for (const w of writerOrgNames) form.set(`access.${idOf(w)}`, "WRITE");
    const res = await fetch(`${origin}/documents/new`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, Cookie: cookie },
      body: form.toString(),
      redirect: "manual",
    });
    const location = res.headers.get("location") ?? "";
    const id = location.split("/documents/")[1];
    if (res.status !== 302 || !id) throw new Error(`creating a document failed: ${res.status} ${await res.text()}`);
    return id;
  } finally {
    await client.end();
  }
}

export async function health(origin: string): Promise<{ instance: string; collab: number; redis?: string } | null> {
  try {
    const res = await fetch(`${origin}/healthz`);
    return (await res.json()) as { instance: string; collab: number; redis?: string };
  } catch {
    return null;
  }
}
