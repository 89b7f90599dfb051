import { participantLabel } from "~/domain/external";
import { parseAgenda, type ConsultationDetail } from "~/models/consultation.server";
import { PARTICIPANT_ROLE_LABELS, type ParticipantRole, type Rsvp } from "~/domain/consultation";
import { formatDateTime } from "~/domain/dates";
import { buildIcs, type IcsAddress, type IcsAttendee, type IcsPartstat } from "~/utils/ics";
import { getConsultation } from "~/services/consultations.server";

/**
 * The consultation as a calendar invitation (ADR 021): METHOD:REQUEST from the convening unit to
 * every invited person once (and to an invited unit nobody of which is named, as a GROUP), with
 * each one's answer as PARTSTAT; the SEQUENCE the commands keep; METHOD:CANCEL once cancelled.
 */

/**
 * Cal-addresses: users have no e-mail in this system, so the addresses are stable, never
 * deliverable ones (RFC 6761 `.invalid`) that identify the user or the unit.
 */
export const userAddress = (userId: string) => `mailto:${userId}@consult.invalid`;
export const orgAddress = (orgId: string) => `mailto:org-${orgId}@consult.invalid`;

const PARTSTAT: Record<Rsvp, IcsPartstat> = {
  PENDING: "NEEDS-ACTION",
  ACCEPTED: "ACCEPTED",
  DECLINED: "DECLINED",
  DELEGATED: "DELEGATED",
};
const partstat = (rsvp: string): IcsPartstat => PARTSTAT[rsvp as Rsvp] ?? "NEEDS-ACTION";

type Row = ConsultationDetail["participants"][number];

/** 列席 is optional; 出席, 主持, 记录 and 专家 are required. */
const roleOf = (r: Row): IcsAttendee["role"] => (r.role === "OBSERVER" ? "OPT-PARTICIPANT" : "REQ-PARTICIPANT");

/**
 * One ATTENDEE per person, whatever the number of their rows (主持 and 记录 the same person): the
 * stronger role wins, the first row's answer stands (a person's rows are answered together). The
 * delegate of a row answers it: a named invitee who delegated shows DELEGATED and DELEGATED-TO,
 * the delegate DELEGATED-FROM and their own answer (NEEDS-ACTION until they give one). An invited
 * unit with no named person is one GROUP attendee; a unit is never listed twice.
 */
export function invitationAttendees(rows: readonly Row[]): IcsAttendee[] {
  const people = new Map<string, IcsAttendee & { orgId: string }>();
  const person = (id: string, name: string, r: Row, fields: Partial<IcsAttendee>) => {
    const known = people.get(id);
    if (known) {
      if (roleOf(r) === "REQ-PARTICIPANT") known.role = "REQ-PARTICIPANT";
      known.delegatedFrom ??= fields.delegatedFrom;
      return;
    }
    people.set(id, {
      orgId: r.orgId,
      name: participantLabel(r, { displayName: name }),
      address: userAddress(id),
      cutype: "INDIVIDUAL",
      role: roleOf(r),
      partstat: partstat(r.rsvp),
      ...fields,
    });
  };
  const groups: Row[] = [];
  for (const r of rows) {
    const answer: IcsPartstat = r.rsvp === "DELEGATED" ? "NEEDS-ACTION" : partstat(r.rsvp);
    const from = r.user ? userAddress(r.user.id) : orgAddress(r.orgId);
    if (r.user && r.delegate)
      person(r.user.id, r.user.displayName, r, { partstat: "DELEGATED", delegatedTo: userAddress(r.delegate.id) });
    else if (r.user) person(r.user.id, r.user.displayName, r, {});
    if (r.delegate) person(r.delegate.id, r.delegate.displayName, r, { partstat: answer, delegatedFrom: from });
    if (!r.user && !r.delegate) groups.push(r);
  }
  const named = new Set([...people.values()].map((p) => p.orgId));
  const units = new Map<string, IcsAttendee>();
  for (const r of groups) {
    if (named.has(r.orgId)) continue;
    const known = units.get(r.orgId);
    if (known) {
      if (roleOf(r) === "REQ-PARTICIPANT") known.role = "REQ-PARTICIPANT";
      continue;
    }
    units.set(r.orgId, {
      name: r.org.name,
      address: orgAddress(r.orgId),
      cutype: "GROUP",
      role: roleOf(r),
      partstat: partstat(r.rsvp),
    });
  }
  return [...[...people.values()].map(({ orgId: _orgId, ...a }) => a), ...units.values()];
}

/** The units taking part, each once, the convening unit first. */
function unitsOf(c: ConsultationDetail): string[] {
  return [...new Set([c.conveningOrg.name, ...c.participants.map((p) => p.org.name)])];
}

/** The named people (and delegates), by role: 主持：姓名（单位）；记录：… */
function peopleLine(c: ConsultationDetail): string[] {
  const byRole = new Map<string, string[]>();
  for (const p of c.participants) {
    const who = p.delegate ?? p.user;
    if (!who) continue;
    const label = PARTICIPANT_ROLE_LABELS[p.role as ParticipantRole] ?? p.role;
    byRole.set(label, [...new Set([...(byRole.get(label) ?? []), participantLabel(p, who)])]);
  }
  return byRole.size ? [[...byRole].map(([role, names]) => `${role}：${names.join("、")}`).join("；")] : [];
}

/** LAST-MODIFIED: the consultation's last change, or a later answer. */
function lastModified(c: ConsultationDetail): Date {
  const answers = c.participants.map((p) => p.rsvpAt?.getTime() ?? 0);
  return new Date(Math.max(c.updatedAt.getTime(), ...answers));
}

export function invitationOf(c: ConsultationDetail, pageUrl: string, now: Date): string {
  const agenda = parseAgenda(c.agenda);
  const cancelled = c.status === "CANCELLED";
  const organizer: IcsAddress = { name: c.conveningOrg.name, address: orgAddress(c.conveningOrg.id) };
  return buildIcs({
    uid: c.id,
    title: `${cancelled ? "【已取消】" : ""}${c.title}（${c.series}第${c.number}期）`,
    description: [
      ...(cancelled
        ? [`本次会商已于${formatDateTime(c.cancelledAt ?? c.updatedAt)}取消。原因：${c.cancelReason ?? "未说明"}`]
        : []),
      `召集单位：${c.conveningOrg.name}`,
      `参会单位：${unitsOf(c).join("、")}`,
      ...peopleLine(c),
      ...(agenda.length ? ["议程：", ...agenda.map((a, i) => `${i + 1}. ${a}`)] : []),
      ...(cancelled ? [] : [`参会回执请在会商协同中填写：${pageUrl}`]),
    ].join("\n"),
    location: c.place,
    start: c.startsAt,
    end: c.endsAt,
    organizer,
    attendees: invitationAttendees(c.participants),
    sequence: c.sequence,
    lastModified: lastModified(c),
    cancelled,
    url: pageUrl,
    now,
  });
}

/** The .ics of a consultation (the caller has checked access); 404 when gone. */
export async function consultationInvitation(id: string, origin: string, now = new Date()) {
  const c = await getConsultation(id);
  return {
    number: c.number,
    method: c.status === "CANCELLED" ? "CANCEL" : "REQUEST",
    body: invitationOf(c, `${origin}/consultations/${c.id}`, now),
  };
}
