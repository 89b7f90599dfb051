/**
 * Search test data (ADR 028, issue 24's bench): N searchable records (default 100,000) for a city deployment,
 * written after the 示例市 seed, so that `npm run search:reindex` (or the bench) makes N search entries:
 *
 *   node --import tsx scripts/generate-search-corpus.ts [N]      (DATABASE_URL as for the app; seed first)
 *
 * The mix (of N): 20% documents (会商纪要, 整改方案, 督办清单, 书面回复, 专题报告… of 1,500–4,000 characters of
 * varied 公文 text with people's names), 40% tracked items (most with one to three progress reports), 25%
 * comment threads (one to four comments each), 10% recommendations, 5% consultations. Ownership is spread
 * over every seeded organisation (city agencies, county units, 司法所, the neighbouring city), some documents
 * list other units, items have lead and supporting units.
 *
 * Planted, with known counts (see `SEARCH_CORPUS_PLANTS`): the phrase 统筹机制 together with 排污单位 in one
 * document of 200 (and each phrase alone in a few others, so the AND matters); the rare surname 邱 in about one
 * record of 60 (documents, items' 责任人, comments). Neither 筹机 nor 污单 nor 邱 occurs anywhere else.
 * Deterministic for a given N. Rows are written with `createMany`, a few thousand per transaction.
 */
import { createDb, type Db, type Prisma } from "../app/db.server";
import { TOPICS as LEDGER_TOPICS } from "./generate-ledger";

export const SEARCH_CORPUS_TITLE_PREFIX = "语料";
/** The bench's queries and how often their words are planted. */
export const SEARCH_CORPUS_PLANTS = {
  twoWords: "统筹机制 排污单位",
  oneChar: "邱",
  /** Documents holding both words: every `bothEvery`-th document. */
  bothEvery: 200,
  /** Records (documents, items, comments) naming a 邱: every `rareEvery`-th. */
  rareEvery: 60,
} as const;

const DAY = 86_400_000;
/** Bulk writes on a loaded machine outlast Prisma's default 5 s per interactive transaction. */
const BULK_TX = { timeout: 120_000 };

/** A small deterministic generator. */
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

// ---- vocabulary ------------------------------------------------------------------------------------------------

/** Common surnames, roughly by frequency (邱 is kept out: it is planted). */
const SURNAMES = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
];
const GIVEN = [
  ..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文红梅海波晓东春雨雪峰丹晨亮成新颖琳瑜瑶婷佳怡倩",
];
const POSTS = [
  "科长",
  "副科长",
  "副局长",
  "主任",
  "副主任",
  "处长",
  "副处长",
  "所长",
  "队长",
  "检察官",
  "法官",
  "工作人员",
];

