import { getDb } from "../app/db.server";
import { getDocumentFacts } from "../app/models/document.server";
import type { CaseField } from "../app/domain/typical-case";
import { decideCountersign } from "../app/services/countersign.server";
import { heading, paragraph, type TemplateNode } from "../app/services/document-templates";
import { createEventBus } from "../app/services/events.server";
import { seedActor } from "./seed-actor";
import { writeSeedContent } from "./seed-content";
import { createTypicalCase, publishCase, submitCase } from "../app/services/typical-cases.server";

/** A case as the seed writes it: its metadata and the text of each section (paragraphs). */
interface CaseSeed {
  title: string;
  field: CaseField;
  batch: string;
  /** 当事人 (private): the real names the redaction check looks for. */
  parties: string[];
  sections: { 关键词: string; 基本案情: string[]; 处理结果: string[]; 典型意义: string[]; 关联法条: string[] };
  /** Published under this slug; none: left as a draft. */
  slug?: string;
}

/** The published cases of 2026年上半年: text already redacted (张某 / 某公司), every section filled. */
const PUBLISHED_CASES: CaseSeed[] = [
  {
    title: "甲县市场监管局查处某食品经营部经营超过保质期食品案",
    field: "市场监管",
    batch: "2026年上半年",
    parties: ["陈志强", "示例市甲县鲜达食品经营部"],
    slug: "2026h1-shipin-jingying",
    sections: {
      关键词: "食品安全、超过保质期食品、行政处罚、从轻处罚、行政执法监督",
      基本案情: [
        "2025年9月，甲县市场监督管理局执法人员在日常监督检查中发现，某食品经营部货架上陈列销售的预包装饮料、方便面等4种食品已超过标注的保质期，共计37件，货值金额286元。经营者陈某对违法事实无异议，称系进货后未及时清理临期商品所致。",
        "甲县市场监督管理局依法立案调查，调取了进货票据、销售记录，对陈某制作询问笔录，查明涉案食品尚未售出。在作出处罚决定前，该局依法告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知其享有陈述、申辩的权利。",
        "示例市司法局在2026年上半年行政执法案卷评查中抽查该案，认为该案事实清楚、证据确实充分、程序合法、裁量适当，遂遴选为典型案例。",
      ],
      处理结果: [
        "甲县市场监督管理局综合考虑涉案食品货值较小、尚未售出、当事人主动配合调查并当场下架销毁等情节，依法对某食品经营部作出没收超过保质期食品、罚款5000元的行政处罚，并责令其建立临期食品定期检查制度。当事人在法定期限内缴纳了罚款，未申请行政复议或提起行政诉讼。",
      ],
      典型意义: [
        "食品安全关系人民群众身体健康和生命安全。本案中，执法机关在依法查处违法行为的同时，准确适用从轻处罚情节，坚持处罚与教育相结合，做到过罚相当，实现了政治效果、法律效果和社会效果的统一。",
        "本案执法程序规范，调查取证全面，告知、听取陈述申辩等程序环节完整，裁量理由在处罚决定书中说理充分，可为基层市场监管部门办理同类案件提供参考。",
      ],
      关联法条: [
        "《中华人民共和国食品安全法》第三十四条第十项、第一百二十四条第一款第五项",
        "《中华人民共和国行政处罚法》第三十二条、第四十四条、第四十五条",
      ],
    },
  },
  {
    title: "乙县生态环境部门查处某化工公司通过暗管违法排放水污染物案",
    field: "生态环境",
    batch: "2026年上半年",
    parties: ["周海涛", "示例市乙县恒通化工有限公司"],
    slug: "2026h1-weifa-paiwu",
    sections: {
      关键词: "生态环境、水污染防治、暗管排污、按日连续处罚、行刑衔接",
      基本案情: [
        "2025年11月，示例市生态环境局乙县分局根据群众举报，对某化工公司开展突击检查，发现该公司在厂区东侧私设暗管，将未经处理的生产废水直接排入厂外灌溉沟渠。经采样监测，外排废水中化学需氧量、氨氮浓度分别超过国家排放标准4.2倍和3.6倍。",
        "执法人员当场责令该公司停止违法排污行为，制作现场检查笔录，对暗管走向、排放口进行拍照录像并固定证据。该公司法定代表人周某对违法事实予以确认。",
      ],
      处理结果: [
        "示例市生态环境局依法对某化工公司作出罚款60万元的行政处罚，责令其拆除暗管、限期完成污染治理设施升级改造；因该公司拒不改正，依法实施按日连续处罚。鉴于该公司通过暗管逃避监管排放水污染物，依法将案件移送公安机关，对直接负责的主管人员周某依法予以行政拘留。",
        "示例市司法局在行政执法监督中对该案的移送程序进行了跟踪，相关案卷材料移送及时、完整。",
      ],
      典型意义: [
        "暗管排污具有隐蔽性强、危害后果重的特点，是生态环境执法的重点和难点。本案中，执法机关快速响应群众举报，精准锁定违法事实，综合运用行政处罚、按日连续处罚和行刑衔接等手段，形成对环境违法行为的有力震慑。",
        "本案体现了行政执法与刑事司法的有效衔接，对依法严厉打击恶意排污行为、守护绿水青山具有示范意义。",
      ],
      关联法条: [
        "《中华人民共和国水污染防治法》第三十九条、第八十三条第三项",
        "《中华人民共和国环境保护法》第五十九条、第六十三条第三项",
      ],
    },
  },
];

