import type { Page } from "@playwright/test";
import { expect, test, unique } from "./fixtures";

async function typeAtEnd(page: Page, text: string) {
  const editor = page.getByTestId("editor");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

async function saveNamedVersion(page: Page, id: string, name: string) {
  await page.goto(`/documents/${id}/versions`);
  await page.getByLabel("版本名称").fill(name);
  await page.getByRole("button", { name: "保存版本" }).click();
  await expect(page.getByText(/已保存为第\d+版/)).toBeVisible();
}

test("named versions, a character diff, restore into the live editor, and draft exports with progress", async ({
  page,
  signInAs,
}) => {
  await signInAs(page, "sfj.drafter");
  await page.goto("/documents/new");
  await page.getByLabel("标题").fill(`版本测试纪要 ${unique()}`);
  await page.getByLabel("文书类型").selectOption({ label: "会商纪要" });
  await page.getByLabel("示例市中级人民法院的权限").selectOption("WRITE");
  await page.getByRole("button", { name: "创建并开始起草" }).click();
  await page.waitForURL((u) => /^\/documents\/(?!new$)[a-z0-9]+$/.test(u.pathname));
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  const id = page.url().split("/").pop()!;

  await typeAtEnd(page, "会议议定如下事项。");
  await saveNamedVersion(page, id, "会前稿");
  await page.goto(`/documents/${id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  await typeAtEnd(page, "补充：由法院配合。");
  await saveNamedVersion(page, id, "修改稿");
  await expect(page.getByTestId("version-2")).toContainText("修改稿");
  await expect(page.getByTestId("version-2")).toContainText("张伟");
  await page.screenshot({ path: "test-results/shots/versions.png", fullPage: true });

  // Diff of 1 → 2 shows the inserted text, highlighted.
  await page.getByTestId("version-2").getByRole("link", { name: "与上一版对比" }).click();
  await expect(page.locator("article ins")).toContainText("补充：由法院配合。");
  await expect(page.getByTestId("diff-summary")).toContainText("新增 9 字");
  await page.screenshot({ path: "test-results/shots/compare.png", fullPage: true });

  // Restore 1: a new version, and the editor shows the old text.
  await page.goto(`/documents/${id}/versions`);
  await page.getByRole("button", { name: "恢复第1版" }).click();
  await expect(page.getByText("已恢复，生成第3版")).toBeVisible();
  await expect(page.getByTestId("version-3")).toContainText("恢复自第1版");
  await page.goto(`/documents/${id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  await expect(page.getByTestId("editor")).toContainText("会议议定如下事项。");
  await expect(page.getByTestId("editor")).not.toContainText("补充：由法院配合。");

  // Draft exports download with a 草稿 name; the page shows progress while they are made.
  const [docx] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "导出 Word（草稿）" }).click(),
  ]);
  expect(docx.suggestedFilename()).toMatch(/（草稿）\.docx$/);
  const pdfClick = page.getByRole("link", { name: "导出 PDF（草稿）" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: /正在|已完成|读取|排版|生成/ })
      .first(),
  ).toBeVisible();
  const [pdf] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), pdfClick]);
  expect(pdf.suggestedFilename()).toMatch(/（草稿）\.pdf$/);
  await page.screenshot({ path: "test-results/shots/document.png" });
});
