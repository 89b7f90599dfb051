import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * The 文书 and 会商 lists against the real server: search, filters, sort and pages in the URL, bad
 * parameters, and the scope (a record the user may not read never shows, whatever the query); ☆/★
 * 关注 and 最近打开 on the 工作台. Every org and record is this file's own.
 */

let app: RunningServer;
const DAY = 86_400_000;
const TAG = newId().slice(0, 6);
let drafter: string;
let drafterId: string;
let orgA: { id: string; name: string };
let orgB: { id: string; name: string };
let orgC: { id: string; name: string };
let hidden: string;
let shared: string;
let minutes: string;
const SERIES = `列表测试会商${TAG}`;
const docs: string[] = [];

const at = (days: number) => new Date(Date.UTC(2026, 5, 1) + days * DAY);

async function page(path: string, cookie = drafter) {
  const res = await app.request(path, { cookie });
  return { status: res.status, html: await res.text() };
}

const rows = (html: string, testId: string) => html.split(`data-testid="${testId}"`).length - 1;

beforeAll(async () => {
  app = await startServer();
  const city = await buildRegion({ name: `列表测试市${TAG}` });
  orgA = await buildOrg({ region: city, name: `列表甲单位${TAG}` });
  orgB = await buildOrg({ region: city, name: `列表乙单位${TAG}` });
  orgC = await buildOrg({ region: city, name: `列表丙单位${TAG}` });
  const user = await buildUser({ org: orgA, role: "DRAFTER" });
  drafterId = user.id;
  drafter = await buildSessionCookie(user.id);
  const other = await buildUser({ org: orgC, role: "DRAFTER" });
  const db = getDb();
  for (let i = 0; i < 23; i++) {
    const { id } = await buildDocument({
      ownerOrg: orgA,
      createdById: user.id,
      title: `${TAG}常规文书${String(i).padStart(2, "0")}`,
      type: i % 2 ? "SUPERVISION_LISTING" : "MINUTES",
      status: i % 3 === 0 ? "FINALIZED" : "DRAFT",
    });
    await db.document.update({ where: { id }, data: { createdAt: at(i), updatedAt: at(i) } });
    docs.push(id);
  }
  shared = (
    await buildDocument({
      ownerOrg: orgB,
      createdById: user.id,
      title: `${TAG}执法检察整改联合方案`,
      type: "RECTIFICATION_PLAN",
      members: [{ orgId: orgA.id, access: "READ" }],
    })
  ).id;
  // Not readable by the drafter: owned by 丙, no member of 甲; its title matches every search used here.
  hidden = (
    await buildDocument({
      ownerOrg: orgC,
      createdById: other.id,
      title: `${TAG}执法检察整改机密常规文书`,
      type: "RECTIFICATION_PLAN",
    })
  ).id;
  minutes = (await buildDocument({ ownerOrg: orgA, createdById: user.id, title: `${TAG}系列纪要` })).id;
  const consultation = (data: {
    title: string;
    org: { id: string };
    series: string;
    number: number;
    days: number;
    place: string;
    agenda: string[];
    status?: string;
    minutesId?: string;
    invite?: { id: string };
  }) =>
    db.consultation.create({
      data: {
        id: newId(),
        kind: "COORDINATION",
        title: data.title,
        series: data.series,
        number: data.number,
        conveningOrgId: data.org.id,
        startsAt: at(data.days),
        endsAt: new Date(at(data.days).getTime() + 3_600_000),
        place: data.place,
        agenda: JSON.stringify(data.agenda),
        status: data.status ?? "PLANNED",
        createdById: user.id,
        minutesId: data.minutesId ?? null,
        participants: data.invite ? { create: [{ id: newId(), orgId: data.invite.id, role: "ATTENDEE" }] } : undefined,
      },
    });
  await consultation({
    title: `${TAG}春季协调会`,
    org: orgA,
    series: SERIES,
    number: 1,
    days: 3,
    place: "一号会议室",
    agenda: ["通报行政执法监督情况"],
    status: "FINALIZED",
    minutesId: minutes,
  });
  await consultation({
    title: `${TAG}夏季协调会`,
    org: orgB,
    series: `乙系列${TAG}`,
    number: 1,
    days: 40,
    place: "乙单位礼堂",
    agenda: ["研究生态环境案件移送"],
    invite: orgA,
  });
  await consultation({
    title: `${TAG}秘密协调会`,
    org: orgC,
    series: `丙系列${TAG}`,
    number: 1,
    days: 10,
    place: "一号会议室",
    agenda: ["通报行政执法监督情况"],
  });
});

