/** 典型案例: fields, sections, half-year batches and URL names. */
import type { DocumentFacts } from "./document";

/** 领域 of a typical case. */
export const CASE_FIELDS = [
  "市场监管",
  "生态环境",
  "交通运输",
  "城市管理",
  "农业农村",
  "文化旅游",
  "应急管理",
  "自然资源",
  "卫生健康",
  "税务",
  "其他",
] as const;

export type CaseField = (typeof CASE_FIELDS)[number];

/** Sections every typical case has, in order (architecture.md "Document formats"). 处理结果 may be titled 监督处理. */
export const CASE_SECTIONS = ["关键词", "基本案情", "处理结果", "典型意义", "关联法条"] as const;

export type CaseSection = (typeof CASE_SECTIONS)[number];

export const SECTION_ALIASES: Record<string, CaseSection> = { 监督处理: "处理结果", 处理情况: "处理结果" };

/** How a case's document status reads (review, not 会签). */
export const CASE_STATUS_LABELS: Record<string, string> = {
  DRAFT: "起草中",
  COUNTERSIGNING: "审核中",
  FINALIZED: "已审核待发布",
  PUBLISHED: "已发布",
};

/** 批次: "2026年上半年" / "2026年下半年" (原则上每半年公布一批). */
export const BATCH_PATTERN = /^(20\d{2})年(上|下)半年$/;

export function isBatchLabel(v: string): boolean {
  return BATCH_PATTERN.test(v);
}

/** The batch of a day: 1–6月 上半年, 7–12月 下半年. */
export function batchOf(isoDay: string): string {
  const [y, m] = isoDay.split("-").map(Number);
  return `${y}年${m <= 6 ? "上" : "下"}半年`;
}

/** The last day (YYYY-MM-DD) a batch should be published by: the end of its half-year. */
export function batchDeadline(batch: string): string | null {
  const m = BATCH_PATTERN.exec(batch);
  if (!m) return null;
  return m[2] === "上" ? `${m[1]}-06-30` : `${m[1]}-12-31`;
}

/** URL names of published cases: lower-case ASCII words joined by hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Releasing orgs of a case: the owner and the co-drafting (WRITE) orgs (联合发布). */
export function releasingOrgIds(doc: DocumentFacts): string[] {
  return [
    ...new Set([
      doc.ownerOrgId,
      ...doc.members.filter((m) => m.orgId && m.access === "WRITE").map((m) => m.orgId as string),
    ]),
  ];
}

/** One finding of the 脱敏检查 as the server reports it and the case panel shows it. */
export interface CaseFinding {
  /** findingKey(): kind + text, the key of an override. */
  key: string;
  kind: string;
  label: string;
  text: string;
  replacement: string;
  /** Where it was found: the title and link addresses cannot be fixed by replacing text in the editor. */
  where: "title" | "body" | "link";
  count: number;
  override: { reason: string; by: string; at: string } | null;
}

/** What the 脱敏检查 found in a case, and which required sections are empty. */
export interface CaseCheck {
  findings: CaseFinding[];
  /** Findings not overridden: publishing and submitting wait for them. */
  blocking: number;
  missingSections: string[];
}

/** What the case panel of the document page shows and allows (built by the typical-case service). */
export interface CasePanelData {
  documentId: string;
  status: string;
  title: string;
  field: string;
  batch: string;
  /** null when the user may not see the 当事人 (not a releasing org). */
  parties: string[] | null;
  publication: { slug: string; version: number; state: string } | null;
  suggestedSlug: string;
  abilities: {
    editMeta: boolean;
    submit: boolean;
    override: boolean;
    publish: boolean;
    withdraw: boolean;
    reopen: boolean;
  };
}

/**
 * A readable address for a case of a half-year batch: 2026年上半年 → "2026-shangbannian-", followed
 * by the next free two-digit sequence number ("2026-shangbannian-03"); other batches: "case-".
 */
export function batchSlugPrefix(batch: string): string {
  const half = /^(\d{4})年(上|下)半年$/.exec(batch);
  return half ? `${half[1]}-${half[2] === "上" ? "shangbannian" : "xiabannian"}-` : "case-";
}

export function nextBatchSlug(prefix: string, used: readonly string[]): string {
  const taken = used.map((s) => (s.startsWith(prefix) ? Number(s.slice(prefix.length)) : NaN)).filter(Number.isInteger);
  const next = Math.max(0, ...taken) + 1;
  return `${prefix}${String(next).padStart(2, "0")}`;
}
