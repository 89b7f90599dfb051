import { describe, expect, it } from "vitest";
import { endOfChinaDay } from "~/domain/dates";
import {
  clueReminderMessage,
  clueReminderRecipients,
  clueReminderStage,
  reminderMessage,
  reminderRecipients,
  reminderStage,
  replyReminderMessage,
  replyReminderRecipients,
  replyReminderStage,
  wordingExcerpt,
  type ReminderStage,
} from "./reminders.server";

const settings = { dueSoonDays: 3, replyDueSoonDays: 7, redDays: 7 };
const due = endOfChinaDay("2026-03-12"); // 2026-03-12T23:59:59.999+08:00
/** A China wall-clock time as an instant. */
const at = (local: string) => new Date(`${local}+08:00`);
const open = (dueDate: Date | null = due, status = "IN_PROGRESS") => ({ status, dueDate });

describe("reminderStage over a fake clock", () => {
  it("gives nothing before the due-soon window", () => {
    expect(reminderStage(open(), at("2026-03-01T09:00:00"), settings)).toBeNull();
    // 临期 counts calendar days: the window opens at 00:00 of the third day before the due day.
    expect(reminderStage(open(), at("2026-03-08T23:59:59"), settings)).toBeNull();
    expect(reminderStage(open(), at("2026-03-09T00:00:00"), settings)).toBe("DUE_SOON");
  });

  it("is DUE_SOON inside the window, up to the end of the due day", () => {
    expect(reminderStage(open(), new Date(due.getTime() - 3 * 86_400_000), settings)).toBe("DUE_SOON");
    expect(reminderStage(open(), at("2026-03-10T09:00:00"), settings)).toBe("DUE_SOON");
    expect(reminderStage(open(), at("2026-03-12T23:59:59.999"), settings)).toBe("DUE_SOON");
    expect(reminderStage(open(due, "NOT_STARTED"), at("2026-03-11T09:00:00"), settings)).toBe("DUE_SOON");
  });

  it("is DUE (黄牌) once the due day is over", () => {
    expect(reminderStage(open(), at("2026-03-13T00:00:00"), settings)).toBe("DUE");
    expect(reminderStage(open(), at("2026-03-14T10:00:00"), settings)).toBe("DUE"); // 2 days over
    expect(reminderStage(open(), at("2026-03-18T23:59:59"), settings)).toBe("DUE"); // 6 days over
  });

  it("is OVERDUE_RED (红牌) from the 7th day overdue on, and stays there", () => {
    expect(reminderStage(open(), at("2026-03-19T00:00:00"), settings)).toBe("OVERDUE_RED");
    expect(reminderStage(open(), at("2026-04-30T12:00:00"), settings)).toBe("OVERDUE_RED");
    expect(reminderStage(open(), at("2026-03-16T00:00:00"), { ...settings, redDays: 3 })).toBe("OVERDUE_RED");
  });

  it("restarts after an extension (a new due date)", () => {
    const now = at("2026-03-20T09:00:00");
    expect(reminderStage(open(), now, settings)).toBe("OVERDUE_RED");
    expect(reminderStage(open(endOfChinaDay("2026-04-30")), now, settings)).toBeNull();
    expect(reminderStage(open(endOfChinaDay("2026-03-21")), now, settings)).toBe("DUE_SOON");
  });

  it("gives nothing to finished, closed, draft or removed items, or items without a due date", () => {
    for (const status of ["DONE", "CLOSED", "DRAFT", "REMOVED"]) {
      for (const now of [at("2026-03-11T09:00:00"), at("2026-03-13T09:00:00"), at("2026-04-30T09:00:00")]) {
        expect(reminderStage(open(due, status), now, settings)).toBeNull();
      }
    }
    expect(reminderStage(open(null), at("2026-03-13T09:00:00"), settings)).toBeNull();
  });

  it("has no due-soon stage when the window is 0 days", () => {
    expect(reminderStage(open(), at("2026-03-12T09:00:00"), { ...settings, dueSoonDays: 0 })).toBeNull();
    expect(reminderStage(open(), at("2026-03-13T09:00:00"), { ...settings, dueSoonDays: 0 })).toBe("DUE");
  });
});

