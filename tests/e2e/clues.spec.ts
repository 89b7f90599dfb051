import type { Page } from "@playwright/test";
import { axeViolations } from "./axe";
import { expect, test, unique } from "./fixtures";

/**
 * 线索移送 in the browser (issue 22, ADR 023): 市司法局's coordinator transfers a clue with a material
 * to 市纪委监委; the commission's coordinator finds it under 移入, reads 涉及人员 on the clue page only,
 * signs for it, handles it and reports the result with a material; the bureau sees who signed and
 * the result, and 办结. A VIEWER of a unit is neither offered the section nor let in. axe on the form,
 * the register and the clue page.
 */

const SFJ = "示例市司法局";
const JW = "示例市纪委监委";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const VIEWPORT = { viewport: { width: 1280, height: 900 } };

async function expectAxeClean(page: Page, where: string) {
  const found = await axeViolations(page);
  expect(found, `${where}:\n${found.join("\n")}`).toEqual([]);
}

test("市司法局 transfers a clue to 市纪委监委, which signs for it and reports the result; the bureau closes it", async ({
  pageAs,
}) => {
  const stamp = unique();
  const docNumber = `示司移〔2026〕${stamp}号`;
  const persons = `执法人员丁某（${stamp}）`;
  const summary = `案卷评查发现某执法大队违规处置罚没物品（${stamp}）。`;

  // 1. The bureau's coordinator transfers it with a material.
  const sfj = await pageAs("sfj.coord", VIEWPORT);
  await sfj.goto("/clues");
  await expect(sfj.getByRole("heading", { name: "线索移送", level: 1 })).toBeVisible();
  await sfj.getByRole("link", { name: "移送线索" }).click();
  await expect(sfj.getByRole("heading", { name: "移送线索" })).toBeVisible();
  await expectAxeClean(sfj, "the transfer form");
  await expect(sfj.getByLabel("移送单位")).toHaveValue(/.+/);
  await sfj.getByLabel(/^接收单位/).selectOption({ label: `${JW}（示例市）` });
  await expect(sfj.getByTestId("clue-category")).toHaveText("线索类别：违规违纪、职务违法犯罪线索");
  await sfj.getByLabel("移送文号").fill(docNumber);
  await sfj.getByLabel("线索来源").selectOption({ label: "案卷评查" });
  await sfj.getByLabel("问题摘要").fill(summary);
  await sfj.getByLabel("涉及单位").fill("示例市城市管理综合行政执法局某执法大队");
  await sfj.getByLabel("涉及人员").fill(persons);
  await expect(sfj.getByLabel("需要接收单位反馈办理结果")).toBeChecked();
  await sfj.locator('input[name="files"]').setInputFiles({
    name: "案卷评查发现问题.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await sfj.getByRole("button", { name: "移送", exact: true }).click();
  await sfj.waitForURL(
    (u) => /^\/clues\/(?!new$|stats$)[A-Za-z0-9_-]+$/.test(u.pathname) && u.searchParams.get("done") === "transferred",
  );
  const clueUrl = new URL(sfj.url()).pathname;
  await expect(sfj.getByText("线索已移送，接收单位的督办协调员已收到通知。")).toBeVisible();
  await expect(sfj.getByTestId("clue-status")).toHaveText("已移送");
  await expect(sfj.getByText(`违规违纪、职务违法犯罪线索 · ${SFJ} → ${JW} · 本单位移出`)).toBeVisible();
  await expect(sfj.getByTestId("involved-persons")).toHaveText(persons);

  // 2. The commission's coordinator: 移入, no content in the list, 涉及人员 on the page.
  const jw = await pageAs("jw.coord", VIEWPORT);
  await jw.goto("/");
  await jw.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "线索移送" }).click();
  await jw.getByRole("navigation", { name: "线索分类" }).getByRole("link", { name: /^移入/ }).click();
  const row = jw.getByRole("table", { name: "移入的线索" }).getByRole("row").filter({ hasText: docNumber });
  await expect(row).toContainText(SFJ);
  await expect(row).toContainText("已移送");
  await expect(jw.getByRole("main")).not.toContainText(persons);
  await expect(jw.getByRole("main")).not.toContainText(summary);
  await expectAxeClean(jw, "the register");
  await row.getByRole("link", { name: docNumber }).click();
  await expect(jw).toHaveURL(new RegExp(`${clueUrl}$`));
  await expect(jw.getByTestId("involved-persons")).toHaveText(persons);
  await expect(jw.getByTestId("clue-summary")).toHaveText(summary);
  const material = await jw.request.get(
    (await jw.getByRole("link", { name: "案卷评查发现问题.pdf" }).getAttribute("href"))!,
  );
  expect(material.status()).toBe(200);
  await expectAxeClean(jw, "the clue page");

  // 签收, 开始办理, 反馈 with a material.
  await jw.getByRole("button", { name: "签收", exact: true }).click();
  await expect(jw.getByText("线索已签收。")).toBeVisible();
  await expect(jw.getByTestId("clue-status")).toHaveText("已签收");
  await jw.getByRole("button", { name: "开始办理" }).click();
  await expect(jw.getByText("已开始办理。")).toBeVisible();
  await jw.getByLabel(/^办理结果/).selectOption({ label: "初核" });
  await jw.getByLabel("办理情况说明").fill(`已对线索反映问题进行初步核实（${stamp}）。`);
  await jw.locator('form:has(input[value="feedback"]) input[name="files"]').setInputFiles({
    name: "初核情况报告.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await jw.getByRole("button", { name: "反馈", exact: true }).click();
  await expect(jw.getByText("办理结果已反馈，移送单位已收到通知。")).toBeVisible();
  await expect(jw.getByTestId("clue-status")).toHaveText("已反馈");
  await expect(jw.getByRole("button", { name: "办结" })).toHaveCount(0);

  // 3. The bureau sees who signed and the result, and 办结.
  await sfj.goto(clueUrl);
  await expect(sfj.getByTestId("received")).toContainText("郑明于");
  await expect(sfj.getByTestId("feedback-outcome")).toHaveText("初核");
  await expect(sfj.getByRole("link", { name: "初核情况报告.pdf" })).toBeVisible();
  await sfj.getByRole("button", { name: "办结" }).click();
  await expect(sfj.getByText("线索已办结。")).toBeVisible();
  await expect(sfj.getByTestId("clue-status")).toHaveText("已办结");
  const timeline = sfj.getByTestId("timeline").first();
  for (const step of ["移送线索", "签收线索", "开始办理线索", "反馈办理结果", "线索办结"])
    await expect(timeline).toContainText(step);
  await expect(timeline).not.toContainText(persons);

  // 4. A VIEWER is not offered the section, and is refused the clue.
  const viewer = await pageAs("scjg.viewer", VIEWPORT);
  await viewer.goto("/");
  await expect(viewer.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "线索移送" })).toHaveCount(
    0,
  );
  const refused = await viewer.goto(clueUrl);
  expect(refused?.status()).toBe(403);
  await expect(viewer.getByRole("heading", { name: "无权访问" })).toBeVisible();
  await expect(viewer.locator("body")).not.toContainText(persons);
});

test("the demo register shows the clue overdue for receipt, and the bureau's statistics count without content", async ({
  pageAs,
}) => {
  const sfj = await pageAs("sfj.coord", VIEWPORT);
  await sfj.goto("/clues?view=out");
  await expect(sfj.getByTestId("overdue-receipt")).not.toHaveText("0");
  const overdue = sfj
    .getByRole("table", { name: "移出的线索" })
    .getByRole("row")
    .filter({ hasText: "示司移〔2026〕7号" });
  await expect(overdue).toContainText(/逾期 \d+ 天未签收/);
  await sfj.getByRole("link", { name: "移送统计" }).click();
  await expect(sfj.getByRole("heading", { name: "线索移送统计" })).toBeVisible();
  await expect(sfj.getByRole("table", { name: "按移送路径" })).toContainText("违规违纪、职务违法犯罪线索");
  await expect(sfj.getByRole("main")).not.toContainText("执法人员甲");
  await expectAxeClean(sfj, "the statistics");
});