const TOPICS = [
  ...LEDGER_TOPICS,
  "药品零售企业监督检查",
  "水土保持违法行为查处",
  "建筑施工扬尘污染防治",
  "校外培训机构规范管理",
  "网络餐饮服务食品安全",
  "特种设备安全监察",
  "非法采砂综合整治",
  "燃气经营许可管理",
  "养老机构消防安全",
  "预付式消费纠纷化解",
  "农村集体土地违法占用",
  "物业服务收费监管",
  "医疗废物规范处置",
  "户外广告设施设置",
];
const UNIT_KINDS = ["执法部门", "被检查单位", "市场主体", "经营户", "县区政府", "乡镇街道", "村居委会", "行业协会"];
const VERBS = [
  "梳理",
  "排查",
  "核查",
  "研判",
  "通报",
  "督促",
  "指导",
  "评查",
  "复核",
  "清理",
  "规范",
  "完善",
  "修订",
  "细化",
  "压实",
  "跟踪",
];
const OBJECTS = [
  "案卷材料",
  "执法文书",
  "处罚决定",
  "投诉举报",
  "信访件",
  "问题清单",
  "责任清单",
  "工作台账",
  "裁量基准",
  "监管名录",
  "检查计划",
  "移送记录",
  "整改报告",
  "复议决定",
  "应诉材料",
  "证据目录",
];
const PROBLEMS = [
  "部分案件调查取证不充分，证据链条不完整",
  "个别执法人员未按规定出示执法证件",
  "行政处罚决定书说理不充分，法律适用不准确",
  "涉企检查频次偏高，存在重复检查现象",
  "案件移送标准不统一，移送时限把握不严",
  "听证告知程序履行不到位",
  "罚没款项未及时缴入国库",
  "信息公示不及时，公示内容不完整",
  "行政检查未纳入年度计划即实施",
  "对群众投诉举报回应不及时",
  "执法记录仪使用不规范，音像资料保存不全",
  "送达程序存在瑕疵，个别文书未依法送达",
];
const MEASURES = [
  "建立问题整改台账，实行销号管理",
  "组织开展全员执法培训，考试合格后方可上岗",
  "完善案件审核制度，重大执法决定一律法制审核",
  "制定涉企检查年度计划，统一对外公示",
  "规范案件移送程序，明确移送时限和材料清单",
  "落实执法全过程记录制度，按月抽查",
  "建立信息共享机制，实现执法数据互联互通",
  "对逾期未办结案件逐件核查并提出处理意见",
  "将整改情况纳入年度法治建设考核",
  "向社会公开整改结果，接受群众监督",
];
const PLACES = ["三楼会议室", "一号会议室", "二楼小会议室", "视频会商室", "四楼多功能厅", "法治宣传教育中心"];
const HEADINGS = ["一、基本情况", "二、存在的问题", "三、整改措施", "四、议定事项", "五、工作要求", "六、保障措施"];
const OPENERS = [
  "为贯彻落实上级关于法治政府建设的部署要求",
  "根据年度工作安排",
  "按照市委全面依法治市委员会办公室的统一部署",
  "为进一步规范行政执法行为",
  "针对近期群众反映集中的问题",
  "结合第一季度执法监督检查情况",
];
const COUNTIES = ["甲县", "乙县", "青石镇", "白沙镇", "城东片区", "城西片区", "高新区", "经开区"];
const REPLIES = [
  "同意，建议补充完成时限。",
  "此处表述与上期纪要不一致，请核对。",
  "建议将牵头单位调整为属地政府。",
  "数据请以最新统计口径为准。",
  "已按意见修改。",
  "建议删除该句，避免歧义。",
  "请明确配合单位的具体职责。",
  "该条与现行裁量基准规定冲突，建议再研究。",
];
const PROGRESS = [
  "已召开专题会议部署，正在制定实施方案",
  "已完成前期摸排，共梳理问题线索{n}条",
  "方案已印发，各县区正在推进落实",
  "已完成阶段性任务，书面报告正在审核",
  "已整改完毕，相关材料已报送协调单位",
  "已组织联合检查{n}次，发现问题已督促整改",
  "信息共享平台已上线试运行",
  "因机构调整有所延后，已调整推进计划",
];

const DOC_TYPES = [
  { type: "MINUTES", label: "会议纪要", weight: 5 },
  { type: "RECTIFICATION_PLAN", label: "整改方案", weight: 2 },
  { type: "SUPERVISION_LISTING", label: "联合挂牌督办清单", weight: 1 },
  { type: "REPLY", label: "书面回复", weight: 1 },
  { type: "THEMATIC_REPORT", label: "专题报告", weight: 1 },
] as const;

type Rand = () => number;

