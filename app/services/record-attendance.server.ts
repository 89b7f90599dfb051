import { database, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { listParticipantAttendance, setParticipantAttendance } from "~/models/consultation.server";
import { enforce } from "~/policies/decision";
import { authorizeConsultation } from "~/policies/consultation";
import { type ConsultationFacts } from "~/domain/consultation";
import { invalid } from "~/domain/errors";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";

export const ATTENDANCES = ["INVITED", "PRESENT", "ABSENT"] as const;
export type Attendance = (typeof ATTENDANCES)[number];

const LABEL: Record<Attendance, string> = { INVITED: "未登记", PRESENT: "出席", ABSENT: "请假" };

/** The convener records who attended and who was excused (请假, with a reason); audited. */
export async function recordAttendance(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  entries: ReadonlyArray<{ participantId: string; attendance: Attendance; reason: string | null }>,
  ctx: Pick<CommandContext, "ip">,
): Promise<{ changed: number }> {
  enforce(authorizeConsultation(user.actor, "recordAttendance", facts));
  if (entries.some((e) => e.attendance === "ABSENT" && !e.reason)) throw invalid("请假的单位请填写请假原因。");
  const db = database();
  const byId = new Map((await listParticipantAttendance(db, facts.id)).map((r) => [r.id, r]));
  if (entries.some((e) => !byId.has(e.participantId))) throw invalid("参会单位不属于此会商。");
  const changed = entries.filter((e) => {
    const r = byId.get(e.participantId)!;
    return r.attendance !== e.attendance || (r.absenceReason ?? null) !== (e.attendance === "ABSENT" ? e.reason : null);
  });
  if (changed.length === 0) return { changed: 0 };
  await transaction(async (tx) => {
    for (const e of changed)
      await setParticipantAttendance(tx, e.participantId, e.attendance, e.attendance === "ABSENT" ? e.reason : null);
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: facts.conveningOrgId,
      action: "consultation.attendance_recorded",
      targetType: "Consultation",
      targetId: facts.id,
      summary: `登记出席情况：${changed.map((e) => `${byId.get(e.participantId)!.org.name} ${LABEL[e.attendance]}${e.attendance === "ABSENT" && e.reason ? `（${e.reason}）` : ""}`).join("；")}`,
      ip: ctx.ip,
    });
  });
  return { changed: changed.length };
}
