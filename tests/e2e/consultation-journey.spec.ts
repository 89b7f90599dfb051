import type { Page } from "@playwright/test";
import * as Y from "yjs";
import { connectClient, waitFor } from "../collab/client";
import type { AppAccess } from "./app-access";
import { expect, test, unique } from "./fixtures";

/**
 * Issue 4 acceptance journey, one step per test: 市司法局 convenes a consultation inviting the court
 * and two agencies, the minutes are co-edited live, countersigned (returned once, then approved by
 * every co-drafting org), FINALIZED with a SHA-256, read-only everywhere, and a collab update sent to
 * it is refused. Each test brings the minutes to where its step starts through the app's services.
 */

const COURT = "示例市中级人民法院";
const SCJG = "示例市市场监督管理局";
const STHJ = "示例市生态环境局";

/** The document text without other people's caret labels. */
async function editorText(page: Page): Promise<string> {
  return page.getByTestId("editor").evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return copy.textContent ?? "";
  });
}

async function expectSynced(page: Page) {
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "synced");
}

async function openDocument(page: Page, id: string) {
  await page.goto(`/documents/${id}`);
  await expectSynced(page);
}

/** Types at the end of the document (the empty paragraph under 二、会议精神和议定事项). */
async function typeAtEnd(page: Page, text: string) {
  await page.getByTestId("editor").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

async function expectWritable(page: Page, writable: boolean) {
  await expect(page.getByTestId("editor")).toHaveAttribute("contenteditable", String(writable));
}

/** The status badge in the document header (next to 牵头：…). */
const statusLine = (page: Page) => page.locator("p", { hasText: "牵头：" });
const countersignPanel = (page: Page) => page.getByRole("region", { name: "会签" });
const countersignRow = (page: Page, org: string) =>
  countersignPanel(page).getByRole("listitem").filter({ hasText: org });

/** The version number frozen for the current round, from the panel heading 会签（第N轮，版本 M）. */
async function frozenVersion(page: Page): Promise<number> {
  const heading = (await countersignPanel(page).getByRole("heading").textContent()) ?? "";
  return Number(/版本 (\d+)/.exec(heading)?.[1] ?? NaN);
}

/**
 * 市司法局's coordinator has convened a consultation inviting the court and both agencies (出席) and
 * drafted its minutes from the template; `text`, if given, is already written at its end.
 */
async function convenedWithMinutes(app: AppAccess, text?: string) {
  const stamp = unique();
  const title = `府院联动协调会商 ${stamp}`;
  const series = `府院联动会商（e2e ${stamp}）`;
  const ids = await app.conveneWithMinutes("sfj.coord", {
    title,
    series,
    place: "市司法局三楼会议室",
    agenda: ["通报近期行政执法监督情况", "研究案件移送衔接问题"],
    attendees: [COURT, SCJG, STHJ],
  });
  if (text) {
    const content = await app.content(ids.documentId);
    content.content?.push({ type: "paragraph", content: [{ type: "text", text }] });
    await app.writeContent(ids.documentId, content);
  }
  return { ...ids, stamp, title, series };
}

async function approve(page: Page) {
  await countersignPanel(page).getByRole("button", { name: "同意", exact: true }).click();
  await expect(page).toHaveURL(/countersign=/);
}

test("a coordinator convenes a consultation through the form, inviting the court and two agencies", async ({
  pageAs,
}) => {
  const stamp = unique();
  const title = `府院联动协调会商 ${stamp}`;
  const series = `府院联动会商（e2e ${stamp}）`;
  const coord = await pageAs("sfj.coord");
  await coord.goto("/");
  await coord.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "会商" }).click();
  // The workbench's first-use card links to the guide's 召集会商 too: wait for the list page.
  await expect(coord).toHaveURL(/\/consultations$/);
  await coord.getByRole("link", { name: "召集会商" }).click();
  await expect(coord.getByRole("heading", { name: "召集会商" })).toBeVisible();
  await coord.getByLabel("会议名称").fill(title);
  await coord.getByLabel("会商类型").selectOption({ label: "协调会商" });
  await coord.getByLabel("会商系列").fill(series);
  await expect(coord.getByLabel("召集单位")).toHaveValue(/.+/);
  await coord.getByLabel("日期").fill("2026-03-12");
  await coord.getByLabel("开始时间").fill("14:30");
  await coord.getByLabel("结束时间").fill("16:30");
  await coord.getByLabel("地点").fill("市司法局三楼会议室");
  await coord.getByLabel("议程（每行一项）").fill("通报近期行政执法监督情况\n研究案件移送衔接问题");
  // The org choice list: filter, then choose 出席 for each invited org.
  for (const org of [COURT, SCJG, STHJ]) {
    await coord.getByLabel("筛选单位").fill(org);
    await coord.getByLabel(`${org}的参会身份`).selectOption({ label: "出席" });
  }
  await coord.getByLabel("筛选单位").fill("");
  await coord.getByRole("button", { name: "召集并发送邀请" }).click();
  await coord.waitForURL(
    (u) => /^\/consultations\/(?!new$)[A-Za-z0-9_-]+$/.test(u.pathname) && u.searchParams.get("created") === "1",
  );
  await expect(coord.getByRole("heading", { name: title })).toBeVisible();
  await expect(coord.getByText(`${series} 第1期`)).toBeVisible();
  await expect(coord.getByText("会商已召集，受邀单位的督办协调员和联络员已收到通知。")).toBeVisible();
  const invited = coord.getByRole("table", { name: "参会单位与出席情况" });
  for (const org of [COURT, SCJG, STHJ]) await expect(invited).toContainText(org);
});

