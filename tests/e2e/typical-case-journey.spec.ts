import type { Locator, Page } from "@playwright/test";
import type { AppAccess } from "./app-access";
import { expect, placeCaretIn, test } from "./fixtures";

/**
 * Typical case (典型案例) acceptance journey, one step per test: 市司法局's drafter creates a case with 市中院 as co-drafter; the
 * two write its sections together live; the drafter's text carries an ID number, a mobile number and a
 * listed party, the court's a listed company. The 脱敏检查 flags them (marked in the editor) and 提交审核 is
 * refused until the one-click fixes — which reach the co-drafter's editor — make the check pass. Both
 * releasing orgs' publishers approve, 市司法局's publisher publishes, and an anonymous visitor finds the
 * case at /cases by a keyword: redacted, without any script. Drafts are not public: 404 under /cases,
 * the login page under /documents. Each test brings a fresh case to where its step starts through the
 * services (`caseAt`).
 */

const SFJ = "示例市司法局";
const COURT = "示例市中级人民法院";
/** The draft prisma/seed-cases.ts leaves in 2026年下半年 (with planted personal information). */
const SEEDED_DRAFT = "甲县交通运输局查处某物流公司货车违法超限运输案";
const KEYWORD = "网络直播带货";
const SECTIONS = ["关键词", "基本案情", "处理结果", "典型意义", "关联法条"];

/** The default 批次 of a new case: the current half-year in China time, e.g. 2026年下半年. */
function currentBatch(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric", month: "numeric" })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}年${Number(p.month) <= 6 ? "上" : "下"}半年`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A fresh 18-digit 居民身份证号码 with a valid MOD 11-2 check character (浙江杭州, born 1970–1999). */
function idNumber(): string {
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const first17 = `330106${1970 + Math.floor(Math.random() * 30)}${pad(1 + Math.floor(Math.random() * 12), 2)}${pad(1 + Math.floor(Math.random() * 28), 2)}${pad(Math.floor(Math.random() * 1000), 3)}`;
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i]!, 0);
  return first17 + "10X98765432"[sum % 11];
}

/** A fresh mobile number 139xxxxxxxx. */
function mobileNumber(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

/** Chinese characters from a run id, so the company name differs per run without digits or Latin letters. */
function chineseTag(n: number): string {
  const stems = "甲乙丙丁戊己庚辛壬癸";
  return [...String(n).slice(-3)].map((d) => stems[Number(d)]).join("");
}

async function expectSynced(page: Page) {
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

const editor = (page: Page) => page.getByTestId("editor");
/** The first block after a section heading of the case template. */
const sectionBody = (page: Page, section: string): Locator =>
  editor(page).locator(`xpath=./*[@data-level="1"][normalize-space(.)="${section}"]/following-sibling::*[1]`);
const casePanel = (page: Page) => page.getByRole("region", { name: "典型案例" });
/** The 审核 (review) panel: the countersign panel of a typical case. */
const reviewPanel = (page: Page) => page.locator("section", { has: page.getByRole("heading", { name: /^审核/ }) });
/** The status badge in the document page's header line (… · 牵头：… · 起草中). */
const statusBadge = (page: Page, label: string) =>
  page.locator("p", { has: page.getByText(/^牵头：/) }).getByText(label, { exact: true });
const finding = (page: Page, kind: string) => casePanel(page).locator(`[data-testid="finding"][data-kind="${kind}"]`);

/** A section's text without co-editors' caret labels. */
async function sectionText(page: Page, section: string): Promise<string> {
  return sectionBody(page, section).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return copy.textContent ?? "";
  });
}

/** Puts the caret in a section's (empty) paragraph, at its end. */
async function caretInSection(page: Page, section: string) {
  await placeCaretIn(sectionBody(page, section));
  await page.keyboard.press("End");
}

/** Writes one section alone. */
async function writeSection(page: Page, section: string, text: string) {
  await caretInSection(page, section);
  await page.keyboard.type(text);
  await expect.poll(() => sectionText(page, section)).toBe(text);
}

/**
 * Both wait in an empty section each, then type at the same time; each sees the other's text in
 * place. Every template section starts as an empty paragraph, so this is where a caret carried off
 * by a co-editor's keystroke (app/editor/schema/empty-block-caret.ts) would send text into the wrong section.
 */
async function writeTogether(a: Page, aSection: string, aText: string, b: Page, bSection: string, bText: string) {
  await caretInSection(a, aSection);
  await caretInSection(b, bSection);
  await Promise.all([a.keyboard.type(aText), b.keyboard.type(bText)]);
  for (const page of [a, b]) {
    await expect.poll(() => sectionText(page, aSection)).toBe(aText);
    await expect.poll(() => sectionText(page, bSection)).toBe(bText);
  }
}

