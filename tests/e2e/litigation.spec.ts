import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { axeViolations } from "./axe";
import { expect, test, unique } from "./fixtures";

/**
 * 府院联动 in the browser (issue 23, ADR 025): 示例市中级人民法院's drafter opens 2026年第四季度 with the
 * keyboard alone, downloads the quarter's template, fills it in (two agencies of 示例市 and a row
 * that is wrong), uploads it — every problem listed by row, nothing imported — corrects it and
 * uploads again; adds a 典型案件 with the form and 报送. 市司法局's coordinator then finds
 * 示例市城市管理综合行政执法局 flagged on 趋势与预警 (its 败诉率 rose again) and follows 发出行政执法监督意见书
 * to the registration form, filled in. axe on the filled-in report page.
 */

const COURT = "示例市中级人民法院";
const RISING = "示例市城市管理综合行政执法局";
const SCJG = "示例市市场监督管理局";
const STHJ = "示例市生态环境局";
const YEAR = 2026;
const QUARTER = 4;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const VIEWPORT = { viewport: { width: 1280, height: 900 } };

/** The quarter's figures per agency: 收案, 审结, 败诉, 负责人出庭, 调解撤诉. 城管 loses 4 of 10 (2026Q3: 3 of 10). */
const FIGURES: Record<string, [number, number, number, number, number]> = {
  [RISING]: [14, 10, 4, 9, 2],
  [SCJG]: [9, 8, 1, 7, 2],
};

async function expectAxeClean(page: Page, where: string) {
  const found = await axeViolations(page);
  expect(found, `${where}:\n${found.join("\n")}`).toEqual([]);
}

/** Presses Tab until `target` has the focus; fails after `max` presses (as in keyboard.spec.ts). */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `reachable with Tab within ${max} presses`).toBeFocused();
}

/** The row of the template's figures sheet that names `agency` (the template lists every agency of the region). */
function rowOf(sheet: ExcelJS.Worksheet, agency: string): number {
  for (let r = 2; r <= sheet.rowCount; r++) if (sheet.getRow(r).getCell(1).value === agency) return r;
  throw new Error(`${agency} is not listed in the template`);
}