test("the coordinator drafts the minutes from the template on the consultation's page", async ({ pageAs, app }) => {
  const stamp = unique();
  const title = `府院联动协调会商 ${stamp}`;
  const series = `府院联动会商（e2e ${stamp}）`;
  const coord = await pageAs("sfj.coord");
  const consultationId = await app.convene("sfj.coord", {
    title,
    series,
    place: "市司法局三楼会议室",
    agenda: ["通报近期行政执法监督情况"],
    attendees: [COURT, SCJG, STHJ],
  });
  await coord.goto(`/consultations/${consultationId}`);
  await coord.getByRole("button", { name: "起草会议纪要" }).click();
  await coord.waitForURL((u) => /^\/documents\/[A-Za-z0-9_-]+$/.test(u.pathname));
  await expectSynced(coord);
  await expect(coord.getByRole("heading", { name: `${title}纪要（第1期）` })).toBeVisible();
  await expect(statusLine(coord)).toContainText("起草中");
  await expect(coord.getByTestId("editor")).toContainText("二、会议精神和议定事项");
  await expect(coord.getByTestId("editor")).toContainText(`期号：${series}第1期`);
  await expectWritable(coord, true);
});

test("an invited liaison is notified, finds the consultation and opens its minutes, writable", async ({
  pageAs,
  app,
}) => {
  const { consultationId, documentId, title, series } = await convenedWithMinutes(app);
  const liaison = await pageAs("court.liaison");
  await liaison.goto("/");
  await liaison.getByTestId("notification-bell").click();
  await expect(liaison.getByText(`会商邀请：${title}`)).toBeVisible();
  await liaison.keyboard.press("Escape");
  await liaison.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "会商" }).click();
  await liaison.getByRole("table", { name: "会商列表" }).getByRole("link", { name: title }).click();
  await expect(liaison).toHaveURL(new RegExp(`/consultations/${consultationId}$`));
  await expect(liaison.getByText(`${series} 第1期`)).toBeVisible();
  await liaison.getByRole("link", { name: "打开会议纪要" }).click();
  await expect(liaison).toHaveURL(new RegExp(`/documents/${documentId}$`));
  await expectSynced(liaison);
  await expectWritable(liaison, true);
});

test("the convener and the court's liaison co-edit the minutes under 会议精神和议定事项, each seeing the other live", async ({
  pageAs,
  app,
}) => {
  const { documentId, stamp } = await convenedWithMinutes(app);
  const justiceText = `【司法局】会议议定：建立案件移送衔接机制 ${stamp}。`;
  const courtText = `【法院】同意，由市中院牵头细化诉源治理措施 ${stamp}。`;
  const coord = await pageAs("sfj.coord");
  const liaison = await pageAs("court.liaison");
  await openDocument(coord, documentId);
  await openDocument(liaison, documentId);
  await typeAtEnd(coord, justiceText);
  await expect(liaison.getByTestId("editor")).toContainText(justiceText);
  await typeAtEnd(liaison, courtText);
  await expect(coord.getByTestId("editor")).toContainText(courtText);
  await expect(coord.getByTestId("presence")).toContainText(COURT);
  await expect.poll(() => editorText(liaison)).toBe(await editorText(coord));
});

