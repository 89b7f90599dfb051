import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import JSZip from "jszip";
import { axeViolations } from "./axe";
import { expect, signIn, test, unique } from "./fixtures";

/**
 * 个案咨询 with an expert of the pool (issue 22, ADR 024): 市司法局's coordinator adds an expert to
 * 专家库 and opens an account for them; 市市场监督管理局's coordinator convenes a 个案咨询 inviting the
 * expert (filtered by 领域); the expert signs in with the initial password, sets their own, finds the
 * consultation and its 专家咨询意见 on their workbench (nothing else: no 台账, /ledger refused), and
 * gives a written opinion as a 批注 on the 咨询问题 without being able to change the text; the
 * convener compiles the opinions into 三、专家意见 and exports the Word draft. axe on /experts/new,
 * the consultation page and the expert's workbench.
 */

const VIEWPORT = { viewport: { width: 1280, height: 900 } };
const INITIAL_PASSWORD = "Initial2026pw";
const NEW_PASSWORD = "Expert2026own";

async function expectAxeClean(page: Page, where: string) {
  const found = await axeViolations(page);
  expect(found, `${where}:\n${found.join("\n")}`).toEqual([]);
}

/** A card of the page (a `section` under its h2), by its title. */
const card = (page: Page, title: string): Locator =>
  page.locator("section", { has: page.getByRole("heading", { name: title, exact: true }) });

