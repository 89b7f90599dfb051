import { axeViolations } from "./axe";
import { expect, test } from "./fixtures";

/**
 * Global search from the shell (ADR 028): Ctrl+K opens the quick box anywhere, two words of a demo minute's body
 * find it with the words marked, the arrow keys reach it and Enter opens it; the results page groups by kind.
 */

test("Ctrl+K, two words of the 第1期 minutes' body: the minutes are listed, marked, and reached with the arrow keys and opened with Enter", async ({
  pageAs,
}) => {
  // Which of the matching records ranks first is checked on a controlled database in
  // tests/integration/search.test.ts; here the demo's 第2期 minutes quote the 第1期 items (结转), and other
  // specs edit the demo documents on this server, so the order may legitimately change.
  const page = await pageAs("sfj.coord");
  await page.goto("/");
  await page.keyboard.press("Control+K");
  const input = page.getByRole("combobox", { name: "全局搜索" });
  await expect(input).toBeFocused();
  // The index is built by the server's background job shortly after start: the first answer may be empty.
  const minutes = page.getByRole("option").filter({ hasText: "规范涉企行政检查协调会商纪要（第1期）" });
  await expect(async () => {
    await input.fill("");
    await input.fill("统筹机制 排污单位");
    await expect(minutes).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(minutes.locator("mark")).toHaveText(["统筹机制", "排污单位"]);
  const found = await axeViolations(page);
  expect(found, `the quick search open:\n${found.join("\n")}`).toEqual([]);
  const options = page.getByRole("option");
  const count = await options.count();
  for (let i = 0; i < count && (await minutes.getAttribute("aria-selected")) !== "true"; i++)
    await page.keyboard.press("ArrowDown");
  await expect(minutes).toHaveAttribute("aria-selected", "true");
  await expect(input).toHaveAttribute("aria-activedescendant", (await minutes.getAttribute("id")) ?? "");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/documents\/[^/?#]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("规范涉企行政检查协调会商纪要（第1期）");
});

test("the results page: grouped by kind with counts, a kind filter, an empty state and the over-long message", async ({
  pageAs,
}) => {
  const page = await pageAs("sfj.coord");
  await expect(async () => {
    await page.goto("/search?q=涉企行政检查");
    await expect(page.getByRole("heading", { name: /^会商（\d+）$/ })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: /^文书（\d+）$/ })).toBeVisible();
  await page.getByRole("navigation", { name: "按类别筛选" }).getByRole("link", { name: /^会商/ }).click();
  await expect(page).toHaveURL(/kind=consultation/);
  await expect(page.getByRole("heading", { name: /^文书（/ })).toHaveCount(0);
  await expect(page.getByTestId("search-result").first().locator("mark").first()).toHaveText("涉企行政检查");
  await page.goto(`/search?q=${encodeURIComponent("没有这样的内容甲乙丙")}`);
  await expect(page.getByText("没有找到与“没有这样的内容甲乙丙”相关的内容")).toBeVisible();
  await page.goto(`/search?q=${"长".repeat(101)}`);
  await expect(page.getByRole("alert")).toContainText("搜索内容过长");
});

test("search of every kind: a name only in an item's progress text, a clue for its handlers only, nothing of 示例市 for the neighbouring city", async ({
  pageAs,
}) => {
  // 孙立新 is named only in the progress report on the 第1期 item led by 市生态环境局 (prisma/seed-work.ts).
  const coord = await pageAs("sfj.coord");
  await expect(async () => {
    await coord.goto(`/search?q=${encodeURIComponent("孙立新")}`);
    await expect(coord.getByRole("heading", { name: /^督办事项（1）$/ })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const item = coord.getByTestId("search-results-item").getByTestId("search-result");
  await expect(item).toHaveCount(1);
  await expect(item.locator("mark")).toHaveText(["孙立新"]);
  await expect(item).toContainText("进展");
  const found = await axeViolations(coord);
  expect(found, `the results page:\n${found.join("\n")}`).toEqual([]);
  // The clue of the demo (人情案) is the sending unit's coordinator's to find.
  await coord.goto(`/search?q=${encodeURIComponent("人情案")}`);
  await expect(coord.getByRole("heading", { name: /^线索（1）$/ })).toBeVisible();
  await coord.getByTestId("search-results-clue").getByRole("link").first().click();
  await expect(coord).toHaveURL(/\/clues\/[^/?#]+$/);

  // A VIEWER of 市场监管局 finds the records its unit may read (the minutes it co-drafted), never a clue.
  const viewer = await pageAs("scjg.viewer");
  await viewer.goto(`/search?q=${encodeURIComponent("统筹机制 排污单位")}`);
  await expect(viewer.getByRole("heading", { name: /^文书（\d+）$/ })).toBeVisible();
  await viewer.goto(`/search?q=${encodeURIComponent("人情案")}`);
  await expect(viewer.getByText("没有找到与“人情案”相关的内容")).toBeVisible();

  // The neighbouring city's justice bureau: nothing of 示例市 but the published cases (public anyway).
  const neighbour = await pageAs("sfs.coord");
  for (const q of ["孙立新", "人情案", "统筹机制 排污单位", "涉企行政检查 协调会商"]) {
    await neighbour.goto(`/search?q=${encodeURIComponent(q)}`);
    await expect(neighbour.getByText(`没有找到与“${q}”相关的内容`)).toBeVisible();
  }
});

test("the filters: by kind, unit, status and date, in the URL, with chips that remove them, by keyboard alone", async ({
  pageAs,
}) => {
  const page = await pageAs("sfj.coord");
  await expect(async () => {
    await page.goto(`/search?q=${encodeURIComponent("排污单位")}&kind=item`);
    await expect(page.getByRole("heading", { name: /^督办事项（\d+）$/ })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await page.getByLabel("督办事项状态").selectOption({ label: "推进中" });
  await page.getByLabel("单位", { exact: true }).selectOption({ label: "示例市生态环境局" });
  await page.getByLabel("搜索内容").press("Enter");
  await expect(page).toHaveURL(/status=IN_PROGRESS/);
  await expect(page).toHaveURL(/unit=/);
  await expect(page.getByTestId("search-result")).not.toHaveCount(0);
  await page.getByRole("link", { name: "移除筛选条件：状态：推进中" }).click();
  await expect(page).not.toHaveURL(/status=/);
  await page.getByLabel("日期（起）").fill("2099-01-01");
  await page.getByLabel("搜索内容").press("Enter");
  await expect(page).toHaveURL(/from=2099-01-01/);
  await expect(page.getByText("没有找到与“排污单位”相关的内容")).toBeVisible();
  for (const width of [1440, 820, 390]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `test-results/search-filters-${width}.png`, fullPage: true });
  }
  const found = await axeViolations(page);
  expect(found, `the filtered results page:\n${found.join("\n")}`).toEqual([]);
});