/** The case's status in the /typical-cases batch list. */
async function listedStatus(page: Page, title: string): Promise<Locator> {
  await page.goto("/typical-cases");
  const row = page.locator("li", { has: page.getByRole("link", { name: title, exact: true }) });
  await expect(row).toHaveCount(1);
  return row;
}

const VIEWPORT = { viewport: { width: 1280, height: 900 } };
let cases = 0;

/** A fresh case's title and texts: the facts carry a person, an ID number and a mobile number, the result a company. */
function newCase() {
  const run = Date.now() + cases++;
  const title = `某食品公司网络直播带货虚假宣传案（${run.toString(36)}）`;
  const person = "王建军";
  const company = `示例市鑫源${chineseTag(run)}食品有限公司`;
  const id = idNumber();
  const mobile = mobileNumber();
  const facts = `2026年3月，当事人${person}（公民身份号码${id}，联系电话${mobile}）通过网络直播平台销售预包装食品，在直播中宣称产品具有降血糖功效，相关宣传内容无事实依据。`;
  const result = `示例市市场监督管理局依法对${company}作出责令改正、罚款10万元的行政处罚；示例市中级人民法院在行政诉讼中依法支持该处罚决定。`;
  return {
    title,
    person,
    company,
    id,
    mobile,
    facts,
    result,
    redactedFacts: facts.replace(person, "王某").replace(id, "×××").replace(mobile, "×××"),
    redactedResult: result.replace(company, "某食品有限公司"),
    keywords: `食品安全、虚假宣传、${KEYWORD}、行政处罚`,
    significance: "本案明确了网络直播带货中经营者对宣传内容的审核义务，对规范直播电商经营秩序具有示范意义。",
    articles: "《中华人民共和国食品安全法》第七十三条、《中华人民共和国广告法》第二十八条",
  };
}

const CASE_STAGES = ["drafted", "written", "redacted", "submitted", "approved", "published"] as const;

/**
 * A case of 市司法局's drafter with 市中院 co-drafting, brought to `stage` through the services:
 * created (empty sections); every section written, with the personal information; the same redacted
 * as the check's fixes would; submitted for review; approved by both releasing orgs' publishers;
 * published by 市司法局's publisher.
 */
async function caseAt(app: AppAccess, stage: (typeof CASE_STAGES)[number]) {
  const c = newCase();
  const reached = (s: (typeof CASE_STAGES)[number]) => CASE_STAGES.indexOf(stage) >= CASE_STAGES.indexOf(s);
  const caseId = await app.createTypicalCase("sfj.drafter", {
    title: c.title,
    field: "市场监管",
    batch: currentBatch(),
    parties: [c.person, c.company],
    writers: [COURT],
  });
  if (reached("written")) {
    const redacted = reached("redacted");
    const texts: Record<string, string> = {
      关键词: c.keywords,
      基本案情: redacted ? c.redactedFacts : c.facts,
      处理结果: redacted ? c.redactedResult : c.result,
      典型意义: c.significance,
      关联法条: c.articles,
    };
    const content = await app.content(caseId);
    const blocks = content.content ?? [];
    for (const [section, text] of Object.entries(texts)) {
      const at = blocks.findIndex((n) => n.type === "heading" && n.content?.[0]?.text === section);
      blocks[at + 1] = app.paragraph(text);
    }
    await app.writeContent(caseId, content);
  }
  if (reached("submitted")) await app.submitCase("sfj.drafter", caseId);
  if (reached("approved"))
    for (const publisher of ["sfj.publisher", "court.publisher"])
      await app.decideCountersign(caseId, publisher, "APPROVED");
  const slug = `e2e-${Date.now().toString(36)}-${cases}`;
  if (reached("published")) await app.publishCase("sfj.publisher", caseId, slug);
  return { ...c, caseId, slug };
}

