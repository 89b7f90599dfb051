import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/**
 * Lists people can use (ADR 029): find a demo document with the 文书 list's search box and a filter,
 * 关注 it from its row, open it, and find it under 我关注的 and 最近打开 on the 工作台 — with the
 * keyboard (Tab to each control; a select is set by its option, the rest by keys).
 */

const TITLE = "甲县市场监管局查处某食品经营部经营超过保质期食品案";

async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `reachable with Tab within ${max} presses`).toBeFocused();
}

test("find a document by search and filter, 关注 it, and see it under 我关注的 and 最近打开", async ({ pageAs }) => {
  const page = await pageAs("sfj.coord");
  await page.goto("/");
  await tabTo(page, page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "文书" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/documents$/);

  const form = page.getByRole("form", { name: "筛选文书" });
  await tabTo(page, form.getByLabel("搜索标题"));
  await page.keyboard.type("保质期");
  await tabTo(page, form.getByLabel("类型"));
  await form.getByLabel("类型").selectOption({ label: "典型案例" });
  await tabTo(page, form.getByRole("button", { name: "筛选" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/q=%E4%BF%9D%E8%B4%A8%E6%9C%9F/);
  await expect(page).toHaveURL(/type=TYPICAL_CASE/);
  await expect(page.getByRole("status").filter({ hasText: /^共 1 份，第 1 \/ 1 页$/ })).toBeVisible();
  await expect(page.getByRole("list", { name: "当前筛选条件" })).toContainText("类型：典型案例");

  const star = page.getByRole("button", { name: `关注《${TITLE}》` });
  await expect(star).toHaveAttribute("aria-pressed", "false");
  await tabTo(page, star);
  await page.keyboard.press("Enter");
  await expect(star).toHaveAttribute("aria-pressed", "true");
  // Saved, not just shown: a reload of the filtered list still shows it starred.
  await page.reload();
  await expect(page.getByRole("button", { name: `关注《${TITLE}》` })).toHaveAttribute("aria-pressed", "true");

  const link = page.getByRole("link", { name: TITLE });
  await tabTo(page, link);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByRole("button", { name: "关注", exact: true })).toHaveAttribute("aria-pressed", "true");

  await tabTo(page, page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "工作台" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("starred-documents")).toContainText(TITLE);
  await expect(page.getByTestId("recent-documents").getByRole("link").first()).toHaveText(TITLE);
});
