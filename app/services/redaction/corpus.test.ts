// Measures the 脱敏检查 on the development corpus (corpus.ts): recall per finding kind and false positives on
// clean sentences, without the party list (what the check finds on its own) and with it. Prints a table.
//
// Matching rule: a label is found when a finding of the same kind covers the label's whole span
// (finding.start ≤ label.start and label.end ≤ finding.end). Every occurrence of a label's text in its
// sentence is a labelled span. A clean sentence (no labels) counts as a false positive when the check reports
// anything in it.

import { beforeAll, describe, expect, it } from "vitest";
import { REDACTION_CORPUS, type CorpusSentence } from "./corpus";
import { FINDING_KINDS, FINDING_LABELS, detectPii, loadSegmenter, type Finding, type FindingKind } from "./detect";

beforeAll(() => loadSegmenter());

interface LabelledSpan {
  kind: FindingKind;
  start: number;
  end: number;
}

function labelledSpans(s: CorpusSentence): LabelledSpan[] {
  return s.labels.flatMap((l) => {
    const spans: LabelledSpan[] = [];
    for (let i = s.text.indexOf(l.text); i >= 0; i = s.text.indexOf(l.text, i + l.text.length)) {
      spans.push({ kind: l.kind, start: i, end: i + l.text.length });
    }
    return spans;
  });
}

const covers = (f: Finding, l: LabelledSpan) => f.kind === l.kind && f.start <= l.start && l.end <= f.end;

interface Tally {
  found: number;
  total: number;
}

interface Measurement {
  recall: Map<FindingKind, Tally>;
  clean: Tally;
  misses: string[];
  falsePositives: string[];
}

function measure(withParties: boolean): Measurement {
  const recall = new Map<FindingKind, Tally>(FINDING_KINDS.map((k) => [k, { found: 0, total: 0 }]));
  const clean = { found: 0, total: 0 };
  const misses: string[] = [];
  const falsePositives: string[] = [];
  for (const s of REDACTION_CORPUS) {
    const findings = detectPii(s.text, { parties: withParties ? (s.parties ?? []) : [] });
    for (let i = 1; i < findings.length; i++) {
      expect(findings[i].start, s.id).toBeGreaterThanOrEqual(findings[i - 1].end);
    }
    for (const l of labelledSpans(s)) {
      const t = recall.get(l.kind);
      if (!t) continue;
      t.total++;
      if (findings.some((f) => covers(f, l))) t.found++;
      else misses.push(`${s.id} ${l.kind} ${s.text.slice(l.start, l.end)}`);
    }
    if (s.labels.length === 0) {
      clean.total++;
      if (findings.length > 0) {
        clean.found++;
        falsePositives.push(`${s.id} ${findings.map((f) => `${f.kind} ${f.text}`).join("; ")}`);
      }
    }
  }
  return { recall, clean, misses, falsePositives };
}

const rate = (t: Tally) => (t.total === 0 ? 1 : t.found / t.total);
const cell = (t: Tally) => `${rate(t).toFixed(3)} (${t.found}/${t.total})`.padEnd(18);

describe("development corpus", () => {
  it("is large and varied enough", () => {
    const spans = REDACTION_CORPUS.flatMap(labelledSpans);
    const sentencesWith = (kind: FindingKind) =>
      REDACTION_CORPUS.filter((s) => s.labels.some((l) => l.kind === kind)).length;
    expect(new Set(REDACTION_CORPUS.map((s) => s.id)).size).toBe(REDACTION_CORPUS.length);
    expect(REDACTION_CORPUS.filter((s) => s.labels.length === 0).length).toBeGreaterThanOrEqual(100);
    for (const kind of FINDING_KINDS) expect(sentencesWith(kind), kind).toBeGreaterThanOrEqual(10);
    expect(spans.filter((l) => l.kind === "PERSON_NAME").length).toBeGreaterThanOrEqual(80);
    for (const s of REDACTION_CORPUS) {
      for (const l of s.labels) expect(s.text.includes(l.text), `${s.id}: ${l.text}`).toBe(true);
    }
  });

  it("meets the recall and false-positive targets without the party list (and reports both modes)", () => {
    const without = measure(false);
    const withList = measure(true);
    const lines = [
      `脱敏检查语料: ${REDACTION_CORPUS.length} 句（无个人信息 ${without.clean.total} 句）`,
      `  ${"类型".padEnd(14)} ${"无当事人名单".padEnd(12)} 有当事人名单`,
      ...FINDING_KINDS.map((k) => {
        const a = without.recall.get(k) ?? { found: 0, total: 0 };
        const b = withList.recall.get(k) ?? { found: 0, total: 0 };
        return `  ${k.padEnd(12)} ${cell(a)} ${cell(b)} ${FINDING_LABELS[k]}`;
      }),
      `  ${"误报（无个人信息句）".padEnd(10)} ${cell(without.clean)} ${cell(withList.clean)}`,
      ...without.misses.map((m) => `  漏检（无名单） ${m}`),
      ...withList.misses.map((m) => `  漏检（有名单） ${m}`),
      ...without.falsePositives.map((m) => `  误报（无名单） ${m}`),
      ...withList.falsePositives.map((m) => `  误报（有名单） ${m}`),
    ];
    console.log(lines.join("\n"));

    for (const kind of FINDING_KINDS) {
      const t = without.recall.get(kind) ?? { found: 0, total: 0 };
      expect(rate(t), `${kind} recall without the party list`).toBeGreaterThanOrEqual(0.97);
    }
    expect(rate(without.clean), "share of clean sentences with a finding").toBeLessThanOrEqual(0.02);
    expect(rate(withList.clean)).toBeLessThanOrEqual(0.02);
  });
});
