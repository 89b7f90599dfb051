/**
 * Demo data for 示例市 (architecture.md "Demo data"). Idempotent: rows are matched by their natural keys (region code,
 * organization name, username) and created only when missing; running it twice changes nothing.
 * Usage: npm run db:seed   (DATABASE_URL as for the app)
 */
import { createDb, type Db } from "../app/db.server";
import { hashPassword } from "../app/services/auth/password.server";
import type { OrgKind, RegionLevel, Role } from "../app/domain/organization";
import { newId } from "../app/utils/ids";

export const DEMO_PASSWORD = "Demo@2026";

interface RegionSeed {
  code: string;
  name: string;
  level: RegionLevel;
  parent?: string;
}

const REGIONS: RegionSeed[] = [
  { code: "990000", name: "示例省", level: "PROVINCE" },
  { code: "990100", name: "示例市", level: "CITY", parent: "990000" },
  { code: "990121", name: "甲县", level: "COUNTY", parent: "990100" },
  { code: "990122", name: "乙县", level: "COUNTY", parent: "990100" },
  { code: "990121101", name: "青石镇", level: "TOWNSHIP", parent: "990121" },
  { code: "990122101", name: "白沙镇", level: "TOWNSHIP", parent: "990122" },
  // A neighbouring city: its justice bureau sees nothing of 示例市 but what is public (the region boundary).
  { code: "990200", name: "示范市", level: "CITY", parent: "990000" },
];

const ORGS: Array<{ name: string; shortName?: string; kind: OrgKind; region: string }> = [
  { name: "示例省司法厅", shortName: "省司法厅", kind: "JUSTICE_BUREAU", region: "990000" },
  { name: "示例市人民政府", shortName: "市政府", kind: "GOVERNMENT", region: "990100" },
  { name: "示例市司法局", shortName: "市司法局", kind: "JUSTICE_BUREAU", region: "990100" },
  { name: "示例市中级人民法院", shortName: "市中院", kind: "COURT", region: "990100" },
  { name: "示例市人民检察院", shortName: "市检察院", kind: "PROCURATORATE", region: "990100" },
  { name: "示例市纪委监委", shortName: "市纪委监委", kind: "DISCIPLINE_COMMISSION", region: "990100" },
  { name: "示例市市场监督管理局", shortName: "市市场监管局", kind: "ENFORCEMENT_AGENCY", region: "990100" },
  { name: "示例市生态环境局", shortName: "市生态环境局", kind: "ENFORCEMENT_AGENCY", region: "990100" },
  { name: "示例市交通运输局", shortName: "市交通运输局", kind: "ENFORCEMENT_AGENCY", region: "990100" },
  { name: "示例市城市管理综合行政执法局", shortName: "市城管执法局", kind: "ENFORCEMENT_AGENCY", region: "990100" },
  { name: "示例市农业农村局", shortName: "市农业农村局", kind: "ENFORCEMENT_AGENCY", region: "990100" },
  { name: "示例市文化广电和旅游局", shortName: "市文广旅局", kind: "ENFORCEMENT_AGENCY", region: "990100" },
  { name: "示例市应急管理局", shortName: "市应急管理局", kind: "ENFORCEMENT_AGENCY", region: "990100" },
  ...(["甲县", "乙县"] as const).flatMap((county) => {
    const code = county === "甲县" ? "990121" : "990122";
    return [
      { name: `${county}司法局`, kind: "JUSTICE_BUREAU" as const, region: code },
      { name: `${county}人民法院`, kind: "COURT" as const, region: code },
      { name: `${county}人民检察院`, kind: "PROCURATORATE" as const, region: code },
      { name: `${county}市场监督管理局`, kind: "ENFORCEMENT_AGENCY" as const, region: code },
      { name: `${county}综合行政执法局`, kind: "ENFORCEMENT_AGENCY" as const, region: code },
    ];
  }),
  { name: "甲县司法局青石镇司法所", shortName: "青石镇司法所", kind: "JUSTICE_OFFICE", region: "990121101" },
  { name: "乙县司法局白沙镇司法所", shortName: "白沙镇司法所", kind: "JUSTICE_OFFICE", region: "990122101" },
  { name: "示范市司法局", kind: "JUSTICE_BUREAU", region: "990200" },
];