test("市司法局's drafter creates a case with 市中院 as co-drafter; the template has every section", async ({
  pageAs,
}) => {
  const { title, person, company } = newCase();
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  await drafter.goto("/typical-cases/new");
  await drafter.getByRole("textbox", { name: "标题", exact: true }).fill(title);
  await expect(drafter.getByRole("combobox", { name: "牵头发布单位" }).locator("option:checked")).toHaveText(SFJ);
  await drafter.getByRole("combobox", { name: "领域" }).selectOption("市场监管");
  await expect(drafter.getByRole("textbox", { name: "批次", exact: true })).toHaveValue(currentBatch());
  await drafter.getByRole("textbox", { name: /^当事人/ }).fill(`${person}\n${company}`);
  await drafter.getByLabel(`${COURT}是否参与`).selectOption("WRITE");
  await drafter.getByRole("button", { name: "创建并开始起草" }).click();
  await drafter.waitForURL((u) => /^\/documents\/[a-z0-9]+$/.test(u.pathname));
  await expect(drafter.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(statusBadge(drafter, "起草中")).toBeVisible();
  await expectSynced(drafter);
  for (const section of SECTIONS) await expect(sectionBody(drafter, section)).toBeAttached();
});

test("the two drafters write the sections together, each seeing the other's text in place", async ({ pageAs, app }) => {
  const { caseId, keywords, facts, result, articles, significance } = await caseAt(app, "drafted");
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  const coDrafter = await pageAs("court.drafter", VIEWPORT);
  for (const page of [drafter, coDrafter]) {
    await page.goto(`/documents/${caseId}`);
    await expectSynced(page);
  }
  await writeSection(drafter, "关键词", keywords);
  await expect.poll(() => sectionText(coDrafter, "关键词")).toBe(keywords);
  await writeTogether(drafter, "基本案情", facts, coDrafter, "处理结果", result);
  await writeTogether(drafter, "关联法条", articles, coDrafter, "典型意义", significance);
});

test("脱敏检查 finds and marks the ID number, the mobile number and the parties; 提交审核 is refused", async ({
  pageAs,
  app,
}) => {
  const { caseId, id, mobile, person, company } = await caseAt(app, "written");
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  await drafter.goto(`/documents/${caseId}`);
  await expectSynced(drafter);
  const panel = casePanel(drafter);
  await panel.getByRole("button", { name: "运行脱敏检查" }).click();
  for (const kind of ["ID_NUMBER", "MOBILE", "PERSON_NAME", "COMPANY_NAME"]) {
    await expect(finding(drafter, kind).first()).toBeVisible();
  }
  await expect(editor(drafter).locator(".pii-flag", { hasText: id })).toBeVisible();
  await expect(editor(drafter).locator(".pii-flag", { hasText: mobile })).toBeVisible();
  await expect(editor(drafter).locator(".pii-flag", { hasText: person })).toBeVisible();
  await expect(editor(drafter).locator(".pii-flag", { hasText: company })).toBeVisible();
  await panel.getByRole("button", { name: "提交审核" }).click();
  await expect(panel.getByRole("alert")).toContainText("脱敏检查");
  await expect(statusBadge(drafter, "起草中")).toBeVisible();
  await expect(panel.getByRole("button", { name: "提交审核" })).toBeVisible();
});

test("the check's one-click fixes reach the co-drafter; once it passes, 提交审核 freezes the case for both", async ({
  pageAs,
  app,
}) => {
  const c = await caseAt(app, "written");
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  const coDrafter = await pageAs("court.drafter", VIEWPORT);
  for (const page of [drafter, coDrafter]) {
    await page.goto(`/documents/${c.caseId}`);
    await expectSynced(page);
  }
  const panel = casePanel(drafter);
  const findings = panel.getByTestId("finding");
  await panel.getByRole("button", { name: "运行脱敏检查" }).click();
  await expect(finding(drafter, "ID_NUMBER")).toBeVisible();

  await finding(drafter, "ID_NUMBER")
    .getByRole("button", { name: /^改为「/ })
    .click();
  await expect.poll(() => sectionText(coDrafter, "基本案情")).not.toContain(c.id);
  await panel.getByRole("button", { name: "全部一键修正" }).click();
  await expect.poll(() => sectionText(coDrafter, "基本案情")).toBe(c.redactedFacts);
  await expect.poll(() => sectionText(coDrafter, "处理结果")).toBe(c.redactedResult);
  for (const gone of [c.person, c.company, c.id, c.mobile]) await expect(editor(coDrafter)).not.toContainText(gone);
  await expect(editor(drafter).locator(".pii-flag")).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "运行脱敏检查" })).toBeEnabled();
  await panel.getByRole("button", { name: "运行脱敏检查" }).click();
  await expect(panel.getByTestId("redaction-pass")).toBeVisible();
  await expect(findings).toHaveCount(0);

  await panel.getByRole("button", { name: "提交审核" }).click();
  await expect(panel.getByText("已提交审核。")).toBeVisible();
  await expect(reviewPanel(drafter).getByRole("heading", { name: /^审核（第1轮/ })).toBeVisible();
  await expect(panel.getByRole("button", { name: "提交审核" })).toHaveCount(0);
  // The frozen version is read-only for the co-drafter too, at once.
  await expect(editor(coDrafter)).toHaveAttribute("contenteditable", "false");
});

