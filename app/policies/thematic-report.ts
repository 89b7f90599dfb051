import type { Actor } from "~/domain/actor";
import type { OrgKind } from "~/domain/organization";
import { ALLOW, deny, type Decision } from "./decision";
import { DECIDING_ROLES } from "./rules";

/**
 * 专题报告 (ADR 026): "由市委依法治市办汇总分析，形成专题报告" — generated for its own region by the
 * coordinator (or administrator) of a justice bureau or of a 依法治理办. Reading and editing the
 * report is the document's own business (its members, ADR 017).
 */
export const REPORTING_KINDS: ReadonlySet<OrgKind> = new Set(["JUSTICE_BUREAU", "RULE_OF_LAW_OFFICE"]);

/** The units the actor may generate reports for. */
export function reportingOrgIds(actor: Actor): string[] {
  return [
    ...new Set(
      actor.memberships.filter((m) => REPORTING_KINDS.has(m.orgKind) && DECIDING_ROLES.has(m.role)).map((m) => m.orgId),
    ),
  ];
}

export function authorizeThematicReport(actor: Actor, orgId: string): Decision {
  return reportingOrgIds(actor).includes(orgId)
    ? ALLOW
    : deny("专题报告由司法行政机关或依法治理办公室的督办协调员生成。");
}

export function canGenerateThematicReport(actor: Actor): boolean {
  return reportingOrgIds(actor).length > 0;
}
