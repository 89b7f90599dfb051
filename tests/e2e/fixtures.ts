import { test as base, expect, type BrowserContextOptions, type Locator, type Page } from "@playwright/test";
import { startServer, type E2eServer } from "./servers";
import type { AppAccess } from "./app-access";

export const DEMO_PASSWORD = "Demo@2026";

/**
 * Signs in through the real login form. Only the specs about signing in use it; the others sign in
 * with `signInAs` (a session inserted into the worker's database, as the integration tests do).
 */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

let origin: string | undefined;
/** This worker's server origin (e.g. for an Origin header), once the `server` fixture has started it. */
export function workerOrigin(): string {
  if (!origin) throw new Error("the worker's server has not started: use the server (or page) fixture first");
  return origin;
}

interface WorkerFixtures {
  /** This worker's own app server and database (tests/e2e/servers.ts). */
  server: E2eServer;
  /** The app's services and Prisma client in the test process, on this worker's database. */
  app: AppAccess;
}

interface TestFixtures {
  /**
   * Signs the page's browser context in as a demo user: a Lucia session row created with the app's
   * own `getLucia().createSession` in this worker's database, its cookie set for the server's
   * origin. Does not navigate.
   */
  signInAs: (page: Page, username: string) => Promise<void>;
  /**
   * A new browser context signed in as `username` and a page in it (at about:blank); the context is
   * closed when the test ends.
   */
  pageAs: (username: string | null, options?: BrowserContextOptions) => Promise<Page>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide, workerInfo) => {
      const server = await startServer(workerInfo.parallelIndex);
      origin = server.origin;
      await provide(server);
      await server.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
  app: [
    async ({ server }, provide) => {
      // Before the first use of the app's Prisma client, which reads it once.
      process.env.DATABASE_URL = `file:./${server.dbFile}`;
      const { loadAppAccess } = await import("./app-access");
      const app = await loadAppAccess();
      await provide(app);
      await app.close();
    },
    { scope: "worker", timeout: 60_000 },
  ],
  baseURL: async ({ server }, provide) => {
    await provide(server.origin);
  },
  signInAs: async ({ app, server }, provide) => {
    await provide(async (page, username) => {
      const { name, value } = await app.sessionCookie(username);
      await page.context().addCookies([{ name, value, url: server.origin, httpOnly: true, sameSite: "Lax" }]);
    });
  },
  pageAs: async ({ browser, signInAs }, provide) => {
    const contexts: Array<{ close(): Promise<void> }> = [];
    await provide(async (username, options) => {
      const context = await browser.newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      if (username) await signInAs(page, username);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };

let uniqueCounter = 0;
/** A suffix no other test of this run uses (worker processes and their restarts included). */
export function unique(): string {
  return `${Date.now().toString(36)}${process.pid.toString(36)}${(uniqueCounter++).toString(36)}`;
}

/** A form post as the page's own form sends it (same origin, the page's session); returns the redirect. */
export async function postForm(page: Page, url: string, fields: Record<string, string>): Promise<string> {
  const res = await page.request.post(url, { form: fields, headers: { Origin: workerOrigin() }, maxRedirects: 0 });
  expect(res.status(), `${url}: ${(await res.text()).slice(0, 300)}`).toBe(302);
  return res.headers()["location"] ?? "";
}

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
