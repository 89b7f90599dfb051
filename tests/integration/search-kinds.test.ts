import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { addDaysIso, chinaDay, endOfChinaDay } from "~/domain/dates";
import { createClue, markClueReceived } from "~/models/clue.server";
import { addComment, createThread, deleteComment } from "~/models/comment.server";
import { createProgressReport } from "~/models/progress-report.server";
import { addRelease } from "~/models/publication.server";
import { createRecommendation } from "~/models/recommendation.server";
import { markSearchDirty } from "~/models/search.server";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";
import { findAs, marked, rare, resultIds, searchIndexed } from "./search-helpers";

/**
 * Global search beyond documents and consultations (ADR 028): tracked items by a name in their progress text,
 * recommendations by 文号 and problems, clues for their handlers only, comments for the document's readers,
 * published cases for everyone (and gone at once when withdrawn), and the unit, status and date filters. The
 * records are written through the models' own functions, whose writes mark them for the index job. Every word
 * searched for is this run's own (random CJK characters).
 */

let app: RunningServer;

const PERSON = `${rare(1)}${rare(2)}`;
const ITEM_WORD = rare(3);
const REC_WORD = rare(3);
const CLUE_WORD = rare(3);
const CLUE_PERSON = rare(3);
const COMMENT_WORD = rare(3);
const CASE_WORD = rare(3);

let cookies: Record<"sfjCoord" | "agencyDrafter" | "agencyCoord" | "jwCoord" | "jwViewer" | "otherCity", string>;
let orgIds: { sfj: string; agency: string; jw: string; court: string };
let itemId: string;
let recId: string;
let recNumber: string;
let clueId: string;
let threadId: string;
let commentId: string;
let caseDocId: string;
let caseSlug: string;
let publisherId: string;

const find = (cookie: string, q: string, extra = "") => findAs(app, cookie, q, extra);
const ids = resultIds;

/** Until this file's records are indexed (other files' marks are not waited for). */
const indexed = () => searchIndexed([itemId, recId, clueId, threadId, caseDocId].filter(Boolean));

