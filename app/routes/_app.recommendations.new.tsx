import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect, type SerializeFrom } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { Button, Card, FormErrors, LinkButton, PageHeader, SelectField, TextField } from "~/components/ui";
import {
  defaultReplyDue,
  ISSUER_KINDS,
  RECOMMENDATION_KIND_LABELS,
  RECOMMENDATION_KINDS,
  replyPeriodLabel,
  type RecommendationKind,
} from "~/domain/recommendation";
import { invalid, type FieldErrors } from "~/domain/errors";
import { registeringOrgIds } from "~/policies/recommendation";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { registrationDirectory } from "~/services/recommendation-pages.server";
import { registerRecommendation } from "~/services/recommendations.server";
import { ALLOWED_ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES } from "~/services/uploads.server";
import { chinaDay, formatDate, endOfChinaDay, isIsoDay } from "~/domain/dates";
import { httpError, runAction } from "~/utils/errors";
import { formFiles, isMultipart, readFormData, readMultipartForm } from "~/utils/request.server";
import { hasControlChars, idField, optionalText, text, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "登记建议书 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const myOrgIds = registeringOrgIds(user.actor);
  if (myOrgIds.length === 0) throw httpError("FORBIDDEN", "只有起草人、联络员、督办协调员或管理员可以登记建议书。");
  const orgs = await registrationDirectory(user.actor);
  return json({
    prefill: readPrefill(new URL(request.url).searchParams, orgs),
    myOrgIds,
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, regionPath: o.region.path, region: o.region.name })),
    today: chinaDay(),
    limits: { maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024, extensions: ALLOWED_ATTACHMENT_EXTENSIONS },
  });
}

/**
 * What another page fills in, e.g. the 府院联动 trend sending a 行政执法监督意见书 to an agency whose
 * 败诉率 keeps rising: `?kind=SUPERVISION&recipient=<orgId>&title=…&problems=…`. Anything unknown or
 * too long is ignored; nothing is registered until the user submits the form.
 */
function readPrefill(params: URLSearchParams, orgs: ReadonlyArray<{ id: string }>) {
  const kind = params.get("kind");
  const recipient = params.get("recipient");
  const title = params.get("title") ?? "";
  const problems = params.get("problems") ?? "";
  return {
    kind: kind && (RECOMMENDATION_KINDS as readonly string[]).includes(kind) ? (kind as RecommendationKind) : "",
    recipient: recipient && orgs.some((o) => o.id === recipient) ? recipient : "",
    title: title.length <= 200 && !hasControlChars(title) ? title : "",
    problems: problems.length <= 5000 && !hasControlChars(problems) ? problems : "",
  } as const;
}

const day = z.string({ required_error: "请选择日期" }).refine(isIsoDay, "日期格式应为 2026-03-12");
const Schema = z.object({
  kind: z.enum(RECOMMENDATION_KINDS, { errorMap: () => ({ message: "请选择建议书种类" }) }),
  docNumber: text({ max: 60 }),
  title: text({ max: 200 }),
  problems: z
    .string()
    .max(5000, "问题清单不能超过 5000 个字符")
    .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
    .default(""),
  issuerOrgId: idField,
  recipientOrgId: idField,
  copyOrgIds: z.array(idField).max(20, "抄送单位最多 20 个").default([]),
  issuedOn: day,
  receivedOn: day,
  replyDue: day.optional(),
  replyDueReason: optionalText({ max: 300 }),
});

/** The registration form: multipart when an original is attached, else url-encoded. */
async function readRegistration(request: Request) {
  if (!isMultipart(request)) return { form: await readFormData(request), files: [] };
  const read = await readMultipartForm(request, MAX_ATTACHMENT_BYTES);
  if (!read.ok) throw invalid(read.message, { original: [read.message] });
  return { form: read.form, files: await formFiles(read.form, "original") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ctx = commandContext(request, context);
  return runAction(async () => {
    const { form, files } = await readRegistration(request);
    const str = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const parsed = Schema.safeParse({
      kind: str("kind"),
      docNumber: str("docNumber"),
      title: str("title"),
      problems: str("problems"),
      issuerOrgId: str("issuerOrgId"),
      recipientOrgId: str("recipientOrgId"),
      copyOrgIds: form.getAll("copyOrgIds").filter((v) => v !== ""),
      issuedOn: str("issuedOn"),
      receivedOn: str("receivedOn"),
      replyDue: str("replyDue"),
      replyDueReason: str("replyDueReason"),
    });
    if (!parsed.success) {
      const fieldErrors: FieldErrors = {};
      for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0])] ??= []).push(issue.message);
      throw invalid(parsed.error.issues[0]?.message ?? "填写的内容有误。", fieldErrors);
    }
    const v = parsed.data;
    const input = { ...v, replyDue: v.replyDue ?? null, original: files[0] ?? null };
    const { id } = await registerRecommendation(user, input, ctx);
    return redirect(`/recommendations/${id}?done=registered`);
  });
}

