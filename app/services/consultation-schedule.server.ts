import { database, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import {
  cancelConsultationRow,
  getInvitationHead,
  listReplyRows,
  parseAgenda,
  rescheduleConsultationRow,
} from "~/models/consultation.server";
import { enforce } from "~/policies/decision";
import { authorizeConsultation } from "~/policies/consultation";
import { type ConsultationFacts } from "~/domain/consultation";
import type { DomainEvent } from "~/domain/events";
import { conflict, invalid, notFound } from "~/domain/errors";
import { formatDateTime, formatTime } from "~/domain/dates";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { inviteeAudience } from "~/services/consultation-replies.server";
import { notifyAudience } from "~/services/notify.server";

/**
 * 修改时间地点议程 and 取消会商 (ADR 021): the convener changes a PLANNED consultation; the calendar
 * invitation's SEQUENCE goes up in the same transaction, everyone invited is told, and the .ics they
 * download next updates (or, cancelled, removes) the entry in their calendar.
 */

export interface RescheduleInput {
  startsAt: Date;
  endsAt: Date;
  place: string;
  agenda: readonly string[];
}

function refuse(field: string, message: string) {
  return invalid(message, { [field]: [message] });
}

const when = (startsAt: Date, endsAt: Date) => `${formatDateTime(startsAt)}至${formatTime(endsAt)}`;

/**
 * New time, place and agenda. Nothing changes (and nobody is told) when they are the same; otherwise
 * SEQUENCE + 1, audited (`consultation.rescheduled`), and every invited person notified with the
 * updated invitation to download.
 */
export async function rescheduleConsultation(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  input: RescheduleInput,
  ctx: Pick<CommandContext, "ip" | "events" | "now">,
): Promise<{ changed: string[]; sequence: number }> {
  enforce(authorizeConsultation(user.actor, "reschedule", facts));
  if (input.endsAt <= input.startsAt) throw refuse("endTime", "结束时间必须晚于开始时间");
  const db = database();
  const head = await getInvitationHead(db, facts.id);
  if (!head) throw notFound("会商不存在或已被删除。");
  const changed = [
    ...(head.startsAt.getTime() !== input.startsAt.getTime() || head.endsAt.getTime() !== input.endsAt.getTime()
      ? ["时间"]
      : []),
    ...(head.place !== input.place ? ["地点"] : []),
    ...(JSON.stringify(parseAgenda(head.agenda)) !== JSON.stringify(input.agenda) ? ["议程"] : []),
  ];
  if (changed.length === 0) return { changed, sequence: head.sequence };
  if (changed.includes("时间") && input.startsAt <= ctx.now) throw refuse("startTime", "新的开始时间已过，请重新选择");
  const rows = await listReplyRows(db, facts.id);
  const events: DomainEvent[] = [];
  await transaction(async (tx) => {
    if (!(await rescheduleConsultationRow(tx, facts.id, { ...input, at: ctx.now })))
      throw conflict("会商已取消或已进入纪要起草，不能再修改。");
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: facts.conveningOrgId,
      action: "consultation.rescheduled",
      targetType: "Consultation",
      targetId: facts.id,
      summary: `修改《${head.title}》（第${head.number}期）的${changed.join("、")}：${when(input.startsAt, input.endsAt)}，${input.place}${input.agenda.length ? `；议程：${input.agenda.join("；")}` : ""}（日历邀请第${head.sequence + 1}次更新）`,
      ip: ctx.ip,
    });
    events.push(
      ...(await notifyAudience(tx, inviteeAudience(rows, user.id), {
        kind: "consultation.changed",
        title: `会商${changed.join("、")}已变更：${head.title}`,
        body: `现定于${when(input.startsAt, input.endsAt)}，${input.place}。点击下载更新后的日历邀请，导入日历即更新原日程。`,
        link: `/consultations/${facts.id}/invite.ics`,
      })),
    );
  });
  for (const e of events) ctx.events.publish(e);
  return { changed, sequence: head.sequence + 1 };
}

/**
 * 取消会商 (PLANNED only): status CANCELLED with the reason, SEQUENCE + 1 so the invitation becomes
 * METHOD:CANCEL; audited (`consultation.cancelled`); everyone invited is told.
 */
export async function cancelConsultation(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  input: { reason: string },
  ctx: Pick<CommandContext, "ip" | "events" | "now">,
): Promise<void> {
  enforce(authorizeConsultation(user.actor, "cancel", facts));
  if (!input.reason.trim()) throw refuse("cancelReason", "请填写取消原因");
  const db = database();
  const head = await getInvitationHead(db, facts.id);
  if (!head) throw notFound("会商不存在或已被删除。");
  const rows = await listReplyRows(db, facts.id);
  const events: DomainEvent[] = [];
  await transaction(async (tx) => {
    if (!(await cancelConsultationRow(tx, facts.id, input.reason, ctx.now)))
      throw conflict("只有待召开的会商可以取消。");
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: facts.conveningOrgId,
      action: "consultation.cancelled",
      targetType: "Consultation",
      targetId: facts.id,
      summary: `取消《${head.title}》（第${head.number}期，原定${when(head.startsAt, head.endsAt)}）：${input.reason}`,
      ip: ctx.ip,
    });
    events.push(
      ...(await notifyAudience(tx, inviteeAudience(rows, user.id), {
        kind: "consultation.cancelled",
        title: `会商已取消：${head.title}`,
        body: `原定${when(head.startsAt, head.endsAt)}在${head.place}召开的会商已取消。原因：${input.reason}。点击下载取消通知，导入日历即删除原日程。`,
        link: `/consultations/${facts.id}/invite.ics`,
      })),
    );
  });
  for (const e of events) ctx.events.publish(e);
}