describe("reminderRecipients", () => {
  const item = { ownerOrgId: "owner", leadOrgId: "lead" };
  const members = [
    ...["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"].map((role) => ({ userId: `lead-${role}`, orgId: "lead", role })),
    ...["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"].map((role) => ({
      userId: `owner-${role}`,
      orgId: "owner",
      role,
    })),
    { userId: "other-COORDINATOR", orgId: "supporting", role: "COORDINATOR" },
  ];
  const leadAll = ["lead-ADMIN", "lead-COORDINATOR", "lead-DRAFTER", "lead-LIAISON"];
  const cases: Array<[ReminderStage, string[]]> = [
    ["DUE_SOON", leadAll],
    ["DUE", [...leadAll, "owner-COORDINATOR"]],
    ["OVERDUE_RED", [...leadAll, "owner-ADMIN", "owner-COORDINATOR"]],
  ];
  it.each(cases)("%s → %j", (stage, expected) => {
    expect(reminderRecipients(stage, item, members)).toEqual([...expected].sort());
  });

  it("names a user once even with several roles, and treats an item without a lead org as the convener's own", () => {
    const both = [
      { userId: "u1", orgId: "owner", role: "COORDINATOR" },
      { userId: "u1", orgId: "owner", role: "ADMIN" },
    ];
    expect(reminderRecipients("OVERDUE_RED", { ownerOrgId: "owner", leadOrgId: null }, both)).toEqual(["u1"]);
    expect(reminderRecipients("DUE_SOON", { ownerOrgId: "owner", leadOrgId: null }, both)).toEqual(["u1"]);
  });
});

describe("reminderMessage", () => {
  const item = {
    id: "i1",
    kind: "AGREED_ITEM",
    number: 3,
    wording: "市场监管局会同生态环境局于三月底前完成辖区内全部餐饮油烟净化设施的排查登记并建立整改台账，逐户跟踪",
    dueDate: due,
    leadOrgName: "示例市市场监督管理局",
    documentTitle: "第一季度协调会商纪要",
  };

  it("cuts the wording to 40 characters", () => {
    expect([...wordingExcerpt(item.wording)].length).toBe(40);
    expect(wordingExcerpt(item.wording).endsWith("…")).toBe(true);
    expect(wordingExcerpt("短句")).toBe("短句");
  });

  it("words each stage in Chinese with the number, excerpt and due date", () => {
    const soon = reminderMessage("DUE_SOON", item, at("2026-03-10T09:00:00"));
    expect(soon.title).toBe(`议定事项即将到期：第3项「${wordingExcerpt(item.wording)}」`);
    expect(soon.body).toContain("完成时限：2026年3月12日");
    expect(soon.body).toContain("剩余 2 天"); // 3月10日 → 3月12日: two calendar days, whatever the hour
    expect(reminderMessage("DUE_SOON", item, at("2026-03-12T08:00:00")).body).toContain("今日到期");
    const yellow = reminderMessage("DUE", item, at("2026-03-13T09:00:00"));
    expect(yellow.title).toMatch(/^黄牌：议定事项第3项「.+」已到期未完成$/);
    expect(yellow.body).toContain("牵头单位：示例市市场监督管理局");
    const red = reminderMessage("OVERDUE_RED", item, at("2026-03-21T09:00:00"));
    expect(red.title).toMatch(/^红牌：议定事项第3项「.+」逾期 9 天$/);
    expect(red.body).toContain("《第一季度协调会商纪要》");
  });
});

