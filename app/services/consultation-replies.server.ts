import { participantLabel } from "~/domain/external";
import { database, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import {
  claimReplyChase,
  getInvitationHead,
  listReplyRows,
  setParticipantReply,
  type ReplyRow,
} from "~/models/consultation.server";
import { createNotification } from "~/models/notification.server";
import { getUserNames, listActiveMemberIds } from "~/models/user.server";
import { enforce } from "~/policies/decision";
import { authorizeConsultation, authorizeReply } from "~/policies/consultation";
import {
  awaitsAnswer,
  CHASE_INTERVAL_MS,
  RSVP_ANSWER_LABELS,
  type ConsultationFacts,
  type RsvpAnswer,
} from "~/domain/consultation";
import type { DomainEvent } from "~/domain/events";
import { conflict, invalid, notFound, rateLimited } from "~/domain/errors";
import { formatDateTime, formatTime } from "~/domain/dates";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { notifyAudience, type Audience } from "~/services/notify.server";

/** 参会回执 and 催办 (ADR 021). The invitation's other changes are in consultation-schedule.server.ts. */

/** Who hears about an invitation for an invited org nobody of which is named: as at the convening. */
export const INVITED_ORG_ROLES = ["COORDINATOR", "LIAISON", "ADMIN"] as const;

/**
 * Who is told about these participant rows: named people and the colleagues they (or their org)
 * delegated to; for an invited org, its coordinators, liaisons and admins — never the actor.
 * `awaiting` narrows it to those who still owe the answer (an org's delegate, not the org, once delegated).
 */
export function inviteeAudience(
  rows: ReadonlyArray<Pick<ReplyRow, "orgId" | "userId" | "delegateUserId" | "rsvp">>,
  except: string,
  awaiting = false,
): Audience {
  const userIds = new Set<string>();
  const orgIds = new Set<string>();
  for (const r of rows) {
    if (r.delegateUserId) userIds.add(r.delegateUserId);
    if (awaiting && r.delegateUserId) continue;
    if (r.userId) userIds.add(r.userId);
    else orgIds.add(r.orgId);
  }
  return { userIds: [...userIds], orgIds: [...orgIds], roles: INVITED_ORG_ROLES, except };
}

/** How a row reads in a notice or the audit trail: 姓名（单位） for a named person, else the unit. */
export function rowLabel(r: Pick<ReplyRow, "org" | "user">): string {
  return participantLabel(r);
}

export interface ReplyInput {
  participantId: string;
  answer: RsvpAnswer;
  /** 不参加: the reason (required); 委派: an optional note. */
  reason: string | null;
  /** 委派: the colleague of the row's org who attends instead. */
  delegateUserId: string | null;
}

function refuse(field: string, message: string) {
  return invalid(message, { [field]: [message] });
}

/** The answer's checks against the row: a reason to decline; a delegate who is an active colleague. */
async function checkAnswer(user: CurrentUser, row: ReplyRow, input: ReplyInput) {
  if (input.answer === "DECLINED" && !input.reason) throw refuse("reason", "选择不参加时，请填写原因。");
  if (input.answer !== "DELEGATED") return;
  // A 特邀 guest (ADR 024) has no colleagues: its row is held by the convening org, not its own.
  if (row.role === "GUEST") throw refuse("answer", "特邀人员不能委派他人；不能参加时，请选择“不参加”并说明原因。");
  const to = input.delegateUserId;
  if (!to) throw refuse("delegateUserId", "请选择委派的同事。");
  if (to === user.id) throw refuse("delegateUserId", "不能委派给自己。");
  if (to === row.userId) throw refuse("delegateUserId", "不能委派给受邀人员本人，请由其直接回执。");
  if ((await listActiveMemberIds(database(), row.orgId, [to])).length === 0)
    throw refuse("delegateUserId", `只能委派${row.org.name}的在职人员。`);
}

/**
 * One person's rows answer together (the same person named as 主持 and 记录 answers once); an
 * org's row alone.
 */
function answeredRows(rows: readonly ReplyRow[], row: ReplyRow): ReplyRow[] {
  if (!row.userId) return [row];
  return rows.filter((r) => r.userId === row.userId && r.delegateUserId === row.delegateUserId);
}

function replySummary(input: ReplyInput, delegateName: string | null): string {
  if (input.answer === "DELEGATED") return `委派${delegateName ?? ""}参加${input.reason ? `（${input.reason}）` : ""}`;
  return `${RSVP_ANSWER_LABELS[input.answer]}${input.answer === "DECLINED" ? `（${input.reason}）` : ""}`;
}

/**
 * 参会回执: 参加, 不参加 (with the reason) or 委派 a colleague of the same org, who from then on is
 * the row's person (they answer it, see the consultation, and are notified). An invitee answering
 * their own row again takes a delegation back. Audited (`consultation.rsvp`); the convener is told.
 */
export async function replyToInvitation(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  input: ReplyInput,
  ctx: Pick<CommandContext, "ip" | "events" | "now">,
): Promise<{ changed: boolean }> {
  const db = database();
  const rows = await listReplyRows(db, facts.id);
  const row = rows.find((r) => r.id === input.participantId);
  if (!row) throw refuse("participantId", "回执对象不属于此会商。");
  enforce(authorizeReply(user.actor, facts, row));
  await checkAnswer(user, row, input);
  const delegateUserId =
    input.answer === "DELEGATED" ? input.delegateUserId : row.userId === user.id ? null : row.delegateUserId;
  const rsvpReason = input.answer === "ACCEPTED" ? null : input.reason;
  if (row.rsvp === input.answer && row.rsvpReason === rsvpReason && row.delegateUserId === delegateUserId)
    return { changed: false };
  const head = await getInvitationHead(db, facts.id);
  if (!head) throw notFound("会商不存在或已被删除。");
  const targets = answeredRows(rows, row);
  const delegateName =
    input.answer === "DELEGATED" && input.delegateUserId
      ? ((await getUserNames(db, [input.delegateUserId])).get(input.delegateUserId) ?? null)
      : (row.delegate?.displayName ?? null);
  const events: DomainEvent[] = [];
  await transaction(async (tx) => {
    const written = await setParticipantReply(
      tx,
      targets.map((r) => r.id),
      { rsvp: input.answer, rsvpReason, delegateUserId, rsvpById: user.id, rsvpAt: ctx.now },
    );
    if (written !== targets.length) throw conflict("会商已取消或已召开，回执未保存。");
    const summary = replySummary(input, delegateName);
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: row.orgId,
      action: "consultation.rsvp",
      targetType: "Consultation",
      targetId: facts.id,
      summary: `${rowLabel(row)}回执《${head.title}》（第${head.number}期）：${summary}`,
      ip: ctx.ip,
    });
    if (head.createdById !== user.id)
      events.push(
        await createNotification(tx, {
          userId: head.createdById,
          kind: "consultation.rsvp",
          title: `会商回执：${rowLabel(row)}${input.answer === "DELEGATED" ? "已委派" : RSVP_ANSWER_LABELS[input.answer]}`,
          body: `《${head.title}》（第${head.number}期）：${summary}，由${user.displayName}回复。`,
          link: `/consultations/${facts.id}`,
        }),
      );
    if (input.answer === "DELEGATED" && input.delegateUserId)
      events.push(
        await createNotification(tx, {
          userId: input.delegateUserId,
          kind: "consultation.delegated",
          title: `会商委派：${head.title}`,
          body: `${user.displayName}委派您代表${row.org.name}参加${formatDateTime(head.startsAt)}在${head.place}召开的会商，请在会商页面回执。`,
          link: `/consultations/${facts.id}`,
        }),
      );
  });
  for (const e of events) ctx.events.publish(e);
  return { changed: true };
}

