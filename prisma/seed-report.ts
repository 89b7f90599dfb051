import { getDb } from "../app/db.server";
import { chinaDay } from "../app/domain/dates";
import { generateThematicReport } from "../app/services/thematic-reports.server";
import { seedActor } from "./seed-actor";

/**
 * 专题报告 demo (ADR 026): 市司法局 (sfj.coord) generates the report on 示例市 from 1 January to
 * today, after the rest of the demo data exists, so every section has figures. Idempotent.
 */
export async function seedThematicReport(): Promise<string[]> {
  const db = getDb();
  const sfj = await db.organization.findUniqueOrThrow({ where: { name: "示例市司法局" }, select: { id: true } });
  if (await db.thematicReport.findFirst({ where: { orgId: sfj.id }, select: { id: true } })) return [];
  const now = new Date();
  const today = chinaDay(now);
  const { documentId } = await generateThematicReport(
    await seedActor("sfj.coord"),
    { orgId: sfj.id, from: `${today.slice(0, 4)}-01-01`, to: today },
    { ip: null, now },
  );
  const doc = await db.document.findUniqueOrThrow({ where: { id: documentId }, select: { title: true } });
  return [`专题报告《${doc.title}》（起草中，市司法局）`];
}
