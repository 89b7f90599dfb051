import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect, type SerializeFrom } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import {
  Button,
  Card,
  CheckboxField,
  FormErrors,
  LinkButton,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
} from "~/components/ui";
import {
  CLUE_ROUTES,
  CLUE_SOURCE_LABELS,
  CLUE_SOURCES,
  MAX_FEEDBACK_DAYS,
  RECEIPT_WORKING_DAYS,
  clueRouteBetween,
  defaultFeedbackDueDay,
  receiptDueDay,
} from "~/domain/clue";
import { addDaysIso, chinaDay, endOfChinaDay, formatDate, isIsoDay } from "~/domain/dates";
import { transferringOrgIds } from "~/policies/clue";
import { requireUser } from "~/services/auth/current-user.server";
import { transferDirectory } from "~/services/clue-pages.server";
import { transferClue } from "~/services/clues.server";
import { commandContext } from "~/services/context.server";
import { MAX_ATTACHMENT_BYTES, uploadLimits } from "~/services/uploads.server";
import { FilesField } from "~/components/files-field";
import { httpError, runAction } from "~/utils/errors";
import { readFormWithFiles } from "~/utils/request.server";
import { hasControlChars, idField, invalidInput, text, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "移送线索 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const myOrgIds = transferringOrgIds(user.actor);
  if (myOrgIds.length === 0) throw httpError("FORBIDDEN", "只有可移送线索的单位的督办协调员可以移送线索。");
  const orgs = await transferDirectory(user.actor);
  const today = chinaDay();
  return json({
    myOrgIds,
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, region: o.region.name })),
    today,
    receiptDue: receiptDueDay(today),
    defaultFeedbackDue: defaultFeedbackDueDay(today),
    maxFeedbackDue: addDaysIso(today, MAX_FEEDBACK_DAYS),
    limits: uploadLimits(),
  });
}

/** A multi-line text: its own length, no control characters but line breaks, trimmed. */
const multiline = (max: number, required: boolean) =>
  z
    .string({ required_error: "此项为必填项", invalid_type_error: "格式不正确" })
    .max(max, `不能超过 ${max} 个字符`)
    .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
    .transform((s) => s.trim())
    .refine((s) => !required || s.length > 0, "此项为必填项");

const Schema = z.object({
  fromOrgId: idField,
  toOrgId: idField,
  docNumber: text({ max: 60 }),
  source: z.enum(CLUE_SOURCES, { errorMap: () => ({ message: "请选择线索来源" }) }),
  summary: multiline(2000, true),
  involvedUnits: multiline(500, false).default(""),
  involvedPersons: multiline(500, false).default(""),
  needsFeedback: z.enum(["on", "true"], { errorMap: () => ({ message: "请选择是否需要反馈" }) }).optional(),
  feedbackDue: z.string().refine(isIsoDay, "日期格式应为 2026-03-12").optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ctx = commandContext(request, context);
  return runAction(async () => {
    const { form, files } = await readFormWithFiles(request, MAX_ATTACHMENT_BYTES);
    const str = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const parsed = Schema.safeParse({
      fromOrgId: str("fromOrgId"),
      toOrgId: str("toOrgId"),
      docNumber: str("docNumber"),
      source: str("source"),
      summary: str("summary"),
      involvedUnits: str("involvedUnits"),
      involvedPersons: str("involvedPersons"),
      needsFeedback: str("needsFeedback"),
      feedbackDue: str("feedbackDue"),
    });
    if (!parsed.success) throw invalidInput(parsed.error);
    const v = parsed.data;
    const needsFeedback = v.needsFeedback !== undefined;
    const { id } = await transferClue(
      user,
      { ...v, needsFeedback, feedbackDue: needsFeedback ? (v.feedbackDue ?? null) : null, files },
      ctx,
    );
    return redirect(`/clues/${id}?done=transferred`);
  });
}

type Data = SerializeFrom<typeof loader>;
type Errors = Record<string, string[] | undefined>;

export default function NewClue() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Errors = actionData?.fieldErrors ?? {};
  const formErrors = actionData && !actionData.fieldErrors ? [actionData.error] : null;
  const navigation = useNavigation();
  return (
    <>
      <PageHeader
        title="移送线索"
        description={`接收单位应在 ${RECEIPT_WORKING_DAYS} 个工作日内签收（本次为 ${formatDate(endOfChinaDay(data.receiptDue))} 前）。线索内容仅双方督办协调员可见，通知中只出现移送文号。`}
      />
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-4">
        <FormErrors errors={formErrors} />
        <UnitsCard data={data} errors={errors} />
        <ContentCard errors={errors} />
        <FeedbackCard data={data} errors={errors} />
        <MaterialsCard limits={data.limits} errors={errors} />
        <div className="flex gap-2">
          <Button type="submit" disabled={navigation.state !== "idle"}>
            {navigation.state !== "idle" ? "正在移送…" : "移送"}
          </Button>
          <LinkButton to="/clues">取消</LinkButton>
        </div>
      </Form>
    </>
  );
}

