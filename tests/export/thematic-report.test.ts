import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { chinaDay, endOfChinaDay, startOfChinaDay } from "~/domain/dates";
import type { ThematicFigures } from "~/domain/thematic-report";
import { seed } from "../../prisma/seed";
import { seedCases } from "../../prisma/seed-cases";
import { seedClues } from "../../prisma/seed-clues";
import { seedLitigation } from "../../prisma/seed-litigation";
import { seedRecommendations } from "../../prisma/seed-recommendations";
import { seedWork } from "../../prisma/seed-work";
import { buildSessionCookie } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";

/**
 * 专题报告 (issue 23, ADR 026) on the demo city: generated through the page by 市司法局's coordinator,
 * every section's figures recomputed here from the rows themselves (a second, independent count),
 * the sentences of the draft carrying them, the .docx carrying one PNG per figure and the PDF drawing
 * them (page pictures kept in /tmp/export-shots); and 数据比对 showing a figure that changed since.
 */
const SHOTS = "/tmp/export-shots";
let app: RunningServer;
let cookie: string;
let reportId: string;
let documentId: string;
let frozen: ThematicFigures;
const ACTIVE = ["NOT_STARTED", "IN_PROGRESS", "DONE", "CLOSED"];

beforeAll(async () => {
  app = await startServer();
  const db = getDb();
  await seed(db);
  await seedWork();
  await seedRecommendations();
  await seedClues();
  await seedLitigation();
  await seedCases();
  const coord = await db.user.findUniqueOrThrow({ where: { username: "sfj.coord" }, select: { id: true } });
  cookie = await buildSessionCookie(coord.id);
  const sfj = await db.organization.findUniqueOrThrow({ where: { name: "示例市司法局" }, select: { id: true } });
  const today = chinaDay();
  const res = await app.request("/reports/new", {
    cookie,
    form: { orgId: sfj.id, from: `${today.slice(0, 4)}-01-01`, to: today },
  });
  expect(res.status).toBe(302);
  documentId = /\/documents\/(\w+)$/.exec(res.headers.get("location") ?? "")![1];
  const report = await db.thematicReport.findUniqueOrThrow({
    where: { documentId },
    select: { id: true, figures: true },
  });
  reportId = report.id;
  frozen = JSON.parse(report.figures) as ThematicFigures;
}, 180_000);
afterAll(async () => {
  await app?.close();
});

/** The demo city's figures counted again here: every row read, filtered in JavaScript. */
async function recount(asOf: Date) {
  const db = getDb();
  const city = await db.region.findFirstOrThrow({ where: { name: "示例市" }, select: { path: true } });
  const orgs = new Set(
    (await db.organization.findMany({ select: { id: true, region: { select: { path: true } } } }))
      .filter((o) => o.region.path.startsWith(city.path))
      .map((o) => o.id),
  );
  const from = startOfChinaDay(frozen.periodFrom);
  const to = endOfChinaDay(frozen.periodTo);
  const within = (d: Date | null) => d !== null && d >= from && d <= to;
  const held = (await db.consultation.findMany()).filter(
    (c) => orgs.has(c.conveningOrgId) && within(c.startsAt) && c.status !== "CANCELLED" && c.endsAt <= asOf,
  );
  const minutes = new Set(held.map((c) => c.minutesId).filter(Boolean));
  const items = await db.trackedItem.findMany();
  const count = (rows: typeof items) => ({
    total: rows.length,
    closed: rows.filter((i) => i.status === "CLOSED").length,
    done: rows.filter((i) => i.status === "DONE").length,
    open: rows.filter((i) => i.status === "NOT_STARTED" || i.status === "IN_PROGRESS").length,
    overdue: rows.filter(
      (i) => (i.status === "NOT_STARTED" || i.status === "IN_PROGRESS") && i.dueDate !== null && i.dueDate < asOf,
    ).length,
  });
  const ofKind = (kind: string) =>
    items.filter(
      (i) => i.kind === kind && orgs.has(i.ownerOrgId) && within(i.activatedAt) && ACTIVE.includes(i.status),
    );
  const recs = (await db.recommendation.findMany()).filter((r) => orgs.has(r.recipientOrgId) && within(r.receivedOn));
  const clues = (await db.clue.findMany()).filter((c) => orgs.has(c.fromOrgId) && within(c.transferredAt));
  const reports = (await db.litigationReport.findMany({ include: { figures: true } })).filter(
    (r) =>
      r.status === "SUBMITTED" &&
      orgs.has(r.courtOrgId) &&
      within(new Date(`${r.year}-${String(r.quarter * 3 - 2).padStart(2, "0")}-01T00:00:00+08:00`)),
  );
  const figures = reports.flatMap((r) => r.figures);
  const docs = new Map(
    (await db.document.findMany({ select: { id: true, ownerOrgId: true } })).map((d) => [d.id, d.ownerOrgId]),
  );
  const published = (await db.publication.findMany()).filter(
    (p) => p.version === 1 && within(p.publishedAt) && orgs.has(docs.get(p.documentId) ?? ""),
  );
  return {
    held: held.length,
    agreed: count(
      items.filter((i) => i.kind === "AGREED_ITEM" && minutes.has(i.sourceDocumentId) && ACTIVE.includes(i.status)),
    ),
    rectification: count(ofKind("RECTIFICATION_MEASURE")),
    listings: count(ofKind("SUPERVISED_CASE")),
    recommendations: recs.length,
    repliedOnTime: recs.filter((r) => r.repliedAt && !r.repliedLate).length,
    clues: clues.length,
    cluesReceived: clues.filter((c) => c.receivedAt).length,
    quarters: reports.length,
    filed: figures.reduce((n, f) => n + f.filed, 0),
    lost: figures.reduce((n, f) => n + f.lost, 0),
    published: published.length,
  };
}

