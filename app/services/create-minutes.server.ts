import { database, transaction, type Tx } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import {
  getMinutesSource,
  parseAgenda,
  parseIdList,
  setConsultationMinutes,
  type MinutesSource,
} from "~/models/consultation.server";
import { getCarriedItems } from "~/models/tracked-item.server";
import { ITEM_STATUS_LABELS, type ItemStatus } from "~/domain/tracked-item";
import { enforce } from "~/policies/decision";
import { authorizeConsultation } from "~/policies/consultation";
import { isCaseConsultation, type ConsultationFacts } from "~/domain/consultation";
import { EXTERNAL_HEADER_LABELS, EXTERNAL_KINDS, isExternalKind } from "~/domain/external";
import { notFound } from "~/domain/errors";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { createDocumentTx } from "~/services/create-document.server";
import { field, heading, paragraph, textNode, type TemplateNode } from "~/services/document-templates";
import { formatDate } from "~/domain/dates";
import { newId } from "~/utils/ids";

type Node = TemplateNode;

/** 14时30分 in China time. */
function chinaClock(d: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${Number(parts.hour) % 24}时${parts.minute}分`;
}

export interface MinutesTemplateInput {
  title: string;
  series: string;
  number: number;
  startsAt: Date;
  endsAt: Date;
  place: string;
  convener: string;
  agenda: string[];
  /**
   * Invited orgs (person null) and named people (主持人, 记录人, experts) with their org; a 特邀 guest
   * (role GUEST, ADR 024) also with the header line it is listed in and its label there.
   */
  participants: Array<{
    org: string;
    person: string | null;
    role: string;
    attendance: string;
    guest?: { header: string; label: string } | null;
  }>;
  /** Items carried forward from earlier meetings: shown with their status and latest progress. */
  carried?: Array<{
    id: string;
    label: string;
    wording: string;
    lead: string | null;
    status: string;
    due: string | null;
    lastProgress: string | null;
  }>;
}

const GUEST_HEADER_ORDER: readonly string[] = EXTERNAL_KINDS.map((k) => EXTERNAL_HEADER_LABELS[k]);

/** A 特邀 guest's place in the 纪要 header: its line and 张某（某大学法学院教授）. */
function guestOf(p: MinutesSource["participants"][number]): { header: string; label: string } | null {
  const person = p.user?.externalPerson;
  if (p.role !== "GUEST" || !person || !p.user || !isExternalKind(person.kind)) return null;
  return {
    header: EXTERNAL_HEADER_LABELS[person.kind],
    label: `${p.user.displayName}（${person.employer}${person.title}）`,
  };
}

/** The 纪要 template (architecture.md "Document formats"): header fields filled from the consultation, then 会议概况 and 会议精神和议定事项. */
export function minutesTemplate(c: MinutesTemplateInput): Node {
  const label = (p: MinutesTemplateInput["participants"][number]) => (p.person ? `${p.person}（${p.org}）` : p.org);
  const absent = c.participants.filter((p) => p.attendance === "ABSENT").map(label);
  const byRole = (roles: string[]) =>
    c.participants
      .filter((p) => roles.includes(p.role) && p.attendance !== "ABSENT" && (!p.person || p.role === "EXPERT"))
      .map(label);
  const people = (role: string) =>
    c.participants.filter((p) => p.person && p.role === role).map((p) => p.person as string);
  const attending = [c.convener, ...byRole(["HOST", "ATTENDEE", "EXPERT", "RECORDER"]).filter((x) => x !== c.convener)];
  // 特邀专家 / 特邀监督员 / 特邀人大代表 / 特邀政协委员: a line each, in that order, when someone attends.
  const guestLines = new Map<string, string[]>();
  for (const p of c.participants)
    if (p.guest && p.attendance !== "ABSENT")
      guestLines.set(p.guest.header, [...(guestLines.get(p.guest.header) ?? []), p.guest.label]);
  const guests = [...guestLines].sort(([a], [b]) => GUEST_HEADER_ORDER.indexOf(a) - GUEST_HEADER_ORDER.indexOf(b));
  return {
    type: "doc",
    content: [
      field("会议名称", c.title),
      field("期号", `${c.series}第${c.number}期`),
      field("时间", `${formatDate(c.startsAt)}${chinaClock(c.startsAt)}至${chinaClock(c.endsAt)}`),
      field("地点", c.place),
      field("主持人", people("HOST").join("、")),
      field("出席", attending.join("、")),
      field("列席", byRole(["OBSERVER"]).join("、")),
      ...guests.map(([header, labels]) => field(header, labels.join("、"))),
      field("请假", absent.join("、")),
      field("记录人", people("RECORDER").join("、")),
      heading("一、会议概况"),
      paragraph(
        `${formatDate(c.startsAt)}，${c.convener}召集${attending.slice(1).join("、")}${byRole(["OBSERVER"]).length ? `，${byRole(["OBSERVER"]).join("、")}列席，` : ""}召开${c.title}。${c.agenda.length ? `会议${c.agenda.join("；")}。` : ""}`,
      ),
      ...(c.carried?.length
        ? [
            heading("二、前期议定事项跟进情况"),
            ...c.carried.map((item) => ({
              type: "paragraph",
              content: [
                textNode(`${item.label}：`, true),
                textNode(
                  `${item.wording}（牵头单位：${item.lead ?? "未指定"}；完成时限：${item.due ?? "未设定"}；当前状态：${item.status}${item.lastProgress ? `；最新进展：${item.lastProgress}` : ""}）`,
                ),
                { type: "text", text: " 办理记录", marks: [{ type: "link", attrs: { href: `/items/${item.id}` } }] },
              ],
            })),
          ]
        : []),
      heading(c.carried?.length ? "三、会议精神和议定事项" : "二、会议精神和议定事项"),
      paragraph("会议议定如下事项："),
      paragraph(""),
    ],
  };
}

/** The minutes template filled from a consultation, with the items carried onto it. */
async function minutesOf(tx: Tx, c: MinutesSource): Promise<Node> {
  const carried = (await getCarriedItems(tx, parseIdList(c.carriedItemIds))).map((i) => ({
    id: i.id,
    label: `${i.sourceDocument.consultation ? `第${i.sourceDocument.consultation.number}期` : ""}议定事项${i.number}`,
    wording: i.wording,
    lead: i.leadOrg?.name ?? null,
    status: ITEM_STATUS_LABELS[i.status as ItemStatus] ?? i.status,
    due: i.dueDate ? formatDate(i.dueDate) : null,
    lastProgress: i.lastProgressText,
  }));
  return minutesTemplate({
    title: c.title,
    series: c.series,
    number: c.number,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    place: c.place,
    convener: c.conveningOrg.name,
    agenda: parseAgenda(c.agenda),
    participants: c.participants.map((p) => ({
      org: p.org.name,
      // A named person who delegated (委派) is represented by the colleague they named.
      person: p.user ? (p.delegate ?? p.user).displayName : null,
      role: p.role,
      attendance: p.attendance,
      guest: guestOf(p),
    })),
    carried,
  });
}

/** A source text as paragraphs, one per line; a placeholder when empty. */
const paragraphsOf = (text: string | null, placeholder: string): Node[] => {
  const lines = (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length ? lines.map(paragraph) : [paragraph(placeholder)];
};

/** Where the experts' opinions go in a 专家咨询意见 (汇总专家意见 fills the section under this heading). */
export const OPINIONS_HEADING = "三、专家意见";

/**
 * The 专家咨询意见 of a 个案咨询 (ADR 024): the header, the case and the question as the convening
 * unit put them, and the section the experts' opinions are collected into.
 */
export function expertOpinionTemplate(c: MinutesSource): Node {
  const experts = c.participants.map(guestOf).filter((g): g is { header: string; label: string } => g !== null);
  return {
    type: "doc",
    content: [
      field("咨询事项", c.title),
      field("咨询单位", c.conveningOrg.name),
      field("咨询时间", formatDate(c.startsAt)),
      field("咨询专家", experts.map((e) => e.label).join("、")),
      heading("一、基本案情"),
      ...paragraphsOf(c.caseSummary, "（请填写基本案情。）"),
      heading("二、咨询问题"),
      ...paragraphsOf(c.legalQuestion, "（请填写咨询的法律适用问题。）"),
      heading(OPINIONS_HEADING),
      paragraph("（各位专家以批注提出书面意见后，由咨询单位汇总于此。）"),
    ],
  };
}

/**
 * The consultation's document, inside the caller's transaction: the 纪要 from its template, or for a
 * 个案咨询 the 专家咨询意见. Owned by the convening org; participant orgs write (列席 read); 特邀 guests
 * comment (ADR 024).
 */
export async function createConsultationDocumentTx(tx: Tx, c: MinutesSource, createdById: string): Promise<string> {
  const documentId = newId();
  const expertOpinion = isCaseConsultation(c);
  await createDocumentTx(tx, {
    id: documentId,
    type: expertOpinion ? "EXPERT_OPINION" : "MINUTES",
    title: expertOpinion ? `${c.title}专家咨询意见` : `${c.title}纪要（第${c.number}期）`,
    ownerOrgId: c.conveningOrgId,
    createdById,
    members: [
      ...[
        ...new Map(
          c.participants.filter((p) => p.orgId !== c.conveningOrgId && !p.user).map((p) => [p.orgId, p]),
        ).values(),
      ].map((p) => ({ orgId: p.orgId, access: p.role === "OBSERVER" ? ("READ" as const) : ("WRITE" as const) })),
      ...[...new Set(c.participants.filter((p) => p.role === "GUEST" && p.userId).map((p) => p.userId as string))].map(
        (userId) => ({ userId, access: "COMMENT" as const }),
      ),
    ],
    content: expertOpinion ? expertOpinionTemplate(c) : await minutesOf(tx, c),
  });
  await setConsultationMinutes(tx, c.id, documentId, expertOpinion ? "PLANNED" : "DRAFTING");
  return documentId;
}

/**
 * Creates the consultation's minutes as a co-edited document from the template: owned by the
 * convening org, participant orgs write (列席 read). Idempotent: returns the existing minutes.
 */
export async function createMinutes(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  ctx: Pick<CommandContext, "ip">,
): Promise<{ documentId: string }> {
  enforce(authorizeConsultation(user.actor, "createMinutes", facts));
  const db = database();
  const c = await getMinutesSource(db, facts.id);
  if (!c) throw notFound("会商不存在。");
  if (c.minutesId) return { documentId: c.minutesId };
  const documentId = await transaction(async (tx) => {
    const id = await createConsultationDocumentTx(tx, c, user.id);
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: c.conveningOrgId,
      action: "consultation.minutes_created",
      targetType: "Consultation",
      targetId: c.id,
      summary: `为《${c.title}》（第${c.number}期）创建会议纪要`,
      ip: ctx.ip,
    });
    return id;
  });
  return { documentId };
}