export const DEMO_USERS: Array<{ username: string; displayName: string; org: string; role: Role }> = [
  { username: "admin", displayName: "王建国", org: "示例市司法局", role: "ADMIN" },
  { username: "sfj.coord", displayName: "李秀英", org: "示例市司法局", role: "COORDINATOR" },
  { username: "sfj.drafter", displayName: "张伟", org: "示例市司法局", role: "DRAFTER" },
  { username: "sfj.publisher", displayName: "赵敏", org: "示例市司法局", role: "PUBLISHER" },
  { username: "court.liaison", displayName: "陈静", org: "示例市中级人民法院", role: "LIAISON" },
  { username: "court.drafter", displayName: "刘洋", org: "示例市中级人民法院", role: "DRAFTER" },
  { username: "court.publisher", displayName: "孙丽", org: "示例市中级人民法院", role: "PUBLISHER" },
  { username: "procu.liaison", displayName: "周婷", org: "示例市人民检察院", role: "LIAISON" },
  { username: "procu.coord", displayName: "吴刚", org: "示例市人民检察院", role: "COORDINATOR" },
  { username: "jw.coord", displayName: "郑明", org: "示例市纪委监委", role: "COORDINATOR" },
  { username: "scjg.drafter", displayName: "孙磊", org: "示例市市场监督管理局", role: "DRAFTER" },
  { username: "scjg.coord", displayName: "徐强", org: "示例市市场监督管理局", role: "COORDINATOR" },
  { username: "scjg.viewer", displayName: "钱芳", org: "示例市市场监督管理局", role: "VIEWER" },
  { username: "sthj.drafter", displayName: "冯涛", org: "示例市生态环境局", role: "DRAFTER" },
  { username: "jx.coord", displayName: "何丽", org: "甲县司法局", role: "COORDINATOR" },
  { username: "jxzf.drafter", displayName: "高峰", org: "甲县综合行政执法局", role: "DRAFTER" },
  { username: "prov.admin", displayName: "林志远", org: "示例省司法厅", role: "ADMIN" },
  { username: "sfs.coord", displayName: "马骏", org: "示范市司法局", role: "COORDINATOR" },
];

export async function seed(db: Db): Promise<{ created: number }> {
  let created = 0;
  const regionByCode = new Map<string, { id: string; path: string }>();
  for (const r of REGIONS) {
    let region = await db.region.findUnique({ where: { code: r.code }, select: { id: true, path: true } });
    if (!region) {
      const parent = r.parent ? regionByCode.get(r.parent) : undefined;
      const id = newId();
      region = await db.region.create({
        data: {
          id,
          code: r.code,
          name: r.name,
          level: r.level,
          parentId: parent?.id ?? null,
          path: `${parent?.path ?? "/"}${id}/`,
        },
        select: { id: true, path: true },
      });
      created++;
    }
    regionByCode.set(r.code, region);
  }

  const orgIdByName = new Map<string, string>();
  for (const o of ORGS) {
    let org = await db.organization.findUnique({ where: { name: o.name }, select: { id: true } });
    if (!org) {
      const region = regionByCode.get(o.region);
      if (!region) throw new Error(`seed: unknown region ${o.region}`);
      org = await db.organization.create({
        data: { id: newId(), name: o.name, shortName: o.shortName ?? null, kind: o.kind, regionId: region.id },
        select: { id: true },
      });
      created++;
    }
    orgIdByName.set(o.name, org.id);
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    let user = await db.user.findUnique({ where: { username: u.username }, select: { id: true } });
    if (!user) {
      user = await db.user.create({
        data: { id: newId(), username: u.username, displayName: u.displayName, passwordHash },
        select: { id: true },
      });
      created++;
    }
    const orgId = orgIdByName.get(u.org);
    if (!orgId) throw new Error(`seed: unknown org ${u.org}`);
    const existing = await db.membership.findUnique({
      where: { userId_orgId_role: { userId: user.id, orgId, role: u.role } },
      select: { id: true },
    });
    if (!existing) {
      await db.membership.create({ data: { id: newId(), userId: user.id, orgId, role: u.role } });
      created++;
    }
  }
  return { created };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop() ?? "");
if (isMain) {
  const db = createDb(process.env.DATABASE_URL ?? "file:./data/consult.db");
  try {
    const { created } = await seed(db);
    console.log(`示例市 demo data: ${created === 0 ? "already present" : `${created} rows created`}.`);
    const { seedWork } = await import("./seed-work");
    if (await seedWork())
      console.log("Demo consultations: 第1期 (finalized minutes, agreed items in every status) and 第2期 (drafting).");
    const { seedRecommendations } = await import("./seed-recommendations");
    for (const part of await seedRecommendations()) console.log(`Demo: ${part}.`);
    const { seedClues } = await import("./seed-clues");
    for (const part of await seedClues()) console.log(`Demo: ${part}.`);
    const { seedLitigation } = await import("./seed-litigation");
    for (const part of await seedLitigation()) console.log(`Demo: ${part}.`);
    const { seedExternal } = await import("./seed-external");
    for (const part of await seedExternal(DEMO_PASSWORD)) console.log(`Demo: ${part}.`);
    const { seedCases } = await import("./seed-cases");
    for (const part of await seedCases()) console.log(`Demo: ${part}.`);
    const { seedThematicReport } = await import("./seed-report");
    for (const part of await seedThematicReport()) console.log(`Demo: ${part}.`);
    const { seedApiToken } = await import("./seed-api");
    for (const part of await seedApiToken()) console.log(`Demo: ${part}.`);
    await (await import("../app/db.server")).disconnectDb();
    console.log(`Demo accounts (password for all: ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS) console.log(`  ${u.username.padEnd(14)} ${u.displayName}  ${u.org} · ${u.role}`);
    const { DEMO_POOL } = await import("./seed-external");
    const { EXTERNAL_KIND_LABELS } = await import("../app/domain/external");
    for (const p of DEMO_POOL)
      if (p.username)
        console.log(`  ${p.username.padEnd(14)} ${p.name}  ${EXTERNAL_KIND_LABELS[p.kind]}（无所属单位）`);
  } finally {
    await db.$disconnect();
  }
}
