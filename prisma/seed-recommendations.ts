import { getDb } from "../app/db.server";
import { getDocumentFacts } from "../app/models/document.server";
import { decideCountersign, requestCountersign } from "../app/services/countersign.server";
import { createDocument } from "../app/services/create-document.server";
import { itemBlock, paragraph, type TemplateNode } from "../app/services/document-templates";
import { createEventBus } from "../app/services/events.server";
import { seedActor } from "./seed-actor";
import { writeSeedContent } from "./seed-content";
import { createPlan, registerRecommendation } from "../app/services/recommendations.server";
import { reportProgress, requestRelease } from "../app/services/tracked-items.server";
import { addDaysIso, addMonthsIso, chinaDay } from "../app/domain/dates";

export const DEMO_PROCURATORIAL_NUMBER = "示检行建〔2026〕12号";
export const DEMO_JUDICIAL_NUMBER = "示中法建〔2026〕5号";
export const DEMO_LISTING_TITLE = "2026年第二批行政执法领域联合挂牌督办案件清单";

/**
 * Demo recommendations and a listing on top of the directory and `seedWork` (run by `npm run db:seed`):
 *  1. a 检察建议书 to 市市场监管局 whose 整改方案 (two measures) is countersigned by 市司法局 and being
 *     carried out — 整改中, not yet replied;
 *  2. a 司法建议书 to 市城管执法局 received 70 days ago and still unanswered (逾期未回复);
 *  3. a 联合挂牌督办清单 of 市司法局 and 市纪委监委 with two cases: one in progress, one reported done
 *     and waiting for 市纪委监委 to confirm its release.
 * Built through the services the app uses. Idempotent: each part is skipped once its 文号 / title
 * exists. Returns the parts created.
 */