type Orgs = SerializeFrom<typeof loader>["orgs"];
type Prefill = SerializeFrom<typeof loader>["prefill"];
type Errors = Record<string, string[] | undefined>;

/** The form's choices and what follows from them: the issuers of the kind, the default 抄送 and reply deadline. */
function useRegistration(orgs: Orgs, myOrgIds: string[], today: string, prefill: Prefill) {
  const [kind, setKind] = useState<RecommendationKind | "">(prefill.kind);
  const [issuer, setIssuer] = useState(
    () => myOrgIds.find((id) => orgs.some((o) => o.id === id && o.kind !== "ENFORCEMENT_AGENCY")) ?? "",
  );
  const [recipient, setRecipient] = useState(prefill.recipient);
  const [received, setReceived] = useState(today);
  const [due, setDue] = useState("");
  const byId = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  const issuerOptions = orgs.filter((o) => !kind || (ISSUER_KINDS[kind] as readonly string[]).includes(o.kind));
  const recipientOrg = byId.get(recipient);
  // The default 抄送: the justice bureau of the recipient's region.
  const defaultCopy = recipientOrg
    ? orgs.find(
        (o) =>
          o.kind === "JUSTICE_BUREAU" &&
          o.regionPath === recipientOrg.regionPath &&
          o.id !== issuer &&
          o.id !== recipient,
      )
    : undefined;
  const defaultDue = kind && /^\d{4}-\d{2}-\d{2}$/.test(received) ? defaultReplyDue(kind, received) : "";
  const effectiveDue = due || defaultDue;
  const changed = Boolean(due && defaultDue && due !== defaultDue);
  return {
    kind,
    setKind,
    issuer,
    setIssuer,
    recipient,
    setRecipient,
    received,
    setReceived,
    setDue,
    issuerOptions,
    defaultCopy,
    defaultDue,
    effectiveDue,
    changed,
  };
}

type Registration = ReturnType<typeof useRegistration>;

export default function NewRecommendation() {
  const { orgs, myOrgIds, today, limits, prefill } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Errors = actionData?.fieldErrors ?? {};
  // A refusal that concerns no field (who may register) shows above the form.
  const formErrors = actionData && !actionData.fieldErrors ? [actionData.error] : null;
  const navigation = useNavigation();
  const registration = useRegistration(orgs, myOrgIds, today, prefill);
  return (
    <>
      <PageHeader
        title="登记建议书"
        description="登记后，主送单位和抄送单位会收到通知；主送单位据此制定整改方案并在回复期限内书面回复。"
      />
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-4">
        <FormErrors errors={formErrors} />
        <BasicCard registration={registration} orgs={orgs} today={today} errors={errors} title={prefill.title} />
        <CopiesAndDueCard registration={registration} orgs={orgs} errors={errors} />
        <ProblemsCard limits={limits} errors={errors} problems={prefill.problems} />
        <div className="flex gap-2">
          <Button type="submit" disabled={navigation.state !== "idle"}>
            {navigation.state !== "idle" ? "正在登记…" : "登记"}
          </Button>
          <LinkButton to="/recommendations">取消</LinkButton>
        </div>
      </Form>
    </>
  );
}

