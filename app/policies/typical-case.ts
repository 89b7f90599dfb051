import type { Role } from "~/utils/domain";
import type { Actor } from "./actor";
import { canCreateDocument, documentAccess, type DocumentFacts } from "./document";

/** 领域 of a typical case. */
export const CASE_FIELDS = ["市场监管", "生态环境", "交通运输", "城市管理", "农业农村", "文化旅游", "应急管理", "自然资源", "卫生健康", "税务", "其他"] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

/** Sections every typical case has, in order (DESIGN §3). 处理结果 may be titled 监督处理. */
export const CASE_SECTIONS = ["关键词", "基本案情", "处理结果", "典型意义", "关联法条"] as const;
export type CaseSection = (typeof CASE_SECTIONS)[number];
export const SECTION_ALIASES: Record<string, CaseSection> = { 监督处理: "处理结果", 处理情况: "处理结果" };

/** How a case's document status reads (review, not 会签). */
export const CASE_STATUS_LABELS: Record<string, string> = { DRAFT: "起草中", COUNTERSIGNING: "审核中", FINALIZED: "已审核待发布", PUBLISHED: "已发布" };

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

function hasRole(actor: Actor, orgId: string, roles: ReadonlySet<Role>): boolean {
  return actor.memberships.some((m) => m.orgId === orgId && roles.has(m.role));
}

const PUBLISHER: ReadonlySet<Role> = new Set(["PUBLISHER"]);

/** Releasing orgs of a case: the owner and the co-drafting (WRITE) orgs (联合发布). */
export function releasingOrgIds(doc: DocumentFacts): string[] {
  return [...new Set([doc.ownerOrgId, ...doc.members.filter((m) => m.orgId && m.access === "WRITE").map((m) => m.orgId as string)])];
}

/** Who creates a case draft for an org: its drafters, coordinators and admins. */
export const canCreateCase = canCreateDocument;

/** The case's metadata (title, field, batch, 当事人) changes with its text: while it is a draft, by its writers. */
export function canEditCaseMeta(actor: Actor, doc: DocumentFacts): boolean {
  return documentAccess(actor, doc) === "write";
}

/** 当事人 are private: only the releasing orgs' members see them (not upper-region readers). */
export function canSeeParties(actor: Actor, doc: DocumentFacts): boolean {
  const orgs = releasingOrgIds(doc);
  return actor.memberships.some((m) => orgs.includes(m.orgId));
}

/** A PUBLISHER of a releasing org may declare one finding not personal data, with a reason. */
export function canOverrideFinding(actor: Actor, doc: DocumentFacts): boolean {
  return (doc.status === "DRAFT" || doc.status === "COUNTERSIGNING") && releasingOrgIds(doc).some((id) => hasRole(actor, id, PUBLISHER));
}

/** Publishing, correcting and withdrawing: the owner's PUBLISHER. */
export function canPublishCase(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "FINALIZED" && hasRole(actor, doc.ownerOrgId, PUBLISHER);
}

export function canWithdrawCase(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "PUBLISHED" && hasRole(actor, doc.ownerOrgId, PUBLISHER);
}

/** 更正: the owner's PUBLISHER reopens a published case for editing; the live publication stays until the corrected one replaces it. */
export function canReopenForCorrection(actor: Actor, doc: DocumentFacts): boolean {
  return doc.status === "PUBLISHED" && hasRole(actor, doc.ownerOrgId, PUBLISHER);
}

/** The batch view: publishers and coordinators of any org, and the justice bureau (its region). */
export function canViewBatches(actor: Actor): boolean {
  return actor.memberships.some((m) => m.role === "PUBLISHER" || m.role === "COORDINATOR" || m.role === "ADMIN" || m.orgKind === "JUSTICE_BUREAU");
}
