import type { Locator, Page } from "@playwright/test";
import type { AppAccess } from "./app-access";
import { expect, test, unique } from "./fixtures";

/**
 * Issue 5 acceptance journey, one step per test: the drafter inserts two 议定事项 in the minutes
 * (lead 市场监管局, supporting 生态环境局, due in 30 days), they are finalized through countersign and
 * appear in the ledger; the lead agency reports progress with a PDF and marks it done; the convening
 * org's coordinator closes it; another context with the finalized minutes open sees the badge turn
 * 已销号 without reloading. Each test brings the minutes to where its step starts through the services.
 */

const SCJG = "示例市市场监督管理局";
const STHJ = "示例市生态环境局";

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

/** A minimal but well-formed one-page PDF (correct xref offsets). */
function minimalPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

async function expectSynced(page: Page) {
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

async function openDocument(page: Page, id: string) {
  await page.goto(`/documents/${id}`);
  await expectSynced(page);
}

const countersignPanel = (page: Page) => page.getByRole("region", { name: "会签" });
const itemNode = (page: Page, itemId: string): Locator =>
  page.locator(`[data-testid="tracked-item"][data-item-id="${itemId}"]`);

/** Sets lead 市场监管局, supporting 生态环境局, the due date and 每月 in the open settings popover. */
async function fillItemSettings(page: Page, number: number, dueDate: string) {
  const settings = page.getByRole("dialog", { name: new RegExp(`议定事项 ${number} 设置`) });
  await expect(settings).toBeVisible();
  await settings.getByRole("combobox", { name: "牵头单位" }).fill("市场监督");
  await settings.getByRole("option", { name: new RegExp(SCJG) }).click();
  await expect(settings.getByRole("list", { name: "已选牵头单位" })).toContainText(SCJG);
  await settings.getByRole("combobox", { name: "配合单位" }).fill("生态");
  await settings.getByRole("option", { name: new RegExp(STHJ) }).click();
  await expect(settings.getByRole("list", { name: "已选配合单位" })).toContainText(STHJ);
  await settings.getByLabel("完成时限").fill(dueDate);
  await settings.getByLabel("反馈周期").selectOption({ label: "每月" });
  await settings.getByRole("button", { name: "应用" }).click();
  await expect(settings).toBeHidden();
  // Focus goes back to the item's wording a tick after the popover unmounts: keys typed before are lost.
  await expect(page.getByTestId("editor")).toBeFocused();
}

const VIEWPORT = { viewport: { width: 1280, height: 900 } };

/**
 * Minutes of 市司法局's drafter co-drafted by 市场监管局 and 生态环境局 holding two 议定事项 (lead
 * 市场监管局, supporting 生态环境局, due in 30 days, 每月), written through the services; `finalized`:
 * countersigned by both agencies, so the items are tracked (未开始).
 */
async function minutesWithItems(app: AppAccess, finalized: boolean) {
  const stamp = unique();
  const title = `事项跟踪测试纪要 ${stamp}`;
  const wordings = [
    `开展涉企行政检查专项清理，建立检查计划统筹机制（${stamp}-一）。`,
    `联合开展重点排污单位执法检查，通报查处情况（${stamp}-二）。`,
  ];
  const dueDate = chinaDate(30);
  const documentId = await app.createDocument("sfj.drafter", { title, type: "MINUTES", writers: [SCJG, STHJ] });
  const attrs = {
    leadOrgId: await app.orgId(SCJG),
    supportingOrgIds: await app.orgId(STHJ),
    dueDate,
    feedbackCycle: "MONTHLY",
  };
  const items = wordings.map((w) => app.itemBlock(w, attrs));
  await app.appendContent(documentId, [app.paragraph("会议议定如下："), ...items]);
  if (finalized) await app.finalize(documentId, "sfj.drafter", ["scjg.drafter", "sthj.drafter"]);
  const itemIds = items.map((i) => String(i.attrs?.itemId));
  return { stamp, title, wordings, dueDate, documentId, itemIds };
}

test("the drafter inserts two 议定事项 with lead and supporting units, due date and 每月 in minutes co-drafted by two agencies", async ({
  pageAs,
}) => {
  const title = `事项跟踪测试纪要 ${unique()}`;
  const wordings = [`开展涉企行政检查专项清理（${unique()}-一）。`, `联合开展重点排污单位执法检查（${unique()}-二）。`];
  const dueDate = chinaDate(30);
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  await drafter.goto("/documents/new");
  await drafter.getByLabel("标题").fill(title);
  await drafter.getByLabel("文书类型").selectOption({ label: "会商纪要" });
  await drafter.getByLabel(`${SCJG}的权限`, { exact: true }).selectOption({ label: "共同起草" });
  await drafter.getByLabel(`${STHJ}的权限`, { exact: true }).selectOption({ label: "共同起草" });
  await drafter.getByRole("button", { name: "创建并开始起草" }).click();
  await drafter.waitForURL((u) => /^\/documents\/(?!new$)[A-Za-z0-9_-]+$/.test(u.pathname));
  await expectSynced(drafter);

  await drafter.getByTestId("editor").click();
  await drafter.keyboard.press("Control+End");
  await drafter.keyboard.type("会议议定如下：");
  await drafter.getByRole("button", { name: "插入议定事项" }).click();
  await fillItemSettings(drafter, 1, dueDate);
  await drafter.keyboard.type(wordings[0]!);
  // The second one after the first (the shortcut inserts after the current block).
  await drafter.keyboard.press("Control+Alt+i");
  await fillItemSettings(drafter, 2, dueDate);
  await drafter.keyboard.type(wordings[1]!);

  const nodes = drafter.getByTestId("tracked-item");
  await expect(nodes).toHaveCount(2);
  for (const [i, wording] of wordings.entries()) {
    const node = nodes.nth(i);
    await expect(node).toContainText(`议定事项 ${i + 1}`);
    await expect(node).toContainText(wording);
    await expect(node.getByTestId("item-lead")).toHaveText(SCJG);
    await expect(node.getByTestId("item-supporting")).toHaveText(STHJ);
    await expect(node.getByTestId("item-due")).toHaveText(chineseDate(dueDate));
    await expect(node).toContainText("每月");
    await expect(node.getByTestId("item-status")).toHaveText("草拟中");
  }
  const itemIds = (await nodes.evaluateAll((els) => els.map((e) => e.getAttribute("data-item-id") ?? ""))).filter(
    Boolean,
  );
  expect(itemIds).toHaveLength(2);
  expect(new Set(itemIds).size).toBe(2);
});

test("when both co-drafting agencies approve, the items turn 未开始 in the drafter's open editor", async ({
  pageAs,
  app,
}) => {
  const { documentId, itemIds } = await minutesWithItems(app, false);
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  const sthj = await pageAs("sthj.drafter", VIEWPORT);
  await openDocument(drafter, documentId);
  for (const id of itemIds) {
    await expect(itemNode(drafter, id).getByRole("link", { name: "查看事项" })).toBeVisible();
    await expect(itemNode(drafter, id)).toHaveAttribute("data-live", "true");
    await expect(itemNode(drafter, id).getByTestId("item-status")).toHaveText("草拟中");
  }
  await countersignPanel(drafter).getByRole("button", { name: "冻结当前内容并发起会签" }).click();
  await expect(drafter).toHaveURL(/countersign=COUNTERSIGNING/);

  await openDocument(scjg, documentId);
  await countersignPanel(scjg).getByRole("button", { name: "同意", exact: true }).click();
  await expect(scjg).toHaveURL(/countersign=/);
  await openDocument(sthj, documentId);
  await countersignPanel(sthj).getByRole("button", { name: "同意", exact: true }).click();
  await expect(sthj).toHaveURL(/countersign=FINALIZED/);
  await expect(sthj.getByTestId("final-hash")).toContainText("已定稿");

  // The drafter's open editor turns the badges to 未开始 in place.
  for (const id of itemIds) await expect(itemNode(drafter, id).getByTestId("item-status")).toHaveText("未开始");
  await expect(drafter.getByTestId("final-hash")).toContainText("已定稿");
});

test("the convening org's coordinator finds the finalized minutes' items in the ledger, linked to their pages", async ({
  pageAs,
  app,
}) => {
  const { stamp, title, wordings, dueDate, itemIds } = await minutesWithItems(app, true);
  const coord = await pageAs("sfj.coord", VIEWPORT);
  await coord.goto("/ledger");
  await expect(coord.getByRole("heading", { name: "台账" })).toBeVisible();
  const filter = coord.getByRole("form", { name: "筛选台账" });
  await filter.getByLabel("搜索事项、单位或文书").fill(stamp);
  await filter.getByRole("button", { name: "筛选" }).click();
  await expect(coord).toHaveURL(new RegExp(`[?&]q=${stamp}`));
  const table = coord.getByRole("table", { name: "台账事项列表" });
  await expect(table.locator("tbody tr")).toHaveCount(2);
  for (const [i, wording] of wordings.entries()) {
    const link = coord.getByRole("link", { name: wording });
    const row = table.locator("tbody tr", { has: link });
    await expect(row.getByRole("link", { name: wording })).toHaveAttribute("href", `/items/${itemIds[i]}`);
    await expect(row).toContainText("未开始");
    await expect(row).toContainText(chineseDate(dueDate));
    await expect(row).toContainText("每月");
    await expect(row).toContainText(title);
  }
});

test("the lead agency reports progress with a PDF and marks the item 已完成待销号; the attachment downloads as uploaded and open minutes follow live", async ({
  pageAs,
  app,
}) => {
  const { stamp, wordings, documentId, itemIds } = await minutesWithItems(app, true);
  const progressText = `已完成专项清理，形成整改报告（${stamp}）。`;
  const pdf = minimalPdf(`Rectification report ${stamp}`);
  const watcher = await pageAs("sthj.drafter", VIEWPORT);
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  const coord = await pageAs("sfj.coord", VIEWPORT);

  // 生态环境局 keeps the finalized minutes open, synced and live.
  await openDocument(watcher, documentId);
  await expect(watcher.getByTestId("final-hash")).toContainText("已定稿");
  for (const id of itemIds) {
    await expect(itemNode(watcher, id)).toHaveAttribute("data-live", "true");
    await expect(itemNode(watcher, id).getByTestId("item-status")).toHaveText("未开始");
  }
  // A marker that a reload or navigation would wipe out.
  await watcher.evaluate((s) => Object.assign(window, { __trackingJourney: s }), stamp);
  const watcherNavigations: string[] = [];
  watcher.on("framenavigated", (f) => f === watcher.mainFrame() && watcherNavigations.push(f.url()));

  await scjg.goto(`/items/${itemIds[0]}`);
  await expect(scjg.getByTestId("item-status")).toHaveText("未开始");
  await expect(scjg.getByText(wordings[0]!)).toBeVisible();
  const form = scjg.locator("form", { has: scjg.locator('input[name="files"]') });
  await form.getByLabel("进展情况").fill(progressText);
  await form.getByLabel("更新状态").selectOption({ label: "已完成待销号" });
  await form
    .locator('input[name="files"]')
    .setInputFiles({ name: "整改报告.pdf", mimeType: "application/pdf", buffer: pdf });
  await form.getByRole("button", { name: "报送" }).click();
  await expect(scjg).toHaveURL(/done=progress/);
  await expect(scjg.getByText("进展已报送。")).toBeVisible();
  await expect(scjg.getByTestId("item-status")).toHaveText("已完成待销号");
  const report = scjg.getByTestId("reports").getByRole("listitem").filter({ hasText: progressText });
  await expect(report).toContainText(SCJG);
  await expect(report).toContainText("状态：已完成待销号");
  const link = report.getByRole("link", { name: /整改报告\.pdf/ });
  await expect(link).toBeVisible();
  const attachmentHref = (await link.getAttribute("href")) ?? "";
  expect(attachmentHref).toMatch(new RegExp(`^/items/${itemIds[0]}/attachments/[A-Za-z0-9_-]+$`));

  // Served inline (application/pdf), so fetch it with the reporter's session rather than a download event.
  const res = await scjg.request.get(attachmentHref);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  expect(res.headers()["content-disposition"]).toContain(encodeURIComponent("整改报告.pdf"));
  const body = await res.body();
  expect(body.subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
  expect(body.equals(pdf)).toBe(true);
  // The coordinator of the convening org may read it too.
  const asCoord = await coord.request.get(attachmentHref);
  expect(asCoord.status()).toBe(200);
  expect((await asCoord.body()).subarray(0, 4).toString("latin1")).toBe("%PDF");

  // The open minutes follow: 已完成待销号, without a reload.
  await expect(itemNode(watcher, itemIds[0]!).getByTestId("item-status")).toHaveText("已完成待销号");
  await expect(itemNode(watcher, itemIds[1]!).getByTestId("item-status")).toHaveText("未开始");
  expect(await watcher.evaluate(() => (window as unknown as { __trackingJourney?: string }).__trackingJourney)).toBe(
    stamp,
  );
  expect(watcherNavigations).toEqual([]);
});

test("the coordinator closes a completed item (销号): open minutes show 已销号 live, and so does the ledger", async ({
  pageAs,
  app,
}) => {
  const { stamp, wordings, documentId, itemIds } = await minutesWithItems(app, true);
  const progressText = `已完成专项清理，形成整改报告（${stamp}）。`;
  await app.reportProgress("scjg.drafter", itemIds[0]!, progressText, "DONE");
  const watcher = await pageAs("sthj.drafter", VIEWPORT);
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  const coord = await pageAs("sfj.coord", VIEWPORT);
  for (const page of [watcher, drafter]) {
    await openDocument(page, documentId);
    await expect(itemNode(page, itemIds[0]!)).toHaveAttribute("data-live", "true");
    await expect(itemNode(page, itemIds[0]!).getByTestId("item-status")).toHaveText("已完成待销号");
  }
  await watcher.evaluate((s) => Object.assign(window, { __trackingJourney: s }), stamp);
  const watcherNavigations: string[] = [];
  watcher.on("framenavigated", (f) => f === watcher.mainFrame() && watcherNavigations.push(f.url()));

  await coord.goto(`/items/${itemIds[0]}`);
  await expect(coord.getByTestId("item-status")).toHaveText("已完成待销号");
  await expect(coord.getByTestId("reports")).toContainText(progressText);
  await coord.getByRole("button", { name: "销号", exact: true }).click();
  await expect(coord).toHaveURL(/done=close/);
  await expect(coord.getByText("事项已销号。")).toBeVisible();
  await expect(coord.getByTestId("item-status")).toHaveText("已销号");
  await expect(coord.getByRole("button", { name: "重新打开" })).toBeVisible();

  // The open minutes show 已销号 without reloading; the second item stays 未开始.
  await expect(itemNode(watcher, itemIds[0]!).getByTestId("item-status")).toHaveText("已销号");
  await expect(itemNode(watcher, itemIds[0]!)).toHaveAttribute("data-status", "CLOSED");
  await expect(itemNode(watcher, itemIds[1]!).getByTestId("item-status")).toHaveText("未开始");
  expect(await watcher.evaluate(() => (window as unknown as { __trackingJourney?: string }).__trackingJourney)).toBe(
    stamp,
  );
  expect(watcherNavigations).toEqual([]);
  // The drafter's editor, open all along, follows too.
  await expect(itemNode(drafter, itemIds[0]!).getByTestId("item-status")).toHaveText("已销号");
  await expect(itemNode(drafter, itemIds[1]!).getByTestId("item-status")).toHaveText("未开始");

  // The ledger shows it 已销号 with its latest progress.
  await coord.goto(`/ledger?q=${stamp}&status=CLOSED`);
  const table = coord.getByRole("table", { name: "台账事项列表" });
  await expect(table.locator("tbody tr")).toHaveCount(1);
  const row = table.locator("tr", { has: coord.getByRole("link", { name: wordings[0]! }) });
  await expect(row).toContainText("已销号");
  await expect(row).toContainText(progressText);
});