describe("专题报告 of the demo city", () => {
  it("carries in every section the figures counted independently from the database", async () => {
    const again = await recount(new Date(frozen.asOf));
    expect(frozen.regionName).toBe("示例市");
    expect(frozen.consultations.held).toBe(again.held);
    expect(frozen.consultations.items).toEqual(again.agreed);
    expect(frozen.rectification).toEqual(again.rectification);
    expect(frozen.listings).toEqual(again.listings);
    const recs = Object.values(frozen.recommendations);
    expect(recs.reduce((n, c) => n + c.received, 0)).toBe(again.recommendations);
    expect(recs.reduce((n, c) => n + c.repliedOnTime, 0)).toBe(again.repliedOnTime);
    expect(frozen.clues.transferred).toBe(again.clues);
    expect(frozen.clues.received).toBe(again.cluesReceived);
    expect(frozen.litigation.quarters).toHaveLength(again.quarters);
    expect(frozen.litigation.filed).toBe(again.filed);
    expect(frozen.litigation.lost).toBe(again.lost);
    expect(frozen.cases.published).toBe(again.published);
    // The demo has something in every section, so the figures are not all zeros by accident.
    expect(again.held).toBeGreaterThan(0);
    expect(again.agreed.total).toBeGreaterThan(0);
    expect(again.recommendations).toBeGreaterThan(0);
    expect(again.clues).toBeGreaterThan(0);
    expect(again.quarters).toBeGreaterThanOrEqual(3);
    expect(again.published).toBeGreaterThan(0);

    const snapshot = await getDb().documentSnapshot.findUniqueOrThrow({
      where: { documentId },
      select: { text: true },
    });
    const text = snapshot.text;
    for (const heading of [
      "一、行政执法监督协调会商及议定事项落实情况",
      "二、各类建议书办理情况",
      "三、整改措施落实情况",
      "四、联合挂牌督办情况",
      "五、问题线索移送情况",
      "六、行政诉讼案件情况",
      "七、典型案例发布情况",
    ])
      expect(text).toContain(heading);
    expect(text).toContain(`共召开行政执法监督协调会商${again.held}次，形成议定事项${again.agreed.total}项`);
    expect(text).toContain(`各单位共收到各类建议书${again.recommendations}件`);
    expect(text).toContain(`共移送问题线索${again.clues}件`);
    expect(text).toContain(`收案${again.filed}件`);
    expect(text).toContain(`共发布行政执法典型案例${again.published}件`);
    // Clue contents and persons never reach the report.
    const clues = await getDb().clue.findMany({ select: { involvedPersons: true, summary: true } });
    for (const c of clues) {
      expect(text).not.toContain(c.involvedPersons.slice(0, 8));
      expect(text).not.toContain(c.summary.slice(0, 12));
    }
  });

  it("prints one figure per section: PNG pictures in the .docx, drawings in the PDF", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const docx = await app.request(`/documents/${documentId}/export/docx`, { cookie });
    expect(docx.status).toBe(200);
    const zip = await JSZip.loadAsync(await docx.arrayBuffer());
    const pictures = Object.keys(zip.files).filter((f) => /^word\/media\/.+\.png$/.test(f));
    expect(pictures.length).toBe(7);
    const xml = await zip.file("word/document.xml")!.async("string");
    for (let i = 1; i <= 7; i++) expect(xml).toContain(`图${i}`);
    const pdf = await app.request(`/documents/${documentId}/export/pdf`, { cookie });
    expect(pdf.status).toBe(200);
    const file = path.join(SHOTS, "thematic-report.pdf");
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    for (let i = 1; i <= 7; i++) expect(text).toContain(`图${i}`);
    expect(text).toMatch(/单位：\s*项/);
    execFileSync("pdftoppm", ["-r", "60", "-png", "-f", "1", "-l", "3", file, path.join(SHOTS, "thematic-report")]);
  }, 120_000);

  it("shows on 数据比对 what changed since the report was generated", async () => {
    const before = await app.request(`/reports/${reportId}`, { cookie });
    expect(before.status).toBe(200);
    expect(await before.text()).toContain("生成报告以来，系统数据没有变化");
    // One open agreed item of the demo city is closed (销号) after generation.
    const db = getDb();
    const open = await db.trackedItem.findFirstOrThrow({
      where: {
        kind: "AGREED_ITEM",
        status: { in: ["NOT_STARTED", "IN_PROGRESS", "DONE"] },
        sourceDocument: { consultation: { isNot: null } },
      },
      select: { id: true },
    });
    await db.trackedItem.update({ where: { id: open.id }, data: { status: "CLOSED", closedAt: new Date() } });
    const after = await app.request(`/reports/${reportId}`, { cookie });
    const html = await after.text();
    expect(html).toContain("生成报告以来有");
    expect(html).toMatch(/data-testid="changed-figure"[^]*已销号/);
    // The report itself keeps its figures.
    const still = await db.thematicReport.findUniqueOrThrow({ where: { id: reportId }, select: { figures: true } });
    expect(JSON.parse(still.figures)).toEqual(frozen);
    // Someone who is not a member of the report reads neither the report nor its comparison.
    const outsider = await db.user.findUniqueOrThrow({ where: { username: "court.drafter" }, select: { id: true } });
    const other = await buildSessionCookie(outsider.id);
    expect([403, 404]).toContain((await app.request(`/reports/${reportId}`, { cookie: other })).status);
    // Only a coordinator of a justice bureau or 依法治理办 generates one.
    expect((await app.request("/reports/new", { cookie: other })).status).toBe(403);
  });
});
