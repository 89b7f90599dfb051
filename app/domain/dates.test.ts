import { describe, expect, it } from "vitest";
import { endOfChinaDay, formatDate, formatDateTime, formatTime } from "./dates";

describe("dates in China time", () => {
  it("formats a UTC instant as the China calendar date", () => {
    // 2026-03-11T16:30Z is 2026-03-12 00:30 in Shanghai.
    expect(formatDate("2026-03-11T16:30:00Z")).toBe("2026年3月12日");
    expect(formatTime("2026-03-11T16:30:00Z")).toBe("00:30");
    expect(formatDateTime("2026-03-12T06:30:00Z")).toBe("2026年3月12日 14:30");
  });
  it("ends a due date at the end of that day in China", () => {
    expect(endOfChinaDay("2026-03-12").toISOString()).toBe("2026-03-12T15:59:59.999Z");
  });
});
