import type { Page } from "@playwright/test";
import { orgColor } from "../../app/editor/schema/colors";
import { axeViolations } from "./axe";
import { selectInEditor } from "./editor";
import { expect, test, unique } from "./fixtures";

/**
 * 修订 (issue 20, ADR 019) in two browsers: the 中院 liaison (可修订) changes 三个月 to 两个月, strikes
 * a sentence and proposes a 议定事项; the 司法局 drafter sees them coloured as 中院 at once, accepts
 * the first, rejects the second; both editors end with the same text; the proposed item reaches the
 * ledger only once accepted; countersign is refused while one is open; axe on the page with the list.
 */
const COURT = "示例市中级人民法院";
const DRAFTER = "sfj.drafter"; // 张伟, 示例市司法局 (owner unit)
const LIAISON = "court.liaison"; // 陈静, 示例市中级人民法院 (可修订)

async function openDocument(page: Page, id: string) {
  await page.goto(`/documents/${id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

/** The text that counts in an editor (its DOM without proposed insertions or carets). */
const textOf = (page: Page) =>
  page.getByTestId("editor").evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return (copy.innerText ?? "").replaceAll("\u200B", "").replace(/\s+/g, "");
  });

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

test("the court liaison proposes, the drafter sees it coloured as 中院 at once, accepts one and rejects the other", async ({
  app,
  pageAs,
}) => {
  const id = await app.createDocument(DRAFTER, {
    title: `整改方案征求意见稿 ${unique()}`,
    type: "MINUTES",
    suggesters: [COURT],
  });
  await app.writeContent(id, {
    type: "doc",
    content: [app.paragraph("整改期限为三个月。"), app.paragraph("逐项销号，按月报送进展。")],
  });
  const drafter = await pageAs(DRAFTER);
  const liaison = await pageAs(LIAISON);
  await openDocument(drafter, id);
  await openDocument(liaison, id);
  await expect(liaison.getByTestId("suggest-only")).toHaveText("修订模式：您的修改将作为修订提出");

  // 三 → 两: typed over the selection.
  await selectInEditor(liaison, "三");
  const typed = Date.now();
  await liaison.keyboard.type("两");
  const panel = drafter.getByTestId("suggestions-panel");
  const courtGroup = panel.getByTestId("suggestion-group").filter({ hasText: COURT });
  await expect(courtGroup.getByTestId("suggestion")).toHaveCount(1, { timeout: 2000 });
  console.log(`latency proposal in the drafter's list: ${Date.now() - typed} ms`);
  await expect(courtGroup.getByTestId("suggestion").first()).toContainText("将「三」改为「两」");

  // The sentence 按月报送进展 struck.
  await selectInEditor(liaison, "，按月报送进展");
  await liaison.keyboard.press("Backspace");
  await expect(courtGroup.getByTestId("suggestion")).toHaveCount(2, { timeout: 2000 });
  await expect(courtGroup.getByTestId("suggestion").nth(1)).toContainText("删除「，按月报送进展」");

  // Coloured as 中院 in the drafter's editor: inserted 两 and the struck sentence.
  const color = rgb(orgColor(await app.orgId(COURT)));
  const editor = drafter.getByTestId("editor");
  await expect(editor.locator("ins.suggestion-insertion", { hasText: "两" })).toHaveCSS("text-decoration-color", color);
  await expect(editor.locator("del.suggestion-deletion", { hasText: "按月报送进展" })).toHaveCSS(
    "text-decoration-color",
    color,
  );
  await expect(editor.locator("del.suggestion-deletion").first()).toHaveCSS("text-decoration-line", "line-through");
  // The liaison has nothing to decide, only its own to withdraw.
  await expect(liaison.getByRole("button", { name: /^接受/ })).toHaveCount(0);
  await expect(liaison.getByRole("button", { name: /^撤回/ })).toHaveCount(2);

  // Countersign waits while proposals are open.
  await drafter.getByRole("button", { name: "发起会签" }).click();
  await expect(drafter.getByText(/条修订未处理/).first()).toBeVisible();
  await openDocument(drafter, id);

  const found = await axeViolations(drafter);
  expect(found, found.join("\n")).toEqual([]);
  // Looked at: the proposals in the text and in the list, at three widths.
  for (const width of [1440, 820, 390]) {
    await drafter.setViewportSize({ width, height: 900 });
    await drafter.screenshot({ path: `test-results/screens/suggestions-${width}.png`, fullPage: true });
  }
  await drafter.setViewportSize({ width: 1440, height: 900 });

  await panel.getByRole("button", { name: "接受：将「三」改为「两」" }).click();
  await panel.getByRole("button", { name: "拒绝：删除「，按月报送进展」" }).click();
  await expect(panel).toHaveCount(0);
  const expected = "整改期限为两个月。逐项销号，按月报送进展。";
  await expect.poll(() => textOf(drafter)).toBe(expected);
  await expect.poll(() => textOf(liaison)).toBe(expected);
});

test("a 议定事项 the liaison proposes reaches the ledger only once the drafter accepts it", async ({ app, pageAs }) => {
  const id = await app.createDocument(DRAFTER, {
    title: `会商纪要征求意见稿 ${unique()}`,
    type: "MINUTES",
    suggesters: [COURT],
  });
  await app.writeContent(id, { type: "doc", content: [app.paragraph("会议议定如下：")] });
  const items = () => app.db.trackedItem.count({ where: { sourceDocumentId: id } });
  const drafter = await pageAs(DRAFTER);
  const liaison = await pageAs(LIAISON);
  await openDocument(liaison, id);
  await selectInEditor(liaison, "如下：");
  await liaison.keyboard.press("End");
  await liaison.getByRole("button", { name: /^插入议定事项/ }).click();
  await liaison.keyboard.press("Escape");
  // The settings close and the caret returns to the item's wording.
  await expect(liaison.getByTestId("editor")).toBeFocused();
  await liaison.keyboard.type("市中级人民法院两个月内反馈办理情况。");
  await openDocument(drafter, id);
  const panel = drafter.getByTestId("suggestions-panel");
  await expect(panel.getByTestId("suggestion")).toHaveCount(1);
  await expect(panel.getByTestId("suggestion")).toContainText("市中级人民法院两个月内反馈办理情况。");
  // Stored and synced (the rows follow the text a second after the last change): still no row.
  await drafter.waitForTimeout(2500);
  expect(await items()).toBe(0);
  await panel.getByRole("button", { name: "全部接受" }).click();
  await expect(panel).toHaveCount(0);
  await expect.poll(items, { timeout: 10_000 }).toBe(1);
});
