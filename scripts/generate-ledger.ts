/**
 * Ledger test data: N tracked items (default 10,000) for the 台账 page, its export and `npm run bench`.
 * Run after the seed (it needs the 示例市 orgs):
 *
 *   node --import tsx scripts/generate-ledger.ts [N] [--reset]     (DATABASE_URL as for the app)
 *
 * Items come in batches of 50 per source document: finalized 纪要 of the consultation series
 * "基准测试会商" convened by 示例市司法局 (plus, every tenth document, a 督办清单 or 整改方案, and a
 * few drafts), with every status, due dates spread around today, supporting orgs and progress text.
 * Written directly with Prisma `createMany` in chunks. Idempotent-ish: everything it creates is
 * marked (series "基准测试会商", titles starting with "基准测试"); a second run only tops the count up
 * to N, `--reset` deletes the marked rows first.
 */
import { createDb, type Db, type Prisma } from "../app/db.server";
import { endOfChinaDay } from "../app/domain/dates";
import { newId } from "../app/utils/ids";

export const LEDGER_SERIES = "基准测试会商";
export const LEDGER_TITLE_PREFIX = "基准测试";
const OWNER = "示例市司法局";
const PER_DOCUMENT = 50;
const DAY = 86_400_000;

/** The subjects of generated records (the search corpus uses them too). */
export const TOPICS = [
  "行政执法与刑事司法衔接",
  "涉企行政检查",
  "食品安全违法案件移送",
  "生态环境损害赔偿",
  "道路运输违法超限超载治理",
  "城市管理违法建设查处",
  "农资打假专项整治",
  "文化旅游市场秩序整治",
  "安全生产重大隐患排查",
  "行政复议纠错案件整改",
  "检察建议落实",
  "司法建议反馈",
  "行政处罚裁量基准执行",
  "证明事项告知承诺制",
  "基层综合行政执法",
  "执法人员持证上岗",
];
const ACTIONS = [
  "建立案件移送台账并按月通报",
  "制定工作方案，明确责任分工和完成时限",
  "开展专项检查，形成书面报告报送市司法局",
  "完善信息共享机制，实现执法数据互通",
  "组织开展案卷评查，整改发现的问题",
  "对逾期未办结案件逐件核查，提出处理意见",
  "修订相关制度文件，报市政府备案审查",
  "开展联合培训，提升执法人员业务能力",
  "落实双随机、一公开监管要求",
  "向社会公开整改情况，接受群众监督",
];
const PROGRESS = [
  "已召开专题会议部署，正在制定实施方案。",
  "已完成前期摸排，共梳理问题线索12条。",
  "方案已印发，各县区正在推进落实。",
  "已完成阶段性任务，书面报告正在审核。",
  "已整改完毕，相关材料已报送协调单位。",
  "已组织联合检查2次，发现问题已督促整改。",
  "信息共享平台已上线试运行。",
  "因机构调整有所延后，已调整推进计划。",
];
const LEAD_ORGS = [
  "示例市市场监督管理局",
  "示例市生态环境局",
  "示例市交通运输局",
  "示例市城市管理综合行政执法局",
  "示例市农业农村局",
  "示例市文化广电和旅游局",
  "示例市应急管理局",
  "示例市中级人民法院",
  "示例市人民检察院",
  "示例市司法局",
  "甲县司法局",
  "乙县司法局",
  "甲县市场监督管理局",
  "乙县综合行政执法局",
];

