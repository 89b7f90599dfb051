// scripts/redaction-check.ts: one JSON line out per JSON line in, findings as {type, start, end, text}.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("scripts/redaction-check.ts", () => {
  it("answers every input line in order, with the finding kinds and offsets", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "redaction-check-"));
    const file = path.join(dir, "input.jsonl");
    const text = "当事人王小明（身份证号330102198703154024）住示例市甲县幸福路12号。";
    writeFileSync(
      file,
      [
        JSON.stringify({ text }),
        "",
        JSON.stringify({ text: "示例市鑫源公司", parties: ["示例市鑫源公司"] }),
        "{}",
      ].join("\n"),
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/redaction-check.ts", file], {
      encoding: "utf8",
    });
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { findings: unknown[]; error?: string });
    expect(lines).toHaveLength(3);
    expect(lines[0].findings).toEqual([
      { type: "PERSON_NAME", start: 3, end: 6, text: "王小明" },
      { type: "ID_NUMBER", start: 11, end: 29, text: "330102198703154024" },
      { type: "ADDRESS", start: 31, end: 42, text: "示例市甲县幸福路12号" },
    ]);
    expect(lines[1].findings).toEqual([{ type: "COMPANY_NAME", start: 0, end: 7, text: "示例市鑫源公司" }]);
    expect(lines[2]).toMatchObject({ findings: [], error: '"text" must be a string' });
    expect(run.status).toBe(1);
  });
});