function UnitsCard({ data, errors }: { data: Data; errors: Errors }) {
  const mine = data.orgs.filter((o) => data.myOrgIds.includes(o.id));
  const [fromId, setFromId] = useState(mine[0]?.id ?? "");
  const [toId, setToId] = useState("");
  const from = data.orgs.find((o) => o.id === fromId);
  const receivers = data.orgs.filter((o) => from && o.id !== from.id && clueRouteBetween(from.kind, o.kind));
  const to = receivers.find((o) => o.id === toId);
  const route = from && to ? clueRouteBetween(from.kind, to.kind) : null;
  return (
    <Card title="移送单位与接收单位">
      <div className="grid gap-4 md:grid-cols-3">
        <SelectField
          label="移送单位"
          name="fromOrgId"
          required
          errors={errors.fromOrgId}
          value={fromId}
          onChange={(e) => {
            setFromId(e.target.value);
            setToId("");
          }}
          options={mine.map((o) => ({ value: o.id, label: `${o.name}（${o.region}）` }))}
        />
        <SelectField
          label="接收单位"
          name="toOrgId"
          required
          errors={errors.toOrgId}
          placeholder="请选择"
          value={toId}
          onChange={(e) => setToId(e.target.value)}
          options={receivers.map((o) => ({ value: o.id, label: `${o.name}（${o.region}）` }))}
          hint="只列出可沿移送路径接收本单位线索的单位"
        />
        <TextField
          label="移送文号"
          name="docNumber"
          required
          maxLength={60}
          errors={errors.docNumber}
          placeholder="例如：示司移〔2026〕3号"
        />
      </div>
      <p className="mt-3 text-sm text-slate-600" data-testid="clue-category">
        线索类别：{route ? CLUE_ROUTES[route].label : "选择接收单位后确定"}
      </p>
    </Card>
  );
}

function ContentCard({ errors }: { errors: Errors }) {
  return (
    <Card title="线索内容">
      <div className="grid gap-4">
        <SelectField
          label="线索来源"
          name="source"
          required
          errors={errors.source}
          placeholder="请选择"
          options={CLUE_SOURCES.map((s) => ({ value: s, label: CLUE_SOURCE_LABELS[s] }))}
        />
        <TextAreaField
          label="问题摘要"
          name="summary"
          required
          rows={5}
          maxLength={2000}
          errors={errors.summary}
          hint="写明发现的问题、时间和依据；不出现在通知和列表中。"
        />
        <div className="grid gap-4 md:grid-cols-2">
          <TextAreaField label="涉及单位" name="involvedUnits" rows={2} maxLength={500} errors={errors.involvedUnits} />
          <TextAreaField
            label="涉及人员"
            name="involvedPersons"
            rows={2}
            maxLength={500}
            errors={errors.involvedPersons}
            hint="仅在线索页面向双方督办协调员显示，不出现在列表、通知、导出和日志中。"
          />
        </div>
      </div>
    </Card>
  );
}

function FeedbackCard({ data, errors }: { data: Data; errors: Errors }) {
  const [needsFeedback, setNeedsFeedback] = useState(true);
  return (
    <Card title="反馈要求">
      <div className="grid gap-4 md:grid-cols-2">
        <CheckboxField
          label="需要接收单位反馈办理结果"
          name="needsFeedback"
          checked={needsFeedback}
          onChange={(e) => setNeedsFeedback(e.target.checked)}
          errors={errors.needsFeedback}
          hint="接收单位反馈立案、初核、不予立案或转办的结果。"
        />
        {needsFeedback ? (
          <TextField
            label="反馈期限"
            name="feedbackDue"
            type="date"
            min={data.receiptDue}
            max={data.maxFeedbackDue}
            defaultValue={data.defaultFeedbackDue}
            errors={errors.feedbackDue}
            hint="默认移送之日起 30 日。"
          />
        ) : null}
      </div>
    </Card>
  );
}

function MaterialsCard({ limits, errors }: { limits: Data["limits"]; errors: Errors }) {
  return (
    <Card title="移送材料">
      <FilesField label="附件" limits={limits} errors={errors.files} />
    </Card>
  );
}
