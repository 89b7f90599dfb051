import { readdirSync, readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { newId } from "~/utils/ids";
import { activateItems, syncTrackedItems } from "~/models/tracked-item.server";
import { addDaysIso, chinaDay } from "~/domain/dates";
import { quarterOf, TEMPLATE_CASE_SHEET, TEMPLATE_FIGURE_SHEET } from "~/domain/litigation";
import { CloseCode } from "../../app/protocol/collab";
import { connectClient, rawSocket, waitFor, type TestClient } from "../collab/client";
import {
  buildDocument,
  buildLitigationReport,
  buildOrg,
  buildRegion,
  buildSessionCookie,
  buildUser,
} from "../factories";
import {
  COLLAB_FRAMES,
  fiveMbBody,
  HOSTILE_FILE_NAMES,
  hostileSpreadsheets,
  malformedMultipart,
  ONE_MB_FIELD,
  PDF_BYTES,
  RAW_ENCODED,
  SCALARS,
  UNKNOWN_INTENTS,
  WATCH_PAYLOADS,
  type HostileFile,
  type Payload,
  type RawBody,
} from "../fixtures/corpus/bad-input";
import { litigationReportRows, startServer, thematicReportRows, type RunningServer } from "./helpers";

/**
 * The bad-input corpus (tests/fixtures/corpus/bad-input.ts) against every form and API: every route
 * file with an `action`, every intent, every field. No answer may be a 5xx; a refusal is a 4xx with a
 * Chinese message (or a redirect); a refused request changes nothing saved; a value a text field may
 * legitimately take (an SQL-looking title, an RTL mark, an emoji sequence) is stored byte-identical
 * (after the trimming every text field does). Requests go out as the hydrated app sends them
 * (`?_data=<route id>`: the body is the action's own JSON) and, for a sample, as a plain HTML form
 * post. The collab WebSocket and socket.io get their own corpus. All rows are this file's own (the
 * PostgreSQL run shares one database): snapshots are scoped to the two worlds built here.
 */
let app: RunningServer;
const clients: TestClient[] = [];
const sockets: Socket[] = [];
const uid = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const today = () => chinaDay();
let requestsSent = 0;

type Entries = Array<[string, string]>;
type World = Awaited<ReturnType<typeof world>>;
let me: World;
let foreign: World;

/** What the court's workbook upload receives besides the generic files: hostile spreadsheets (see casesFor). */
let spreadsheets: HostileFile[] = [];

beforeAll(async () => {
  app = await startServer();
  me = await world("甲");
  foreign = await world("乙");
  spreadsheets = [...(await hostileSpreadsheets()), ...(await courtWorkbooks(me))];
}, 120_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.close();
  await app?.close();
  console.log(`[bad-input-corpus] ${requestsSent} HTTP requests sent`);
});

function idFrom(location: string | null, re: RegExp): string {
  const id = re.exec(location ?? "")?.[1];
  if (!id) throw new Error(`no id in ${location}`);
  return id;
}

function post(
  path: string,
  cookie: string,
  entries: Entries,
  init: {
    multipart?: boolean;
    files?: Array<{ field: string; name: string; bytes: Uint8Array; type?: string }>;
  } = {},
) {
  requestsSent++;
  if (init.multipart || init.files?.length) {
    const fd = new FormData();
    for (const [k, v] of entries) fd.append(k, v);
    for (const f of init.files ?? [])
      fd.append(f.field, new Blob([f.bytes as BlobPart], { type: f.type ?? "application/pdf" }), f.name);
    return app.request(path, { cookie, method: "POST", body: fd });
  }
  return app.request(path, {
    cookie,
    method: "POST",
    body: new URLSearchParams(entries).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

function postRaw(path: string, cookie: string, raw: RawBody) {
  requestsSent++;
  return app.request(path, {
    cookie,
    method: "POST",
    body: raw.body as BodyInit,
    headers: { "Content-Type": raw.contentType },
  });
}

/** Two cities, each with a justice bureau, a court, a procuratorate and an agency, their people and objects. */
async function world(tag: string) {
  const db = getDb();
  const region = await buildRegion({ level: "CITY", name: `语料${tag}市${uid}` });
  const bureau = await buildOrg({ region, kind: "JUSTICE_BUREAU", name: `语料${tag}市司法局${uid}` });
  const court = await buildOrg({ region, kind: "COURT", name: `语料${tag}市人民法院${uid}` });
  const procuratorate = await buildOrg({ region, kind: "PROCURATORATE", name: `语料${tag}市人民检察院${uid}` });
  const agency = await buildOrg({ region, kind: "ENFORCEMENT_AGENCY", name: `语料${tag}市市场监督管理局${uid}` });
  const users = {
    admin: await buildUser({ org: bureau, role: "ADMIN" }),
    coord: await buildUser({ org: bureau, role: "COORDINATOR" }),
    drafter: await buildUser({ org: bureau, role: "DRAFTER" }),
    publisher: await buildUser({ org: bureau, role: "PUBLISHER" }),
    courtDrafter: await buildUser({ org: court, role: "DRAFTER" }),
    lead: await buildUser({ org: agency, role: "DRAFTER" }),
    liaison: await buildUser({ org: procuratorate, role: "LIAISON" }),
    procuCoord: await buildUser({ org: procuratorate, role: "COORDINATOR" }),
    target: await buildUser({ org: agency, role: "VIEWER", displayName: `语料目标${tag}` }),
    account: await buildUser({ org: agency, role: "VIEWER" }),
  };
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)] as const)),
  ) as Record<keyof typeof users, string>;
  const members = [{ orgId: court.id, access: "WRITE" as const }];
  const doc = await buildDocument({
    ownerOrg: bureau,
    createdById: users.drafter.id,
    members,
    title: `语料文书${tag}`,
  });
  const csDoc = await buildDocument({
    ownerOrg: bureau,
    createdById: users.drafter.id,
    members,
    title: `语料会签${tag}`,
  });
  const minutes = await buildDocument({
    ownerOrg: bureau,
    createdById: users.drafter.id,
    members,
    title: `语料纪要${tag}`,
  });
  const itemId = `corpus${tag === "甲" ? "A" : "B"}${uid}`.slice(0, 60);
  const item = {
    type: "trackedItem",
    attrs: {
      itemId,
      feedbackCycle: "NONE",
      leadOrgId: agency.id,
      supportingOrgIds: court.id,
      dueDate: addDaysIso(today(), 30),
    },
    content: [{ type: "text", text: "语料议定事项" }],
  };
  await db.$transaction((tx) => syncTrackedItems(tx, minutes.id, { type: "doc", content: [item] }));
  await db.document.update({ where: { id: minutes.id }, data: { status: "FINALIZED" } });
  await db.$transaction((tx) => activateItems(tx, minutes.id));
  const ext = await post(`/items/${itemId}`, cookies.lead, [
    ["intent", "extension"],
    ["newDate", addDaysIso(today(), 60)],
    ["reason", "需要协调"],
  ]);
  expect(ext.status, "pending extension").toBe(302);
  const extensionId = (await db.extensionRequest.findFirstOrThrow({ where: { itemId }, select: { id: true } })).id;

  const rec = await post("/recommendations/new", cookies.liaison, [
    ["kind", "PROCURATORIAL"],
    ["docNumber", `语检建〔2026〕${uid}${tag}号`],
    ["title", "关于语料测试的检察建议"],
    ["problems", "问题一\n问题二"],
    ["issuerOrgId", procuratorate.id],
    ["recipientOrgId", agency.id],
    ["copyOrgIds", bureau.id],
    ["issuedOn", addDaysIso(today(), -7)],
    ["receivedOn", addDaysIso(today(), -5)],
  ]);
  const recommendationId = idFrom(rec.headers.get("location"), /^\/recommendations\/([A-Za-z0-9_-]+)/);
  // A clue (线索移送) from the justice bureau to the procuratorate, with one material.
  const clueForm = new FormData();
  for (const [k, v] of [
    ["fromOrgId", bureau.id],
    ["toOrgId", procuratorate.id],
    ["docNumber", `语司移〔2026〕${uid}${tag}号`],
    ["source", "SUPERVISION"],
    ["summary", "语料线索摘要"],
    ["involvedPersons", "语料人员"],
    ["needsFeedback", "on"],
  ])
    clueForm.append(k, v);
  clueForm.append("files", new Blob([PDF_BYTES as BlobPart], { type: "application/pdf" }), "材料.pdf");
  requestsSent++;
  const clue = await app.request("/clues/new", { cookie: cookies.coord, method: "POST", body: clueForm });
  const clueId = idFrom(clue.headers.get("location"), /^\/clues\/([A-Za-z0-9_-]+)/);
  // Signed for and being handled: the feedback form can be accepted once (with a corpus text).
  for (const intent of ["receive", "startHandling"]) {
    const res = await post(`/clues/${clueId}`, cookies.procuCoord, [["intent", intent]]);
    expect(res.status, `clue ${intent}`).toBe(302);
  }
  // An entry of the region's 专家库, kept by the justice bureau's coordinator.
  const person = await post("/experts/new", cookies.coord, [
    ["regionId", region.id],
    ["kind", "EXPERT"],
    ["name", `语料专家${tag}`],
    ["fields", "法学"],
    ["title", "教授"],
    ["employer", "语料大学"],
    ["contact", "13900000000"],
  ]);
  const personId = idFrom(person.headers.get("location"), /^\/experts\/([A-Za-z0-9_-]+)/);
  const kase = await post("/typical-cases/new", cookies.drafter, [
    ["title", `语料典型案例${tag}${uid}`],
    ["ownerOrgId", bureau.id],
    ["field", "市场监管"],
    ["batch", "2026年上半年"],
    ["parties", "王某"],
  ]);
  const caseId = idFrom(kase.headers.get("location"), /^\/documents\/([A-Za-z0-9_-]+)/);
  const cons = await post("/consultations/new", cookies.coord, [
    ["kind", "COORDINATION"],
    ["title", `语料会商${tag}`],
    ["series", `语料系列${uid}${tag}`],
    ["conveningOrgId", bureau.id],
    ["date", addDaysIso(today(), 3)],
    ["startTime", "14:30"],
    ["endTime", "16:00"],
    ["place", "三楼会议室"],
    ["agenda", "通报情况"],
    [`role.${court.id}`, "ATTENDEE"],
  ]);
  const consultationId = idFrom(cons.headers.get("location"), /^\/consultations\/([A-Za-z0-9_-]+)/);
  // A second planned consultation, for 取消会商 (the first one goes on to its minutes).
  const toCancel = await post("/consultations/new", cookies.coord, [
    ["kind", "COORDINATION"],
    ["title", `语料待取消会商${tag}`],
    ["series", `语料系列${uid}${tag}`],
    ["conveningOrgId", bureau.id],
    ["date", addDaysIso(today(), 4)],
    ["startTime", "09:30"],
    ["endTime", "11:00"],
    ["place", "二楼会议室"],
    ["agenda", "通报情况"],
    [`role.${court.id}`, "ATTENDEE"],
  ]);
  const cancelConsultationId = idFrom(toCancel.headers.get("location"), /^\/consultations\/([A-Za-z0-9_-]+)/);
  const participantId = (
    await db.consultationParticipant.findFirstOrThrow({
      where: { consultationId, orgId: court.id },
      select: { id: true },
    })
  ).id;
  const targetMembershipId = (
    await db.membership.findFirstOrThrow({ where: { userId: users.target.id }, select: { id: true } })
  ).id;
  // 府院联动: the court's four quarters of last year (填报中); the first with the agency's figures and a
  // notable case. 添加典型案件 goes to all four in turn (a quarter takes 50 cases).
  const litigationYear = quarterOf(new Date()).year - 1;
  const litigationIds: string[] = [];
  for (const quarter of [1, 2, 3, 4]) {
    const first = quarter === 1;
    const { id } = await buildLitigationReport({
      court,
      year: litigationYear,
      quarter,
      createdById: users.courtDrafter.id,
      figures: first
        ? [{ agencyOrgId: agency.id, filed: 6, concluded: 5, lost: 1, headAppeared: 4, mediatedWithdrawn: 1 }]
        : [],
      cases: first
        ? [
            {
              agencyOrgId: agency.id,
              caseNumber: `（${litigationYear}）语01行初1号`,
              cause: "行政处罚",
              outcome: "判决撤销被诉处罚决定",
              problem: "未听取当事人陈述申辩",
            },
          ]
        : [],
    });
    litigationIds.push(id);
  }
  const litigationId = litigationIds[0]!;
  return {
    tag,
    region,
    bureau,
    court,
    procuratorate,
    agency,
    users,
    cookies,
    doc,
    csDoc,
    minutes,
    itemId,
    extensionId,
    recommendationId,
    clueId,
    personId,
    caseId,
    consultationId,
    cancelConsultationId,
    participantId,
    targetMembershipId,
    litigationYear,
    litigationId,
    litigationIds,
  };
}