export async function seedRecommendations(): Promise<string[]> {
  const db = getDb();
  const org = async (name: string) =>
    (await db.organization.findUniqueOrThrow({ where: { name }, select: { id: true } })).id;
  const as = seedActor;
  const events = createEventBus();
  const now = new Date();
  const ctx = {
    ip: null,
    events,
    collab: { storeDocument: async () => undefined, applyChange: async () => undefined },
    now,
  };
  const itemCtx = { ip: null, events, now };
  const today = chinaDay(now);
  const created: string[] = [];

  const writeContent = (documentId: string, content: TemplateNode) =>
    db.$transaction((tx) => writeSeedContent(tx, documentId, content));
  /** The stored content with its (single, template) tracked block replaced by `blocks`, the first keeping the template's item id. */
  const replaceItemBlock = async (documentId: string, blocks: TemplateNode[]): Promise<TemplateNode> => {
    const snapshot = await db.documentSnapshot.findUniqueOrThrow({ where: { documentId }, select: { json: true } });
    const doc = JSON.parse(snapshot.json) as TemplateNode;
    const content = doc.content ?? [];
    const at = content.findIndex((n) => n.type === "trackedItem");
    if (at < 0) throw new Error(`seed: no tracked block in the template of ${documentId}`);
    const [first, ...rest] = blocks;
    const templateId = content[at]?.attrs?.itemId;
    if (first && typeof templateId === "string") first.attrs = { ...first.attrs, itemId: templateId };
    content.splice(at, 1, ...(first ? [first] : []), ...rest);
    return { ...doc, content };
  };
  const itemIdOf = (block: TemplateNode): string => {
    const id = block.attrs?.itemId;
    if (typeof id !== "string") throw new Error("seed: tracked block without an id");
    return id;
  };
  /** Countersign by `signers`, in order, after `requester` asked for it; the document must end FINALIZED. */
  const countersign = async (documentId: string, requester: string, signers: string[]) => {
    let { status }: { status: string } = await requestCountersign(
      await as(requester),
      (await getDocumentFacts(db, documentId))!,
      ctx,
    );
    for (const username of signers) {
      const decided = await decideCountersign(
        await as(username),
        (await getDocumentFacts(db, documentId))!,
        { decision: "APPROVED", comment: null },
        ctx,
      );
      status = decided.status;
    }
    if (status !== "FINALIZED")
      throw new Error(`seed: ${documentId} is ${status} after countersign, expected FINALIZED`);
  };
  /** Runs a command of the seed; a refusal stops the seed with what failed. */
  const check = async (what: string, command: Promise<unknown>) => {
    await command.catch((error: unknown) => {
      throw new Error(`seed: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  const sfj = await org("示例市司法局");
  const procuratorate = await org("示例市人民检察院");
  const court = await org("示例市中级人民法院");
  const scjg = await org("示例市市场监督管理局");
  const cgzf = await org("示例市城市管理综合行政执法局");
  const jw = await org("示例市纪委监委");
  const sthj = await org("示例市生态环境局");
  const jxzf = await org("甲县综合行政执法局");

  // 1. 检察建议书 → 整改方案 countersigned by 市司法局 → measures tracked, the first in progress.
  if (
    !(await db.recommendation.findUnique({
      where: { issuerOrgId_docNumber: { issuerOrgId: procuratorate, docNumber: DEMO_PROCURATORIAL_NUMBER } },
      select: { id: true },
    }))
  ) {
    const registered = await registerRecommendation(
      await as("procu.liaison"),
      {
        kind: "PROCURATORIAL",
        docNumber: DEMO_PROCURATORIAL_NUMBER,
        title: "关于加强食品经营许可审查监管的检察建议",
        problems: [
          "食品经营许可现场核查流于形式，部分核查记录未如实反映经营场所、设施设备的实际情况。",
          "对不符合许可条件的申请人违规发放食品经营许可证，个别经营者无固定经营场所仍取得许可。",
          "许可后监管缺位，未按规定对新取得许可的经营者开展监督检查，许可与日常监管衔接不畅。",
        ].join("\n"),
        issuerOrgId: procuratorate,
        recipientOrgId: scjg,
        copyOrgIds: [],
        issuedOn: addDaysIso(today, -45),
        receivedOn: addDaysIso(today, -43),
        replyDue: null,
        replyDueReason: null,
        original: null,
      },
      ctx,
    );
    const planned = await createPlan(await as("scjg.drafter"), registered.id, ctx);
    const measures = [
      itemBlock(
        "规范食品经营许可现场核查，制定现场核查工作规程和核查记录表，对2024年以来发放的食品经营许可证开展现场核查“回头看”。",
        {
          leadOrgId: scjg,
          dueDate: addMonthsIso(today, 2),
          feedbackCycle: "MONTHLY",
          responsible: "食品经营监管科 王科长",
          standard: "出台现场核查工作规程；“回头看”逐户复核，复核率达到100%，发现的问题全部整改到位并建立台账。",
        },
      ),
      itemBlock(
        "依法纠正违规发证行为，对不符合许可条件的经营者依法撤销许可或责令限期整改；建立许可信息与日常监管信息推送机制，落实许可后首次监督检查制度。",
        {
          leadOrgId: scjg,
          dueDate: addMonthsIso(today, 4),
          feedbackCycle: "MONTHLY",
          responsible: "食品经营监管科 王科长",
          standard:
            "检察建议指出的违规发证问题逐件依法处理完毕；新取得许可的经营者在许可后3个月内完成首次监督检查，检查率100%。",
        },
      ),
    ];
    const content = await replaceItemBlock(planned.documentId, measures);
    await writeContent(planned.documentId, content);
    await countersign(planned.documentId, "scjg.drafter", ["sfj.drafter"]);
    await check(
      "progress on measure 1",
      reportProgress(
        await as("scjg.drafter"),
        itemIdOf(measures[0]!),
        {
          text: "已印发《食品经营许可现场核查工作规程（试行）》并组织全市许可审查人员集中培训2场；“回头看”已完成城区1236户中418户的现场复核，发现问题23个，已整改15个，其余正在督促整改。",
          newStatus: "IN_PROGRESS",
          files: [],
        },
        itemCtx,
      ),
    );
    created.push(`检察建议书 ${DEMO_PROCURATORIAL_NUMBER}（整改中，整改方案已定稿）`);
  }

  // 2. 司法建议书 received 70 days ago, no plan, no reply: its two-month deadline has passed.
  if (
    !(await db.recommendation.findUnique({
      where: { issuerOrgId_docNumber: { issuerOrgId: court, docNumber: DEMO_JUDICIAL_NUMBER } },
      select: { id: true },
    }))
  ) {
    await registerRecommendation(
      await as("court.liaison"),
      {
        kind: "JUDICIAL",
        docNumber: DEMO_JUDICIAL_NUMBER,
        title: "关于规范占道经营行政处罚程序的司法建议",
        problems: [
          "部分占道经营行政处罚案件未依法履行告知程序，未告知当事人陈述、申辩的权利即作出处罚决定。",
          "暂扣经营物品未当场制作清单、未依法及时作出处理决定，引发行政争议。",
          "处罚决定书法律适用不准确，裁量理由说明不充分，同类案件处罚幅度差异较大。",
        ].join("\n"),
        issuerOrgId: court,
        recipientOrgId: cgzf,
        copyOrgIds: [],
        issuedOn: addDaysIso(today, -73),
        receivedOn: addDaysIso(today, -70),
        replyDue: null,
        replyDueReason: null,
        original: null,
      },
      ctx,
    );
    created.push(`司法建议书 ${DEMO_JUDICIAL_NUMBER}（逾期未回复）`);
  }

  // 3. 联合挂牌督办清单 of 市司法局 and 市纪委监委: case (a) in progress, case (b) done, its release awaiting 市纪委监委.
  if (
    !(await db.document.findFirst({
      where: { type: "SUPERVISION_LISTING", ownerOrgId: sfj, title: DEMO_LISTING_TITLE },
      select: { id: true },
    }))
  ) {
    const listing = await createDocument(
      await as("sfj.coord"),
      { title: DEMO_LISTING_TITLE, type: "SUPERVISION_LISTING", ownerOrgId: sfj, writerOrgIds: [jw], readerOrgIds: [] },
      { ip: null },
    );
    const cases = [
      itemBlock("示例市某化工企业非法倾倒危险废物案：依法查处，追究相关责任人员法律责任，督促企业完成污染清理。", {
        leadOrgId: sthj,
        dueDate: addMonthsIso(today, 5),
        feedbackCycle: "MONTHLY",
      }),
      itemBlock("甲县某建材公司违法占用耕地案：依法拆除违法建筑、恢复耕地原状。", {
        leadOrgId: jxzf,
        dueDate: addMonthsIso(today, 3),
        feedbackCycle: "MONTHLY",
      }),
    ];
    const content = await replaceItemBlock(listing.id, cases);
    const intro = content.content?.findIndex((n) => n.type === "paragraph") ?? -1;
    if (intro >= 0 && content.content) {
      content.content[intro] = paragraph(
        "经示例市司法局、示例市纪委监委会商研究，决定对下列2件行政执法领域案件实行联合挂牌督办。承办单位应依法从严从快办理，每月报送办理进展；督办单位共同跟踪案件办理情况，案件办结后经全部督办单位确认解除挂牌。",
      );
    }
    await writeContent(listing.id, content);
    await countersign(listing.id, "sfj.coord", ["jw.coord"]);
    const [caseA, caseB] = cases.map(itemIdOf);
    await check(
      "progress on case (a)",
      reportProgress(
        await as("sthj.drafter"),
        caseA!,
        {
          text: "已对涉案企业立案调查，委托第三方机构完成现场采样检测，涉嫌环境污染犯罪的3名直接责任人员已移送公安机关；污染清理方案已审定，清理工作已启动。",
          newStatus: "IN_PROGRESS",
          files: [],
        },
        itemCtx,
      ),
    );
    await check(
      "progress on case (b)",
      reportProgress(
        await as("jxzf.drafter"),
        caseB!,
        {
          text: "违法建筑1860平方米已全部依法拆除，复垦后经县自然资源部门验收合格，耕地已恢复原状；对该公司作出的罚款决定已执行到位。",
          newStatus: "DONE",
          files: [],
        },
        itemCtx,
      ),
    );
    await check(
      "release request on case (b)",
      requestRelease(await as("sfj.coord"), caseB!, "经现场核实，违法建筑已拆除、耕地已复垦，申请解除挂牌。", itemCtx),
    );
    created.push("联合挂牌督办清单（1件推进中，1件待市纪委监委确认解除挂牌）");
  }
  return created;
}
