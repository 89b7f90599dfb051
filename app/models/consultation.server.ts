import { markSearchDirty } from "~/models/search.server";
import { isId } from "~/domain/ids";
import type { Prisma, Tx } from "~/db.server";
import { newId } from "~/utils/ids";
import type { ConsultationFacts } from "~/domain/consultation";

export async function getConsultationFacts(tx: Tx, id: string): Promise<(ConsultationFacts & { id: string }) | null> {
  const row = await tx.consultation.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      conveningOrgId: true,
      conveningOrg: { select: { region: { select: { path: true } } } },
      participants: { select: { orgId: true, userId: true, delegateUserId: true } },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    conveningOrgId: row.conveningOrgId,
    conveningRegionPath: row.conveningOrg.region.path,
    participants: row.participants,
  };
}

/** What every view of a consultation shows: what, when and where. */
const scheduleFields = {
  id: true,
  kind: true,
  title: true,
  series: true,
  number: true,
  startsAt: true,
  endsAt: true,
  place: true,
  status: true,
} as const;

const detailSelect = {
  ...scheduleFields,
  agenda: true,
  minutesId: true,
  sequence: true,
  cancelledAt: true,
  cancelReason: true,
  rsvpChasedAt: true,
  createdById: true,
  updatedAt: true,
  caseSummary: true,
  legalQuestion: true,
  files: { select: { id: true, fileName: true, size: true }, orderBy: { createdAt: "asc" } },
  conveningOrg: { select: { id: true, name: true } },
  participants: {
    select: {
      id: true,
      orgId: true,
      userId: true,
      delegateUserId: true,
      role: true,
      attendance: true,
      absenceReason: true,
      rsvp: true,
      rsvpReason: true,
      rsvpAt: true,
      org: { select: { id: true, name: true } },
      user: {
        select: { id: true, displayName: true, externalPerson: { select: { kind: true, name: true, fields: true } } },
      },
      delegate: { select: { id: true, displayName: true } },
      rsvpBy: { select: { displayName: true } },
    },
    orderBy: { createdAt: "asc" },
  },
} as const;

/** A consultation as its page and calendar invitation show it. */
export type ConsultationDetail = Prisma.ConsultationGetPayload<{ select: typeof detailSelect }>;

export async function getConsultationDetail(tx: Tx, id: string): Promise<ConsultationDetail | null> {
  return tx.consultation.findUnique({ where: { id }, select: detailSelect });
}

export const consultationListSelect = {
  ...scheduleFields,
  conveningOrg: { select: { name: true } },
  _count: { select: { participants: true } },
} as const;

export type ConsultationListRow = Prisma.ConsultationGetPayload<{ select: typeof consultationListSelect }>;

/** The scope of the 会商 list and the 工作台: convened by one of the user's orgs, or inviting their org or them. */
export function consultationScopeWhere(userId: string, orgIds: readonly string[]): Prisma.ConsultationWhereInput {
  return {
    OR: [
      { conveningOrgId: { in: [...orgIds] } },
      { participants: { some: { orgId: { in: [...orgIds] }, userId: null } } },
      { participants: { some: { userId } } },
      { participants: { some: { delegateUserId: userId } } },
    ],
  };
}

/** Consultations the user sees: convened by one of their orgs, or inviting their org or them. */
export async function listConsultationsForUser(
  tx: Tx,
  userId: string,
  orgIds: string[],
  take = 100,
): Promise<ConsultationListRow[]> {
  return tx.consultation.findMany({
    where: consultationScopeWhere(userId, orgIds),
    select: consultationListSelect,
    orderBy: { startsAt: "desc" },
    take,
  });
}

export async function nextSeriesNumber(tx: Tx, conveningOrgId: string, series: string): Promise<number> {
  const last = await tx.consultation.findFirst({
    where: { conveningOrgId, series },
    orderBy: { number: "desc" },
    select: { number: true },
  });
  return (last?.number ?? 0) + 1;
}

