import { useClueLive } from "~/realtime/use-clue-live";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect, type SerializeFrom } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Paperclip, ShieldCheck } from "lucide-react";
import { AuditTimeline } from "~/components/audit-timeline";
import {
  BackLink,
  Badge,
  Button,
  Card,
  DetailRow,
  FormErrors,
  Notice,
  ProgressSteps,
  SelectField,
  TextAreaField,
} from "~/components/ui";
import {
  CLUE_RELATION_LABELS,
  CLUE_SOURCE_LABELS,
  CLUE_STEPS,
  FEEDBACK_OUTCOME_LABELS,
  FEEDBACK_OUTCOMES,
  clueRouteLabel,
  clueStatusLabel,
  feedbackOutcomeLabel,
  feedbackState,
  receiptState,
} from "~/domain/clue";
import { formatDate, formatDateTime } from "~/domain/dates";
import { invalid } from "~/domain/errors";
import { clueAbilities } from "~/policies/clue";
import { requireUser } from "~/services/auth/current-user.server";
import { loadCluePage, requireReadableClue } from "~/services/clue-pages.server";
import {
  closeClue,
  giveClueFeedback,
  grantClueAccess,
  receiveClue,
  returnClue,
  revokeClueAccess,
  startHandlingClue,
} from "~/services/clues.server";
import { commandContext } from "~/services/context.server";
import { MAX_ATTACHMENT_BYTES, uploadLimits } from "~/services/uploads.server";
import { FilesField, fileSizeLabel } from "~/components/files-field";
import { orThrowHttp, runAction } from "~/utils/errors";
import { formFiles, isMultipart, readFormData, readMultipartForm } from "~/utils/request.server";
import { useResetAfterSuccess } from "~/utils/use-reset-after-success";
import { hasControlChars, idField, invalidInput, z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `线索 ${data?.clue.docNumber ?? ""} · 会商协同` },
];

