import type { Actor } from "~/domain/actor";
import type { ConsultationAccess, ConsultationFacts } from "~/domain/consultation";
import { ALLOW, deny, type Decision } from "./decision";
import { DECIDING_ROLES, actorSupervises, hasRole } from "./rules";

/** ADMIN and COORDINATOR members of an org convene its consultations. */
export function canConvene(actor: Actor, orgId: string): boolean {
  return hasRole(actor, orgId, DECIDING_ROLES);
}

/**
 * - the convening org's ADMIN/COORDINATOR manage; its other members read;
 * - members of an invited org, and individually invited people, read (an uninvited court or
 *   procuratorate liaison sees nothing);
 * - a supervising org (司法局/政府/依法治理办) of a higher region reads (上级监督下级).
 */
export function consultationAccess(actor: Actor, c: ConsultationFacts): ConsultationAccess {
  if (canConvene(actor, c.conveningOrgId)) return "manage";
  const reads =
    actor.memberships.some((m) => m.orgId === c.conveningOrgId) ||
    c.participants.some((p) =>
      p.userId ? p.userId === actor.userId : actor.memberships.some((m) => m.orgId === p.orgId),
    ) ||
    actorSupervises(actor, c.conveningRegionPath);
  return reads ? "read" : "none";
}

/** What the convener does with a consultation once it is convened. */
export type ConsultationAction = "recordAttendance" | "createMinutes";

/** The decision on a consultation action, with the reason in Chinese: the convening org's ADMIN/COORDINATOR. */
export function authorizeConsultation(actor: Actor, action: ConsultationAction, c: ConsultationFacts): Decision {
  if (consultationAccess(actor, c) === "manage") return ALLOW;
  return deny(
    action === "recordAttendance"
      ? "只有召集单位的督办协调员可以登记出席情况。"
      : "只有召集单位的督办协调员可以创建会议纪要。",
  );
}