/** The stored agenda (a JSON array of strings); anything else reads as no agenda. */
export function parseAgenda(stored: string): string[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** A stored JSON array of ids (e.g. carried item ids); anything else reads as empty. */
export function parseIdList(stored: string): string[] {
  return parseAgenda(stored).filter((x) => isId(x));
}

/** Finalized minutes finalize their consultation. */
export async function markConsultationFinalizedByMinutes(tx: Tx, minutesId: string): Promise<void> {
  await tx.consultation.updateMany({ where: { minutesId }, data: { status: "FINALIZED" } });
}

export interface NewConsultation {
  id: string;
  kind: string;
  title: string;
  series: string;
  number: number;
  conveningOrgId: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  agenda: readonly string[];
  carriedItemIds: readonly string[];
  createdById: string;
  caseSummary?: string | null;
  legalQuestion?: string | null;
  /** Invited orgs (userId null), named people of the convening org, and 特邀 guests (role GUEST, ADR 024). */
  participants: ReadonlyArray<{ orgId: string; userId?: string; role: string }>;
}

/** A new consultation with its participants (inside the caller's transaction). */
export async function insertConsultation(tx: Tx, input: NewConsultation): Promise<void> {
  await tx.consultation.create({
    data: {
      id: input.id,
      kind: input.kind,
      title: input.title,
      series: input.series,
      number: input.number,
      conveningOrgId: input.conveningOrgId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      place: input.place,
      agenda: JSON.stringify(input.agenda),
      carriedItemIds: JSON.stringify(input.carriedItemIds),
      createdById: input.createdById,
      caseSummary: input.caseSummary ?? null,
      legalQuestion: input.legalQuestion ?? null,
      participants: {
        create: input.participants.map((p) => ({ id: newId(), orgId: p.orgId, userId: p.userId, role: p.role })),
      },
    },
  });
  await markSearchDirty(tx, "consultation", [input.id]);
}

const minutesSourceSelect = {
  id: true,
  title: true,
  series: true,
  number: true,
  startsAt: true,
  endsAt: true,
  place: true,
  agenda: true,
  carriedItemIds: true,
  kind: true,
  caseSummary: true,
  legalQuestion: true,
  minutesId: true,
  conveningOrgId: true,
  conveningOrg: { select: { name: true } },
  participants: {
    select: {
      orgId: true,
      userId: true,
      role: true,
      attendance: true,
      org: { select: { name: true } },
      user: { select: { displayName: true, externalPerson: { select: { kind: true, title: true, employer: true } } } },
      delegate: { select: { displayName: true } },
    },
    orderBy: { createdAt: "asc" },
  },
} as const;

/** What the 纪要 template is filled from: the consultation, its convener and participants in order. */
export type MinutesSource = Prisma.ConsultationGetPayload<{ select: typeof minutesSourceSelect }>;

export async function getMinutesSource(tx: Tx, id: string): Promise<MinutesSource | null> {
  return tx.consultation.findUnique({ where: { id }, select: minutesSourceSelect });
}

/** The minutes are being drafted: the consultation points at its 纪要. */
export async function setConsultationMinutes(
  tx: Tx,
  id: string,
  minutesId: string,
  status: "DRAFTING" | "PLANNED" = "DRAFTING",
): Promise<void> {
  await tx.consultation.update({ where: { id }, data: { minutesId, status } });
}

/** The participants of a consultation with their attendance (登记出席情况). */
export async function listParticipantAttendance(tx: Tx, consultationId: string) {
  return tx.consultationParticipant.findMany({
    where: { consultationId },
    select: { id: true, attendance: true, absenceReason: true, org: { select: { name: true } } },
  });
}

export async function setParticipantAttendance(
  tx: Tx,
  participantId: string,
  attendance: string,
  absenceReason: string | null,
): Promise<void> {
  await tx.consultationParticipant.update({ where: { id: participantId }, data: { attendance, absenceReason } });
}

// ---------------------------------------------------------------------------------------------
// The invitation: 参会回执, changes of time/place/agenda, cancellation (ADR 021)
// ---------------------------------------------------------------------------------------------

const replyRowSelect = {
  id: true,
  orgId: true,
  userId: true,
  delegateUserId: true,
  role: true,
  rsvp: true,
  rsvpReason: true,
  org: { select: { name: true } },
  user: { select: { displayName: true, externalPerson: { select: { kind: true, name: true, fields: true } } } },
  delegate: { select: { displayName: true } },
} as const;

/** A participant row as a reply reads it. */
export type ReplyRow = Prisma.ConsultationParticipantGetPayload<{ select: typeof replyRowSelect }>;

/** The participant rows of a consultation, in the order they were invited. */
export async function listReplyRows(tx: Tx, consultationId: string): Promise<ReplyRow[]> {
  return tx.consultationParticipant.findMany({
    where: { consultationId },
    select: replyRowSelect,
    orderBy: { createdAt: "asc" },
  });
}

export interface ReplyChange {
  rsvp: string;
  rsvpReason: string | null;
  delegateUserId: string | null;
  rsvpById: string;
  rsvpAt: Date;
}

/**
 * Writes an answer onto participant rows, only while their consultation is PLANNED; returns how many
 * rows it wrote (fewer than asked: the consultation was cancelled or convened meanwhile).
 */
export async function setParticipantReply(tx: Tx, participantIds: readonly string[], change: ReplyChange) {
  const { count } = await tx.consultationParticipant.updateMany({
    where: { id: { in: [...participantIds] }, consultation: { is: { status: "PLANNED" } } },
    data: change,
  });
  return count;
}

/** What a change of the invitation and its notices read: what, when, where, who convened it. */
export async function getInvitationHead(tx: Tx, id: string) {
  return tx.consultation.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      series: true,
      number: true,
      startsAt: true,
      endsAt: true,
      place: true,
      agenda: true,
      status: true,
      sequence: true,
      rsvpChasedAt: true,
      createdById: true,
      conveningOrgId: true,
    },
  });
}