describe("reply deadlines of recommendations", () => {
  const rec = (status = "RECTIFYING", replyDueDate = due) => ({ status, replyDueDate });

  it("has its own due-soon window and the items' 黄牌 / 红牌 days, only while the reply is owed", () => {
    expect(replyReminderStage(rec(), at("2026-03-04T23:00:00"), settings)).toBeNull(); // 8 calendar days ahead
    expect(replyReminderStage(rec(), at("2026-03-05T00:00:00"), settings)).toBe("DUE_SOON"); // 7
    expect(replyReminderStage(rec(), at("2026-03-06T09:00:00"), settings)).toBe("DUE_SOON");
    expect(replyReminderStage(rec(), at("2026-03-06T09:00:00"), { ...settings, replyDueSoonDays: 3 })).toBeNull();
    expect(replyReminderStage(rec("REGISTERED"), at("2026-03-13T00:00:00"), settings)).toBe("DUE");
    expect(replyReminderStage(rec(), at("2026-03-19T00:00:00"), settings)).toBe("OVERDUE_RED");
    for (const status of ["REPLIED", "CLOSED"])
      expect(replyReminderStage(rec(status), at("2026-03-20T09:00:00"), settings)).toBeNull();
  });

  it("tells the recipient at every stage, the issuer and the 抄送 coordinators once it is late, the issuer's head at 红牌", () => {
    const subject = { issuerOrgId: "issuer", recipientOrgId: "recipient", copyOrgIds: ["copy"] };
    const members = ["issuer", "recipient", "copy", "other"].flatMap((orgId) =>
      ["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON"].map((role) => ({ userId: `${orgId}-${role}`, orgId, role })),
    );
    const recipientAll = ["recipient-ADMIN", "recipient-COORDINATOR", "recipient-DRAFTER", "recipient-LIAISON"];
    const late = [...recipientAll, "issuer-COORDINATOR", "issuer-LIAISON", "copy-COORDINATOR"];
    expect(replyReminderRecipients("DUE_SOON", subject, members)).toEqual([...recipientAll].sort());
    expect(replyReminderRecipients("DUE", subject, members)).toEqual([...late].sort());
    expect(replyReminderRecipients("OVERDUE_RED", subject, members)).toEqual([...late, "issuer-ADMIN"].sort());
  });

  it("words each stage with the kind, 文号, issuer and deadline", () => {
    const subject = {
      kind: "PROCURATORIAL",
      docNumber: "示检行建〔2026〕3号",
      title: "关于加强食品经营许可审查的检察建议",
      issuerOrgName: "示例市人民检察院",
      recipientOrgName: "示例市市场监督管理局",
      replyDueDate: due,
    };
    const soon = replyReminderMessage("DUE_SOON", subject, at("2026-03-08T09:00:00"));
    expect(soon.title).toBe("检察建议书即将到回复期限：示检行建〔2026〕3号");
    expect(soon.body).toContain(
      "示例市人民检察院《关于加强食品经营许可审查的检察建议》（示检行建〔2026〕3号），主送示例市市场监督管理局",
    );
    expect(soon.body).toContain("回复期限：2026年3月12日");
    expect(soon.body).toContain("剩余 4 天");
    expect(replyReminderMessage("DUE", subject, at("2026-03-13T09:00:00")).title).toBe(
      "黄牌：检察建议书示检行建〔2026〕3号已到回复期限未回复",
    );
    expect(replyReminderMessage("OVERDUE_RED", subject, at("2026-03-21T09:00:00")).title).toBe(
      "红牌：检察建议书示检行建〔2026〕3号逾期 9 天未回复",
    );
  });
});

