import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import JSZip from "jszip";
import type { AppAccess } from "./app-access";
import { expect, test, unique } from "./fixtures";

/**
 * Recommendations acceptance journey, one step per test: 市检察院 registers a 检察建议书 to 市市场监管局
 * (抄送 市司法局 by default, 回复期限 two months after receipt); 市场监管局 drafts the 整改方案 from the
 * template with two 整改措施, co-edited live by 市司法局, who countersigns it; progress is reported on
 * both measures; the issuer follows read-only; the written reply is generated from the plan and the
 * progress, edited, exported to Word and sent on time; 市司法局's overview counts it as 按期回复. An
 * unrelated agency gets the Chinese 403 page. Each test brings the recommendation to where its step
 * starts through the services (`recommendationAt`).
 */

const PROCU = "示例市人民检察院";
const SCJG = "示例市市场监督管理局";
const SFJ = "示例市司法局";

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

/** YYYY-MM-DD plus whole calendar months, clamped to the month's last day (1-31 + 1 month → 2-28). */
function plusMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

/** "2026-12-31" → "2026年12月31日" */
function chineseDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** The document text without other people's caret labels. */
async function editorText(page: Page): Promise<string> {
  return page.getByTestId("editor").evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return copy.textContent ?? "";
  });
}

async function expectSynced(page: Page) {
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

const countersignPanel = (page: Page) => page.getByRole("region", { name: "会签" });
const measureNodes = (page: Page) => page.getByTestId("tracked-item");
const itemNode = (page: Page, itemId: string): Locator =>
  page.locator(`[data-testid="tracked-item"][data-item-id="${itemId}"]`);
/** The 报送进展 card of an item page. */
const progressCard = (page: Page) =>
  page.locator("section", { has: page.getByRole("heading", { name: "报送进展", exact: true }) });

/** Settings of an open 整改措施 popover, then 应用; focus is back in the measure's wording. */
async function applyMeasureSettings(page: Page, number: number, fill: (settings: Locator) => Promise<void>) {
  const settings = page.getByRole("dialog", { name: `整改措施 ${number} 设置` });
  await expect(settings).toBeVisible();
  await fill(settings);
  await settings.getByRole("button", { name: "应用" }).click();
  await expect(settings).toBeHidden();
  // Focus goes back to the wording a tick after the popover unmounts: keys typed before are lost.
  await expect(page.getByTestId("editor")).toBeFocused();
}

/** Reports progress on the item page that is open; waits for the new status. */
async function reportProgress(page: Page, text: string, status: "推进中" | "已完成待销号") {
  const card = progressCard(page);
  await card.getByLabel("进展情况").fill(text);
  await card.getByLabel("更新状态").selectOption({ label: status });
  await card.getByRole("button", { name: "报送", exact: true }).click();
  await expect(page).toHaveURL(/[?&]done=progress/);
  await expect(page.getByText("进展已报送。")).toBeVisible();
  await expect(page.getByTestId("item-status")).toHaveText(status);
  const report = page.getByTestId("reports").getByRole("listitem").filter({ hasText: text });
  await expect(report).toContainText(SCJG);
  await expect(report).toContainText(`状态：${status}`);
}

async function expectForbidden(page: Page, url: string) {
  const res = await page.goto(url);
  expect(res?.status(), url).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
}

const VIEWPORT = { viewport: { width: 1280, height: 900 } };
const responsible = "王某（副局长）";
const standard = "复查覆盖率100%，发现问题全部整改到位";
const nextStepPlaceholder = "（请填写巩固整改成果、建立长效机制的安排）";
// Chinese only: the Word export may split runs of mixed scripts.
const nextStep = "建立食品经营许可审查长效机制，每季度开展一次回头看。";

const STAGES = ["registered", "planned", "measures", "finalized", "progress", "reply"] as const;
type Stage = (typeof STAGES)[number];

/** A fresh 检察建议书 from 市检察院 to 市场监管局, with the texts a test of it uses. */
function newRecommendation() {
  const stamp = unique();
  const issuedOn = chinaDate(-2);
  const receivedOn = chinaDate(-1);
  return {
    stamp,
    docNumber: `示检行建〔2026〕${stamp}号`,
    title: `关于加强食品经营许可审查工作的检察建议（${stamp}）`,
    problems: [`食品经营许可现场核查流于形式（${stamp}）`, `对不符合条件的申请人违规发证（${stamp}）`],
    issuedOn,
    receivedOn,
    replyDue: plusMonths(receivedOn, 2),
    measure2Due: chinaDate(30),
    wordings: [
      `全面复查近一年核发的食品经营许可，逐户开展现场核查（${stamp}-一）。`,
      `修订许可审查工作规程，明确现场核查要点和责任追究（${stamp}-二）。`,
    ],
    progress: [`已完成复查 326 户，撤销许可 4 件（${stamp}）。`, `审查工作规程已修订印发（${stamp}）。`],
  };
}

/**
 * The recommendation brought to `stage` through the services, as the journey's users would:
 * registered by procu.liaison; the 整改方案 created by scjg.drafter; its template measure replaced by
 * two (the first with 责任人 and 整改标准); countersigned by 市司法局 (已定稿); progress reported on
 * both (推进中, 已完成待销号); the written reply generated and its 下一步工作 filled in.
 */
async function recommendationAt(app: AppAccess, stage: Stage) {
  const r = newRecommendation();
  const reached = (s: Stage) => STAGES.indexOf(stage) >= STAGES.indexOf(s);
  const recommendationId = await app.registerRecommendation("procu.liaison", {
    kind: "PROCURATORIAL",
    docNumber: r.docNumber,
    title: r.title,
    problems: r.problems,
    issuedOn: r.issuedOn,
    receivedOn: r.receivedOn,
    issuer: PROCU,
    recipient: SCJG,
  });
  let planId = "";
  let itemIds: string[] = [];
  let replyId = "";
  if (reached("planned")) planId = await app.createPlan("scjg.drafter", recommendationId);
  if (reached("measures")) {
    const plan = await app.content(planId);
    const blocks = plan.content ?? [];
    const at = blocks.findIndex((n) => n.type === "trackedItem");
    const template = blocks[at]!;
    const scjg = await app.orgId(SCJG);
    const measures = [
      app.itemBlock(r.wordings[0]!, { leadOrgId: scjg, dueDate: r.replyDue, responsible, standard }),
      app.itemBlock(r.wordings[1]!, { leadOrgId: scjg, dueDate: r.measure2Due }),
    ];
    // The first keeps the template measure's id, as the editor would.
    measures[0]!.attrs = { ...measures[0]!.attrs, itemId: template.attrs?.itemId };
    expect(template.attrs?.dueDate).toBe(r.replyDue);
    blocks.splice(at, 1, ...measures);
    await app.writeContent(planId, plan);
    itemIds = measures.map((m) => String(m.attrs?.itemId));
  }
  if (reached("finalized")) await app.finalize(planId, "scjg.drafter", ["sfj.drafter"]);
  if (reached("progress")) {
    await app.reportProgress("scjg.drafter", itemIds[0]!, r.progress[0]!, "IN_PROGRESS");
    await app.reportProgress("scjg.drafter", itemIds[1]!, r.progress[1]!, "DONE");
  }
  if (reached("reply")) {
    replyId = await app.prepareReply("scjg.drafter", recommendationId);
    const reply = await app.content(replyId);
    const line = (reply.content ?? []).find((n) => n.content?.[0]?.text === nextStepPlaceholder);
    expect(line).toBeTruthy();
    line!.content = [{ type: "text", text: nextStep }];
    await app.writeContent(replyId, reply);
  }
  return { ...r, recommendationId, planId, itemIds, replyId };
}

test("the procuratorate's liaison registers a 检察建议书 to 市场监管局; 抄送 and 回复期限 default", async ({
  pageAs,
}) => {
  const { docNumber, title, problems, issuedOn, receivedOn, replyDue } = newRecommendation();
  const liaison = await pageAs("procu.liaison", VIEWPORT);
  await liaison.goto("/recommendations/new");
  await expect(liaison.getByRole("heading", { name: "登记建议书" })).toBeVisible();
  await liaison.getByLabel("种类").selectOption({ label: "检察建议书" });
  await liaison.getByLabel("文号").fill(docNumber);
  await liaison.getByLabel("发出日期").fill(issuedOn);
  await liaison.getByLabel("事由").fill(title);
  await liaison.getByLabel("发出单位").selectOption({ label: `${PROCU}（示例市）` });
  await liaison.getByLabel("主送单位").selectOption({ label: `${SCJG}（示例市）` });
  await liaison.getByLabel("收到日期").fill(receivedOn);
  // Defaults: 抄送 the recipient's justice bureau; 回复期限 two months after receipt.
  const copies = liaison.getByLabel("抄送单位（可多选）");
  await expect(liaison.getByText(`默认抄送主送单位所在地的司法行政机关：${SFJ}。`)).toBeVisible();
  await expect
    .poll(() => copies.evaluate((el) => [...(el as HTMLSelectElement).selectedOptions].map((o) => o.textContent ?? "")))
    .toEqual([`${SFJ}（示例市）`]);
  await expect(liaison.getByLabel("回复期限")).toHaveValue(replyDue);
  await expect(liaison.getByLabel("调整期限的理由")).toHaveCount(0);
  await liaison.getByLabel("问题清单").fill(problems.join("\n"));
  await liaison.getByRole("button", { name: "登记", exact: true }).click();

  await liaison.waitForURL(
    (u) =>
      /^\/recommendations\/(?!new$)[A-Za-z0-9_-]+$/.test(u.pathname) && u.searchParams.get("done") === "registered",
  );
  await expect(liaison.getByRole("heading", { name: title })).toBeVisible();
  await expect(liaison.getByText("建议书已登记，主送单位和抄送单位已收到通知。")).toBeVisible();
  await expect(liaison.getByTestId("recommendation-status")).toHaveText("已登记");
  await expect(liaison.getByText(`检察建议书 · ${docNumber} · 本单位发出`)).toBeVisible();
  const facts = liaison.locator("dl").first();
  await expect(
    facts.locator("div", { has: liaison.getByText("抄送单位：", { exact: true }) }).locator("dd"),
  ).toHaveText(SFJ);
  await expect(
    facts.locator("div", { has: liaison.getByText("主送单位：", { exact: true }) }).locator("dd"),
  ).toHaveText(SCJG);
  await expect(
    facts.locator("div", { has: liaison.getByText("收到日期：", { exact: true }) }).locator("dd"),
  ).toHaveText(chineseDate(receivedOn));
  await expect(liaison.getByTestId("reply-due")).toHaveText(chineseDate(replyDue));
  for (const p of problems) await expect(liaison.getByRole("listitem").filter({ hasText: p })).toBeVisible();
});

test("the recipient finds it under 发给本单位 and creates the 整改方案 from the template", async ({ pageAs, app }) => {
  const { recommendationId, docNumber, title, problems, replyDue } = await recommendationAt(app, "registered");
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  await scjg.goto("/recommendations");
  await scjg
    .getByRole("navigation", { name: "建议书分类" })
    .getByRole("link", { name: /^发给本单位/ })
    .click();
  await expect(scjg).toHaveURL(/[?&]view=to/);
  const table = scjg.getByRole("table", { name: "发给本单位" });
  const row = table.getByRole("row").filter({ hasText: docNumber });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(PROCU);
  await expect(row).toContainText(chineseDate(replyDue));
  await expect(row).toContainText("已登记");
  await row.getByRole("link", { name: title }).click();
  await expect(scjg).toHaveURL(new RegExp(`/recommendations/${recommendationId}$`));
  await expect(scjg.getByText(`检察建议书 · ${docNumber} · 发给本单位`)).toBeVisible();

  await scjg.getByRole("button", { name: "制定整改方案" }).click();
  await scjg.waitForURL((u) => /^\/documents\/[A-Za-z0-9_-]+$/.test(u.pathname));
  await expectSynced(scjg);
  await expect(scjg.getByRole("heading", { name: `${SCJG}关于《${title}》的整改方案` })).toBeVisible();
  const editor = scjg.getByTestId("editor");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  for (const p of problems) await expect(editor).toContainText(p);
  // The template's one measure: 责任单位 = the recipient, 整改时限 = the reply deadline.
  await expect(measureNodes(scjg)).toHaveCount(1);
  const first = measureNodes(scjg).first();
  await expect(first).toContainText("整改措施 1");
  await expect(first.getByTestId("item-lead")).toHaveText(SCJG);
  await expect(first.getByTestId("item-due")).toHaveText(chineseDate(replyDue));
  await expect(first.getByTestId("item-status")).toHaveText("草拟中");
});

test("the drafter gives the template measure its wording, 责任人 and 整改标准, and inserts a second with 责任单位 and 整改时限", async ({
  pageAs,
  app,
}) => {
  const { planId, wordings, replyDue, measure2Due } = await recommendationAt(app, "planned");
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  await scjg.goto(`/documents/${planId}`);
  await expectSynced(scjg);

  await scjg.getByRole("button", { name: "设置整改措施 1" }).click();
  await applyMeasureSettings(scjg, 1, async (settings) => {
    await expect(settings.getByRole("list", { name: "已选责任单位" })).toContainText(SCJG);
    await expect(settings.getByLabel("整改时限")).toHaveValue(replyDue);
    await settings.getByLabel("责任人").fill(responsible);
    await settings.getByLabel("整改标准").fill(standard);
  });
  await scjg.keyboard.type(wordings[0]!);

  await scjg.getByRole("toolbar", { name: "格式" }).getByRole("button", { name: "插入整改措施" }).click();
  await applyMeasureSettings(scjg, 2, async (settings) => {
    await settings.getByRole("combobox", { name: "责任单位" }).fill("市场监督");
    await settings.getByRole("option", { name: new RegExp(SCJG) }).click();
    await expect(settings.getByRole("list", { name: "已选责任单位" })).toContainText(SCJG);
    await settings.getByLabel("整改时限").fill(measure2Due);
  });
  await scjg.keyboard.type(wordings[1]!);

  const nodes = measureNodes(scjg);
  await expect(nodes).toHaveCount(2);
  for (const [i, wording] of wordings.entries()) {
    await expect(nodes.nth(i)).toContainText(`整改措施 ${i + 1}`);
    await expect(nodes.nth(i)).toContainText(wording);
    await expect(nodes.nth(i).getByTestId("item-lead")).toHaveText(SCJG);
  }
  await expect(nodes.nth(0).getByTestId("item-responsible")).toHaveText(responsible);
  await expect(nodes.nth(0).getByTestId("item-standard")).toHaveText(standard);
  await expect(nodes.nth(0).getByTestId("item-due")).toHaveText(chineseDate(replyDue));
  await expect(nodes.nth(1).getByTestId("item-due")).toHaveText(chineseDate(measure2Due));
  const itemIds = (await nodes.evaluateAll((els) => els.map((e) => e.getAttribute("data-item-id") ?? ""))).filter(
    Boolean,
  );
  expect(itemIds).toHaveLength(2);
  expect(new Set(itemIds).size).toBe(2);
});

test("the 抄送 justice bureau opens the plan from the recommendation and co-edits 保障措施 with the drafter, live", async ({
  pageAs,
  app,
}) => {
  const { stamp, recommendationId, planId, itemIds, wordings, docNumber, measure2Due } = await recommendationAt(
    app,
    "measures",
  );
  const justiceText = `【司法局】建议将整改情况纳入年度法治政府建设考核（${stamp}）。`;
  const scjgText = `【市场监管局】同意，由局法规科负责督促落实（${stamp}）。`;
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  const justice = await pageAs("sfj.drafter", VIEWPORT);
  await scjg.goto(`/documents/${planId}`);
  await expectSynced(scjg);

  await justice.goto(`/recommendations/${recommendationId}`);
  await expect(justice.getByText(`检察建议书 · ${docNumber} · 抄送本单位`)).toBeVisible();
  await expect(justice.getByTestId("recommendation-status")).toHaveText("整改中");
  await justice.getByRole("link", { name: /打开整改方案/ }).click();
  await expect(justice).toHaveURL(new RegExp(`/documents/${planId}$`));
  await expectSynced(justice);
  await expect(justice.getByTestId("editor")).toHaveAttribute("contenteditable", "true");
  // The drafter's measures, with their settings.
  for (const [i, id] of itemIds.entries()) await expect(itemNode(justice, id)).toContainText(wordings[i]!);
  await expect(itemNode(justice, itemIds[0]!).getByTestId("item-responsible")).toHaveText(responsible);
  await expect(itemNode(justice, itemIds[1]!).getByTestId("item-due")).toHaveText(chineseDate(measure2Due));

  // 保障措施 is the last section: type at the end of the document.
  await justice.getByTestId("editor").click();
  await justice.keyboard.press("Control+End");
  await justice.keyboard.type(justiceText);
  await expect.poll(() => editorText(scjg)).toContain(justiceText);
  await scjg.getByTestId("editor").click();
  await scjg.keyboard.press("Control+End");
  await scjg.keyboard.type(scjgText);
  await expect.poll(() => editorText(justice)).toContain(scjgText);
  await expect.poll(() => editorText(justice)).toBe(await editorText(scjg));
  const text = await editorText(scjg);
  expect(text.indexOf("四、保障措施")).toBeLessThan(text.indexOf(justiceText));
  expect(text.indexOf(justiceText)).toBeLessThan(text.indexOf(scjgText));
});

test("the recipient requests countersign, the justice bureau approves: the plan is 已定稿 and both measures 未开始, in the drafter's open editor too", async ({
  pageAs,
  app,
}) => {
  const { planId, itemIds } = await recommendationAt(app, "measures");
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  const justice = await pageAs("sfj.drafter", VIEWPORT);
  await scjg.goto(`/documents/${planId}`);
  await expectSynced(scjg);
  for (const id of itemIds) await expect(itemNode(scjg, id).getByRole("link", { name: "查看事项" })).toBeVisible();
  await countersignPanel(scjg).getByRole("button", { name: "冻结当前内容并发起会签" }).click();
  await expect(scjg).toHaveURL(/countersign=COUNTERSIGNING/);
  await expect(countersignPanel(scjg).getByRole("listitem").filter({ hasText: SFJ })).toContainText("待会签");
  // Only the co-drafting 抄送 org countersigns: not the issuer (read-only).
  await expect(countersignPanel(scjg).getByRole("listitem")).toHaveCount(1);

  await justice.goto(`/documents/${planId}`);
  await expectSynced(justice);
  await countersignPanel(justice).getByRole("button", { name: "同意", exact: true }).click();
  await expect(justice).toHaveURL(/countersign=FINALIZED/);
  const finalLine = justice.getByTestId("final-hash");
  await expect(finalLine).toContainText("已定稿");
  const hash = (await finalLine.locator("code").textContent())?.trim() ?? "";
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  for (const id of itemIds) await expect(itemNode(justice, id).getByTestId("item-status")).toHaveText("未开始");
  // The drafter's open editor follows without a reload.
  await expect(scjg.getByTestId("final-hash").locator("code")).toHaveText(hash);
  for (const id of itemIds) await expect(itemNode(scjg, id).getByTestId("item-status")).toHaveText("未开始");
  await expect(scjg.getByTestId("editor")).toHaveAttribute("contenteditable", "false");
  // A final document cannot change: its status line says so instead of connection states.
  await expect(scjg.getByTestId("connection")).toHaveText("已定稿（只读）");
});

test("the recipient reports measure 1 推进中 from its block and measure 2 已完成待销号 from the measures table", async ({
  pageAs,
  app,
}) => {
  const { recommendationId, planId, itemIds, wordings, progress } = await recommendationAt(app, "finalized");
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  await scjg.goto(`/documents/${planId}`);
  await expectSynced(scjg);
  await itemNode(scjg, itemIds[0]!).getByRole("link", { name: "查看事项" }).click();
  await expect(scjg).toHaveURL(new RegExp(`/items/${itemIds[0]}$`));
  await expect(scjg.getByRole("heading", { name: /整改措施 1/ })).toBeVisible();
  await expect(scjg.getByTestId("item-status")).toHaveText("未开始");
  await expect(scjg.getByText(wordings[0]!)).toBeVisible();
  await expect(scjg.getByText(responsible)).toBeVisible();
  await expect(scjg.getByText(standard)).toBeVisible();
  await reportProgress(scjg, progress[0]!, "推进中");

  await scjg.goto(`/recommendations/${recommendationId}`);
  await scjg
    .getByTestId("measures")
    .getByRole("link", { name: `2. ${wordings[1]}` })
    .click();
  await expect(scjg).toHaveURL(new RegExp(`/items/${itemIds[1]}$`));
  await expect(scjg.getByTestId("item-status")).toHaveText("未开始");
  await reportProgress(scjg, progress[1]!, "已完成待销号");
});

test("the issuer follows both measures' status and latest progress, read-only", async ({ pageAs, app }) => {
  const { recommendationId, itemIds, wordings, progress, replyDue, measure2Due } = await recommendationAt(
    app,
    "progress",
  );
  const liaison = await pageAs("procu.liaison", VIEWPORT);
  await liaison.goto(`/recommendations/${recommendationId}`);
  await expect(liaison.getByTestId("recommendation-status")).toHaveText("整改中");
  const rows = liaison.getByTestId("measure-row");
  await expect(rows).toHaveCount(2);
  const expected = [
    { status: "推进中", lead: SCJG, due: chineseDate(replyDue) },
    { status: "已完成待销号", lead: SCJG, due: chineseDate(measure2Due) },
  ];
  for (const [i, e] of expected.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole("link", { name: `${i + 1}. ${wordings[i]}` })).toHaveAttribute(
      "href",
      `/items/${itemIds[i]}`,
    );
    await expect(row).toContainText(e.lead);
    await expect(row).toContainText(e.due);
    await expect(row).toContainText(e.status);
    await expect(row).toContainText(progress[i]!);
  }
  await expect(rows.nth(0)).toContainText(`标准：${standard}`);
  await expect(rows.nth(0)).toContainText(responsible);
  // The issuer neither drafts nor replies.
  await expect(liaison.getByRole("button", { name: "生成书面回复" })).toHaveCount(0);

  await rows
    .nth(0)
    .getByRole("link", { name: `1. ${wordings[0]}` })
    .click();
  await expect(liaison).toHaveURL(new RegExp(`/items/${itemIds[0]}$`));
  await expect(liaison.getByTestId("item-status")).toHaveText("推进中");
  await expect(liaison.getByTestId("reports")).toContainText(progress[0]!);
  await expect(liaison.getByRole("heading", { name: "报送进展", exact: true })).toHaveCount(0);
  await expect(liaison.getByLabel("进展情况")).toHaveCount(0);
  await expect(liaison.getByRole("button", { name: "报送", exact: true })).toHaveCount(0);
});

