/**
 * An RFC 5545 calendar invitation (one VEVENT), folded and escaped, as an iTIP message (RFC 5546):
 * METHOD:REQUEST with the organizer and the attendees while the meeting stands, METHOD:CANCEL with
 * the same UID and a higher SEQUENCE once it is called off (ADR 021).
 */

/** A calendar user: a display name (CN) and a cal-address (`mailto:…`). */
export interface IcsAddress {
  name: string;
  address: string;
}

export type IcsPartstat = "NEEDS-ACTION" | "ACCEPTED" | "DECLINED" | "DELEGATED";

export interface IcsAttendee extends IcsAddress {
  role: "REQ-PARTICIPANT" | "OPT-PARTICIPANT";
  partstat: IcsPartstat;
  /** GROUP for an invited org nobody of which is named; INDIVIDUAL otherwise. */
  cutype: "INDIVIDUAL" | "GROUP";
  /** The address this attendee delegated to (their PARTSTAT is DELEGATED). */
  delegatedTo?: string;
  /** The address that delegated to this attendee. */
  delegatedFrom?: string;
}

export interface IcsEvent {
  uid: string;
  title: string;
  description: string;
  location: string;
  start: Date;
  end: Date;
  organizer: IcsAddress;
  attendees?: readonly IcsAttendee[];
  /** SEQUENCE: 0 as first sent, higher with every change of time, place or agenda, and on cancellation. */
  sequence?: number;
  lastModified?: Date;
  /** A cancelled event is sent as METHOD:CANCEL with STATUS:CANCELLED. */
  cancelled?: boolean;
  url?: string;
  now?: Date;
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
const escape = (s: string) =>
  s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");

/**
 * A parameter value, always quoted (a CN may hold ":" or ";"); the characters a quoted value cannot
 * hold are written as RFC 6868 says: ^ as ^^, a line break as ^n, " as ^'.
 */
const param = (s: string) => `"${s.replace(/\^/g, "^^").replace(/\r?\n/g, "^n").replace(/"/g, "^'")}"`;

/** Lines longer than 75 octets are folded (continuation lines start with a space), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

function attendeeLine(a: IcsAttendee, cancelled: boolean): string {
  const params = [
    `CUTYPE=${a.cutype}`,
    `ROLE=${a.role}`,
    `PARTSTAT=${a.partstat}`,
    // A cancellation asks for no answer.
    `RSVP=${cancelled ? "FALSE" : "TRUE"}`,
    ...(a.delegatedTo ? [`DELEGATED-TO=${param(a.delegatedTo)}`] : []),
    ...(a.delegatedFrom ? [`DELEGATED-FROM=${param(a.delegatedFrom)}`] : []),
    `CN=${param(a.name)}`,
  ];
  return `ATTENDEE;${params.join(";")}:${a.address}`;
}

export function buildIcs(e: IcsEvent): string {
  const cancelled = e.cancelled ?? false;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Consult//会商协同//ZH",
    "CALSCALE:GREGORIAN",
    `METHOD:${cancelled ? "CANCEL" : "REQUEST"}`,
    "BEGIN:VEVENT",
    `UID:${e.uid}@consult`,
    `SEQUENCE:${e.sequence ?? 0}`,
    `DTSTAMP:${stamp(e.now ?? new Date())}`,
    ...(e.lastModified ? [`LAST-MODIFIED:${stamp(e.lastModified)}`] : []),
    `DTSTART:${stamp(e.start)}`,
    `DTEND:${stamp(e.end)}`,
    `STATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}`,
    `SUMMARY:${escape(e.title)}`,
    `DESCRIPTION:${escape(e.description)}`,
    `LOCATION:${escape(e.location)}`,
    `ORGANIZER;CN=${param(e.organizer.name)}:${e.organizer.address}`,
    ...(e.attendees ?? []).map((a) => attendeeLine(a, cancelled)),
    ...(e.url ? [`URL:${e.url}`] : []),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
