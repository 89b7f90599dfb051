import type { Page } from "@playwright/test";
import { expect, test, unique } from "./fixtures";

/** YYYY-MM-DD in China time, `days` from today. */
function chinaDate(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2026-12-31" → "2026年12月31日" */
function chineseDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

async function openDocument(page: Page, id: string) {
  await page.goto(`/documents/${id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

async function createMinutesWithCourt(page: Page, title: string): Promise<string> {
  await page.goto("/documents/new");
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("文书类型").selectOption({ label: "会商纪要" });
  await page.getByLabel("示例市中级人民法院的权限").selectOption("WRITE");
  await page.getByRole("button", { name: "创建并开始起草" }).click();
  await page.waitForURL((u) => /^\/documents\/(?!new$)[a-z0-9]+$/.test(u.pathname));
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  return page.url().split("/").pop()!;
}

test("a drafter inserts a 议定事项, sets its units and deadline, and the co-drafting court sees it", async ({
  pageAs,
}) => {
  const a = await pageAs("sfj.drafter", { viewport: { width: 1280, height: 900 } });
  // socket.io frames carrying item:status, to prove the badge is pushed (not only reloaded).
  const statusFrames: string[] = [];
  a.on("websocket", (ws) =>
    ws.on(
      "framereceived",
      (f) => typeof f.payload === "string" && f.payload.includes('"item:status"') && statusFrames.push(f.payload),
    ),
  );
  const id = await createMinutesWithCourt(a, `议定事项测试纪要 ${unique()}`);

  const editor = a.getByTestId("editor");
  await editor.click();
  await a.keyboard.press("Control+End");
  await a.keyboard.type("会议议定如下：");

  // Toolbar: the item appears after the current block and its settings open.
  const insert = a.getByRole("button", { name: "插入议定事项" });
  await expect(insert).toHaveAttribute("title", /Ctrl\+Alt\+I/);
  await insert.click();
  const item = a.getByTestId("tracked-item").first();
  await expect(item).toContainText("议定事项 1");
  await expect(item.getByTestId("item-status")).toContainText("草拟中");
  const settings = a.getByRole("dialog", { name: /议定事项 1 设置/ });
  await expect(settings).toBeVisible();

  // Lead is required.
  await settings.getByRole("button", { name: "应用" }).click();
  await expect(settings.getByRole("alert")).toHaveText("请选择牵头单位。");

  // Search the org tree by name, pick with the keyboard.
  const lead = settings.getByRole("combobox", { name: "牵头单位" });
  await lead.fill("市场");
  await expect(settings.getByRole("option", { name: /示例市市场监督管理局/ })).toBeVisible();
  await expect(settings.getByRole("option", { name: /示例市生态环境局/ })).toHaveCount(0);
  await lead.press("Enter");
  await expect(settings.getByRole("list", { name: "已选牵头单位" })).toContainText("示例市市场监督管理局");

  // Supporting units: the lead is not offered again; pick by clicking.
  const supporting = settings.getByRole("combobox", { name: "配合单位" });
  await supporting.fill("市场监督");
  await expect(settings.getByRole("option", { name: /^示例市市场监督管理局/ })).toHaveCount(0);
  await supporting.fill("生态");
  await settings.getByRole("option", { name: /示例市生态环境局/ }).click();
  await expect(settings.getByRole("list", { name: "已选配合单位" })).toContainText("示例市生态环境局");

  // A past deadline is refused in Chinese and not applied.
  const due = settings.getByLabel("完成时限");
  await due.fill(chinaDate(-1));
  await settings.getByRole("button", { name: "应用" }).click();
  await expect(settings.getByRole("alert")).toContainText("完成时限不能早于今天");
  await expect(item.getByTestId("item-due")).toHaveText("未设定");

  const dueDate = chinaDate(30);
  await due.fill(dueDate);
  await settings.getByLabel("反馈周期").selectOption({ label: "每月" });
  await settings.getByRole("button", { name: "应用" }).click();
  await expect(settings).toBeHidden();
  await expect(item.getByTestId("item-lead")).toHaveText("示例市市场监督管理局");
  await expect(item.getByTestId("item-supporting")).toHaveText("示例市生态环境局");
  await expect(item.getByTestId("item-due")).toHaveText(chineseDate(dueDate));
  await expect(item).toContainText("每月");

  // Focus is back in the item: its wording is typed straight away.
  await a.keyboard.type("开展涉企行政检查专项清理，建立检查计划统筹机制。");
  await expect(item).toContainText("开展涉企行政检查专项清理");

  // Keyboard shortcut: a second item, after the current block.
  await a.keyboard.press("Control+Alt+i");
  const second = a.getByRole("dialog", { name: /议定事项 2 设置/ });
  await expect(second).toBeVisible();
  await second.getByRole("combobox", { name: "牵头单位" }).fill("甲县");
  await expect(second.getByRole("option").first()).toContainText("甲县");
  await second.getByRole("button", { name: "取消" }).click();
  await expect(second).toBeHidden();
  await a.keyboard.type("由甲县配合做好试点。");
  await expect(a.getByTestId("tracked-item")).toHaveCount(2);

  // Input rule: 【议定事项】 at the start of an empty paragraph (the one the editor keeps after a last block).
  await a.keyboard.press("Control+End");
  await a.keyboard.type("【议定事项】");
  await a.keyboard.type("每月通报工作进展。");
  await expect(a.getByTestId("tracked-item")).toHaveCount(3);
  await expect(a.getByTestId("tracked-item").nth(2)).toContainText("议定事项 3");
  await expect(a.getByTestId("tracked-item").nth(2)).toContainText("每月通报工作进展。");
  const ids = await a.getByTestId("tracked-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-item-id")));
  expect(new Set(ids).size).toBe(3);
  for (const itemId of ids) expect(itemId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

  // The co-drafting court sees the item with its units, live.
  const b = await pageAs("court.drafter");
  await openDocument(b, id);
  const seen = b.getByTestId("tracked-item").first();
  await expect(seen).toContainText("开展涉企行政检查专项清理");
  await expect(seen.getByTestId("item-lead")).toHaveText("示例市市场监督管理局");
  await expect(seen.getByTestId("item-supporting")).toHaveText("示例市生态环境局");
  await expect(seen.getByTestId("item-due")).toHaveText(chineseDate(dueDate));
  await expect(seen.getByRole("button", { name: /设置议定事项/ })).toBeVisible();

  // After the server derived the rows: a reload shows the 草拟中 badge and the link to the item.
  await expect(async () => {
    await a.reload();
    await expect(a.getByTestId("connection")).toHaveAttribute("data-state", "synced");
    await expect(a.getByTestId("tracked-item").first().getByRole("link", { name: "查看事项" })).toBeVisible({
      timeout: 1000,
    });
  }).toPass({ timeout: 15_000 });
  const reloaded = a.getByTestId("tracked-item").first();
  await expect(reloaded.getByTestId("item-status")).toHaveText("草拟中");
  await expect(reloaded.getByTestId("item-lead")).toHaveText("示例市市场监督管理局");
  await expect(reloaded.getByRole("link", { name: "查看事项" })).toHaveAttribute("href", `/items/${ids[0]}`);

  await a.getByTestId("tracked-item").first().scrollIntoViewIfNeeded();
  await a.getByRole("button", { name: "设置议定事项 1" }).click();
  await expect(a.getByRole("dialog", { name: /议定事项 1 设置/ })).toBeVisible();
  await a.getByRole("dialog").getByRole("combobox", { name: "配合单位" }).fill("示例市");
  await a.screenshot({ path: "/tmp/shots/item-editor.png", fullPage: false });
  await a.keyboard.press("Escape");
  await a.keyboard.press("Escape");
  await expect(a.getByRole("dialog")).toBeHidden();
  await a.screenshot({ path: "/tmp/shots/item-editor-blocks.png", fullPage: false });

  // Live badges: the page watches the document's room; finalization turns 草拟中 into 未开始 in
  // place, and the now read-only editors show the same facts without 设置.
  await expect(reloaded).toHaveAttribute("data-live", "true");
  const panel = (p: Page) => p.getByRole("region", { name: "会签" });
  await panel(a).getByRole("button", { name: "冻结当前内容并发起会签" }).click();
  await expect(a).toHaveURL(/countersign=COUNTERSIGNING/);
  await expect(a.getByRole("button", { name: /设置议定事项/ })).toHaveCount(0);
  await expect(a.getByTestId("tracked-item").first().getByTestId("item-status")).toHaveText("草拟中");
  await openDocument(b, id).catch(() => undefined);
  await panel(b).getByRole("button", { name: "同意", exact: true }).click();
  await expect(b).toHaveURL(/countersign=FINALIZED/);
  await expect(a.getByTestId("tracked-item").first().getByTestId("item-status")).toHaveText("未开始");
  await expect.poll(() => statusFrames.filter((f) => f.includes(ids[0]!) && f.includes("NOT_STARTED")).length).toBe(1);
  await expect(a.getByTestId("tracked-item").first().getByTestId("item-lead")).toHaveText("示例市市场监督管理局");
  await expect(b.getByTestId("tracked-item").first().getByTestId("item-status")).toHaveText("未开始");
  await expect(b.getByRole("button", { name: /设置议定事项/ })).toHaveCount(0);
});