/** Every load of this page is a read of the clue: recorded (`clue.viewed`) before the clue is read. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { facts, relation } = await orThrowHttp(() => requireReadableClue(user, params.clueId));
  const page = await orThrowHttp(() => loadCluePage(user, facts, commandContext(request, context)));
  const { clue: c, names } = page;
  const now = new Date();
  const files = c.files.map((f) => ({ id: f.id, name: f.fileName, size: f.size, part: f.cluePart }));
  return json({
    relation: CLUE_RELATION_LABELS[relation],
    abilities: clueAbilities(user.actor, facts),
    limits: uploadLimits(),
    clue: {
      id: c.id,
      docNumber: c.docNumber,
      category: clueRouteLabel(c.route),
      source: (CLUE_SOURCE_LABELS as Record<string, string>)[c.source] ?? c.source,
      summary: c.summary,
      involvedUnits: c.involvedUnits,
      involvedPersons: c.involvedPersons,
      status: c.status,
      statusLabel: clueStatusLabel(c.status),
      from: c.fromOrg.name,
      to: c.toOrg.name,
      transferredAt: formatDateTime(c.transferredAt),
      receiptDue: formatDate(c.receiptDueAt),
      receipt: receiptState(c, now),
      received: c.receivedAt ? { at: formatDateTime(c.receivedAt), by: names.get(c.receivedById ?? "") ?? "—" } : null,
      needsFeedback: c.needsFeedback,
      feedbackDue: c.feedbackDueAt ? formatDate(c.feedbackDueAt) : null,
      feedbackState: feedbackState(c, now),
      handlingAt: c.handlingAt ? formatDateTime(c.handlingAt) : null,
      returned: c.returnedAt ? { at: formatDateTime(c.returnedAt), reason: c.returnedReason ?? "" } : null,
      feedback: c.feedbackAt
        ? {
            outcome: feedbackOutcomeLabel(c.feedbackOutcome),
            text: c.feedbackText ?? "",
            at: formatDateTime(c.feedbackAt),
            by: names.get(c.feedbackById ?? "") ?? "—",
          }
        : null,
      closedAt: c.closedAt ? formatDateTime(c.closedAt) : null,
      transferFiles: files.filter((f) => f.part !== "FEEDBACK"),
      feedbackFiles: files.filter((f) => f.part === "FEEDBACK"),
      grants: c.grants.map((g) => ({ id: g.org.id, name: g.org.name, at: formatDate(g.createdAt) })),
    },
    grantable: page.grantable,
    timeline: page.timeline,
    reads: page.reads,
  });
}

const reason = z
  .string({ required_error: "请填写退回原因" })
  .max(500, "不能超过 500 个字符")
  .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, "请填写退回原因");
const feedbackText = z
  .string({ required_error: "请填写办理情况说明" })
  .max(2000, "不能超过 2000 个字符")
  .refine((s) => !hasControlChars(s), "包含不允许的控制字符")
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, "请填写办理情况说明");

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["receive", "startHandling", "close"]) }),
  z.object({ intent: z.literal("return"), reason }),
  z.object({
    intent: z.literal("feedback"),
    outcome: z.enum(FEEDBACK_OUTCOMES, { errorMap: () => ({ message: "请选择办理结果" }) }),
    text: feedbackText,
  }),
  z.object({ intent: z.enum(["grant", "revoke"]), orgId: idField }),
]);

/** 反馈 may come as multipart (its materials); every intent is read from either kind of form. */
async function readIntentForm(request: Request) {
  if (!isMultipart(request)) return { form: await readFormData(request), files: [] };
  const read = await readMultipartForm(request, MAX_ATTACHMENT_BYTES);
  if (!read.ok) throw invalid(read.message, { files: [read.message] });
  return { form: read.form, files: await formFiles(read.form, "files") };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await orThrowHttp(() => requireReadableClue(user, params.clueId));
  const ctx = commandContext(request, context);
  const here = `/clues/${facts.id}`;
  return runAction(async () => {
    const { form, files } = await readIntentForm(request);
    const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
    const parsed = Intent.safeParse(fields);
    if (!parsed.success)
      throw parsed.error.issues[0]?.path[0] === "intent" ? invalid("未知的操作。") : invalidInput(parsed.error);
    const v = parsed.data;
    switch (v.intent) {
      case "receive":
        await receiveClue(user, facts.id, ctx);
        return redirect(`${here}?done=received`);
      case "return":
        await returnClue(user, facts.id, v.reason, ctx);
        return redirect(`${here}?done=returned`);
      case "startHandling":
        await startHandlingClue(user, facts.id, ctx);
        return redirect(`${here}?done=handling`);
      case "feedback":
        await giveClueFeedback(user, facts.id, { outcome: v.outcome, text: v.text, files }, ctx);
        return redirect(`${here}?done=feedback`);
      case "close":
        await closeClue(user, facts.id, ctx);
        return redirect(`${here}?done=closed`);
      case "grant":
        await grantClueAccess(user, facts.id, v.orgId, ctx);
        return redirect(`${here}?done=granted`);
      case "revoke":
        await revokeClueAccess(user, facts.id, v.orgId, ctx);
        return redirect(`${here}?done=revoked`);
    }
  });
}

const DONE: Record<string, string> = {
  transferred: "线索已移送，接收单位的督办协调员已收到通知。",
  received: "线索已签收。",
  returned: "线索已退回，移送单位已收到通知。",
  handling: "已开始办理。",
  feedback: "办理结果已反馈，移送单位已收到通知。",
  closed: "线索已办结。",
  granted: "已授权查阅。",
  revoked: "已撤销查阅授权。",
};

type Data = SerializeFrom<typeof loader>;
type Clue = Data["clue"];
type Errors = Record<string, string[] | undefined>;

