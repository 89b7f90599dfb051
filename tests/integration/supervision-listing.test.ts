import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { addDaysIso, addMonthsIso, chinaDay, endOfChinaDay } from "~/domain/dates";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * Issue 6: 联合挂牌督办清单. A justice bureau lists cases together with the discipline commission; the
 * cases are co-drafted through the collab server, countersigned, then tracked: the 承办单位 reports,
 * every 督办单位 confirms the release (解除挂牌), and extensions close one month before the deadline.
 */
let app: RunningServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await app.close();
});

const isoDay = (offsetDays: number) => addDaysIso(chinaDay(), offsetDays);

/** Location of a 302, or fails with the body (so a refusal shows its message). */
async function redirected(res: Response): Promise<string> {
  if (res.status !== 302) throw new Error(`expected 302, got ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.headers.get("location") ?? "";
}

function reportProgress(
  itemId: string,
  cookie: string,
  text: string,
  newStatus: "" | "IN_PROGRESS" | "DONE",
  mentions: { users?: string[]; orgs?: string[] } = {},
) {
  const fd = new FormData();
  fd.set("intent", "progress");
  fd.set("text", text);
  fd.set("newStatus", newStatus);
  for (const id of mentions.users ?? []) fd.append("mentionUser", id);
  for (const id of mentions.orgs ?? []) fd.append("mentionOrg", id);
  return app.request(`/items/${itemId}`, { cookie, method: "POST", body: fd });
}

const itemIntent = (itemId: string, cookie: string, form: Record<string, string>) =>
  app.request(`/items/${itemId}`, { cookie, form });

function blocks(fragment: Y.XmlFragment): Y.XmlElement[] {
  return fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "trackedItem");
}

async function world() {
  const city = await buildRegion({ level: "CITY" });
  const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: city, name: `示范市司法局${city.id.slice(-4)}` });
  const commission = await buildOrg({
    kind: "DISCIPLINE_COMMISSION",
    region: city,
    name: `示范市纪委监委${city.id.slice(-4)}`,
  });
  const agency = await buildOrg({
    kind: "ENFORCEMENT_AGENCY",
    region: city,
    name: `示范市自然资源局${city.id.slice(-4)}`,
  });
  const procuratorate = await buildOrg({ kind: "PROCURATORATE", region: city });
  const users = {
    bureauDrafter: await buildUser({ org: bureau, role: "DRAFTER" }),
    bureauCoord: await buildUser({ org: bureau, role: "COORDINATOR" }),
    commissionDrafter: await buildUser({ org: commission, role: "DRAFTER" }),
    commissionCoord: await buildUser({ org: commission, role: "COORDINATOR" }),
    lead: await buildUser({ org: agency, role: "LIAISON" }),
    leadCoord: await buildUser({ org: agency, role: "COORDINATOR" }),
    procCoord: await buildUser({ org: procuratorate, role: "COORDINATOR" }),
  };
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)])),
  ) as Record<keyof typeof users, string>;
  return { bureau, commission, agency, procuratorate, users, cookies };
}
type World = Awaited<ReturnType<typeof world>>;

const CASE_A = "张某某非法占用农用地案";
const CASE_B = "某公司违法倾倒建筑垃圾案";

/**
 * A listing owned by the bureau with the commission as co-drafter, two cases typed through the
 * collab server, countersigned by the commission: case A (template block) lists no 督办单位 and has a
 * due date 100 days ahead; case B names its 督办单位 (commission and procuratorate) and has no due date.
 */
async function finalizedListing(w: World) {
  const db = getDb();
  const created = await app.request("/documents/new", {
    cookie: w.cookies.bureauDrafter,
    form: {
      title: "关于对部分案件实行联合挂牌督办的通知",
      type: "SUPERVISION_LISTING",
      ownerOrgId: w.bureau.id,
      [`access.${w.commission.id}`]: "WRITE",
    },
  });
  const listingId = (await redirected(created)).split("/").pop()!;
  const doc = await db.document.findUniqueOrThrow({
    where: { id: listingId },
    select: { type: true, ownerOrgId: true, members: { select: { orgId: true, access: true } } },
  });
  expect(doc).toMatchObject({
    type: "SUPERVISION_LISTING",
    ownerOrgId: w.bureau.id,
    members: [{ orgId: w.commission.id, access: "WRITE" }],
  });
  const template = await db.trackedItem.findMany({
    where: { sourceDocumentId: listingId },
    select: { id: true, kind: true, status: true },
  });
  expect(template).toEqual([expect.objectContaining({ kind: "SUPERVISED_CASE", status: "DRAFT" })]);

  const bureauClient = connectClient(app.origin, listingId, w.cookies.bureauDrafter);
  const commissionClient = connectClient(app.origin, listingId, w.cookies.commissionDrafter);
  clients.push(bureauClient, commissionClient);
  await Promise.all([bureauClient.synced(), commissionClient.synced()]);
  const mine = bureauClient.doc.getXmlFragment("default");
  await waitFor(() => blocks(mine).length === 1, 5000, "template block synced");
  const a = blocks(mine)[0];
  expect(a.getAttribute("itemId")).toBe(template[0].id);
  bureauClient.doc.transact(() => {
    a.insert(0, [new Y.XmlText(CASE_A)]);
    a.setAttribute("leadOrgId", w.agency.id);
    a.setAttribute("dueDate", isoDay(100));
  });
  // The commission adds the second case, naming its own 督办单位.
  const theirs = commissionClient.doc.getXmlFragment("default");
  await waitFor(() => blocks(theirs)[0]?.toString().includes(CASE_A) ?? false, 5000, "commission sees case A");
  const caseBId = `caseb${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  commissionClient.doc.transact(() => {
    const node = new Y.XmlElement("trackedItem");
    node.setAttribute("itemId", caseBId);
    node.setAttribute("leadOrgId", w.agency.id);
    node.setAttribute("supportingOrgIds", "");
    node.setAttribute("feedbackCycle", "MONTHLY");
    node.setAttribute("supervisorOrgIds", `${w.commission.id},${w.procuratorate.id}`);
    node.insert(0, [new Y.XmlText(CASE_B)]);
    theirs.insert(theirs.toArray().indexOf(blocks(theirs)[0]) + 1, [node]);
  });
  await waitFor(
    async () => {
      const rows = await db.trackedItem.findMany({
        where: { sourceDocumentId: listingId, status: "DRAFT" },
        orderBy: { number: "asc" },
        select: { wording: true },
      });
      return rows.map((r) => r.wording).join("|") === `${CASE_A}|${CASE_B}`;
    },
    10_000,
    "two cases derived by the collab server",
  );

  await redirected(
    await app.request(`/documents/${listingId}`, {
      cookie: w.cookies.bureauDrafter,
      form: { intent: "requestCountersign" },
    }),
  );
  await redirected(
    await app.request(`/documents/${listingId}`, { cookie: w.cookies.commissionCoord, form: { intent: "approve" } }),
  );
  bureauClient.destroy();
  commissionClient.destroy();
  return { listingId, caseA: template[0].id, caseB: caseBId };
}

const item = (id: string) =>
  getDb().trackedItem.findUniqueOrThrow({
    where: { id },
    select: {
      status: true,
      kind: true,
      dueDate: true,
      activatedAt: true,
      wording: true,
      leadOrgId: true,
      orgs: { select: { orgId: true, role: true } },
    },
  });
const sortRoles = (orgs: Array<{ orgId: string; role: string }>) =>
  [...orgs].sort((x, y) => `${x.role}${x.orgId}`.localeCompare(`${y.role}${y.orgId}`));

describe("联合挂牌督办清单 (SUPERVISION_LISTING)", () => {
  it("countersigned listing activates its cases with their 督办单位: all listing orgs by default, the named ones otherwise; no due date → six months", async () => {
    const w = await world();
    const { listingId, caseA, caseB } = await finalizedListing(w);
    const listing = await getDb().document.findUniqueOrThrow({
      where: { id: listingId },
      select: { status: true, finalHash: true },
    });
    expect(listing.status).toBe("FINALIZED");
    expect(listing.finalHash).toMatch(/^[0-9a-f]{64}$/);

    const a = await item(caseA);
    expect(a).toMatchObject({
      kind: "SUPERVISED_CASE",
      status: "NOT_STARTED",
      wording: CASE_A,
      leadOrgId: w.agency.id,
    });
    expect(a.activatedAt).not.toBeNull();
    expect(a.dueDate!.getTime()).toBe(endOfChinaDay(isoDay(100)).getTime());
    // No 督办单位 named: the owner and its co-drafting (WRITE) org supervise; the 承办单位 does not.
    expect(sortRoles(a.orgs)).toEqual(
      sortRoles([
        { orgId: w.agency.id, role: "LEAD" },
        { orgId: w.bureau.id, role: "SUPERVISING" },
        { orgId: w.commission.id, role: "SUPERVISING" },
      ]),
    );

    const b = await item(caseB);
    expect(b).toMatchObject({
      kind: "SUPERVISED_CASE",
      status: "NOT_STARTED",
      wording: CASE_B,
      leadOrgId: w.agency.id,
    });
    // Named 督办单位 replace the default: the listing's owner is not one of them.
    expect(sortRoles(b.orgs)).toEqual(
      sortRoles([
        { orgId: w.agency.id, role: "LEAD" },
        { orgId: w.commission.id, role: "SUPERVISING" },
        { orgId: w.procuratorate.id, role: "SUPERVISING" },
      ]),
    );
    // Listed without a 督办期限: six months from activation, to the end of that China day.
    expect(b.dueDate!.getTime()).toBe(endOfChinaDay(addMonthsIso(chinaDay(b.activatedAt!), 6)).getTime());

    // The listing's orgs and the 承办单位 see both cases; the procuratorate, named on B only, sees B and not A.
    for (const cookie of [w.cookies.bureauCoord, w.cookies.commissionCoord, w.cookies.lead]) {
      expect((await app.request(`/items/${caseA}`, { cookie })).status).toBe(200);
      expect((await app.request(`/items/${caseB}`, { cookie })).status).toBe(200);
    }
    expect((await app.request(`/items/${caseB}`, { cookie: w.cookies.procCoord })).status).toBe(200);
    expect((await app.request(`/items/${caseA}`, { cookie: w.cookies.procCoord })).status).toBe(403);
  }, 30_000);

  it("release (解除挂牌) needs every 督办单位: requested by one, confirmed by the others once each; a return needs a reason and reopens the case", async () => {
    const w = await world();
    const db = getDb();
    const { listingId, caseA, caseB } = await finalizedListing(w);

    // The 承办单位 reports case A done.
    expect((await itemIntent(caseA, w.cookies.bureauCoord, { intent: "requestRelease" })).status).toBe(409); // not done yet
    await redirected(await reportProgress(caseA, w.cookies.lead, "已移送审查起诉，案件办结", "DONE"));
    expect((await item(caseA)).status).toBe("DONE");

    // A supervised case is not closed by the owner's coordinator directly.
    const close = await itemIntent(caseA, w.cookies.bureauCoord, { intent: "close" });
    expect(close.status).toBeGreaterThanOrEqual(400);
    expect(close.status).toBeLessThan(500);
    // The 承办单位 cannot ask for its own release.
    expect((await itemIntent(caseA, w.cookies.leadCoord, { intent: "requestRelease" })).status).toBe(403);
    // A drafter of a 督办单位 is not enough.
    expect((await itemIntent(caseA, w.cookies.bureauDrafter, { intent: "requestRelease" })).status).toBe(403);
    expect((await item(caseA)).status).toBe("DONE");
    expect(await db.countersign.count({ where: { documentId: listingId, subject: caseA } })).toBe(0);

    // The bureau's coordinator asks: still DONE, the bureau's confirmation recorded, the commission's pending.
    await redirected(
      await itemIntent(caseA, w.cookies.bureauCoord, { intent: "requestRelease", comment: "案件已办结，申请解除挂牌" }),
    );
    expect((await item(caseA)).status).toBe("DONE");
    const round = await db.countersign.findMany({
      where: { documentId: listingId, subject: caseA },
      select: { orgId: true, decision: true, round: true },
    });
    expect(sortRoles(round.map((r) => ({ orgId: r.orgId, role: r.decision })))).toEqual(
      sortRoles([
        { orgId: w.bureau.id, role: "APPROVED" },
        { orgId: w.commission.id, role: "PENDING" },
      ]),
    );
    expect(round.every((r) => r.round === 1)).toBe(true);
    // The listing's own countersign is untouched by the case's round.
    expect(await db.countersign.count({ where: { documentId: listingId, subject: "", decision: "PENDING" } })).toBe(0);
    // The bureau cannot confirm twice, nor open a second round.
    const twice = await itemIntent(caseA, w.cookies.bureauCoord, { intent: "confirmRelease" });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("不能重复提交");
    expect((await itemIntent(caseA, w.cookies.bureauCoord, { intent: "requestRelease" })).status).toBe(409);
    // The 承办单位 cannot confirm in the commission's place.
    expect((await itemIntent(caseA, w.cookies.leadCoord, { intent: "confirmRelease" })).status).toBe(403);
    expect((await item(caseA)).status).toBe("DONE");

    // The commission confirms: released.
    await redirected(
      await itemIntent(caseA, w.cookies.commissionCoord, { intent: "confirmRelease", comment: "同意解除" }),
    );
    expect((await item(caseA)).status).toBe("CLOSED");
    const actionsA = (
      await db.auditEvent.findMany({ where: { targetType: "TrackedItem", targetId: caseA }, select: { action: true } })
    ).map((x) => x.action);
    expect(actionsA).toEqual(
      expect.arrayContaining([
        "item.progress_reported",
        "item.release_requested",
        "item.release_confirmed",
        "item.released",
      ]),
    );
    expect(actionsA).not.toContain("item.closed");
    // Nothing more to confirm.
    expect((await itemIntent(caseA, w.cookies.commissionCoord, { intent: "confirmRelease" })).status).toBe(409);

    // Case B: its named 督办单位 are the commission and the procuratorate, not the bureau.
    await redirected(await reportProgress(caseB, w.cookies.lead, "已作出行政处罚决定", "DONE"));
    expect((await itemIntent(caseB, w.cookies.bureauCoord, { intent: "requestRelease" })).status).toBe(403);
    await redirected(await itemIntent(caseB, w.cookies.procCoord, { intent: "requestRelease" }));
    // A return needs a reason.
    const bare = await itemIntent(caseB, w.cookies.commissionCoord, { intent: "returnRelease" });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain("退回时请填写理由");
    expect((await item(caseB)).status).toBe("DONE");
    await redirected(
      await itemIntent(caseB, w.cookies.commissionCoord, { intent: "returnRelease", comment: "罚没款尚未执行到位" }),
    );
    expect((await item(caseB)).status).toBe("IN_PROGRESS");
    const roundB = await db.countersign.findMany({
      where: { documentId: listingId, subject: caseB },
      select: { orgId: true, decision: true, comment: true },
    });
    expect(roundB).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orgId: w.commission.id, decision: "RETURNED", comment: "罚没款尚未执行到位" }),
        expect.objectContaining({ orgId: w.procuratorate.id, decision: "APPROVED" }),
      ]),
    );
    expect(
      (
        await db.auditEvent.findMany({
          where: { targetType: "TrackedItem", targetId: caseB },
          select: { action: true },
        })
      ).map((x) => x.action),
    ).toContain("item.release_returned");
    // The 承办单位 was told why.
    expect(await db.notification.count({ where: { userId: w.users.lead.id, kind: "item.release_returned" } })).toBe(1);
  }, 40_000);

  it("the 承办单位 asks for an extension only until one month before the 督办期限", async () => {
    const w = await world();
    const db = getDb();
    const { caseA } = await finalizedListing(w);
    const requests = () => db.extensionRequest.count({ where: { itemId: caseA } });

    // Twenty days left: within the last month, refused.
    await db.trackedItem.update({ where: { id: caseA }, data: { dueDate: endOfChinaDay(isoDay(20)) } });
    const late = await itemIntent(caseA, w.cookies.lead, {
      intent: "extension",
      newDate: isoDay(60),
      reason: "需补充鉴定",
    });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("一个月");
    expect(await requests()).toBe(0);

    // Three months left: accepted.
    const due = addMonthsIso(chinaDay(), 3);
    await db.trackedItem.update({ where: { id: caseA }, data: { dueDate: endOfChinaDay(due) } });
    // Only the 承办单位: a 督办单位 cannot ask.
    expect(
      (
        await itemIntent(caseA, w.cookies.commissionCoord, {
          intent: "extension",
          newDate: addMonthsIso(chinaDay(), 5),
          reason: "督办单位代为申请",
        })
      ).status,
    ).toBe(403);
    await redirected(
      await itemIntent(caseA, w.cookies.lead, {
        intent: "extension",
        newDate: addMonthsIso(chinaDay(), 5),
        reason: "需补充司法鉴定",
      }),
    );
    const request = await db.extensionRequest.findFirstOrThrow({
      where: { itemId: caseA },
      select: { status: true, orgId: true, reason: true, currentDue: true, requestedDue: true },
    });
    expect(request).toMatchObject({ status: "PENDING", orgId: w.agency.id, reason: "需补充司法鉴定" });
    expect(request.currentDue.getTime()).toBe(endOfChinaDay(due).getTime());
    expect(request.requestedDue.getTime()).toBe(endOfChinaDay(addMonthsIso(chinaDay(), 5)).getTime());
    expect(await requests()).toBe(1);
    // The due date does not move until the owner decides.
    expect((await item(caseA)).dueDate!.getTime()).toBe(endOfChinaDay(due).getTime());
  }, 30_000);

  it("a progress report @mentions people and units of the case; the mentioned are told, outsiders are refused", async () => {
    const w = await world();
    const db = getDb();
    const { caseA } = await finalizedListing(w);
    const page = await (await app.request(`/items/${caseA}`, { cookie: w.cookies.lead })).text();
    expect(page).toContain("键入 @ 提及相关人员或单位");

    await redirected(
      await reportProgress(caseA, w.cookies.lead, "已完成现场勘验，请@督办单位 指导。", "IN_PROGRESS", {
        users: [w.users.bureauCoord.id],
        orgs: [w.commission.id],
      }),
    );
    const told = await db.notification.findMany({
      where: { kind: "item.mention" },
      select: { userId: true, link: true },
    });
    expect(told.map((n) => n.userId).sort()).toEqual([w.users.bureauCoord.id, w.users.commissionCoord.id].sort());
    expect(told.every((n) => n.link === `/items/${caseA}`)).toBe(true);

    const reports = await db.progressReport.count({ where: { itemId: caseA } });
    const refused = await reportProgress(caseA, w.cookies.lead, "提及无关单位", "", { users: [w.users.procCoord.id] });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("被提及的人员或单位不是本事项的相关单位");
    expect(await db.progressReport.count({ where: { itemId: caseA } })).toBe(reports);
  });

  it("行政执法监督: the county's justice bureau and its 司法所 read the cases a county law-enforcement unit leads; a sibling county does not", async () => {
    const w = await world();
    const db = getDb();
    const city = await db.region.findFirstOrThrow({ where: { organizations: { some: { id: w.bureau.id } } } });
    const county = await buildRegion({ level: "COUNTY", parent: city, name: `甲县${city.id.slice(-4)}` });
    const township = await buildRegion({ level: "TOWNSHIP", parent: county, name: `青石镇${city.id.slice(-4)}` });
    const sibling = await buildRegion({ level: "COUNTY", parent: city, name: `乙县${city.id.slice(-4)}` });
    // The case's lead (承办单位) is a law-enforcement unit of the county.
    await db.organization.update({ where: { id: w.agency.id }, data: { regionId: county.id } });
    const countyBureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: county });
    const siblingBureau = await buildOrg({ kind: "JUSTICE_BUREAU", region: sibling });
    const office = await buildOrg({ kind: "JUSTICE_OFFICE", region: township });
    const countyCoord = await buildSessionCookie((await buildUser({ org: countyBureau, role: "COORDINATOR" })).id);
    const siblingCoord = await buildSessionCookie((await buildUser({ org: siblingBureau, role: "COORDINATOR" })).id);
    const officeViewer = await buildSessionCookie((await buildUser({ org: office, role: "VIEWER" })).id);
    const { caseA } = await finalizedListing(w);

    const page = await app.request(`/items/${caseA}`, { cookie: countyCoord });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(CASE_A);
    expect((await app.request(`/ledger`, { cookie: countyCoord }).then((r) => r.text())).includes(CASE_A)).toBe(true);
    // A township's 司法所 lies below the county, not above it: it does not supervise the county's unit.
    expect([403, 404]).toContain((await app.request(`/items/${caseA}`, { cookie: officeViewer })).status);
    expect([403, 404]).toContain((await app.request(`/items/${caseA}`, { cookie: siblingCoord })).status);
    expect((await app.request(`/ledger`, { cookie: siblingCoord }).then((r) => r.text())).includes(CASE_A)).toBe(false);
    const refused = await reportProgress(caseA, countyCoord, "越权报送", "");
    expect(refused.status).toBe(403);
  });

  it("the same progress report sent twice at once (a double click) is stored once", async () => {
    const w = await world();
    const db = getDb();
    const { caseA } = await finalizedListing(w);
    const before = await db.progressReport.count({ where: { itemId: caseA } });
    const answers = await Promise.all([
      reportProgress(caseA, w.cookies.lead, "已完成第一阶段调查取证。", "IN_PROGRESS"),
      reportProgress(caseA, w.cookies.lead, "已完成第一阶段调查取证。", "IN_PROGRESS"),
    ]);
    for (const a of answers) expect(a.status).toBe(302);
    expect(await db.progressReport.count({ where: { itemId: caseA } })).toBe(before + 1);
    // A different report is a new one.
    await redirected(await reportProgress(caseA, w.cookies.lead, "已完成第二阶段调查取证。", ""));
    expect(await db.progressReport.count({ where: { itemId: caseA } })).toBe(before + 2);
  });
});
