import { addConsultationFiles } from "~/models/attachment.server";
import { checkUploads, type UploadedFile } from "~/services/uploads.server";
import { database, isUniqueViolation, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { getMinutesSource, insertConsultation, nextSeriesNumber } from "~/models/consultation.server";
import { listInvitableExternalPeople } from "~/models/external-person.server";
import { createConsultationDocumentTx } from "~/services/create-minutes.server";
import { regionContains } from "~/domain/actor";
import { externalSignature } from "~/domain/external";
import { createNotification } from "~/models/notification.server";
import { listActiveOrganizations } from "~/models/organization.server";
import { countCarriableItems } from "~/models/tracked-item.server";
import { listActiveMemberIds, listActiveUserIdsWithRole } from "~/models/user.server";
import { canConvene } from "~/policies/consultation";
import {
  CONSULTATION_KIND_LABELS,
  isCaseConsultation,
  type ConsultationKind,
  type ParticipantRole,
} from "~/domain/consultation";
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
  /** 特邀 guests picked from the pool of outside participants (ExternalPerson ids, ADR 024). */
  guests?: string[];
  /** 个案咨询: the case in brief and the legal question. */
  caseSummary?: string;
  legalQuestion?: string;
  /** 会议材料 (for a 个案咨询: the case file), with the existing upload checks. */
  files?: readonly UploadedFile[];
}

/** A refusal of the convene form on one field. */
function refuse(field: string, message: string) {
  return invalid(message, { [field]: [message] });
}

/** Checks the input against what is stored: the invited orgs, the named people, the carried items. */
async function checkConvene(input: ConveneInput, conveningRegionPath: string) {
  const invited = input.participants.filter((p) => p.orgId !== input.conveningOrgId);
  const caseConsultation = isCaseConsultation(input);
  const guestIds = input.guests ?? [];
  if (new Set(guestIds).size !== guestIds.length) throw refuse("guests", "同一人员只能邀请一次");
  if (caseConsultation) {
    if (!input.caseSummary?.trim()) throw refuse("caseSummary", "请填写基本案情");
    if (!input.legalQuestion?.trim()) throw refuse("legalQuestion", "请填写咨询问题");
    if (guestIds.length === 0) throw refuse("guests", "个案咨询请至少邀请一位专家");
  } else if (invited.length === 0) throw refuse("participants", "请至少邀请一个参会单位");
  if (new Set(invited.map((p) => p.orgId)).size !== invited.length)
    throw refuse("participants", "同一单位只能邀请一次");
  const db = database();
  const guests = await listInvitableExternalPeople(db, guestIds);
  // From the pools of the convening unit's region and the regions above it, active, with an account.
  if (guests.length !== guestIds.length || guests.some((g) => !regionContains(g.region.path, conveningRegionPath)))
    throw refuse("guests", "所选特邀人员不存在、已停用、尚未开通账号，或不在本地区的专家库中");
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
  return { invited, orgs, people, carried, guests };
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
  const conveningRegionPath = user.actor.memberships.find((m) => m.orgId === input.conveningOrgId)?.regionPath ?? "";
  const { invited, orgs, people, carried, guests } = await checkConvene(input, conveningRegionPath);
  const files = checkUploads(input.files ?? [], "files");
  const agenda = carried.length ? [...input.agenda, `跟进前期议定事项落实情况（${carried.length}项）`] : input.agenda;
  const db = database();
  const recipients = await listActiveUserIdsWithRole(
    db,
    invited.map((p) => p.orgId),
    ["COORDINATOR", "LIAISON", "ADMIN"],
  );
  const guestUserIds = guests.map((g) => g.userId as string);
  const notified = [
    ...new Set([...recipients, ...people.map((p) => p.userId), ...guestUserIds].filter((u) => u !== user.id)),
  ];
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
          caseSummary: input.caseSummary?.trim() || null,
          legalQuestion: input.legalQuestion?.trim() || null,
          participants: [
            ...invited.map((p) => ({ orgId: p.orgId, role: p.role })),
            ...people.map((p) => ({ orgId: input.conveningOrgId, userId: p.userId, role: p.role })),
            // A 特邀 guest belongs to no org: its row is held by the convening org that invited it.
            ...guestUserIds.map((userId) => ({ orgId: input.conveningOrgId, userId, role: "GUEST" })),
          ],
        });
        await addConsultationFiles(tx, id, files);
        // 个案咨询: the 专家咨询意见 exists from the start, so the experts can comment at once.
        if (isCaseConsultation(input)) {
          const source = await getMinutesSource(tx, id);
          if (source) await createConsultationDocumentTx(tx, source, user.id);
        }
        await recordAudit(tx, {
          actorId: user.id,
          actorName: user.displayName,
          orgId: input.conveningOrgId,
          action: "consultation.convened",
          targetType: "Consultation",
          targetId: id,
          summary: `召集${CONSULTATION_KIND_LABELS[input.kind]}《${input.title}》（${input.series}第${n}期），邀请 ${[
            ...orgs.map((o) => o.name),
            ...guests.map((g) => externalSignature(g)),
          ].join("、")}${files.length ? `，附材料 ${files.length} 份` : ""}`,
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