afterAll(async () => {
  await app?.close();
});

describe("文书 list", () => {
  it("pages 20 at a time, newest change first; a page beyond the end shows the last page", async () => {
    const first = await page(`/documents?q=${TAG}`);
    expect(first.status).toBe(200);
    expect(rows(first.html, "document-row")).toBe(20);
    expect(first.html).toContain("共 25 份，第 1 / 2 页");
    const last = await page(`/documents?q=${TAG}&page=2`);
    expect(rows(last.html, "document-row")).toBe(5);
    const beyond = await page(`/documents?q=${TAG}&page=999`);
    expect(beyond.html).toContain("第 2 / 2 页");
    expect(rows(beyond.html, "document-row")).toBe(5);
    for (const html of [first.html, last.html]) expect(html).not.toContain("机密");
  });

  it("searches a Chinese substring of the title (all terms), never showing an unreadable document", async () => {
    const hit = await page(`/documents?q=${encodeURIComponent(`检察整改 ${TAG}`)}`);
    expect(hit.html).toContain(`${TAG}执法检察整改联合方案`);
    expect(rows(hit.html, "document-row")).toBe(1);
    expect(hit.html).not.toContain("机密");
    // Even naming the other org as owner shows nothing of it.
    const owner = await page(`/documents?owner=${orgC.id}&q=${TAG}`);
    expect(owner.status).toBe(200);
    expect(owner.html).toContain("没有符合筛选条件的文书");
    expect(owner.html).not.toContain("机密");
  });

  it("filters by type, status, owner, series and 创建日期", async () => {
    const listings = await page(`/documents?q=${TAG}&type=SUPERVISION_LISTING`);
    expect(rows(listings.html, "document-row")).toBe(11);
    const final = await page(`/documents?q=${TAG}&status=FINALIZED`);
    expect(rows(final.html, "document-row")).toBe(8);
    const owned = await page(`/documents?q=${TAG}&owner=${orgB.id}`);
    expect(rows(owned.html, "document-row")).toBe(1);
    const series = await page(`/documents?series=${encodeURIComponent(SERIES)}`);
    expect(rows(series.html, "document-row")).toBe(1);
    expect(series.html).toContain(`${TAG}系列纪要`);
    const range = await page(`/documents?q=${TAG}&from=2026-06-03&to=2026-06-05`);
    expect(rows(range.html, "document-row")).toBe(3);
    expect(range.html).toContain("常规文书02");
    expect(range.html).toContain("常规文书04");
  });

  it("sorts by title and by creation date", async () => {
    const byTitle = await page(`/documents?q=${encodeURIComponent(`${TAG}常规`)}&sort=title`);
    expect(byTitle.html.indexOf("常规文书00")).toBeLessThan(byTitle.html.indexOf("常规文书01"));
    const oldest = await page(`/documents?q=${encodeURIComponent(`${TAG}常规`)}&sort=created-asc`);
    expect(oldest.html.indexOf("常规文书00")).toBeLessThan(oldest.html.indexOf("常规文书05"));
    const newest = await page(`/documents?q=${encodeURIComponent(`${TAG}常规`)}&sort=created`);
    expect(newest.html.indexOf("常规文书22")).toBeLessThan(newest.html.indexOf("常规文书05"));
  });

  it("ignores parameters it does not know or that do not parse, and says so for a reversed date range", async () => {
    const odd = await page(
      `/documents?q=${TAG}&type=EVIL&status=%3Cscript%3E&owner=..%2F..&from=2026-02-30&to=x&sort=drop&page=-3&starred=yes`,
    );
    expect(odd.status).toBe(200);
    expect(odd.html).toContain("共 25 份，第 1 / 2 页");
    const reversed = await page(`/documents?q=${TAG}&from=2026-07-01&to=2026-06-01`);
    expect(reversed.status).toBe(200);
    expect(reversed.html).toContain("起始日期晚于截止日期，已忽略日期范围。");
    expect(reversed.html).toContain("共 25 份");
  });
});

