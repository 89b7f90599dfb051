/** 会商 / 联席会议: kinds, participant roles, statuses and the facts the policies read. */

export const CONSULTATION_KINDS = [
  "COORDINATION",
  "SPECIAL",
  "CASE_CONFERENCE",
  "JOINT_INVESTIGATION",
  "CASE_CONSULTATION",
] as const;

export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];

export const CONSULTATION_KIND_LABELS: Record<ConsultationKind, string> = {
  COORDINATION: "协调会商",
  SPECIAL: "专题会商",
  CASE_CONFERENCE: "个案会商",
  JOINT_INVESTIGATION: "联合调查会商",
  CASE_CONSULTATION: "个案咨询",
};

/**
 * 个案咨询 (ADR 024): a unit asks experts for written opinions on one case, before or instead of a
 * meeting. Its document (the consultation's `minutes` slot) is the 专家咨询意见, created when it is
 * convened so the experts can comment at once.
 */
export function isCaseConsultation(c: { kind: string }): boolean {
  return c.kind === "CASE_CONSULTATION";
}

export const PARTICIPANT_ROLES = ["HOST", "ATTENDEE", "OBSERVER", "EXPERT", "RECORDER", "GUEST"] as const;

export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const PARTICIPANT_ROLE_LABELS: Record<ParticipantRole, string> = {
  HOST: "主持",
  ATTENDEE: "出席",
  OBSERVER: "列席",
  EXPERT: "专家",
  RECORDER: "记录",
  GUEST: "特邀",
};

/** The roles an invited org is given on the convene form (named people and 特邀 guests are rows of their own). */
export const ORG_PARTICIPANT_ROLES = [
  "ATTENDEE",
  "OBSERVER",
  "EXPERT",
  "RECORDER",
] as const satisfies readonly ParticipantRole[];

export const CONSULTATION_STATUSES = [
  "PLANNED",
  "IN_SESSION",
  "DRAFTING",
  "COUNTERSIGNING",
  "FINALIZED",
  "ARCHIVED",
  "CANCELLED",
] as const;

export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const CONSULTATION_STATUS_LABELS: Record<ConsultationStatus, string> = {
  PLANNED: "待召开",
  IN_SESSION: "进行中",
  DRAFTING: "纪要起草中",
  COUNTERSIGNING: "会签中",
  FINALIZED: "纪要已定稿",
  ARCHIVED: "已归档",
  CANCELLED: "已取消",
};

/** A consultation still to come: not cancelled and not yet over (工作台 and the list's 待召开 tone). */
export function isUpcoming(c: { status: string; endsAt: Date }, now: Date): boolean {
  return c.status !== "CANCELLED" && c.endsAt.getTime() >= now.getTime();
}

/**
 * 参会回执 (ADR 021): PENDING until answered; ACCEPTED 参加; DECLINED 不参加 (with a reason);
 * DELEGATED 委派 — a colleague of the same org attends for the row and has not answered yet.
 */
export const RSVPS = ["PENDING", "ACCEPTED", "DECLINED", "DELEGATED"] as const;

export type Rsvp = (typeof RSVPS)[number];

export const RSVP_LABELS: Record<Rsvp, string> = {
  PENDING: "未回复",
  ACCEPTED: "参加",
  DECLINED: "不参加",
  DELEGATED: "已委派，待被委派人回复",
};

/** What an invited person answers (参加 / 不参加 / 委派他人). */
export const RSVP_ANSWERS = ["ACCEPTED", "DECLINED", "DELEGATED"] as const;

export type RsvpAnswer = (typeof RSVP_ANSWERS)[number];

export const RSVP_ANSWER_LABELS: Record<RsvpAnswer, string> = {
  ACCEPTED: "参加",
  DECLINED: "不参加",
  DELEGATED: "委派他人",
};

/** A row still waiting for an answer: nobody answered it, or its delegate has not yet. */
export function awaitsAnswer(p: { rsvp: string }): boolean {
  return p.rsvp === "PENDING" || p.rsvp === "DELEGATED";
}

/** At most one 催办 per consultation in this window. */
export const CHASE_INTERVAL_MS = 3_600_000;

/**
 * A participant row as the policies see it: an invited org (userId null) or a named person of an
 * org; `delegateUserId` is the colleague who attends for it after a 委派.
 */
export interface ParticipantFacts {
  orgId: string;
  userId: string | null;
  delegateUserId?: string | null;
}

export interface ConsultationFacts {
  conveningOrgId: string;
  conveningRegionPath: string;
  /** ConsultationStatus; PLANNED until the minutes are drafted, CANCELLED once called off. */
  status: string;
  participants: ReadonlyArray<ParticipantFacts>;
}

export type ConsultationAccess = "none" | "read" | "manage";
