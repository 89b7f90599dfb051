import type { Locator, Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, test, unique } from "./fixtures";

/**
 * The keyboard alone (GB/T 37668 / WCAG 2.1.1): sign in, filter the ledger, report progress, insert
 * and configure a 议定事项 — no click, no programmatic focus. Each control is reached with Tab (the
 * helper presses Tab until the control has the focus, and fails if it never does), and after every
 * submission the focus is somewhere that says what happened, never the page body.
 */

const SCJG = "示例市市场监督管理局";
const STHJ = "示例市生态环境局";

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { max = 80, back = false } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(target, `reachable with ${back ? "Shift+Tab" : "Tab"} within ${max} presses`).toBeFocused();
}

async function focusIsNotOnBody(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.tagName ?? "BODY"), { message: "focus after submitting" })
    .not.toBe("BODY");
}

function chinaDate(days: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test("sign in and filter the ledger with the keyboard alone", async ({ pageAs }) => {
  const page = await pageAs(null);
  await page.goto("/login");
  await expect(page.getByLabel("用户名")).toBeFocused();
  await page.keyboard.type("sfj.coord");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("密码")).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: /您好/ })).toBeVisible();

  // 跳到正文 is the first stop, then the shell's 台账 link.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "跳到正文" })).toBeFocused();
  await tabTo(page, page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "台账" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/ledger/);

  const form = page.getByRole("form", { name: "筛选台账" });
  await tabTo(page, form.getByLabel("类别"));
  await page.keyboard.press("ArrowDown"); // 全部类别 → 议定事项
  await tabTo(page, form.getByRole("button", { name: "筛选" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/kind=AGREED_ITEM/);
  // The count has the focus and is read out (role=status).
  const count = page.getByRole("status").filter({ hasText: /^共 \d+ 项，第 1 \/ \d+ 页$/ });
  await expect(count).toBeFocused();
  await expect(page.getByRole("list", { name: "当前筛选条件" })).toContainText("类别：议定事项");
});

test("report progress on an item with the keyboard alone", async ({ app, pageAs }) => {
  const stamp = unique();
  const documentId = await app.createDocument("sfj.drafter", {
    title: `键盘报送测试纪要 ${stamp}`,
    type: "MINUTES",
    writers: [SCJG, STHJ],
  });
  const item = app.itemBlock(`建立检查计划统筹机制（${stamp}）。`, {
    leadOrgId: await app.orgId(SCJG),
    dueDate: chinaDate(30),
    feedbackCycle: "MONTHLY",
  });
  await app.appendContent(documentId, [app.paragraph("会议议定如下："), item]);
  await app.finalize(documentId, "sfj.drafter", ["scjg.drafter", "sthj.drafter"]);

  const page = await pageAs("scjg.drafter");
  await page.goto(`/items/${String(item.attrs?.itemId)}`);
  const text = page.getByRole("combobox", { name: "进展情况" }).or(page.getByRole("textbox", { name: "进展情况" }));
  await tabTo(page, text);
  await page.keyboard.type(`已完成第一轮清理，共梳理检查事项 42 项（${stamp}）。`);
  await tabTo(page, page.getByRole("button", { name: "报送" }));
  await page.keyboard.press("Enter");
  const done = page.getByRole("status").filter({ hasText: "进展已报送" });
  await expect(done).toBeFocused();
  await expect(page.getByText(`共梳理检查事项 42 项（${stamp}）`)).toBeVisible();
  await focusIsNotOnBody(page);
});

test("insert and configure a 议定事项 with the keyboard alone, leaving a table with Tab", async ({ app, pageAs }) => {
  const documentId = await app.createDocument("sfj.drafter", {
    title: `键盘起草测试纪要 ${unique()}`,
    type: "MINUTES",
    writers: [SCJG],
  });
  const page = await pageAs("sfj.drafter");
  await page.goto(`/documents/${documentId}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");

  // 跳到正文, then 跳到编辑区: the caret is in the body.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "跳到正文" })).toBeFocused();
  await page.keyboard.press("Enter");
  await tabTo(page, page.getByRole("link", { name: "跳到编辑区" }), { max: 5 });
  await page.keyboard.press("Enter");
  const editor = page.getByTestId("editor");
  await expect(editor).toBeFocused();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("会议议定如下：");

  await page.keyboard.press("Control+Alt+i");
  const settings = page.getByRole("dialog", { name: /议定事项 1 设置/ });
  await expect(settings).toBeVisible();
  const lead = settings.getByRole("combobox", { name: "牵头单位" });
  await tabTo(page, lead, { max: 10 });
  await page.keyboard.type("市场");
  await expect(settings.getByRole("option", { name: new RegExp(SCJG) })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(settings.getByRole("list", { name: "已选牵头单位" })).toContainText(SCJG);
  // Escape with a list open closes the list only; the dialog and what was chosen stay.
  await tabTo(page, settings.getByRole("combobox", { name: "配合单位" }), { max: 10 });
  await page.keyboard.type("生态");
  await expect(settings.getByRole("option", { name: new RegExp(STHJ) })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(settings.getByRole("listbox")).toHaveCount(0);
  await expect(settings).toBeVisible();
  await expect(settings.getByRole("combobox", { name: "配合单位" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(settings.getByRole("list", { name: "已选配合单位" })).toContainText(STHJ);
  await tabTo(page, settings.getByLabel("反馈周期"), { max: 10 });
  await page.keyboard.press("ArrowDown");
  await tabTo(page, settings.getByRole("button", { name: "应用" }), { max: 10 });
  await page.keyboard.press("Enter");
  await expect(settings).toBeHidden();
  const item = page.getByTestId("tracked-item").first();
  await expect(item.getByTestId("item-lead")).toHaveText(SCJG);
  await expect(item.getByTestId("item-supporting")).toHaveText(STHJ);
  // The caret is back in the item's wording.
  await page.keyboard.type("开展涉企行政检查专项清理。");
  await expect(item).toContainText("开展涉企行政检查专项清理。");

  // A table: Tab walks the cells, and Tab in the last cell leaves the editor (no new row).
  await page.keyboard.press("Control+End");
  await tabTo(page, page.getByRole("button", { name: "插入表格" }), { back: true, max: 40 });
  await page.keyboard.press("Enter");
  await expect(editor.locator("table tr")).toHaveCount(3);
  for (let i = 0; i < 9; i++) await page.keyboard.press("Tab");
  await expect(editor).not.toBeFocused();
  await expect(editor.locator("table tr")).toHaveCount(3);
});
