import type { Actor } from "~/domain/actor";
import type { ConsultationAccess, ConsultationFacts, ParticipantFacts } from "~/domain/consultation";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import { DECIDING_ROLES, actorSupervises, hasRole } from "./rules";

/** ADMIN and COORDINATOR members of an org convene its consultations. */
export function canConvene(actor: Actor, orgId: string): boolean {
  return hasRole(actor, orgId, DECIDING_ROLES);
}

/**
 * Who answers a participant row (参会回执, ADR 021): a named person's row is answered by that person
 * or by the colleague they delegated it to; an invited org's row by any member of the org.
 */
export function answersFor(actor: Actor, p: ParticipantFacts): boolean {
  if (p.userId) return actor.userId === p.userId || (!!p.delegateUserId && actor.userId === p.delegateUserId);
  return actor.memberships.some((m) => m.orgId === p.orgId);
}

/**
 * - the convening org's ADMIN/COORDINATOR manage; its other members read;
 * - members of an invited org, and individually invited people (and whoever they delegated to),
 *   read (an uninvited court or procuratorate liaison sees nothing);
 * - a supervising org (司法局/政府/依法治理办) of a higher region reads (上级监督下级).
 */
export function consultationAccess(actor: Actor, c: ConsultationFacts): ConsultationAccess {
  if (canConvene(actor, c.conveningOrgId)) return "manage";
  const reads =
    actor.memberships.some((m) => m.orgId === c.conveningOrgId) ||
    c.participants.some((p) => answersFor(actor, p)) ||
    actorSupervises(actor, c.conveningRegionPath);
  return reads ? "read" : "none";
}

/** What the convener does with a consultation once it is convened. */
export type ConsultationAction =
  "recordAttendance" | "createMinutes" | "reschedule" | "cancel" | "chaseReplies" | "compileOpinions";

const WHO: Record<ConsultationAction, string> = {
  recordAttendance: "只有召集单位的督办协调员可以登记出席情况。",
  createMinutes: "只有召集单位的督办协调员可以创建会议纪要。",
  reschedule: "只有召集单位的督办协调员可以修改会商的时间、地点和议程。",
  cancel: "只有召集单位的督办协调员可以取消会商。",
  chaseReplies: "只有召集单位的督办协调员可以催办回执。",
  compileOpinions: "只有咨询单位的督办协调员可以汇总专家意见。",
};

/** Before the meeting (PLANNED) only: what changes the invitation. */
const BEFORE_THE_MEETING: Partial<Record<ConsultationAction, string>> = {
  reschedule: "会商已进入纪要起草，不能再修改时间、地点和议程。",
  cancel: "只有待召开的会商可以取消。",
  chaseReplies: "会商已进入纪要起草，无需再催办回执。",
};

function stateAllows(action: ConsultationAction, c: ConsultationFacts): Decision {
  if (c.status === "CANCELLED") return notNow("会商已取消。");
  const late = BEFORE_THE_MEETING[action];
  return late && c.status !== "PLANNED" ? notNow(late) : ALLOW;
}

/**
 * The decision on a consultation action, with the reason in Chinese: the convening org's
 * ADMIN/COORDINATOR; nothing once it is cancelled; the invitation changes only while PLANNED.
 */
export function authorizeConsultation(actor: Actor, action: ConsultationAction, c: ConsultationFacts): Decision {
  return firstRefusal(consultationAccess(actor, c) === "manage" ? ALLOW : deny(WHO[action]), stateAllows(action, c));
}

/** 参会回执 on one participant row: whoever answers for it, while the consultation is PLANNED. */
export function authorizeReply(actor: Actor, c: ConsultationFacts, p: ParticipantFacts): Decision {
  return firstRefusal(
    answersFor(actor, p) ? ALLOW : deny("只有受邀人员本人（或被委派人）或受邀单位的人员可以回执。"),
    c.status === "CANCELLED"
      ? notNow("会商已取消，无需回执。")
      : c.status !== "PLANNED"
        ? notNow("会商已召开，回执已截止。")
        : ALLOW,
  );
}
