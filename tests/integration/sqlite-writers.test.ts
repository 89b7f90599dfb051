import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb, isPostgresUrl } from "~/db.server";
import { buildOrg } from "../factories";

/**
 * Two processes writing one SQLite file (the server and a Playwright worker or a script): the other
 * process's read-then-write transaction must wait for this one's writes instead of failing with
 * "database is locked" (SQLITE_BEGIN_IMMEDIATE in app/db.server.ts, which tests/e2e/app-access.ts sets).
 */
const url = process.env.DATABASE_URL ?? "";

/** Another process: a transaction that reads, says so, waits, then writes. */
function readThenWrite(orgId: string) {
  const db = path.resolve("app/db.server.ts");
  const code = `
    const { createDb } = await import(${JSON.stringify(db)});
    const db = createDb(process.env.DATABASE_URL);
    try {
      await db.$transaction(async (tx) => {
        await tx.organization.findUnique({ where: { id: ${JSON.stringify(orgId)} } });
        console.log("read");
        await new Promise((r) => setTimeout(r, 400));
        await tx.organization.update({ where: { id: ${JSON.stringify(orgId)} }, data: { shortName: "甲" } });
      });
      console.log("committed");
    } catch (e) {
      console.log("failed: " + String(e?.message ?? e).split("\\n").pop());
    }
    await db.$disconnect();
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    env: { ...process.env, DATABASE_URL: url, SQLITE_BEGIN_IMMEDIATE: "true" },
  });
  let out = "";
  const read = new Promise<void>((resolve) =>
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("read")) resolve();
    }),
  );
  const done = new Promise<string>((resolve) => child.on("close", () => resolve(out)));
  return { read, done };
}

describe.skipIf(isPostgresUrl(url))("SQLite with two writing processes", () => {
  it("a read-then-write transaction in another process and a write here both succeed", async () => {
    const [org, second] = [await buildOrg(), await buildOrg()];
    const other = readThenWrite(org.id);
    await other.read;
    await getDb().organization.update({ where: { id: second.id }, data: { shortName: "乙" } });
    expect(await other.done).toContain("committed");
    const rows = await getDb().organization.findMany({
      where: { id: { in: [org.id, second.id] } },
      select: { shortName: true },
    });
    expect(rows.map((r) => r.shortName).sort()).toEqual(["乙", "甲"].sort());
  });
});
