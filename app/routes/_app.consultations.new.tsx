import { isId } from "~/domain/ids";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { OrgChoiceList } from "~/components/org-choice-list";
import {
  Button,
  Card,
  FormErrors,
  LinkButton,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
} from "~/components/ui";
import { ITEM_STATUS_LABELS, type ItemStatus } from "~/domain/tracked-item";
import { formatDate, isIsoDay } from "~/domain/dates";
import { canConvene } from "~/policies/consultation";
import {
  CONSULTATION_KIND_LABELS,
  CONSULTATION_KINDS,
  ORG_PARTICIPANT_ROLES,
  PARTICIPANT_ROLE_LABELS,
  type ParticipantRole,
} from "~/domain/consultation";
import { requireUser } from "~/services/auth/current-user.server";
import { loadConveneChoices } from "~/services/consultations.server";
import { commandContext } from "~/services/context.server";
import { conveneConsultation } from "~/services/convene-consultation.server";
import { listOrgDirectory } from "~/services/org-directory.server";
import { listInvitableGuests } from "~/services/consultations.server";
import { EXPERT_FIELDS } from "~/domain/external";
import { firstFieldMessage, invalid, isDomainError } from "~/domain/errors";
import { actionError, httpError, runAction } from "~/utils/errors";
import { readFormWithFiles } from "~/utils/request.server";
import { MAX_ATTACHMENT_BYTES, uploadLimits } from "~/services/uploads.server";
import { FilesField } from "~/components/files-field";
import { hasControlChars, idField, text, z, zodFieldErrors } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "召集会商 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const convening = user.memberships.filter((m) => canConvene(user.actor, m.org.id));
  if (convening.length === 0) throw httpError("FORBIDDEN", "只有督办协调员或管理员可以召集会商。");
  const orgs = await listOrgDirectory(user.actor.memberships.map((m) => m.regionPath));
  const { staff, carry } = await loadConveneChoices(convening.map((m) => m.org.id));
  const guests = await listInvitableGuests(user.actor);
  const year = new Date().getFullYear();
  const params = new URL(request.url).searchParams;
  return json({
    prefill: conveningPrefill(params, orgs),
    convening: [...new Map(convening.map((m) => [m.org.id, { value: m.org.id, label: m.org.name }])).values()],
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, region: o.region.name })),
    defaultSeries: `${year}年度行政执法监督协调会商`,
    guests,
    limits: uploadLimits(),
    carry: carry.map((i) => ({
      id: i.id,
      series: i.series ?? "",
      orgId: i.ownerOrgId,
      label: `${i.sourceDocument.consultation ? `第${i.sourceDocument.consultation.number}期` : ""}议定事项${i.number}`,
      wording: i.wording,
      lead: i.leadOrg?.name ?? "未指定",
      status: ITEM_STATUS_LABELS[i.status as ItemStatus] ?? i.status,
      due: i.dueDate ? formatDate(i.dueDate) : "未设定",
    })),
    staff: [
      ...new Map(
        staff.map((m) => [m.userId, { value: m.userId, label: `${m.user.displayName}（${m.org.name}）` }]),
      ).values(),
    ],
  });
}

/**
 * What another page fills in: `?agenda=…&attend=<orgId>` (the 府院联动 trend putting an agency on
 * the next meeting's agenda). Unknown units and over-long text are ignored; nothing is convened
 * until the user submits.
 */
function conveningPrefill(params: URLSearchParams, orgs: ReadonlyArray<{ id: string }>) {
  const agenda = params.get("agenda") ?? "";
  const attend = params.getAll("attend").filter((id) => orgs.some((o) => o.id === id));
  return {
    agenda: agenda.length <= 4000 && !hasControlChars(agenda) ? agenda : "",
    roles: Object.fromEntries(attend.slice(0, 20).map((id) => [id, "ATTENDEE"])) as Record<string, string>,
  };
}