class Words {
  constructor(private readonly r: Rand) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  /** A person's name: a surname (skewed to the common ones) and one or two given-name characters. */
  name(surname?: string): string {
    const s = surname ?? SURNAMES[Math.floor(this.r() ** 2 * SURNAMES.length)];
    return s + this.pick(GIVEN) + (this.r() < 0.6 ? this.pick(GIVEN) : "");
  }
  person(surname?: string): string {
    return `${this.pick(POSTS)}${this.name(surname)}`;
  }
  date(): string {
    return `${this.int(2024, 2026)}年${this.int(1, 12)}月${this.int(1, 28)}日`;
  }
  sentence(org: () => string): string {
    const forms: Array<() => string> = [
      () => `${this.pick(OPENERS)}，${org()}牵头对${this.pick(TOPICS)}工作进行了专题研究`,
      () => `会议听取了${org()}关于${this.pick(TOPICS)}情况的汇报`,
      () =>
        `${this.pick(COUNTIES)}共${this.pick(VERBS)}${this.pick(OBJECTS)}${this.int(3, 480)}件，发现问题${this.int(1, 60)}个`,
      () => `检查发现，${this.pick(PROBLEMS)}`,
      () => `${org()}应当${this.pick(MEASURES)}，于${this.date()}前完成`,
      () => `由${this.person()}负责${this.pick(VERBS)}${this.pick(OBJECTS)}，${this.person()}配合`,
      () => `各${this.pick(UNIT_KINDS)}要${this.pick(VERBS)}${this.pick(OBJECTS)}，${this.pick(MEASURES)}`,
      () =>
        `截至${this.date()}，已${this.pick(VERBS)}${this.pick(OBJECTS)}${this.int(2, 900)}份，整改率达到${this.int(40, 100)}%`,
      () => `${this.pick(TOPICS)}方面，${this.pick(PROBLEMS)}，${org()}已${this.pick(MEASURES)}`,
      () => `出席会议的有${this.name()}、${this.name()}、${this.name()}等同志，${this.name()}主持会议`,
      () => `会议要求，${this.pick(UNIT_KINDS)}对${this.pick(TOPICS)}中的${this.pick(OBJECTS)}实行清单化管理`,
      () => `对${this.pick(COUNTIES)}反映的${this.pick(TOPICS)}问题，由${org()}会同${org()}研究提出处理意见`,
      () => `联系人：${this.name()}，联系电话0${this.int(100, 999)}-${this.int(1000000, 9999999)}`,
      () => `${org()}第${this.int(1, 40)}号案件已于${this.date()}移送，${this.person()}跟踪办理`,
    ];
    return this.pick(forms)();
  }
  /** 公文 text of about `chars` characters, in paragraphs under headings. */
  text(chars: number, org: () => string): string {
    const out: string[] = [];
    let n = 0;
    let h = 0;
    while (n < chars) {
      let para = h < HEADINGS.length && (out.length === 0 || this.r() < 0.15) ? `${HEADINGS[h++]}\n` : "";
      const k = this.int(2, 5);
      for (let i = 0; i < k; i++) para += `${this.sentence(org)}。`;
      out.push(para);
      n += para.length;
    }
    return out.join("\n");
  }
}

// ---- writing --------------------------------------------------------------------------------------------------

export interface SearchCorpusCounts {
  documents: number;
  consultations: number;
  items: number;
  reports: number;
  recommendations: number;
  threads: number;
  comments: number;
  /** Documents holding both words of `SEARCH_CORPUS_PLANTS.twoWords`. */
  plantedBoth: number;
  /** Records naming a 邱. */
  plantedRare: number;
  /** Characters of generated text (documents' text, items, reports, comments, recommendations). */
  textChars: number;
}

/** How N searchable records split by kind. */
export function searchCorpusMix(n: number) {
  const documents = Math.round(n * 0.2);
  const consultations = Math.round(n * 0.05);
  const items = Math.round(n * 0.4);
  const recommendations = Math.round(n * 0.1);
  return {
    documents,
    consultations,
    items,
    recommendations,
    threads: n - documents - consultations - items - recommendations,
  };
}

const idOf = (prefix: string, n: number) => `${prefix}${n.toString(36).padStart(6, "0")}`;

/**
 * Writes N searchable records (see the file's comment) into a seeded database; the search index is not
 * touched (reindex afterwards). Meant for an empty corpus: ids are fixed, so a second run fails.
 */
