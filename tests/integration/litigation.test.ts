import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { TEMPLATE_CASE_SHEET, TEMPLATE_FIGURE_SHEET } from "~/domain/litigation";
import { createEventBus } from "~/services/events.server";
import {
  openLitigationQuarter,
  saveLitigationFigures,
  submitLitigationReport,
  type LitigationContext,
} from "~/services/litigation.server";
import { loadLitigationTrends } from "~/services/litigation-pages.server";
import { seedActor } from "../../prisma/seed-actor";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * 府院联动 (issue 23, ADR 025): the court's workbook checked row by row (nothing imported until it is
 * clean), who reads a quarter (the court; after 报送 the region's justice bureau and those above; no
 * other city), the trend flagging an agency whose 败诉率 rose two quarters in a row, and the 通报
 * generated from the figures, countersigned by court and justice bureau and exported with its
 * figures and chart images. Through the real server where a page or a download is concerned.
 */
let app: RunningServer;
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  await app?.close();
});

async function world() {
  const province = await buildRegion({ level: "PROVINCE" });
  const city = await buildRegion({ level: "CITY", parent: province });
  const otherCity = await buildRegion({ level: "CITY", parent: province });
  const tag = city.id.slice(-5);
  const court = await buildOrg({ kind: "COURT", region: city, name: `诉讼市中级人民法院${tag}` });
  const sfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: city, name: `诉讼市司法局${tag}` });
  const psfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: province, name: `诉讼省司法厅${tag}` });
  const osfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: otherCity, name: `诉讼邻市司法局${tag}` });
  const rising = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: city, name: `诉讼市城管执法局${tag}` });
  const steady = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: city, name: `诉讼市市场监管局${tag}` });
  const gov = await buildOrg({ kind: "GOVERNMENT", region: city, name: `诉讼市人民政府${tag}` });
  const users = {
    courtDrafter: await buildUser({ org: court, role: "DRAFTER" }),
    courtViewer: await buildUser({ org: court, role: "VIEWER" }),
    sfjCoord: await buildUser({ org: sfj, role: "COORDINATOR" }),
    sfjDrafter: await buildUser({ org: sfj, role: "DRAFTER" }),
    psfjCoord: await buildUser({ org: psfj, role: "COORDINATOR" }),
    osfjCoord: await buildUser({ org: osfj, role: "COORDINATOR" }),
    agencyCoord: await buildUser({ org: rising, role: "COORDINATOR" }),
  };
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)] as const)),
  ) as Record<keyof typeof users, string>;
  return { city, court, sfj, rising, steady, gov, users, cookies };
}
type World = Awaited<ReturnType<typeof world>>;

const ctxAt = (iso: string): LitigationContext => ({ ip: null, events: createEventBus(), now: new Date(iso) });

/** The template the page offers, filled in with `figures` rows and `cases` rows (cells as a user types them). */
async function workbook(
  w: World,
  reportId: string,
  figures: unknown[][],
  cases: unknown[][] = [],
): Promise<Uint8Array> {
  const res = await app.request(`/litigation/${reportId}/workbook`, { cookie: w.cookies.courtDrafter });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("spreadsheetml");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await res.arrayBuffer());
  const sheet = book.getWorksheet(TEMPLATE_FIGURE_SHEET)!;
  // The template lists the region's agencies: replaced by the rows of the test.
  for (let r = 2; r <= sheet.rowCount; r++) sheet.getRow(r).values = [];
  figures.forEach((row, i) => (sheet.getRow(i + 2).values = row as ExcelJS.CellValue[]));
  const caseSheet = book.getWorksheet(TEMPLATE_CASE_SHEET)!;
  cases.forEach((row, i) => (caseSheet.getRow(i + 2).values = row as ExcelJS.CellValue[]));
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function upload(w: World, reportId: string, bytes: Uint8Array, name = "数据.xlsx") {
  const fd = new FormData();
  fd.append("workbook", new Blob([bytes as BlobPart]), name);
  return app.request(`/litigation/${reportId}?_data=routes/_app.litigation.$reportId`, {
    cookie: w.cookies.courtDrafter,
    method: "POST",
    body: fd,
  });
}

const figuresOf = (reportId: string) =>
  getDb().litigationFigure.findMany({ where: { reportId }, select: { agencyOrgId: true, filed: true, lost: true } });

