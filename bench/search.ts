/**
 * Global search (ADR 028) on a database holding N generated documents (after the 示例市 seed), in process (no
 * HTTP: the query and its authorization are what is measured):
 * - indexing: documents per second through the job's own `indexRecord` (jieba + bigrams + one transaction each);
 * - the index's size on disk (SearchEntry and its FTS5 table) against the documents' text;
 * - p50 / p95 of a two-word query and of a one-character query as sfj.coord (示例市司法局, who reads the city's
 *   documents through 上级监督下级 and its own) and as scjg.viewer (one agency), results and counts included.
 * BENCH_ONLY=search npm run bench; BENCH_SEARCH_DOCS (default 5,000), BENCH_SEARCH_CHARS (text per document,
 * default 2,000), BENCH_SEARCH_SAMPLES (default 50).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { percentile } from "./lib";

type Line = { metric: string; value: string };

export interface SearchBenchConfig {
  docs: number;
  chars: number;
  samples: number;
}

const SENTENCES = [
  "会议通报了今年以来行政执法监督工作情况",
  "研究涉企行政检查多头执法重复检查问题的整改措施",
  "各执法部门于每季度首月十日前报送检查计划",
  "开展生态环境领域双随机一公开联合抽查",
  "建立行政执法与刑事司法衔接案件移送台账",
  "梳理近三年行政诉讼败诉案件形成执法问题清单",
  "检察建议书要求被建议单位在两个月内书面回复",
  "联合挂牌督办案件由督办单位共同确认后解除挂牌",
  "府院联动机制每季度通报行政机关负责人出庭应诉率",
  "议定事项由牵头单位按反馈周期报送进展",
  "整改方案应当明确责任单位责任人整改时限和整改标准",
  "典型案例发布前须完成脱敏检查",
];
const NAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "邱", "郑"];
const TWO_WORDS = "统筹机制 排污单位";
const ONE_CHAR = "邱";

function text(i: number, chars: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let k = 0; n < chars; k++) {
    const s = SENTENCES[(i * 7 + k * 5) % SENTENCES.length];
    const extra = k % 9 === 0 ? `，由${NAMES[(i + k) % NAMES.length]}某负责` : "";
    // A few documents hold the two words of the query, fewer the rare surname.
    const rare = k === 3 && i % 50 === 0 ? "，建立统筹机制覆盖全部重点排污单位" : "";
    const sentence = `${s}${extra}${rare}。`;
    parts.push(sentence);
    n += sentence.length;
  }
  return parts.join("");
}

async function prepare(dir: string, cfg: SearchBenchConfig): Promise<string> {
  const file = path.join(dir, "search.db");
  const url = `file:${file}`;
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA: "prisma/schema.prisma" },
    stdio: "pipe",
  });
  const { createDb } = await import("../app/db.server");
  const { seed } = await import("../prisma/seed");
  const db = createDb(url);
  try {
    await seed(db);
    const orgs = await db.organization.findMany({ select: { id: true }, orderBy: { name: "asc" } });
    const creator = await db.user.findUniqueOrThrow({ where: { username: "sfj.drafter" }, select: { id: true } });
    const state = new Uint8Array([0, 0]);
    for (let i = 0; i < cfg.docs; i += 500) {
      const batch = Array.from({ length: Math.min(500, cfg.docs - i) }, (_, k) => i + k);
      await db.document.createMany({
        data: batch.map((n) => ({
          id: `benchdoc${n.toString(36).padStart(6, "0")}`,
          type: "MINUTES",
          title: `基准测试文书第${n}号`,
          // Every org owns some of the documents holding the rare words (every 50th).
          ownerOrgId: orgs[(n + Math.floor(n / 50)) % orgs.length].id,
          status: "FINALIZED",
          createdById: creator.id,
        })),
      });
      await db.documentSnapshot.createMany({
        data: batch.map((n) => ({
          documentId: `benchdoc${n.toString(36).padStart(6, "0")}`,
          state,
          json: '{"type":"doc"}',
          text: text(n, cfg.chars),
        })),
      });
    }
  } finally {
    await db.$disconnect();
  }
  return url;
}

export async function benchSearch(cfg: SearchBenchConfig): Promise<{ ok: boolean }> {
  console.log(`\n== search: ${cfg.docs.toLocaleString("en")} documents of about ${cfg.chars} characters`);
  const dir = mkdtempSync(path.join(tmpdir(), "consult-search-bench-"));
  try {
    const url = await prepare(dir, cfg);
    // The app's modules read DATABASE_URL on first use of their client.
    process.env.DATABASE_URL = url;
    const { getDb, disconnectDb } = await import("../app/db.server");
    const { indexRecord, sweepSearchIndex, refreshSearchDictionary } =
      await import("../app/services/search/search-indexer.server");
    const { search } = await import("../app/services/search/search.server");
    const { searchIndex } = await import("../app/models/search.server");
    const { buildActor, getUserMemberships } = await import("../app/models/user.server");
    const db = getDb();
    await refreshSearchDictionary();
    const ids = (await db.document.findMany({ select: { id: true } })).map((d) => d.id);
    const t0 = performance.now();
    for (const id of ids) await indexRecord("document", id);
    const indexSeconds = (performance.now() - t0) / 1000;
    const sweepStart = performance.now();
    await sweepSearchIndex();
    const sweepMs = performance.now() - sweepStart;
    const textBytes = (await db.documentSnapshot.findMany({ select: { text: true } })).reduce(
      (a, s) => a + Buffer.byteLength(s.text),
      0,
    );
    const indexBytes = await searchIndex().size(db);
    const rows: Line[] = [
      {
        metric: "indexing (jieba + bigrams + write, one transaction each)",
        value: `${Math.round(ids.length / indexSeconds)} documents/s`,
      },
      { metric: "sweep of every document (nothing stale)", value: `${Math.round(sweepMs)} ms` },
      { metric: "documents' text", value: `${(textBytes / 1048576).toFixed(1)} MiB` },
      { metric: "index (SearchEntry + FTS5)", value: `${(indexBytes / 1048576).toFixed(1)} MiB` },
      { metric: "database file", value: `${(statSync(url.replace(/^file:/, "")).size / 1048576).toFixed(1)} MiB` },
    ];
    for (const username of ["sfj.coord", "scjg.viewer"]) {
      const u = await db.user.findUniqueOrThrow({ where: { username }, select: { id: true } });
      const actor = buildActor(u.id, await getUserMemberships(db, u.id));
      for (const q of [TWO_WORDS, ONE_CHAR]) {
        const times: number[] = [];
        let total = 0;
        for (let i = 0; i < cfg.samples + 5; i++) {
          const s = performance.now();
          const r = await search(actor, { q });
          if (i >= 5) times.push(performance.now() - s);
          if (r.state === "results") total = r.total;
        }
        times.sort((a, b) => a - b);
        rows.push({
          metric: `"${q}" as ${username} (${total} hits, first 50 returned) p50 / p95`,
          value: `${percentile(times, 50).toFixed(1)} / ${percentile(times, 95).toFixed(1)} ms`,
        });
      }
    }
    const width = Math.max(...rows.map((r) => r.metric.length));
    console.log(rows.map((r) => `   ${r.metric.padEnd(width)}  ${r.value}`).join("\n"));
    await disconnectDb();
    return { ok: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