/**
 * New time, place and agenda of a PLANNED consultation, SEQUENCE + 1 (the calendar entries update);
 * false when it is no longer PLANNED.
 */
export async function rescheduleConsultationRow(
  tx: Tx,
  id: string,
  change: { startsAt: Date; endsAt: Date; place: string; agenda: readonly string[]; at: Date },
): Promise<boolean> {
  const { count } = await tx.consultation.updateMany({
    where: { id, status: "PLANNED" },
    data: {
      startsAt: change.startsAt,
      endsAt: change.endsAt,
      place: change.place,
      agenda: JSON.stringify(change.agenda),
      sequence: { increment: 1 },
      updatedAt: change.at,
    },
  });
  if (count === 1) await markSearchDirty(tx, "consultation", [id]);
  return count === 1;
}

/** Calls off a PLANNED consultation (status CANCELLED, SEQUENCE + 1); false when it is no longer PLANNED. */
export async function cancelConsultationRow(tx: Tx, id: string, reason: string, at: Date): Promise<boolean> {
  const { count } = await tx.consultation.updateMany({
    where: { id, status: "PLANNED" },
    data: { status: "CANCELLED", cancelledAt: at, cancelReason: reason, sequence: { increment: 1 }, updatedAt: at },
  });
  return count === 1;
}

/**
 * Takes the consultation's 催办 slot: true when nobody chased it since `since` (and it is PLANNED),
 * in which case the chase time is now `at`; one conditional write, so two conveners cannot both chase.
 */
export async function claimReplyChase(tx: Tx, id: string, since: Date, at: Date): Promise<boolean> {
  const { count } = await tx.consultation.updateMany({
    where: { id, status: "PLANNED", OR: [{ rsvpChasedAt: null }, { rsvpChasedAt: { lte: since } }] },
    data: { rsvpChasedAt: at },
  });
  return count === 1;
}