export async function generateSearchCorpus(
  db: Db,
  n: number,
  opts: { now?: Date; log?: (m: string) => void } = {},
): Promise<SearchCorpusCounts> {
  const log = opts.log ?? (() => undefined);
  const now = opts.now ?? new Date();
  const r = rng(20261207);
  const w = new Words(r);
  const orgs = await db.organization.findMany({
    select: { id: true, name: true, kind: true, region: { select: { level: true } } },
    orderBy: { name: "asc" },
  });
  if (orgs.length < 5) throw new Error("generate-search-corpus: run the seed first (npm run db:seed)");
  const users = await db.user.findMany({
    select: { id: true, memberships: { select: { orgId: true } } },
    orderBy: { username: "asc" },
  });
  const creator = users[0].id;
  const userOf = (orgId: string) => users.find((u) => u.memberships.some((m) => m.orgId === orgId))?.id ?? creator;
  // City-level units write most of the city's paper; every org owns some.
  const weighted = orgs.flatMap(
    (o) => Array(o.region.level === "CITY" ? 3 : 1).fill(o) as Array<(typeof orgs)[number]>,
  );
  const ownerOf = (i: number) => weighted[(i * 7919 + Math.floor(i / 13)) % weighted.length];
  const orgName = () => w.pick(orgs).name;
  const mix = searchCorpusMix(n);
  const counts: SearchCorpusCounts = {
    documents: 0,
    consultations: 0,
    items: 0,
    reports: 0,
    recommendations: 0,
    threads: 0,
    comments: 0,
    plantedBoth: 0,
    plantedRare: 0,
    textChars: 0,
  };
  const { bothEvery, rareEvery } = SEARCH_CORPUS_PLANTS;
  let rareCounter = 0;
  /** Every `rareEvery`-th record that can name a person names a 邱. */
  const rareName = () => (++rareCounter % rareEvery === 0 ? (counts.plantedRare++, w.name("邱")) : w.name());
  const spanDays = 720;
  const at = (i: number, total: number) =>
    new Date(now.getTime() - spanDays * DAY + Math.floor((i / total) * spanDays * DAY));
  const state = new Uint8Array([0, 0]);

  // Documents (with their snapshots and a few listed units), a chunk per transaction.
  const CHUNK = 500;
  const docTypes = DOC_TYPES.flatMap((t) => Array(t.weight).fill(t) as Array<(typeof DOC_TYPES)[number]>);
  const docOwner: string[] = [];
  const docTitle: string[] = [];
  const docType: string[] = [];
  for (let d0 = 0; d0 < mix.documents; d0 += CHUNK) {
    const docs: Prisma.DocumentCreateManyInput[] = [];
    const snaps: Prisma.DocumentSnapshotCreateManyInput[] = [];
    const members: Prisma.DocumentMemberCreateManyInput[] = [];
    for (let d = d0; d < Math.min(mix.documents, d0 + CHUNK); d++) {
      const owner = ownerOf(d);
      const t = docTypes[d % docTypes.length];
      const id = idOf("gsdoc", d);
      const title = `${SEARCH_CORPUS_TITLE_PREFIX}${owner.name}关于${w.pick(TOPICS)}的${t.label}（${d + 1}）`;
      let body = w.text(w.int(1500, 4000), orgName);
      // The planted words, at a random place: both in every bothEvery-th document, one alone in a few others.
      const insert = (s: string) => {
        const cut = body.indexOf("。", Math.floor(r() * body.length));
        body = cut < 0 ? body + s : `${body.slice(0, cut + 1)}${s}${body.slice(cut + 1)}`;
      };
      if (d % bothEvery === 7) {
        insert(`建立统筹机制，覆盖辖区全部重点排污单位。`);
        counts.plantedBoth++;
      } else if (d % bothEvery === 61) insert(`完善跨部门统筹机制。`);
      else if (d % bothEvery === 113) insert(`督促重点排污单位落实自行监测。`);
      if (d % 3 === 0) insert(`由${w.pick(POSTS)}${rareName()}负责。`);
      const created = at(d, mix.documents);
      docs.push({
        id,
        type: t.type,
        title,
        ownerOrgId: owner.id,
        status: d % 5 === 0 ? "DRAFT" : "FINALIZED",
        createdById: userOf(owner.id),
        createdAt: created,
        updatedAt: created,
      });
      snaps.push({ documentId: id, state, json: '{"type":"doc"}', text: body, updatedAt: created });
      counts.textChars += title.length + body.length;
      // One document of four lists one or two other units (共同起草 / 抄送).
      if (d % 4 === 1)
        for (let k = 0; k < 1 + (d % 8 === 1 ? 1 : 0); k++) {
          const o = orgs[(d * 31 + k * 7) % orgs.length];
          if (o.id !== owner.id)
            members.push({
              id: `${id}m${k}`,
              documentId: id,
              orgId: o.id,
              access: k ? "READ" : "COMMENT",
              createdAt: created,
            });
        }
      docOwner.push(owner.id);
      docTitle.push(title);
      docType.push(t.type);
    }
    await db.$transaction(async (tx) => {
      await tx.document.createMany({ data: docs });
      await tx.documentSnapshot.createMany({ data: snaps });
      if (members.length) await tx.documentMember.createMany({ data: members });
    }, BULK_TX);
    counts.documents += docs.length;
    log(`documents ${counts.documents} / ${mix.documents}`);
  }
  if (!mix.documents && (mix.items || mix.threads)) throw new Error("generate-search-corpus: N too small");

  // Consultations: series per convening org, the minutes linked when the document is that org's minutes.
  {
    const rows: Prisma.ConsultationCreateManyInput[] = [];
    const parts: Prisma.ConsultationParticipantCreateManyInput[] = [];
    const numbers = new Map<string, number>();
    const linked = new Set<number>();
    for (let c = 0; c < mix.consultations; c++) {
      const convening = ownerOf(c * 3 + 1);
      const series = `${convening.name.replace(/^示例市|^示例省/, "")}${w.pick(["联席会议", "专题会商", "工作例会"])}`;
      const key = `${convening.id}/${series}`;
      const number = (numbers.get(key) ?? 0) + 1;
      numbers.set(key, number);
      const starts = at(c, mix.consultations);
      const id = idOf("gscon", c);
      // The minutes: a document of this org of type MINUTES not linked yet, searched near the same index.
      let minutesId: string | null = null;
      for (let d = (c * 4) % Math.max(1, mix.documents), k = 0; k < 12 && d < mix.documents; d++, k++)
        if (docOwner[d] === convening.id && docType[d] === "MINUTES" && !linked.has(d)) {
          linked.add(d);
          minutesId = idOf("gsdoc", d);
          break;
        }
      const agenda = Array.from(
        { length: w.int(2, 4) },
        () => `研究${w.pick(TOPICS)}${w.pick(["有关问题", "工作推进情况", "整改落实情况"])}`,
      );
      const past = starts.getTime() < now.getTime() - DAY;
      rows.push({
        id,
        kind: c % 10 === 9 ? "CASE_CONSULTATION" : w.pick(["COORDINATION", "SPECIAL", "CASE_CONFERENCE"]),
        title: `${series}（第${number}期）`,
        series,
        number,
        conveningOrgId: convening.id,
        startsAt: starts,
        endsAt: new Date(starts.getTime() + 90 * 60_000),
        place: `${convening.name}${w.pick(PLACES)}`,
        agenda: JSON.stringify(agenda),
        status: past ? w.pick(["FINALIZED", "ARCHIVED", "FINALIZED", "CANCELLED"]) : "PLANNED",
        createdById: userOf(convening.id),
        caseSummary: c % 10 === 9 ? `${w.sentence(orgName)}。${w.sentence(orgName)}。` : null,
        minutesId,
        createdAt: new Date(starts.getTime() - 7 * DAY),
        updatedAt: new Date(starts.getTime() - 7 * DAY),
      });
      counts.textChars += agenda.join("").length;
      const invited = new Set<string>();
      for (let k = 0; k < w.int(2, 5); k++) {
        const o = w.pick(orgs);
        if (o.id === convening.id || invited.has(o.id)) continue;
        invited.add(o.id);
        parts.push({ id: `${id}p${k}`, consultationId: id, orgId: o.id, role: "ATTENDEE" });
      }
    }
    for (let i = 0; i < rows.length; i += 1000)
      await db.$transaction(async (tx) => {
        await tx.consultation.createMany({ data: rows.slice(i, i + 1000) });
      }, BULK_TX);
    for (let i = 0; i < parts.length; i += 2000)
      await db.consultationParticipant.createMany({ data: parts.slice(i, i + 2000) });
    counts.consultations = rows.length;
    log(`consultations ${counts.consultations}`);
  }

  // Tracked items (from the documents, two per document on average) with their units and progress reports.
  for (let i0 = 0; i0 < mix.items; i0 += 2000) {
    const items: Prisma.TrackedItemCreateManyInput[] = [];
    const roles: Prisma.TrackedItemOrgCreateManyInput[] = [];
    const reports: Prisma.ProgressReportCreateManyInput[] = [];
    for (let i = i0; i < Math.min(mix.items, i0 + 2000); i++) {
      const d = Math.floor((i / mix.items) * mix.documents);
      const id = idOf("gsitm", i);
      const lead = orgs[(i * 13 + 5) % orgs.length];
      const supporting = [...new Set([w.pick(orgs), w.pick(orgs)].slice(0, w.int(0, 2)))].filter(
        (o) => o.id !== lead.id,
      );
      const wording = `关于${w.pick(TOPICS)}，由${lead.name}牵头，${w.pick(MEASURES)}，${w.pick(VERBS)}${w.pick(OBJECTS)}。`;
      const created = at(d, mix.documents);
      const activated =
        docType[d] === "MINUTES" || docType[d] === "RECTIFICATION_PLAN" ? new Date(created.getTime() + 3 * DAY) : null;
      const nReports = activated ? w.int(0, 3) : 0;
      const status = !activated
        ? "DRAFT"
        : nReports === 0
          ? "NOT_STARTED"
          : w.pick(["IN_PROGRESS", "IN_PROGRESS", "DONE", "CLOSED"]);
      let last: Date | null = null;
      let lastText: string | null = null;
      for (let k = 0; k < nReports; k++) {
        last = new Date(activated!.getTime() + (k + 1) * w.int(5, 30) * DAY);
        lastText = `${w.pick(PROGRESS).replace("{n}", String(w.int(2, 40)))}，${w.sentence(orgName)}。`;
        reports.push({
          id: `${id}r${k}`,
          itemId: id,
          orgId: lead.id,
          authorId: userOf(lead.id),
          text: lastText,
          createdAt: last,
        });
        counts.reports++;
        counts.textChars += lastText.length;
      }
      const responsible = `${w.pick(POSTS)}${rareName()}`;
      items.push({
        id,
        kind:
          docType[d] === "RECTIFICATION_PLAN"
            ? "RECTIFICATION_MEASURE"
            : docType[d] === "SUPERVISION_LISTING"
              ? "SUPERVISED_CASE"
              : "AGREED_ITEM",
        sourceDocumentId: idOf("gsdoc", d),
        ownerOrgId: docOwner[d],
        number: i + 1,
        wording,
        searchText: [wording, lead.name, ...supporting.map((o) => o.name)].join(" ").toLowerCase(),
        leadOrgId: lead.id,
        dueDate: activated ? new Date(activated.getTime() + w.int(30, 200) * DAY) : null,
        status,
        activatedAt: activated,
        closedAt: status === "CLOSED" ? last : null,
        lastProgressAt: last,
        lastProgressText: lastText,
        responsible,
        standard: `${w.pick(MEASURES)}，形成书面报告`,
        createdAt: created,
        updatedAt: last ?? activated ?? created,
      });
      counts.textChars += wording.length + responsible.length;
      roles.push(
        { itemId: id, orgId: lead.id, role: "LEAD" },
        ...supporting.map((o) => ({ itemId: id, orgId: o.id, role: "SUPPORTING" })),
      );
    }
    await db.$transaction(async (tx) => {
      await tx.trackedItem.createMany({ data: items });
      await tx.trackedItemOrg.createMany({ data: roles });
      for (let k = 0; k < reports.length; k += 2000)
        await tx.progressReport.createMany({ data: reports.slice(k, k + 2000) });
    }, BULK_TX);
    counts.items += items.length;
    log(`items ${counts.items} / ${mix.items}`);
  }

  // Recommendations: 检察建议 / 司法建议 / 纪检监察建议 / 复议意见 / 监督意见, from the issuing kinds to any unit.
  {
    const issuers = orgs.filter((o) =>
      ["PROCURATORATE", "COURT", "DISCIPLINE_COMMISSION", "JUSTICE_BUREAU"].includes(o.kind),
    );
    const kindOf: Record<string, string> = {
      PROCURATORATE: "PROCURATORIAL",
      COURT: "JUDICIAL",
      DISCIPLINE_COMMISSION: "DISCIPLINARY",
      JUSTICE_BUREAU: "SUPERVISION",
    };
    const rows: Prisma.RecommendationCreateManyInput[] = [];
    const copies: Prisma.RecommendationCopyCreateManyInput[] = [];
    for (let c = 0; c < mix.recommendations; c++) {
      const issuer = issuers[c % issuers.length];
      let recipient = orgs[(c * 17 + 3) % orgs.length];
      if (recipient.id === issuer.id) recipient = orgs[(c * 17 + 4) % orgs.length];
      const issued = at(c, mix.recommendations);
      const problems = Array.from({ length: w.int(2, 5) }, () => `${w.pick(PROBLEMS)}。`).join("");
      const id = idOf("gsrec", c);
      rows.push({
        id,
        kind: kindOf[issuer.kind],
        docNumber: `${issuer.name.slice(0, 4)}建〔${issued.getUTCFullYear()}〕${c + 1}号`,
        title: `关于${w.pick(TOPICS)}的建议`,
        problems,
        issuerOrgId: issuer.id,
        recipientOrgId: recipient.id,
        issuedOn: issued,
        receivedOn: new Date(issued.getTime() + 2 * DAY),
        replyDueDate: new Date(issued.getTime() + 60 * DAY),
        status: w.pick(["REGISTERED", "RECTIFYING", "REPLIED", "CLOSED"]),
        createdById: userOf(issuer.id),
        createdAt: issued,
        updatedAt: issued,
      });
      counts.textChars += problems.length;
      if (c % 3 === 0) {
        const copy = orgs[(c * 5 + 1) % orgs.length];
        if (copy.id !== issuer.id && copy.id !== recipient.id) copies.push({ recommendationId: id, orgId: copy.id });
      }
    }
    for (let i = 0; i < rows.length; i += 2000) await db.recommendation.createMany({ data: rows.slice(i, i + 2000) });
    for (let i = 0; i < copies.length; i += 2000)
      await db.recommendationCopy.createMany({ data: copies.slice(i, i + 2000) });
    counts.recommendations = rows.length;
    log(`recommendations ${counts.recommendations}`);
  }

  // Comment threads on the documents, one to four comments each (by the owner's and the listed units' people).
  for (let t0 = 0; t0 < mix.threads; t0 += 2000) {
    const threads: Prisma.CommentThreadCreateManyInput[] = [];
    const comments: Prisma.CommentCreateManyInput[] = [];
    for (let t = t0; t < Math.min(mix.threads, t0 + 2000); t++) {
      const d = (t * 7) % mix.documents;
      const id = idOf("gsthr", t);
      const created = new Date(at(d, mix.documents).getTime() + DAY);
      const org = d % 4 === 1 && t % 2 ? orgs[(d * 31) % orgs.length].id : docOwner[d];
      threads.push({
        id,
        documentId: idOf("gsdoc", d),
        quote: `${w.sentence(orgName).slice(0, 40)}`,
        status: t % 3 === 0 ? "RESOLVED" : "OPEN",
        authorId: userOf(org),
        orgId: org,
        createdAt: created,
        updatedAt: created,
      });
      const k = w.int(1, 4);
      for (let j = 0; j < k; j++) {
        const body =
          j === 0 && t % 2 === 0
            ? `请${w.pick(POSTS)}${rareName()}核实：${w.pick(REPLIES)}`
            : w.pick(REPLIES) + (r() < 0.5 ? `${w.sentence(orgName)}。` : "");
        comments.push({
          id: `${id}c${j}`,
          threadId: id,
          authorId: userOf(org),
          orgId: org,
          body,
          createdAt: new Date(created.getTime() + j * 3_600_000),
        });
        counts.comments++;
        counts.textChars += body.length;
      }
    }
    await db.$transaction(async (tx) => {
      await tx.commentThread.createMany({ data: threads });
      await tx.comment.createMany({ data: comments });
    }, BULK_TX);
    counts.threads += threads.length;
    log(`comment threads ${counts.threads} / ${mix.threads}`);
  }
  return counts;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop() ?? "");
if (isMain) {
  const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? process.env.SEARCH_CORPUS_RECORDS ?? 100_000);
  const db = createDb(process.env.DATABASE_URL ?? "file:./data/consult.db");
  try {
    const t0 = Date.now();
    const counts = await generateSearchCorpus(db, n, { log: (m) => process.stdout.write(`\r${m}            `) });
    console.log(
      `\n${JSON.stringify(counts)}\n(${((Date.now() - t0) / 1000).toFixed(1)} s; run npm run search:reindex next)`,
    );
  } finally {
    await db.$disconnect();
  }
}
