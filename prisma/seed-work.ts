import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { getDb } from "../app/db.server";
import { editorSchema, YJS_FRAGMENT } from "../app/editor/schema/extensions";
import { getDocumentFacts } from "../app/models/document.server";
import { syncTrackedItems } from "../app/models/tracked-item.server";
import { requestCountersign, decideCountersign } from "../app/services/countersign.server";
import { conveneConsultation } from "../app/services/convene-consultation.server";
import { createMinutes } from "../app/services/create-minutes.server";
import { replyToInvitation } from "../app/services/consultation-replies.server";
import { createEventBus } from "../app/services/events.server";
import { seedActor } from "./seed-actor";
import { recordAttendance } from "../app/services/record-attendance.server";
import { reportProgress, transitionItem } from "../app/services/tracked-items.server";

export const DEMO_SERIES = "2026年度行政执法监督协调会商";

const day = 86_400_000;
/** A China calendar day `offset` days from `from`, as YYYY-MM-DD. */
const chinaDay = (from: Date, offset: number) =>
  new Date(from.getTime() + offset * day + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Demo work on top of the directory (run by `npm run db:seed` after `seed`): the 第1期 coordination
 * meeting of 示例市司法局 with finalized minutes whose agreed items are in every tracking status, and
 * an upcoming 第2期 carrying the unfinished ones. Built through the same services the app uses.
 * Idempotent: does nothing once 第1期 exists.
 */
export async function seedWork(): Promise<boolean> {
  const db = getDb();
  const sfj = await db.organization.findUniqueOrThrow({ where: { name: "示例市司法局" }, select: { id: true } });
  if (await db.consultation.findFirst({ where: { conveningOrgId: sfj.id, series: DEMO_SERIES }, select: { id: true } }))
    return false;
  const org = async (name: string) =>
    (await db.organization.findUniqueOrThrow({ where: { name }, select: { id: true } })).id;
  const court = await org("示例市中级人民法院");
  const procuratorate = await org("示例市人民检察院");
  const scjg = await org("示例市市场监督管理局");
  const sthj = await org("示例市生态环境局");
  const as = seedActor;
  const coord = await as("sfj.coord");
  const drafter = await as("sfj.drafter");
  const events = createEventBus();
  const ctx = {
    ip: null,
    events,
    collab: { storeDocument: async () => undefined, applyChange: async () => undefined },
  };

  // 第1期: six weeks ago.
  const now = new Date();
  const meeting = new Date(`${chinaDay(now, -42)}T09:30:00+08:00`);
  const first = await conveneConsultation(
    coord,
    {
      kind: "COORDINATION",
      title: "规范涉企行政检查协调会商",
      series: DEMO_SERIES,
      conveningOrgId: sfj.id,
      startsAt: meeting,
      endsAt: new Date(meeting.getTime() + 2 * 3600_000),
      place: "示例市司法局三楼第一会议室",
      agenda: ["通报今年以来行政执法监督情况", "研究涉企行政检查“多头执法、重复检查”问题的整改措施"],
      participants: [
        { orgId: court, role: "ATTENDEE" },
        { orgId: procuratorate, role: "ATTENDEE" },
        { orgId: scjg, role: "ATTENDEE" },
        { orgId: sthj, role: "ATTENDEE" },
      ],
      people: [
        { userId: coord.id, role: "HOST" },
        { userId: drafter.id, role: "RECORDER" },
      ],
    },
    ctx,
  );
  const facts = async () => (await import("../app/models/consultation.server")).getConsultationFacts(db, first.id);
  const participants = await db.consultationParticipant.findMany({
    where: { consultationId: first.id, userId: null },
    select: { id: true, orgId: true },
  });
  await recordAttendance(
    coord,
    (await facts())!,
    participants.map((p) => ({
      participantId: p.id,
      attendance: p.orgId === sthj ? "ABSENT" : "PRESENT",
      reason: p.orgId === sthj ? "另有公务，书面反馈意见" : null,
    })),
    { ip: null },
  );
  const minutes = await createMinutes(coord, (await facts())!, { ip: null });

  // The agreed items, written into the minutes as the editor would.
  const ids = ["demoItem00001", "demoItem00002", "demoItem00003", "demoItem00004", "demoItem00005"];
  const item = (
    i: number,
    wording: string,
    lead: string,
    supporting: string[],
    due: string,
    cycle: "NONE" | "WEEKLY" | "MONTHLY" = "MONTHLY",
  ) => ({
    type: "trackedItem",
    attrs: {
      itemId: ids[i],
      leadOrgId: lead,
      supportingOrgIds: supporting.join(","),
      dueDate: due,
      feedbackCycle: cycle,
    },
    content: [{ type: "text", text: wording }],
  });
  const snapshot = await db.documentSnapshot.findUniqueOrThrow({
    where: { documentId: minutes.documentId },
    select: { json: true },
  });
  const json = JSON.parse(snapshot.json) as {
    type: string;
    content: Array<{ type: string; content?: Array<{ text?: string }> }>;
  };
  const at = json.content.findIndex((n) => n.content?.[0]?.text === "会议议定如下事项：");
  json.content.splice(
    at + 1,
    1,
    item(
      0,
      "建立涉企行政检查计划统筹机制，各执法部门于每季度首月10日前报送检查计划。",
      scjg,
      [sthj],
      chinaDay(now, 30),
    ),
    item(
      1,
      "开展生态环境领域“双随机、一公开”联合抽查，年底前覆盖全部重点排污单位。",
      sthj,
      [scjg],
      chinaDay(now, 12),
      "WEEKLY",
    ),
    item(2, "清理规范涉企行政检查事项清单，向社会公布保留事项。", scjg, [], chinaDay(now, -5)),
    item(
      3,
      "建立行政执法与刑事司法衔接案件移送台账，逐案登记移送、受理情况。",
      procuratorate,
      [scjg, sthj],
      chinaDay(now, -20),
    ),
    item(4, "府院联动：梳理近三年行政诉讼败诉案件，形成执法问题清单并通报。", court, [], chinaDay(now, 20), "NONE"),
  );
  const schema = editorSchema();
  const node = schema.nodeFromJSON(json);
  const ydoc = prosemirrorJSONToYDoc(schema, node.toJSON(), YJS_FRAGMENT);
  await db.$transaction(async (tx) => {
    await tx.documentSnapshot.update({
      where: { documentId: minutes.documentId },
      data: {
        state: new Uint8Array(Y.encodeStateAsUpdate(ydoc)),
        json: JSON.stringify(node.toJSON()),
        text: node.textBetween(0, node.content.size, "\n", " "),
      },
    });
    await syncTrackedItems(tx, minutes.documentId, node.toJSON(), { now: meeting });
  });

  // 会签 by every co-drafting org → FINALIZED; the items start being tracked.
  const doc = (await getDocumentFacts(db, minutes.documentId))!;
  await requestCountersign(drafter, doc, ctx);
  for (const username of ["court.drafter", "procu.coord", "scjg.drafter", "sthj.drafter"]) {
    await decideCountersign(
      await as(username),
      (await getDocumentFacts(db, minutes.documentId))!,
      { decision: "APPROVED", comment: null },
      ctx,
    );
  }

  // Tracking in every status: 未开始 (0, 2 overdue), 推进中 (1), 已完成待销号 (3), 已销号 (4).
  const itemCtx = { ip: null, events, now: new Date() };
  await reportProgress(
    await as("sthj.drafter"),
    ids[1],
    {
      text: "已制定联合抽查方案，由市生态环境保护综合执法支队孙立新带队完成首批12家重点排污单位抽查。",
      newStatus: "IN_PROGRESS",
      files: [],
    },
    itemCtx,
  );
  await reportProgress(
    await as("procu.coord"),
    ids[3],
    { text: "移送台账已建立，1-10月登记移送案件23件，均已受理。", newStatus: "DONE", files: [] },
    itemCtx,
  );
  await reportProgress(
    await as("court.drafter"),
    ids[4],
    { text: "已形成败诉案件执法问题清单（共17项）并通报各执法部门。", newStatus: "DONE", files: [] },
    itemCtx,
  );
  await transitionItem(coord, ids[4], "close", "经核查，问题清单已通报，同意销号。", itemCtx);

  // 第2期: next week, carrying the unfinished items; its minutes are being drafted.
  const next = new Date(`${chinaDay(now, 7)}T14:30:00+08:00`);
  const second = await conveneConsultation(
    coord,
    {
      kind: "COORDINATION",
      title: "涉企行政检查整改推进会商",
      series: DEMO_SERIES,
      conveningOrgId: sfj.id,
      startsAt: next,
      endsAt: new Date(next.getTime() + 90 * 60_000),
      place: "示例市司法局三楼第一会议室",
      agenda: ["听取各单位整改进展汇报"],
      participants: [
        { orgId: court, role: "ATTENDEE" },
        { orgId: scjg, role: "ATTENDEE" },
        { orgId: sthj, role: "ATTENDEE" },
        { orgId: procuratorate, role: "OBSERVER" },
      ],
      carriedItemIds: [ids[0], ids[1], ids[2], ids[3]],
      people: [{ userId: coord.id, role: "HOST" }],
    },
    ctx,
  );
  const secondFacts = await (await import("../app/models/consultation.server")).getConsultationFacts(db, second.id);
  // 参会回执 (ADR 021) given while it was planned: the court attends, the environment bureau sends
  // its apologies with the reason; the others have not answered.
  const row = async (orgId: string) =>
    (
      await db.consultationParticipant.findFirstOrThrow({
        where: { consultationId: second.id, orgId },
        select: { id: true },
      })
    ).id;
  const replyCtx = { ...ctx, now: new Date() };
  await replyToInvitation(
    await as("court.liaison"),
    secondFacts!,
    { participantId: await row(court), answer: "ACCEPTED", reason: null, delegateUserId: null },
    replyCtx,
  );
  await replyToInvitation(
    await as("sthj.drafter"),
    secondFacts!,
    {
      participantId: await row(sthj),
      answer: "DECLINED",
      reason: "同期迎接省生态环境保护督察“回头看”，会后书面报送整改进展",
      delegateUserId: null,
    },
    replyCtx,
  );
  await createMinutes(coord, secondFacts!, { ip: null });
  return true;
}