test("requesting countersign freezes every open editor; a liaison may co-edit but not countersign", async ({
  pageAs,
  app,
}) => {
  const { documentId } = await convenedWithMinutes(app);
  const coord = await pageAs("sfj.coord");
  const liaison = await pageAs("court.liaison");
  await openDocument(coord, documentId);
  await openDocument(liaison, documentId);
  await expectWritable(liaison, true);

  await countersignPanel(coord).getByRole("button", { name: "冻结当前内容并发起会签" }).click();
  await expect(coord).toHaveURL(/countersign=COUNTERSIGNING/);
  await expect(statusLine(coord)).toContainText("会签中");
  await expect(countersignPanel(coord)).toContainText(/会签（第1轮，版本 \d+）/);
  for (const org of [COURT, SCJG, STHJ]) await expect(countersignRow(coord, org)).toContainText("待会签");
  // The convening org does not countersign its own document.
  await expect(countersignRow(coord, "示例市司法局")).toHaveCount(0);
  await expectWritable(coord, false);
  // The liaison's open editor is re-authorized by the server (4205) and turns read-only.
  await expectWritable(liaison, false);
  await expect(liaison.getByText("本文书会签中，内容不可修改。")).toBeVisible();
  await expect(statusLine(liaison)).toContainText("会签中");
  // A liaison may co-edit but not countersign for the court.
  await expect(countersignPanel(liaison).getByRole("button", { name: "同意", exact: true })).toHaveCount(0);
});

test("a co-drafting org returns the minutes with a (required) comment; drafting unlocks in every open editor", async ({
  pageAs,
  app,
}) => {
  const returnComment = "第二项议定事项请补充责任单位和完成时限。";
  const { documentId } = await convenedWithMinutes(app);
  await app.requestCountersign(documentId, "sfj.coord");
  const coord = await pageAs("sfj.coord");
  const liaison = await pageAs("court.liaison");
  const courtDrafter = await pageAs("court.drafter");
  for (const page of [coord, liaison, courtDrafter]) {
    await openDocument(page, documentId);
    await expectWritable(page, false);
  }

  const panel = countersignPanel(courtDrafter);
  // Returning without a comment is refused.
  await panel.getByRole("button", { name: "退回修改" }).click();
  await expect(courtDrafter.getByRole("alert").filter({ hasText: "退回时请填写修改意见。" })).toBeVisible();
  await panel.getByLabel("本单位会签意见").fill(returnComment);
  await panel.getByRole("button", { name: "退回修改" }).click();
  await expect(courtDrafter).toHaveURL(/countersign=DRAFT/);
  await expect(statusLine(courtDrafter)).toContainText("起草中");
  await expect(countersignRow(courtDrafter, COURT)).toContainText("已退回");
  await expect(countersignRow(courtDrafter, COURT)).toContainText(`意见：${returnComment}`);
  for (const org of [SCJG, STHJ]) await expect(countersignRow(courtDrafter, org)).toContainText("本轮终止");
  await expectWritable(courtDrafter, true);
  // Every open editor is writable again.
  for (const page of [coord, liaison]) {
    await expectWritable(page, true);
    await expect(statusLine(page)).toContainText("起草中");
  }
  await expect(countersignRow(coord, COURT)).toContainText(`意见：${returnComment}`);
});

