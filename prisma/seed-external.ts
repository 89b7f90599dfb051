import { getDb } from "../app/db.server";
import { addDaysIso, chinaDay } from "../app/domain/dates";
import { COMMENT_MARK } from "../app/domain/comment";
import type { ExternalKind } from "../app/domain/external";
import { createThread } from "../app/models/comment.server";
import { hashPassword } from "../app/services/auth/password.server";
import { conveneConsultation } from "../app/services/convene-consultation.server";
import type { TemplateNode } from "../app/services/document-templates";
import { createEventBus } from "../app/services/events.server";
import { newId } from "../app/utils/ids";
import { seedActor } from "./seed-actor";
import { writeSeedContent } from "./seed-content";

export const DEMO_CASE_CONSULTATION_TITLE = "某食品公司虚假宣传案个案咨询";

const CASE_FILE = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

interface PoolPerson {
  name: string;
  kind: ExternalKind;
  fields: string[];
  title: string;
  employer: string;
  contact: string;
  /** The demo account (password: the demo password), when the person has one. */
  username?: string;
}

/** The city's pool: five experts, a 特邀行政执法监督员 and a 人大代表 (three of them with an account). */
export const DEMO_POOL: PoolPerson[] = [
  {
    name: "陈立新",
    kind: "EXPERT",
    fields: ["法学", "行政法"],
    title: "教授",
    employer: "示例大学法学院",
    contact: "0571-88001234",
    username: "expert.chen",
  },
  {
    name: "黄晓燕",
    kind: "EXPERT",
    fields: ["市场监管", "行政法"],
    title: "律师",
    employer: "示例律师事务所",
    contact: "13800001111",
  },
  {
    name: "马国栋",
    kind: "EXPERT",
    fields: ["生态环境"],
    title: "高级工程师",
    employer: "示例市环境科学研究院",
    contact: "13800002222",
  },
  {
    name: "罗文华",
    kind: "EXPERT",
    fields: ["城市管理"],
    title: "副教授",
    employer: "示例城市学院",
    contact: "13800003333",
  },
  {
    name: "谢振华",
    kind: "EXPERT",
    fields: ["交通运输", "应急管理"],
    title: "研究员",
    employer: "示例市交通科学研究所",
    contact: "13800004444",
  },
  {
    name: "宋建军",
    kind: "SUPERVISOR",
    fields: ["市场监管"],
    title: "社区居委会主任",
    employer: "示例市东城街道",
    contact: "13800005555",
    username: "supervisor.song",
  },
  {
    name: "唐丽萍",
    kind: "NPC_DEPUTY",
    fields: ["生态环境"],
    title: "市人大代表",
    employer: "示例市某环保科技有限公司",
    contact: "13800006666",
    username: "deputy.tang",
  },
];

/**
 * Outside participants (ADR 024) on top of the directory: the city's pool kept by 市司法局, three
 * accounts, and a 个案咨询 of 市市场监督管理局 with one expert opinion (a comment of 陈立新 on the
 * 咨询问题). Idempotent: people are skipped by name, the consultation by its title.
 */
