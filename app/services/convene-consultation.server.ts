import { getDb, Prisma } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { nextSeriesNumber } from "~/models/consultation.server";
import { createNotification } from "~/models/notification.server";
import { canConvene } from "~/policies/consultation";
import { CONSULTATION_KIND_LABELS, type ConsultationKind, type ParticipantRole } from "~/domain/consultation";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { DomainEvent, EventBus } from "~/domain/events";
import { formatDateTime } from "~/domain/dates";
import { newId } from "~/utils/ids";

export interface ConveneInput {
  kind: ConsultationKind;
  title: string;
  series: string;
  conveningOrgId: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  agenda: string[];
  participants: Array<{ orgId: string; role: ParticipantRole }>;
  /** Unfinished items of earlier meetings of the series carried onto this one's agenda (跟进事项). */
  carriedItemIds?: string[];
  /** Named people of the convening org: 主持人 and 记录人. */
  people?: Array<{ userId: string; role: "HOST" | "RECORDER" }>;
}

export type ConveneResult =
  { ok: true; id: string; number: number } | { ok: false; fieldErrors: Record<string, string[]> };

/**
 * Convenes a consultation: numbers it in its series (第N期), invites the orgs, notifies the invited
 * orgs' coordinators and liaisons (persisted, then pushed), audited in the same transaction.
 */
export async function conveneConsultation(
  user: CurrentUser,
  input: ConveneInput,
  ctx: { ip: string | null; events: EventBus },
): Promise<ConveneResult> {
  if (!canConvene(user.actor, input.conveningOrgId))
    return { ok: false, fieldErrors: { conveningOrgId: ["您不能以该单位名义召集会商"] } };
  if (input.endsAt <= input.startsAt) return { ok: false, fieldErrors: { endTime: ["结束时间必须晚于开始时间"] } };
  const invited = input.participants.filter((p) => p.orgId !== input.conveningOrgId);
  if (invited.length === 0) return { ok: false, fieldErrors: { participants: ["请至少邀请一个参会单位"] } };
  if (new Set(invited.map((p) => p.orgId)).size !== invited.length)
    return { ok: false, fieldErrors: { participants: ["同一单位只能邀请一次"] } };
  const db = getDb();
  const orgs = await db.organization.findMany({
    where: { id: { in: invited.map((p) => p.orgId) }, active: true },
    select: { id: true, name: true },
  });
  if (orgs.length !== invited.length) return { ok: false, fieldErrors: { participants: ["所选单位不存在或已停用"] } };
  const people = input.people ?? [];
  if (people.length) {
    const staff = await db.membership.findMany({
      where: { orgId: input.conveningOrgId, userId: { in: people.map((p) => p.userId) }, user: { active: true } },
      select: { userId: true },
    });
    const ok = new Set(staff.map((s) => s.userId));
    for (const p of people)
      if (!ok.has(p.userId))
        return {
          ok: false,
          fieldErrors: { [p.role === "HOST" ? "hostUserId" : "recorderUserId"]: ["所选人员不是召集单位的在职人员"] },
        };
  }
  const carried = [...new Set(input.carriedItemIds ?? [])];
  if (carried.length) {
    const ok = await db.trackedItem.count({
      where: {
        id: { in: carried },
        ownerOrgId: input.conveningOrgId,
        series: input.series,
        status: { in: ["NOT_STARTED", "IN_PROGRESS", "DONE"] },
      },
    });
    if (ok !== carried.length)
      return { ok: false, fieldErrors: { carriedItemIds: ["所选跟进事项不属于本系列或已办结"] } };
  }
  const agenda = carried.length ? [...input.agenda, `跟进前期议定事项落实情况（${carried.length}项）`] : input.agenda;
  const recipients = await db.membership.findMany({
    where: {
      orgId: { in: invited.map((p) => p.orgId) },
      role: { in: ["COORDINATOR", "LIAISON", "ADMIN"] },
      user: { active: true },
    },
    select: { userId: true },
  });
  const id = newId();
  const events: DomainEvent[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      const number = await db.$transaction(async (tx) => {
        const n = await nextSeriesNumber(tx, input.conveningOrgId, input.series);
        await tx.consultation.create({
          data: {
            id,
            kind: input.kind,
            title: input.title,
            series: input.series,
            number: n,
            conveningOrgId: input.conveningOrgId,
            startsAt: input.startsAt,
            endsAt: input.endsAt,
            place: input.place,
            agenda: JSON.stringify(agenda),
            carriedItemIds: JSON.stringify(carried),
            createdById: user.id,
            participants: {
              create: [
                ...invited.map((p) => ({ id: newId(), orgId: p.orgId, role: p.role })),
                ...people.map((p) => ({ id: newId(), orgId: input.conveningOrgId, userId: p.userId, role: p.role })),
              ],
            },
          },
        });
        await recordAudit(tx, {
          actorId: user.id,
          actorName: user.displayName,
          orgId: input.conveningOrgId,
          action: "consultation.convened",
          targetType: "Consultation",
          targetId: id,
          summary: `召集${CONSULTATION_KIND_LABELS[input.kind]}《${input.title}》（${input.series}第${n}期），邀请 ${orgs.map((o) => o.name).join("、")}`,
          ip: ctx.ip,
        });
        for (const userId of new Set(
          [...recipients.map((r) => r.userId), ...people.map((p) => p.userId)].filter((u) => u !== user.id),
        )) {
          events.push(
            await createNotification(tx, {
              userId,
              kind: "consultation.invited",
              title: `会商邀请：${input.title}`,
              body: `${formatDateTime(input.startsAt)}，${input.place}`,
              link: `/consultations/${id}`,
            }),
          );
        }
        return n;
      });
      for (const e of events) ctx.events.publish(e);
      return { ok: true, id, number };
    } catch (err) {
      // Two coordinators numbering the same series at once: take the next number.
      if (attempt < 2 && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
        events.length = 0;
        continue;
      }
      throw err;
    }
  }
}
