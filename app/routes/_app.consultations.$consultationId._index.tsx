import { ID_PATTERN } from "~/domain/ids";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CalendarPlus, Clock, FilePen, ListChecks, MapPin } from "lucide-react";
import { BackLink, Badge, Button, Card, FormErrors, LinkButton, Notice, Table, Td } from "~/components/ui";
import {
  CancelledNotice,
  RepliesCard,
  ReplyCard,
  ScheduleCard,
  type ReplyFormData,
  type ReplyRowData,
} from "~/components/consultation-invitation";
import { parseAgenda, type ConsultationDetail } from "~/models/consultation.server";
import { authorizeConsultation, authorizeReply } from "~/policies/consultation";
import { createMinutes } from "~/services/create-minutes.server";
import { compileExpertOpinions } from "~/services/expert-opinions.server";
import { participantLabel } from "~/domain/external";
import { fileSizeLabel } from "~/components/files-field";
import { ATTENDANCES, recordAttendance } from "~/services/record-attendance.server";
import { chaseReplies, replyToInvitation, rowLabel } from "~/services/consultation-replies.server";
import { cancelConsultation, rescheduleConsultation } from "~/services/consultation-schedule.server";
import { readFormData } from "~/utils/request.server";
import { hasControlChars, invalidInput, optionalText, text, z } from "~/utils/validation";
import {
  awaitsAnswer,
  CHASE_INTERVAL_MS,
  CONSULTATION_KIND_LABELS,
  CONSULTATION_STATUS_LABELS,
  isCaseConsultation,
  PARTICIPANT_ROLE_LABELS,
  RSVP_ANSWERS,
  RSVP_LABELS,
  type ConsultationFacts,
  type ConsultationKind,
  type ConsultationStatus,
  type ParticipantRole,
  type Rsvp,
  type RsvpAnswer,
} from "~/domain/consultation";
import { invalid } from "~/domain/errors";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { requireUser } from "~/services/auth/current-user.server";
import { requireConsultationAccess } from "~/services/consultation-access.server";
import { getConsultation, loadDelegateChoices } from "~/services/consultations.server";
import { commandContext } from "~/services/context.server";
import { chinaDay, formatDate, formatDateTime, formatTime, isIsoDay } from "~/domain/dates";
import { actionError, orThrowHttp, runAction } from "~/utils/errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "会商"} · 会商协同` }];

const ATTENDANCE_LABELS: Record<string, string> = { INVITED: "已邀请", PRESENT: "出席", ABSENT: "请假" };

type Row = ConsultationDetail["participants"][number];

/** The person a row names: the delegate once a named invitee delegated (委派), else the invitee. */
const personOf = (p: Row) => (p.user ? (p.delegate ?? p.user) : null);

const RSVP_TONES: Record<Rsvp, ReplyRowData["tone"]> = {
  PENDING: "slate",
  ACCEPTED: "green",
  DECLINED: "red",
  DELEGATED: "amber",
};

/** A row's answer as the 回执 table and the reply form say it. */
function answerText(p: Row): string {
  const label = RSVP_LABELS[p.rsvp as Rsvp] ?? p.rsvp;
  if (p.delegate && p.rsvp !== "DELEGATED") return `${label}（由${p.delegate.displayName}出席）`;
  return label;
}

function noteOf(p: Row): string {
  return [p.delegate ? `委派：${p.delegate.displayName}` : "", p.rsvpReason ?? ""].filter(Boolean).join("；");
}

/** The convener's 回执 table and its counts. */
function presentReplies(c: ConsultationDetail) {
  const rows: ReplyRowData[] = c.participants.map((p) => ({
    id: p.id,
    who: rowLabel(p),
    role: PARTICIPANT_ROLE_LABELS[p.role as ParticipantRole] ?? p.role,
    answer: answerText(p),
    tone: RSVP_TONES[p.rsvp as Rsvp] ?? "slate",
    note: noteOf(p),
    by: p.rsvpBy && p.rsvpAt ? `${p.rsvpBy.displayName} ${formatDateTime(p.rsvpAt)}` : "—",
  }));
  const count = (rsvp: Rsvp) => c.participants.filter((p) => p.rsvp === rsvp).length;
  const counts = `参加 ${count("ACCEPTED")} · 不参加 ${count("DECLINED")} · 已委派待回复 ${count("DELEGATED")} · 未回复 ${count("PENDING")}`;
  return { rows, counts };
}

