import { test, type Page } from "@playwright/test";
import { DEMO_USERS } from "../../prisma/seed";
import { CRAWL_START, linksIn, pageKind } from "./crawl";
import { DEMO_PASSWORD, expect } from "./fixtures";
import { startServer, type E2eServer } from "./servers";

/**
 * For every demo role, signed in with the login form's request: every kind of page the links (and
 * redirects) reach, and on each every button of a `<form method="post">` (closed dialogs and details
 * included) pressed as the browser would submit it — none answers 403 (a page offers only what its
 * user may do) nor 500.
 *
 * Pressing buttons changes data, so the crawl has its own server on its own copy of the demo database
 * (never a worker's). Roles run one after another, the administrators last; nothing signs out,
 * deactivates a user or an organization, resets a password or takes a role away, so every later
 * sign-in still works. Blank fields are filled in as a user would before pressing, so that the
 * server's check of the input lets the request through to the authorization behind it.
 */

/** Beyond the workers' ports (E2E_PORT + parallelIndex). */
const SERVER_INDEX = 20;
/** Addresses per role. */
const MAX_PAGES = 40;

/** One submit button of a form on the page, as collected in the browser. */
interface Submitter {
  form: number;
  button: number;
  /** The form's action: path and query. */
  action: string;
  intent: string;
  label: string;
  /** The form holds an unchecked 启用 (active) box: sending it would deactivate its user or organization. */
  deactivates: boolean;
}

interface Pressed {
  role: string;
  page: string;
  submitter: Submitter;
  status: number;
  message: string;
}

/** Administrators last (their buttons change users and units), `admin` the very last. */
const ROLES = [
  ...DEMO_USERS.filter((u) => u.role !== "ADMIN"),
  ...DEMO_USERS.filter((u) => u.role === "ADMIN" && u.username !== "admin"),
  ...DEMO_USERS.filter((u) => u.username === "admin"),
];

/** Buttons the crawl leaves alone: they end the session or lock someone out of the later sign-ins. */
function skipped(s: Submitter): boolean {
  if (/^\/logout\b/.test(s.action)) return true;
  if (/^(退出|登出|注销|停用|禁用|重置密码)/.test(s.label)) return true;
  if (s.intent === "resetPassword" || s.intent === "removeMembership") return true;
  return s.deactivates;
}

/** The same button wherever it shows: the shell's forms on every page count once per role. */
function buttonKey(s: Submitter): string {
  return `${pageKind(s.action)}|${s.intent}|${s.label.replace(/\d+/g, "#")}`;
}

/** Runs in the page: every enabled submit button of every post form, in document order. */
function collectSubmitters(): Submitter[] {
  const out: Submitter[] = [];
  document.querySelectorAll("form").forEach((form, f) => {
    if (form.method !== "post") return;
    const buttons = [...form.elements].filter(
      (el): el is HTMLButtonElement | HTMLInputElement =>
        (el instanceof HTMLButtonElement && el.type === "submit") ||
        (el instanceof HTMLInputElement && (el.type === "submit" || el.type === "image")),
    );
    buttons.forEach((b, i) => {
      if (b.matches(":disabled")) return;
      const url = new URL(form.action || location.href);
      const intent = new FormData(form, b).get("intent");
      const text = (b instanceof HTMLButtonElement ? b.textContent : b.value) ?? "";
      out.push({
        form: f,
        button: i,
        action: url.pathname + url.search,
        intent: typeof intent === "string" ? intent : "",
        label: (text.trim() || b.getAttribute("aria-label") || b.title || "").replace(/\s+/g, " ").slice(0, 40),
        deactivates: form.querySelector('input[type="checkbox"][name="active"]:not(:checked)') !== null,
      });
    });
  });
  return out;
}

/**
 * Runs in the page: submits one form with one of its buttons as the browser would (same origin, so
 * the Origin header and the session cookie go with it; the form's own encoding), without the
 * browser's own checks. Blank fields get a plausible value first, as a user would fill them in, so
 * that the server's check of the input lets the request through to its authorization (one's current
 * password stays blank). Answers the status (a redirect as 302) and the refusal's message.
 */
