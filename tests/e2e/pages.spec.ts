import type { Page } from "@playwright/test";
import { DEMO_USERS } from "../../prisma/seed";
import { DEMO_POOL } from "../../prisma/seed-external";
import { axeViolations } from "./axe";
import { CRAWL_START, linksIn, pageKind } from "./crawl";
import { expect, test, unique } from "./fixtures";

/**
 * Every main page as people see it: at 1440, 820 and 390 px (screenshots in test-results/screens,
 * looked at), the navigation reachable at every width and never over the page's text, no sideways
 * scrolling of the page, and axe-core (WCAG 2.1 A+AA, GB/T 37668) with no violation — signed in and
 * anonymous, with the navigation menu and the notification list open. And for every demo role, a
 * crawl of every link the pages offer: none answers 403 (a page offers only what its user may do).
 */

const WIDTHS = [1440, 820, 390] as const;
const NAV_LABELS = ["工作台", "会商", "台账", "建议书与整改", "典型案例"];
/** The demo outside participants (ADR 024): their shell offers the workbench only. */
const OUTSIDE = new Set(DEMO_POOL.flatMap((p) => (p.username ? [p.username] : [])));

interface PageSpec {
  name: string;
  user: string | null;
  /**
   * The page's address, or the first link matching `link` on the page at `from` — or, with `via`, on
   * the page that `from`'s first link named `via` leads to.
   */
  path?: string;
  from?: string;
  via?: RegExp;
  link?: RegExp;
}