const time = z.string({ required_error: "请填写时间" }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, "时间格式应为 14:30");
const Schema = z.object({
  kind: z.enum(CONSULTATION_KINDS, { errorMap: () => ({ message: "请选择会商类型" }) }),
  title: text({ max: 80 }),
  series: text({ max: 60 }),
  conveningOrgId: idField,
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
  hostUserId: idField.optional(),
  recorderUserId: idField.optional(),
  caseSummary: z
    .string()
    .max(4000, "基本案情不能超过 4000 个字符")
    .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
    .default(""),
  legalQuestion: z
    .string()
    .max(2000, "咨询问题不能超过 2000 个字符")
    .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
    .default(""),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  let read: Awaited<ReturnType<typeof readFormWithFiles>>;
  try {
    read = await readFormWithFiles(request, MAX_ATTACHMENT_BYTES);
  } catch (error) {
    if (isDomainError(error)) return json(actionError(error), { status: 400 });
    throw error;
  }
  const { form, files } = read;
  const fields = Object.fromEntries(
    [...form.entries()].filter(
      ([k, v]) =>
        !k.startsWith("role.") && !["carry", "guest", "files"].includes(k) && typeof v === "string" && v !== "",
    ),
  ) as Record<string, string>;
  const carriedItemIds = form
    .getAll("carry")
    .filter((v): v is string => typeof v === "string" && isId(v))
    .slice(0, 200);
  const guestValues = form.getAll("guest").slice(0, 100);
  const guests = guestValues.filter((v): v is string => typeof v === "string" && isId(v));
  const parsed = Schema.safeParse(fields);
  const fieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
  const participants: Array<{ orgId: string; role: ParticipantRole }> = [];
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("role.") || value === "") continue;
    const orgId = key.slice(5);
    const role = z.enum(ORG_PARTICIPANT_ROLES).safeParse(value);
    if (!isId(orgId) || !role.success) (fieldErrors.participants ??= []).push("参会单位或身份选择无效");
    else participants.push({ orgId, role: role.data });
  }
  if (guests.length !== guestValues.length) (fieldErrors.guests ??= []).push("特邀人员选择无效");
  if (!parsed.success || fieldErrors.participants || fieldErrors.guests)
    return json(actionError(invalid(firstFieldMessage(fieldErrors), fieldErrors)), { status: 400 });
  const v = parsed.data;
  const startsAt = new Date(`${v.date}T${v.startTime}:00+08:00`);
  const endsAt = new Date(`${v.date}T${v.endTime}:00+08:00`);
  if (Number.isNaN(startsAt.getTime()))
    return json(actionError(invalid("日期无效", { date: ["日期无效"] })), { status: 400 });
  const input = {
    kind: v.kind,
    title: v.title,
    series: v.series,
    conveningOrgId: v.conveningOrgId,
    startsAt,
    endsAt,
    place: v.place,
    agenda: v.agenda
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 30),
    participants,
    carriedItemIds,
    people: [
      ...(v.hostUserId ? [{ userId: v.hostUserId, role: "HOST" as const }] : []),
      ...(v.recorderUserId ? [{ userId: v.recorderUserId, role: "RECORDER" as const }] : []),
    ],
    guests,
    caseSummary: v.caseSummary,
    legalQuestion: v.legalQuestion,
    files,
  };
  return runAction(async () => {
    const convened = await conveneConsultation(user, input, commandContext(request, context));
    return redirect(`/consultations/${convened.id}?created=1`);
  });
}