describe("receipt and feedback deadlines of clues", () => {
  const receiptDueAt = endOfChinaDay("2026-03-12");
  const feedbackDueAt = endOfChinaDay("2026-04-10");
  const clue = (status: string, needsFeedback = true) => ({ status, needsFeedback, receiptDueAt, feedbackDueAt });

  it("the receipt deadline runs until the clue is signed for: 临期 the day before, 黄牌, 红牌 after 7 days", () => {
    expect(clueReminderStage(clue("TRANSFERRED"), "RECEIPT", at("2026-03-10T23:59:00"), settings)).toBeNull();
    expect(clueReminderStage(clue("TRANSFERRED"), "RECEIPT", at("2026-03-11T00:00:00"), settings)).toBe("DUE_SOON");
    expect(clueReminderStage(clue("TRANSFERRED"), "RECEIPT", at("2026-03-13T00:00:00"), settings)).toBe("DUE");
    expect(clueReminderStage(clue("TRANSFERRED"), "RECEIPT", at("2026-03-19T00:00:00"), settings)).toBe("OVERDUE_RED");
    for (const status of ["RECEIVED", "HANDLING", "FEEDBACK", "CLOSED", "RETURNED"])
      expect(clueReminderStage(clue(status), "RECEIPT", at("2026-03-19T00:00:00"), settings), status).toBeNull();
  });

  it("the feedback deadline runs while a received clue asking for feedback is handled (the reply window)", () => {
    expect(clueReminderStage(clue("RECEIVED"), "FEEDBACK", at("2026-04-02T23:00:00"), settings)).toBeNull();
    expect(clueReminderStage(clue("HANDLING"), "FEEDBACK", at("2026-04-03T00:00:00"), settings)).toBe("DUE_SOON");
    expect(clueReminderStage(clue("HANDLING"), "FEEDBACK", at("2026-04-11T00:00:00"), settings)).toBe("DUE");
    expect(clueReminderStage(clue("RECEIVED"), "FEEDBACK", at("2026-04-17T00:00:00"), settings)).toBe("OVERDUE_RED");
    for (const status of ["TRANSFERRED", "FEEDBACK", "CLOSED", "RETURNED"])
      expect(clueReminderStage(clue(status), "FEEDBACK", at("2026-04-17T00:00:00"), settings), status).toBeNull();
    expect(clueReminderStage(clue("HANDLING", false), "FEEDBACK", at("2026-04-17T00:00:00"), settings)).toBeNull();
  });

  it("tells the receiving unit's handlers at every stage, the sending unit's from 黄牌 on, nobody else", () => {
    const members = ["ADMIN", "COORDINATOR", "DRAFTER", "LIAISON", "PUBLISHER", "VIEWER"].flatMap((role) => [
      { userId: `to-${role}`, orgId: "to", role },
      { userId: `from-${role}`, orgId: "from", role },
      { userId: `other-${role}`, orgId: "other", role },
    ]);
    const units = { fromOrgId: "from", toOrgId: "to" };
    expect(clueReminderRecipients("DUE_SOON", units, members)).toEqual(["to-COORDINATOR"]);
    expect(clueReminderRecipients("DUE", units, members)).toEqual(["from-COORDINATOR", "to-COORDINATOR"]);
    expect(clueReminderRecipients("OVERDUE_RED", units, members)).toEqual(["from-COORDINATOR", "to-COORDINATOR"]);
  });

  it("words each stage with the 文号, the category and the units only", () => {
    const subject = {
      docNumber: "示司移〔2026〕1号",
      route: "JUSTICE_TO_DISCIPLINE",
      fromOrgName: "示例市司法局",
      toOrgName: "示例市纪委监委",
    };
    const soon = clueReminderMessage("RECEIPT", "DUE_SOON", subject, receiptDueAt, at("2026-03-11T09:00:00"));
    expect(soon.title).toBe("线索即将到签收期限：示司移〔2026〕1号");
    expect(soon.body).toBe(
      "示例市司法局移送示例市纪委监委的线索（示司移〔2026〕1号，违规违纪、职务违法犯罪线索）；签收期限：2026年3月12日。剩余 1 天，请接收单位按期签收。",
    );
    expect(clueReminderMessage("RECEIPT", "DUE", subject, receiptDueAt, at("2026-03-13T09:00:00")).title).toBe(
      "黄牌：线索示司移〔2026〕1号已到期未签收",
    );
    expect(
      clueReminderMessage("FEEDBACK", "OVERDUE_RED", subject, feedbackDueAt, at("2026-04-19T09:00:00")).title,
    ).toBe("红牌：线索示司移〔2026〕1号逾期 9 天未反馈办理结果");
  });
});