/**
 * The court's own template (downloaded as the page offers it) carrying hostile content: every cell of
 * the figures sheet and of the notable cases a corpus value or an exotic cell type (a formula, an
 * error, a date, a boolean, rich text), and one with more rows than a quarter may have — refused row
 * by row, nothing imported — and last the template filled in right (the control: accepted).
 */
async function courtWorkbooks(w: World): Promise<HostileFile[]> {
  const template = async () => {
    const res = await app.request(`/litigation/${w.litigationId}/workbook`, { cookie: w.cookies.courtDrafter });
    expect(res.status, "the court's template").toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    return book;
  };
  const bytes = async (book: ExcelJS.Workbook) => new Uint8Array(await book.xlsx.writeBuffer());

  const hostile = await template();
  const figures = hostile.getWorksheet(TEMPLATE_FIGURE_SHEET)!;
  let row = 2;
  for (const p of SCALARS) {
    figures.getRow(row++).values = [w.agency.name, p.value, p.value, p.value, p.value, p.value];
    figures.getRow(row++).values = [p.value, 1, 1, 0, 1, 0];
  }
  figures.getRow(row++).values = [
    w.agency.name,
    { formula: "1/0", result: { error: "#DIV/0!" } },
    new Date(),
    true,
    { richText: [{ text: "1" }, { text: "2" }] },
    { text: "3", hyperlink: "https://example.com/" },
  ] as ExcelJS.CellValue[];
  figures.getRow(row++).values = [w.agency.name, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e21, "12 "];
  const cases = hostile.getWorksheet(TEMPLATE_CASE_SHEET)!;
  SCALARS.forEach((p, i) => (cases.getRow(i + 2).values = [w.agency.name, p.value, p.value, p.value, p.value]));

  const tooLong = await template();
  const many = tooLong.getWorksheet(TEMPLATE_FIGURE_SHEET)!;
  for (let r = 2; r <= 2102; r++) many.getRow(r).values = [w.agency.name, 1, 1, 0, 1, 0];

  const good = await template();
  const sheet = good.getWorksheet(TEMPLATE_FIGURE_SHEET)!;
  for (let r = 2; r <= sheet.rowCount; r++) sheet.getRow(r).values = [];
  sheet.getRow(2).values = [w.agency.name, 7, 6, 2, 5, 1];
  good.getWorksheet(TEMPLATE_CASE_SHEET)!.getRow(2).values = [
    w.agency.name,
    `（${w.litigationYear}）语01行初9号`,
    "行政强制",
    "确认违法",
    "未依法催告",
  ];
  return [
    { name: "the court's template, every cell hostile", fileName: "法院工作簿.xlsx", bytes: await bytes(hostile) },
    { name: "the court's template, 2 101 rows", fileName: "法院工作簿.xlsx", bytes: await bytes(tooLong) },
    { name: "the court's template filled in right (accepted)", fileName: "法院工作簿.xlsx", bytes: await bytes(good) },
  ];
}

/** Everything the forms could change, in both worlds, in a stable order. */
let snapMs = 0;
let snapCalls = 0;
let snapSkipped = 0;
afterAll(() =>
  console.log(
    `[corpus] snapshot ${snapCalls} calls (${snapSkipped} skipped: nothing written), ${Math.round(snapMs)} ms`,
  ),
);

/**
 * A mark that moves whenever anything is written, when that can be known exactly: on SQLite,
 * `PRAGMA data_version` changes whenever another connection (the server's own Prisma client, the
 * collab store) commits, and `total_changes()` counts the rows this file's connection changed. On
 * PostgreSQL (other files write to the same database) null: always compare.
 */
async function changeMark(): Promise<string | null> {
  if (/^postgres/.test(process.env.DATABASE_URL ?? "")) return null;
  const db = getDb();
  const [version] = await db.$queryRawUnsafe<Array<{ data_version: bigint | number }>>("PRAGMA data_version");
  const [own] = await db.$queryRawUnsafe<Array<{ n: bigint | number }>>("SELECT total_changes() AS n");
  return `${Number(version.data_version)}:${Number(own.n)}`;
}

/**
 * What was saved at one moment, to check later that nothing changed. When no row was written in
 * between (the change mark did not move), the deep snapshot is neither retaken nor compared.
 */