export default function NewConsultation() {
  const { convening, orgs, defaultSeries, staff, carry, guests, limits, prefill } = useLoaderData<typeof loader>();
  const [series, setSeries] = useState(defaultSeries);
  const [kind, setKind] = useState("");
  const [conveningOrgId, setConveningOrgId] = useState(convening[0]?.value ?? "");
  const carryable = carry.filter((i) => i.series === series.trim() && i.orgId === conveningOrgId);
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  return (
    <>
      <PageHeader
        title="召集会商"
        description="会商创建后，受邀单位的督办协调员和联络员会收到站内通知，并可下载日程邀请（.ics）。"
      />
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-4">
        <Card title="会议信息">
          <div className="grid gap-4 md:grid-cols-3">
            <div className="md:col-span-2">
              <TextField
                label="会议名称"
                name="title"
                required
                maxLength={80}
                errors={errors.title}
                placeholder="例如：行政执法与刑事司法衔接工作协调会商"
              />
            </div>
            <SelectField
              label="会商类型"
              name="kind"
              required
              errors={errors.kind}
              value={kind}
              onChange={(e) => setKind(e.target.value)}
              placeholder="请选择"
              options={[...Object.entries(CONSULTATION_KIND_LABELS)].map(([value, label]) => ({ value, label }))}
            />
            <div className="md:col-span-2">
              <TextField
                label="会商系列"
                name="series"
                required
                maxLength={60}
                value={series}
                onChange={(e) => setSeries(e.target.value)}
                errors={errors.series}
                hint="同一系列的会商自动编号为第1期、第2期……"
              />
            </div>
            <SelectField
              label="召集单位"
              name="conveningOrgId"
              required
              errors={errors.conveningOrgId}
              options={convening}
              value={conveningOrgId}
              onChange={(e) => setConveningOrgId(e.target.value)}
            />
            <TextField label="日期" name="date" type="date" required errors={errors.date} />
            <TextField label="开始时间" name="startTime" type="time" required errors={errors.startTime} />
            <TextField label="结束时间" name="endTime" type="time" required errors={errors.endTime} />
            <div className="md:col-span-3">
              <TextField
                label="地点"
                name="place"
                required
                maxLength={80}
                errors={errors.place}
                placeholder="例如：市司法局三楼会议室"
              />
            </div>
            <SelectField
              label="主持人"
              name="hostUserId"
              errors={errors.hostUserId}
              placeholder="暂不指定"
              options={staff}
            />
            <SelectField
              label="记录人"
              name="recorderUserId"
              errors={errors.recorderUserId}
              placeholder="暂不指定"
              options={staff}
            />
            <p className="self-end pb-2 text-xs text-slate-500">主持人、记录人为召集单位人员，会填入纪要抬头。</p>
            <label className="flex flex-col gap-1 md:col-span-3">
              <span className="text-sm font-medium text-slate-700">议程（每行一项）</span>
              <textarea
                name="agenda"
                rows={4}
                defaultValue={prefill.agenda}
                maxLength={4000}
                className="rounded-md border border-slate-300 px-3 py-2 text-sm"
                placeholder={"通报近期行政执法监督情况\n研究案件移送衔接问题"}
              />
              {errors.agenda ? <span className="text-sm text-red-700">{errors.agenda.join("；")}</span> : null}
            </label>
          </div>
        </Card>
        {kind === "CASE_CONSULTATION" ? <CaseCard errors={errors} /> : null}
        <MaterialsCard limits={limits} errors={errors.files} caseConsultation={kind === "CASE_CONSULTATION"} />
        <CarryCard items={carryable} errors={errors.carriedItemIds} />
        <GuestsCard guests={guests} errors={errors.guests} required={kind === "CASE_CONSULTATION"} />
        <ParticipantsCard
          orgs={orgs}
          errors={errors.participants}
          optional={kind === "CASE_CONSULTATION"}
          initial={prefill.roles}
        />
        <SubmitRow />
      </Form>
    </>
  );
}

function SubmitRow() {
  const busy = useNavigation().state !== "idle";
  return (
    <div className="flex gap-2">
      <Button type="submit" disabled={busy}>
        {busy ? "正在召集…" : "召集并发送邀请"}
      </Button>
      <LinkButton to="/consultations">取消</LinkButton>
    </div>
  );
}

