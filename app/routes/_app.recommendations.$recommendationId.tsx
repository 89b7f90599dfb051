import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useResetAfterSuccess } from "~/utils/use-reset-after-success";
import { ArrowUpRight, FileText, Paperclip, Send, ShieldCheck } from "lucide-react";
import { AuditTimeline } from "~/components/audit-timeline";
import { ExportButton } from "~/components/export-button";
import { BackLink, Badge, Button, Card, DetailRow, FormErrors, Notice, ProgressSteps } from "~/components/ui";
import { DOCUMENT_STATUS_LABELS, type DocumentStatus } from "~/domain/document";
import { recommendationAbilities } from "~/policies/recommendation";
import {
  RECOMMENDATION_KIND_LABELS,
  RECOMMENDATION_STATUS_LABELS,
  RECOMMENDATION_STATUSES,
  RELATION_LABELS,
  replyState,
  type RecommendationKind,
  type RecommendationStatus,
} from "~/domain/recommendation";
import { isOverdue, ITEM_STATUS_LABELS, type ItemStatus } from "~/domain/tracked-item";
import { invalid } from "~/domain/errors";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { loadRecommendationPage, requireReadableRecommendation } from "~/services/recommendation-pages.server";
import {
  attachOriginal,
  changeReplyDue,
  closeRecommendation,
  createPlan,
  prepareReply,
  sendReply,
} from "~/services/recommendations.server";
import { ALLOWED_ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES } from "~/services/uploads.server";
import { chinaDay, formatDate, formatDateTime, isIsoDay } from "~/domain/dates";
import { orThrowHttp, runAction } from "~/utils/errors";
import { formFiles, isMultipart, readFormData, readMultipartForm } from "~/utils/request.server";
import { optionalText, text, z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.rec.title ?? "建议书"} · 会商协同` }];

async function requireRecommendation(request: Request, id: string | undefined) {
  const user = await requireUser(request);
  const { facts, relation } = await orThrowHttp(() => requireReadableRecommendation(user, id));
  return { user, facts, relation };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, facts, relation } = await requireRecommendation(request, params.recommendationId);
  const { rec, measures, timeline } = await orThrowHttp(() => loadRecommendationPage(facts));
  const now = new Date();
  return json({
    relation: RELATION_LABELS[relation],
    abilities: recommendationAbilities(user.actor, facts),
    limits: { maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024, extensions: ALLOWED_ATTACHMENT_EXTENSIONS },
    rec: {
      id: rec.id,
      kind: RECOMMENDATION_KIND_LABELS[rec.kind as RecommendationKind] ?? rec.kind,
      docNumber: rec.docNumber,
      title: rec.title,
      problems: rec.problems
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
      status: rec.status,
      statusLabel: RECOMMENDATION_STATUS_LABELS[rec.status as RecommendationStatus] ?? rec.status,
      issuer: rec.issuerOrg.name,
      recipient: rec.recipientOrg.name,
      copies: rec.copies.map((c) => c.org.name),
      issuedOn: formatDate(rec.issuedOn),
      receivedOn: formatDate(rec.receivedOn),
      receivedIso: chinaDay(rec.receivedOn),
      replyDue: formatDate(rec.replyDueDate),
      replyDueIso: chinaDay(rec.replyDueDate),
      replyDueReason: rec.replyDueReason,
      reply: replyState(rec, now),
      repliedAt: rec.repliedAt ? formatDateTime(rec.repliedAt) : null,
      closedAt: rec.closedAt ? formatDateTime(rec.closedAt) : null,
      files: rec.files.map((f) => ({ id: f.id, name: f.fileName, size: f.size })),
      plan: rec.planDocument
        ? {
            id: rec.planDocument.id,
            title: rec.planDocument.title,
            status: DOCUMENT_STATUS_LABELS[rec.planDocument.status as DocumentStatus] ?? rec.planDocument.status,
            final: rec.planDocument.status === "FINALIZED",
          }
        : null,
      replyDoc: rec.replyDocument
        ? {
            id: rec.replyDocument.id,
            title: rec.replyDocument.title,
            final: rec.replyDocument.status === "FINALIZED",
            hash: rec.replyDocument.finalHash,
          }
        : null,
    },
    measures: measures.map((m) => ({
      id: m.id,
      number: m.number,
      wording: m.wording,
      lead: m.leadOrg?.name ?? "未指定",
      responsible: m.responsible,
      standard: m.standard,
      due: m.dueDate ? formatDate(m.dueDate) : "未设定",
      status: m.status,
      statusLabel: ITEM_STATUS_LABELS[m.status as ItemStatus] ?? m.status,
      overdue: isOverdue(m, now),
      progress: m.lastProgressText,
      progressAt: m.lastProgressAt ? formatDate(m.lastProgressAt) : null,
    })),
    timeline,
  });
}

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("changeReplyDue"),
    replyDue: z.string({ required_error: "请选择新的回复期限" }).refine(isIsoDay, "日期格式应为 2026-03-12"),
    reason: text({ max: 300 }),
  }),
  z.object({ intent: z.enum(["createPlan", "prepareReply", "sendReply"]) }),
  z.object({ intent: z.literal("close"), comment: optionalText({ max: 500 }) }),
]);

/** 上传原件 comes as multipart (the file); every other intent url-encoded. */
async function attachFromForm(request: Request) {
  const read = await readMultipartForm(request, MAX_ATTACHMENT_BYTES);
  if (!read.ok) throw invalid(read.message);
  if (read.form.get("intent") !== "attachOriginal") throw invalid("未知的操作。");
  const [file] = await formFiles(read.form, "original");
  if (!file) throw invalid("请选择要上传的原件。");
  return file;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, facts } = await requireRecommendation(request, params.recommendationId);
  const ctx = commandContext(request, context);
  const here = `/recommendations/${facts.id}`;
  return runAction(async () => {
    if (isMultipart(request)) {
      await attachOriginal(user, facts.id, await attachFromForm(request), ctx);
      return redirect(`${here}?done=attached`);
    }
    const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)));
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? "未知的操作。");
    const v = parsed.data;
    switch (v.intent) {
      case "changeReplyDue":
        await changeReplyDue(user, facts.id, { replyDue: v.replyDue, reason: v.reason }, ctx);
        return redirect(`${here}?done=due`);
      case "createPlan":
        return redirect(`/documents/${(await createPlan(user, facts.id, ctx)).documentId}`);
      case "prepareReply":
        return redirect(`/documents/${(await prepareReply(user, facts.id, ctx)).documentId}`);
      case "sendReply": {
        const { late } = await sendReply(user, facts.id, ctx);
        return redirect(`${here}?done=${late ? "repliedLate" : "replied"}`);
      }
      case "close":
        await closeRecommendation(user, facts.id, v.comment, ctx);
        return redirect(`${here}?done=closed`);
    }
  });
}

const DONE: Record<string, string> = {
  registered: "建议书已登记，主送单位和抄送单位已收到通知。",
  attached: "原件已上传。",
  due: "回复期限已调整。",
  replied: "书面回复已发出（按期）。",
  repliedLate: "书面回复已发出，已超过回复期限，记为逾期回复。",
  closed: "建议书已销号。",
};

const STATUS_TONES: Record<string, "slate" | "blue" | "amber" | "green" | "red"> = {
  NOT_STARTED: "slate",
  IN_PROGRESS: "blue",
  DONE: "amber",
  CLOSED: "green",
  DRAFT: "slate",
};

type RecData = SerializeFrom<typeof loader>;
type Rec = RecData["rec"];
type Abilities = RecData["abilities"];

export default function RecommendationPage() {
  const { rec, measures, abilities, relation, timeline, limits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [params] = useSearchParams();
  const done = params.get("done");
  // Forms that stay on the page start empty again after a successful submission.
  const resetKey = useResetAfterSuccess();
  return (
    <div className="flex flex-col gap-4">
      <RecommendationHeader rec={rec} relation={relation} />
      {done && DONE[done] ? <Notice tone="success">{DONE[done]}</Notice> : null}
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      <ProgressSteps
        steps={RECOMMENDATION_STATUSES.map((s) => ({ key: s, label: RECOMMENDATION_STATUS_LABELS[s] }))}
        current={rec.status}
      />

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex flex-col gap-4 lg:col-span-2">
          <BasicInfo rec={rec} />
          <PlanCard rec={rec} measures={measures} canCreate={abilities.createPlan} busy={busy} />
          <ReplyCard rec={rec} abilities={abilities} busy={busy} />
        </div>

        <div className="flex flex-col gap-4">
          {abilities.close ? <CloseCard key={`close-${resetKey}`} busy={busy} /> : null}
          <OriginalsCard
            key={`originals-${resetKey}`}
            rec={rec}
            canAttach={abilities.attachOriginal}
            limits={limits}
            busy={busy}
          />
          {abilities.changeReplyDue ? <ReplyDueCard key={`due-${resetKey}`} rec={rec} busy={busy} /> : null}

          <Card title="办理记录">
            <AuditTimeline entries={timeline} />
          </Card>
        </div>
      </div>
    </div>
  );
}

function RecommendationHeader({ rec, relation }: { rec: Rec; relation: string }) {
  return (
    <div>
      <BackLink to="/recommendations" label="建议书与整改" />
      <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold text-slate-900">
        {rec.title}
        <span data-testid="recommendation-status">
          <Badge tone={rec.status === "CLOSED" ? "green" : rec.status === "REPLIED" ? "green" : "blue"}>
            {rec.statusLabel}
          </Badge>
        </span>
        <span data-testid="reply-state">
          <Badge tone={rec.reply.tone}>{rec.reply.label}</Badge>
        </span>
      </h1>
      <p className="mt-1 text-sm text-slate-500">
        {rec.kind} · {rec.docNumber} · {relation}
      </p>
    </div>
  );
}

function BasicInfo({ rec }: { rec: Rec }) {
  return (
    <Card title="基本信息">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <DetailRow label="发出单位" value={rec.issuer} />
        <DetailRow label="主送单位" value={rec.recipient} />
        <DetailRow label="抄送单位" value={rec.copies.join("、") || "无"} />
        <DetailRow label="发出日期" value={rec.issuedOn} />
        <DetailRow label="收到日期" value={rec.receivedOn} />
        <DetailRow
          label="回复期限"
          value={`${rec.replyDue}${rec.replyDueReason ? `（已调整：${rec.replyDueReason}）` : ""}`}
          testId="reply-due"
        />
        {rec.repliedAt ? <DetailRow label="书面回复时间" value={`${rec.repliedAt}（${rec.reply.label}）`} /> : null}
        {rec.closedAt ? <DetailRow label="销号时间" value={rec.closedAt} /> : null}
      </dl>
      {rec.problems.length ? (
        <div className="mt-4 border-t border-slate-100 pt-3">
          <h3 className="text-sm font-medium text-slate-700">指出的问题</h3>
          <ol className="mt-1 list-decimal pl-5 text-sm text-slate-700">
            {rec.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ol>
        </div>
      ) : null}
    </Card>
  );
}

/** 整改方案与措施: the plan's link, or its creation, and the measures with their progress. */
function PlanCard({
  rec,
  measures,
  canCreate,
  busy,
}: {
  rec: Rec;
  measures: RecData["measures"];
  canCreate: boolean;
  busy: boolean;
}) {
  return (
    <Card
      title="整改方案与措施"
      actions={
        rec.plan ? (
          <Link
            to={`/documents/${rec.plan.id}`}
            className="inline-flex items-center gap-1 text-sm text-brand-700 hover:underline"
          >
            打开整改方案（{rec.plan.status}）
            <ArrowUpRight className="h-4 w-4" aria-hidden />
          </Link>
        ) : null
      }
    >
      {!rec.plan ? (
        canCreate ? (
          <Form method="post" className="flex flex-wrap items-center gap-3">
            <input type="hidden" name="intent" value="createPlan" />
            <Button type="submit" disabled={busy}>
              制定整改方案
            </Button>
            <span className="text-sm text-slate-500">
              按模板生成整改方案（问题清单、整改措施、责任单位、责任人、整改时限、整改标准），抄送单位共同起草、会签。
            </span>
          </Form>
        ) : (
          <p className="text-sm text-slate-500">主送单位尚未制定整改方案。</p>
        )
      ) : measures.length === 0 ? (
        <p className="text-sm text-slate-500">整改方案中还没有整改措施。</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="measures">
            <caption className="sr-only">整改措施及进展</caption>
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="min-w-[14rem] py-1 pr-3 font-medium">整改措施</th>
                <th className="min-w-[9rem] py-1 pr-3 font-medium">责任单位 / 责任人</th>
                <th className="py-1 pr-3 font-medium">整改时限</th>
                <th className="py-1 pr-3 font-medium">状态</th>
                <th className="min-w-[12rem] py-1 font-medium">最新进展</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {measures.map((m) => (
                <tr key={m.id} data-testid="measure-row">
                  <td className="py-2 pr-3 align-top">
                    <Link to={`/items/${m.id}`} className="font-medium text-brand-700 hover:underline">
                      {m.number}. {m.wording || "（未填写）"}
                    </Link>
                    {m.standard ? <span className="block text-xs text-slate-500">标准：{m.standard}</span> : null}
                  </td>
                  <td className="py-2 pr-3 align-top">
                    {m.lead}
                    {m.responsible ? <span className="block text-xs text-slate-500">{m.responsible}</span> : null}
                  </td>
                  <td className="whitespace-nowrap py-2 pr-3 align-top">{m.due}</td>
                  <td className="whitespace-nowrap py-2 pr-3 align-top">
                    <Badge tone={STATUS_TONES[m.status] ?? "slate"}>{m.statusLabel}</Badge>
                    {m.overdue ? (
                      <span className="ml-1">
                        <Badge tone="red">逾期</Badge>
                      </span>
                    ) : null}
                  </td>
                  <td className="py-2 align-top text-slate-600">
                    {m.progress ? `${m.progress}${m.progressAt ? `（${m.progressAt}）` : ""}` : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** 书面回复: the reply draft (or its generation), its exports and its sending. */
function ReplyCard({ rec, abilities, busy }: { rec: Rec; abilities: Abilities; busy: boolean }) {
  return (
    <Card title="书面回复">
      {rec.replyDoc ? (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <Link
              to={`/documents/${rec.replyDoc.id}`}
              className="inline-flex items-center gap-1 font-medium text-brand-700 hover:underline"
            >
              <FileText className="h-4 w-4" aria-hidden />
              {rec.replyDoc.title}
            </Link>
            <Badge tone={rec.replyDoc.final ? "green" : "blue"}>{rec.replyDoc.final ? "已发出" : "修改中"}</Badge>
          </div>
          <div className="flex flex-wrap gap-2">
            <ExportButton
              href={`/documents/${rec.replyDoc.id}/export/docx`}
              label={rec.replyDoc.final ? "导出 Word" : "导出 Word（草稿）"}
              fallbackName={`${rec.replyDoc.title}.docx`}
            />
            {rec.replyDoc.final ? (
              <Link
                to={`/documents/${rec.replyDoc.id}/verify`}
                className="inline-flex items-center gap-1 rounded-md border border-green-300 bg-green-50 px-3 py-1.5 text-sm font-medium text-green-800 shadow-sm hover:bg-green-100"
              >
                <ShieldCheck className="h-4 w-4" aria-hidden />
                定稿校验
              </Link>
            ) : null}
          </div>
          {rec.replyDoc.hash ? (
            <p className="break-all text-xs text-slate-500">
              SHA-256：<code className="font-mono">{rec.replyDoc.hash}</code>
            </p>
          ) : null}
          {abilities.sendReply ? (
            <Form
              method="post"
              className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3"
              onSubmit={(e) => {
                if (!window.confirm("发出后书面回复不可再修改，发出单位将收到回复。确定发出？")) e.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="sendReply" />
              <Button type="submit" disabled={busy}>
                <Send className="h-4 w-4" aria-hidden />
                发出书面回复
              </Button>
              <span className="text-sm text-slate-500">
                回复期限 {rec.replyDue}
                {rec.reply.overdue ? "，现已逾期，发出后记为逾期回复" : ""}。
              </span>
            </Form>
          ) : null}
        </div>
      ) : abilities.prepareReply ? (
        <Form method="post" className="flex flex-wrap items-center gap-3">
          <input type="hidden" name="intent" value="prepareReply" />
          <Button type="submit" disabled={busy}>
            生成书面回复
          </Button>
          <span className="text-sm text-slate-500">根据整改方案和各项措施的最新进展生成回复稿，修改后发出。</span>
        </Form>
      ) : (
        <p className="text-sm text-slate-500">
          {rec.plan?.final ? "主送单位尚未生成书面回复。" : "整改方案会签定稿后，主送单位可生成书面回复。"}
        </p>
      )}
    </Card>
  );
}

function CloseCard({ busy }: { busy: boolean }) {
  return (
    <Card title="销号">
      <Form method="post" className="flex flex-col gap-2">
        <input type="hidden" name="intent" value="close" />
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">审核意见（可选）</span>
          <textarea name="comment" rows={2} maxLength={500} className="rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <div>
          <Button type="submit" disabled={busy}>
            确认整改并销号
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function OriginalsCard({
  rec,
  canAttach,
  limits,
  busy,
}: {
  rec: Rec;
  canAttach: boolean;
  limits: RecData["limits"];
  busy: boolean;
}) {
  return (
    <Card title="原件">
      {rec.files.length ? (
        <ul className="flex flex-col gap-1 text-sm">
          {rec.files.map((f) => (
            <li key={f.id}>
              <a
                href={`/recommendations/${rec.id}/files/${f.id}`}
                className="inline-flex items-center gap-1 text-brand-700 hover:underline"
              >
                <Paperclip className="h-3.5 w-3.5" aria-hidden />
                {f.name}
              </a>
              <span className="ml-1 text-xs text-slate-500">{Math.max(1, Math.round(f.size / 1024))} KB</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">未上传原件。</p>
      )}
      {canAttach ? (
        <Form
          method="post"
          encType="multipart/form-data"
          className="mt-3 flex flex-col gap-2 border-t border-slate-100 pt-3"
        >
          <input type="hidden" name="intent" value="attachOriginal" />
          <input
            type="file"
            name="original"
            required
            accept={limits.extensions.map((e) => `.${e}`).join(",")}
            aria-label="选择原件文件"
            className="text-sm"
          />
          <span className="text-xs text-slate-500">
            {limits.extensions.join("、")}，不超过 {limits.maxMb} MB
          </span>
          <div>
            <Button type="submit" variant="secondary" disabled={busy}>
              上传原件
            </Button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}

function ReplyDueCard({ rec, busy }: { rec: Rec; busy: boolean }) {
  return (
    <Card title="调整回复期限">
      <Form method="post" className="flex flex-col gap-2">
        <input type="hidden" name="intent" value="changeReplyDue" />
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">新的回复期限</span>
          <input
            type="date"
            name="replyDue"
            required
            min={rec.receivedIso}
            defaultValue={rec.replyDueIso}
            className="rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">理由</span>
          <textarea
            name="reason"
            required
            rows={2}
            maxLength={300}
            className="rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
        <div>
          <Button type="submit" variant="secondary" disabled={busy}>
            调整
          </Button>
        </div>
      </Form>
    </Card>
  );
}