/**
 * 催办: tells whoever has not answered (the org's coordinators and liaisons, the named person, or
 * the delegate) to answer. At most once an hour per consultation (a typed 429 otherwise); audited.
 */
export async function chaseReplies(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  ctx: Pick<CommandContext, "ip" | "events" | "now">,
): Promise<{ rows: number; notified: number }> {
  enforce(authorizeConsultation(user.actor, "chaseReplies", facts));
  const db = database();
  const head = await getInvitationHead(db, facts.id);
  if (!head) throw notFound("会商不存在或已被删除。");
  if (head.rsvpChasedAt && ctx.now.getTime() - head.rsvpChasedAt.getTime() < CHASE_INTERVAL_MS)
    throw rateLimited(
      `本会商已于${formatTime(head.rsvpChasedAt)}催办过，一小时内只能催办一次，请于${formatTime(new Date(head.rsvpChasedAt.getTime() + CHASE_INTERVAL_MS))}后再试。`,
    );
  const pending = (await listReplyRows(db, facts.id)).filter(awaitsAnswer);
  if (pending.length === 0) throw conflict("所有受邀单位和人员均已回执，无需催办。");
  const events: DomainEvent[] = [];
  await transaction(async (tx) => {
    if (!(await claimReplyChase(tx, facts.id, new Date(ctx.now.getTime() - CHASE_INTERVAL_MS), ctx.now)))
      throw rateLimited("本会商一小时内已催办过，请稍后再试。");
    events.push(
      ...(await notifyAudience(tx, inviteeAudience(pending, user.id, true), {
        kind: "consultation.rsvp_chased",
        title: `请回执：${head.title}`,
        body: `${formatDateTime(head.startsAt)}，${head.place}。请在会商页面回复参加、不参加或委派他人。`,
        link: `/consultations/${facts.id}`,
      })),
    );
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: facts.conveningOrgId,
      action: "consultation.rsvp_chased",
      targetType: "Consultation",
      targetId: facts.id,
      summary: `催办《${head.title}》（第${head.number}期）的回执：${pending.map(rowLabel).join("、")}`,
      ip: ctx.ip,
    });
  });
  for (const e of events) ctx.events.publish(e);
  return { rows: pending.length, notified: events.length };
}
