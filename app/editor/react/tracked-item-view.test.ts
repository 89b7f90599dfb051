// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { itemLabels } from "~/domain/tracked-item";
import { chinaToday } from "./item-settings";
import { applyItemStatus, type ItemRow } from "./tracked-items-context";

describe("live item status", () => {
  const now = new Date("2026-06-01T04:00:00Z");
  const rows = new Map<string, ItemRow>([
    ["i1", { id: "i1", number: 1, status: "NOT_STARTED", dueDate: "2026-05-31T15:59:59.999Z", overdue: true }],
  ]);

  it("updates the status and recomputes 逾期 from the due date", () => {
    const done = applyItemStatus(rows, { itemId: "i1", status: "DONE", dueDate: null }, now).get("i1");
    expect(done).toEqual({ id: "i1", number: 1, status: "DONE", dueDate: "2026-05-31T15:59:59.999Z", overdue: false });
    const extended = applyItemStatus(
      rows,
      { itemId: "i1", status: "IN_PROGRESS", dueDate: "2026-07-31T15:59:59.999Z" },
      now,
    ).get("i1");
    expect(extended).toMatchObject({ status: "IN_PROGRESS", overdue: false, dueDate: "2026-07-31T15:59:59.999Z" });
    expect(applyItemStatus(rows, { itemId: "i1", status: "IN_PROGRESS", dueDate: null }, now).get("i1")?.overdue).toBe(
      true,
    );
  });

  it("adds rows it did not know and never mutates the input", () => {
    const next = applyItemStatus(rows, { itemId: "i2", status: "NOT_STARTED", dueDate: null }, now);
    expect(next.get("i2")).toEqual({ id: "i2", number: null, status: "NOT_STARTED", dueDate: null, overdue: false });
    expect(rows.has("i2")).toBe(false);
  });

  it("knows today's date in China time", () => {
    expect(chinaToday(new Date("2026-03-11T16:30:00Z"))).toBe("2026-03-12");
    expect(chinaToday(new Date("2026-03-11T15:30:00Z"))).toBe("2026-03-11");
  });
});

describe("labels by the document's item kind", () => {
  it("names an item and its fields as minutes, plans and listings do", () => {
    const pick = (k: Parameters<typeof itemLabels>[0]) => {
      const { item, lead, supporting, due, feedback } = itemLabels(k);
      return { item, lead, supporting, due, feedback };
    };
    expect(pick("AGREED_ITEM")).toEqual({
      item: "议定事项",
      lead: "牵头单位",
      supporting: "配合单位",
      due: "完成时限",
      feedback: "反馈周期",
    });
    expect(pick("RECTIFICATION_MEASURE")).toEqual({
      item: "整改措施",
      lead: "责任单位",
      supporting: "配合单位",
      due: "整改时限",
      feedback: "反馈周期",
    });
    expect(pick("SUPERVISED_CASE")).toEqual({
      item: "督办案件",
      lead: "承办单位",
      supporting: "协办单位",
      due: "督办期限",
      feedback: "反馈周期",
    });
  });

  it("says 已解除挂牌 for a closed case and 已销号 for the others", () => {
    expect(itemLabels("SUPERVISED_CASE").statusLabel("CLOSED")).toBe("已解除挂牌");
    expect(itemLabels("AGREED_ITEM").statusLabel("CLOSED")).toBe("已销号");
    expect(itemLabels("RECTIFICATION_MEASURE").statusLabel("CLOSED")).toBe("已销号");
    expect(itemLabels("SUPERVISED_CASE").statusLabel("IN_PROGRESS")).toBe("推进中");
    expect(itemLabels("SUPERVISED_CASE").statusLabel("SOMETHING")).toBe("SOMETHING");
  });
});
