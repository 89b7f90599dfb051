import { describe, expect, it } from "vitest";
import { reminderMessage } from "~/services/reminders.server";
import {
  addWorkingDaysIso,
  daysLeft,
  daysPast,
  deadlineLabel,
  endOfChinaDay,
  formatDate,
  formatDateTime,
  formatTime,
  isWorkingDayIso,
} from "./dates";
import { replyState } from "./recommendation";
import { daysOverdue } from "./tracked-item";

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

describe("counted days are China calendar days", () => {
  // [now (China time), deadline day, days left]: the deadline ends at 24:00 China time of its day.
  const table: Array<[string, string, number]> = [
    ["2026-12-06T09:00:00+08:00", "2026-12-24", 18],
    ["2026-12-06T23:59:00+08:00", "2026-12-24", 18],
    ["2026-12-07T00:00:00+08:00", "2026-12-24", 17],
    ["2026-12-06T09:00:00+08:00", "2027-02-05", 61],
    ["2026-12-24T00:00:30+08:00", "2026-12-24", 0],
    ["2026-12-24T23:59:59+08:00", "2026-12-24", 0],
    ["2026-12-25T00:00:00+08:00", "2026-12-24", -1],
    ["2026-01-31T22:00:00+08:00", "2026-02-01", 1],
    ["2026-02-28T12:00:00+08:00", "2026-03-01", 1],
    ["2028-02-28T12:00:00+08:00", "2028-03-01", 2],
    ["2026-12-31T23:30:00+08:00", "2027-01-01", 1],
    // 16:30 UTC is already the next China day.
    ["2026-03-11T16:30:00Z", "2026-03-12", 0],
  ];
  it.each(table)("at %s, a deadline on %s has %i days left", (now, day, left) => {
    const due = endOfChinaDay(day);
    expect(daysLeft(new Date(now), due)).toBe(left);
    expect(daysPast(due, new Date(now))).toBe(Math.max(0, -left));
    expect(deadlineLabel(new Date(now), due)).toBe(
      left === 0 ? "今日到期" : left > 0 ? `剩余 ${left} 天` : `逾期 ${-left} 天`,
    );
  });

  it("gives the same N in the list, the ledger's overdue count and the reminders", () => {
    const due = endOfChinaDay("2026-11-27");
    const now = new Date("2026-12-06T20:00:00+08:00");
    expect(daysOverdue({ status: "IN_PROGRESS", dueDate: due }, now)).toBe(9);
    expect(
      replyState({ status: "RECTIFYING", replyDueDate: due, repliedAt: null, repliedLate: false }, now).label,
    ).toBe("逾期 9 天未回复");
    expect(reminderMessage("OVERDUE_RED", reminderItem(due), now).title).toContain("逾期 9 天");
    const soon = endOfChinaDay("2026-12-24");
    expect(
      replyState({ status: "RECTIFYING", replyDueDate: soon, repliedAt: null, repliedLate: false }, now).label,
    ).toBe("剩余 18 天");
    expect(reminderMessage("DUE_SOON", reminderItem(soon), now).body).toContain("剩余 18 天");
  });
});

describe("working days (Monday to Friday)", () => {
  // 2026-12-04 is a Friday.
  const table: Array<[string, number, string]> = [
    ["2026-12-04", 0, "2026-12-04"],
    ["2026-12-04", 1, "2026-12-07"],
    ["2026-12-04", 5, "2026-12-11"],
    ["2026-12-05", 5, "2026-12-11"],
    ["2026-12-06", 5, "2026-12-11"],
    ["2026-12-07", 5, "2026-12-14"],
    ["2026-12-09", 5, "2026-12-16"],
    ["2026-12-30", 5, "2027-01-06"],
    ["2028-02-25", 3, "2028-03-01"],
  ];
  it.each(table)("%s plus %i working days is %s", (from, days, to) => {
    expect(addWorkingDaysIso(from, days)).toBe(to);
  });

  it("knows weekends and refuses what is not a day or a count", () => {
    expect(isWorkingDayIso("2026-12-04")).toBe(true);
    expect(isWorkingDayIso("2026-12-05")).toBe(false);
    expect(isWorkingDayIso("2026-12-06")).toBe(false);
    expect(() => addWorkingDaysIso("2026-12-32x", 1)).toThrow(RangeError);
    expect(() => addWorkingDaysIso("2026-12-04", -1)).toThrow(RangeError);
    expect(() => addWorkingDaysIso("2026-12-04", 1.5)).toThrow(RangeError);
  });
});

const reminderItem = (dueDate: Date) => ({
  id: "i1",
  kind: "AGREED_ITEM",
  number: 1,
  wording: "完成排查",
  dueDate,
  leadOrgName: "示例市市场监督管理局",
  documentTitle: "纪要",
});