/** The draft of 2026年下半年 with personal information planted for the 脱敏检查 demo. */
const DEMO_ID_NUMBER = "330102198503154214";
const DRAFT_CASE: CaseSeed = {
  title: "甲县交通运输局查处某物流公司货车违法超限运输案",
  field: "交通运输",
  batch: "2026年下半年",
  parties: ["李明华", "示例市甲县顺达物流有限公司"],
  sections: {
    关键词: "交通运输、超限运输、行政处罚、路政执法",
    基本案情: [
      `2026年8月，甲县交通运输局执法人员在治超检测站检查时发现，驾驶员李明华（身份证号码${DEMO_ID_NUMBER}，联系电话13812345678）驾驶的浙A12345重型半挂牵引车，车货总重超过规定限值。经查，李明华住示例市甲县青石镇幸福路12号，受雇于示例市甲县顺达物流有限公司。`,
    ],
    处理结果: ["（待补充）甲县交通运输局依法责令当事人卸载超限货物，并拟作出行政处罚。"],
    典型意义: ["（待补充）"],
    关联法条: ["《中华人民共和国公路法》第五十条、第七十六条", "《公路安全保护条例》第三十五条、第六十四条"],
  },
};

function caseContent(s: CaseSeed["sections"]): TemplateNode {
  return {
    type: "doc",
    content: [
      heading("关键词"),
      paragraph(s.关键词),
      heading("基本案情"),
      ...s.基本案情.map(paragraph),
      heading("处理结果"),
      ...s.处理结果.map(paragraph),
      heading("典型意义"),
      ...s.典型意义.map(paragraph),
      heading("关联法条"),
      ...s.关联法条.map(paragraph),
    ],
  };
}

/**
 * Demo typical cases (典型案例) of 示例市司法局 (run by `npm run db:seed`, after `seedRecommendations`):
 *  1. two cases of 2026年上半年 (市场监管, 生态环境), redacted, reviewed by 市司法局's publisher and published
 *     at /cases/2026h1-shipin-jingying and /cases/2026h1-weifa-paiwu;
 *  2. a draft of 2026年下半年 (交通运输) with a party's name, an ID number, a mobile number, a plate and an
 *     address planted for the 脱敏检查 demo.
 * Built through the services the app uses. Idempotent: each case is skipped once a case of its title
 * exists. Returns the cases created.
 */
export async function seedCases(): Promise<string[]> {
  const db = getDb();
  const as = seedActor;
  const events = createEventBus();
  const ctx = {
    ip: null,
    events,
    collab: { storeDocument: async () => undefined, applyChange: async () => undefined },
  };
  const facts = async (documentId: string) => {
    const f = await getDocumentFacts(db, documentId);
    if (!f) throw new Error(`seed: case ${documentId} vanished`);
    return f;
  };
  const writeContent = (documentId: string, content: TemplateNode) =>
    db.$transaction((tx) => writeSeedContent(tx, documentId, content));
  const sfj = (await db.organization.findUniqueOrThrow({ where: { name: "示例市司法局" }, select: { id: true } })).id;
  const created: string[] = [];

  for (const c of [...PUBLISHED_CASES, DRAFT_CASE]) {
    if (await db.document.findFirst({ where: { type: "TYPICAL_CASE", title: c.title }, select: { id: true } }))
      continue;
    const made = await createTypicalCase(
      await as("sfj.drafter"),
      { title: c.title, field: c.field, batch: c.batch, parties: c.parties, ownerOrgId: sfj, writerOrgIds: [] },
      ctx,
    );
    await writeContent(made.id, caseContent(c.sections));
    if (!c.slug) {
      created.push(`典型案例《${c.title}》（${c.batch}，起草中，含待脱敏的个人信息）`);
      continue;
    }
    await submitCase(await as("sfj.drafter"), await facts(made.id), ctx);
    const approved = await decideCountersign(
      await as("sfj.publisher"),
      await facts(made.id),
      { decision: "APPROVED", comment: null },
      ctx,
    );
    if (approved.status !== "FINALIZED")
      throw new Error(`seed: 《${c.title}》 is ${approved.status} after review, expected FINALIZED`);
    const published = await publishCase(
      await as("sfj.publisher"),
      await facts(made.id),
      { slug: c.slug, note: null },
      ctx,
    );
    // The demo's first-half batch went out on time, in June, as its batch requires.
    await db.publication.updateMany({
      where: { documentId: made.id },
      data: { publishedAt: new Date("2026-06-18T10:00:00+08:00") },
    });
    created.push(`典型案例《${c.title}》（${c.batch}，已发布 /cases/${published.slug}）`);
  }
  return created;
}
