/** Domain vocabularies (architecture.md "Glossary") with their Chinese labels. Stored as strings on both databases. */

export const REGION_LEVELS = ["PROVINCE", "CITY", "COUNTY", "TOWNSHIP"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  PROVINCE: "省级",
  CITY: "市级",
  COUNTY: "县级",
  TOWNSHIP: "乡镇级",
};

export const ORG_KINDS = [
  "JUSTICE_BUREAU",
  "COURT",
  "PROCURATORATE",
  "DISCIPLINE_COMMISSION",
  "ENFORCEMENT_AGENCY",
  "GOVERNMENT",
  "RULE_OF_LAW_OFFICE",
  "JUSTICE_OFFICE",
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  JUSTICE_BUREAU: "司法行政机关",
  COURT: "人民法院",
  PROCURATORATE: "人民检察院",
  DISCIPLINE_COMMISSION: "纪委监委",
  ENFORCEMENT_AGENCY: "行政执法机关",
  GOVERNMENT: "人民政府",
  RULE_OF_LAW_OFFICE: "依法治理办公室",
  JUSTICE_OFFICE: "司法所",
};

export const ROLES = ["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON", "PUBLISHER", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: "系统管理员",
  COORDINATOR: "督办协调员",
  DRAFTER: "起草人",
  LIAISON: "联络员",
  PUBLISHER: "发布审核人",
  VIEWER: "只读用户",
};

/** Kinds whose members supervise lower regions (上级监督下级). */
export const SUPERVISING_KINDS: ReadonlySet<OrgKind> = new Set(["JUSTICE_BUREAU", "GOVERNMENT", "RULE_OF_LAW_OFFICE"]);

/**
 * 行政执法监督: the justice bureau of a region (and a township's 司法所, assisting the county)
 * supervises the administrative law-enforcement units of its region and below, so it reads the work
 * they lead or support.
 */
export const ENFORCEMENT_SUPERVISING_KINDS: ReadonlySet<OrgKind> = new Set(["JUSTICE_BUREAU", "JUSTICE_OFFICE"]);
export const ENFORCEMENT_KINDS: ReadonlySet<OrgKind> = new Set(["ENFORCEMENT_AGENCY"]);

export function isRegionLevel(v: string): v is RegionLevel {
  return (REGION_LEVELS as readonly string[]).includes(v);
}
export function isOrgKind(v: string): v is OrgKind {
  return (ORG_KINDS as readonly string[]).includes(v);
}
export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}
