import type { Page } from "@playwright/test";
import { GUIDE_TOPICS } from "../../app/domain/guide";
import { axeViolations } from "./axe";
import { expect, test } from "./fixtures";

/**
 * 使用指南: every topic's screenshot is taken here from the demo data (public/guide/*.png), so the
 * guide shows the pages as they are today; the guide pages render their steps and picture, pass axe,
 * and the 工作台's first-use card suggests topics for the role until 不再显示.
 */

const VIEWPORT = { width: 1280, height: 800 };

/** Where each topic's picture is taken: the demo user and how to reach the page. */
const SHOTS: Record<string, { user: string; open: (page: Page) => Promise<void> }> = {
  convene: { user: "sfj.coord", open: (page) => goto(page, "/consultations/new") },
  "co-draft": { user: "sfj.drafter", open: (page) => openMinutes(page, /涉企行政检查整改推进会商纪要（第2期）/) },
  countersign: {
    // The finalized 第1期: every unit's decision in the 会签 panel.
    user: "sfj.drafter",
    open: async (page) => {
      await openMinutes(page, /规范涉企行政检查协调会商纪要（第1期）/);
      const panel = page.getByRole("region", { name: "会签" });
      await panel.evaluate((el) => el.scrollIntoView({ block: "start" }));
    },
  },
  track: { user: "sfj.coord", open: (page) => goto(page, "/ledger") },
  recommend: { user: "sfj.coord", open: (page) => goto(page, "/recommendations") },
  publish: { user: "sfj.publisher", open: (page) => goto(page, "/typical-cases") },
  expert: {
    // The demo 个案咨询 of 市市场监督管理局, with 陈立新's opinion waiting to be compiled.
    user: "scjg.coord",
    open: async (page) => {
      await goto(page, "/consultations");
      await page
        .getByRole("link", { name: /某食品公司虚假宣传案个案咨询/ })
        .first()
        .click();
      await expect(page.getByRole("button", { name: "汇总专家意见" })).toBeVisible();
    },
  },
  // The demo's seven quarters: 市城管执法局 flagged.
  litigation: { user: "sfj.coord", open: (page) => goto(page, "/litigation/trends") },
  report: {
    // The demo's 专题报告 on the year so far.
    user: "sfj.coord",
    open: (page) => openMinutes(page, /行政执法监督工作情况的专题报告/),
  },
};

async function goto(page: Page, path: string): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(200);
}

/** One of the demo's minutes (第1期 finalized, 第2期 drafting), synced. */
async function openMinutes(page: Page, title: RegExp): Promise<void> {
  await goto(page, "/documents");
  await page.getByRole("link", { name: title }).first().click();
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

test("every guide topic has a screenshot place", () => {
  expect(Object.keys(SHOTS).sort()).toEqual(GUIDE_TOPICS.map((t) => t.slug).sort());
});

for (const topic of GUIDE_TOPICS) {
  test(`guide「${topic.title}」: screenshot regenerated, page readable and axe clean`, async ({ pageAs }) => {
    const shot = SHOTS[topic.slug]!;
    const page = await pageAs(shot.user, { viewport: VIEWPORT });
    await shot.open(page);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `public${topic.screenshot.path}` });

    await goto(page, `/guide/${topic.slug}`);
    await expect(page.getByRole("heading", { level: 1, name: topic.title })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: topic.steps[0] })).toBeVisible();
    const img = page.getByRole("img", { name: topic.screenshot.alt });
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1280);
    const found = await axeViolations(page);
    expect(found, found.join("\n")).toEqual([]);
  });
}

test("the first-use card suggests topics for the role, leads to the guide, and 不再显示 hides it for good", async ({
  app,
  pageAs,
}) => {
  // A user of its own (the card's state is per user).
  const page = await pageAs("court.liaison");
  await app.db.user.update({ where: { username: "court.liaison" }, data: { tourDismissedAt: null } });
  await goto(page, "/");
  const tour = page.getByTestId("tour");
  await expect(tour).toBeVisible();
  await expect(tour.getByRole("link")).toHaveCount(3);
  await expect(tour.getByRole("link", { name: /共同起草纪要/ })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("link", { name: "使用指南" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "使用指南" })).toBeVisible();
  await expect(page.getByRole("link", { name: "跟踪议定事项" })).toBeVisible();
  await goto(page, "/");
  await tour.getByRole("button", { name: "不再显示" }).click();
  await expect(tour).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: /您好/ })).toBeVisible();
  await expect(page.getByTestId("tour")).toHaveCount(0);
});