beforeAll(async () => {
  app = await startServer({ search: { intervalMs: 100 } });
  const db = getDb();
  const province = await buildRegion({ level: "PROVINCE" });
  const city = await buildRegion({ level: "CITY", parent: province });
  const county = await buildRegion({ level: "COUNTY", parent: city });
  const otherCity = await buildRegion({ level: "CITY", parent: province });
  const sfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: city });
  const agency = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: county });
  const jw = await buildOrg({ kind: "DISCIPLINE_COMMISSION", region: city });
  const court = await buildOrg({ kind: "COURT", region: city });
  const otherSfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: otherCity });
  orgIds = { sfj: sfj.id, agency: agency.id, jw: jw.id, court: court.id };
  const sfjCoord = await buildUser({ org: sfj, role: "COORDINATOR" });
  const agencyDrafter = await buildUser({ org: agency, role: "DRAFTER" });
  const agencyCoord = await buildUser({ org: agency, role: "COORDINATOR" });
  const jwCoord = await buildUser({ org: jw, role: "COORDINATOR" });
  const jwViewer = await buildUser({ org: jw, role: "VIEWER" });
  const other = await buildUser({ org: otherSfj, role: "COORDINATOR" });
  publisherId = sfjCoord.id;
  cookies = {
    sfjCoord: await buildSessionCookie(sfjCoord.id),
    agencyDrafter: await buildSessionCookie(agencyDrafter.id),
    agencyCoord: await buildSessionCookie(agencyCoord.id),
    jwCoord: await buildSessionCookie(jwCoord.id),
    jwViewer: await buildSessionCookie(jwViewer.id),
    otherCity: await buildSessionCookie(other.id),
  };

  // An agreed item of the justice bureau's minutes, led by the agency; the person is named only in a report.
  const minutes = await buildDocument({ ownerOrg: sfj, createdById: sfjCoord.id, status: "FINALIZED" });
  itemId = newId();
  await db.trackedItem.create({
    data: {
      id: itemId,
      kind: "AGREED_ITEM",
      sourceDocumentId: minutes.id,
      ownerOrgId: sfj.id,
      number: 1,
      wording: `开展${ITEM_WORD}专项整治`,
      leadOrgId: agency.id,
      status: "IN_PROGRESS",
      activatedAt: new Date(),
      orgs: { create: [{ orgId: agency.id, role: "LEAD" }] },
    },
  });
  await markSearchDirty(db, "item", [itemId]);
  await createProgressReport(db, {
    itemId,
    orgId: agency.id,
    authorId: agencyDrafter.id,
    text: `已约谈${PERSON}，责令限期整改。`,
    newStatus: null,
    files: [],
  });

  // A recommendation of the court to the agency, 抄送 the justice bureau.
  recId = newId();
  recNumber = `测司建〔2026〕${Math.floor(Math.random() * 1e6)}号`;
  await createRecommendation(db, {
    id: recId,
    kind: "JUDICIAL",
    docNumber: recNumber,
    title: "关于规范执法程序的司法建议",
    problems: `一、${REC_WORD}程序不规范`,
    issuerOrgId: court.id,
    recipientOrgId: agency.id,
    copyOrgIds: [sfj.id],
    issuedOn: endOfChinaDay(addDaysIso(chinaDay(), -10)),
    receivedOn: endOfChinaDay(addDaysIso(chinaDay(), -8)),
    replyDueDate: endOfChinaDay(addDaysIso(chinaDay(), 50)),
    replyDueReason: null,
    createdById: sfjCoord.id,
    original: null,
  });

  // A clue from the agency to the discipline commission: its handlers (COORDINATOR) only.
  clueId = newId();
  await createClue(db, {
    id: clueId,
    docNumber: `测移〔2026〕${Math.floor(Math.random() * 1e6)}号`,
    fromOrgId: agency.id,
    toOrgId: jw.id,
    route: "ENFORCEMENT_TO_DISCIPLINE",
    source: "SUPERVISION",
    summary: `执法人员涉嫌${CLUE_WORD}问题`,
    involvedUnits: "",
    involvedPersons: `涉嫌人员${CLUE_PERSON}`,
    transferredAt: new Date(),
    receiptDueAt: endOfChinaDay(addDaysIso(chinaDay(), 5)),
    needsFeedback: true,
    feedbackDueAt: endOfChinaDay(addDaysIso(chinaDay(), 30)),
    createdById: agencyCoord.id,
    files: [],
  });

  // A comment thread on the agency's draft, read by whoever reads the draft.
  const draft = await buildDocument({ ownerOrg: agency, createdById: agencyDrafter.id, title: "整改方案（草稿）" });
  const created = await createThread(db, {
    documentId: draft.id,
    quote: "限期整改",
    body: `建议写明${COMMENT_WORD}的时限`,
    authorId: agencyDrafter.id,
    orgId: agency.id,
    mentions: { userIds: [], orgIds: [] },
  });
  threadId = created.threadId;
  commentId = created.commentId;

  // A published typical case of the justice bureau.
  const caseDoc = await buildDocument({
    ownerOrg: sfj,
    createdById: sfjCoord.id,
    type: "TYPICAL_CASE",
    status: "PUBLISHED",
    title: "典型案例",
  });
  caseDocId = caseDoc.id;
  caseSlug = `search-${newId()}`;
  await addRelease(db, {
    documentId: caseDocId,
    slug: caseSlug,
    version: 1,
    title: `某公司${CASE_WORD}行政处罚案`,
    keywords: JSON.stringify(["行政处罚"]),
    orgs: JSON.stringify([sfj.name]),
    field: "市场监管",
    batch: "2026年第一批",
    json: "{}",
    text: `基本案情：某公司${CASE_WORD}，执法机关依法作出处罚。`,
    sha256: "0".repeat(64),
    state: "PUBLISHED",
    note: null,
    publishedById: sfjCoord.id,
  });
  await indexed();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe("global search of every kind", () => {
  it("finds an item by a name that appears only in its progress text, for the item's units only", async () => {
    for (const cookie of [cookies.agencyDrafter, cookies.sfjCoord]) {
      const page = await find(cookie, PERSON);
      expect(ids(page)).toEqual([itemId]);
      if (page.state !== "results") continue;
      expect(page.results[0]).toMatchObject({ kind: "item", href: `/items/${itemId}`, statusLabel: "推进中" });
      expect(marked(page.results[0].passage)).toEqual([PERSON]);
      expect(page.counts.item).toBe(1);
    }
    expect(ids(await find(cookies.otherCity, PERSON))).toEqual([]);
    expect(ids(await find(cookies.jwCoord, PERSON))).toEqual([]);
  });

  it("finds a recommendation by its 文号 and its problems, for issuer, recipient and 抄送 only", async () => {
    for (const cookie of [cookies.agencyDrafter, cookies.sfjCoord]) {
      expect(ids(await find(cookie, REC_WORD))).toEqual([recId]);
      expect(ids(await find(cookie, recNumber))).toContain(recId);
    }
    expect(ids(await find(cookies.otherCity, REC_WORD))).toEqual([]);
    expect(ids(await find(cookies.jwCoord, REC_WORD))).toEqual([]);
  });

  it("finds a clue for the handlers of its two units only: never a VIEWER, never the justice bureau", async () => {
    expect(ids(await find(cookies.agencyCoord, CLUE_WORD))).toEqual([clueId]);
    expect(ids(await find(cookies.jwCoord, CLUE_WORD))).toEqual([clueId]);
    // 涉及人员 is never indexed (ADR 023): not even the handlers find the clue by it.
    expect(ids(await find(cookies.jwCoord, CLUE_PERSON))).toEqual([]);
    for (const cookie of [cookies.jwViewer, cookies.agencyDrafter, cookies.sfjCoord, cookies.otherCity]) {
      const page = await find(cookie, CLUE_WORD);
      expect(page).toMatchObject({ state: "results", total: 0, counts: { clue: 0 } });
    }
    // Its next state is re-indexed (the status filter finds it as 已签收).
    await markClueReceived(getDb(), clueId, publisherId, new Date());
    await indexed();
    expect(ids(await find(cookies.jwCoord, CLUE_WORD, "&kind=clue&status=RECEIVED"))).toEqual([clueId]);
    expect(ids(await find(cookies.jwCoord, CLUE_WORD, "&kind=clue&status=TRANSFERRED"))).toEqual([]);
  });

  it("finds a comment for the document's readers, opening the thread, and forgets a deleted comment", async () => {
    const page = await find(cookies.agencyDrafter, COMMENT_WORD);
    expect(ids(page)).toEqual([threadId]);
    if (page.state === "results") expect(page.results[0].href).toMatch(new RegExp(`\\?thread=${threadId}$`));
    expect(ids(await find(cookies.otherCity, COMMENT_WORD))).toEqual([]);
    expect(ids(await find(cookies.jwCoord, COMMENT_WORD))).toEqual([]);
    const reply = rare(3);
    const replyId = await addComment(getDb(), threadId, {
      authorId: publisherId,
      orgId: orgIds.sfj,
      body: `同意，另请补充${reply}`,
      mentions: { userIds: [], orgIds: [] },
    });
    await indexed();
    expect(ids(await find(cookies.agencyDrafter, reply))).toEqual([threadId]);
    await deleteComment(getDb(), replyId, new Date());
    await deleteComment(getDb(), commentId, new Date());
    await indexed();
    expect(ids(await find(cookies.agencyDrafter, reply))).toEqual([]);
    expect(ids(await find(cookies.agencyDrafter, COMMENT_WORD))).toEqual([]);
  });

  it("finds a published case for everyone signed in, and nothing once it is withdrawn", async () => {
    for (const cookie of [cookies.otherCity, cookies.jwViewer]) {
      const page = await find(cookie, CASE_WORD);
      expect(ids(page)).toEqual([caseDocId]);
      if (page.state === "results") expect(page.results[0].href).toBe(`/cases/${caseSlug}`);
    }
    await addRelease(getDb(), {
      documentId: caseDocId,
      slug: caseSlug,
      version: 2,
      title: `某公司${CASE_WORD}行政处罚案`,
      keywords: "[]",
      orgs: "[]",
      field: "市场监管",
      batch: "2026年第一批",
      json: "{}",
      text: "",
      sha256: "0".repeat(64),
      state: "WITHDRAWN",
      note: "撤回",
      publishedById: publisherId,
    });
    // Gone at once: the query itself asks that the case is still published, before the job removes the entry.
    expect(ids(await find(cookies.otherCity, CASE_WORD))).toEqual([]);
  });

  it("narrows by unit, status and date, ignores invalid filters, and says so for a reversed range", async () => {
    const both = `${ITEM_WORD}`;
    expect(ids(await find(cookies.sfjCoord, both, `&unit=${orgIds.agency}`))).toEqual([itemId]);
    expect(ids(await find(cookies.sfjCoord, both, `&unit=${orgIds.jw}`))).toEqual([]);
    expect(ids(await find(cookies.sfjCoord, REC_WORD, `&unit=${orgIds.court}`))).toEqual([recId]);
    expect(ids(await find(cookies.sfjCoord, both, "&kind=item&status=IN_PROGRESS"))).toEqual([itemId]);
    expect(ids(await find(cookies.sfjCoord, both, "&kind=item&status=CLOSED"))).toEqual([]);
    // A status without a kind, or not of the kind, is ignored.
    expect(ids(await find(cookies.sfjCoord, both, "&status=CLOSED"))).toEqual([itemId]);
    expect(ids(await find(cookies.sfjCoord, both, "&kind=item&status=RECEIVED"))).toEqual([itemId]);
    const today = chinaDay();
    expect(ids(await find(cookies.sfjCoord, both, `&from=${today}&to=${today}`))).toEqual([itemId]);
    expect(ids(await find(cookies.sfjCoord, both, `&from=${addDaysIso(today, 1)}`))).toEqual([]);
    expect(ids(await find(cookies.sfjCoord, REC_WORD, `&to=${addDaysIso(today, -9)}`))).toEqual([recId]);
    expect(ids(await find(cookies.sfjCoord, REC_WORD, `&from=${addDaysIso(today, -9)}`))).toEqual([]);
    const reversed = await find(cookies.sfjCoord, both, `&from=${today}&to=${addDaysIso(today, -1)}`);
    expect(ids(reversed)).toEqual([itemId]);
    expect(reversed.notice).toContain("起始日期晚于截止日期");
    for (const extra of [
      "&unit=%25",
      "&unit=x'--",
      "&from=2026-02-30",
      "&to=yesterday",
      "&status=%00",
      "&kind=clue&status=x",
    ]) {
      const res = await app.request(`/search?q=${encodeURIComponent(both)}${extra}`, { cookie: cookies.sfjCoord });
      expect(res.status).toBe(200);
    }
    // The unit choices are the orgs of the actor's own region and below, by name.
    const html = await (
      await app.request(`/search?q=${encodeURIComponent(both)}`, { cookie: cookies.sfjCoord })
    ).text();
    expect(html).toContain(`value="${orgIds.agency}"`);
  });
});
