import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContextOptions, Page } from "@playwright/test";
import JSZip from "jszip";
import { XSS_ALL_LINES, XSS_PASTE_HTML, XSS_PAYLOADS } from "../fixtures/corpus/xss";
import type { AppAccess } from "./app-access";
import { expect, postForm, test, unique, workerOrigin } from "./fixtures";

/**
 * The XSS corpus in every text the app renders: document titles, editor content (typed and pasted as
 * HTML), version names, tracked-item progress / extension / return reasons, consultation titles and
 * agendas, recommendation 事由 and 问题, org and user names, typical-case titles, the public case
 * pages. Every payload would set `window.__xss = 1`: each page must show the payloads as text, never
 * run them, open no dialog and report no CSP violation (a violation would mean a payload became
 * markup and only the CSP stopped it). The exports carry the payloads as text too. One test per kind
 * of text, each creating its own data.
 */
const P = XSS_PAYLOADS;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

interface Watched {
  page: Page;
  dialogs: string[];
}

type PageAs = (username: string | null, options?: BrowserContextOptions) => Promise<Page>;

/** A page (signed in as `username`, or anonymous) that records CSP violations and dialogs. */
async function watched(pageAs: PageAs, username: string | null): Promise<Watched> {
  const page = await pageAs(username);
  await page.context().addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  const w: Watched = { page, dialogs: [] };
  page.on("dialog", (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  return w;
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

/** Finalized minutes of 市司法局 with one tracked item led by 市场监管局 (through the services); its id. */
async function trackedItem(app: AppAccess): Promise<string> {
  const documentId = await app.createDocument("sfj.drafter", {
    title: `XSS测试纪要 ${unique()}`,
    type: "MINUTES",
    writers: ["示例市市场监督管理局"],
  });
  const item = app.itemBlock(`XSS测试事项 ${unique()}`, {
    leadOrgId: await app.orgId("示例市市场监督管理局"),
    dueDate: day(30),
    feedbackCycle: "MONTHLY",
  });
  await app.appendContent(documentId, [item]);
  await app.finalize(documentId, "sfj.drafter", ["scjg.drafter"]);
  return String(item.attrs?.itemId);
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
  }
  // Markup the payloads would have created.
  const injected = await w.page
    .locator("img[src='x'], svg[onload], details[ontoggle], iframe[srcdoc], [onerror], [onmouseover]")
    .count();
  expect(injected, `${url}: payload markup in the DOM`).toBe(0);
}

test("a document: the payloads as its title, typed and pasted into the editor, and as version names", async ({
  pageAs,
}) => {
  const d = await watched(pageAs, "sfj.drafter");
  const page = d.page;
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

  await visit(d, `/documents/${docId}`, [P[0], ...P]);
  await visit(d, versions, [P[0], P[1].slice(0, 40), P[3].slice(0, 40)]);
  await visit(d, `/documents/${docId}/versions/1`, [P[0], P[1]]);
  await visit(d, `/documents/${docId}/compare?from=1&to=2`, [P[0], P[2]]);
  await visit(d, "/documents", [P[0]]);
  await visit(d, "/", []);
});

test("a document's Word and PDF exports carry the payloads as text", async ({ pageAs, app }) => {
  const page = await pageAs("sfj.drafter");
  const docId = await app.createDocument("sfj.drafter", { title: P[0], type: "MINUTES" });
  await app.appendContent(docId, [app.paragraph(XSS_ALL_LINES.replace(/\n/g, " ¶ ")), app.paragraph(P[2])]);

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
  for (const p of [P[0], ...P]) expect(text, `PDF text lacks ${p}`).toContain(p.replace(/\s+/g, ""));
});

test("a typical case's title, in the batch list and on its page", async ({ pageAs, app }) => {
  const d = await watched(pageAs, "sfj.drafter");
  const caseLocation = await postForm(d.page, "/typical-cases/new", {
    title: P[4],
    ownerOrgId: await app.orgId("示例市司法局"),
    field: "市场监管",
    batch: "2026年上半年",
    parties: "王某",
  });
  const caseId = caseLocation.split("/").pop()!;
  await visit(d, "/typical-cases", [P[4]]);
  await visit(d, `/documents/${caseId}`, [P[4]]);
});

test("a consultation's title, place and agenda", async ({ pageAs, app }) => {
  const c = await watched(pageAs, "sfj.coord");
  const consultation = await postForm(c.page, "/consultations/new", {
    kind: "COORDINATION",
    title: P[5],
    series: `XSS测试${unique()}`,
    conveningOrgId: await app.orgId("示例市司法局"),
    date: day(10),
    startTime: "09:00",
    endTime: "10:00",
    place: P[6],
    agenda: XSS_ALL_LINES,
    [`role.${await app.orgId("示例市市场监督管理局")}`]: "ATTENDEE",
  });
  const consultationId = consultation.split("?")[0]!.split("/").pop()!;
  await visit(c, "/", []);
  await visit(c, "/consultations", [P[5]]);
  await visit(c, `/consultations/${consultationId}`, [P[5], P[6], ...P]);
});

test("tracked items: progress reports, an extension reason and a return reason", async ({ pageAs, app }) => {
  const returned = await trackedItem(app);
  const reported = await trackedItem(app);
  await app.reportProgress("scjg.drafter", returned, "已完成。", "DONE");
  const c = await watched(pageAs, "sfj.coord");
  const lead = await watched(pageAs, "scjg.drafter");
  // The coordinator sends a completed item back with a payload reason.
  await postForm(c.page, `/items/${returned}`, { intent: "sendBack", comment: P[7] });
  // The lead unit: progress with every payload, an extension with a payload reason.
  const progress = await lead.page.request.post(`/items/${reported}`, {
    multipart: { intent: "progress", text: XSS_ALL_LINES.replace(/\n/g, " ¶ "), newStatus: "IN_PROGRESS" },
    headers: { Origin: workerOrigin() },
    maxRedirects: 0,
  });
  expect(progress.status()).toBe(302);
  await postForm(lead.page, `/items/${reported}`, { intent: "extension", newDate: day(90), reason: P[8] });

  await visit(c, `/items/${returned}`, [P[7]]);
  await visit(c, `/items/${reported}`, [...P, P[8]]);
  await visit(c, "/ledger", []);
});

test("a recommendation's 事由 and 问题, for the justice bureau and the recipient", async ({ pageAs, app }) => {
  const liaison = await watched(pageAs, "procu.liaison");
  const recLocation = await postForm(liaison.page, "/recommendations/new", {
    kind: "PROCURATORIAL",
    docNumber: `示检建〔2026〕${unique()}号`,
    title: P[9],
    problems: XSS_ALL_LINES,
    issuerOrgId: await app.orgId("示例市人民检察院"),
    recipientOrgId: await app.orgId("示例市市场监督管理局"),
    copyOrgIds: await app.orgId("示例市司法局"),
    issuedOn: day(-3),
    receivedOn: day(-2),
  });
  const recId = recLocation.split("?")[0]!.split("/").pop()!;
  const c = await watched(pageAs, "sfj.coord");
  await visit(c, "/recommendations", [P[9]]);
  await visit(c, `/recommendations/${recId}`, [P[9], ...P]);
  await visit(c, "/recommendations/overview", []);
  const l = await watched(pageAs, "scjg.drafter");
  await visit(l, "/", []);
  await visit(l, `/recommendations/${recId}`, [P[9]]);
});

test("a clue's 文号, 问题摘要, 涉及单位, 涉及人员, 退回原因 and feedback, for both units", async ({ pageAs, app }) => {
  const sfj = await watched(pageAs, "sfj.coord");
  const fields = {
    fromOrgId: await app.orgId("示例市司法局"),
    toOrgId: await app.orgId("示例市纪委监委"),
    source: "COMPLAINT",
    summary: XSS_ALL_LINES,
    involvedUnits: P[4],
    involvedPersons: P[15],
    needsFeedback: "on",
  };
  const feedbackLocation = await postForm(sfj.page, "/clues/new", { ...fields, docNumber: `${P[9]}${unique()}` });
  const feedbackId = feedbackLocation.split("?")[0]!.split("/").pop()!;
  const returnedLocation = await postForm(sfj.page, "/clues/new", { ...fields, docNumber: `${P[0]}${unique()}` });
  const returnedId = returnedLocation.split("?")[0]!.split("/").pop()!;
  const jw = await watched(pageAs, "jw.coord");
  for (const intent of ["receive", "startHandling"]) await postForm(jw.page, `/clues/${feedbackId}`, { intent });
  await postForm(jw.page, `/clues/${feedbackId}`, { intent: "feedback", outcome: "FILED", text: XSS_ALL_LINES });
  await postForm(jw.page, `/clues/${returnedId}`, { intent: "return", reason: P[13] });
  await visit(jw, "/clues?view=in", []);
  await visit(jw, `/clues/${feedbackId}`, [...P]);
  await visit(sfj, `/clues/${feedbackId}`, [P[4], P[15], ...P]);
  await visit(sfj, `/clues/${returnedId}`, [P[13]]);
  await visit(sfj, "/clues?view=out", []);
  await visit(sfj, "/clues/stats", []);
});

test("an org's and a user's names, in administration and the audit log", async ({ pageAs, app }) => {
  const a = await watched(pageAs, "admin");
  const { regionId } = await app.db.organization.findUniqueOrThrow({
    where: { name: "示例市司法局" },
    select: { regionId: true },
  });
  const scjg = await app.orgId("示例市市场监督管理局");
  // Names may refuse markup characters outright; then the first payload they take is checked.
  const org = await postFirstAccepted(
    a.page,
    "/admin/orgs/new",
    (name) => ({ name, shortName: "", kind: "ENFORCEMENT_AGENCY", regionId }),
    [P[10], ...P],
  );
  const user = await postFirstAccepted(
    a.page,
    "/admin/users/new",
    (displayName) => ({
      username: `xss.${unique()}`,
      displayName,
      password: "Xss2026corpus",
      orgId: scjg,
      role: "VIEWER",
    }),
    [P[11], ...P],
  );
  console.log(
    `[xss-corpus] org name took ${JSON.stringify(org?.value ?? null)}, display name took ${JSON.stringify(user?.value ?? null)}`,
  );
  await visit(a, "/admin/orgs", org ? [org.value] : []);
  if (org) await visit(a, org.location.split("?")[0]!, [org.value]);
  await visit(a, "/admin/users", user ? [user.value] : []);
  if (user) await visit(a, user.location.split("?")[0]!, [user.value]);
  await visit(a, "/admin/audit", []);
});

test("a published case's title, keywords and body on the public pages", async ({ pageAs, app }) => {
  // A case published through the services, then its publication's title, keywords and body set in
  // the database (publishing through two publishers' review is typical-case-journey.spec.ts's part).
  const caseId = await app.createTypicalCase("sfj.drafter", {
    title: `XSS测试案例 ${unique()}`,
    field: "市场监管",
    batch: "2026年上半年",
    parties: [],
    writers: [],
  });
  const content = await app.content(caseId);
  content.content = (content.content ?? []).map((n) =>
    n.type === "paragraph" ? app.paragraph("某公司依法受到行政处罚。") : n,
  );
  await app.writeContent(caseId, content);
  await app.submitCase("sfj.drafter", caseId);
  await app.decideCountersign(caseId, "sfj.publisher", "APPROVED");
  const slug = `xss-${unique()}`;
  await app.publishCase("sfj.publisher", caseId, slug);
  const publication = await app.db.publication.findFirstOrThrow({
    where: { slug, state: "PUBLISHED", current: true },
    select: { id: true, json: true },
  });
  const body = JSON.parse(publication.json) as { content: unknown[] };
  body.content.push({ type: "paragraph", content: [{ type: "text", text: P.slice(12).join(" ") }] });
  await app.db.publication.update({
    where: { id: publication.id },
    data: { title: P[12], keywords: JSON.stringify([P[13], P[14]]), json: JSON.stringify(body) },
  });

  const anonymous = await watched(pageAs, null);
  await visit(anonymous, "/cases", [P[12]]);
  await visit(anonymous, `/cases/${slug}`, [P[12], P[13], P[14], ...P.slice(12)]);
});