class Baseline {
  private constructor(
    private mark: string | null,
    private snap: Snapshot,
  ) {}
  static async take(): Promise<Baseline> {
    const mark = await changeMark();
    return new Baseline(mark, await snapshot());
  }
  /** Moves the baseline to now (after an accepted request). */
  async advance(): Promise<void> {
    const mark = await changeMark();
    if (mark !== null && mark === this.mark) {
      snapSkipped++;
      return;
    }
    this.mark = mark;
    this.snap = await snapshot();
  }
  /** Asserts that nothing saved changed since the baseline. */
  async expectUnchanged(message: string): Promise<void> {
    const mark = await changeMark();
    if (mark !== null && mark === this.mark) {
      snapSkipped++;
      return;
    }
    expect(await snapshot(), message).toEqual(this.snap);
    // Rows were written but nothing the snapshot holds changed (e.g. a session row): same baseline.
    this.mark = mark;
  }
}
type Snapshot = Awaited<ReturnType<typeof snapshotInner>>;
async function snapshot() {
  const t0 = performance.now();
  try {
    return await snapshotInner();
  } finally {
    snapMs += performance.now() - t0;
    snapCalls++;
  }
}
async function snapshotInner() {
  const db = getDb();
  const regionPaths = [me.region.path, foreign.region.path];
  const orgWhere = { region: { OR: regionPaths.map((p) => ({ path: { startsWith: p } })) } };
  const orgs = await db.organization.findMany({
    where: orgWhere,
    select: { id: true, name: true, shortName: true, kind: true, regionId: true, active: true },
    orderBy: { id: "asc" },
  });
  const orgIds = orgs.map((o) => o.id);
  const [
    regions,
    users,
    memberships,
    documents,
    members,
    versions,
    countersigns,
    items,
    reports,
    attachments,
    extensions,
    recommendations,
    copies,
    cases,
    overrides,
    publications,
    consultations,
    participants,
    clues,
    clueGrants,
    externalPeople,
    litigationReports,
    thematicReports,
  ] = await Promise.all([
    db.region.findMany({
      where: { OR: regionPaths.map((p) => ({ path: { startsWith: p } })) },
      select: { id: true, name: true, level: true },
      orderBy: { id: "asc" },
    }),
    db.user.findMany({
      where: {
        OR: [
          { memberships: { some: { orgId: { in: orgIds } } } },
          { username: { startsWith: `corpus${uid}` } },
          // The accounts opened for the worlds' 专家库 entries (no membership).
          { externalPerson: { region: { OR: regionPaths.map((p) => ({ path: { startsWith: p } })) } } },
        ],
      },
      select: { id: true, username: true, displayName: true, passwordHash: true, active: true },
      orderBy: { id: "asc" },
    }),
    db.membership.findMany({
      where: { orgId: { in: orgIds } },
      select: { id: true, userId: true, orgId: true, role: true },
      orderBy: { id: "asc" },
    }),
    db.document.findMany({
      where: { ownerOrgId: { in: orgIds } },
      // 关注 (ADR 029) with the document: a refused star intent stars nothing.
      select: {
        id: true,
        title: true,
        status: true,
        type: true,
        stars: { select: { userId: true }, orderBy: { userId: "asc" } },
      },
      orderBy: { id: "asc" },
    }),
    db.documentMember.findMany({
      where: { document: { ownerOrgId: { in: orgIds } } },
      select: { documentId: true, orgId: true, userId: true, access: true },
      orderBy: [{ documentId: "asc" }, { orgId: "asc" }],
    }),
    db.documentVersion.findMany({
      where: { document: { ownerOrgId: { in: orgIds } } },
      select: { documentId: true, number: true, name: true },
      orderBy: [{ documentId: "asc" }, { number: "asc" }],
    }),
    db.countersign.findMany({
      where: { document: { ownerOrgId: { in: orgIds } } },
      select: { id: true, decision: true, comment: true },
      orderBy: { id: "asc" },
    }),
    db.trackedItem.findMany({
      where: { ownerOrgId: { in: orgIds } },
      select: { id: true, status: true, dueDate: true, lastProgressText: true, wording: true },
      orderBy: { id: "asc" },
    }),
    db.progressReport.findMany({
      where: { item: { ownerOrgId: { in: orgIds } } },
      select: { id: true, text: true, newStatus: true },
      orderBy: { id: "asc" },
    }),
    db.attachment.findMany({
      where: {
        OR: [
          { report: { item: { ownerOrgId: { in: orgIds } } } },
          { recommendation: { issuerOrgId: { in: orgIds } } },
          { clue: { fromOrgId: { in: orgIds } } },
        ],
      },
      select: { id: true, fileName: true },
      orderBy: { id: "asc" },
    }),
    db.extensionRequest.findMany({
      where: { item: { ownerOrgId: { in: orgIds } } },
      select: { id: true, status: true, reason: true },
      orderBy: { id: "asc" },
    }),
    db.recommendation.findMany({
      where: { issuerOrgId: { in: orgIds } },
      select: {
        id: true,
        title: true,
        docNumber: true,
        problems: true,
        status: true,
        replyDueDate: true,
        planDocumentId: true,
        replyDocumentId: true,
        closedAt: true,
      },
      orderBy: { id: "asc" },
    }),
    db.recommendationCopy.findMany({
      where: { orgId: { in: orgIds } },
      select: { recommendationId: true, orgId: true },
      orderBy: [{ recommendationId: "asc" }, { orgId: "asc" }],
    }),
    db.typicalCase.findMany({
      where: { document: { ownerOrgId: { in: orgIds } } },
      select: { documentId: true, batch: true, field: true, parties: true },
      orderBy: { documentId: "asc" },
    }),
    db.redactionOverride.findMany({
      where: { typicalCase: { document: { ownerOrgId: { in: orgIds } } } },
      select: { id: true, reason: true },
      orderBy: { id: "asc" },
    }),
    db.publication.findMany({
      where: { document: { ownerOrgId: { in: orgIds } } },
      select: { id: true, slug: true, title: true },
      orderBy: { id: "asc" },
    }),
    db.consultation.findMany({
      where: { conveningOrgId: { in: orgIds } },
      select: {
        id: true,
        title: true,
        series: true,
        place: true,
        agenda: true,
        status: true,
        minutesId: true,
        startsAt: true,
        endsAt: true,
        sequence: true,
        cancelledAt: true,
        cancelReason: true,
        rsvpChasedAt: true,
      },
      orderBy: { id: "asc" },
    }),
    db.consultationParticipant.findMany({
      where: { orgId: { in: orgIds } },
      select: {
        id: true,
        attendance: true,
        absenceReason: true,
        role: true,
        rsvp: true,
        rsvpReason: true,
        delegateUserId: true,
        rsvpAt: true,
      },
      orderBy: { id: "asc" },
    }),
    db.clue.findMany({
      where: { fromOrgId: { in: orgIds } },
      select: {
        id: true,
        docNumber: true,
        toOrgId: true,
        source: true,
        summary: true,
        involvedUnits: true,
        involvedPersons: true,
        status: true,
        needsFeedback: true,
        feedbackDueAt: true,
        returnedReason: true,
        feedbackOutcome: true,
        feedbackText: true,
        closedAt: true,
      },
      orderBy: { id: "asc" },
    }),
    db.clueGrant.findMany({
      where: { clue: { fromOrgId: { in: orgIds } } },
      select: { clueId: true, orgId: true },
      orderBy: [{ clueId: "asc" }, { orgId: "asc" }],
    }),
    db.externalPerson.findMany({
      where: { region: { OR: regionPaths.map((p) => ({ path: { startsWith: p } })) } },
      select: {
        id: true,
        regionId: true,
        kind: true,
        name: true,
        fields: true,
        title: true,
        employer: true,
        contact: true,
        status: true,
        userId: true,
      },
      orderBy: { id: "asc" },
    }),
    litigationReportRows(orgIds),
    thematicReportRows(orgIds),
  ]);
  return {
    regions,
    orgs,
    users,
    memberships,
    documents,
    members,
    versions,
    countersigns,
    items,
    reports,
    attachments,
    extensions,
    recommendations,
    copies,
    cases,
    overrides,
    publications,
    consultations,
    participants,
    clues,
    clueGrants,
    externalPeople,
    litigationReports,
    thematicReports,
  };
}

/** Reads back what a field stored; the second argument is the redirect's location. */
type Reader = (w: World, location: string) => Promise<unknown>;

interface FormSpec {
  /** The route file (app/routes/<file>) whose action answers. */
  file: string;
  label: string;
  path: (w: World) => string;
  cookie: (w: World) => string;
  base: (w: World) => Entries;
  multipart?: boolean;
  /** Name of a file field: hostile file names are uploaded there. */
  fileField?: string;
  /** The file field takes an .xlsx: the hostile spreadsheets are uploaded there too. */
  spreadsheet?: boolean;
  /** Text fields where a storable value may be accepted, and how to read it back. */
  text?: Record<string, Reader>;
  /** How a text field stores its value when not as the trimmed string (e.g. one agenda line per entry). */
  stored?: Record<string, (value: string) => unknown>;
  /** Accepting a changed non-text field is legitimate for this form (a state change, a new row). */
  mayAccept?: boolean;
  /** Fields never replaced by corpus values (e.g. the account's current password). */
  keep?: string[];
  /** Send only these cases (login: nothing may reach the password check too often). */
  only?: (c: Case) => boolean;
}

const counter = { n: 0 };
const fresh = () => `${uid}${(counter.n++).toString(36)}`;
const locId = (re: RegExp) => (location: string) => idFrom(location, re);
const docTitle: Reader = async (_w, location) =>
  (
    await getDb().document.findUniqueOrThrow({
      where: { id: locId(/^\/documents\/([A-Za-z0-9_-]+)/)(location) },
      select: { title: true },
    })
  ).title;

