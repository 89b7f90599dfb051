/** Documents (文书): types, statuses, access levels and the facts the policies read. */

export const DOCUMENT_TYPES = [
  "MINUTES",
  "SUPERVISION_LISTING",
  "RECTIFICATION_PLAN",
  "TYPICAL_CASE",
  "REPLY",
  "EXPERT_OPINION",
  "LITIGATION_BULLETIN",
  "THEMATIC_REPORT",
] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  MINUTES: "会商纪要",
  SUPERVISION_LISTING: "联合挂牌督办清单",
  RECTIFICATION_PLAN: "整改方案",
  TYPICAL_CASE: "典型案例",
  REPLY: "书面回复",
  EXPERT_OPINION: "专家咨询意见",
  LITIGATION_BULLETIN: "府院联动通报",
  THEMATIC_REPORT: "专题报告",
};

/**
 * Types the 新建文书 form offers: 整改方案 and 书面回复 are created from their recommendation (so they
 * are linked to it and get its members), minutes usually from their consultation.
 */
export const CREATABLE_DOCUMENT_TYPES = ["SUPERVISION_LISTING", "MINUTES"] as const satisfies readonly DocumentType[];

export const DOCUMENT_STATUSES = ["DRAFT", "COUNTERSIGNING", "FINALIZED", "PUBLISHED"] as const;

export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * A finalized document, or a finalized typical case since published: its sealed final version (with
 * its SHA-256) is the text every export and check reads, without the 草稿 mark.
 */
export function isSealedStatus(status: string): boolean {
  return status === "FINALIZED" || status === "PUBLISHED";
}

export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, string> = {
  DRAFT: "起草中",
  COUNTERSIGNING: "会签中",
  FINALIZED: "已定稿",
  PUBLISHED: "已发布",
};

/**
 * Access to a document, lowest first (ADR 017): read < comment (批注) < suggest (修订, ADR 018) < write.
 * Stored on DocumentMember as READ / COMMENT / SUGGEST / WRITE.
 */
export type Access = "none" | "read" | "comment" | "suggest" | "write";

export const ACCESS_RANK: Record<Access, number> = { none: 0, read: 1, comment: 2, suggest: 3, write: 4 };

/** The stored member access levels, lowest first, with their Chinese names. */
export const MEMBER_ACCESS_LEVELS = ["READ", "COMMENT", "SUGGEST", "WRITE"] as const;
export type MemberAccessLevel = (typeof MEMBER_ACCESS_LEVELS)[number];
export const MEMBER_ACCESS_LABELS: Record<MemberAccessLevel, string> = {
  READ: "只读",
  COMMENT: "可批注",
  SUGGEST: "可修订",
  WRITE: "共同起草",
};

/**
 * The levels a drafting unit grants in the member dialog, highest first: 共同起草 writes, 可修订
 * proposes changes the drafting unit accepts or rejects (ADR 019), 可批注 comments, 只读 reads.
 */
export const GRANTABLE_ACCESS_LEVELS = [
  "WRITE",
  "SUGGEST",
  "COMMENT",
  "READ",
] as const satisfies readonly MemberAccessLevel[];
export type GrantableAccessLevel = (typeof GRANTABLE_ACCESS_LEVELS)[number];

/** A stored level as an access ("READ" → "read"); anything unknown reads only. */
export function accessOfLevel(level: string): Exclude<Access, "none"> {
  switch (level) {
    case "WRITE":
      return "write";
    case "SUGGEST":
      return "suggest";
    case "COMMENT":
      return "comment";
    default:
      return "read";
  }
}

/** At least `wanted`? */
export function accessAtLeast(access: Access, wanted: Access): boolean {
  return ACCESS_RANK[access] >= ACCESS_RANK[wanted];
}

/** What the document policy needs to know about a document. */
export interface DocumentFacts {
  ownerOrgId: string;
  ownerRegionPath: string;
  status: string;
  members: ReadonlyArray<{ orgId: string | null; userId: string | null; access: string }>;
}

/** AUTO: after idle or periodic while editing; NAMED: saved by a user; COUNTERSIGN: 会签稿; RESTORE: an earlier version brought back. */
export type VersionKind = "AUTO" | "NAMED" | "COUNTERSIGN" | "RESTORE";

export const VERSION_KIND_LABELS: Record<VersionKind, string> = {
  AUTO: "自动保存",
  NAMED: "命名版本",
  COUNTERSIGN: "会签稿",
  RESTORE: "恢复",
};
