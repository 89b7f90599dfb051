/**
 * 脱敏检查 from the command line: runs the redaction check (app/services/redaction/detect.ts) over a JSON Lines
 * file and writes one JSON line per input line to stdout.
 *
 *   node --import tsx scripts/redaction-check.ts FILE.jsonl      (or: npm run redaction:check -- FILE.jsonl)
 *   node --import tsx scripts/redaction-check.ts - < FILE.jsonl  (stdin)
 *
 * Input lines:  {"text": "…", "parties"?: ["张三", "示例市鑫源食品有限公司"]}
 * Output lines: {"findings": [{"type": "PERSON_NAME", "start": 3, "end": 6, "text": "王小明"}, …]}
 *
 * type is a FindingKind; start/end are offsets into text in UTF-16 code units (JavaScript string indices,
 * the same as code points for text without characters outside the Basic Multilingual Plane); text is
 * text.slice(start, end). Blank input lines are skipped; a line that is not a valid input gets
 * {"findings": [], "error": "…"} so that output line N still answers input line N. Exit code 1 when a line
 * was invalid.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { detectPii, loadSegmenter } from "../app/services/redaction/detect";

interface InputLine {
  text: string;
  parties: string[];
}

function parseLine(line: string): InputLine {
  const value: unknown = JSON.parse(line);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
  const { text, parties } = value as { text?: unknown; parties?: unknown };
  if (typeof text !== "string") throw new Error('"text" must be a string');
  if (parties !== undefined && (!Array.isArray(parties) || !parties.every((p) => typeof p === "string"))) {
    throw new Error('"parties" must be an array of strings');
  }
  return { text, parties: (parties as string[] | undefined) ?? [] };
}

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || file === "-h" || file === "--help") {
    process.stderr.write("usage: node --import tsx scripts/redaction-check.ts FILE.jsonl   (FILE - reads stdin)\n");
    return file ? 0 : 2;
  }
  const input = file === "-" ? process.stdin : createReadStream(file, { encoding: "utf8" });
  await loadSegmenter();
  let invalid = 0;
  let lineNumber = 0;
  let out = "";
  const flush = () => {
    if (out) process.stdout.write(out);
    out = "";
  };
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    const line = raw.replace(/^\uFEFF/, "");
    if (line.trim() === "") continue;
    let result: object;
    try {
      const { text, parties } = parseLine(line);
      const findings = detectPii(text, { parties });
      result = { findings: findings.map((f) => ({ type: f.kind, start: f.start, end: f.end, text: f.text })) };
    } catch (error) {
      invalid++;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`line ${lineNumber}: ${message}\n`);
      result = { findings: [], error: message };
    }
    out += `${JSON.stringify(result)}\n`;
    if (out.length > 64 * 1024) flush();
  }
  flush();
  return invalid > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