/** One table row per form (route × intent). The test fails when a route with an action is missing. */
const FORMS: FormSpec[] = [
  {
    file: "_app._index.tsx",
    label: "workbench: close the first-use card",
    // An index route's form posts to "?index" (what the page's <Form> sends).
    path: () => "/?index",
    cookie: (w) => w.cookies.coord,
    base: () => [["intent", "dismissTour"]],
    mayAccept: true,
  },
  {
    file: "login.tsx",
    label: "sign in",
    path: () => "/login",
    cookie: () => "",
    base: () => [
      ["username", `corpus${uid}nobody`],
      ["password", "x"],
    ],
    // Each refused sign-in counts against 127.0.0.1 (shared with every other test on PostgreSQL): only
    // cases the form's own checks refuse, plus two SQL-looking user names.
    only: (c) => c.kind !== "scalar" || /SQL or-true|SQL drop/.test(c.name) || c.name.startsWith("long"),
  },
  {
    file: "logout.tsx",
    label: "sign out",
    path: () => "/logout",
    cookie: () => "",
    base: () => [["redirectTo", "/"]],
    mayAccept: true,
  },
  {
    file: "_app.account.tsx",
    label: "password change",
    path: () => "/account",
    cookie: (w) => w.cookies.account,
    base: () => [
      ["currentPassword", "wrong-current-1"],
      ["newPassword", "NewCorpus2026pw"],
      ["confirmPassword", "NewCorpus2026pw"],
    ],
    keep: ["currentPassword"],
  },
  {
    file: "_app.admin.orgs.new.tsx",
    label: "admin: new org",
    path: () => "/admin/orgs/new",
    cookie: (w) => w.cookies.admin,
    base: (w) => [
      ["name", `语料新单位${fresh()}`],
      ["shortName", ""],
      ["kind", "ENFORCEMENT_AGENCY"],
      ["regionId", w.region.id],
    ],
    text: {
      name: async (_w, l) =>
        (await getDb().organization.findUniqueOrThrow({ where: { id: locId(/^\/admin\/orgs\/([A-Za-z0-9_-]+)/)(l) } }))
          .name,
      shortName: async (_w, l) =>
        (await getDb().organization.findUniqueOrThrow({ where: { id: locId(/^\/admin\/orgs\/([A-Za-z0-9_-]+)/)(l) } }))
          .shortName,
    },
    mayAccept: true,
  },
  {
    file: "_app.admin.orgs.$orgId.tsx",
    label: "admin: edit org",
    path: (w) => `/admin/orgs/${w.agency.id}`,
    cookie: (w) => w.cookies.admin,
    base: (w) => [
      ["name", w.agency.name],
      ["shortName", "语料简称"],
      ["kind", "ENFORCEMENT_AGENCY"],
      ["regionId", w.region.id],
      ["active", "on"],
    ],
    text: {
      name: async (w) => (await getDb().organization.findUniqueOrThrow({ where: { id: w.agency.id } })).name,
      shortName: async (w) => (await getDb().organization.findUniqueOrThrow({ where: { id: w.agency.id } })).shortName,
    },
    mayAccept: true,
  },
  {
    file: "_app.admin.orgs._index.tsx",
    label: "admin: new region",
    path: () => "/admin/orgs",
    cookie: (w) => w.cookies.admin,
    base: (w) => [
      ["intent", "createRegion"],
      ["parentId", w.region.id],
      ["level", "COUNTY"],
      ["name", `语料县${fresh()}`],
      ["code", ""],
    ],
    mayAccept: true,
  },
  {
    file: "_app.admin.users.new.tsx",
    label: "admin: new user",
    path: () => "/admin/users/new",
    cookie: (w) => w.cookies.admin,
    base: (w) => [
      ["username", `corpus${fresh()}`],
      ["displayName", "语料新用户"],
      ["password", "Corpus2026pw"],
      ["orgId", w.agency.id],
      ["role", "DRAFTER"],
    ],
    text: {
      displayName: async (_w, l) =>
        (await getDb().user.findUniqueOrThrow({ where: { id: locId(/^\/admin\/users\/([A-Za-z0-9_-]+)/)(l) } }))
          .displayName,
    },
    mayAccept: true,
  },
  ...(["profile", "addMembership", "removeMembership", "changeRole", "resetPassword"] as const).map(
    (intent): FormSpec => ({
      file: "_app.admin.users.$userId.tsx",
      label: `admin: edit user (${intent})`,
      path: (w) => `/admin/users/${w.users.target.id}`,
      cookie: (w) => w.cookies.admin,
      base: (w) =>
        intent === "profile"
          ? [
              ["intent", intent],
              ["displayName", `语料目标${w.tag}`],
              ["active", "on"],
            ]
          : intent === "addMembership"
            ? [
                ["intent", intent],
                ["orgId", w.court.id],
                ["role", "VIEWER"],
              ]
            : intent === "removeMembership"
              ? [
                  ["intent", intent],
                  ["membershipId", foreign.targetMembershipId],
                ]
              : intent === "changeRole"
                ? [
                    ["intent", intent],
                    ["membershipId", foreign.targetMembershipId],
                    ["role", "VIEWER"],
                  ]
                : [
                    ["intent", intent],
                    ["password", "Reset2026corpus"],
                  ],
      text:
        intent === "profile"
          ? {
              displayName: async (w) =>
                (await getDb().user.findUniqueOrThrow({ where: { id: w.users.target.id } })).displayName,
            }
          : undefined,
      mayAccept: intent !== "removeMembership" && intent !== "changeRole",
    }),
  ),
  {
    file: "_app.admin.diagnostics.tsx",
    label: "admin: test notification",
    path: () => "/admin/diagnostics",
    cookie: (w) => w.cookies.admin,
    base: () => [["intent", "testNotification"]],
    mayAccept: true,
  },
  {
    file: "password.tsx",
    label: "first sign-in password (not pending: sent on)",
    path: () => "/password",
    cookie: (w) => w.cookies.account,
    base: () => [
      ["currentPassword", "wrong-current-1"],
      ["newPassword", "NewCorpus2026pw"],
      ["confirmPassword", "NewCorpus2026pw"],
    ],
    mayAccept: true,
  },
  {
    file: "_app.documents.new.tsx",
    label: "new document",
    path: () => "/documents/new",
    cookie: (w) => w.cookies.drafter,
    base: (w) => [
      ["title", "语料新文书"],
      ["type", "MINUTES"],
      ["ownerOrgId", w.bureau.id],
      [`access.${w.court.id}`, "WRITE"],
    ],
    text: { title: docTitle },
    mayAccept: true,
  },
  {
    file: "_app.documents.new.tsx",
    label: "new document (multipart, 从 Word 导入)",
    path: () => "/documents/new",
    cookie: (w) => w.cookies.drafter,
    base: (w) => [
      ["title", "语料Word文书"],
      ["type", "MINUTES"],
      ["ownerOrgId", w.bureau.id],
      [`access.${w.court.id}`, "WRITE"],
    ],
    multipart: true,
    // Hostile names, six files, HTML disguised: refused as not a (single) Word file; an empty file is no file.
    fileField: "wordFile",
    text: { title: docTitle },
    mayAccept: true,
  },
  ...(["members", "requestCountersign", "approve", "return"] as const).map((intent): FormSpec => ({
    file: "_app.documents.$documentId.tsx",
    label: `document (${intent})`,
    path: (w) => `/documents/${intent === "members" ? w.doc.id : w.csDoc.id}`,
    cookie: (w) => (intent === "approve" || intent === "return" ? w.cookies.courtDrafter : w.cookies.drafter),
    base: (w) =>
      intent === "members"
        ? [
            ["intent", intent],
            [`member.${w.court.id}`, "WRITE"],
            ["addOrgId", w.agency.id],
            ["addAccess", "READ"],
          ]
        : intent === "requestCountersign"
          ? [["intent", intent]]
          : [
              ["intent", intent],
              ["comment", "同意"],
            ],
    mayAccept: true,
  })),
  {
    // ☆/★ 关注 (ADR 029): "0" or "1", anything else refused in Chinese.
    file: "_app.documents.$documentId.tsx",
    label: "document (star)",
    path: (w) => `/documents/${w.doc.id}`,
    cookie: (w) => w.cookies.drafter,
    base: () => [
      ["intent", "star"],
      ["starred", "1"],
    ],
    mayAccept: true,
  },
  ...(["name", "restore"] as const).map((intent): FormSpec => ({
    file: "_app.documents.$documentId_.versions._index.tsx",
    label: `versions (${intent})`,
    path: (w) => `/documents/${w.doc.id}/versions`,
    cookie: (w) => w.cookies.drafter,
    base: () =>
      intent === "name"
        ? [
            ["intent", intent],
            ["name", "语料版本"],
          ]
        : [
            ["intent", intent],
            ["number", "1"],
          ],
    text:
      intent === "name"
        ? {
            name: async (w) =>
              (
                await getDb().documentVersion.findFirstOrThrow({
                  where: { documentId: w.doc.id },
                  orderBy: { number: "desc" },
                  select: { name: true },
                })
              ).name,
          }
        : undefined,
    mayAccept: true,
  })),
  {
    file: "_app.consultations.new.tsx",
    label: "convene consultation",
    path: () => "/consultations/new",
    cookie: (w) => w.cookies.coord,
    base: (w) => [
      ["kind", "COORDINATION"],
      ["title", "语料会商"],
      ["series", `语料系列${uid}${w.tag}`],
      ["conveningOrgId", w.bureau.id],
      ["date", addDaysIso(today(), 5)],
      ["startTime", "09:00"],
      ["endTime", "10:00"],
      ["place", "会议室"],
      ["agenda", "通报情况"],
      [`role.${w.court.id}`, "ATTENDEE"],
      ["carry", w.itemId],
    ],
    text: Object.fromEntries(
      (["title", "series", "place", "agenda"] as const).map((f) => [
        f,
        async (_w: World, l: string) =>
          (
            await getDb().consultation.findUniqueOrThrow({
              where: { id: locId(/^\/consultations\/([A-Za-z0-9_-]+)/)(l) },
            })
          )[f],
      ]),
    ),
    stored: {
      agenda: (v) =>
        JSON.stringify(
          v
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean)
            .slice(0, 30),
        ),
    },
    mayAccept: true,
  },
  // The invitation (ADR 021) before the minutes: 催办 (then 429 within the hour), 参会回执 by the
  // invited court, 修改时间地点议程; 取消 on a consultation of its own.
  {
    file: "_app.consultations.$consultationId._index.tsx",
    label: "consultation (chaseReplies)",
    path: (w) => `/consultations/${w.consultationId}`,
    cookie: (w) => w.cookies.coord,
    base: () => [["intent", "chaseReplies"]],
    mayAccept: true,
  },
  {
    file: "_app.consultations.$consultationId._index.tsx",
    label: "consultation (rsvp)",
    path: (w) => `/consultations/${w.consultationId}`,
    cookie: (w) => w.cookies.courtDrafter,
    base: (w) => [
      ["intent", "rsvp"],
      ["participantId", w.participantId],
      ["answer", "DECLINED"],
      ["reason", "另有公务"],
    ],
    text: {
      reason: async (w) =>
        (await getDb().consultationParticipant.findUniqueOrThrow({ where: { id: w.participantId } })).rsvpReason,
    },
    mayAccept: true,
  },
  {
    file: "_app.consultations.$consultationId._index.tsx",
    label: "consultation (reschedule)",
    path: (w) => `/consultations/${w.consultationId}`,
    cookie: (w) => w.cookies.coord,
    base: () => [
      ["intent", "reschedule"],
      ["date", addDaysIso(today(), 6)],
      ["startTime", "09:00"],
      ["endTime", "10:00"],
      ["place", "五楼会议室"],
      ["agenda", "通报情况"],
    ],
    text: Object.fromEntries(
      (["place", "agenda"] as const).map((f) => [
        f,
        async (w: World) => (await getDb().consultation.findUniqueOrThrow({ where: { id: w.consultationId } }))[f],
      ]),
    ),
    stored: {
      agenda: (v) =>
        JSON.stringify(
          v
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean)
            .slice(0, 30),
        ),
    },
    mayAccept: true,
  },
  {
    file: "_app.consultations.$consultationId._index.tsx",
    label: "consultation (cancel)",
    path: (w) => `/consultations/${w.cancelConsultationId}`,
    cookie: (w) => w.cookies.coord,
    base: () => [
      ["intent", "cancel"],
      ["cancelReason", "上级临时部署其他工作"],
    ],
    text: {
      cancelReason: async (w) =>
        (await getDb().consultation.findUniqueOrThrow({ where: { id: w.cancelConsultationId } })).cancelReason,
    },
    mayAccept: true,
  },
  ...(["attendance", "createMinutes"] as const).map((intent): FormSpec => ({
    file: "_app.consultations.$consultationId._index.tsx",
    label: `consultation (${intent})`,
    path: (w) => `/consultations/${w.consultationId}`,
    cookie: (w) => w.cookies.coord,
    base: (w) =>
      intent === "attendance"
        ? [
            ["intent", intent],
            [`attendance.${w.participantId}`, "ABSENT"],
            [`reason.${w.participantId}`, "另有公务"],
          ]
        : [["intent", intent]],
    text:
      intent === "attendance"
        ? {
            "reason.*": async (w) =>
              (await getDb().consultationParticipant.findUniqueOrThrow({ where: { id: w.participantId } }))
                .absenceReason,
          }
        : undefined,
    mayAccept: true,
  })),
  {
    file: "_app.items.$itemId.tsx",
    label: "item (progress, multipart)",
    path: (w) => `/items/${w.itemId}`,
    cookie: (w) => w.cookies.lead,
    base: () => [
      ["intent", "progress"],
      ["text", "语料进展"],
      ["newStatus", ""],
    ],
    multipart: true,
    fileField: "files",
    text: {
      text: async (w) =>
        (
          await getDb().progressReport.findFirstOrThrow({
            where: { itemId: w.itemId },
            orderBy: { createdAt: "desc" },
            select: { text: true },
          })
        ).text,
    },
    mayAccept: true,
  },
  ...(
    [
      "extension",
      "decideExtension",
      "close",
      "sendBack",
      "reopen",
      "requestRelease",
      "confirmRelease",
      "returnRelease",
    ] as const
  ).map((intent): FormSpec => ({
    file: "_app.items.$itemId.tsx",
    label: `item (${intent})`,
    path: (w) => `/items/${w.itemId}`,
    cookie: (w) => (intent === "extension" ? w.cookies.lead : w.cookies.coord),
    base: (w) =>
      intent === "extension"
        ? [
            ["intent", intent],
            ["newDate", addDaysIso(today(), 90)],
            ["reason", "语料延期理由"],
          ]
        : intent === "decideExtension"
          ? [
              ["intent", intent],
              ["requestId", w.extensionId],
              ["decision", "refuse"],
              ["comment", "不同意"],
            ]
          : [
              ["intent", intent],
              ["comment", "语料意见"],
            ],
    text:
      intent === "extension"
        ? {
            reason: async (w) =>
              (
                await getDb().extensionRequest.findFirstOrThrow({
                  where: { itemId: w.itemId },
                  orderBy: { createdAt: "desc" },
                  select: { reason: true },
                })
              ).reason,
          }
        : undefined,
    mayAccept: true,
  })),
  {
    file: "_app.recommendations.new.tsx",
    label: "register recommendation",
    path: () => "/recommendations/new",
    cookie: (w) => w.cookies.liaison,
    base: (w) => [
      ["kind", "PROCURATORIAL"],
      ["docNumber", `语检建〔2026〕${fresh()}号`],
      ["title", "语料检察建议"],
      ["problems", "问题一"],
      ["issuerOrgId", w.procuratorate.id],
      ["recipientOrgId", w.agency.id],
      ["copyOrgIds", w.bureau.id],
      ["issuedOn", addDaysIso(today(), -3)],
      ["receivedOn", addDaysIso(today(), -2)],
      ["replyDue", addDaysIso(today(), 60)],
      ["replyDueReason", "依法"],
    ],
    text: Object.fromEntries(
      (["docNumber", "title"] as const).map((f) => [
        f,
        async (_w: World, l: string) =>
          (
            await getDb().recommendation.findUniqueOrThrow({
              where: { id: locId(/^\/recommendations\/([A-Za-z0-9_-]+)/)(l) },
            })
          )[f],
      ]),
    ),
    mayAccept: true,
  },
  {
    file: "_app.recommendations.new.tsx",
    label: "register recommendation (multipart with original)",
    path: () => "/recommendations/new",
    cookie: (w) => w.cookies.liaison,
    base: (w) => [
      ["kind", "PROCURATORIAL"],
      ["docNumber", `语检建〔2026〕${fresh()}号`],
      ["title", "语料检察建议原件"],
      ["issuerOrgId", w.procuratorate.id],
      ["recipientOrgId", w.agency.id],
      ["issuedOn", addDaysIso(today(), -3)],
      ["receivedOn", addDaysIso(today(), -2)],
    ],
    multipart: true,
    fileField: "original",
    mayAccept: true,
  },
  {
    file: "_app.recommendations.$recommendationId.tsx",
    label: "recommendation (attachOriginal, multipart)",
    path: (w) => `/recommendations/${w.recommendationId}`,
    cookie: (w) => w.cookies.liaison,
    base: () => [["intent", "attachOriginal"]],
    multipart: true,
    fileField: "original",
    mayAccept: true,
  },
  ...(["changeReplyDue", "createPlan", "prepareReply", "sendReply", "close"] as const).map((intent): FormSpec => ({
    file: "_app.recommendations.$recommendationId.tsx",
    label: `recommendation (${intent})`,
    path: (w) => `/recommendations/${w.recommendationId}`,
    cookie: (w) => (intent === "changeReplyDue" || intent === "close" ? w.cookies.liaison : w.cookies.lead),
    base: () =>
      intent === "changeReplyDue"
        ? [
            ["intent", intent],
            ["replyDue", addDaysIso(today(), 70)],
            ["reason", "协商延长"],
          ]
        : intent === "close"
          ? [
              ["intent", intent],
              ["comment", "整改到位"],
            ]
          : [["intent", intent]],
    mayAccept: true,
  })),
  {
    file: "_app.clues.new.tsx",
    label: "transfer a clue (multipart with materials)",
    path: () => "/clues/new",
    cookie: (w) => w.cookies.coord,
    base: (w) => [
      ["fromOrgId", w.bureau.id],
      ["toOrgId", w.procuratorate.id],
      ["docNumber", `语司移〔2026〕${fresh()}号`],
      ["source", "COMPLAINT"],
      ["summary", "语料问题摘要"],
      ["involvedUnits", "语料涉及单位"],
      ["involvedPersons", "语料涉及人员"],
      ["needsFeedback", "on"],
      ["feedbackDue", addDaysIso(today(), 20)],
    ],
    multipart: true,
    fileField: "files",
    text: Object.fromEntries(
      (["docNumber", "summary", "involvedUnits", "involvedPersons"] as const).map((f) => [
        f,
        async (_w: World, l: string) =>
          (await getDb().clue.findUniqueOrThrow({ where: { id: locId(/^\/clues\/([A-Za-z0-9_-]+)/)(l) } }))[f],
      ]),
    ),
    mayAccept: true,
  },
  // The clue is being handled (world): 反馈 is accepted once with a corpus text, every other intent is
  // refused (409 for the state, 400 for a unit that may not be granted access).
  ...(["receive", "startHandling", "feedback", "close", "return", "grant", "revoke"] as const).map(
    (intent): FormSpec => ({
      file: "_app.clues.$clueId.tsx",
      label: `clue (${intent})`,
      path: (w) => `/clues/${w.clueId}`,
      cookie: (w) =>
        intent === "close" || intent === "grant" || intent === "revoke" ? w.cookies.coord : w.cookies.procuCoord,
      base: (w) =>
        intent === "feedback"
          ? [
              ["intent", intent],
              ["outcome", "PRELIMINARY"],
              ["text", "语料办理情况"],
            ]
          : intent === "return"
            ? [
                ["intent", intent],
                ["reason", "语料退回原因"],
              ]
            : intent === "grant" || intent === "revoke"
              ? [
                  ["intent", intent],
                  ["orgId", w.court.id],
                ]
              : [["intent", intent]],
      text:
        intent === "feedback"
          ? {
              text: async (w) => (await getDb().clue.findUniqueOrThrow({ where: { id: w.clueId } })).feedbackText,
            }
          : undefined,
      mayAccept: true,
    }),
  ),
  {
    file: "_app.clues.$clueId.tsx",
    label: "clue (feedback, multipart with materials)",
    path: (w) => `/clues/${w.clueId}`,
    cookie: (w) => w.cookies.procuCoord,
    base: () => [
      ["intent", "feedback"],
      ["outcome", "FILED"],
      ["text", "语料办理情况"],
    ],
    multipart: true,
    fileField: "files",
    mayAccept: true,
  },
  {
    file: "_app.experts.new.tsx",
    label: "专家库: add a person",
    path: () => "/experts/new",
    cookie: (w) => w.cookies.coord,
    base: (w) => [
      ["regionId", w.region.id],
      ["kind", "EXPERT"],
      ["name", "语料专家"],
      ["fields", "法学"],
      ["fields", "市场监管"],
      ["otherFields", "语料领域"],
      ["title", "教授"],
      ["employer", "语料大学"],
      ["contact", "13900000000"],
    ],
    text: Object.fromEntries(
      (["name", "title", "employer", "contact"] as const).map((f) => [
        f,
        async (_w: World, l: string) =>
          (
            await getDb().externalPerson.findUniqueOrThrow({
              where: { id: locId(/^\/experts\/([A-Za-z0-9_-]+)/)(l) },
            })
          )[f],
      ]),
    ),
    mayAccept: true,
  },
  // The world's entry: 保存 (text fields stored as typed), 停用 / 启用, 开通账号 (a corpus user name).
  ...(["save", "deactivate", "reactivate", "openAccount", "resetPassword"] as const).map((intent): FormSpec => ({
    file: "_app.experts.$personId.tsx",
    label: `专家库 entry (${intent})`,
    path: (w) => `/experts/${w.personId}`,
    cookie: (w) => w.cookies.coord,
    base: () =>
      intent === "save"
        ? [
            ["intent", intent],
            ["kind", "EXPERT"],
            ["name", "语料专家"],
            ["fields", "法学"],
            ["otherFields", "语料领域"],
            ["title", "研究员"],
            ["employer", "语料研究院"],
            ["contact", "13900000001"],
          ]
        : intent === "openAccount"
          ? [
              ["intent", intent],
              ["username", `corpus${fresh()}`],
              ["password", "Corpus2026pw"],
            ]
          : intent === "resetPassword"
            ? [
                ["intent", intent],
                ["password", "Corpus2026pw"],
              ]
            : [["intent", intent]],
    text:
      intent === "save"
        ? Object.fromEntries(
            (["name", "title", "employer", "contact"] as const).map((f) => [
              f,
              async (w: World) => (await getDb().externalPerson.findUniqueOrThrow({ where: { id: w.personId } }))[f],
            ]),
          )
        : undefined,
    mayAccept: true,
  })),
  // 府院联动 (ADR 025): the court opens a quarter (the one that exists is the answer), then on its
  // first quarter: 保存数据, 添加 / 删除典型案件, 上传工作簿, 报送 (once), 生成通报 (once, then the one
  // that exists).
  {
    file: "_app.litigation._index.tsx",
    label: "府院联动: open a quarter",
    // An index route's form posts to "?index" (what the page's <Form> sends).
    path: () => "/litigation?index",
    cookie: (w) => w.cookies.courtDrafter,
    base: (w) => [
      ["courtOrgId", w.court.id],
      ["year", String(w.litigationYear)],
      ["quarter", "2"],
    ],
    mayAccept: true,
  },
  {
    file: "_app.litigation.$reportId.tsx",
    label: "府院联动 report (saveFigures)",
    path: (w) => `/litigation/${w.litigationId}`,
    cookie: (w) => w.cookies.courtDrafter,
    base: (w) => [
      ["intent", "saveFigures"],
      [`f.${w.agency.id}.filed`, "6"],
      [`f.${w.agency.id}.concluded`, "5"],
      [`f.${w.agency.id}.lost`, "1"],
      [`f.${w.agency.id}.headAppeared`, "4"],
      [`f.${w.agency.id}.mediatedWithdrawn`, "0"],
      [`f.${w.bureau.id}.filed`, "2"],
      [`f.${w.bureau.id}.concluded`, "2"],
    ],
    mayAccept: true,
  },
  {
    file: "_app.litigation.$reportId.tsx",
    label: "府院联动 report (addCase)",
    // The four quarters in turn: a quarter takes 50 notable cases, the corpus stores more.
    path: (w) => `/litigation/${w.litigationIds[counter.n++ % w.litigationIds.length]}`,
    cookie: (w) => w.cookies.courtDrafter,
    base: (w) => [
      ["intent", "addCase"],
      ["agencyOrgId", w.agency.id],
      ["caseNumber", `（${w.litigationYear}）语01行初2号`],
      ["cause", "行政许可"],
      ["outcome", "驳回原告诉讼请求"],
      ["problem", "许可审查程序不规范"],
    ],
    text: Object.fromEntries(
      (["caseNumber", "cause", "outcome", "problem"] as const).map((f) => [
        f,
        async (_w: World, l: string) =>
          (
            await getDb().litigationCase.findFirstOrThrow({
              where: { reportId: locId(/^\/litigation\/([A-Za-z0-9_-]+)/)(l) },
              orderBy: { position: "desc" },
            })
          )[f],
      ]),
    ),
    mayAccept: true,
  },
  {
    file: "_app.litigation.$reportId.tsx",
    label: "府院联动 report (removeCase)",
    path: (w) => `/litigation/${w.litigationId}`,
    cookie: (w) => w.cookies.courtDrafter,
    base: () => [
      ["intent", "removeCase"],
      ["index", "0"],
    ],
    mayAccept: true,
  },
  {
    file: "_app.litigation.$reportId.tsx",
    label: "府院联动 report (workbook upload, multipart)",
    path: (w) => `/litigation/${w.litigationId}`,
    cookie: (w) => w.cookies.courtDrafter,
    // The page's form sends the file only.
    base: () => [],
    multipart: true,
    fileField: "workbook",
    spreadsheet: true,
    mayAccept: true,
  },
  ...(["submit", "bulletin"] as const).map((intent): FormSpec => ({
    file: "_app.litigation.$reportId.tsx",
    label: `府院联动 report (${intent})`,
    path: (w) => `/litigation/${w.litigationId}`,
    cookie: (w) => w.cookies.courtDrafter,
    base: () => [["intent", intent]],
    mayAccept: true,
  })),
  // 专题报告 (ADR 026): the justice bureau's coordinator generates one for the bureau and the last
  // 30 days. Every hostile unit or day is refused and nothing is generated; the only cases left out
  // are the repeated fields whose first value is the valid one (the form reads the first: a report).
  {
    file: "_app.reports.new.tsx",
    label: "专题报告: generate",
    path: () => "/reports/new",
    cookie: (w) => w.cookies.coord,
    base: (w) => [
      ["orgId", w.bureau.id],
      ["from", addDaysIso(today(), -30)],
      ["to", today()],
    ],
    only: (c) => !(c.kind === "duplicate" && c.name.includes("&")),
  },
  {
    file: "_app.typical-cases.new.tsx",
    label: "new typical case",
    path: () => "/typical-cases/new",
    cookie: (w) => w.cookies.drafter,
    base: (w) => [
      ["title", "语料案例"],
      ["ownerOrgId", w.bureau.id],
      ["field", "市场监管"],
      ["batch", "2026年上半年"],
      ["parties", "王某"],
      [`access.${w.court.id}`, "WRITE"],
    ],
    text: { title: docTitle },
    mayAccept: true,
  },
  ...(["open", "reply", "resolve", "edit", "delete"] as const).map((intent): FormSpec => ({
    // No selection resolves in this document and no thread exists: every case must be refused.
    file: "documents.$documentId.comments.tsx",
    label: `comments (${intent})`,
    path: (w) => `/documents/${w.doc.id}/comments`,
    cookie: (w) => w.cookies.drafter,
    base: () =>
      intent === "open"
        ? [
            ["intent", intent],
            ["anchor", JSON.stringify({ type: null, tname: null, item: { client: 7, clock: 1 }, assoc: 0 })],
            ["head", JSON.stringify({ type: null, tname: null, item: { client: 7, clock: 2 }, assoc: 0 })],
            ["quote", "语料"],
            ["body", "语料批注"],
          ]
        : intent === "reply"
          ? [
              ["intent", intent],
              ["threadId", "corpusnothread"],
              ["body", "语料回复"],
            ]
          : intent === "edit"
            ? [
                ["intent", intent],
                ["commentId", "corpusnocomment"],
                ["body", "语料修改"],
              ]
            : intent === "delete"
              ? [
                  ["intent", intent],
                  ["commentId", "corpusnocomment"],
                ]
              : [
                  ["intent", intent],
                  ["threadId", "corpusnothread"],
                ],
  })),
  ...(["accept", "reject", "withdraw"] as const).map((intent): FormSpec => ({
    // The corpus document carries no 修订: every case must be refused (no such suggestion).
    file: "documents.$documentId.suggestions.tsx",
    label: `suggestions (${intent})`,
    path: (w) => `/documents/${w.doc.id}/suggestions`,
    cookie: (w) => w.cookies.drafter,
    base: () => [
      ["intent", intent],
      ["id", "corpusnouser.corpus1"],
    ],
  })),
  ...(["check", "override", "meta", "submit", "publish", "withdraw", "reopen"] as const).map((intent): FormSpec => ({
    file: "documents.$documentId.case.tsx",
    label: `typical case (${intent})`,
    path: (w) => `/documents/${w.caseId}/case`,
    cookie: (w) => (intent === "publish" || intent === "withdraw" ? w.cookies.publisher : w.cookies.drafter),
    base: () =>
      intent === "override"
        ? [
            ["intent", intent],
            ["key", "PERSON_NAME:王某"],
            ["reason", "已脱敏"],
          ]
        : intent === "meta"
          ? [
              ["intent", intent],
              ["title", "语料案例标题"],
              ["field", "市场监管"],
              ["batch", "2026年上半年"],
              ["parties", "王某"],
            ]
          : intent === "publish"
            ? [
                ["intent", intent],
                ["slug", `corpus-${uid}`],
                ["note", "发布"],
              ]
            : intent === "withdraw"
              ? [
                  ["intent", intent],
                  ["note", "撤回"],
                ]
              : intent === "reopen"
                ? [
                    ["intent", intent],
                    ["reason", "更正"],
                  ]
                : [["intent", intent]],
    text:
      intent === "meta"
        ? { title: async (w) => (await getDb().document.findUniqueOrThrow({ where: { id: w.caseId } })).title }
        : undefined,
    mayAccept: true,
  })),
  // Data-exchange API admin pages (ADR 027).
  {
    file: "_app.admin.api-tokens.tsx",
    label: "admin: new api token",
    path: () => "/admin/api-tokens",
    cookie: (w) => w.cookies.admin,
    base: (w) => [
      ["intent", "create"],
      ["orgId", w.bureau.id],
      ["name", `语料令牌${fresh()}`],
      ["scope", "READ"],
      ["days", "7"],
    ],
    mayAccept: true,
  },
  {
    file: "_app.admin.webhooks.tsx",
    label: "admin: new webhook",
    path: () => "/admin/webhooks",
    cookie: (w) => w.cookies.admin,
    base: (w) => [
      ["intent", "create"],
      ["orgId", w.bureau.id],
      ["url", `https://10.1.1.1/${fresh()}`],
      ["events", "item.overdue"],
    ],
    mayAccept: true,
  },
  {
    file: "_app.admin.webhooks.tsx",
    label: "admin: resend a webhook delivery",
    path: () => "/admin/webhooks",
    cookie: (w) => w.cookies.admin,
    base: () => [
      ["intent", "resend"],
      ["deliveryId", newId()],
    ],
    mayAccept: false,
  },
  ...(["markAllRead"] as const).map((intent): FormSpec => ({
    file: "api.notifications.tsx",
    label: `notifications (${intent})`,
    path: () => "/api/notifications",
    cookie: (w) => w.cookies.drafter,
    base: () => [["intent", intent]],
    mayAccept: true,
  })),
];

