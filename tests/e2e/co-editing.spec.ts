import type { Page } from "@playwright/test";
import { expect, placeCaretIn, test, unique } from "./fixtures";

async function openDocument(page: Page, id: string) {
  await page.goto(`/documents/${id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

/** The document text without other people's caret labels. */
async function editorText(page: Page): Promise<string> {
  return page.getByTestId("editor").evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return copy.textContent ?? "";
  });
}

/** Creates a document through the form, with the court as co-drafter; returns its id once synced. */
async function createDocumentWithCourt(page: Page, title: string): Promise<string> {
  await page.goto("/documents/new");
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("文书类型").selectOption({ label: "会商纪要" });
  await page.getByLabel("示例市中级人民法院的权限").selectOption("WRITE");
  await page.getByRole("button", { name: "创建并开始起草" }).click();
  await page.waitForURL((u) => /^\/documents\/(?!new$)[a-z0-9]+$/.test(u.pathname));
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  return page.url().split("/").pop()!;
}

/**
 * Resolves once IndexedDB has committed every update the editor's offline cache has written so far:
 * a read-only transaction on its store starts only after the read-write ones created before it end.
 */
async function offlineCacheFlushed(page: Page, documentId: string): Promise<void> {
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction("updates", "readonly");
          tx.objectStore("updates").count();
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    `consult-doc-${documentId}`,
  );
}

/** The text of the page's network document (what the provider syncs), which can run ahead of the editor. */
async function networkDocText(page: Page): Promise<string> {
  return page.getByTestId("editor").evaluate((el) => {
    type Caret = {
      name: string;
      options: { provider?: { doc: { getXmlFragment(name: string): { toString(): string } } } };
    };
    const editor = (el as HTMLElement & { editor?: { extensionManager: { extensions: Caret[] } } }).editor;
    const provider = editor?.extensionManager.extensions.find((e) => e.name === "collaborationCaret")?.options.provider;
    return provider?.doc.getXmlFragment("default").toString() ?? "";
  });
}

async function typeAtEnd(page: Page, text: string) {
  const editor = page.getByTestId("editor");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

test("two agencies co-edit one document live, and offline edits survive closing the tab", async ({ pageAs }) => {
  const a = await pageAs("sfj.drafter");
  const b = await pageAs("court.drafter");
  const court = b.context();

  // 示例市司法局's drafter creates the document with the court as co-drafter.
  const id = await createDocumentWithCourt(a, `府院联动会商纪要 ${unique()}`);
  await openDocument(b, id);

  // Live: each sees the other's text and caret label within a second.
  await typeAtEnd(a, "司法局意见：依法推进。");
  await expect(b.getByTestId("editor")).toContainText("司法局意见：依法推进。", { timeout: 1000 });
  await typeAtEnd(b, "法院意见：同意。");
  await expect(a.getByTestId("editor")).toContainText("法院意见：同意。", { timeout: 1000 });
  await expect(a.locator(".collaboration-carets__label", { hasText: "刘洋" })).toBeVisible({ timeout: 1000 });
  await expect(b.locator(".collaboration-carets__label", { hasText: "张伟" })).toBeVisible({ timeout: 1000 });
  await expect(a.getByTestId("presence")).toContainText("示例市中级人民法院");

  // The court goes offline and keeps typing while the justice bureau types too.
  await court.setOffline(true);
  await expect(b.getByTestId("connection")).not.toHaveAttribute("data-state", "synced", { timeout: 10_000 });
  await typeAtEnd(b, "【离线补充意见】");
  await expect(b.getByTestId("connection")).toContainText("未同步");
  await typeAtEnd(a, "【在线补充意见】");
  await expect(b.getByTestId("editor")).not.toContainText("【在线补充意见】");
  // Close the tab while still offline, once IndexedDB holds the offline edits.
  await offlineCacheFlushed(b, id);
  await b.close();
  await court.setOffline(false);

  const b2 = await court.newPage();
  await openDocument(b2, id);
  await expect(b2.getByTestId("editor")).toContainText("【离线补充意见】");
  await expect(b2.getByTestId("editor")).toContainText("【在线补充意见】");
  await expect(a.getByTestId("editor")).toContainText("【离线补充意见】");
  const [textA, textB] = [await editorText(a), await editorText(b2)];
  expect(textA).toBe(textB);
  for (const part of ["司法局意见：依法推进。", "法院意见：同意。", "【离线补充意见】", "【在线补充意见】"])
    expect(textA).toContain(part);
});

test("an uninvited agency gets a Chinese 403 page for the document", async ({ pageAs }) => {
  const page = await pageAs("sthj.drafter");
  await page.goto("/documents/new");
  await page.getByLabel("标题").fill("生态环境局内部草稿");
  await page.getByLabel("文书类型").selectOption({ label: "联合挂牌督办清单" });
  await page.getByRole("button", { name: "创建并开始起草" }).click();
  await page.waitForURL((u) => /^\/documents\/(?!new$)[a-z0-9]+$/.test(u.pathname));
  const id = page.url().split("/").pop()!;
  const other = await pageAs("court.liaison");
  const res = await other.goto(`/documents/${id}`);
  expect(res?.status()).toBe(403);
  await expect(other.getByRole("heading", { name: "无权访问" })).toBeVisible();
});

test("a remote edit arriving mid-composition (拼音输入) neither breaks nor duplicates the composed text", async ({
  pageAs,
}) => {
  const a = await pageAs("sfj.drafter");
  const b = await pageAs("court.drafter");
  const id = await createDocumentWithCourt(a, `输入法测试 ${unique()}`);
  await typeAtEnd(a, "议定事项：");
  await openDocument(b, id);
  await expect(b.getByTestId("editor")).toContainText("议定事项：");

  // A composes with an input method while B types elsewhere in the same paragraph.
  const cdp = await a.context().newCDPSession(a);
  await a.getByTestId("editor").click();
  await a.keyboard.press("Control+End");
  await cdp.send("Input.imeSetComposition", { text: "huishang", selectionStart: 8, selectionEnd: 8 });
  await b.getByTestId("editor").click();
  await b.keyboard.press("Control+Home");
  await b.keyboard.type("【法院】");
  // The remote text has reached A's document but, A still composing, waits outside the editor.
  await expect.poll(() => networkDocText(a)).toContain("【法院】");
  await expect(a.getByTestId("editor")).not.toContainText("【法院】");
  await cdp.send("Input.insertText", { text: "会商" });
  await expect(a.getByTestId("editor")).toContainText("【法院】", { timeout: 2000 });
  await expect(b.getByTestId("editor")).toContainText("议定事项：会商", { timeout: 2000 });
  const finalA = await editorText(a);
  expect(finalA).toBe(await editorText(b));
  expect(finalA.match(/会商/g)?.length).toBe(1);
  expect(finalA).not.toContain("huishang");
});

/** The editor's top-level blocks as text (without caret labels), from the first block whose text is `from`. */
async function blocksFrom(page: Page, from: string): Promise<string[]> {
  const all = await page.getByTestId("editor").evaluate((el) =>
    Array.from(el.children).map((child) => {
      const copy = child.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
      return copy.textContent ?? "";
    }),
  );
  return all.slice(Math.max(0, all.indexOf(from)));
}

/** Clicks into the (empty) block right after the block whose text is `after`, until the caret is in it. */
async function caretInto(page: Page, after: string) {
  await placeCaretIn(
    page.getByTestId("editor").locator(`xpath=./*[normalize-space(.)="${after}"]/following-sibling::*[1]`),
  );
}

test("a caret in an empty paragraph stays put while a co-editor fills or adds empty paragraphs above it", async ({
  pageAs,
}) => {
  const a = await pageAs("sfj.drafter");
  const b = await pageAs("court.drafter");
  const id = await createDocumentWithCourt(a, `空段落光标测试 ${unique()}`);
  // 【一】, empty, 【二】, empty, 【三】, empty.
  await typeAtEnd(a, "【一】");
  for (const next of ["", "【二】", "", "【三】", ""]) {
    await a.keyboard.press("Enter");
    if (next) await a.keyboard.type(next);
  }
  await openDocument(b, id);
  await expect.poll(() => blocksFrom(b, "【一】")).toEqual(["【一】", "", "【二】", "", "【三】", ""]);

  // B waits in the empty paragraph under 【二】 while A fills the empty one under 【一】.
  await caretInto(b, "【二】");
  await caretInto(a, "【一】");
  await a.keyboard.type("司法局补充");
  await expect.poll(() => blocksFrom(b, "【一】")).toEqual(["【一】", "司法局补充", "【二】", "", "【三】", ""]);
  await b.keyboard.type("法院意见");
  await expect
    .poll(() => blocksFrom(a, "【一】"))
    .toEqual(["【一】", "司法局补充", "【二】", "法院意见", "【三】", ""]);

  // B opens a new empty paragraph and waits there while A adds an empty paragraph above it.
  await b.keyboard.press("Enter");
  await expect
    .poll(() => blocksFrom(a, "【一】"))
    .toEqual(["【一】", "司法局补充", "【二】", "法院意见", "", "【三】", ""]);
  await a.keyboard.press("Enter");
  await expect
    .poll(() => blocksFrom(b, "【一】"))
    .toEqual(["【一】", "司法局补充", "", "【二】", "法院意见", "", "【三】", ""]);
  await b.keyboard.type("法院再补充");
  const expected = ["【一】", "司法局补充", "", "【二】", "法院意见", "法院再补充", "【三】", ""];
  await expect.poll(() => blocksFrom(a, "【一】")).toEqual(expected);
  await expect.poll(() => blocksFrom(b, "【一】")).toEqual(expected);
});
