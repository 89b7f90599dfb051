import { database, isUniqueViolation, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { insertConsultation, nextSeriesNumber } from "~/models/consultation.server";
import { createNotification } from "~/models/notification.server";
import { listActiveOrganizations } from "~/models/organization.server";
import { countCarriableItems } from "~/models/tracked-item.server";
import { listActiveMemberIds, listActiveUserIdsWithRole } from "~/models/user.server";
import { canConvene } from "~/policies/consultation";
import { CONSULTATION_KIND_LABELS, type ConsultationKind, type ParticipantRole } from "~/domain/consultation";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import type { DomainEvent } from "~/domain/events";
import { invalid } from "~/domain/errors";
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

/** A refusal of the convene form on one field. */
function refuse(field: string, message: string) {
  return invalid(message, { [field]: [message] });
}

/** Checks the input against what is stored: the invited orgs, the named people, the carried items. */
async function checkConvene(input: ConveneInput) {
  const invited = input.participants.filter((p) => p.orgId !== input.conveningOrgId);
  if (invited.length === 0) throw refuse("participants", "请至少邀请一个参会单位");
  if (new Set(invited.map((p) => p.orgId)).size !== invited.length)
    throw refuse("participants", "同一单位只能邀请一次");
  const db = database();
  const orgs = await listActiveOrganizations(
    db,
    invited.map((p) => p.orgId),
  );
  if (orgs.length !== invited.length) throw refuse("participants", "所选单位不存在或已停用");
  const people = input.people ?? [];
  if (people.length) {
    const staff = new Set(
      await listActiveMemberIds(
        db,
        input.conveningOrgId,
        people.map((p) => p.userId),
      ),
    );
    const stranger = people.find((p) => !staff.has(p.userId));
    if (stranger)
      throw refuse(stranger.role === "HOST" ? "hostUserId" : "recorderUserId", "所选人员不是召集单位的在职人员");
  }
  const carried = [...new Set(input.carriedItemIds ?? [])];
  if (
    carried.length &&
    (await countCarriableItems(db, { ids: carried, ownerOrgId: input.conveningOrgId, series: input.series })) !==
      carried.length
  )
    throw refuse("carriedItemIds", "所选跟进事项不属于本系列或已办结");
  return { invited, orgs, people, carried };
}

/**
 * Convenes a consultation: numbers it in its series (第N期), invites the orgs, notifies the invited
 * orgs' coordinators and liaisons (persisted, then pushed), audited in the same transaction.
 */
export async function conveneConsultation(
  user: CurrentUser,
  input: ConveneInput,
  ctx: Pick<CommandContext, "ip" | "events">,
): Promise<{ id: string; number: number }> {
  if (!canConvene(user.actor, input.conveningOrgId)) throw refuse("conveningOrgId", "您不能以该单位名义召集会商");
  if (input.endsAt <= input.startsAt) throw refuse("endTime", "结束时间必须晚于开始时间");
  const { invited, orgs, people, carried } = await checkConvene(input);
  const agenda = carried.length ? [...input.agenda, `跟进前期议定事项落实情况（${carried.length}项）`] : input.agenda;
  const db = database();
  const recipients = await listActiveUserIdsWithRole(
    db,
    invited.map((p) => p.orgId),
    ["COORDINATOR", "LIAISON", "ADMIN"],
  );
  const notified = [...new Set([...recipients, ...people.map((p) => p.userId)].filter((u) => u !== user.id))];
  const id = newId();
  for (let attempt = 0; ; attempt++) {
    const events: DomainEvent[] = [];
    try {
      const number = await transaction(async (tx) => {
        const n = await nextSeriesNumber(tx, input.conveningOrgId, input.series);
        await insertConsultation(tx, {
          id,
          kind: input.kind,
          title: input.title,
          series: input.series,
          number: n,
          conveningOrgId: input.conveningOrgId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          place: input.place,
          agenda,
          carriedItemIds: carried,
          createdById: user.id,
          participants: [
            ...invited.map((p) => ({ orgId: p.orgId, role: p.role })),
            ...people.map((p) => ({ orgId: input.conveningOrgId, userId: p.userId, role: p.role })),
          ],
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
        for (const userId of notified)
          events.push(
            await createNotification(tx, {
              userId,
              kind: "consultation.invited",
              title: `会商邀请：${input.title}`,
              body: `${formatDateTime(input.startsAt)}，${input.place}`,
              link: `/consultations/${id}`,
            }),
          );
        return n;
      });
      for (const e of events) ctx.events.publish(e);
      return { id, number };
    } catch (err) {
      // Two coordinators numbering the same series at once: take the next number.
      if (attempt < 2 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}