interface Case {
  kind: "missing" | "scalar" | "duplicate" | "huge" | "raw" | "intent" | "file" | "empty";
  name: string;
  field?: string;
  /** The value a text field stores when the case is accepted (compared byte for byte). */
  expectStored?: string;
  entries?: Entries;
  raw?: RawBody;
  files?: Array<{ field: string; name: string; bytes: Uint8Array; type?: string }>;
}

/** The reader of a field; `name.*` stands for every `name.<id>` field. */
function readerFor(spec: FormSpec, field: string): Reader | undefined {
  return spec.text?.[field] ?? spec.text?.[field.replace(/\..*$/, ".*")];
}

function casesFor(spec: FormSpec, w: World): Case[] {
  const base = () => spec.base(w);
  const fields = [...new Set(base().map(([k]) => k))].filter((k) => k !== "intent" && !(spec.keep ?? []).includes(k));
  const replace = (field: string, value: string): Entries => base().map(([k, v]) => [k, k === field ? value : v]);
  const foreignIds: Payload[] = [
    { name: "other world's org id", value: foreign.agency.id },
    { name: "other world's user id", value: foreign.users.drafter.id },
    { name: "other world's document id", value: foreign.doc.id },
    { name: "other world's item id", value: foreign.itemId },
    { name: "other world's extension id", value: foreign.extensionId },
    { name: "other world's participant id", value: foreign.participantId },
  ];
  const out: Case[] = [{ kind: "empty", name: "no fields at all", entries: [] }];
  for (const field of fields) {
    out.push({ kind: "missing", name: `without ${field}`, field, entries: base().filter(([k]) => k !== field) });
    const looksLikeId =
      /Id$|^(addOrgId|membershipId|requestId|carry)$|^(member|access|role|attendance)\./.test(field) ||
      /^[a-z0-9]{20,}$/.test(base().find(([k]) => k === field)?.[1] ?? "");
    // Text fields get the whole corpus; choice and id fields a representative part (and others' ids).
    const isText =
      readerFor(spec, field) !== undefined ||
      /title|name|reason|comment|text|note|place|series|agenda|problems|docNumber|parties|batch|key|slug|password/i.test(
        field,
      );
    const scalars = isText ? SCALARS : SCALARS.filter((p) => CHOICE_FIELD_PAYLOADS.has(p.name));
    for (const p of [...scalars, ...(looksLikeId ? foreignIds : [])]) {
      const storable = p.storable && readerFor(spec, field) !== undefined;
      out.push({
        kind: "scalar",
        name: p.name,
        field,
        entries: replace(field, p.value),
        expectStored: storable ? p.value.trim() : undefined,
      });
    }
    const first = base().find(([k]) => k === field)?.[1] ?? "";
    out.push({ kind: "duplicate", name: `${field}=a&${field}=b`, field, entries: [...base(), [field, `${first}二`]] });
    out.push({
      kind: "duplicate",
      name: `${field}[]=`,
      field,
      entries: [...base().filter(([k]) => k !== field), [`${field}[]`, first], [`${field}[0]`, first]],
    });
    out.push({ kind: "huge", name: "1 MB field", field, entries: replace(field, ONE_MB_FIELD) });
    if (!spec.multipart && isText) {
      for (const r of RAW_ENCODED) {
        const body = base()
          .map(([k, v]) => `${encodeURIComponent(k)}=${k === field ? r.value : encodeURIComponent(v)}`)
          .join("&");
        const decoded = new URLSearchParams(`x=${r.value}`).get("x") ?? "";
        out.push({
          kind: "raw",
          name: r.name,
          field,
          raw: { name: r.name, contentType: "application/x-www-form-urlencoded", body },
          expectStored: readerFor(spec, field) ? decoded.trim() : undefined,
        });
      }
    }
  }
  const intent = base().find(([k]) => k === "intent")?.[1];
  if (intent !== undefined) {
    for (const i of UNKNOWN_INTENTS.filter((x) => x !== intent))
      out.push({ kind: "intent", name: `intent=${JSON.stringify(i)}`, field: "intent", entries: replace("intent", i) });
    out.push({
      kind: "intent",
      name: "two intents",
      field: "intent",
      entries: [...base(), ["intent", "launchMissiles"]],
    });
  }
  if (spec.fileField) {
    for (const name of HOSTILE_FILE_NAMES)
      out.push({
        kind: "file",
        name: `file name ${JSON.stringify(name.slice(0, 40))}`,
        entries: base(),
        files: [{ field: spec.fileField, name, bytes: PDF_BYTES }],
      });
    out.push({
      kind: "file",
      name: "six files",
      entries: base(),
      files: Array.from({ length: 6 }, (_, i) => ({ field: spec.fileField!, name: `f${i}.pdf`, bytes: PDF_BYTES })),
    });
    out.push({
      kind: "file",
      name: "empty file",
      entries: base(),
      files: [{ field: spec.fileField, name: "empty.pdf", bytes: new Uint8Array(0) }],
    });
    out.push({
      kind: "file",
      name: "HTML disguised as PDF",
      entries: base(),
      files: [
        { field: spec.fileField, name: "x.pdf", bytes: new TextEncoder().encode("<html><script>alert(1)</script>") },
      ],
    });
    if (spec.spreadsheet)
      for (const f of spreadsheets)
        out.push({
          kind: "file",
          name: `spreadsheet: ${f.name}`,
          entries: base(),
          files: [{ field: spec.fileField, name: f.fileName, bytes: f.bytes, type: XLSX_TYPE }],
        });
  }
  return spec.only ? out.filter(spec.only) : out;
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CHINESE = /[\u4e00-\u9fff]/;
const CHOICE_FIELD_PAYLOADS = new Set([
  "empty",
  "NUL",
  "RTL override",
  "SQL or-true",
  "path traversal",
  "prototype key",
  "JSON object",
  "negative number",
  "huge number",
  "NaN",
  "invalid date Feb 30",
  "HTML",
  "long (5000 chars)",
]);

/**
 * Sends one case; returns the response, its body and where it redirected (null when it did not).
 * A data request (single fetch: `<path>.data`) is what the hydrated app sends; its redirect is a
 * 202 whose turbo-stream body names the target.
 */
async function send(spec: FormSpec, w: World, c: Case, asData: boolean, path = spec.path(w)) {
  const [pathname, query] = path.split("?");
  const target = asData ? `${pathname === "/" ? "/_root" : pathname}.data${query ? `?${query}` : ""}` : path;
  const cookie = spec.cookie(me);
  const res = c.raw
    ? await postRaw(target, cookie, c.raw)
    : await post(target, cookie, c.entries ?? [], {
        multipart: spec.multipart,
        files: c.files,
      });
  const body = await res.text();
  let redirect: string | null = null;
  if (res.status >= 300 && res.status < 400) redirect = res.headers.get("location");
  else if (asData && res.status === 202)
    redirect = /"redirect","(\/[^"]*)"/.exec(body)?.[1] ?? /"(\/[^"]*)"/.exec(body)?.[1] ?? "";
  return { res, body, redirect };
}

function describeCase(spec: FormSpec, c: Case, asData: boolean) {
  return `${spec.label} · ${c.kind} · ${c.field ?? ""} · ${c.name}${asData ? " (data)" : " (document)"}`;
}

/** Passed as `before` when the caller verifies unchanged data itself, for a batch of refusals. */
const DEFERRED = Symbol("deferred");

/** The shared assertions: no 5xx, a refusal is a Chinese 4xx, nothing changes unless accepted. */
async function check(
  spec: FormSpec,
  c: Case,
  asData: boolean,
  outcome: Awaited<ReturnType<typeof send>>,
  before: Baseline | typeof DEFERRED,
): Promise<{ accepted: boolean }> {
  const where = describeCase(spec, c, asData);
  const { res, body, redirect } = outcome;
  expect(res.status, `${where}: ${body.slice(0, 300)}`).toBeLessThan(500);
  if (process.env.CORPUS_DEBUG)
    console.log(where, res.status, outcome.redirect, body.slice(0, 200).replace(/\s+/g, " "));
  expect(body, where).not.toMatch(/at [A-Za-z.<>]+ \(.*\.[jt]sx?:\d+/); // no stack trace
  expect(body, where).not.toMatch(/PrismaClient|prisma\.|SQLITE_|invalid input syntax/i);
  const accepted = redirect !== null || (res.status >= 200 && res.status < 300);
  if (!accepted) {
    expect(res.status, where).toBeGreaterThanOrEqual(400);
    expect(body, `${where}: refusal without a Chinese message: ${body.slice(0, 200)}`).toMatch(CHINESE);
    if (before !== DEFERRED) await before.expectUnchanged(`${where}: a refused request changed saved data`);
    return { accepted };
  }
  const reader = c.field ? readerFor(spec, c.field) : undefined;
  if (c.expectStored !== undefined && c.field && reader) {
    const expected = spec.stored?.[c.field] ? spec.stored[c.field](c.expectStored) : c.expectStored;
    const stored = await reader(me, redirect ?? "");
    expect(stored, `${where}: accepted value not stored byte-identical`).toEqual(expected);
  } else if (!spec.mayAccept) {
    throw new Error(`${where}: accepted (${res.status} ${redirect ?? ""}) but this form must refuse it`);
  }
  return { accepted };
}

describe("bad-input corpus: every form and API", () => {
  it("the table covers every route file with an action", () => {
    const withAction = readdirSync("app/routes")
      .filter((f) => /\.tsx?$/.test(f))
      .filter((f) => /export\s+(async\s+function|const)\s+action\b/.test(readFileSync(`app/routes/${f}`, "utf8")));
    const covered = new Set(FORMS.map((f) => f.file));
    expect(
      withAction.filter((f) => !covered.has(f)),
      "route files with an action missing from FORMS",
    ).toEqual([]);
    expect(
      [...covered].filter((f) => !withAction.includes(f)),
      "FORMS rows naming a route without an action",
    ).toEqual([]);
  });

  // CORPUS_SAMPLE=n sends every n-th case of each form (rotating with the form), for the second run
  // on PostgreSQL (scripts/postgres-check.sh); the SQLite run sends them all.
  const SAMPLE = Math.max(1, Number(process.env.CORPUS_SAMPLE ?? 1));
  for (const [formIndex, spec] of FORMS.entries()) {
    it(
      spec.label,
      async () => {
        const before = await Baseline.take();
        // Refusals are verified in batches (one comparison per batch), and always before a case that
        // may legitimately be accepted, so any change is pinned to a short list of cases.
        let unverified: string[] = [];
        const verify = async () => {
          if (unverified.length === 0) return;
          await before.expectUnchanged(`a refused request among these changed saved data:\n${unverified.join("\n")}`);
          unverified = [];
        };
        const cases = casesFor(spec, me).filter((_, k) => (k + formIndex) % SAMPLE === 0);
        let i = 0;
        for (const c of cases) {
          // Every case as the hydrated app sends it; every seventh also as a plain HTML form post.
          for (const asData of i++ % 7 === 0 ? [true, false] : [true]) {
            if (c.expectStored !== undefined || spec.mayAccept) await verify();
            const outcome = await send(spec, me, c, asData);
            const { accepted } = await check(spec, c, asData, outcome, DEFERRED);
            if (accepted) await before.advance();
            else {
              unverified.push(describeCase(spec, c, asData));
              if (unverified.length >= 25) await verify();
            }
          }
        }
        await verify();
        // The same form against the other world's object (an id that is not ours) is refused.
        if (/\$/.test(spec.file)) {
          const foreignBefore = await Baseline.take();
          const c: Case = { kind: "scalar", name: "other world's object in the URL", entries: spec.base(me) };
          const outcome = await send(spec, me, c, true, spec.path(foreign));
          expect(outcome.res.status, describeCase(spec, c, true)).toBeGreaterThanOrEqual(400);
          await check(spec, c, true, outcome, foreignBefore);
        }
      },
      240_000,
    );
  }

  it("the 文书 and 会商 lists' query parameters: every corpus value opens the page or is refused with a 4xx, never a 5xx", async () => {
    const lists: Record<string, string[]> = {
      "/documents": ["q", "type", "status", "owner", "series", "from", "to", "starred", "sort", "page"],
      "/consultations": ["q", "status", "convener", "series", "from", "to", "sort", "page"],
    };
    for (const [path, params] of Object.entries(lists))
      for (const param of params)
        for (const p of SCALARS) {
          const where = `GET ${path} ${param}=${p.name}`;
          const res = await app.request(`${path}?${new URLSearchParams([[param, p.value]]).toString()}`, {
            cookie: me.cookies.drafter,
          });
          const body = await res.text();
          expect(res.status, `${where}: ${body.slice(0, 200)}`).toBeLessThan(500);
          if (res.status !== 200) expect(res.status, where).toBeGreaterThanOrEqual(400);
          expect(body, where).not.toMatch(/at [A-Za-z.<>]+ \(.*\.[jt]sx?:\d+/);
          expect(body, where).not.toMatch(/PrismaClient|prisma\.|SQLITE_|invalid input syntax/i);
        }
  }, 120_000);

  it("global search (GET /search): every scalar and raw value as q, kind and limit answers without a 5xx", async () => {
    // The search page has no action; its input is the query string (ADR 028). FTS5 and tsquery syntax is
    // in the search suite's own hostile list; here the shared corpus, as a document and as a data request.
    const values = [
      ...SCALARS.filter((p) => p.name !== "long (5000 chars)").map((p) => encodeURIComponent(p.value)),
      ...RAW_ENCODED.map((p) => p.value),
      encodeURIComponent("长".repeat(1000)),
    ];
    for (const value of values) {
      for (const param of ["q", "kind", "limit"]) {
        const query = param === "q" ? `q=${value}` : `q=${encodeURIComponent(me.tag)}&${param}=${value}`;
        for (const path of [`/search?${query}`, `/search.data?${query}`]) {
          requestsSent++;
          const res = await app.request(path, { cookie: me.cookies.coord });
          const body = await res.text();
          expect(res.status, `${path}: ${body.slice(0, 200)}`).toBeLessThan(500);
          expect(body, path).not.toMatch(/at [A-Za-z.<>]+ \(.*\.[jt]sx?:\d+/);
          expect(body, path).not.toMatch(/PrismaClient|prisma\.|SQLITE_|fts5|syntax error|invalid input syntax/i);
        }
      }
    }
  }, 120_000);

  it("bodies of the wrong type, malformed multipart bodies, 5 MB bodies: 4xx with a Chinese message, never 5xx", async () => {
    const files = [...new Set(FORMS.map((f) => f.file))];
    for (const file of files) {
      const spec = FORMS.find((f) => f.file === file)!;
      const path = spec.path(me);
      const cookie = spec.cookie(me);
      const raws: RawBody[] = [
        {
          name: "JSON",
          contentType: "application/json",
          body: JSON.stringify({ intent: ["a", "b"], title: { $gt: "" } }),
        },
        { name: "text/plain", contentType: "text/plain", body: "intent=close" },
        {
          name: "XML",
          contentType: "application/xml",
          body: "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
        },
        { name: "url-encoded garbage", contentType: "application/x-www-form-urlencoded", body: "&&&=&=%%%&intent&&" },
        {
          name: "url-encoded binary",
          contentType: "application/x-www-form-urlencoded",
          body: new Uint8Array([0, 255, 254, 37, 0, 61, 38]),
        },
        // Malformed multipart bodies go to the forms that take uploads: a route reading request.formData()
        // answers a truncated multipart body with a 500 (see the skipped test below).
        ...(FORMS.some((f) => f.file === file && f.multipart)
          ? malformedMultipart(Object.fromEntries(spec.base(me)))
          : []),
      ];
      const rawBefore = await Baseline.take();
      for (const raw of raws) {
        const res = await postRaw(path, cookie, raw);
        const body = await res.text();
        const where = `${file} · ${raw.name}`;
        expect(res.status, `${where}: ${body.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(body, where).toMatch(CHINESE);
          await rawBefore.expectUnchanged(`${where}: a refused body changed saved data`);
        } else await rawBefore.advance();
      }
      const big = await postRaw(path, cookie, {
        name: "5 MB",
        contentType: "application/x-www-form-urlencoded",
        body: fiveMbBody("title"),
      });
      expect(big.status, `${file} · 5 MB url-encoded body`).toBe(413);
      expect(await big.text()).toMatch(CHINESE);
      const bigMultipart = new FormData();
      for (const [k, v] of spec.base(me)) bigMultipart.append(k, v);
      bigMultipart.append(
        "files",
        new Blob([new Uint8Array(11 * 1024 * 1024)], { type: "application/pdf" }),
        "big.pdf",
      );
      requestsSent++;
      const tooBig = await app.request(path, { cookie, method: "POST", body: bigMultipart });
      expect(tooBig.status, `${file} · 11 MB multipart body`).toBe(413);
      expect(await tooBig.text()).toMatch(CHINESE);
      await rawBefore.expectUnchanged(`${file} · 5 MB / 11 MB bodies changed saved data`);
    }
  }, 240_000);

  // Routes read their form through readFormData(): a body it cannot parse is a 400, never a 500.
  it("malformed multipart bodies to forms without uploads are refused with a Chinese 4xx", async () => {
    for (const file of [...new Set(FORMS.filter((f) => !f.multipart).map((f) => f.file))]) {
      const spec = FORMS.find((f) => f.file === file)!;
      const before = await Baseline.take();
      for (const raw of malformedMultipart(Object.fromEntries(spec.base(me)))) {
        const res = await postRaw(spec.path(me), spec.cookie(me), raw).catch((err: unknown) => {
          throw new Error(`${file} · ${raw.name}: ${String(err)} ${String((err as { cause?: unknown }).cause)}`);
        });
        const body = await res.text();
        expect(res.status, `${file} · ${raw.name}: ${body.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(body, `${file} · ${raw.name}`).toMatch(CHINESE);
          await before.expectUnchanged(`${file} · ${raw.name}: a refused body changed saved data`);
        } else await before.advance();
      }
    }
  }, 240_000);

  it("collab WebSocket: corpus frames close only their own connection and leave the document unchanged", async () => {
    const good = connectClient(app.origin, me.doc.id, me.cookies.drafter);
    clients.push(good);
    await good.synced();
    good.type("语料基线");
    const reader = connectClient(app.origin, me.doc.id, me.cookies.courtDrafter);
    clients.push(reader);
    await reader.synced();
    await waitFor(() => reader.text() === "语料基线", 3000, "baseline synced");
    const allowed: number[] = [
      CloseCode.MALFORMED,
      CloseCode.TOO_BIG,
      CloseCode.RATE_LIMITED,
      CloseCode.DOCUMENT_TOO_LARGE,
      1002,
      1003,
      1007,
      1009,
    ];
    for (const f of COLLAB_FRAMES) {
      const { ws, opened, closed } = rawSocket(app.origin, me.doc.id, me.cookies.drafter);
      await opened;
      ws.send(f.data);
      const result = await Promise.race([closed, new Promise<"open">((r) => setTimeout(() => r("open"), 500))]);
      if (result !== "open") expect(allowed, `${f.name}: closed with ${result.code}`).toContain(result.code);
      ws.terminate();
    }
    // Unauthenticated and bad paths.
    for (const path of [
      "/collab/",
      "/collab/..%2F..%2Fetc",
      `/collab/${"x".repeat(100)}`,
      "/collab/%00",
      `/collab/${foreign.doc.id}`,
    ]) {
      const ws = new (await import("ws")).default(`${app.origin.replace(/^http/, "ws")}${path}`, {
        headers: { Origin: app.origin, Cookie: me.cookies.drafter },
      });
      const code = await new Promise<number | string>((resolve) => {
        ws.on("close", (c) => resolve(c));
        ws.on("error", (e) => resolve(String(e.message)));
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      });
      expect(code, path).not.toBe(500);
      ws.terminate();
    }
    good.type("仍可编辑");
    await waitFor(() => reader.text() === "语料基线仍可编辑", 3000, "document intact and still live");
    expect(good.provider.wsconnected).toBe(true);
    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
  }, 60_000);

  it("socket.io document:watch: wrong payloads are answered with a Chinese error and change nothing", async () => {
    const socket = connectSocket(app.origin, {
      path: "/socket.io/",
      transports: ["websocket"],
      extraHeaders: { Cookie: me.cookies.drafter },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    for (const payload of WATCH_PAYLOADS) {
      for (const event of ["document:watch", "document:unwatch"]) {
        const ack = (await socket.timeout(3000).emitWithAck(event, payload)) as { ok: boolean; error?: string };
        const where = `${event} ${JSON.stringify(payload)?.slice(0, 60)}`;
        // Leaving a room one never joined is harmless (ok); joining is always refused here.
        if (event === "document:watch") {
          expect(ack.ok, where).toBe(false);
          expect(ack.error, where).toMatch(CHINESE);
        } else {
          expect(typeof ack.ok, where).toBe("boolean");
          if (!ack.ok) expect(ack.error, where).toMatch(CHINESE);
        }
      }
    }
    // No acknowledgement callback, extra arguments, a binary payload, unknown events: ignored.
    socket.emit("document:watch", { documentId: me.doc.id });
    socket.emit("document:watch", { documentId: me.doc.id }, "extra", () => undefined);
    socket.emit("document:watch", new Uint8Array([1, 2, 3]), () => undefined);
    socket.emit("admin:everything", { all: true });
    const ok = (await socket.timeout(3000).emitWithAck("document:watch", { documentId: me.doc.id })) as { ok: boolean };
    expect(ok.ok).toBe(true);
    expect(socket.connected).toBe(true);
    expect((await app.request("/healthz")).status).toBe(200);
  }, 30_000);
});
