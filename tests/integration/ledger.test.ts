import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { DomainEvent } from "~/domain/events";
import { endOfChinaDay } from "~/domain/dates";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * 台账 against the real server: filters, search, scope, the .xlsx export read back, and hostile
 * query strings. Every org, region and item is this file's own (a PostgreSQL run shares one
 * database), so the coordinator's scope — their org's items and those of orgs below their region —
 * contains exactly the items built here.
 */

let app: RunningServer;
const DAY = 86_400_000;
const now = Date.now();
const chinaDay = (offsetDays: number) => new Date(now + offsetDays * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
const due = (offsetDays: number) => endOfChinaDay(chinaDay(offsetDays));

let county: { id: string; path: string };
let sfj: { id: string; name: string };
let agencyA: { id: string; name: string };
let agencyB: { id: string; name: string };
let court: { id: string; name: string };
let coordinator: string;
let viewerB: string;
let outsider: string;
let consultationId: string;
const SERIES = `台账测试会商${newId().slice(0, 6)}`;
/** Item ids by name. */
const I: Record<string, string> = {};

async function buildItem(
  name: string,
  opts: {
    kind: string;
    doc: { id: string; title: string };
    owner: { id: string };
    lead: { id: string; name: string };
    supporting?: Array<{ id: string; name: string }>;
    status: string;
    dueDate: Date | null;
    wording: string;
    series?: string | null;
    consultationId?: string | null;
    closedAt?: Date | null;
    number: number;
    progress?: string;
  },
) {
  const id = newId();
  const supporting = opts.supporting ?? [];
  await getDb().trackedItem.create({
    data: {
      id,
      kind: opts.kind,
      sourceDocumentId: opts.doc.id,
      ownerOrgId: opts.owner.id,
      consultationId: opts.consultationId ?? null,
      series: opts.series ?? null,
      number: opts.number,
      wording: opts.wording,
      searchText: [opts.wording, opts.lead.name, ...supporting.map((o) => o.name), opts.doc.title]
        .join(" ")
        .toLowerCase(),
      leadOrgId: opts.lead.id,
      dueDate: opts.dueDate,
      status: opts.status,
      activatedAt: opts.status === "DRAFT" || opts.status === "REMOVED" ? null : new Date(now - 30 * DAY),
      closedAt: opts.closedAt ?? null,
      lastProgressAt: opts.progress ? new Date(now - 2 * DAY) : null,
      lastProgressText: opts.progress ?? null,
      orgs: {
        create: [
          { orgId: opts.lead.id, role: "LEAD" },
          ...supporting.map((o) => ({ orgId: o.id, role: "SUPPORTING" })),
        ],
      },
    },
  });
  I[name] = id;
}

beforeAll(async () => {
  app = await startServer();
  const city = await buildRegion({ name: "台账测试市" });
  county = await buildRegion({ name: "台账测试县", level: "COUNTY", parent: city });
  sfj = await buildOrg({ region: city, kind: "JUSTICE_BUREAU" });
  agencyA = await buildOrg({ region: city, kind: "ENFORCEMENT_AGENCY" });
  agencyB = await buildOrg({ region: county, kind: "ENFORCEMENT_AGENCY" });
  court = await buildOrg({ region: city, kind: "COURT" });
  const countySfj = await buildOrg({ region: county, kind: "JUSTICE_BUREAU" });
  const coord = await buildUser({ org: sfj, role: "COORDINATOR" });
  coordinator = await buildSessionCookie(coord.id);
  viewerB = await buildSessionCookie((await buildUser({ org: agencyB, role: "VIEWER" })).id);
  outsider = await buildSessionCookie(
    (await buildUser({ org: await buildOrg({ kind: "JUSTICE_BUREAU" }), role: "COORDINATOR" })).id,
  );

  const minutes = {
    id: (await buildDocument({ ownerOrg: sfj, createdById: coord.id, status: "FINALIZED", title: "台账测试会商纪要" }))
      .id,
    title: "台账测试会商纪要",
  };
  consultationId = newId();
  await getDb().consultation.create({
    data: {
      id: consultationId,
      kind: "COORDINATION",
      title: "台账测试会商",
      series: SERIES,
      number: 3,
      conveningOrgId: sfj.id,
      startsAt: new Date(now - 40 * DAY),
      endsAt: new Date(now - 40 * DAY + 3_600_000),
      place: "会议室",
      agenda: "[]",
      status: "FINALIZED",
      createdById: coord.id,
      minutesId: minutes.id,
    },
  });
  const plan = {
    id: (
      await buildDocument({
        ownerOrg: sfj,
        createdById: coord.id,
        status: "FINALIZED",
        type: "RECTIFICATION_PLAN",
        title: "台账测试整改方案",
      })
    ).id,
    title: "台账测试整改方案",
  };
  const listing = {
    id: (
      await buildDocument({
        ownerOrg: countySfj,
        createdById: coord.id,
        status: "FINALIZED",
        type: "SUPERVISION_LISTING",
        title: "县级挂牌督办清单",
      })
    ).id,
    title: "县级挂牌督办清单",
  };
  const draft = {
    id: (await buildDocument({ ownerOrg: sfj, createdById: coord.id, status: "DRAFT", title: "起草中的纪要" })).id,
    title: "起草中的纪要",
  };
  const inSeries = { series: SERIES, consultationId };
  await buildItem("overdue", {
    kind: "AGREED_ITEM",
    doc: minutes,
    owner: sfj,
    lead: agencyA,
    supporting: [court],
    status: "IN_PROGRESS",
    dueDate: due(-5),
    wording: "建立行刑衔接案件移送台账 Alpha",
    number: 1,
    progress: "已召开专题会议",
    ...inSeries,
  });
  await buildItem("soon", {
    kind: "AGREED_ITEM",
    doc: minutes,
    owner: sfj,
    lead: court,
    supporting: [agencyA, agencyB],
    status: "NOT_STARTED",
    dueDate: due(3),
    wording: "开展涉企行政检查专项监督",
    number: 2,
    ...inSeries,
  });
  await buildItem("done", {
    kind: "AGREED_ITEM",
    doc: minutes,
    owner: sfj,
    lead: agencyB,
    status: "DONE",
    dueDate: due(40),
    wording: "修订行政处罚裁量基准",
    number: 3,
    ...inSeries,
  });
  await buildItem("closed", {
    kind: "RECTIFICATION_MEASURE",
    doc: plan,
    owner: sfj,
    lead: agencyA,
    status: "CLOSED",
    dueDate: due(-20),
    closedAt: new Date(now - 25 * DAY),
    wording: "整改执法案卷评查发现的问题",
    number: 1,
  });
  await buildItem("county", {
    kind: "SUPERVISED_CASE",
    doc: listing,
    owner: countySfj,
    lead: agencyB,
    status: "IN_PROGRESS",
    dueDate: due(100),
    wording: "县市场监管领域挂牌督办案件",
    number: 1,
  });
  await buildItem("draft", {
    kind: "AGREED_ITEM",
    doc: draft,
    owner: sfj,
    lead: agencyA,
    status: "DRAFT",
    dueDate: due(60),
    wording: "草拟中的事项 Alpha",
    number: 1,
  });
  await buildItem("removed", {
    kind: "AGREED_ITEM",
    doc: draft,
    owner: sfj,
    lead: agencyA,
    status: "REMOVED",
    dueDate: due(60),
    wording: "已删除的事项 Alpha",
    number: 2,
  });
});
afterAll(async () => {
  await app.close();
});

/** Item ids on the page (the 事项 links), in order. */
function itemIds(html: string): string[] {
  return [...html.matchAll(/href="\/items\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]);
}

async function ledger(
  cookie: string,
  search = "",
): Promise<{ status: number; ids: string[]; html: string; res: Response }> {
  const res = await app.request(`/ledger${search ? `?${search}` : ""}`, { cookie });
  // React separates text and expressions with <!-- --> in server HTML.
  const html = (await res.text()).replace(/<!-- -->/g, "");
  return { status: res.status, ids: itemIds(html), html, res };
}

const names = (ids: string[]) => ids.map((id) => Object.keys(I).find((k) => I[k] === id) ?? id).sort();

describe("ledger page", () => {
  it("shows the tracked items in scope, sorted by due date, never drafts or removed by default", async () => {
    const page = await ledger(coordinator);
    expect(page.status).toBe(200);
    expect(page.ids).toEqual([I.closed, I.overdue, I.soon, I.done, I.county]);
    expect(page.html).toContain("逾期 5 天");
    expect(page.html).toContain(`${SERIES} 第3期`);
    expect(page.html).toContain("已召开专题会议");
    expect(page.res.headers.get("server-timing")).toMatch(/db;.*dur=[\d.]+/);
    expect(page.html).toContain('aria-label="按状态');
  });

  it("filters by kind, lead, supporting org, region, status, series and consultation", async () => {
    expect(names((await ledger(coordinator, "kind=RECTIFICATION_MEASURE")).ids)).toEqual(["closed"]);
    expect(names((await ledger(coordinator, `lead=${agencyA.id}`)).ids)).toEqual(["closed", "overdue"]);
    expect(names((await ledger(coordinator, `support=${agencyA.id}`)).ids)).toEqual(["soon"]);
    expect(names((await ledger(coordinator, `region=${county.id}`)).ids)).toEqual(["county"]);
    expect(names((await ledger(coordinator, "status=NOT_STARTED&status=DONE")).ids)).toEqual(["done", "soon"]);
    expect(names((await ledger(coordinator, `series=${encodeURIComponent(SERIES)}`)).ids)).toEqual([
      "done",
      "overdue",
      "soon",
    ]);
    expect(names((await ledger(coordinator, `consultation=${consultationId}`)).ids)).toEqual([
      "done",
      "overdue",
      "soon",
    ]);
    expect(names((await ledger(coordinator, `kind=AGREED_ITEM&lead=${agencyA.id}`)).ids)).toEqual(["overdue"]);
  });

  it("includes 草拟中 on request, never REMOVED", async () => {
    expect(names((await ledger(coordinator, "drafts=1")).ids)).toEqual([
      "closed",
      "county",
      "done",
      "draft",
      "overdue",
      "soon",
    ]);
    expect(names((await ledger(coordinator, "status=DRAFT")).ids)).toEqual(["draft"]);
    expect(names((await ledger(coordinator, "status=REMOVED&drafts=1&q=alpha")).ids)).toEqual(["draft", "overdue"]);
  });

  it("derives 逾期 and N 天内到期 from the due date and now", async () => {
    expect(names((await ledger(coordinator, "overdue=1")).ids)).toEqual(["overdue"]);
    expect(names((await ledger(coordinator, "due=7")).ids)).toEqual(["soon"]);
    expect(names((await ledger(coordinator, "overdue=1&due=7")).ids)).toEqual(["overdue", "soon"]);
    expect(names((await ledger(coordinator, "due=365")).ids)).toEqual(["county", "soon"]);
  });

  it("searches substrings of wording, unit names and document title, all terms required, case-insensitive", async () => {
    expect(names((await ledger(coordinator, "q=alpha")).ids)).toEqual(["overdue"]);
    expect(names((await ledger(coordinator, "q=ALPHA")).ids)).toEqual(["overdue"]);
    expect(names((await ledger(coordinator, `q=${encodeURIComponent("移送台账")}`)).ids)).toEqual(["overdue"]);
    expect(names((await ledger(coordinator, `q=${encodeURIComponent(agencyB.name)}`)).ids)).toEqual([
      "county",
      "done",
      "soon",
    ]);
    expect(names((await ledger(coordinator, `q=${encodeURIComponent("整改方案")}`)).ids)).toEqual(["closed"]);
    expect(names((await ledger(coordinator, `q=${encodeURIComponent("检查  专项")}`)).ids)).toEqual(["soon"]);
    expect(names((await ledger(coordinator, `q=${encodeURIComponent("检查 不存在的词")}`)).ids)).toEqual([]);
    // LIKE's wildcards separate terms (they cannot be matched literally on both databases).
    expect(names((await ledger(coordinator, `q=${encodeURIComponent("移送%台账")}`)).ids)).toEqual(["overdue"]);
    expect(names((await ledger(coordinator, `q=${encodeURIComponent("行_监督")}`)).ids)).toEqual(["soon"]);
    expect((await ledger(coordinator, "q=%25")).ids).toHaveLength(5);
  });

  it("sorts and pages", async () => {
    expect((await ledger(coordinator, "sort=due-desc")).ids).toEqual([I.county, I.done, I.soon, I.overdue, I.closed]);
    expect((await ledger(coordinator, "sort=status")).ids).toEqual([I.soon, I.overdue, I.county, I.done, I.closed]);
    const many = await buildOrg({ kind: "JUSTICE_BUREAU" });
    const owner = await buildUser({ org: many, role: "COORDINATOR" });
    const doc = {
      id: (await buildDocument({ ownerOrg: many, createdById: owner.id, status: "FINALIZED", title: "分页测试纪要" }))
        .id,
      title: "分页测试纪要",
    };
    for (let n = 1; n <= 55; n++)
      await buildItem(`page${n}`, {
        kind: "AGREED_ITEM",
        doc,
        owner: many,
        lead: { id: many.id, name: many.name },
        status: "NOT_STARTED",
        dueDate: due(10 + n),
        wording: `分页事项${n}`,
        number: n,
      });
    const cookie = await buildSessionCookie(owner.id);
    const first = await ledger(cookie);
    expect(first.ids).toHaveLength(50);
    expect(first.ids[0]).toBe(I.page1);
    expect(first.html).toContain("共 55 条，第 1 / 2 页");
    const second = await ledger(cookie, "page=2");
    expect(second.ids).toEqual([I.page51, I.page52, I.page53, I.page54, I.page55]);
    const beyond = await ledger(cookie, "page=9");
    expect(beyond.status).toBe(200);
    expect(beyond.ids).toEqual([]);
    expect(beyond.html).toContain("第 9 页没有事项");
  });

  it("shows an org only what its scope holds; an org outside sees nothing", async () => {
    expect(names((await ledger(viewerB)).ids)).toEqual(["county", "done", "soon"]);
    const out = await ledger(outsider);
    expect(out.status).toBe(200);
    expect(out.ids).toEqual([]);
    expect(out.html).toContain("暂无跟踪事项");
    for (const search of [
      `lead=${agencyA.id}`,
      `region=${county.id}`,
      `consultation=${consultationId}`,
      "q=alpha",
      "drafts=1",
    ]) {
      expect((await ledger(outsider, search)).ids, search).toEqual([]);
    }
    // A consultation outside the scope is not named.
    expect((await ledger(outsider, `consultation=${consultationId}`)).html).not.toContain(SERIES);
  });

  it("answers bad query values with 200 and the defaults, never 500", async () => {
    const defaults = (await ledger(coordinator)).ids;
    const hostile = [
      "kind=BAD",
      "status=NOPE&status=REMOVED",
      "page=-3",
      "page=abc",
      "page=1e309",
      "due=abc",
      "due=-1",
      "sort=zzz",
      "lead=../../etc",
      "region=%00",
      "support=x",
      "consultation=%27%20OR%201%3D1",
      "drafts=maybe&overdue=2",
      `series=${"长".repeat(300)}`,
      "kind=AGREED_ITEM&kind=SUPERVISED_CASE",
      "%E0%A4%A=1",
    ];
    for (const search of hostile) {
      const page = await ledger(coordinator, search);
      expect(page.status, search).toBe(200);
      if (!search.startsWith("kind=AGREED_ITEM")) expect(page.ids, search).toEqual(defaults);
    }
    const script = await ledger(coordinator, `q=${encodeURIComponent('<script>alert("x")</script>')}`);
    expect(script.status).toBe(200);
    expect(script.html).not.toContain('<script>alert("x")</script>');
    const long = await ledger(coordinator, `q=${"词".repeat(300)}`);
    expect(long.status).toBe(200);
    expect(long.ids).toEqual(defaults);
  });

  it("sends the signed-out to the login page", async () => {
    const res = await app.request("/ledger?kind=AGREED_ITEM");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    expect((await app.request("/ledger/export.xlsx")).status).toBe(302);
  });
});

async function readXlsx(res: Response) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  return workbook;
}

/** 事项 cells of a sheet (column C, below the title row and the header row). */
function wordings(sheet: ExcelJS.Worksheet | undefined): string[] {
  if (!sheet) return [];
  const out: string[] = [];
  sheet.eachRow((row, n) => {
    if (n > 2) out.push(String(row.getCell(3).value));
  });
  return out;
}

/** The export day in China time, as the file name carries it. */
const exportDay = () => chinaDay(0).replaceAll("-", "");
/** The UTF-8 file name of a Content-Disposition. */
const utf8Name = (res: Response) =>
  decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "");

describe("ledger export", () => {
  it("writes every filtered item, a sheet per kind, header bold and frozen, with an autofilter", async () => {
    const res = await app.request("/ledger/export.xlsx", { cookie: coordinator });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    expect(res.headers.get("content-disposition")).toContain(`filename="ledger-${exportDay()}.xlsx"`);
    expect(utf8Name(res)).toBe(`台账-全部-${exportDay()}.xlsx`);
    const workbook = await readXlsx(res);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["议定事项", "整改措施", "挂牌督办案件"]);
    const agreed = workbook.getWorksheet("议定事项")!;
    expect(wordings(agreed)).toEqual([
      "建立行刑衔接案件移送台账 Alpha",
      "开展涉企行政检查专项监督",
      "修订行政处罚裁量基准",
    ]);
    expect(wordings(workbook.getWorksheet("整改措施"))).toEqual(["整改执法案卷评查发现的问题"]);
    expect(wordings(workbook.getWorksheet("挂牌督办案件"))).toEqual(["县市场监管领域挂牌督办案件"]);
    expect(agreed.getCell("A1").value).toMatch(/^台账（全部事项）— 导出于 \d{4}年\d{1,2}月\d{1,2}日$/);
    const header = agreed.getRow(2).values as unknown[];
    expect(header.slice(1)).toEqual([
      "序号",
      "类别",
      "事项",
      "牵头单位",
      "配合单位",
      "完成时限",
      "反馈周期",
      "状态",
      "逾期天数",
      "最新进展",
      "最新进展时间",
      "来源文书",
      "会商系列",
      "召集单位",
      "创建时间",
      "销号时间",
    ]);
    expect(agreed.getCell("A2").font?.bold).toBe(true);
    expect(agreed.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    expect(agreed.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, printTitlesRow: "2:2" });
    expect(agreed.autoFilter).toBeTruthy();
    expect(agreed.getColumn(3).width).toBeGreaterThan(30);
    // The overdue row: lead, supporting, due date (China day), status, days overdue, progress, source.
    const row = agreed.getRow(3);
    expect(row.getCell(4).value).toBe(agencyA.name);
    expect(row.getCell(5).value).toBe(court.name);
    expect((row.getCell(6).value as Date).toISOString().slice(0, 10)).toBe(chinaDay(-5));
    expect(row.getCell(8).value).toBe("推进中");
    expect(row.getCell(9).value).toBe(5);
    expect(row.getCell(10).value).toBe("已召开专题会议");
    expect(row.getCell(12).value).toBe("台账测试会商纪要");
    expect(row.getCell(13).value).toBe(`${SERIES} 第3期`);
    expect(row.getCell(14).value).toBe(sfj.name);
    expect(agreed.getRow(4).getCell(9).value ?? null).toBeNull();
  });

  it("applies the page's filters (also behind ExportButton's ?progress=), publishes progress and is audited", async () => {
    const events: DomainEvent[] = [];
    const unsubscribe = app.server.events.subscribe((e) => events.push(e));
    const token = "ledgertoken01";
    const before = await getDb().auditEvent.count({
      where: { action: "ledger.exported", summary: { contains: "alpha" } },
    });
    const res = await app.request(`/ledger/export.xlsx?q=alpha&drafts=1?progress=${token}`, { cookie: coordinator });
    expect(res.status).toBe(200);
    expect(utf8Name(res)).toBe(`台账-搜索alpha-含草拟中事项-${exportDay()}.xlsx`);
    const workbook = await readXlsx(res);
    for (
      let i = 0;
      i < 100 && !events.some((e) => e.type === "export.progress" && e.token === token && e.fraction === 1);
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    unsubscribe();
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["议定事项"]);
    expect(String(workbook.worksheets[0].getCell("A1").value)).toMatch(/^台账（搜索“alpha”；含草拟中事项）— 导出于 /);
    expect(wordings(workbook.worksheets[0]).sort()).toEqual(
      ["建立行刑衔接案件移送台账 Alpha", "草拟中的事项 Alpha"].sort(),
    );
    const progress = events.filter(
      (e): e is Extract<DomainEvent, { type: "export.progress" }> => e.type === "export.progress" && e.token === token,
    );
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(
      await getDb().auditEvent.count({ where: { action: "ledger.exported", summary: { contains: "alpha" } } }),
    ).toBe(before + 1);
  });

  it("names the filters in its title and file name in the words of the page's chips", async () => {
    const search = `lead=${agencyA.id}&region=${county.id}&status=IN_PROGRESS&overdue=1&due=7&consultation=${consultationId}&q=alpha`;
    const chips = [...(await ledger(coordinator, search)).html.matchAll(/aria-label="移除筛选条件：([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(chips).toHaveLength(7);
    expect(chips).toContain(`牵头：${agencyA.name}`);
    const res = await app.request(`/ledger/export.xlsx?${search}`, { cookie: coordinator });
    const title = String((await readXlsx(res)).worksheets[0].getCell("A1").value);
    expect(title).toBe(`台账（${chips.join("；")}）— 导出于 ${title.split("导出于 ")[1]}`);
    const name = utf8Name(res);
    expect(name.startsWith(`台账-搜索alpha-牵头${agencyA.name}-`)).toBe(true);
    expect(name.endsWith(`-${exportDay()}.xlsx`)).toBe(true);
    expect([...name].length).toBeLessThanOrEqual(80);
  });

  it("reads the database in keyset pages without losing or repeating rows, in every sort order", async () => {
    const { exportLedger } = await import("~/services/export-ledger.server");
    const { parseLedgerQuery } = await import("~/models/ledger.server");
    const { getCurrentUser } = await import("~/services/auth/current-user.server");
    const user = await getCurrentUser(new Request("http://x/", { headers: { Cookie: coordinator } }));
    for (const sort of ["due", "due-desc", "number", "status", "updated"]) {
      const out = await exportLedger(user!, parseLedgerQuery(new URLSearchParams(`sort=${sort}&drafts=1`)), {
        ip: null,
        events: app.server.events,
        progressToken: null,
        batch: 1,
      });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await new Response(out.body).arrayBuffer());
      const all = workbook.worksheets.flatMap((s) => wordings(s));
      expect(all, sort).toHaveLength(6);
      expect(new Set(all).size, sort).toBe(6);
    }
  });

  it("exports nothing outside the scope, and survives bad values", async () => {
    const res = await app.request(`/ledger/export.xlsx?lead=${agencyA.id}&drafts=1`, { cookie: outsider });
    expect(res.status).toBe(200);
    const workbook = await readXlsx(res);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["台账"]);
    expect(wordings(workbook.worksheets[0])).toEqual([]);
    const bad = await app.request("/ledger/export.xlsx?kind=BAD&page=-1&sort=x&due=zz&status=NOPE", {
      cookie: coordinator,
    });
    expect(bad.status).toBe(200);
    expect((await readXlsx(bad)).worksheets.flatMap((s) => wordings(s))).toHaveLength(5);
  });
});