test("both releasing orgs' publishers approve (审核); 市司法局's publisher publishes it, public only then", async ({
  pageAs,
  app,
}) => {
  const { caseId, title } = await caseAt(app, "submitted");
  const publisher = await pageAs("sfj.publisher", VIEWPORT);
  const courtPublisher = await pageAs("court.publisher", VIEWPORT);
  const anonymous = (await pageAs(null)).context();
  await expect(await listedStatus(publisher, title)).toContainText("审核中");
  await publisher.getByRole("link", { name: title, exact: true }).click();
  await publisher.waitForURL(`**/documents/${caseId}`);
  await reviewPanel(publisher).getByRole("button", { name: "同意" }).click();
  await publisher.waitForURL(/countersign=COUNTERSIGNING/);
  await expect(reviewPanel(publisher).getByRole("button", { name: "同意" })).toHaveCount(0);

  await courtPublisher.goto(`/documents/${caseId}`);
  await reviewPanel(courtPublisher).getByRole("button", { name: "同意" }).click();
  await courtPublisher.waitForURL(/countersign=FINALIZED/);
  await expect(statusBadge(courtPublisher, "已审核待发布")).toBeVisible();
  await expect(courtPublisher.getByTestId("final-hash")).toBeVisible();

  await publisher.goto(`/documents/${caseId}`);
  const slug = await casePanel(publisher).getByLabel("网址名称（/cases/…）").inputValue();
  expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  // Approved but not yet published: not public.
  expect((await anonymous.request.get(`/cases/${slug}`)).status()).toBe(404);
  await casePanel(publisher).getByRole("button", { name: "向社会公开发布" }).click();
  await expect(
    casePanel(publisher)
      .getByRole("link", { name: `/cases/${slug}` })
      .first(),
  ).toBeVisible();
  await expect(casePanel(publisher).getByText("已发布（第1版）")).toBeVisible();
  await expect(statusBadge(publisher, "已发布")).toBeVisible();
  expect((await anonymous.request.get(`/cases/${slug}`)).status()).toBe(200);
});

test("anyone finds a published case at /cases by a keyword: redacted, without script; the feed carries it", async ({
  pageAs,
  app,
}) => {
  const { title, slug, id, mobile, person, company } = await caseAt(app, "published");
  const visitor = await pageAs(null);
  const anonymous = visitor.context();
  await visitor.goto(`/cases?q=${encodeURIComponent(KEYWORD)}`);
  const hit = visitor.getByRole("link", { name: title, exact: true });
  await expect(hit).toBeVisible();
  await hit.click();
  await visitor.waitForURL(`**/cases/${slug}`);
  await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(visitor.locator("body")).toContainText("当事人王某（公民身份号码×××，联系电话×××）");
  await expect(visitor.locator("body")).toContainText("依法对某食品有限公司作出");
  await expect(visitor.locator("body")).toContainText(`${SFJ}、${COURT}`);
  const pageText = await visitor.locator("body").innerText();
  const response = await anonymous.request.get(`/cases/${slug}`);
  expect(response.status()).toBe(200);
  const html = await response.text();
  for (const secret of [id, mobile, person, company]) {
    expect(pageText).not.toContain(secret);
    expect(html).not.toContain(secret);
  }
  expect(html.toLowerCase()).not.toContain("<script");
  const listHtml = await (await anonymous.request.get(`/cases?q=${encodeURIComponent(KEYWORD)}`)).text();
  expect(listHtml.toLowerCase()).not.toContain("<script");
  // The Atom feed carries the case too, redacted.
  const feed = await anonymous.request.get("/cases/feed.xml");
  expect(feed.status()).toBe(200);
  const feedXml = await feed.text();
  expect(feedXml).toContain(title);
  expect(feedXml).toContain(`/cases/${slug}`);
  for (const secret of [id, mobile, person, company]) expect(feedXml).not.toContain(secret);
});

test("drafts are not public: 404 under /cases, the login page under /documents", async ({ pageAs }) => {
  const drafter = await pageAs("sfj.drafter", VIEWPORT);
  const visitor = await pageAs(null);
  const anonymous = visitor.context();
  await drafter.goto("/typical-cases");
  const draftHref = await drafter.getByRole("link", { name: SEEDED_DRAFT, exact: true }).getAttribute("href");
  const draftId = draftHref?.split("/").pop() ?? "";
  expect(draftId).toMatch(/^[A-Za-z0-9_-]+$/);
  for (const path of [`/cases/2026h2-${draftId.slice(0, 8).toLowerCase()}`, `/cases/${draftId.toLowerCase()}`]) {
    expect((await anonymous.request.get(path)).status(), path).toBe(404);
  }
  await visitor.goto(`/documents/${draftId}`);
  await expect(visitor).toHaveURL(/\/login(\?|$)/);
  await expect(visitor.getByLabel("用户名")).toBeVisible();
  await expect(visitor.locator("body")).not.toContainText(SEEDED_DRAFT);
});