describe("会商 list", () => {
  it("searches the title, place and agenda, inside the scope", async () => {
    // Each term may occur in any of them: the 秘密协调会 in the same room is not the user's to see.
    const place = await page(`/consultations?q=${encodeURIComponent(`一号会议室 ${TAG}`)}`);
    expect(rows(place.html, "consultation-row")).toBe(1);
    expect(place.html).not.toContain("秘密协调会");
    const room = await page(
      `/consultations?q=${encodeURIComponent("一号会议室")}&series=${encodeURIComponent(SERIES)}`,
    );
    expect(rows(room.html, "consultation-row")).toBe(1);
    const agenda = await page(`/consultations?q=${encodeURIComponent("行政执法监督")}`);
    expect(agenda.html).toContain(`${TAG}春季协调会`);
    expect(agenda.html).not.toContain("秘密协调会");
    const title = await page(`/consultations?q=${encodeURIComponent(`${TAG}夏季`)}`);
    expect(rows(title.html, "consultation-row")).toBe(1);
  });

  it("filters by status, convening unit, series and 会议日期, sorts and ignores bad values", async () => {
    const planned = await page(`/consultations?status=PLANNED&q=${TAG}`);
    expect(rows(planned.html, "consultation-row")).toBe(1);
    expect(planned.html).toContain("夏季协调会");
    const convener = await page(`/consultations?convener=${orgC.id}`);
    expect(convener.html).toContain("没有符合筛选条件的会商");
    expect(convener.html).not.toContain("秘密协调会");
    const range = await page(`/consultations?q=${TAG}&from=2026-06-01&to=2026-06-30`);
    expect(rows(range.html, "consultation-row")).toBe(1);
    expect(range.html).toContain("春季协调会");
    const early = await page(`/consultations?q=${TAG}&sort=date-asc`);
    expect(early.html.indexOf("春季协调会")).toBeLessThan(early.html.indexOf("夏季协调会"));
    const bad = await page(`/consultations?q=${TAG}&status=NOPE&convener=%00&sort=1;drop&page=abc&from=2026-13-01`);
    expect(bad.status).toBe(200);
    expect(rows(bad.html, "consultation-row")).toBe(2);
    expect(bad.html).not.toContain("秘密协调会");
  });
});

describe("关注 and 最近打开", () => {
  it("stars a readable document (aria-pressed in the list, 我关注的 on the 工作台) and refuses an unreadable one", async () => {
    const res = await app.request(`/documents/${shared}`, { cookie: drafter, form: { intent: "star", starred: "1" } });
    expect(res.status).toBe(200);
    expect(await getDb().documentStar.count({ where: { userId: drafterId, documentId: shared } })).toBe(1);
    const starred = await page(`/documents?starred=1`);
    expect(rows(starred.html, "document-row")).toBe(1);
    expect(starred.html).toMatch(/aria-pressed="true"[^>]*aria-label="关注《[^》]*执法检察整改联合方案》"/);
    expect((await page("/")).html).toMatch(/data-testid="starred-documents"[\s\S]*执法检察整改联合方案/);

    const refused = await app.request(`/documents/${hidden}`, {
      cookie: drafter,
      form: { intent: "star", starred: "1" },
    });
    expect(refused.status).toBe(403);
    expect(await getDb().documentStar.count({ where: { documentId: hidden } })).toBe(0);
    const bad = await app.request(`/documents/${shared}`, { cookie: drafter, form: { intent: "star", starred: "2" } });
    expect(bad.status).toBe(400);
  });

  it("records 最近打开 when the page loads, never for an unreadable document, and hides marks once access ends", async () => {
    expect((await page(`/documents/${docs[3]}`)).status).toBe(200);
    expect((await page(`/documents/${hidden}`)).status).toBe(403);
    await expect.poll(async () => (await page("/")).html).toMatch(/data-testid="recent-documents"[\s\S]*常规文书03/);
    expect(await getDb().documentVisit.count({ where: { userId: drafterId, documentId: hidden } })).toBe(0);

    // 甲 leaves the shared document: starred and visited, it no longer shows anywhere.
    await page(`/documents/${shared}`);
    await expect
      .poll(async () => getDb().documentVisit.count({ where: { userId: drafterId, documentId: shared } }))
      .toBe(1);
    await getDb().documentMember.deleteMany({ where: { documentId: shared, orgId: orgA.id } });
    const home = await page("/");
    expect(home.html).not.toContain("执法检察整改联合方案");
    expect((await page(`/documents?starred=1`)).html).toContain("没有符合筛选条件的文书");
    // Unstarring the document one may read again works; the row of the other stays hidden.
    const unstar = await app.request(`/documents/${docs[3]}`, {
      cookie: drafter,
      form: { intent: "star", starred: "0" },
    });
    expect(unstar.status).toBe(200);
  });
});