test("after a return, an edit and a second request freeze a newer version (round 2) in every open editor", async ({
  pageAs,
  app,
}) => {
  const { documentId, stamp } = await convenedWithMinutes(app);
  const revisionText = `【修改】责任单位：市中院、市市场监管局、市生态环境局，2026年6月底前完成 ${stamp}。`;
  await app.requestCountersign(documentId, "sfj.coord");
  await app.decideCountersign(documentId, "court.drafter", "RETURNED", "第二项议定事项请补充责任单位和完成时限。");
  const round1 = await app.db.countersign.findFirstOrThrow({
    where: { documentId, round: 1 },
    select: { version: { select: { number: true } } },
  });
  const coord = await pageAs("sfj.coord");
  const liaison = await pageAs("court.liaison");
  const courtDrafter = await pageAs("court.drafter");
  for (const page of [coord, liaison, courtDrafter]) await openDocument(page, documentId);

  await typeAtEnd(liaison, revisionText);
  await expect(coord.getByTestId("editor")).toContainText(revisionText);
  await expect(courtDrafter.getByTestId("editor")).toContainText(revisionText);
  await countersignPanel(coord).getByRole("button", { name: "冻结当前内容并发起会签" }).click();
  await expect(coord).toHaveURL(/countersign=COUNTERSIGNING/);
  await expect(countersignPanel(coord)).toContainText(/会签（第2轮，版本 \d+）/);
  // Round 2 freezes a newer version (the edit made after the return).
  expect(await frozenVersion(coord)).toBeGreaterThan(round1.version.number);
  for (const org of [COURT, SCJG, STHJ]) await expect(countersignRow(coord, org)).toContainText("待会签");
  for (const page of [coord, liaison, courtDrafter]) await expectWritable(page, false);
});

test("an org that approved a round cannot approve it again from a stale tab", async ({ pageAs, app }) => {
  const { documentId } = await convenedWithMinutes(app);
  await app.requestCountersign(documentId, "sfj.coord");
  // Two tabs of court.drafter: approve in one, then submit the (stale) form in the other.
  const courtDrafter = await pageAs("court.drafter");
  await openDocument(courtDrafter, documentId);
  const secondTab = await courtDrafter.context().newPage();
  await openDocument(secondTab, documentId);
  await approve(courtDrafter);
  await expect(countersignRow(courtDrafter, COURT)).toContainText("已同意");
  await expect(countersignPanel(courtDrafter).getByRole("button", { name: "同意", exact: true })).toHaveCount(0);
  await countersignPanel(secondTab).getByRole("button", { name: "同意", exact: true }).click();
  await expect(
    secondTab.getByRole("alert").filter({ hasText: "本单位已对本轮会签作出意见，不能重复提交。" }),
  ).toBeVisible();
  await expect(statusLine(courtDrafter)).toContainText("会签中");
});

test("once every co-drafting org approves, the minutes are 已定稿 with a SHA-256 and read-only in every open editor", async ({
  pageAs,
  app,
}) => {
  const text = `【修改】责任单位：市中院、市市场监管局、市生态环境局，2026年6月底前完成 ${unique()}。`;
  const { documentId, consultationId } = await convenedWithMinutes(app, text);
  await app.requestCountersign(documentId, "sfj.coord");
  await app.decideCountersign(documentId, "court.drafter", "APPROVED");
  const coord = await pageAs("sfj.coord");
  const liaison = await pageAs("court.liaison");
  const courtDrafter = await pageAs("court.drafter");
  const scjg = await pageAs("scjg.drafter");
  const sthj = await pageAs("sthj.drafter");
  for (const page of [coord, liaison, courtDrafter]) await openDocument(page, documentId);

  await openDocument(scjg, documentId);
  await expect(countersignPanel(scjg)).toContainText(/会签（第1轮，版本 \d+）/);
  await expect(scjg.getByTestId("editor")).toContainText(text);
  await approve(scjg);
  await expect(countersignRow(scjg, SCJG)).toContainText("已同意");
  await expect(statusLine(scjg)).toContainText("会签中");
  await openDocument(sthj, documentId);
  await approve(sthj);
  await expect(sthj).toHaveURL(/countersign=FINALIZED/);

  const finalLine = sthj.getByTestId("final-hash");
  await expect(finalLine).toContainText("已定稿");
  const finalHash = (await finalLine.locator("code").textContent())?.trim() ?? "";
  expect(finalHash).toMatch(/^[0-9a-f]{64}$/);
  for (const page of [coord, liaison, courtDrafter, scjg, sthj]) {
    // Open editors were re-authorized by the server (4205) and the page revalidated.
    await expect(statusLine(page)).toContainText("已定稿");
    await expect(page.getByTestId("final-hash").locator("code")).toHaveText(finalHash);
    await expectWritable(page, false);
    await expect(page.getByText("本文书已定稿，内容不可修改。")).toBeVisible();
    for (const org of [COURT, SCJG, STHJ]) await expect(countersignRow(page, org)).toContainText("已同意");
  }
  // Typing changes nothing, for the drafter and the court alike.
  for (const page of [coord, liaison]) {
    await expectSynced(page);
    const before = await editorText(page);
    await page.getByTestId("editor").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("定稿后不应出现的文字");
    await expect.poll(() => editorText(page)).toBe(before);
  }
  // The consultation follows its minutes.
  await coord.goto(`/consultations/${consultationId}`);
  await expect(coord.getByText("纪要已定稿")).toBeVisible();
});