/** 跟进本系列未办结事项: the series' unfinished items, offered for this meeting's agenda (checked by default). */
function CarryCard({ items, errors }: { items: SerializeFrom<typeof loader>["carry"]; errors: string[] | undefined }) {
  if (!items.length) return null;
  return (
    <Card title={`跟进本系列未办结事项（${items.length}）`}>
      <FormErrors errors={errors} />
      <p className="mb-2 text-sm text-slate-600">
        勾选的事项会列入本期议程，并以“前期议定事项跟进情况”一节写入本期纪要，附办理状态和最新进展。
      </p>
      <ul className="flex flex-col gap-2" data-testid="carry-candidates">
        {items.map((i) => (
          <li key={i.id}>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="carry" value={i.id} defaultChecked className="mt-1" />
              <span>
                <span className="font-medium">{i.label}</span>：{i.wording}
                <span className="block text-xs text-slate-500">
                  牵头：{i.lead} · 时限：{i.due} · {i.status}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** 个案咨询: the case in brief and the legal question, copied into the 专家咨询意见. */
function CaseCard({ errors }: { errors: Record<string, string[] | undefined> }) {
  return (
    <Card title="个案咨询事项">
      <p className="mb-3 text-sm text-slate-600">
        召集后即生成《专家咨询意见》，受邀专家可直接在文中以批注提出书面意见，无需等待会议召开。
      </p>
      <div className="flex flex-col gap-4">
        <TextAreaField
          label="基本案情"
          name="caseSummary"
          rows={5}
          maxLength={4000}
          required
          errors={errors.caseSummary}
          placeholder="当事人、违法事实、调查取证和拟处理情况（请按脱敏要求填写）"
        />
        <TextAreaField
          label="咨询问题"
          name="legalQuestion"
          rows={3}
          maxLength={2000}
          required
          errors={errors.legalQuestion}
          placeholder="例如：当事人的行为应适用《广告法》第五十五条还是《反不正当竞争法》第二十条？"
        />
      </div>
    </Card>
  );
}

/** 会议材料 (for a 个案咨询: 案件材料), given to every participant with the consultation. */
function MaterialsCard({
  limits,
  errors,
  caseConsultation,
}: {
  limits: SerializeFrom<typeof loader>["limits"];
  errors: string[] | undefined;
  caseConsultation: boolean;
}) {
  return (
    <Card title={caseConsultation ? "案件材料" : "会议材料"}>
      <FilesField label="附件" limits={limits} errors={errors} note="受邀单位和特邀人员可在会商页面下载" />
    </Card>
  );
}

/** 特邀人员: people of the pools this unit may invite from (专家库, 特邀监督员, 代表/委员), filtered by 领域. */
function GuestsCard({
  guests,
  errors,
  required,
}: {
  guests: SerializeFrom<typeof loader>["guests"];
  errors: string[] | undefined;
  required: boolean;
}) {
  const [field, setField] = useState("");
  const shown = guests.filter((g) => !field || g.fields.includes(field));
  const fieldOptions = [...new Set([...EXPERT_FIELDS, ...guests.flatMap((g) => g.fields)])];
  return (
    <Card title={required ? "邀请专家（必选）" : "特邀人员（专家、特邀监督员、人大代表、政协委员）"}>
      <FormErrors errors={errors} />
      {guests.length === 0 ? (
        <p className="text-sm text-slate-600">本地区专家库中暂无已开通账号的人员，请联系司法局督办协调员添加。</p>
      ) : (
        <>
          <div className="mb-3 max-w-xs">
            <SelectField
              label="按领域筛选"
              name="guestField"
              value={field}
              onChange={(e) => setField(e.target.value)}
              placeholder="全部领域"
              options={fieldOptions.map((f) => ({ value: f, label: f }))}
            />
          </div>
          <ul className="grid gap-2 md:grid-cols-2" data-testid="guest-candidates">
            {guests.map((g) => (
              // Hidden by the filter, a checked person stays checked (and submitted).
              <li key={g.id} hidden={!shown.includes(g)}>
                <label className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="guest" value={g.id} className="mt-1" />
                  <span>
                    <span className="font-medium">{g.name}</span>
                    <span className="ml-1 text-slate-600">{g.kind}</span>
                    <span className="block text-xs text-slate-500">
                      {g.fields.join("、")} · {g.employer}
                      {g.title} · {g.region}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

/** 参会单位: each org of the directory with the role it is invited in (or not invited). */
function ParticipantsCard({
  orgs,
  errors,
  optional,
  initial,
}: {
  orgs: SerializeFrom<typeof loader>["orgs"];
  errors: string[] | undefined;
  optional: boolean;
  initial: Record<string, string>;
}) {
  return (
    <Card title={optional ? "参会单位（个案咨询可不邀请单位）" : "参会单位"}>
      <FormErrors errors={errors} />
      <OrgChoiceList
        orgs={orgs}
        prefix="role"
        choices={ORG_PARTICIPANT_ROLES.map((r) => ({
          value: r,
          label: PARTICIPANT_ROLE_LABELS[r],
        }))}
        noneLabel="不邀请"
        ariaSuffix="的参会身份"
        initial={initial}
      />
    </Card>
  );
}
