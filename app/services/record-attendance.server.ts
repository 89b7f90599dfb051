import { getDb } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { consultationAccess } from "~/policies/consultation";
import { type ConsultationFacts } from "~/domain/consultation";
import type { CurrentUser } from "~/services/auth/current-user.server";

export type Attendance = "INVITED" | "PRESENT" | "ABSENT";
export type AttendanceResult = { ok: true; changed: number } | { ok: false; status: 400 | 403; message: string };

const LABEL: Record<Attendance, string> = { INVITED: "未登记", PRESENT: "出席", ABSENT: "请假" };

/** The convener records who attended and who was excused (请假, with a reason); audited. */
export async function recordAttendance(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  entries: Array<{ participantId: string; attendance: Attendance; reason: string | null }>,
  ip: string | null,
): Promise<AttendanceResult> {
  if (consultationAccess(user.actor, facts) !== "manage")
    return { ok: false, status: 403, message: "只有召集单位的督办协调员可以登记出席情况。" };
  const missingReason = entries.find((e) => e.attendance === "ABSENT" && !e.reason);
  if (missingReason) return { ok: false, status: 400, message: "请假的单位请填写请假原因。" };
  const db = getDb();
  const rows = await db.consultationParticipant.findMany({
    where: { consultationId: facts.id },
    select: { id: true, attendance: true, absenceReason: true, org: { select: { name: true } } },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (entries.some((e) => !byId.has(e.participantId)))
    return { ok: false, status: 400, message: "参会单位不属于此会商。" };
  const changed = entries.filter((e) => {
    const r = byId.get(e.participantId)!;
    return r.attendance !== e.attendance || (r.absenceReason ?? null) !== (e.attendance === "ABSENT" ? e.reason : null);
  });
  if (changed.length === 0) return { ok: true, changed: 0 };
  await db.$transaction(async (tx) => {
    for (const e of changed) {
      await tx.consultationParticipant.update({
        where: { id: e.participantId },
        data: { attendance: e.attendance, absenceReason: e.attendance === "ABSENT" ? e.reason : null },
      });
    }
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: facts.conveningOrgId,
      action: "consultation.attendance_recorded",
      targetType: "Consultation",
      targetId: facts.id,
      summary: `登记出席情况：${changed.map((e) => `${byId.get(e.participantId)!.org.name} ${LABEL[e.attendance]}${e.attendance === "ABSENT" && e.reason ? `（${e.reason}）` : ""}`).join("；")}`,
      ip,
    });
  });
  return { ok: true, changed: changed.length };
}
