import { ID_PATTERN } from "~/domain/ids";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CalendarPlus, Clock, FilePen, MapPin } from "lucide-react";
import { BackLink, Badge, Button, Card, FormErrors, LinkButton, Notice, Table, Td } from "~/components/ui";
import { parseAgenda } from "~/models/consultation.server";
import { createMinutes } from "~/services/create-minutes.server";
import { ATTENDANCES, recordAttendance } from "~/services/record-attendance.server";
import { readFormData } from "~/utils/request.server";
import { optionalText, z } from "~/utils/validation";
import {
  CONSULTATION_KIND_LABELS,
  CONSULTATION_STATUS_LABELS,
  PARTICIPANT_ROLE_LABELS,
  type ConsultationKind,
  type ConsultationStatus,
  type ParticipantRole,
} from "~/domain/consultation";
import { invalid } from "~/domain/errors";
import { requireUser } from "~/services/auth/current-user.server";
import { requireConsultationAccess } from "~/services/consultation-access.server";
import { getConsultation } from "~/services/consultations.server";
import { commandContext } from "~/services/context.server";
import { formatDate, formatTime } from "~/domain/dates";
import { actionError, orThrowHttp, runAction } from "~/utils/errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "会商"} · 会商协同` }];

const ATTENDANCE_LABELS: Record<string, string> = { INVITED: "已邀请", PRESENT: "出席", ABSENT: "请假" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { id, access } = await requireConsultationAccess(user, params.consultationId);
  const c = await orThrowHttp(() => getConsultation(id));
  const agenda = parseAgenda(c.agenda);
  return json({
    id: c.id,
    title: c.title,
    issue: `${c.series} 第${c.number}期`,
    kind: CONSULTATION_KIND_LABELS[c.kind as ConsultationKind] ?? c.kind,
    status: CONSULTATION_STATUS_LABELS[c.status as ConsultationStatus] ?? c.status,
    when: `${formatDate(c.startsAt)} ${formatTime(c.startsAt)}至${formatTime(c.endsAt)}`,
    place: c.place,
    convener: c.conveningOrg.name,
    agenda,
    manage: access === "manage",
    minutesId: c.minutesId,
    participants: c.participants.map((p) => ({
      id: p.id,
      attendanceCode: p.attendance,
      org: p.user ? `${p.user.displayName}（${p.org.name}）` : p.org.name,
      person: p.user?.displayName ?? null,
      role: PARTICIPANT_ROLE_LABELS[p.role as ParticipantRole] ?? p.role,
      attendance: ATTENDANCE_LABELS[p.attendance] ?? p.attendance,
      absenceReason: p.absenceReason,
    })),
  });
}

const CHOICE_MESSAGE = "出席情况选择无效。";

/** One participant's attendance as the form sends it (attendance.<participantId>, reason.<participantId>). */
const AttendanceEntry = z.object({
  participantId: z.string().regex(ID_PATTERN, CHOICE_MESSAGE),
  attendance: z.enum(ATTENDANCES, { errorMap: () => ({ message: CHOICE_MESSAGE }) }),
  reason: optionalText({ max: 100, message: "请假原因不能超过 100 个字符，且不能包含控制字符。" }),
});

/** The intents of the consultation page, one schema each (a switch dispatches them). */
const Intent = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("createMinutes") }),
    z.object({ intent: z.literal("attendance"), entries: z.array(AttendanceEntry) }),
  ],
  { errorMap: () => ({ message: "未知的操作。" }) },
);

/** The form's fields as the intent schemas read them. */
function intentInput(form: FormData) {
  const entries = [...form.entries()]
    .filter(([key]) => key.startsWith("attendance."))
    .map(([key, attendance]) => {
      const participantId = key.slice(11);
      const reason = form.get(`reason.${participantId}`);
      return { participantId, attendance, reason: typeof reason === "string" ? reason : undefined };
    });
  return { intent: form.get("intent"), entries };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireConsultationAccess(user, params.consultationId);
  const parsed = Intent.safeParse(intentInput(await readFormData(request)));
  if (!parsed.success)
    return json(actionError(invalid(parsed.error.issues[0]?.message ?? "未知的操作。")), { status: 400 });
  const input = parsed.data;
  const ctx = commandContext(request, context);
  return runAction(async () => {
    switch (input.intent) {
      case "attendance": {
        const recorded = await recordAttendance(user, facts, input.entries, ctx);
        return redirect(`/consultations/${facts.id}?attendance=${recorded.changed}`);
      }
      case "createMinutes": {
        const minutes = await createMinutes(user, facts, ctx);
        return redirect(`/documents/${minutes.documentId}`);
      }
    }
  });
}

export default function ConsultationPage() {
  const c = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
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
            <Badge tone="blue">{c.status}</Badge>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <LinkButton to={`/consultations/${c.id}/invite.ics`} reloadDocument>
            <CalendarPlus className="h-4 w-4" aria-hidden />
            下载日程邀请（.ics）
          </LinkButton>
          {c.minutesId ? (
            <LinkButton to={`/documents/${c.minutesId}`} variant="primary">
              <FilePen className="h-4 w-4" aria-hidden />
              打开会议纪要
            </LinkButton>
          ) : c.manage ? (
            <Form method="post">
              <input type="hidden" name="intent" value="createMinutes" />
              <Button type="submit" disabled={navigation.state !== "idle"}>
                <FilePen className="h-4 w-4" aria-hidden />
                起草会议纪要
              </Button>
            </Form>
          ) : null}
        </div>
      </div>
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      {params.get("created") ? (
        <Notice tone="success">会商已召集，受邀单位的督办协调员和联络员已收到通知。</Notice>
      ) : null}
      {params.get("attendance") ? (
        <Notice tone="success">出席情况已保存。起草纪要时，出席、列席和请假名单按此填写。</Notice>
      ) : null}
      <div className="grid gap-4 md:grid-cols-3">
        <Card title="会议概况" className="md:col-span-1">
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
        <div className="md:col-span-2">
          <Participants c={c} busy={navigation.state !== "idle"} />
        </div>
      </div>
    </div>
  );
}

/** 参会单位与出席情况: the convener records attendance; everyone else reads it. */
function Participants({ c, busy }: { c: SerializeFrom<typeof loader>; busy: boolean }) {
  return c.manage ? (
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
