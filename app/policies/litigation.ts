import type { Actor } from "~/domain/actor";
import { regionContains } from "~/domain/actor";
import type { OrgKind } from "~/domain/organization";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { ACTING_ROLES, DRAFTING_ROLES, hasRole } from "./rules";

/**
 * 府院联动 (ADR 025): a court files its region's quarterly administrative-litigation figures; once
 * 报送, the justice bureau, the government and the 依法治理办 of that region and the regions above
 * read them and watch the trend; the court and the region's justice bureau draft the 通报 together.
 */

export interface LitigationReportFacts {
  courtOrgId: string;
  /** The court's region. */
  regionPath: string;
  status: string;
  bulletinDocumentId: string | null;
}

/** Who reads submitted figures of their region and below. */
export const LITIGATION_WATCHING_KINDS: ReadonlySet<OrgKind> = new Set([
  "JUSTICE_BUREAU",
  "GOVERNMENT",
  "RULE_OF_LAW_OFFICE",
]);

export type LitigationAction = "read" | "edit" | "submit" | "generateBulletin";

export function authorizeLitigation(actor: Actor, action: LitigationAction, r: LitigationReportFacts): Decision {
  const courtMember = actor.memberships.some((m) => m.orgId === r.courtOrgId);
  const watcher = r.status === "SUBMITTED" && watchesRegion(actor, r.regionPath);
  const read = courtMember || watcher ? ALLOW : deny("您无权查看该法院的行政诉讼数据。");
  switch (action) {
    case "read":
      return read;
    case "edit":
    case "submit":
      return firstRefusal(
        read,
        hasRole(actor, r.courtOrgId, ACTING_ROLES) ? ALLOW : deny("只有填报法院的工作人员可以修改或报送数据。"),
        r.status === "DRAFT" ? ALLOW : notNow("数据已报送，不能再修改。"),
      );
    case "generateBulletin":
      return firstRefusal(
        read,
        hasRole(actor, r.courtOrgId, DRAFTING_ROLES) || draftsForJusticeBureau(actor, r.regionPath)
          ? ALLOW
          : deny("只有填报法院或本地区司法局的起草人员可以生成通报。"),
        r.status === "SUBMITTED" ? ALLOW : notNow("数据报送后才能生成通报。"),
        r.bulletinDocumentId === null ? ALLOW : notNow("本季度的通报已经生成。"),
      );
  }
}

export function canReadLitigationReport(actor: Actor, r: LitigationReportFacts): boolean {
  return authorizeLitigation(actor, "read", r).allowed;
}

export interface LitigationAbilities {
  edit: boolean;
  submit: boolean;
  generateBulletin: boolean;
}

export function litigationAbilities(actor: Actor, r: LitigationReportFacts): LitigationAbilities {
  return {
    edit: authorizeLitigation(actor, "edit", r).allowed,
    submit: authorizeLitigation(actor, "submit", r).allowed,
    generateBulletin: authorizeLitigation(actor, "generateBulletin", r).allowed,
  };
}

/** The courts the actor files figures for. */
export function filingCourtIds(actor: Actor): string[] {
  return actor.memberships.filter((m) => m.orgKind === "COURT" && ACTING_ROLES.has(m.role)).map((m) => m.orgId);
}

export function authorizeFiling(actor: Actor, courtOrgId: string): Decision {
  return filingCourtIds(actor).includes(courtOrgId) ? ALLOW : deny("只有法院的工作人员可以填报行政诉讼数据。");
}

/** A justice bureau, government or 依法治理办 membership in the region or above. */
function watchesRegion(actor: Actor, regionPath: string): boolean {
  return actor.memberships.some(
    (m) => LITIGATION_WATCHING_KINDS.has(m.orgKind) && regionContains(m.regionPath, regionPath),
  );
}

/** A drafter of the justice bureau of exactly that region: the court's partner for the 通报. */
function draftsForJusticeBureau(actor: Actor, regionPath: string): boolean {
  return actor.memberships.some(
    (m) => m.orgKind === "JUSTICE_BUREAU" && m.regionPath === regionPath && DRAFTING_ROLES.has(m.role),
  );
}

/**
 * The regions whose submitted figures and trend the actor reads: those of its justice bureau,
 * government and 依法治理办 memberships (and below), and its own court's region (its own reports).
 */
export function litigationRegionPaths(actor: Actor): string[] {
  return [
    ...new Set(
      actor.memberships
        .filter((m) => LITIGATION_WATCHING_KINDS.has(m.orgKind) || m.orgKind === "COURT")
        .map((m) => m.regionPath),
    ),
  ];
}

/** The 府院联动 pages: courts and the units that watch their figures. */
export function canOpenLitigation(actor: Actor): boolean {
  return litigationRegionPaths(actor).length > 0;
}

/** The trend view: whoever watches submitted figures (not the courts: they see their own reports). */
export function canViewLitigationTrends(actor: Actor): boolean {
  return actor.memberships.some((m) => LITIGATION_WATCHING_KINDS.has(m.orgKind));
}

export function trendRegionPaths(actor: Actor): string[] {
  return [
    ...new Set(actor.memberships.filter((m) => LITIGATION_WATCHING_KINDS.has(m.orgKind)).map((m) => m.regionPath)),
  ];
}
