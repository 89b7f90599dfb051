import { describe, expect, it } from "vitest";
import { buildIcs } from "./ics";

describe("ics invitation", () => {
  it("writes UTC times, escapes text and folds long lines without splitting characters", () => {
    const ics = buildIcs({
      uid: "abc",
      title: "协调会商; 第3期, 关于<行政执法>",
      description: "议程：\n一、通报情况".repeat(10),
      location: "市司法局三楼会议室",
      start: new Date("2026-03-12T06:30:00Z"),
      end: new Date("2026-03-12T08:00:00Z"),
      organizer: "示例市司法局",
      now: new Date("2026-03-01T00:00:00Z"),
    });
    expect(ics).toContain("DTSTART:20260312T063000Z");
    expect(ics).toContain("DTEND:20260312T080000Z");
    expect(ics).toContain("SUMMARY:协调会商\\; 第3期\\, 关于<行政执法>");
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain(`DESCRIPTION:${"议程：\\n一、通报情况".repeat(10)}`);
  });
});