export async function seedExternal(password: string): Promise<string[]> {
  const db = getDb();
  const created: string[] = [];
  const sfj = await db.organization.findUniqueOrThrow({
    where: { name: "示例市司法局" },
    select: { regionId: true },
  });
  const keeper = await seedActor("sfj.coord");
  const passwordHash = await hashPassword(password);
  const ids = new Map<string, { personId: string; userId: string | null }>();
  let added = 0;
  for (const p of DEMO_POOL) {
    const existing = await db.externalPerson.findFirst({
      where: { regionId: sfj.regionId, name: p.name },
      select: { id: true, userId: true },
    });
    if (existing) {
      ids.set(p.name, { personId: existing.id, userId: existing.userId });
      continue;
    }
    const userId = p.username ? newId() : null;
    if (userId && p.username)
      await db.user.create({
        data: { id: userId, username: p.username, displayName: p.name, passwordHash, externalKind: p.kind },
      });
    const personId = newId();
    await db.externalPerson.create({
      data: {
        id: personId,
        regionId: sfj.regionId,
        kind: p.kind,
        name: p.name,
        fields: JSON.stringify(p.fields),
        title: p.title,
        employer: p.employer,
        contact: p.contact,
        userId,
        createdById: keeper.id,
      },
    });
    ids.set(p.name, { personId, userId });
    added++;
  }
  if (added)
    created.push(
      `专家库 ${added} 人（其中 ${DEMO_POOL.filter((p) => p.username).length} 人已开通账号：${DEMO_POOL.flatMap((p) => p.username ?? []).join("、")}）`,
    );

  if (!(await db.consultation.findFirst({ where: { title: DEMO_CASE_CONSULTATION_TITLE }, select: { id: true } }))) {
    const scjg = await db.organization.findUniqueOrThrow({
      where: { name: "示例市市场监督管理局" },
      select: { id: true },
    });
    const day = addDaysIso(chinaDay(), 3);
    const expert = ids.get("陈立新");
    const { id } = await conveneConsultation(
      await seedActor("scjg.coord"),
      {
        kind: "CASE_CONSULTATION",
        title: DEMO_CASE_CONSULTATION_TITLE,
        series: "2026年度个案咨询",
        conveningOrgId: scjg.id,
        startsAt: new Date(`${day}T09:30:00+08:00`),
        endsAt: new Date(`${day}T11:00:00+08:00`),
        place: "书面咨询（市市场监督管理局法规科汇总）",
        agenda: ["听取专家对法律适用问题的书面意见"],
        participants: [],
        guests: expert ? [expert.personId] : [],
        caseSummary:
          "当事人某食品有限公司在其网店销售普通食品“某某牌固体饮料”，在商品详情页宣称该产品“可辅助降血糖、替代药物”，并配有“患者服用前后对比”图片。经查，该产品未取得保健食品注册或备案，近一年销售额约18万元。",
        legalQuestion:
          "当事人的行为应适用《中华人民共和国广告法》第五十五条按虚假广告处罚，还是适用《中华人民共和国食品安全法》第一百四十条关于食品广告的规定？两法竞合时如何确定罚款基数？",
        files: [{ name: "案件调查终结报告.pdf", type: "application/pdf", data: CASE_FILE }],
      },
      { ip: null, events: createEventBus() },
    );
    const c = await db.consultation.findUniqueOrThrow({ where: { id }, select: { minutesId: true } });
    if (expert?.userId && c.minutesId) await addOpinion(c.minutesId, expert.userId);
    created.push(`个案咨询《${DEMO_CASE_CONSULTATION_TITLE}》（特邀专家陈立新，附案件材料，已提出一条书面意见）`);
  }
  return created;
}

const OPINION =
  "建议适用《广告法》第五十五条。商品详情页属于互联网广告，宣称普通食品具有疾病治疗功能，构成虚假广告；《食品安全法》第一百四十条第五款亦指向《广告法》的规定处罚。罚款基数宜按广告费用认定，广告费用无法计算的，按该条规定的数额幅度处罚。";

/** 陈立新's written opinion: a comment anchored on the 咨询问题, as the editor would write it. */
async function addOpinion(documentId: string, expertUserId: string) {
  const db = getDb();
  const snapshot = await db.documentSnapshot.findUniqueOrThrow({ where: { documentId }, select: { json: true } });
  const doc = JSON.parse(snapshot.json) as TemplateNode;
  const content = doc.content ?? [];
  const at = content.findIndex((n) => n.type === "heading" && n.content?.[0]?.text === "二、咨询问题") + 1;
  const target = content[at]?.content?.[0];
  if (!target?.text) return;
  const threadId = newId();
  target.marks = [...(target.marks ?? []), { type: COMMENT_MARK, attrs: { threadId } }];
  await db.$transaction(async (tx) => {
    await writeSeedContent(tx, documentId, doc);
    await createThread(tx, {
      id: threadId,
      documentId,
      quote: target.text ?? "",
      authorId: expertUserId,
      orgId: null,
      body: OPINION,
      mentions: { userIds: [], orgIds: [] },
    });
  });
}