test("a court files a quarter by its workbook, checked row by row, and 报送; the justice bureau is warned and sends a 行政执法监督意见书", async ({
  app,
  pageAs,
}) => {
  const stamp = unique();
  const caseNumber = `（${YEAR}）示01行初${stamp}号`;
  // The demo data end with 2026年第三季度: this quarter is the spec's own. A run before (a retry on
  // the same database) may have filed it: start from no report at all.
  await app.db.litigationReport.deleteMany({
    where: { courtOrg: { name: COURT }, year: YEAR, quarter: QUARTER },
  });

  const court = await pageAs("court.drafter", VIEWPORT);
  let reportPath = "";
  await test.step("the court's drafter opens 2026年第四季度 from 府院联动, with the keyboard alone", async () => {
    await court.goto("/");
    await court.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "府院联动" }).click();
    await expect(court).toHaveURL(/\/litigation$/);
    await expect(court.getByRole("heading", { name: "府院联动", level: 1 })).toBeVisible();
    await expect(court.getByText(`以${COURT}名义填报。`)).toBeVisible();
    const year = court.getByRole("combobox", { name: "年度", exact: true });
    await tabTo(court, year);
    await court.keyboard.press("Home"); // the first year offered: this one
    await expect(year).toHaveValue(String(YEAR));
    const quarter = court.getByRole("combobox", { name: "季度", exact: true });
    await tabTo(court, quarter);
    await court.keyboard.press("End"); // 第四季度
    await expect(quarter).toHaveValue(String(QUARTER));
    await tabTo(court, court.getByRole("button", { name: "填报", exact: true }));
    await court.keyboard.press("Enter");
    await court.waitForURL((u) => /^\/litigation\/(?!trends$)[A-Za-z0-9_-]+$/.test(u.pathname));
    reportPath = new URL(court.url()).pathname;
    await expect(court.getByRole("heading", { level: 1 })).toHaveText(`${COURT}${YEAR}年第四季度行政诉讼案件数据`);
    await expect(court.getByText("填报中", { exact: true })).toBeVisible();
  });

  // 下载模板: the region's agencies listed, nothing filled in yet.
  const downloading = court.waitForEvent("download");
  await court.getByRole("link", { name: "下载模板" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${COURT}${YEAR}年第四季度行政诉讼案件数据.xlsx`);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
  const sheet = book.getWorksheet("收结案情况")!;
  expect(sheet.getRow(1).values).toEqual([
    undefined,
    "被告单位",
    "收案数",
    "审结数",
    "行政机关败诉数",
    "负责人出庭应诉数",
    "调解撤诉数",
  ]);
  for (const [agency, figures] of Object.entries(FIGURES))
    sheet.getRow(rowOf(sheet, agency)).values = [agency, ...figures];
  // One row is wrong: 收案数 in words.
  const wrongRow = rowOf(sheet, STHJ);
  sheet.getRow(wrongRow).values = [STHJ, "十二", 5, 1, 4, 0];
  const upload = async (name: string) => {
    await court.locator('input[name="workbook"]').setInputFiles({
      name,
      mimeType: XLSX,
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    await court.getByRole("button", { name: "上传并导入" }).click();
  };
  const input = (agency: string, label: string) => court.getByLabel(`${agency} ${label}`, { exact: true });

  await test.step("a workbook with a wrong row: every problem listed, nothing imported", async () => {
    await upload("第四季度（有误）.xlsx");
    const problems = court.getByTestId("workbook-errors");
    await expect(problems.getByRole("listitem")).toHaveText([
      `「收结案情况」第${wrongRow}行：收案数「十二」不是整数。`,
    ]);
    await expect(input(RISING, "收案数")).toHaveValue("");
    await expect(court.getByTestId("tile-收案数")).toHaveText("0");
  });

  await test.step("corrected, it is imported: the figures and the totals show the numbers", async () => {
    sheet.getRow(wrongRow).values = [STHJ, 5, 5, 1, 4, 0];
    await upload("第四季度.xlsx");
    await court.waitForURL((u) => u.searchParams.has("imported"));
    await expect(court.getByRole("status").filter({ hasText: "已导入" })).toHaveText(
      "已导入 3 个被告单位的数据和 0 件典型案件。",
    );
    await expect(court.getByTestId("workbook-errors")).toHaveCount(0);
    for (const [agency, figures] of Object.entries(FIGURES))
      for (const [i, label] of ["收案数", "审结数", "行政机关败诉数", "负责人出庭应诉数", "调解撤诉数"].entries())
        await expect(input(agency, label)).toHaveValue(String(figures[i]));
    await expect(input(STHJ, "收案数")).toHaveValue("5");
    // A listed agency left blank is no data.
    await expect(input("示例市交通运输局", "收案数")).toHaveValue("");
    await expect(court.getByTestId("tile-收案数")).toHaveText("28");
    await expect(court.getByTestId("tile-败诉率")).toHaveText("26.1%");
  });

  await test.step("a 典型案件 added with the form", async () => {
    const form = court.locator("form", { has: court.getByRole("button", { name: "添加案件" }) });
    await form.getByRole("combobox", { name: "被告单位", exact: true }).selectOption({ label: RISING });
    await form.getByRole("textbox", { name: "案号", exact: true }).fill(caseNumber);
    await form.getByRole("textbox", { name: "案由", exact: true }).fill("行政强制拆除");
    await form.getByRole("textbox", { name: "裁判结果", exact: true }).fill("确认被诉强制拆除行为违法");
    await form.getByRole("textbox", { name: "暴露的执法问题", exact: true }).fill("未依法履行催告程序即实施强制拆除。");
    await form.getByRole("button", { name: "添加案件" }).click();
    await court.waitForURL((u) => u.searchParams.get("saved") === "case");
    await expect(court.getByRole("status").filter({ hasText: "已保存典型案件。" })).toBeVisible();
    await expect(court.getByTestId("case-row")).toHaveCount(1);
    await expect(court.getByTestId("case-row")).toContainText(`${caseNumber} ${RISING} · 行政强制拆除`);
    await expectAxeClean(court, "the report page, filled in");
  });

  await test.step("报送: no more changes, the figures read-only", async () => {
    await court.getByRole("button", { name: "报送", exact: true }).click();
    await court.waitForURL((u) => u.searchParams.get("saved") === "submitted");
    await expect(court.getByRole("status").filter({ hasText: "已报送。" })).toHaveText(
      "已报送。司法行政机关已收到通知。",
    );
    await expect(court.getByText("已报送", { exact: true })).toBeVisible();
    await expect(court.getByRole("button", { name: "上传并导入" })).toHaveCount(0);
    const row = court.getByRole("table", { name: "各被告单位数据" }).getByRole("row").filter({ hasText: RISING });
    await expect(row).toContainText("40.0%");
  });

  const sfj = await pageAs("sfj.coord", VIEWPORT);
  await test.step("市司法局 sees the agency flagged and sends it a 行政执法监督意见书", async () => {
    await sfj.goto("/litigation");
    await expect(sfj.getByRole("link", { name: `${YEAR}年第四季度` })).toHaveAttribute("href", reportPath);
    await sfj.getByRole("link", { name: "趋势与预警" }).click();
    await expect(sfj.getByRole("heading", { name: "趋势与预警", level: 1 })).toBeVisible();
    await expect(sfj.getByTestId("rising-summary")).toHaveText(`预警：${RISING}败诉率连续两个季度上升。`);
    const flagged = sfj.getByTestId("trend-row").filter({ hasText: RISING });
    await expect(flagged).toHaveAttribute("data-rising", "yes");
    await expect(flagged).toContainText("14 / 40.0%");
    await flagged.getByRole("link", { name: "发出行政执法监督意见书" }).click();
    await expect(sfj).toHaveURL(/\/recommendations\/new\?kind=SUPERVISION&recipient=/);
    await expect(sfj.getByRole("heading", { name: "登记建议书", level: 1 })).toBeVisible();
    await expect(sfj.getByRole("combobox", { name: "种类", exact: true }).locator("option:checked")).toHaveText(
      "行政执法监督意见书",
    );
    await expect(sfj.getByRole("combobox", { name: "主送单位", exact: true }).locator("option:checked")).toHaveText(
      new RegExp(`^${RISING}（`),
    );
    await expect(sfj.getByRole("textbox", { name: "事由", exact: true })).toHaveValue(
      `关于${RISING}行政诉讼败诉率连续上升问题的行政执法监督意见书`,
    );
    await expect(sfj.locator('textarea[name="problems"]')).toHaveValue(
      "行政诉讼败诉率连续两个季度上升（20.0% → 30.0% → 40.0%）",
    );
  });
});