/** The reply forms of the rows the user answers (only while the consultation is PLANNED). */
async function presentReplyForms(
  user: CurrentUser,
  facts: ConsultationFacts,
  c: ConsultationDetail,
): Promise<ReplyFormData[]> {
  // One form per person however many rows name them (主持 and 记录): the rows answer together.
  const roles = new Map<string, string[]>();
  const mine = c.participants.filter((p) => {
    if (!authorizeReply(user.actor, facts, p).allowed) return false;
    const key = p.userId ? `${p.userId}/${p.delegateUserId ?? ""}` : p.id;
    const known = roles.get(key);
    roles.set(key, [...(known ?? []), PARTICIPANT_ROLE_LABELS[p.role as ParticipantRole] ?? p.role]);
    return !known;
  });
  const colleagues = await loadDelegateChoices(
    user,
    mine.map((p) => p.orgId),
  );
  return mine.map((p) => {
    const as = (roles.get(p.userId ? `${p.userId}/${p.delegateUserId ?? ""}` : p.id) ?? []).join("、");
    const heading = p.user
      ? p.delegateUserId === user.id && p.userId !== user.id
        ? `受${p.user.displayName}委派，代为回执（${as}）`
        : `本人回执（${as}）`
      : `代表${p.org.name}回执`;
    const answered = p.rsvp !== "PENDING" && !(p.rsvp === "DELEGATED" && p.delegateUserId === user.id);
    return {
      participantId: p.id,
      heading,
      current: `${answerText(p)}${noteOf(p) ? `（${noteOf(p)}）` : ""}${p.rsvpBy && p.rsvpAt ? `，${p.rsvpBy.displayName}于${formatDateTime(p.rsvpAt)}回复` : ""}`,
      answer: answered ? (p.rsvp as RsvpAnswer) : null,
      reason: p.rsvpReason ?? "",
      delegateUserId: p.delegateUserId ?? "",
      guest: p.role === "GUEST",
      // A 特邀 guest's row is held by the convening org: the guest has nobody to delegate to.
      colleagues:
        p.role === "GUEST"
          ? []
          : (colleagues.get(p.orgId) ?? [])
              .filter((m) => m.id !== p.userId)
              .map((m) => ({ value: m.id, label: m.name })),
    };
  });
}