async function submit({ form: f, button: i, org }: { form: number; button: number; org: string }) {
  const form = document.querySelectorAll("form")[f];
  const buttons = [...form.elements].filter(
    (el) =>
      (el instanceof HTMLButtonElement && el.type === "submit") ||
      (el instanceof HTMLInputElement && (el.type === "submit" || el.type === "image")),
  ) as HTMLElement[];
  const data = new FormData(form, buttons[i]);
  const day = (iso: string, days: number) =>
    new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const inAMonth = day(new Date().toISOString().slice(0, 10), 30);
  // Unique, so that what one role creates never makes another's name a duplicate.
  const tag = Date.now().toString(36).slice(-6);
  const digits = () => String(Date.now()).slice(-8);
  const password = `Xunjian@${digits()}`;
  const text = (el: HTMLInputElement | HTMLTextAreaElement) => {
    // Codes are digits, user names and slugs lower-case letters; anything else takes Chinese text.
    const candidates = /code$/i.test(el.name)
      ? [digits()]
      : /username|slug/i.test(el.name)
        ? [`xunjian-${tag}`]
        : [`按钮巡检${tag}`, `xunjian-${tag}`, digits()];
    const pattern = el instanceof HTMLInputElement && el.pattern ? new RegExp(`^(?:${el.pattern})$`, "v") : null;
    const value = candidates.find((c) => !pattern || pattern.test(c)) ?? candidates[0];
    return el.maxLength > 0 ? value.slice(0, el.maxLength) : value;
  };
  const chosen = new Set<string>();
  let mine = false;
  // A textarea without a name (the @-mention box) sends its text in a hidden field.
  const mentionBox = form.querySelector("textarea:not([name])");
  for (const el of form.elements) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement))
      continue;
    if (!el.name || el.disabled) continue;
    const current = data.get(el.name);
    if (el instanceof HTMLSelectElement) {
      // A placeholder (请选择…) is blank; a real empty choice (不变) is left as it is.
      const placeholder = el.selectedOptions[0]?.disabled || /请选择|^\s*[—-]/.test(el.selectedOptions[0]?.text ?? "");
      const options = [...el.options].filter((o) => o.value !== "" && !o.disabled && !chosen.has(o.value));
      // Among units, the user's own first (as issuer or recipient, say), once.
      const own: HTMLOptionElement | undefined = mine ? undefined : options.find((o) => o.text.startsWith(org));
      const option: HTMLOptionElement | undefined = own ?? options[0];
      if (current === "" && option && !el.multiple && (el.required || placeholder)) {
        data.set(el.name, option.value);
        chosen.add(option.value);
        mine ||= option === own;
      }
      continue;
    }
    if (el instanceof HTMLTextAreaElement) {
      if (current === "") data.set(el.name, text(el));
      continue;
    }
    const t = el.type;
    if (t === "hidden") {
      if (mentionBox && current === "" && /^(text|body|comment)$/.test(el.name)) data.set(el.name, `按钮巡检${tag}`);
    } else if (t === "checkbox") {
      if (el.required && current === null) data.set(el.name, el.value || "on");
    } else if (t === "radio") {
      if (current === null) data.set(el.name, el.value);
    } else if (t === "file") {
      if (current instanceof File && current.size === 0)
        data.set(
          el.name,
          new File(["%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"], "巡检.pdf", { type: "application/pdf" }),
        );
    } else if (current === "" && !["search", "submit", "image", "button", "reset"].includes(t)) {
      let value = text(el);
      if (t === "password") {
        // A new user's first password; one's own current password stays blank (a wrong one counts
        // against the sign-in throttle).
        if (/current/i.test(el.name)) continue;
        value = password;
      } else if (t === "date") {
        // Later than a minimum (a deadline to extend), never past a maximum (today, for a date received).
        value = el.min && day(el.min, 30) > inAMonth ? day(el.min, 30) : inAMonth;
        if (el.max && value > el.max) value = el.max;
      } else if (t === "time") value = /end/i.test(el.name) ? "11:00" : "09:00";
      else if (t === "datetime-local") value = `${inAMonth}T09:00`;
      else if (t === "number" || t === "range") value = el.min || "1";
      else if (t === "email") value = "check@example.cn";
      else if (t === "url") value = "https://example.cn/";
      data.set(el.name, value);
    }
  }
  let body: FormData | URLSearchParams = data;
  if (form.enctype !== "multipart/form-data") {
    body = new URLSearchParams();
    for (const [k, v] of data) if (typeof v === "string") body.append(k, v);
  }
  const res = await fetch(form.action || location.href, {
    method: "POST",
    body,
    redirect: "manual",
    credentials: "same-origin",
    headers: { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" },
  });
  if (res.type === "opaqueredirect") return { status: 302, message: "" };
  const html = res.status >= 400 ? await res.text() : "";
  // The refusal's message: in the page's streamed Remix context (past the values sent back to the
  // form), or a JSON body.
  const context = html.slice(Math.max(0, html.search(/\\"(?:error|message)\\"/)));
  const message =
    [...context.matchAll(/\\"([^\\"]*\p{Script=Han}[^\\"]*)\\"/gu)].find((m) => !m[1].includes(tag))?.[1] ??
    /"(?:error|message)":"([^"]{1,200})"/.exec(html)?.[1] ??
    /<title>([^<]*)<\/title>/.exec(html)?.[1] ??
    html.slice(0, 120);
  return { status: res.status, message: message.replace(/\s+/g, " ").trim() };
}