/** A day a week from now, as the date field takes it (China time). */
function dayNextWeek(): string {
  return new Date(Date.now() + 8 * 3600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
}

async function expectSynced(page: Page) {
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

/** The text of the editor's blocks under a heading, up to the next heading (one line per block). */
async function sectionText(page: Page, heading: string): Promise<string> {
  return page.getByTestId("editor").evaluate((el, wanted) => {
    const blocks = Array.from(el.children);
    const isHeading = (b: Element) => /^H[1-6]$/.test(b.tagName);
    const start = blocks.findIndex((b) => isHeading(b) && (b.textContent ?? "").trim() === wanted);
    if (start < 0) return "";
    const lines: string[] = [];
    for (const b of blocks.slice(start + 1)) {
      if (isHeading(b)) break;
      lines.push(b.textContent ?? "");
    }
    return lines.join("\n");
  }, heading);
}

test("a coordinator convenes a 个案咨询 with a new expert of the pool; the expert sets a password and comments; the opinions are compiled and exported", async ({
  pageAs,
}) => {
  // One journey through three accounts, two sign-ins through the form and a Word export.
  test.setTimeout(180_000);
  const stamp = unique();
  const expertName = `e2e专家${stamp}`;
  const signature = `专家 ${expertName}（法学）`;
  const username = `e2eexpert${stamp}`;
  const title = `某网店虚假宣传案个案咨询（${stamp}）`;
  const documentTitle = `${title}专家咨询意见`;
  const summary = `当事人某网店在商品详情页宣称普通食品“可辅助降血糖”，经查该产品未取得保健食品注册或备案（${stamp}）。`;
  const question = `当事人的行为应适用《广告法》第五十五条还是《食品安全法》第一百四十条？（${stamp}）`;
  const opinion = `建议适用《广告法》第五十五条，按虚假广告处罚，罚款基数按广告费用认定（${stamp}）。`;
  // Typed by the expert into the text, which must not take it.
  const typedIntoText = "擅自改动";

  // 1. 市司法局's coordinator adds the expert to 专家库 and opens an account.
  const sfj = await pageAs("sfj.coord", VIEWPORT);
  await test.step("the pool's keeper adds the expert and opens an account", async () => {
    await sfj.goto("/");
    await sfj.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "专家库" }).click();
    await expect(sfj).toHaveURL(/\/experts$/);
    await expect(sfj.getByRole("heading", { name: "专家库", level: 1 })).toBeVisible();
    await sfj.getByRole("link", { name: "添加人员" }).click();
    await expect(sfj).toHaveURL(/\/experts\/new$/);
    await expect(sfj.getByRole("heading", { name: "添加人员", level: 1 })).toBeVisible();
    await expectAxeClean(sfj, "/experts/new");

    await expect(sfj.getByLabel(/^所属地区/)).toHaveValue(/.+/);
    await sfj.getByLabel(/^类别/).selectOption({ label: "专家" });
    await sfj.getByLabel(/^姓名/).fill(expertName);
    await sfj.getByRole("checkbox", { name: "法学", exact: true }).check();
    await sfj.getByLabel(/^职称\/职务/).fill("教授");
    await sfj.getByLabel(/^工作单位/).fill("示例政法大学法学院");
    await sfj.getByLabel(/^联系方式/).fill("13800009999");
    await sfj.getByRole("button", { name: "添加", exact: true }).click();
    await sfj.waitForURL(
      (u) => /^\/experts\/(?!new$)[A-Za-z0-9_-]+$/.test(u.pathname) && u.searchParams.get("done") === "created",
    );
    await expect(sfj.getByRole("heading", { level: 1 })).toContainText(expertName);
    await expect(sfj.getByText("已添加到专家库。")).toBeVisible();

    const account = card(sfj, "登录账号");
    await account.getByLabel(/^用户名/).fill(username);
    await account.getByLabel(/^初始密码/).fill(INITIAL_PASSWORD);
    await account.getByRole("button", { name: "开通账号" }).click();
    await sfj.waitForURL((u) => u.searchParams.get("done") === "account");
    await expect(sfj.getByRole("status").filter({ hasText: "已开通账号" })).toContainText(
      `已开通账号 ${username}，请将初始密码告知本人`,
    );
    await expect(sfj.getByTestId("expert-account")).toHaveText(`已开通账号 ${username}`);
  });

  // 2. 市市场监督管理局's coordinator convenes the 个案咨询, inviting the expert.
  const scjg = await pageAs("scjg.coord", VIEWPORT);
  let consultationPath = "";
  await test.step("the convener convenes a 个案咨询 inviting the expert, filtered by 领域", async () => {
    await scjg.goto("/consultations/new");
    await expect(scjg.getByRole("heading", { name: "召集会商", level: 1 })).toBeVisible();
    await scjg.getByLabel(/^会议名称/).fill(title);
    await expect(card(scjg, "个案咨询事项")).toHaveCount(0);
    await expect(card(scjg, "邀请专家（必选）")).toHaveCount(0);
    await scjg.getByLabel(/^会商类型/).selectOption({ label: "个案咨询" });
    const caseCard = card(scjg, "个案咨询事项");
    await expect(caseCard).toBeVisible();
    await caseCard.getByLabel(/^基本案情/).fill(summary);
    await caseCard.getByLabel(/^咨询问题/).fill(question);
    await scjg.getByLabel(/^会商系列/).fill(`个案咨询（e2e ${stamp}）`);
    await expect(scjg.getByLabel(/^召集单位/)).toHaveValue(/.+/);
    await scjg.getByLabel(/^日期/).fill(dayNextWeek());
    await scjg.getByLabel(/^开始时间/).fill("09:30");
    await scjg.getByLabel(/^结束时间/).fill("11:00");
    await scjg.getByLabel(/^地点/).fill("书面咨询（市市场监督管理局法规科汇总）");

    const guests = card(scjg, "邀请专家（必选）");
    // The demo pool's 特邀监督员 宋建军 (市场监管, with an account) is offered until 法学 is chosen.
    const supervisor = guests.getByRole("checkbox", { name: /宋建军/ });
    await expect(supervisor).toBeVisible();
    await guests.getByLabel("按领域筛选").selectOption({ label: "法学" });
    await expect(supervisor).toBeHidden();
    const candidate = guests.getByRole("checkbox", { name: expertName });
    await expect(candidate).toBeVisible();
    await candidate.check();
    await expect(candidate).toBeChecked();

    await scjg.getByRole("button", { name: "召集并发送邀请" }).click();
    await scjg.waitForURL(
      (u) => /^\/consultations\/(?!new$)[A-Za-z0-9_-]+$/.test(u.pathname) && u.searchParams.get("created") === "1",
    );
    consultationPath = new URL(scjg.url()).pathname;
    await expect(scjg.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(scjg.getByRole("status").filter({ hasText: "会商已召集" })).toContainText("特邀人员已收到通知");
    const caseView = card(scjg, "个案咨询事项");
    await expect(caseView).toContainText(summary);
    await expect(caseView).toContainText(question);
    await expect(scjg.getByRole("link", { name: "打开专家咨询意见" })).toBeVisible();
    // The convener's table (参会单位与出席情况) names the guest by their signature.
    await expect(scjg.getByRole("table", { name: /^参会单位/ })).toContainText(signature);
    await expectAxeClean(scjg, "the 个案咨询 consultation page");
  });

  // 3. The expert signs in, sets their own password, and comments on the 咨询问题.
  const expert = await pageAs(null, VIEWPORT);
  await test.step("the expert signs in and first sets their own password", async () => {
    await signIn(expert, username, INITIAL_PASSWORD);
    await expect(expert).toHaveURL(/\/password$/);
    await expect(expert.getByRole("heading", { name: "设置您自己的登录密码" })).toBeVisible();
    await expert.getByLabel(/^管理员告知的密码/).fill(INITIAL_PASSWORD);
    await expert.getByLabel(/^新密码/).fill(NEW_PASSWORD);
    await expert.getByLabel(/^确认新密码/).fill(NEW_PASSWORD);
    await expert.getByRole("button", { name: "设置新密码并进入系统" }).click();
    await expert.waitForURL((u) => u.pathname === "/");
    await expect(expert.getByRole("heading", { name: `您好，${expertName}`, level: 1 })).toBeVisible();

    // The new password is the one that signs in now.
    const again = await pageAs(null, VIEWPORT);
    await signIn(again, username, NEW_PASSWORD);
    await expect(again).not.toHaveURL(/\/password$/);
    await expect(again.getByRole("heading", { name: `您好，${expertName}`, level: 1 })).toBeVisible();
    await again.close();
  });

  await test.step("the expert's workbench lists only what they are invited to; /ledger is refused", async () => {
    const invited = card(expert, "受邀参加的会商与咨询");
    await expect(invited.getByRole("link", { name: title, exact: true })).toBeVisible();
    await expect(invited).toContainText("个案咨询");
    const toReview = card(expert, "请您审阅的文书");
    await expect(toReview.getByRole("link", { name: documentTitle, exact: true })).toBeVisible();
    await expect(toReview).toContainText("可提出批注意见");
    const nav = expert.getByRole("navigation", { name: "主导航" });
    await expect(nav.getByRole("link")).toHaveCount(1);
    await expect(nav.getByRole("link", { name: "工作台" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "台账" })).toHaveCount(0);
    await expectAxeClean(expert, "the expert's workbench");

    const refused = await expert.goto("/ledger");
    expect(refused?.status()).toBe(403);
    await expect(expert.getByRole("heading", { name: "无权访问" })).toBeVisible();
    await expect(expert.getByText(/特邀人员账号只能查看受邀参加的会商和文书/)).toBeVisible();
  });

  await test.step("the expert comments on the 咨询问题 and cannot change the text", async () => {
    await expert.goto("/");
    await card(expert, "请您审阅的文书").getByRole("link", { name: documentTitle, exact: true }).click();
    await expert.waitForURL((u) => /^\/documents\/[A-Za-z0-9_-]+$/.test(u.pathname));
    await expectSynced(expert);
    await expect(expert.getByRole("heading", { name: documentTitle, level: 1 })).toBeVisible();
    await expect(expert.getByTestId("comment-panel")).toBeVisible();
    await expect(expert.getByRole("toolbar", { name: "批注" })).toContainText("您可以批注，不能直接修改正文。");
    const editor = expert.getByTestId("editor");
    await expect(editor).toHaveAttribute("contenteditable", "false");
    const questionText = editor.getByText(question);
    await expect(questionText).toHaveText(question);

    // Typing into the text changes nothing (COMMENT access).
    await questionText.click();
    await expert.keyboard.press("End");
    await expert.keyboard.type(typedIntoText);
    await expect(questionText).toHaveText(question);
    await expect(editor).not.toContainText(typedIntoText);

    // Select the question's paragraph (triple click) and press 批注.
    await questionText.click({ clickCount: 3 });
    await expert.getByRole("button", { name: "批注", exact: true }).click();
    const composer = expert.getByRole("form", { name: "新批注" });
    await expect(composer.locator("blockquote")).toHaveText(question);
    await composer.getByRole("combobox", { name: "新批注" }).fill(opinion);
    await composer.getByRole("button", { name: "发表批注" }).click();
    await expect(composer).toHaveCount(0);
    const thread = expert
      .getByTestId("comment-panel")
      .getByTestId("comment-thread")
      .filter({ hasText: `「${question}」` });
    await expect(thread).toBeVisible();
    const comment = thread.getByTestId("comment");
    await expect(comment).toContainText(signature);
    await expect(comment).toContainText(opinion);
    const threadId = await thread.getAttribute("data-thread-id");
    expect(threadId).toBeTruthy();
    await expect(editor.locator(`[data-comment-thread="${threadId}"]`)).toHaveText(question);
    await expect(editor).not.toContainText(typedIntoText);
    // The expert leaves: no caret of theirs in the convener's editor.
    await expert.close();
  });

  // 4. The convener compiles the opinions into the document and exports it.
  await test.step("the convener compiles the opinions under 三、专家意见 and exports the Word draft", async () => {
    await scjg.goto(consultationPath);
    await scjg.getByRole("button", { name: "汇总专家意见" }).click();
    await scjg.waitForURL((u) => u.pathname === consultationPath && u.searchParams.has("compiled"));
    await expect(scjg.getByRole("status").filter({ hasText: "条专家意见汇总到" })).toContainText(
      "已将1条专家意见汇总到《专家咨询意见》",
    );
    await scjg.getByRole("link", { name: "打开专家咨询意见" }).click();
    await scjg.waitForURL((u) => /^\/documents\/[A-Za-z0-9_-]+$/.test(u.pathname));
    await expectSynced(scjg);
    await expect(scjg.getByRole("heading", { name: documentTitle, level: 1 })).toBeVisible();
    await expect.poll(() => sectionText(scjg, "三、专家意见")).toContain(opinion);
    const section = await sectionText(scjg, "三、专家意见");
    expect(section).toContain(`${signature}：`);
    expect(section.indexOf(signature)).toBeLessThan(section.indexOf(opinion));
    await expect(scjg.getByTestId("editor")).not.toContainText(typedIntoText);

    const [download] = await Promise.all([
      scjg.waitForEvent("download"),
      scjg
        .getByRole("navigation", { name: "文书操作" })
        .getByRole("link", { name: "导出 Word（草稿）", exact: true })
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/专家咨询意见（草稿）\.docx$/);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    const xml = (await (await JSZip.loadAsync(bytes)).file("word/document.xml")?.async("string")) ?? "";
    expect(xml).toContain("专家咨询意见");
    expect(xml).toContain(opinion);
    expect(xml).toContain(signature);
    expect(xml).not.toContain(typedIntoText);
  });
});