function presentChase(c: ConsultationDetail, allowed: boolean, now: Date) {
  if (!allowed) return null;
  const waiting = c.participants.filter(awaitsAnswer).length;
  const next = c.rsvpChasedAt ? c.rsvpChasedAt.getTime() + CHASE_INTERVAL_MS : 0;
  if (waiting === 0) return { allowed: false, note: "均已回执" };
  if (next > now.getTime())
    return { allowed: false, note: `${formatTime(c.rsvpChasedAt!)}已催办，${formatTime(new Date(next))}后可再次催办` };
  return { allowed: true, note: c.rsvpChasedAt ? `上次催办：${formatDateTime(c.rsvpChasedAt)}` : null };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { id, access, facts } = await requireConsultationAccess(user, params.consultationId);
  const c = await orThrowHttp(() => getConsultation(id));
  const can = (action: Parameters<typeof authorizeConsultation>[1]) =>
    authorizeConsultation(user.actor, action, facts).allowed;
  const now = new Date();
  const agenda = parseAgenda(c.agenda);
  return json({
    id: c.id,
    title: c.title,
    issue: `${c.series} 第${c.number}期`,
    kind: CONSULTATION_KIND_LABELS[c.kind as ConsultationKind] ?? c.kind,
    status: CONSULTATION_STATUS_LABELS[c.status as ConsultationStatus] ?? c.status,
    cancelled:
      c.status === "CANCELLED"
        ? `本次会商已于${formatDateTime(c.cancelledAt ?? c.updatedAt)}取消。原因：${c.cancelReason ?? "未说明"}`
        : null,
    when: `${formatDate(c.startsAt)} ${formatTime(c.startsAt)}至${formatTime(c.endsAt)}`,
    place: c.place,
    convener: c.conveningOrg.name,
    agenda,
    minutesId: c.minutesId,
    caseConsultation: isCaseConsultation(c) ? { summary: c.caseSummary ?? "", question: c.legalQuestion ?? "" } : null,
    files: c.files.map((f) => ({ id: f.id, name: f.fileName, size: fileSizeLabel(f.size) })),
    abilities: {
      compileOpinions: isCaseConsultation(c) && !!c.minutesId && can("compileOpinions"),
      createMinutes: can("createMinutes"),
      recordAttendance: can("recordAttendance"),
      manage: access === "manage",
    },
    participants: c.participants.map((p) => ({
      id: p.id,
      attendanceCode: p.attendance,
      org: participantLabel(p, personOf(p)),
      role: PARTICIPANT_ROLE_LABELS[p.role as ParticipantRole] ?? p.role,
      attendance: ATTENDANCE_LABELS[p.attendance] ?? p.attendance,
      absenceReason: p.absenceReason,
    })),
    replyForms: await presentReplyForms(user, facts, c),
    // The convener's 回执 table: while replies are open, and afterwards when anyone replied (older
    // consultations had no replies to show).
    replies:
      access === "manage" && (c.status === "PLANNED" || c.participants.some((p) => p.rsvp !== "PENDING"))
        ? { ...presentReplies(c), chase: presentChase(c, can("chaseReplies"), now) }
        : null,
    schedule: can("reschedule")
      ? {
          date: chinaDay(c.startsAt),
          startTime: formatTime(c.startsAt),
          endTime: formatTime(c.endsAt),
          place: c.place,
          agenda: agenda.join("\n"),
        }
      : null,
  });
}

const CHOICE_MESSAGE = "出席情况选择无效。";

/** One participant's attendance as the form sends it (attendance.<participantId>, reason.<participantId>). */
const AttendanceEntry = z.object({
  participantId: z.string().regex(ID_PATTERN, CHOICE_MESSAGE),
  attendance: z.enum(ATTENDANCES, { errorMap: () => ({ message: CHOICE_MESSAGE }) }),
  reason: optionalText({ max: 100, message: "请假原因不能超过 100 个字符，且不能包含控制字符。" }),
});

const time = z.string({ required_error: "请填写时间" }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, "时间格式应为 14:30");

/** The intents of the consultation page, one schema each (a switch dispatches them). */
const Intent = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("createMinutes") }),
    z.object({ intent: z.literal("compileOpinions") }),
    z.object({ intent: z.literal("attendance"), entries: z.array(AttendanceEntry) }),
    z.object({
      intent: z.literal("rsvp"),
      participantId: z.string({ required_error: "回执对象无效。" }).regex(ID_PATTERN, "回执对象无效。"),
      answer: z.enum(RSVP_ANSWERS, { errorMap: () => ({ message: "请选择参加、不参加或委派他人" }) }),
      reason: optionalText({ max: 200, message: "原因不能超过 200 个字符，且不能包含控制字符" }),
      delegateUserId: z.string().regex(ID_PATTERN, "请选择本单位的同事").optional(),
    }),
    z.object({ intent: z.literal("chaseReplies") }),
    z.object({
      intent: z.literal("reschedule"),
      date: z
        .string({ required_error: "请选择日期" })
        .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 2026-03-12")
        .refine(isIsoDay, "日期无效"),
      startTime: time,
      endTime: time,
      place: text({ max: 80 }),
      agenda: z
        .string()
        .max(4000, "议程不能超过 4000 个字符")
        .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
        .default(""),
    }),
    z.object({ intent: z.literal("cancel"), cancelReason: text({ max: 200 }) }),
  ],
  { errorMap: () => ({ message: "未知的操作。" }) },
);