/**
 * Whether a page has buttons to press: a post form other than the shell's 退出 in its HTML. (What
 * renders only in the browser, a document's editor, holds no post form: its comments and settings
 * are sent by script.)
 */
function hasButtons(html: string): boolean {
  for (const m of html.matchAll(/<form\b[^>]*>/g))
    if (/\smethod="post"/i.test(m[0]) && !/\saction="\/logout"/.test(m[0])) return true;
  return false;
}

/**
 * Signs in with the login form's own request (its fields, from this origin): the session cookie lands
 * in the context. The form itself is sign-in.spec.ts's subject; here a browser round trip per role
 * would cost a second each.
 */
async function signIn(page: Page, origin: string, username: string): Promise<void> {
  const res = await page.request.post("/login", {
    form: { username, password: DEMO_PASSWORD },
    headers: { Origin: origin },
    maxRedirects: 0,
  });
  expect(res.status(), `${username} signs in`).toBe(302);
  expect(res.headers()["location"], `${username} signs in`).toBe("/");
}

/** The app's client router (Remix puts it on window). */
interface RouterWindow {
  __remixRouter?: {
    navigate(to: string): Promise<void>;
    state: { navigation: { state: string }; location: { pathname: string; search: string }; errors: unknown };
  };
}

/**
 * Runs in the page: whether React has committed the router's current state (router updates render
 * as transitions, after `navigate` has resolved). The router's provider keeps the state it last
 * rendered in its first hook; it sits a few levels under the root, along first children.
 */
function routerRendered(): boolean {
  interface Fiber {
    child: Fiber | null;
    sibling: Fiber | null;
    memoizedState: { memoizedState?: unknown } | null;
  }
  const router = (window as RouterWindow).__remixRouter;
  const key = Object.keys(document).find((k) => k.startsWith("__reactContainer$"));
  if (!router || !key) return false;
  const container = (document as unknown as Record<string, { stateNode: { current: Fiber } }>)[key];
  const stack = [container.stateNode.current];
  for (let n = 0; stack.length && n < 500; n++) {
    const fiber = stack.pop()!;
    if (fiber.memoizedState?.memoizedState === router.state) return true;
    if (fiber.sibling) stack.push(fiber.sibling);
    if (fiber.child) stack.push(fiber.child);
  }
  return false;
}

/**
 * Opens a page in the browser, as its user would get there: the first of a role's session loaded
 * and hydrated; the next ones by the app's own client navigation (a link's click: the route's data
 * fetched and rendered by the hydrated app, without loading and hydrating the scripts again), the
 * same address again (its loaders run again) when a button has changed what it shows. Answers
 * whether the page rendered.
 */
