import { axeViolations } from "./axe";
import { expect, test, unique } from "./fixtures";

/**
 * 参会回执, 催办, 修改时间地点议程 and 取消 in the browser (ADR 021): the invited court answers on the
 * consultation page (a missing reason is said under its field), the convener sees the 回执 table,
 * chases, moves the meeting (the .ics SEQUENCE goes up) and cancels it (METHOD:CANCEL).
 */

const COURT = "示例市中级人民法院";
const SCJG = "示例市市场监督管理局";

test("the court answers the invitation; the convener chases, moves and cancels the meeting", async ({
  pageAs,
  app,
}) => {
  const stamp = unique();
  const title = `回执会商 ${stamp}`;
  const consultationId = await app.convene("sfj.coord", {
    title,
    series: `回执会商（e2e ${stamp}）`,
    place: "市司法局三楼会议室",
    agenda: ["通报近期行政执法监督情况"],
    attendees: [COURT, SCJG],
  });

  const liaison = await pageAs("court.liaison");
  await liaison.goto(`/consultations/${consultationId}`);
  const reply = liaison.locator("section", { has: liaison.getByRole("heading", { name: "参会回执" }) });
  await expect(reply.getByRole("group", { name: "是否参加" })).toBeVisible();
  await reply.getByRole("radio", { name: "不参加" }).check();
  await reply.getByRole("button", { name: "提交回执" }).click();
  const reason = reply.getByLabel(/不参加的原因/);
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await expect(reply.getByText("选择不参加时，请填写原因。")).toBeVisible();
  const describedBy = await reason.getAttribute("aria-describedby");
  await expect(liaison.locator(`#${describedBy}`)).toHaveText("选择不参加时，请填写原因。");
  expect(await axeViolations(liaison)).toEqual([]);
  await reply.getByRole("radio", { name: "不参加" }).check();
  await reason.fill("同日开庭，书面提交意见");
  await reply.getByRole("button", { name: "提交回执" }).click();
  await expect(liaison.getByText("回执已提交，召集单位已收到通知。")).toBeVisible();
  await expect(reply).toContainText("不参加");

  const coord = await pageAs("sfj.coord");
  await coord.goto(`/consultations/${consultationId}`);
  const replies = coord.getByRole("table", { name: "回执情况" });
  await expect(replies.getByRole("row").filter({ hasText: COURT })).toContainText("同日开庭，书面提交意见");
  await expect(replies.getByRole("row").filter({ hasText: SCJG })).toContainText("未回复");
  await coord.getByRole("button", { name: "催办未回执" }).click();
  await expect(coord.getByText(/已催办：\d+个未回执的单位或人员已收到提醒。/)).toBeVisible();
  await expect(coord.getByRole("button", { name: "催办未回执" })).toBeDisabled();

  await coord.getByText("修改时间、地点、议程").click();
  // The meeting convened through the app starts at the current time of day: set both times on its day.
  await coord.getByLabel("开始时间").fill("09:00");
  await coord.getByLabel("结束时间").fill("11:00");
  await coord.getByRole("textbox", { name: /^地点/ }).fill("市司法局五楼会议室");
  await coord.getByRole("button", { name: "保存并通知" }).click();
  await expect(coord.getByText(/会商已变更，受邀单位和人员已收到通知/)).toBeVisible();
  const updated = await (await coord.request.get(`/consultations/${consultationId}/invite.ics`)).text();
  expect(updated).toContain("METHOD:REQUEST");
  expect(updated).toContain("SEQUENCE:1");
  expect(updated.replace(/\r\n /g, "")).toContain("LOCATION:市司法局五楼会议室");

  await coord.getByText("取消会商", { exact: true }).click();
  await coord.getByLabel("取消原因").fill("上级临时部署其他工作");
  await coord.getByRole("button", { name: "确认取消会商" }).click();
  await expect(coord.getByText(/会商已取消，受邀单位和人员已收到通知/)).toBeVisible();
  await expect(coord.getByText("本次会商已于", { exact: false })).toContainText("上级临时部署其他工作");
  const cancelled = await (await coord.request.get(`/consultations/${consultationId}/invite.ics`)).text();
  expect(cancelled).toContain("METHOD:CANCEL");
  expect(cancelled).toContain("STATUS:CANCELLED");
  expect(cancelled).toContain("SEQUENCE:2");

  await liaison.goto(`/consultations/${consultationId}`);
  await expect(liaison.getByRole("heading", { name: "参会回执" })).toHaveCount(0);
  await expect(liaison.getByText("已取消", { exact: true })).toBeVisible();
});