test("the recipient generates the reply from the plan and the progress, edits 下一步工作 and exports it to Word", async ({
  pageAs,
  app,
}) => {
  const { recommendationId, planId, title, docNumber, wordings, progress } = await recommendationAt(app, "progress");
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  await scjg.goto(`/recommendations/${recommendationId}`);
  await scjg.getByRole("button", { name: "生成书面回复" }).click();
  await scjg.waitForURL((u) => /^\/documents\/[A-Za-z0-9_-]+$/.test(u.pathname) && !u.pathname.endsWith(planId));
  await expectSynced(scjg);
  await expect(scjg.getByRole("heading", { name: `${SCJG}关于《${title}》整改情况的回复` })).toBeVisible();
  // A reply is not countersigned.
  await expect(countersignPanel(scjg)).toHaveCount(0);
  await expect(scjg.getByText("书面回复由本单位修改后发出，无需会签。")).toBeVisible();
  const editor = scjg.getByTestId("editor");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await expect(editor).toContainText(`${PROCU}：`);
  await expect(editor).toContainText(docNumber);
  for (const w of wordings) await expect(editor).toContainText(w);
  for (const p of progress) await expect(editor).toContainText(`落实情况：${p}`);
  await expect(editor).toContainText("办理状态：推进中");
  await expect(editor).toContainText("办理状态：已完成待销号");
  await expect(editor).toContainText("已完成 1 项");

  // Replace the 下一步工作 placeholder line.
  await editor.locator("p", { hasText: nextStepPlaceholder }).click();
  await scjg.keyboard.press("End");
  await scjg.keyboard.press("Shift+Home");
  await scjg.keyboard.type(nextStep);
  await expect.poll(() => editorText(scjg)).toContain(nextStep);
  expect(await editorText(scjg)).not.toContain(nextStepPlaceholder);
  const text = await editorText(scjg);
  expect(text.indexOf("二、下一步工作")).toBeLessThan(text.indexOf(nextStep));
  expect(text.indexOf(nextStep)).toBeLessThan(text.indexOf("特此回复。"));

  const [download] = await Promise.all([
    scjg.waitForEvent("download"),
    scjg
      .getByRole("navigation", { name: "文书操作" })
      .getByRole("link", { name: /^导出 Word(（草稿）)?$/ })
      .click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const bytes = await readFile(await download.path());
  expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  const xml = (await (await JSZip.loadAsync(bytes)).file("word/document.xml")?.async("string")) ?? "";
  expect(xml).toContain(nextStep);
});

test("the recipient sends the reply from the recommendation page, on time: 已书面回复, sealed with a SHA-256", async ({
  pageAs,
  app,
}) => {
  const { recommendationId, replyId } = await recommendationAt(app, "reply");
  const scjg = await pageAs("scjg.drafter", VIEWPORT);
  await scjg.goto(`/documents/${replyId}`);
  await expectSynced(scjg);
  await scjg.getByRole("link", { name: "建议书页面" }).click();
  await expect(scjg).toHaveURL(new RegExp(`/recommendations/${recommendationId}$`));
  let confirmText = "";
  scjg.once("dialog", async (dialog) => {
    confirmText = dialog.message();
    await dialog.accept();
  });
  await scjg.getByRole("button", { name: "发出书面回复" }).click();
  await expect(scjg).toHaveURL(/[?&]done=replied$/);
  expect(confirmText).toContain("确定发出");
  await expect(scjg.getByText("书面回复已发出（按期）。")).toBeVisible();
  await expect(scjg.getByTestId("recommendation-status")).toHaveText("已书面回复");
  await expect(scjg.getByTestId("reply-state")).toHaveText("按期回复");
  await expect(scjg.getByRole("button", { name: "发出书面回复" })).toHaveCount(0);
  await expect(scjg.getByText(/SHA-256：[0-9a-f]{64}/)).toBeVisible();
  await expect(scjg.getByRole("list", { name: "办理进度" }).locator('[aria-current="step"]')).toHaveText("已书面回复");
});

test("the issuer reads the sent reply as edited, read-only", async ({ pageAs, app }) => {
  const { recommendationId, replyId } = await recommendationAt(app, "reply");
  await app.sendReply("scjg.drafter", recommendationId);
  const liaison = await pageAs("procu.liaison", VIEWPORT);
  await liaison.goto(`/documents/${replyId}`);
  await expectSynced(liaison);
  await expect(liaison.getByTestId("editor")).toHaveAttribute("contenteditable", "false");
  await expect(liaison.getByTestId("editor")).toContainText(nextStep);
  await expect(liaison.getByTestId("editor")).not.toContainText(nextStepPlaceholder);
});

test("the justice bureau's overview lists it 整改中, then, once the reply is sent on time, 按期回复 / 已书面回复, not red, counted under 按期回复", async ({
  pageAs,
  app,
}) => {
  const { recommendationId, docNumber, title } = await recommendationAt(app, "reply");
  const coord = await pageAs("sfj.coord", VIEWPORT);
  await coord.goto("/recommendations/overview");
  await expect(coord.getByTestId("overview-row").filter({ hasText: docNumber })).toContainText("整改中");
  const onTimeBefore = Number(await coord.getByTestId("tile-按期回复").textContent());
  const totalBefore = Number(await coord.getByTestId("tile-建议书总数").textContent());
  expect(Number.isInteger(onTimeBefore) && totalBefore > 0).toBe(true);

  await app.sendReply("scjg.drafter", recommendationId);
  await coord.goto("/recommendations/overview");
  const row = coord.getByTestId("overview-row").filter({ hasText: docNumber });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("link", { name: title })).toHaveAttribute("href", `/recommendations/${recommendationId}`);
  await expect(row).toContainText("按期回复");
  await expect(row).toContainText("已书面回复");
  await expect(row).toContainText(SCJG);
  await expect(row).not.toHaveClass(/bg-red/);
  await expect(coord.getByTestId("tile-按期回复")).toHaveText(String(onTimeBefore + 1));
  await expect(coord.getByTestId("tile-建议书总数")).toHaveText(String(totalBefore));
});

test("an unrelated agency (生态环境局) gets the Chinese 403 page for the recommendation, its plan, a measure and the reply", async ({
  pageAs,
  app,
}) => {
  const { recommendationId, planId, itemIds, replyId } = await recommendationAt(app, "reply");
  const outsider = await pageAs("sthj.drafter", VIEWPORT);
  await expectForbidden(outsider, `/recommendations/${recommendationId}`);
  await expectForbidden(outsider, `/documents/${planId}`);
  await expectForbidden(outsider, `/items/${itemIds[0]}`);
  await expectForbidden(outsider, `/documents/${replyId}`);
});
