import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import Database from "better-sqlite3";
import JSZip from "jszip";
import { XSS_ALL_LINES, XSS_PASTE_HTML, XSS_PAYLOADS } from "../fixtures/corpus/xss";
import { expect, test, unique, workerOrigin } from "./fixtures";

/**
 * The XSS corpus in every text the app renders: document titles, editor content (typed and pasted as
 * HTML), version names, tracked-item progress / extension / return reasons, consultation titles and
 * agendas, recommendation 事由 and 问题, org and user names, typical-case titles, the public case
 * pages. Every payload would set `window.__xss = 1`: each page must show the payloads as text, never
 * run them, open no dialog and report no CSP violation (a violation would mean a payload became
 * markup and only the CSP stopped it). The exports carry the payloads as text too.
 */
const P = XSS_PAYLOADS;
const tag = unique();
let checks = 0;

interface Watched {
  page: Page;
  dialogs: string[];
}

async function contextFor(
  browser: Browser,
  signInAs: (page: Page, username: string) => Promise<void>,
  username: string | null,
): Promise<{ context: BrowserContext; w: Watched }> {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  const page = await context.newPage();
  const w: Watched = { page, dialogs: [] };
  page.on("dialog", (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  if (username) await signInAs(page, username);
  return { context, w };
}

/** A form post as the page's own form sends it (same origin). */
async function postForm(page: Page, url: string, fields: Record<string, string>) {
  const res = await page.request.post(url, {
    form: fields,
    headers: { Origin: workerOrigin() },
    maxRedirects: 0,
  });
  expect(res.status(), `${url}: ${(await res.text()).slice(0, 300)}`).toBe(302);
  return res.headers()["location"] ?? "";
}

/** Posts the field with each candidate in turn; the first accepted one (null: the field refuses them all). */
async function postFirstAccepted(
  page: Page,
  url: string,
  fields: (value: string) => Record<string, string>,
  candidates: readonly string[],
) {
  for (const value of candidates) {
    const res = await page.request.post(url, {
      form: fields(value),
      headers: { Origin: workerOrigin() },
      maxRedirects: 0,
    });
    expect(res.status(), url).toBeLessThan(500);
    if (res.status() === 302) return { value, location: res.headers()["location"] ?? "" };
  }
  return null;
}

/** Visits a page and checks: nothing ran, no dialog, no CSP violation, every expected payload shown as text. */
async function visit(w: Watched, url: string, expected: readonly string[]) {
  const res = await w.page.goto(url);
  expect(res?.status(), url).toBeLessThan(400);
  await w.page.waitForLoadState("networkidle");
  // The editor's text arrives over the collab socket.
  if (await w.page.getByTestId("connection").count())
    await expect(w.page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  if (await w.page.getByTestId("editor").count())
    await expect(w.page.getByTestId("editor")).not.toContainText("正在加载");
  const state = await w.page.evaluate(() => {
    const win = window as unknown as {
      __xss?: number;
      __csp: string[];
      __remixRouter?: unknown;
      __remixContext?: unknown;
    };
    return {
      xss: win.__xss,
      csp: win.__csp,
      text: document.body.innerText,
      hydrated: win.__remixRouter !== undefined || win.__remixContext === undefined,
    };
  });
  expect(state.xss, `${url}: a payload ran`).toBeUndefined();
  expect(w.dialogs, `${url}: a dialog opened`).toEqual([]);
  expect(state.csp, `${url}: CSP violations`).toEqual([]);
  expect(state.hydrated, `${url}: Remix did not hydrate under the CSP`).toBe(true);
  const flat = state.text.replace(/\s+/g, "");
  for (const p of expected) {
    expect(flat, `${url}: payload not shown as text: ${p}`).toContain(p.replace(/\s+/g, ""));
    checks++;
  }
  // Markup the payloads would have created.
  const injected = await w.page
    .locator("img[src='x'], svg[onload], details[ontoggle], iframe[srcdoc], [onerror], [onmouseover]")
    .count();
  expect(injected, `${url}: payload markup in the DOM`).toBe(0);
}

test("XSS corpus: every rendered text shows the payloads as text, nothing runs, exports carry them as text", async ({
  browser,
  signInAs,
  server,
}) => {
  test.setTimeout(120_000);
  const db = new Database(server.dbFile);
  const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;
  const orgId = (name: string) => one<{ id: string }>("SELECT id FROM Organization WHERE name = ?", name).id;
  const sfj = orgId("示例市司法局");
  const scjg = orgId("示例市市场监督管理局");
  const procu = orgId("示例市人民检察院");
  const city = one<{ regionId: string }>("SELECT regionId FROM Organization WHERE id = ?", sfj).regionId;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

  // 1. A document: payload title, payloads typed into the editor and pasted as HTML, two named versions.
  const drafter = await contextFor(browser, signInAs, "sfj.drafter");
  const page = drafter.w.page;
  await page.goto("/documents/new");
  await page.getByLabel("标题").fill(P[0]);
  await page.getByLabel("文书类型").selectOption({ label: "会商纪要" });
  await page.getByLabel("示例市中级人民法院的权限").selectOption("WRITE");
  await page.getByRole("button", { name: "创建并开始起草" }).click();
  await page.waitForURL((u) => /^\/documents\/(?!new$)[a-z0-9]+$/.test(u.pathname));
  const docId = page.url().split("/").pop()!;
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  const editor = page.getByTestId("editor");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText(XSS_ALL_LINES.replace(/\n/g, " ¶ "));
  await page.keyboard.press("Enter");
  await page.evaluate((html) => {
    const target = document.querySelector("[data-testid=editor] [contenteditable=true]") ?? document.activeElement;
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "粘贴");
    target?.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, XSS_PASTE_HTML);
  await expect(editor).toContainText("粘贴链接");
  await expect(editor).toContainText(P[1]);
  const versions = `/documents/${docId}/versions`;
  await page.goto(versions);
  await page.getByLabel("版本名称").fill(P[1].slice(0, 40));
  await page.getByRole("button", { name: "保存版本" }).click();
  await expect(page.getByText(/已保存为第\d+版/)).toBeVisible();
  await page.goto(`/documents/${docId}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
  await page.getByTestId("editor").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText(` ${P[2]}`);
  await page.goto(versions);
  await page.getByLabel("版本名称").fill(P[3].slice(0, 40));
  await page.getByRole("button", { name: "保存版本" }).click();
  await expect(page.getByText(/已保存为第\d+版/)).toBeVisible();
  const caseLocation = await postForm(page, "/typical-cases/new", {
    title: P[4],
    ownerOrgId: sfj,
    field: "市场监管",
    batch: "2026年上半年",
    parties: "王某",
  });
  const caseId = caseLocation.split("/").pop()!;

  // 2. The coordinator: a consultation with payload title, place and agenda; an item returned with a payload reason.
  const coord = await contextFor(browser, signInAs, "sfj.coord");
  const consultation = await postForm(coord.w.page, "/consultations/new", {
    kind: "COORDINATION",
    title: P[5],
    series: `XSS测试${tag}`,
    conveningOrgId: sfj,
    date: day(10),
    startTime: "09:00",
    endTime: "10:00",
    place: P[6],
    agenda: XSS_ALL_LINES,
    [`role.${scjg}`]: "ATTENDEE",
  });
  const consultationId = consultation.split("?")[0].split("/").pop()!;
  await postForm(coord.w.page, "/items/demoItem00004", { intent: "sendBack", comment: P[7] });

  // 3. The lead unit: progress with every payload, an extension with a payload reason.
  const lead = await contextFor(browser, signInAs, "scjg.drafter");
  const progress = await lead.w.page.request.post("/items/demoItem00001", {
    multipart: { intent: "progress", text: XSS_ALL_LINES.replace(/\n/g, " ¶ "), newStatus: "IN_PROGRESS" },
    headers: { Origin: workerOrigin() },
    maxRedirects: 0,
  });
  expect(progress.status()).toBe(302);
  await postForm(lead.w.page, "/items/demoItem00001", { intent: "extension", newDate: day(90), reason: P[8] });

  // 4. The procuratorate: a recommendation with payload 事由 and 问题, copied to the justice bureau.
  const liaison = await contextFor(browser, signInAs, "procu.liaison");
  const recLocation = await postForm(liaison.w.page, "/recommendations/new", {
    kind: "PROCURATORIAL",
    docNumber: `示检建〔2026〕${tag}号`,
    title: P[9],
    problems: XSS_ALL_LINES,
    issuerOrgId: procu,
    recipientOrgId: scjg,
    copyOrgIds: sfj,
    issuedOn: day(-3),
    receivedOn: day(-2),
  });
  const recId = recLocation.split("?")[0].split("/").pop()!;

  // 5. The administrator: an org and a user with payload names.
  const admin = await contextFor(browser, signInAs, "admin");
  // Names may refuse markup characters outright; then the first payload they take is checked.
  const org = await postFirstAccepted(
    admin.w.page,
    "/admin/orgs/new",
    (name) => ({ name, shortName: "", kind: "ENFORCEMENT_AGENCY", regionId: city }),
    [P[10], ...P],
  );
  const user = await postFirstAccepted(
    admin.w.page,
    "/admin/users/new",
    (displayName) => ({ username: `xss.${tag}`, displayName, password: "Xss2026corpus", orgId: scjg, role: "VIEWER" }),
    [P[11], ...P],
  );

  // 6. A published case whose title, keywords and body carry payloads (set in the database for speed:
  //    publishing goes through review by two publishers, covered by typical-case-journey.spec.ts).
  //    One of the demo's published cases (prisma/seed-cases.ts), not one another spec just published.
  const publication = one<{ id: string; slug: string; json: string }>(
    "SELECT id, slug, json FROM Publication WHERE slug = ? AND state = 'PUBLISHED' AND current = 1",
    "2026h1-shipin-jingying",
  );
  const body = JSON.parse(publication.json) as { content: unknown[] };
  body.content.push({ type: "paragraph", content: [{ type: "text", text: P.slice(12).join(" ") }] });
  db.prepare("UPDATE Publication SET title = ?, keywords = ?, json = ? WHERE id = ?").run(
    P[12],
    JSON.stringify([P[13], P[14]]),
    JSON.stringify(body),
    publication.id,
  );

  // Every page that shows them.
  const d = drafter.w;
  await visit(d, `/documents/${docId}`, [P[0], ...P]);
  await visit(d, versions, [P[0], P[1].slice(0, 40), P[3].slice(0, 40)]);
  await visit(d, `/documents/${docId}/versions/1`, [P[0], P[1]]);
  await visit(d, `/documents/${docId}/compare?from=1&to=2`, [P[0], P[2]]);
  await visit(d, "/documents", [P[0]]);
  await visit(d, "/", []);
  await visit(d, "/typical-cases", [P[4]]);
  await visit(d, `/documents/${caseId}`, [P[4]]);
  const c = coord.w;
  await visit(c, "/", []);
  await visit(c, "/consultations", [P[5]]);
  await visit(c, `/consultations/${consultationId}`, [P[5], P[6], ...P]);
  await visit(c, "/items/demoItem00004", [P[7]]);
  await visit(c, "/items/demoItem00001", [...P, P[8]]);
  await visit(c, "/ledger", []);
  await visit(c, "/recommendations", [P[9]]);
  await visit(c, `/recommendations/${recId}`, [P[9], ...P]);
  await visit(c, "/recommendations/overview", []);
  const l = lead.w;
  await visit(l, "/", []);
  await visit(l, `/recommendations/${recId}`, [P[9]]);
  const a = admin.w;
  await visit(a, "/admin/orgs", org ? [org.value] : []);
  if (org) await visit(a, org.location.split("?")[0], [org.value]);
  await visit(a, "/admin/users", user ? [user.value] : []);
  if (user) await visit(a, user.location.split("?")[0], [user.value]);
  console.log(
    `[xss-corpus] org name took ${JSON.stringify(org?.value ?? null)}, display name took ${JSON.stringify(user?.value ?? null)}`,
  );
  await visit(a, "/admin/audit", []);
  const anonymous = await contextFor(browser, signInAs, null);
  await visit(anonymous.w, "/cases", [P[12]]);
  await visit(anonymous.w, `/cases/${publication.slug}`, [P[12], P[13], P[14], ...P.slice(12)]);
  db.close();

  // Exports: the payloads are text in Word's XML and in the PDF.
  const docx = await page.request.get(`/documents/${docId}/export/docx`);
  expect(docx.status()).toBe(200);
  const xml = await (await JSZip.loadAsync(await docx.body())).file("word/document.xml")!.async("string");
  expect(xml).toContain("&lt;script&gt;window.__xss=1&lt;/script&gt;");
  expect(xml).not.toMatch(/<(script|img|svg|iframe|details)\b/i);
  const pdf = await page.request.get(`/documents/${docId}/export/pdf`, { timeout: 60_000 });
  expect(pdf.status()).toBe(200);
  const dir = mkdtempSync(path.join(tmpdir(), "xss-pdf-"));
  writeFileSync(path.join(dir, "doc.pdf"), await pdf.body());
  const text = execFileSync("pdftotext", ["-enc", "UTF-8", path.join(dir, "doc.pdf"), "-"], { encoding: "utf8" })
    .replace(/\s+/g, "")
    // Page furniture between two lines of text: the page number and the 草稿 watermark.
    .replace(/—\d+—/g, "")
    .replace(/稿草/g, "");
  for (const p of [P[0], ...P]) {
    expect(text, `PDF text lacks ${p}`).toContain(p.replace(/\s+/g, ""));
    checks++;
  }
  console.log(`[xss-corpus] ${checks} payload×page checks`);
  for (const ctx of [drafter, coord, lead, liaison, admin, anonymous]) await ctx.context.close();
});
