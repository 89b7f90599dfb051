import type { Page } from "@playwright/test";
import { Document, HeadingLevel, ImageRun, Packer, Paragraph, TextRun } from "docx";
import { WORD_CLIPBOARD_HTML } from "../fixtures/word-clipboard";
import { axeViolations } from "./axe";
import { expect, test, unique } from "./fixtures";

/**
 * 从 Word 导入 (issue 21, ADR 020) in the browser: a 纪要 created from a .docx opens with its
 * headings, its header fields and Word's title, and says once what was left out (the picture); a
 * renamed .doc is refused at the file field in Chinese and nothing is created; a paste from Word keeps
 * its lists and 公文 headings. axe on the form with its error and on the document with the notice.
 */
const DRAFTER = "sfj.drafter"; // 张伟, 示例市司法局
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

async function minutesDocx(title: string): Promise<Buffer> {
  return Packer.toBuffer(
    new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: title, heading: HeadingLevel.TITLE }),
            new Paragraph("会议名称：行政执法协调联席会议"),
            new Paragraph("时　　间：2026年12月1日14时30分"),
            new Paragraph("地　　点：市司法局第一会议室"),
            new Paragraph("一、会议概况"),
            new Paragraph({ children: [new TextRun("会议听取了"), new TextRun({ text: "各单位", bold: true })] }),
            new Paragraph({
              children: [new ImageRun({ type: "png", data: PNG, transformation: { width: 10, height: 10 } })],
            }),
            new Paragraph("二、会议议定事项"),
            new Paragraph("出席：市司法局、市中级人民法院"),
          ],
        },
      ],
    }),
  );
}

async function fillForm(page: Page) {
  await page.goto("/documents/new");
  await page.getByLabel("文书类型").selectOption({ label: "会商纪要" });
  await page.getByLabel("示例市中级人民法院的权限").selectOption("WRITE");
}

test("a 纪要 from a .docx opens with its structure, Word's title and a one-time report", async ({ pageAs }) => {
  const page = await pageAs(DRAFTER);
  const title = `从Word导入的纪要 ${unique()}`;
  await fillForm(page);
  const file = page.getByLabel("从 Word 导入（.docx）");
  await file.setInputFiles({
    name: "纪要.docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    buffer: await minutesDocx(title),
  });
  // With a file the title may stay empty; the hint says so and is linked to the field.
  await expect(page.getByLabel("标题")).not.toHaveAttribute("required", "");
  await expect(page.getByLabel("标题")).toHaveAttribute("aria-describedby", /f-title-hint/);
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "创建并开始起草" }).click();
  await page.waitForURL((u) => /^\/documents\/(?!new$)[a-z0-9]+$/.test(u.pathname));
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const notice = page.getByRole("status").filter({ hasText: "已从 Word 导入" });
  await expect(notice).toContainText("已忽略 1 张图片");
  await expect(notice).toBeFocused();
  const editor = page.getByTestId("editor");
  await expect(editor.locator('h2[data-level="1"]', { hasText: "一、会议概况" })).toBeVisible();
  await expect(editor.locator("p", { hasText: "会议名称：" }).locator("strong")).toHaveText("会议名称：");
  await expect(editor.locator("strong", { hasText: "各单位" })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // Once: the address no longer carries the report.
  expect(new URL(page.url()).search).toBe("");
  await page.reload();
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  await expect(page.getByText("已从 Word 导入")).toHaveCount(0);
});

test("a renamed .doc is refused at the file field and nothing is created", async ({ pageAs }) => {
  const page = await pageAs(DRAFTER);
  await fillForm(page);
  await page.getByLabel("标题").fill(`旧版Word ${unique()}`);
  const legacy = Buffer.alloc(4096);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(legacy);
  await page
    .getByLabel("从 Word 导入（.docx）")
    .setInputFiles({ name: "旧文件.docx", mimeType: "application/msword", buffer: legacy });
  await page.getByRole("button", { name: "创建并开始起草" }).click();
  const error = page.locator("#f-wordFile-error");
  await expect(error).toHaveText(/这是旧版 Word（\.doc）文件，请在 Word 或 WPS 中另存为 \.docx 后再导入/);
  await expect(page.getByLabel("从 Word 导入（.docx）")).toHaveAttribute("aria-describedby", /f-wordFile-error/);
  await expect(page).toHaveURL(/\/documents\/new$/);
  expect(await axeViolations(page)).toEqual([]);
});

test("a paste from Word keeps its lists and 公文 headings", async ({ pageAs, app }) => {
  const page = await pageAs(DRAFTER);
  const id = await app.createDocument(DRAFTER, { title: `粘贴Word ${unique()}`, type: "MINUTES" });
  await page.goto(`/documents/${id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  const editor = page.getByTestId("editor");
  await editor.click();
  await page.evaluate((html) => {
    const target = document.querySelector("[data-testid=editor] [contenteditable=true]") ?? document.activeElement;
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "粘贴");
    target?.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, WORD_CLIPBOARD_HTML);
  await expect(editor.locator('h2[data-level="1"]', { hasText: "一、总体要求" })).toBeVisible();
  await expect(editor.locator('h3[data-level="2"]', { hasText: "（一）工作目标" })).toBeVisible();
  await expect(editor.locator("ul > li")).toHaveCount(2);
  await expect(editor.locator("ol > li > ol > li", { hasText: "确定议题" })).toBeVisible();
  await expect(editor.locator("table th, table td")).toHaveCount(4);
  await expect(editor).not.toContainText("·");
});