describe("府院联动: the court's quarterly figures", () => {
  it("checks the court's workbook row by row, in Chinese, and imports nothing until every row is right", async () => {
    const w = await world();
    const { id } = await openLitigationQuarter(
      await seedActor(w.users.courtDrafter.username),
      { courtOrgId: w.court.id, year: 2026, quarter: 1 },
      ctxAt("2026-04-10T10:00:00+08:00"),
    );
    const bad = await workbook(
      w,
      id,
      [
        [w.rising.name, 10, 8, 2, 6, 1],
        ["不存在的某某局", 1, 1, 0, 1, 0],
        [w.steady.name, "十二", 8, 1, 6, 1],
        [w.gov.name, 5, 4, 5, 3, 0],
        [w.rising.name, 3, 3, 0, 3, 0],
      ],
      [[w.rising.name, "（2026）示01行初1号", "行政处罚", "", "程序违法"]],
    );
    const res = await upload(w, id, bad);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fieldErrors: { workbook: string[] } };
    expect(body.error).toMatch(/未导入任何数据/);
    const problems = body.fieldErrors.workbook.join("\n");
    expect(problems).toContain(`「${TEMPLATE_FIGURE_SHEET}」第3行：被告单位「不存在的某某局」不在本地区行政机关名录中`);
    expect(problems).toContain(`「${TEMPLATE_FIGURE_SHEET}」第4行：收案数「十二」不是整数`);
    expect(problems).toContain(`「${TEMPLATE_FIGURE_SHEET}」第5行：行政机关败诉数不能大于审结数`);
    expect(problems).toContain(`「${TEMPLATE_FIGURE_SHEET}」第6行：被告单位与第2行重复`);
    expect(problems).toContain(`「${TEMPLATE_CASE_SHEET}」第2行：请填写裁判结果`);
    expect(body.fieldErrors.workbook).toHaveLength(5);
    expect(await figuresOf(id)).toEqual([]);

    // Not a workbook at all, an old .xls, an empty file: refused in Chinese, nothing imported.
    for (const [bytes, message] of [
      [new TextEncoder().encode("not a spreadsheet"), /不是 Excel 工作簿/],
      [new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /旧版 Excel/],
      [new Uint8Array(), /空的|请选择/],
    ] as const) {
      const r = await upload(w, id, bytes);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(message);
    }
    expect(await figuresOf(id)).toEqual([]);

    const good = await workbook(
      w,
      id,
      [
        [w.rising.name, 10, 8, 2, 6, 1],
        [` ${w.steady.name} `, 12, 10, 1, 9, ""],
      ],
      [[w.rising.name, "（2026）示01行初1号", "行政处罚", "判决撤销", "未听取陈述申辩"]],
    );
    const ok = await upload(w, id, good);
    expect(ok.status).toBe(204);
    expect((await figuresOf(id)).sort((a, b) => a.filed - b.filed)).toEqual([
      { agencyOrgId: w.rising.id, filed: 10, lost: 2 },
      { agencyOrgId: w.steady.id, filed: 12, lost: 1 },
    ]);
    expect(await getDb().litigationCase.count({ where: { reportId: id } })).toBe(1);
    const audit = await getDb().auditEvent.findFirst({
      where: { targetType: "LitigationReport", targetId: id, action: "litigation.workbook_imported" },
    });
    expect(audit?.summary).toContain("2 个被告单位");
  });

  it("lets the court read its draft, the justice bureaus of the region and above read it once 报送, and nobody else", async () => {
    const w = await world();
    const { id } = await openLitigationQuarter(
      await seedActor(w.users.courtDrafter.username),
      { courtOrgId: w.court.id, year: 2026, quarter: 2 },
      ctxAt("2026-07-10T10:00:00+08:00"),
    );
    const status = async (cookie: string) => (await app.request(`/litigation/${id}`, { cookie })).status;
    expect(await status(w.cookies.courtDrafter)).toBe(200);
    expect(await status(w.cookies.courtViewer)).toBe(200);
    for (const who of ["sfjCoord", "psfjCoord", "osfjCoord", "agencyCoord"] as const)
      expect(await status(w.cookies[who]), who).toBe(404);
    // 报送 needs figures.
    const empty = await app.request(`/litigation/${id}?_data=routes/_app.litigation.$reportId`, {
      cookie: w.cookies.courtDrafter,
      form: { intent: "submit" },
    });
    expect(empty.status).toBe(400);
    // A viewer of the court may read, not file.
    const viewer = await app.request(`/litigation/${id}?_data=routes/_app.litigation.$reportId`, {
      cookie: w.cookies.courtViewer,
      form: { intent: "saveFigures", [`f.${w.rising.id}.filed`]: "3" },
    });
    expect(viewer.status).toBe(403);
    const saved = await app.request(`/litigation/${id}?_data=routes/_app.litigation.$reportId`, {
      cookie: w.cookies.courtDrafter,
      form: {
        intent: "saveFigures",
        [`f.${w.rising.id}.filed`]: "3",
        [`f.${w.rising.id}.concluded`]: "2",
        [`f.${w.rising.id}.lost`]: "5",
      },
    });
    expect(saved.status).toBe(400);
    expect(JSON.stringify(await saved.json())).toContain("行政机关败诉数不能大于审结数");
    expect(await figuresOf(id)).toEqual([]);
    await app.request(`/litigation/${id}`, {
      cookie: w.cookies.courtDrafter,
      form: { intent: "saveFigures", [`f.${w.rising.id}.filed`]: "3", [`f.${w.rising.id}.concluded`]: "2" },
    });
    expect(await figuresOf(id)).toEqual([{ agencyOrgId: w.rising.id, filed: 3, lost: 0 }]);
    const submitted = await app.request(`/litigation/${id}`, {
      cookie: w.cookies.courtDrafter,
      form: { intent: "submit" },
    });
    expect(submitted.status).toBe(302);
    expect(await status(w.cookies.sfjCoord)).toBe(200);
    expect(await status(w.cookies.psfjCoord)).toBe(200);
    expect(await status(w.cookies.osfjCoord)).toBe(404);
    expect(await status(w.cookies.agencyCoord)).toBe(404);
    // 报送 is final: no more changes, by form or by workbook.
    const late = await app.request(`/litigation/${id}?_data=routes/_app.litigation.$reportId`, {
      cookie: w.cookies.courtDrafter,
      form: { intent: "saveFigures", [`f.${w.rising.id}.filed`]: "9" },
    });
    expect(late.status).toBe(409);
    expect(await figuresOf(id)).toEqual([{ agencyOrgId: w.rising.id, filed: 3, lost: 0 }]);
    // The justice bureau was told.
    const note = await getDb().notification.findFirst({
      where: { userId: w.users.sfjCoord.id, kind: "litigation.submitted" },
    });
    expect(note?.link).toBe(`/litigation/${id}`);
  });

  it("flags the agency whose 败诉率 rose two quarters in a row, and generates a 通报 that is countersigned and exported with its figures and charts", async () => {
    const w = await world();
    const drafter = await seedActor(w.users.courtDrafter.username);
    // 败诉率 of `rising`: 10% → 20% → 30%; `steady`: 20% → 10% → 10%.
    const quarters = [
      [1, [10, 10, 1], [10, 10, 2]],
      [2, [10, 10, 2], [10, 10, 1]],
      [3, [10, 10, 3], [10, 10, 1]],
    ] as const;
    let last = "";
    for (const [quarter, r, s] of quarters) {
      const ctx = ctxAt(`2026-${String(quarter * 3 + 1).padStart(2, "0")}-10T10:00:00+08:00`);
      const { id } = await openLitigationQuarter(drafter, { courtOrgId: w.court.id, year: 2026, quarter }, ctx);
      await saveLitigationFigures(
        drafter,
        id,
        [
          { agencyOrgId: w.rising.id, filed: r[0], concluded: r[1], lost: r[2], headAppeared: 7, mediatedWithdrawn: 1 },
          { agencyOrgId: w.steady.id, filed: s[0], concluded: s[1], lost: s[2], headAppeared: 9, mediatedWithdrawn: 0 },
        ],
        ctx,
      );
      await submitLitigationReport(drafter, id, ctx);
      last = id;
    }
    const trends = await loadLitigationTrends(
      await seedActor(w.users.sfjCoord.username),
      null,
      new Date("2026-10-20T10:00:00+08:00"),
    );
    const byName = new Map(trends!.trend.map((t) => [t.agencyName, t]));
    expect(byName.get(w.rising.name)?.rising).toBe(true);
    expect(byName.get(w.steady.name)?.rising).toBe(false);
    const page = await app.request("/litigation/trends", { cookie: w.cookies.sfjCoord });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`预警：${w.rising.name}败诉率连续两个季度上升`);
    // One step to a 行政执法监督意见书 for it: the registration form filled in.
    expect(html).toContain(`/recommendations/new?kind=SUPERVISION&amp;recipient=${w.rising.id}`);
    const form = await app.request(`/recommendations/new?kind=SUPERVISION&recipient=${w.rising.id}&title=x`, {
      cookie: w.cookies.sfjCoord,
    });
    expect(form.status).toBe(200);
    // The court sees no trend page; an agency no 府院联动 at all.
    expect((await app.request("/litigation/trends", { cookie: w.cookies.courtDrafter })).status).toBe(403);
    expect((await app.request("/litigation", { cookie: w.cookies.agencyCoord })).status).toBe(403);

    // 生成通报 by the justice bureau's drafter: owned by the court, co-drafted by the bureau.
    const made = await app.request(`/litigation/${last}`, {
      cookie: w.cookies.sfjDrafter,
      form: { intent: "bulletin" },
    });
    expect(made.status).toBe(302);
    const documentId = /\/documents\/(\w+)/.exec(made.headers.get("location") ?? "")![1];
    const again = await app.request(`/litigation/${last}`, {
      cookie: w.cookies.courtDrafter,
      form: { intent: "bulletin" },
    });
    expect(again.headers.get("location")).toBe(`/documents/${documentId}`);
    const db = getDb();
    const doc = await db.document.findUniqueOrThrow({
      where: { id: documentId },
      select: { type: true, ownerOrgId: true, members: { select: { orgId: true, access: true } }, snapshot: true },
    });
    expect(doc).toMatchObject({ type: "LITIGATION_BULLETIN", ownerOrgId: w.court.id });
    expect(doc.members).toEqual([expect.objectContaining({ orgId: w.sfj.id, access: "WRITE" })]);
    const text = doc.snapshot!.text;
    expect(text).toContain("共受理以行政机关为被告的一审行政案件20件，审结20件；行政机关败诉4件，败诉率20.0%");
    expect(text).toContain(`${w.rising.name}败诉率连续两个季度上升`);

    // 会签 by the court, approved by the justice bureau: FINALIZED.
    expect(
      (
        await app.request(`/documents/${documentId}`, {
          cookie: w.cookies.courtDrafter,
          form: { intent: "requestCountersign" },
        })
      ).status,
    ).toBe(302);
    expect(
      (await app.request(`/documents/${documentId}`, { cookie: w.cookies.sfjCoord, form: { intent: "approve" } }))
        .status,
    ).toBe(302);
    expect((await db.document.findUniqueOrThrow({ where: { id: documentId }, select: { status: true } })).status).toBe(
      "FINALIZED",
    );

    const docx = await app.request(`/documents/${documentId}/export/docx`, { cookie: w.cookies.sfjCoord });
    expect(docx.status).toBe(200);
    const zip = await JSZip.loadAsync(await docx.arrayBuffer());
    const media = Object.keys(zip.files).filter((f) => /^word\/media\/.+\.png$/.test(f));
    expect(media.length).toBeGreaterThanOrEqual(2);
    const xml = await zip.file("word/document.xml")!.async("string");
    expect(xml).toContain("府院联动工作通报");
    expect(xml).toContain("图1");
    expect(xml).toContain("30.0%");
    const pdf = await app.request(`/documents/${documentId}/export/pdf`, { cookie: w.cookies.sfjCoord });
    expect(pdf.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), "bulletin-"));
    writeFileSync(join(dir, "b.pdf"), Buffer.from(await pdf.arrayBuffer()));
    // The charts are drawn in the PDF (vector SVG: their axis units and value labels are text there),
    // each under its 图N caption, and the text carries the table's figures.
    const pdfText = execFileSync("pdftotext", ["-layout", join(dir, "b.pdf"), "-"], { encoding: "utf8" });
    for (const caption of ["图1", "图2", "图3"]) expect(pdfText).toContain(caption);
    expect(pdfText).toMatch(/单位：\s*件/);
    expect(pdfText).toMatch(/单位：\s*%/);
    expect(pdfText).toContain("30.0%");
  }, 120_000);
});