function BasicCard({
  registration,
  orgs,
  today,
  errors,
  title,
}: {
  registration: Registration;
  orgs: Orgs;
  today: string;
  errors: Errors;
  title: string;
}) {
  const { kind, setKind, issuer, setIssuer, recipient, setRecipient, received, setReceived, issuerOptions } =
    registration;
  return (
    <Card title="基本信息">
      <div className="grid gap-4 md:grid-cols-3">
        <SelectField
          label="种类"
          name="kind"
          required
          errors={errors.kind}
          placeholder="请选择"
          value={kind}
          onChange={(e) => setKind(e.target.value as RecommendationKind | "")}
          options={RECOMMENDATION_KINDS.map((k) => ({ value: k, label: RECOMMENDATION_KIND_LABELS[k] }))}
        />
        <TextField
          label="文号"
          name="docNumber"
          required
          maxLength={60}
          errors={errors.docNumber}
          placeholder="例如：示检行建〔2026〕3号"
        />
        <TextField label="发出日期" name="issuedOn" type="date" required max={today} errors={errors.issuedOn} />
        <div className="md:col-span-3">
          <TextField
            label="事由"
            name="title"
            required
            maxLength={200}
            defaultValue={title}
            errors={errors.title}
            placeholder="例如：关于加强食品经营许可审查工作的检察建议"
          />
        </div>
        <SelectField
          label="发出单位"
          name="issuerOrgId"
          required
          errors={errors.issuerOrgId}
          placeholder="请选择"
          value={issuer}
          onChange={(e) => setIssuer(e.target.value)}
          options={issuerOptions.map((o) => ({ value: o.id, label: `${o.name}（${o.region}）` }))}
        />
        <SelectField
          label="主送单位"
          name="recipientOrgId"
          required
          errors={errors.recipientOrgId}
          placeholder="请选择"
          value={recipient}
          onChange={(e) => setRecipient(e.target.value)}
          options={orgs.filter((o) => o.id !== issuer).map((o) => ({ value: o.id, label: `${o.name}（${o.region}）` }))}
        />
        <TextField
          label="收到日期"
          name="receivedOn"
          type="date"
          required
          max={today}
          value={received}
          onChange={(e) => setReceived(e.target.value)}
          errors={errors.receivedOn}
        />
      </div>
    </Card>
  );
}

function CopiesAndDueCard({ registration, orgs, errors }: { registration: Registration; orgs: Orgs; errors: Errors }) {
  const { kind, issuer, recipient, received, setDue, defaultCopy, defaultDue, effectiveDue, changed } = registration;
  return (
    <Card title="抄送与回复期限">
      <div className="grid gap-4 md:grid-cols-2">
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1 font-medium text-slate-700">抄送单位</legend>
          <select
            name="copyOrgIds"
            multiple
            size={6}
            aria-label="抄送单位（可多选）"
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            key={defaultCopy?.id ?? "none"}
            defaultValue={defaultCopy ? [defaultCopy.id] : []}
          >
            {orgs
              .filter((o) => o.id !== issuer && o.id !== recipient)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}（{o.region}）
                </option>
              ))}
          </select>
          <span className="text-xs text-slate-500">
            {defaultCopy
              ? `默认抄送主送单位所在地的司法行政机关：${defaultCopy.name}。按住 Ctrl 可多选。`
              : "未选择时，自动抄送主送单位所在地的司法行政机关。"}
          </span>
          <FormErrors errors={errors.copyOrgIds} />
        </fieldset>
        <div className="flex flex-col gap-3">
          <TextField
            label="回复期限"
            name="replyDue"
            type="date"
            min={received}
            value={effectiveDue}
            onChange={(e) => setDue(e.target.value)}
            errors={errors.replyDue}
            hint={
              kind
                ? `默认${replyPeriodLabel(kind)}${defaultDue ? `：${formatDate(endOfChinaDay(defaultDue))}` : ""}`
                : "选择种类和收到日期后自动计算"
            }
          />
          {changed || errors.replyDueReason ? (
            <TextField
              label="调整期限的理由"
              name="replyDueReason"
              required
              maxLength={300}
              errors={errors.replyDueReason}
              placeholder="例如：经与发出单位协商，整改涉及跨部门事项"
            />
          ) : null}
        </div>
      </div>
    </Card>
  );
}

function ProblemsCard({
  limits,
  errors,
  problems,
}: {
  limits: SerializeFrom<typeof loader>["limits"];
  errors: Errors;
  problems: string;
}) {
  return (
    <Card title="指出的问题与原件">
      <div className="grid gap-4">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">问题清单（每行一条，将带入整改方案）</span>
          <textarea
            name="problems"
            rows={5}
            defaultValue={problems}
            maxLength={5000}
            className="rounded-md border border-slate-300 px-3 py-2"
            placeholder={"例如：\n食品经营许可现场核查流于形式\n对不符合条件的申请人违规发证"}
          />
          <FormErrors errors={errors.problems} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">原件扫描件（可选）</span>
          <input
            type="file"
            name="original"
            accept={limits.extensions.map((e) => `.${e}`).join(",")}
            className="text-sm"
          />
          <span className="text-xs text-slate-500">
            支持 {limits.extensions.join("、")}，不超过 {limits.maxMb} MB。
          </span>
          <FormErrors errors={errors.original} />
        </label>
      </div>
    </Card>
  );
}
