import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildIcs, type IcsEvent } from "./ics";

const event = (overrides: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: "abc",
  title: "协调会商; 第3期, 关于<行政执法>",
  description: "议程：\n一、通报情况".repeat(10),
  location: "市司法局三楼会议室",
  start: new Date("2026-03-12T06:30:00Z"),
  end: new Date("2026-03-12T08:00:00Z"),
  organizer: { name: "示例市司法局", address: "mailto:org-sfj@consult.invalid" },
  attendees: [
    {
      name: "张三（示例市司法局）",
      address: "mailto:u1@consult.invalid",
      cutype: "INDIVIDUAL",
      role: "REQ-PARTICIPANT",
      partstat: "ACCEPTED",
    },
    {
      name: '示例市"中级"人民法院; 民一庭: ^',
      address: "mailto:org-court@consult.invalid",
      cutype: "GROUP",
      role: "OPT-PARTICIPANT",
      partstat: "NEEDS-ACTION",
    },
  ],
  now: new Date("2026-03-01T00:00:00Z"),
  ...overrides,
});

/** The VEVENT as a real iCalendar parser (Mozilla's ical.js) reads it, with the calendar's METHOD. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent("vevent")!;
  return { method: calendar.getFirstPropertyValue("method"), vevent };
}

describe("ics invitation", () => {
  it("writes UTC times, escapes text and folds long lines without splitting characters", () => {
    const ics = buildIcs(event());
    expect(ics).toContain("DTSTART:20260312T063000Z");
    expect(ics).toContain("DTEND:20260312T080000Z");
    expect(ics).toContain("SUMMARY:协调会商\\; 第3期\\, 关于<行政执法>");
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain(`DESCRIPTION:${"议程：\\n一、通报情况".repeat(10)}`);
  });

  it("is an iTIP REQUEST a parser reads back: organizer, attendees with role, status and quoted names", () => {
    const { method, vevent } = parse(buildIcs(event({ sequence: 2, lastModified: new Date("2026-03-02T01:02:03Z") })));
    expect(method).toBe("REQUEST");
    expect(vevent.getFirstPropertyValue("uid")).toBe("abc@consult");
    expect(vevent.getFirstPropertyValue("sequence")).toBe(2);
    expect(vevent.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(vevent.getFirstPropertyValue("summary")).toBe("协调会商; 第3期, 关于<行政执法>");
    expect(String(vevent.getFirstPropertyValue("last-modified"))).toBe("2026-03-02T01:02:03Z");
    expect(String(vevent.getFirstPropertyValue("dtstamp"))).toBe("2026-03-01T00:00:00Z");
    const organizer = vevent.getFirstProperty("organizer")!;
    expect(organizer.getFirstValue()).toBe("mailto:org-sfj@consult.invalid");
    expect(organizer.getParameter("cn")).toBe("示例市司法局");
    const attendees = vevent.getAllProperties("attendee").map((a) => ({
      address: a.getFirstValue(),
      cn: a.getParameter("cn"),
      cutype: a.getParameter("cutype"),
      role: a.getParameter("role"),
      partstat: a.getParameter("partstat"),
      rsvp: a.getParameter("rsvp"),
    }));
    expect(attendees).toEqual([
      {
        address: "mailto:u1@consult.invalid",
        cn: "张三（示例市司法局）",
        cutype: "INDIVIDUAL",
        role: "REQ-PARTICIPANT",
        partstat: "ACCEPTED",
        rsvp: "TRUE",
      },
      {
        address: "mailto:org-court@consult.invalid",
        // Quotes, ";", ":" and "^" survive the parameter quoting (RFC 6868).
        cn: '示例市"中级"人民法院; 民一庭: ^',
        cutype: "GROUP",
        role: "OPT-PARTICIPANT",
        partstat: "NEEDS-ACTION",
        rsvp: "TRUE",
      },
    ]);
  });

  it("names delegation both ways", () => {
    const { vevent } = parse(
      buildIcs(
        event({
          attendees: [
            {
              name: "甲",
              address: "mailto:a@consult.invalid",
              cutype: "INDIVIDUAL",
              role: "REQ-PARTICIPANT",
              partstat: "DELEGATED",
              delegatedTo: "mailto:b@consult.invalid",
            },
            {
              name: "乙",
              address: "mailto:b@consult.invalid",
              cutype: "INDIVIDUAL",
              role: "REQ-PARTICIPANT",
              partstat: "NEEDS-ACTION",
              delegatedFrom: "mailto:a@consult.invalid",
            },
          ],
        }),
      ),
    );
    const [a, b] = vevent.getAllProperties("attendee");
    expect(a!.getParameter("partstat")).toBe("DELEGATED");
    expect(a!.getParameter("delegated-to")).toBe("mailto:b@consult.invalid");
    expect(b!.getParameter("delegated-from")).toBe("mailto:a@consult.invalid");
  });

  it("a cancellation is METHOD:CANCEL with STATUS:CANCELLED, the same UID, and asks for no answer", () => {
    const { method, vevent } = parse(buildIcs(event({ cancelled: true, sequence: 1 })));
    expect(method).toBe("CANCEL");
    expect(vevent.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(vevent.getFirstPropertyValue("uid")).toBe("abc@consult");
    expect(vevent.getFirstPropertyValue("sequence")).toBe(1);
    for (const a of vevent.getAllProperties("attendee")) expect(a.getParameter("rsvp")).toBe("FALSE");
  });
});
