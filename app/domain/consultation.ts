/** 会商 / 联席会议: kinds, participant roles, statuses and the facts the policies read. */

export const CONSULTATION_KINDS = ["COORDINATION", "SPECIAL", "CASE_CONFERENCE", "JOINT_INVESTIGATION"] as const;

export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];

export const CONSULTATION_KIND_LABELS: Record<ConsultationKind, string> = {
  COORDINATION: "协调会商",
  SPECIAL: "专题会商",
  CASE_CONFERENCE: "个案会商",
  JOINT_INVESTIGATION: "联合调查会商",
};

export const PARTICIPANT_ROLES = ["HOST", "ATTENDEE", "OBSERVER", "EXPERT", "RECORDER"] as const;

export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const PARTICIPANT_ROLE_LABELS: Record<ParticipantRole, string> = {
  HOST: "主持",
  ATTENDEE: "出席",
  OBSERVER: "列席",
  EXPERT: "专家",
  RECORDER: "记录",
};

export const CONSULTATION_STATUSES = [
  "PLANNED",
  "IN_SESSION",
  "DRAFTING",
  "COUNTERSIGNING",
  "FINALIZED",
  "ARCHIVED",
] as const;

export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const CONSULTATION_STATUS_LABELS: Record<ConsultationStatus, string> = {
  PLANNED: "待召开",
  IN_SESSION: "进行中",
  DRAFTING: "纪要起草中",
  COUNTERSIGNING: "会签中",
  FINALIZED: "纪要已定稿",
  ARCHIVED: "已归档",
};

export interface ConsultationFacts {
  conveningOrgId: string;
  conveningRegionPath: string;
  participants: ReadonlyArray<{ orgId: string; userId: string | null }>;
}

export type ConsultationAccess = "none" | "read" | "manage";
