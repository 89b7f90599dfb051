import { test as base, expect, type Locator, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "Demo@2026";

/** Signs in through the real login form. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export const test = base;
export { expect };

/** The editor element: Tiptap keeps its instance on it. */
type EditorElement = HTMLElement & {
  editor?: {
    state: { selection: { from: number; empty: boolean } };
    view: { posAtDOM(node: Node, offset: number): number };
  };
};

/** Clicks into an editor block, retrying until the editor's (collapsed) caret is inside it. */
export async function placeCaretIn(block: Locator): Promise<void> {
  await expect(async () => {
    await block.click();
    const inside = await block.evaluate((el) => {
      const editor = (el.closest('[data-testid="editor"]') as EditorElement | null)?.editor;
      if (!editor) return false;
      const start = editor.view.posAtDOM(el, 0);
      const { from, empty } = editor.state.selection;
      return empty && from >= start && from <= start + (el.textContent ?? "").length;
    });
    expect(inside).toBe(true);
  }).toPass({ timeout: 10_000 });
}