/** A small deterministic generator, so two runs with the same N produce the same shape. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export async function resetLedger(db: Db): Promise<number> {
  const owner = await db.organization.findUnique({ where: { name: OWNER }, select: { id: true } });
  if (!owner) return 0;
  const docs = await db.document.findMany({
    where: { ownerOrgId: owner.id, title: { startsWith: LEDGER_TITLE_PREFIX } },
    select: { id: true },
  });
  const ids = docs.map((d) => d.id);
  await db.consultation.deleteMany({ where: { conveningOrgId: owner.id, series: LEDGER_SERIES } });
  for (let i = 0; i < ids.length; i += 200)
    await db.document.deleteMany({ where: { id: { in: ids.slice(i, i + 200) } } });
  return ids.length;
}

export async function generateLedger(
  db: Db,
  target: number,
  opts: { now?: Date; log?: (m: string) => void } = {},
): Promise<{ created: number; total: number }> {
  const log = opts.log ?? (() => undefined);
  const now = opts.now ?? new Date();
  const orgs = await db.organization.findMany({ select: { id: true, name: true } });
  const byName = new Map(orgs.map((o) => [o.name, o.id]));
  const ownerId = byName.get(OWNER);
  if (!ownerId) throw new Error(`generate-ledger: ${OWNER} not found — run the seed first (npm run db:seed)`);
  const creator = await db.user.findUnique({ where: { username: "sfj.coord" }, select: { id: true } });
  const leads = LEAD_ORGS.map((n) => ({ id: byName.get(n), name: n })).filter((o): o is { id: string; name: string } =>
    Boolean(o.id),
  );
  const existing = await db.trackedItem.count({
    where: { ownerOrgId: ownerId, sourceDocument: { title: { startsWith: LEDGER_TITLE_PREFIX } } },
  });
  if (existing >= target) return { created: 0, total: existing };
  const lastNumber =
    (
      await db.consultation.findFirst({
        where: { conveningOrgId: ownerId, series: LEDGER_SERIES },
        orderBy: { number: "desc" },
        select: { number: true },
      })
    )?.number ?? 0;
  const priorDocs = await db.document.count({
    where: { ownerOrgId: ownerId, title: { startsWith: LEDGER_TITLE_PREFIX } },
  });

  const random = rng(20260101 + priorDocs);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let remaining = target - existing;
  const documents = Math.ceil(remaining / PER_DOCUMENT);
  let created = 0;
  let seriesNumber = lastNumber;
  // Meetings spread over the last 14 months, oldest first.
  const spanDays = 420;
  const chunk = 20; // documents per transaction
  for (let d0 = 0; d0 < documents; d0 += chunk) {
    const docRows: Array<{
      id: string;
      type: string;
      title: string;
      ownerOrgId: string;
      status: string;
      createdById: string;
      createdAt: Date;
      updatedAt: Date;
    }> = [];
    const consultationRows: Array<{
      id: string;
      kind: string;
      title: string;
      series: string;
      number: number;
      conveningOrgId: string;
      startsAt: Date;
      endsAt: Date;
      place: string;
      agenda: string;
      status: string;
      createdById: string;
      minutesId: string;
    }> = [];
    const itemRows: Prisma.TrackedItemCreateManyInput[] = [];
    const roleRows: Array<{ itemId: string; orgId: string; role: string }> = [];
    for (let d = d0; d < Math.min(documents, d0 + chunk); d++) {
      const index = priorDocs + d;
      const meeting = new Date(
        now.getTime() - spanDays * DAY + Math.floor(((d + 0.5) / documents) * (spanDays - 10)) * DAY,
      );
      meeting.setUTCHours(6, 30, 0, 0);
      // Every 20th document is still a draft (its items DRAFT, a few REMOVED); every tenth a listing or plan.
      const draft = index % 20 === 19;
      const type = index % 10 === 3 ? "SUPERVISION_LISTING" : index % 10 === 7 ? "RECTIFICATION_PLAN" : "MINUTES";
      const kind =
        type === "MINUTES"
          ? "AGREED_ITEM"
          : type === "SUPERVISION_LISTING"
            ? "SUPERVISED_CASE"
            : "RECTIFICATION_MEASURE";
      const docId = newId();
      let title: string;
      let consultationId: string | null = null;
      let series: string | null = null;
      if (type === "MINUTES") {
        seriesNumber++;
        title = `${LEDGER_TITLE_PREFIX}会商第${seriesNumber}期会议纪要`;
        consultationId = newId();
        series = LEDGER_SERIES;
        consultationRows.push({
          id: consultationId,
          kind: "COORDINATION",
          title: `${LEDGER_SERIES}（第${seriesNumber}期）`,
          series: LEDGER_SERIES,
          number: seriesNumber,
          conveningOrgId: ownerId,
          startsAt: meeting,
          endsAt: new Date(meeting.getTime() + 90 * 60_000),
          place: "市司法局三楼会议室",
          agenda: JSON.stringify(["通报上期议定事项落实情况", "研究本期议题"]),
          status: draft ? "DRAFTING" : "FINALIZED",
          createdById: creator?.id ?? "generator",
          minutesId: docId,
        });
      } else {
        title = `${LEDGER_TITLE_PREFIX}${type === "SUPERVISION_LISTING" ? "联合挂牌督办清单" : "整改方案"}（${index + 1}）`;
      }
      docRows.push({
        id: docId,
        type,
        title,
        ownerOrgId: ownerId,
        status: draft ? "DRAFT" : "FINALIZED",
        createdById: creator?.id ?? "generator",
        createdAt: meeting,
        updatedAt: meeting,
      });
      const activatedAt = draft ? null : new Date(meeting.getTime() + (3 + Math.floor(random() * 5)) * DAY);
      const count = Math.min(PER_DOCUMENT, remaining);
      remaining -= count;
      for (let n = 1; n <= count; n++) {
        const id = newId();
        const lead = pick(leads);
        const supporting = [...new Set(Array.from({ length: Math.floor(random() * 4) }, () => pick(leads)))].filter(
          (o) => o.id !== lead.id,
        );
        const wording = `关于${pick(TOPICS)}，由${lead.name}牵头，${pick(ACTIONS)}。`;
        const due =
          random() < 0.03
            ? null
            : endOfChinaDay(chinaDate(new Date(meeting.getTime() + (15 + Math.floor(random() * 200)) * DAY)));
        let status: string;
        if (draft) status = random() < 0.08 ? "REMOVED" : "DRAFT";
        else {
          // Most work past its deadline is finished; about one in five past-due items is still open (逾期).
          const r = random();
          const pastDue = due !== null && due.getTime() < now.getTime();
          status = pastDue
            ? r < 0.66
              ? "CLOSED"
              : r < 0.8
                ? "DONE"
                : r < 0.94
                  ? "IN_PROGRESS"
                  : "NOT_STARTED"
            : r < 0.08
              ? "CLOSED"
              : r < 0.18
                ? "DONE"
                : r < 0.68
                  ? "IN_PROGRESS"
                  : "NOT_STARTED";
        }
        const reported = status !== "DRAFT" && status !== "REMOVED" && (status !== "NOT_STARTED" || random() < 0.2);
        const progressAt =
          reported && activatedAt
            ? new Date(Math.min(now.getTime() - DAY, activatedAt.getTime() + Math.floor(random() * 120) * DAY))
            : null;
        const closedAt =
          status === "CLOSED" && activatedAt
            ? new Date(
                Math.max(
                  activatedAt.getTime() + DAY,
                  Math.min(now.getTime() - DAY, (due ?? now).getTime() - Math.floor(random() * 40 - 10) * DAY),
                ),
              )
            : null;
        itemRows.push({
          id,
          kind,
          sourceDocumentId: docId,
          ownerOrgId: ownerId,
          consultationId,
          series,
          number: n,
          wording,
          searchText: [wording, lead.name, ...supporting.map((o) => o.name), title].join(" ").toLowerCase(),
          leadOrgId: lead.id,
          dueDate: due,
          feedbackCycle: pick(["NONE", "WEEKLY", "MONTHLY", "MONTHLY"]),
          status,
          activatedAt,
          closedAt,
          lastProgressAt: closedAt && progressAt && progressAt > closedAt ? closedAt : progressAt,
          lastProgressText: progressAt ? pick(PROGRESS) : null,
          createdAt: meeting,
          updatedAt: closedAt ?? progressAt ?? activatedAt ?? meeting,
        });
        roleRows.push(
          { itemId: id, orgId: lead.id, role: "LEAD" },
          ...supporting.map((o) => ({ itemId: id, orgId: o.id, role: "SUPPORTING" })),
        );
      }
    }
    await db.$transaction(async (tx) => {
      await tx.document.createMany({ data: docRows });
      if (consultationRows.length) await tx.consultation.createMany({ data: consultationRows });
      for (let i = 0; i < itemRows.length; i += 500)
        await tx.trackedItem.createMany({ data: itemRows.slice(i, i + 500) });
      for (let i = 0; i < roleRows.length; i += 1000)
        await tx.trackedItemOrg.createMany({ data: roleRows.slice(i, i + 1000) });
    });
    created += itemRows.length;
    log(`  ${created} / ${target - existing} items`);
  }
  return { created, total: existing + created };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop() ?? "");
if (isMain) {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? process.env.LEDGER_ITEMS ?? 10_000);
  const db = createDb(process.env.DATABASE_URL ?? "file:./data/consult.db");
  try {
    if (args.includes("--reset")) console.log(`removed ${await resetLedger(db)} generated documents (and their items)`);
    const t0 = Date.now();
    const { created, total } = await generateLedger(db, n, { log: (m) => process.stdout.write(`\r${m}`) });
    console.log(
      `\nledger: ${created} items created, ${total} generated items in the database (${((Date.now() - t0) / 1000).toFixed(1)} s).`,
    );
  } finally {
    await db.$disconnect();
  }
}