test("a collab update sent to finalized minutes with a co-drafter's session is refused silently", async ({
  pageAs,
  app,
  baseURL,
}) => {
  const origin = baseURL!;
  const revisionText = `【修改】责任单位：市中院、市市场监管局、市生态环境局，2026年6月底前完成 ${unique()}。`;
  const { documentId, stamp } = await convenedWithMinutes(app, revisionText);
  await app.finalize(documentId, "sfj.coord", ["court.drafter", "scjg.drafter", "sthj.drafter"]);
  const liaison = await pageAs("court.liaison");
  await openDocument(liaison, documentId);
  await expect(liaison.getByTestId("final-hash")).toContainText("已定稿");
  const finalHash = (await liaison.getByTestId("final-hash").locator("code").textContent())?.trim() ?? "";

  const cookie = (await liaison.context().cookies())
    .filter((c) => origin.includes(c.domain.replace(/^\./, "")))
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  expect(cookie).not.toBe("");
  const forbidden = `【定稿后篡改】${stamp}`;
  // An observer first, so it would receive the update if the server applied it.
  const observer = connectClient(origin, documentId, cookie);
  const writer = connectClient(origin, documentId, cookie);
  try {
    await Promise.all([observer.synced(), writer.synced()]);
    const fragmentText = (c: { doc: Y.Doc }) => c.doc.getXmlFragment("default").toString();
    expect(fragmentText(writer)).toContain(revisionText);
    // The edit, as the browser editor would make it (a paragraph in the body), plus plain text.
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(forbidden)]);
    writer.doc.getXmlFragment("default").push([paragraph]);
    writer.type(forbidden);
    expect(fragmentText(writer)).toContain(forbidden);
    // Then an awareness change on the same socket: the server handles a connection's frames in
    // order, so once the observer sees it, the update before it has been dealt with.
    writer.provider.awareness.setLocalStateField("probe", stamp);
    await waitFor(
      () => [...observer.provider.awareness.getStates().values()].some((s) => s.probe === stamp),
      10_000,
      "the writer's awareness at the observer",
    );
    const probe = [...observer.provider.awareness.getStates().values()].find((s) => s.probe === stamp) as {
      user?: { name?: string; readOnly?: boolean };
    };
    // The server stamps who the connection is: the court liaison, read-only.
    expect(probe.user).toMatchObject({ name: "陈静", readOnly: true });
    expect(fragmentText(observer)).not.toContain(forbidden);
    expect(observer.text()).not.toContain(forbidden);
    await expect(liaison.getByTestId("editor")).not.toContainText(forbidden);
    // Refused silently: the connection is not closed, the update is dropped.
    expect(writer.closes).toEqual([]);
  } finally {
    writer.destroy();
    observer.destroy();
  }
  // A fresh client and a reloaded page get the stored document without it.
  const fresh = connectClient(origin, documentId, cookie);
  try {
    await fresh.synced();
    expect(fresh.doc.getXmlFragment("default").toString()).toContain(revisionText);
    expect(fresh.doc.getXmlFragment("default").toString()).not.toContain("【定稿后篡改】");
    expect(fresh.text()).toBe("");
  } finally {
    fresh.destroy();
  }
  await liaison.reload();
  await expectSynced(liaison);
  await expect(liaison.getByTestId("editor")).toContainText(revisionText);
  await expect(liaison.getByTestId("editor")).not.toContainText("【定稿后篡改】");
  await expect(liaison.getByTestId("final-hash").locator("code")).toHaveText(finalHash);
  await expectWritable(liaison, false);
});