/** The form's fields as the intent schemas read them (an empty field reads as absent). */
function intentInput(form: FormData) {
  const entries = [...form.entries()]
    .filter(([key]) => key.startsWith("attendance."))
    .map(([key, attendance]) => {
      const participantId = key.slice(11);
      const reason = form.get(`reason.${participantId}`);
      return { participantId, attendance, reason: typeof reason === "string" ? reason : undefined };
    });
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const names = ["participantId", "answer", "reason", "delegateUserId", "date", "startTime", "endTime", "place"];
  return {
    intent: form.get("intent"),
    entries,
    ...Object.fromEntries(names.map((n) => [n, field(n)])),
    agenda: field("agenda"),
    cancelReason: field("cancelReason"),
  };
}

/** A China wall-clock time of a day as an instant; null for a day that does not exist. */
function chinaInstant(date: string, time: string): Date | null {
  const d = new Date(`${date}T${time}:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireConsultationAccess(user, params.consultationId);
  const parsed = Intent.safeParse(intentInput(await readFormData(request)));
  if (!parsed.success) return json(actionError(invalidInput(parsed.error, "未知的操作。")), { status: 400 });
  const input = parsed.data;
  const ctx = commandContext(request, context);
  const page = `/consultations/${facts.id}`;
  return runAction(async () => {
    switch (input.intent) {
      case "attendance": {
        const recorded = await recordAttendance(user, facts, input.entries, ctx);
        return redirect(`${page}?attendance=${recorded.changed}`);
      }
      case "createMinutes": {
        const minutes = await createMinutes(user, facts, ctx);
        return redirect(`/documents/${minutes.documentId}`);
      }
      case "compileOpinions": {
        const compiled = await compileExpertOpinions(user, facts, ctx);
        return redirect(`${page}?compiled=${compiled.opinions}`);
      }
      case "rsvp": {
        await replyToInvitation(
          user,
          facts,
          {
            participantId: input.participantId,
            answer: input.answer,
            reason: input.reason,
            delegateUserId: input.delegateUserId ?? null,
          },
          ctx,
        );
        return redirect(`${page}?replied=${input.answer}`);
      }
      case "chaseReplies": {
        const chased = await chaseReplies(user, facts, ctx);
        return redirect(`${page}?chased=${chased.rows}`);
      }
      case "reschedule": {
        const startsAt = chinaInstant(input.date, input.startTime);
        const endsAt = chinaInstant(input.date, input.endTime);
        if (!startsAt || !endsAt) throw invalid("日期无效", { date: ["日期无效"] });
        const agenda = input.agenda
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(0, 30);
        const done = await rescheduleConsultation(user, facts, { startsAt, endsAt, place: input.place, agenda }, ctx);
        return redirect(`${page}?rescheduled=${done.changed.length}`);
      }
      case "cancel": {
        await cancelConsultation(user, facts, { reason: input.cancelReason }, ctx);
        return redirect(`${page}?cancelled=1`);
      }
    }
  });
}

/** The fields the reply forms, and the reschedule and cancel forms, show their messages under. */
const REPLY_FIELDS = ["answer", "reason", "delegateUserId"];
const SCHEDULE_FIELDS = ["date", "startTime", "endTime", "place", "agenda", "cancelReason"];

/** The success message of the last redirect, from its query. */
function successNotice(params: URLSearchParams): string | null {
  if (params.get("created"))
    return "会商已召集，受邀单位的督办协调员和联络员已收到通知。受邀的特邀人员已收到通知和参会邀请。";
  if (params.get("compiled"))
    return `已将${params.get("compiled")}条专家意见汇总到《专家咨询意见》的“专家意见”部分，可打开文书继续修改。`;
  if (params.get("attendance")) return "出席情况已保存。起草纪要时，出席、列席和请假名单按此填写。";
  const replied = params.get("replied");
  if (replied === "DELEGATED") return "回执已提交：已委派同事参加，被委派人已收到通知。";
  if (replied) return "回执已提交，召集单位已收到通知。";
  if (params.get("chased")) return `已催办：${params.get("chased")}个未回执的单位或人员已收到提醒。`;
  const rescheduled = params.get("rescheduled");
  if (rescheduled === "0") return "时间、地点和议程没有变化，未通知参会人员。";
  if (rescheduled) return "会商已变更，受邀单位和人员已收到通知；日历邀请已更新，请重新下载导入日历。";
  if (params.get("cancelled")) return "会商已取消，受邀单位和人员已收到通知；日历邀请已变为取消通知。";
  return null;
}

export default function ConsultationPage() {
  const c = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state !== "idle";
  const fieldErrors = actionData && "fieldErrors" in actionData ? (actionData.fieldErrors ?? null) : null;
  // A refusal about a field the page shows is said under it; anything else above the page.
  const shown = [...(c.replyForms.length ? REPLY_FIELDS : []), ...(c.schedule ? SCHEDULE_FIELDS : [])];
  const underFields = fieldErrors && Object.keys(fieldErrors).every((k) => shown.includes(k));
  const notice = successNotice(params);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <BackLink to="/consultations" label="会商" />
          <h1 className="text-xl font-semibold text-slate-900">{c.title}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-500">
            <span>{c.issue}</span>
            <span>·</span>
            <span>{c.kind}</span>
            <span>·</span>
            <span>召集：{c.convener}</span>
            <Badge tone={c.cancelled ? "red" : "blue"}>{c.status}</Badge>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <LinkButton to={`/consultations/${c.id}/invite.ics`} reloadDocument>
            <CalendarPlus className="h-4 w-4" aria-hidden />
            {c.cancelled ? "下载取消通知（.ics）" : "下载日程邀请（.ics）"}
          </LinkButton>
          {c.abilities.compileOpinions ? (
            <Form method="post">
              <input type="hidden" name="intent" value="compileOpinions" />
              <Button type="submit" variant="secondary" disabled={busy}>
                <ListChecks className="h-4 w-4" aria-hidden />
                汇总专家意见
              </Button>
            </Form>
          ) : null}
          {c.minutesId ? (
            <LinkButton to={`/documents/${c.minutesId}`} variant="primary">
              <FilePen className="h-4 w-4" aria-hidden />
              {c.caseConsultation ? "打开专家咨询意见" : "打开会议纪要"}
            </LinkButton>
          ) : c.abilities.createMinutes ? (
            <Form method="post">
              <input type="hidden" name="intent" value="createMinutes" />
              <Button type="submit" disabled={busy}>
                <FilePen className="h-4 w-4" aria-hidden />
                起草会议纪要
              </Button>
            </Form>
          ) : null}
        </div>
      </div>
      {c.cancelled ? <CancelledNotice note={c.cancelled} /> : null}
      <FormErrors errors={actionData?.error && !underFields ? [actionData.error] : null} />
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <div className="grid gap-4 md:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 md:col-span-1">
          <Overview c={c} />
          {c.caseConsultation ? (
            <CaseCard summary={c.caseConsultation.summary} question={c.caseConsultation.question} />
          ) : null}
          {c.files.length ? (
            <FilesCard id={c.id} files={c.files} title={c.caseConsultation ? "案件材料" : "会议材料"} />
          ) : null}
          <ReplyCard forms={c.replyForms} errors={fieldErrors} busy={busy} />
        </div>
        <div className="flex min-w-0 flex-col gap-4 md:col-span-2">
          <Participants c={c} busy={busy} />
          {c.replies ? (
            <RepliesCard rows={c.replies.rows} counts={c.replies.counts} chase={c.replies.chase} busy={busy} />
          ) : null}
          {c.schedule ? <ScheduleCard schedule={c.schedule} errors={fieldErrors} busy={busy} /> : null}
        </div>
      </div>
    </div>
  );
}

function Overview({ c }: { c: SerializeFrom<typeof loader> }) {
  return (
    <Card title="会议概况">
      <dl className="flex flex-col gap-2 text-sm">
        <div className="flex gap-2">
          <Clock className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" aria-hidden />
          <dd>{c.when}</dd>
        </div>
        <div className="flex gap-2">
          <MapPin className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" aria-hidden />
          <dd>{c.place}</dd>
        </div>
      </dl>
      <h3 className="mb-1 mt-4 text-sm font-semibold text-slate-700">议程</h3>
      {c.agenda.length ? (
        <ol className="list-decimal pl-5 text-sm">
          {c.agenda.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-500">未填写议程</p>
      )}
    </Card>
  );
}

/** 会议材料 / 案件材料: downloads for everyone who reads the consultation. */
function FilesCard({ id, files, title }: { id: string; files: SerializeFrom<typeof loader>["files"]; title: string }) {
  return (
    <Card title={title}>
      <ul className="flex flex-col gap-1 text-sm">
        {files.map((f) => (
          <li key={f.id}>
            <a className="text-brand-700 hover:underline" href={`/consultations/${id}/files/${f.id}`} download>
              {f.name}
            </a>
            <span className="ml-2 text-xs text-slate-500">{f.size}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** 个案咨询: the case and the question put to the experts. */
function CaseCard({ summary, question }: { summary: string; question: string }) {
  return (
    <Card title="个案咨询事项">
      <h3 className="mb-1 text-sm font-semibold text-slate-700">基本案情</h3>
      <p className="whitespace-pre-line text-sm">{summary}</p>
      <h3 className="mb-1 mt-4 text-sm font-semibold text-slate-700">咨询问题</h3>
      <p className="whitespace-pre-line text-sm">{question}</p>
      <p className="mt-4 text-xs text-slate-500">
        受邀专家在《专家咨询意见》中以批注提出书面意见；咨询单位可随时汇总到文书的“专家意见”部分。
      </p>
    </Card>
  );
}

/** 参会单位与出席情况: the convener records attendance; everyone else reads it. */
function Participants({ c, busy }: { c: SerializeFrom<typeof loader>; busy: boolean }) {
  return c.abilities.recordAttendance ? (
    <Form method="post" className="flex flex-col gap-2">
      <input type="hidden" name="intent" value="attendance" />
      <Table head={["参会单位 / 人员", "身份", "出席情况", "请假原因"]} caption="参会单位与出席情况">
        {c.participants.map((p) => (
          <tr key={p.id}>
            <Td>{p.org}</Td>
            <Td>{p.role}</Td>
            <Td>
              <select
                name={`attendance.${p.id}`}
                defaultValue={p.attendanceCode}
                aria-label={`${p.org}的出席情况`}
                className="rounded border border-slate-300 px-2 py-1"
              >
                <option value="INVITED">未登记</option>
                <option value="PRESENT">出席</option>
                <option value="ABSENT">请假</option>
              </select>
            </Td>
            <Td>
              <input
                name={`reason.${p.id}`}
                defaultValue={p.absenceReason ?? ""}
                maxLength={100}
                aria-label={`${p.org}的请假原因`}
                className="w-full rounded border border-slate-300 px-2 py-1"
                placeholder="请假时填写"
              />
            </Td>
          </tr>
        ))}
      </Table>
      <div>
        <Button type="submit" variant="secondary" disabled={busy}>
          保存出席情况
        </Button>
      </div>
    </Form>
  ) : (
    <Table head={["参会单位 / 人员", "身份", "出席情况"]} caption="参会单位">
      {c.participants.map((p) => (
        <tr key={p.id}>
          <Td>{p.org}</Td>
          <Td>{p.role}</Td>
          <Td>
            {p.attendance}
            {p.absenceReason ? `（${p.absenceReason}）` : ""}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