const PAGES: PageSpec[] = [
  { name: "workbench", user: "sfj.coord", path: "/" },
  { name: "consultations", user: "sfj.coord", path: "/consultations" },
  { name: "consultation", user: "sfj.coord", from: "/consultations", link: /^\/consultations\/(?!new)[^/?#]+$/ },
  { name: "consultation-new", user: "sfj.coord", path: "/consultations/new" },
  { name: "documents", user: "sfj.coord", path: "/documents" },
  { name: "document", user: "sfj.drafter", from: "/documents", link: /^\/documents\/(?!new)[^/?#]+$/ },
  { name: "ledger", user: "sfj.coord", path: "/ledger" },
  { name: "search", user: "sfj.coord", path: "/search?q=会商" },
  { name: "item", user: "sfj.coord", from: "/ledger", link: /^\/items\/[^/?#]+$/ },
  { name: "recommendations", user: "sfj.coord", path: "/recommendations" },
  {
    name: "recommendation",
    user: "sfj.coord",
    from: "/recommendations",
    link: /^\/recommendations\/(?!new|overview)[^/?#]+$/,
  },
  { name: "recommendations-overview", user: "sfj.coord", path: "/recommendations/overview" },
  { name: "clues", user: "sfj.coord", path: "/clues?view=out" },
  { name: "clue", user: "sfj.coord", from: "/clues?view=out", link: /^\/clues\/(?!new|stats)[^/?#]+$/ },
  { name: "clue-new", user: "sfj.coord", path: "/clues/new" },
  { name: "clue-stats", user: "sfj.coord", path: "/clues/stats" },
  { name: "experts", user: "sfj.coord", path: "/experts" },
  { name: "expert-workbench", user: "expert.chen", path: "/" },
  {
    name: "case-consultation",
    user: "expert.chen",
    from: "/",
    link: /^\/consultations\/(?!new)[^/?#]+$/,
  },
  { name: "expert-opinion", user: "expert.chen", from: "/", link: /^\/documents\/(?!new)[^/?#]+$/ },
  { name: "expert-new", user: "sfj.coord", path: "/experts/new" },
  { name: "expert", user: "sfj.coord", from: "/experts", link: /^\/experts\/(?!new)[^/?#]+$/ },
  { name: "litigation", user: "sfj.coord", path: "/litigation" },
  { name: "litigation-court", user: "court.drafter", path: "/litigation" },
  { name: "litigation-trends", user: "sfj.coord", path: "/litigation/trends" },
  {
    name: "litigation-report",
    user: "sfj.coord",
    from: "/litigation",
    link: /^\/litigation\/(?!trends)[^/?#]+$/,
  },
  { name: "report-new", user: "sfj.coord", path: "/reports/new" },
  {
    // The demo's 专题报告 (its document page links 数据比对).
    name: "report-comparison",
    user: "sfj.coord",
    from: "/documents",
    via: /行政执法监督工作情况的专题报告/,
    link: /^\/reports\/(?!new)[^/?#]+$/,
  },
  { name: "typical-cases", user: "sfj.publisher", path: "/typical-cases" },
  { name: "account", user: "sfj.coord", path: "/account" },
  { name: "guide", user: "sfj.coord", path: "/guide" },
  { name: "guide-topic", user: "sfj.coord", path: "/guide/track" },
  { name: "admin", user: "admin", path: "/admin" },
  { name: "admin-users", user: "admin", path: "/admin/users" },
  { name: "admin-orgs", user: "admin", path: "/admin/orgs" },
  { name: "admin-audit", user: "admin", path: "/admin/audit" },
  { name: "admin-api-tokens", user: "admin", path: "/admin/api-tokens" },
  { name: "admin-webhooks", user: "admin", path: "/admin/webhooks" },
  { name: "api-docs", user: null, path: "/api/docs" },
  { name: "login", user: null, path: "/login" },
  { name: "public-cases", user: null, path: "/cases" },
  { name: "public-case", user: null, from: "/cases", link: /^\/cases\/(?!feed)[^/?#]+$/ },
];

async function open(page: Page, spec: PageSpec): Promise<string> {
  let path = spec.path;
  if (!path) {
    await page.goto(spec.from!);
    if (spec.via) {
      const via = await page.getByRole("link", { name: spec.via }).first().getAttribute("href");
      expect(via, `a link named ${spec.via} on ${spec.from}`).toBeTruthy();
      await page.goto(via!);
    }
    const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    path = hrefs.find((h) => spec.link!.test(h));
    expect(path, `a link to the ${spec.name} page on ${spec.from}${spec.via ? ` via ${spec.via}` : ""}`).toBeTruthy();
  }
  const res = await page.goto(path!);
  expect(res?.status(), `${spec.name}: ${path}`).toBe(200);
  await settle(page);
  return path!;
}

/** Hydrated, fonts loaded, and a document's editor synced. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("load");
  await page.evaluate(() => document.fonts.ready);
  const editor = page.getByTestId("editor");
  if (await editor.count()) await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

for (const spec of PAGES) {
  test(`${spec.name} at 1440, 820 and 390 px: navigation reachable, nothing wider than the window, axe clean`, async ({
    pageAs,
  }) => {
    const page = await pageAs(spec.user, { viewport: { width: 1440, height: 900 } });
    await open(page, spec);
    const found = await axeViolations(page);
    expect(found, `${spec.name} at 1440 px:\n${found.join("\n")}`).toEqual([]);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 500 ? 844 : width < 1000 ? 1180 : 900 });
      await page.screenshot({ path: `test-results/screens/${spec.name}-${width}.png`, fullPage: true });
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `${spec.name}: the page scrolls sideways at ${width} px`,
      ).toBeLessThanOrEqual(width);
      if (spec.user) await expectNavigation(page, width, spec.name, OUTSIDE.has(spec.user) ? ["工作台"] : NAV_LABELS);
    }
  });
}

/** Every shell link is in view (1280 px and up) or one press of 菜单 away; the header covers no heading. */
async function expectNavigation(page: Page, width: number, name: string, labels: readonly string[]): Promise<void> {
  const header = (await page.locator("header").first().boundingBox())!;
  const h1 = page.locator("main h1").first();
  if (await h1.count()) {
    const box = (await h1.boundingBox())!;
    expect(box.y, `${name}: the heading under the header at ${width} px`).toBeGreaterThanOrEqual(
      header.y + header.height,
    );
  }
  if (width >= 1280) {
    for (const label of labels)
      await expect(
        page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: label }),
      ).toBeInViewport();
    return;
  }
  const menu = page.getByRole("button", { name: "菜单" });
  await menu.click();
  for (const label of labels)
    await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: label })).toBeInViewport();
  await page.screenshot({ path: `test-results/screens/${name}-${width}-menu.png` });
  await page.keyboard.press("Escape");
  await expect(menu).toBeFocused();
  await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "台账" })).toBeHidden();
}

test("axe with the navigation menu (390 px) and the notification list (1440 px) open", async ({ pageAs }) => {
  const page = await pageAs("sfj.coord", { viewport: { width: 390, height: 844 } });
  await page.goto("/");
  await settle(page);
  await page.getByRole("button", { name: "菜单" }).click();
  let found = await axeViolations(page);
  expect(found, found.join("\n")).toEqual([]);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId("notification-bell").click();
  await expect(page.getByText("全部标为已读")).toBeVisible();
  await expect(page.getByText("正在加载…")).toBeHidden();
  found = await axeViolations(page);
  expect(found, found.join("\n")).toEqual([]);
});

// The outside participants' demo accounts (ADR 024) start where their shell does: 工作台, 账号, 指南.
const CRAWLERS = [
  ...DEMO_USERS.map((u) => ({ username: u.username, label: `${u.org} · ${u.role}`, start: CRAWL_START })),
  ...DEMO_POOL.flatMap((p) =>
    p.username ? [{ username: p.username, label: `特邀 · ${p.kind}`, start: ["/", "/account", "/guide"] }] : [],
  ),
];

for (const user of CRAWLERS) {
  test(`${user.username} (${user.label}): no link on the pages answers 403`, async ({ pageAs }) => {
    const page = await pageAs(user.username);
    const seen = new Set<string>();
    // Breadth first from the shell, at most 60 addresses per role.
    const queue = [...user.start];
    const kinds = new Set<string>();
    const refused: string[] = [];
    const foundOn = new Map<string, string>();
    while (queue.length && seen.size < 60) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await page.request.get(url, { maxRedirects: 0 });
      if (res.status() === 403 || res.status() >= 500)
        refused.push(`${res.status()} ${url} (linked from ${foundOn.get(url) ?? "the shell"})`);
      if (!(res.headers()["content-type"] ?? "").includes("text/html") || res.status() !== 200) continue;
      for (const href of linksIn(await res.text())) {
        const kind = pageKind(href);
        if (kinds.has(kind)) continue;
        kinds.add(kind);
        if (seen.has(href)) continue;
        if (!foundOn.has(href)) foundOn.set(href, url);
        queue.push(href);
      }
    }
    expect(refused, `links offered to ${user.username} that refuse them`).toEqual([]);
    expect(seen.size, "pages visited").toBeGreaterThan(5);
  });
}

test("the 甲县 coordinator follows the county's enforcement case read-only, on the workbench and in the ledger, and nothing of 乙县", async ({
  pageAs,
}) => {
  const page = await pageAs("jx.coord");
  await page.goto("/");
  const card = page.getByTestId("my-items");
  await expect(card.getByRole("link", { name: /甲县某建材公司违法占用耕地案/ })).toBeVisible();
  await page.goto("/ledger");
  const rows = page.getByTestId("ledger-table").locator("tbody tr");
  await expect(rows.filter({ hasText: "甲县某建材公司违法占用耕地案" })).toHaveCount(1);
  // Every row is the county's: led or supported by a unit of 甲县, none of 乙县.
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain("甲县");
    expect(text).not.toContain("乙县");
  }
  await rows.filter({ hasText: "甲县某建材公司违法占用耕地案" }).getByRole("link").first().click();
  await expect(page.getByTestId("item-status")).toBeVisible();
  // Read-only: no progress report, no settings; the minutes it comes from are named, not linked.
  await expect(page.getByRole("heading", { name: "报送进展" })).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
  await expect(page.getByRole("link", { name: /纪要|清单/ })).toHaveCount(0);
});

test("axe on draft minutes with 参与单位 open and a 议定事项's settings dialog open", async ({ app, pageAs }) => {
  const id = await app.createDocument("sfj.drafter", {
    title: `无障碍检查纪要 ${unique()}`,
    type: "MINUTES",
    writers: ["示例市市场监督管理局"],
  });
  await app.appendContent(id, [
    app.paragraph("会议议定如下："),
    app.itemBlock("开展涉企行政检查专项清理。", { leadOrgId: await app.orgId("示例市市场监督管理局") }),
  ]);
  const page = await pageAs("sfj.drafter", { viewport: { width: 1440, height: 900 } });
  await page.goto(`/documents/${id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  await page.getByText(/^参与单位（\d+）$/).click();
  await page
    .getByRole("button", { name: /^设置议定事项/ })
    .first()
    .click();
  await expect(page.getByRole("dialog", { name: /设置/ })).toBeVisible();
  const found = await axeViolations(page);
  expect(found, found.join("\n")).toEqual([]);
});