async function open(page: Page, url: string, fresh: boolean): Promise<boolean> {
  const inApp = !fresh && (await page.evaluate(() => "__remixRouter" in window));
  if (inApp) {
    const ok = await page.evaluate(async (to) => {
      const router = (window as RouterWindow).__remixRouter!;
      await router.navigate(to);
      const { navigation, location, errors } = router.state;
      return navigation.state === "idle" && location.pathname + location.search === to && !errors;
    }, url);
    await page.waitForFunction(routerRendered, undefined, { polling: "raf" });
    // The new page's first effects.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    return ok;
  }
  const res = await page.goto(url, { waitUntil: "domcontentloaded" });
  if (res?.status() !== 200) return false;
  // Hydrated (the public case pages are plain HTML: nothing to hydrate), and the first effects run.
  await page.waitForFunction(() => {
    if (!("__remixContext" in window)) return true;
    const el = document.querySelector("main") ?? document.body;
    return Object.keys(el).some((k) => k.startsWith("__reactFiber"));
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  return true;
}

/** Downloads (exports, attachments, feeds) are no pages: no forms, and a PDF export costs a browser. */
function isDownload(href: string): boolean {
  return /\/export\b|\.(xlsx|ics|xml|pdf|docx)(\?|$)|\/files\/|\/attachments\//.test(href);
}

/**
 * One role's crawl, in the page's context (signed in as the role): the buttons pressed go to
 * `pressed`, the pages that refuse the role or fail to `refused`. Answers the pages visited.
 */
async function crawlRole(
  page: Page,
  origin: string,
  user: { username: string; org: string },
  pressed: Pressed[],
  refused: string[],
) {
  const seen = new Set<string>();
  const queue = [...CRAWL_START];
  const kinds = new Set(queue.map(pageKind));
  const done = new Set<string>();
  let pages = 0;
  // The browser still shows the previous role's app: the role's first page is loaded afresh.
  let fresh = true;
  while (queue.length && seen.size < MAX_PAGES) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await page.request.get(url, { maxRedirects: 0 });
    if (res.status() === 403 || res.status() >= 500) refused.push(`${res.status()} GET ${url} (role ${user.username})`);
    // A page that sends elsewhere (/admin → its first section): the page it sends to, next.
    const location = res.status() >= 300 && res.status() < 400 ? res.headers()["location"] : undefined;
    const to = location ? new URL(location, origin) : null;
    if (to?.origin === origin) {
      const href = to.pathname + to.search;
      if (!kinds.has(pageKind(href)) && !seen.has(href)) {
        kinds.add(pageKind(href));
        queue.unshift(href);
      }
    }
    if (res.status() !== 200 || !(res.headers()["content-type"] ?? "").includes("text/html")) continue;
    pages++;
    const html = await res.text();
    // Breadth first, one address per kind of page (as the link crawl of pages.spec.ts).
    for (const href of linksIn(html)) {
      const kind = pageKind(href);
      if (kinds.has(kind) || isDownload(href)) continue;
      kinds.add(kind);
      if (!seen.has(href)) queue.push(href);
    }
    if (!hasButtons(html) || !(await open(page, url, fresh))) continue;
    fresh = false;
    // One button at a time. After one that did something, and if others are left, the page again as
    // it now is: a button it no longer offers is not pressed.
    for (;;) {
      const left = (await page.evaluate(collectSubmitters)).filter((s) => !skipped(s) && !done.has(buttonKey(s)));
      const next = left[0];
      if (!next) break;
      done.add(buttonKey(next));
      const { status, message } = await page.evaluate(submit, { form: next.form, button: next.button, org: user.org });
      pressed.push({ role: user.username, page: url, submitter: next, status, message });
      if (status >= 400) continue;
      if (left.length === 1 || !(await open(page, url, false))) break;
    }
  }
  return pages;
}

function report(pressed: Pressed[]) {
  const counts = new Map<number, number>();
  for (const p of pressed) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const statuses = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
  const line = (p: Pressed) =>
    `${p.status} POST ${p.submitter.action}${p.submitter.intent ? ` intent=${p.submitter.intent}` : ""} ` +
    `(button ${p.submitter.label || "?"}, role ${p.role}, on ${p.page})${p.message ? `: ${p.message}` : ""}`;
  return { statuses: statuses.join(", "), lines: pressed.map(line), line };
}

test.describe("form buttons", () => {
  test.describe.configure({ mode: "serial" });
  let server: E2eServer;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer(SERVER_INDEX);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("every demo role, on every kind of page: no form button answers 403 or 500", async ({ browser }) => {
    test.setTimeout(180_000);
    const started = Date.now();
    const pressed: Pressed[] = [];
    const refused: string[] = [];
    let pages = 0;
    // One context for all roles (its cache keeps the app's scripts), its cookies cleared between them.
    const context = await browser.newContext({ baseURL: server.origin });
    const page = await context.newPage();
    for (const user of ROLES) {
      await test.step(`${user.username} (${user.org} · ${user.role})`, async () => {
        await page.goto("about:blank");
        await context.clearCookies();
        await signIn(page, server.origin, user.username);
        pages += await crawlRole(page, server.origin, user, pressed, refused);
      });
    }
    await context.close();
    const { statuses, lines, line } = report(pressed);
    const seconds = Math.round((Date.now() - started) / 1000);
    const summary = `${ROLES.length} roles, ${pages} pages, ${pressed.length} buttons pressed in ${seconds} s; statuses ${statuses}`;
    console.log(summary);
    // E2E_CRAWL_LOG=1: every button pressed, with its answer.
    if (process.env.E2E_CRAWL_LOG) console.log(lines.join("\n"));
    await test.info().attach("buttons pressed", { body: [summary, ...lines].join("\n"), contentType: "text/plain" });
    refused.push(...pressed.filter((p) => p.status === 403 || p.status >= 500).map(line));
    expect(refused, "pages and buttons offered that the server refuses").toEqual([]);
    expect(pages, "pages visited").toBeGreaterThan(ROLES.length * 5);
    expect(pressed.length, "buttons pressed").toBeGreaterThan(ROLES.length);
  });
});