export default function CluePage() {
  const data = useLoaderData<typeof loader>();
  const { clue, abilities } = data;
  // The other unit's 签收, 反馈… show here at once.
  useClueLive(clue.id);
  const actionData = useActionData<typeof action>();
  const errors: Errors = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const done = params.get("done");
  const resetKey = useResetAfterSuccess();
  return (
    <div className="flex flex-col gap-4">
      <ClueHeader clue={clue} relation={data.relation} />
      {done && DONE[done] ? <Notice tone="success">{DONE[done]}</Notice> : null}
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      {clue.returned ? (
        <Notice>
          该线索已于 {clue.returned.at} 被{clue.to}退回。退回原因：{clue.returned.reason}
        </Notice>
      ) : (
        <ProgressSteps steps={CLUE_STEPS.map((s) => ({ key: s, label: clueStatusLabel(s) }))} current={clue.status} />
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex flex-col gap-4 lg:col-span-2">
          <BasicInfo clue={clue} />
          <ContentCard clue={clue} />
          {clue.feedback ? <FeedbackResult clue={clue} /> : null}
        </div>
        <div className="flex flex-col gap-4">
          <ActionsCard key={`actions-${resetKey}`} data={data} errors={errors} busy={busy} />
          {abilities.grant || clue.grants.length ? (
            <GrantsCard key={`grants-${resetKey}`} data={data} errors={errors} busy={busy} />
          ) : null}
          <Card title="办理记录">
            <AuditTimeline entries={data.timeline} />
          </Card>
          <Card title="查阅记录">
            <AuditTimeline entries={data.reads} />
          </Card>
        </div>
      </div>
    </div>
  );
}

function ClueHeader({ clue, relation }: { clue: Clue; relation: string }) {
  return (
    <div>
      <BackLink to="/clues" label="线索移送" />
      <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold text-slate-900">
        线索 {clue.docNumber}
        <span data-testid="clue-status">
          <Badge tone={clue.status === "RETURNED" ? "slate" : clue.status === "CLOSED" ? "green" : "blue"}>
            {clue.statusLabel}
          </Badge>
        </span>
        <span data-testid="receipt-state">
          <Badge tone={clue.receipt.tone}>{clue.receipt.label}</Badge>
        </span>
      </h1>
      <p className="mt-1 text-sm text-slate-500">
        {clue.category} · {clue.from} → {clue.to} · {relation}
      </p>
    </div>
  );
}

function BasicInfo({ clue }: { clue: Clue }) {
  return (
    <Card title="基本信息">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <DetailRow label="移送单位" value={clue.from} />
        <DetailRow label="接收单位" value={clue.to} />
        <DetailRow label="线索类别" value={clue.category} />
        <DetailRow label="线索来源" value={clue.source} />
        <DetailRow label="移送时间" value={clue.transferredAt} />
        <DetailRow label="签收期限" value={clue.receiptDue} />
        <DetailRow
          label="签收情况"
          value={clue.received ? `${clue.received.by}于 ${clue.received.at} 签收` : clue.receipt.label}
          testId="received"
        />
        <DetailRow
          label="反馈要求"
          value={clue.needsFeedback ? `需要反馈，期限 ${clue.feedbackDue}` : "无需反馈"}
          testId="feedback-due"
        />
        {clue.handlingAt ? <DetailRow label="开始办理" value={clue.handlingAt} /> : null}
        {clue.closedAt ? <DetailRow label="办结时间" value={clue.closedAt} /> : null}
      </dl>
    </Card>
  );
}

function FileList({ clueId, files, empty }: { clueId: string; files: Clue["transferFiles"]; empty: string }) {
  if (!files.length) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ul className="flex flex-col gap-1 text-sm">
      {files.map((f) => (
        <li key={f.id}>
          <a
            href={`/clues/${clueId}/files/${f.id}`}
            className="inline-flex items-center gap-1 text-brand-700 hover:underline"
          >
            <Paperclip className="h-3.5 w-3.5" aria-hidden />
            {f.name}
          </a>
          <span className="ml-1 text-xs text-slate-500">{fileSizeLabel(f.size)}</span>
        </li>
      ))}
    </ul>
  );
}

function ContentCard({ clue }: { clue: Clue }) {
  return (
    <Card title="线索内容">
      <div className="flex flex-col gap-3 text-sm">
        <section>
          <h3 className="font-medium text-slate-700">问题摘要</h3>
          <p className="whitespace-pre-wrap text-slate-800" data-testid="clue-summary">
            {clue.summary}
          </p>
        </section>
        <section>
          <h3 className="font-medium text-slate-700">涉及单位</h3>
          <p className="whitespace-pre-wrap text-slate-800">{clue.involvedUnits || "无"}</p>
        </section>
        <section className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2">
          <h3 className="flex items-center gap-1 font-medium text-amber-900">
            <ShieldCheck className="h-4 w-4" aria-hidden />
            涉及人员（仅限办理人员查看）
          </h3>
          <p className="whitespace-pre-wrap text-slate-800" data-testid="involved-persons">
            {clue.involvedPersons || "无"}
          </p>
        </section>
        <section>
          <h3 className="font-medium text-slate-700">移送材料</h3>
          <FileList clueId={clue.id} files={clue.transferFiles} empty="未附移送材料。" />
        </section>
      </div>
    </Card>
  );
}

function FeedbackResult({ clue }: { clue: Clue }) {
  const f = clue.feedback!;
  return (
    <Card title="办理结果反馈">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <DetailRow label="办理结果" value={f.outcome ?? "—"} testId="feedback-outcome" />
        <DetailRow label="反馈时间" value={`${f.at}（${f.by}，${clue.feedbackState.label}）`} />
      </dl>
      <p className="mt-3 whitespace-pre-wrap text-sm text-slate-800">{f.text}</p>
      <div className="mt-3">
        <h3 className="text-sm font-medium text-slate-700">反馈材料</h3>
        <FileList clueId={clue.id} files={clue.feedbackFiles} empty="未附反馈材料。" />
      </div>
    </Card>
  );
}

/** The buttons of the state the clue is in, for who may press them. */
function ActionsCard({ data, errors, busy }: { data: Data; errors: Errors; busy: boolean }) {
  const { abilities, clue } = data;
  const any = abilities.receive || abilities.return || abilities.startHandling || abilities.feedback || abilities.close;
  return (
    <Card title="办理">
      {!any ? (
        <p className="text-sm text-slate-500">当前没有需要您办理的操作。</p>
      ) : (
        <div className="flex flex-col gap-4">
          {abilities.receive || abilities.startHandling || abilities.close ? (
            <div className="flex flex-wrap gap-2">
              {abilities.receive ? <IntentButton intent="receive" label="签收" busy={busy} /> : null}
              {abilities.startHandling ? <IntentButton intent="startHandling" label="开始办理" busy={busy} /> : null}
              {abilities.close ? <IntentButton intent="close" label="办结" busy={busy} /> : null}
            </div>
          ) : null}
          {abilities.feedback ? <FeedbackForm limits={data.limits} errors={errors} busy={busy} /> : null}
          {abilities.return ? <ReturnForm errors={errors} busy={busy} toName={clue.to} /> : null}
        </div>
      )}
    </Card>
  );
}

function IntentButton({ intent, label, busy }: { intent: string; label: string; busy: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" disabled={busy}>
        {label}
      </Button>
    </Form>
  );
}

function ReturnForm({ errors, busy, toName }: { errors: Errors; busy: boolean; toName: string }) {
  return (
    <Form method="post" className="flex flex-col gap-2 border-t border-slate-100 pt-3">
      <input type="hidden" name="intent" value="return" />
      <TextAreaField
        label="退回原因"
        name="reason"
        rows={2}
        maxLength={500}
        errors={errors.reason}
        hint={`不属于${toName}管辖或材料不全时退回，并写明原因。`}
      />
      <div>
        <Button type="submit" variant="secondary" disabled={busy}>
          退回
        </Button>
      </div>
    </Form>
  );
}

function FeedbackForm({ limits, errors, busy }: { limits: Data["limits"]; errors: Errors; busy: boolean }) {
  return (
    <Form method="post" encType="multipart/form-data" className="flex flex-col gap-2 border-t border-slate-100 pt-3">
      <input type="hidden" name="intent" value="feedback" />
      <SelectField
        label="办理结果"
        name="outcome"
        required
        placeholder="请选择"
        errors={errors.outcome}
        options={FEEDBACK_OUTCOMES.map((o) => ({ value: o, label: FEEDBACK_OUTCOME_LABELS[o] }))}
      />
      <TextAreaField label="办理情况说明" name="text" required rows={4} maxLength={2000} errors={errors.text} />
      <FilesField label="反馈材料" limits={limits} errors={errors.files} />
      <div>
        <Button type="submit" disabled={busy}>
          反馈
        </Button>
      </div>
    </Form>
  );
}

/** 授权查阅: the upper-level 纪委监委 granted access, and the grant of another one. */
function GrantsCard({ data, errors, busy }: { data: Data; errors: Errors; busy: boolean }) {
  const { clue, abilities, grantable } = data;
  return (
    <Card title="授权查阅">
      {clue.grants.length ? (
        <ul className="flex flex-col gap-2 text-sm">
          {clue.grants.map((g) => (
            <li key={g.id} className="flex flex-wrap items-center justify-between gap-2">
              <span>
                {g.name}
                <span className="ml-1 text-xs text-slate-500">{g.at} 授权</span>
              </span>
              {abilities.grant ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="orgId" value={g.id} />
                  <Button type="submit" variant="ghost" disabled={busy}>
                    撤销授权
                  </Button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">未授权其他单位查阅。</p>
      )}
      {abilities.grant && grantable.length ? (
        <Form method="post" className="mt-3 flex flex-col gap-2 border-t border-slate-100 pt-3">
          <input type="hidden" name="intent" value="grant" />
          <SelectField
            label="授权上级纪检监察机关查阅"
            name="orgId"
            placeholder="请选择"
            errors={errors.orgId}
            options={grantable.map((o) => ({ value: o.id, label: o.name }))}
          />
          <div>
            <Button type="submit" variant="secondary" disabled={busy}>
              授权
            </Button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}
