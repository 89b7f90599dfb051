import { FilesField } from "~/components/files-field";
import { AuditTimeline } from "~/components/audit-timeline";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useResetAfterSuccess } from "~/utils/use-reset-after-success";
import { FileText, Paperclip } from "lucide-react";
import { BackLink, Badge, Button, Card, FormErrors, Notice } from "~/components/ui";
import { canRequestExtension, itemAbilities, releaseConfirmingOrgIds } from "~/policies/tracked-item";
import { documentAccess } from "~/policies/document";
import { loadDocumentFacts } from "~/models/document.server";
import {
  daysOverdue,
  extensionCutoff,
  FEEDBACK_CYCLE_LABELS,
  isOverdue,
  ITEM_KIND_LABELS,
  ITEM_KINDS,
  ITEM_STATUS_LABELS,
  itemLabels,
  type FeedbackCycle,
  type ItemKind,
  type ItemStatus,
} from "~/domain/tracked-item";
import { invalid } from "~/domain/errors";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { loadItemPage } from "~/services/item-page.server";
import { itemMentionCandidates } from "~/services/tracked-items.server";
import { MentionTextarea, type MentionText } from "~/components/mention-textarea";
import type { MentionCandidate } from "~/domain/comment";
import {
  decideExtension,
  decideRelease,
  reportProgress,
  requestExtension,
  requestRelease,
  requireReadableItem,
  transitionItem,
} from "~/services/tracked-items.server";
import { MAX_ATTACHMENT_BYTES, uploadLimits } from "~/services/uploads.server";
import { formatDate, formatDateTime, isIsoDay } from "~/domain/dates";
import { orThrowHttp, runAction } from "~/utils/errors";
import { formFiles, isMultipart, readFormData, readMultipartForm } from "~/utils/request.server";
import { idField, optionalText, text, z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.item.kindLabel} ${data.item.number}` : "事项"} · 会商协同` },
];

const STATUS_TONES: Record<string, "slate" | "blue" | "amber" | "green" | "red"> = {
  DRAFT: "slate",
  NOT_STARTED: "slate",
  IN_PROGRESS: "blue",
  DONE: "amber",
  CLOSED: "green",
  REMOVED: "slate",
};

const OWNER_LABELS: Record<ItemKind, string> = {
  AGREED_ITEM: "召集单位",
  SUPERVISED_CASE: "清单牵头单位",
  RECTIFICATION_MEASURE: "整改单位",
};

async function requireItem(request: Request, itemId: string | undefined) {
  const user = await requireUser(request);
  const facts = await orThrowHttp(() => requireReadableItem(user, itemId));
  return { user, facts };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireItem(request, params.itemId);
  const { item, people, orgNames, timeline, release, releaseNames } = await orThrowHttp(() => loadItemPage(facts));
  const now = new Date();
  const abilities = itemAbilities(user.actor, facts, now);
  const kind = (ITEM_KINDS as readonly string[]).includes(item.kind) ? (item.kind as ItemKind) : "AGREED_ITEM";
  const labels = itemLabels(kind);
  const myReleaseOrgs = new Set(releaseConfirmingOrgIds(user.actor, facts));
  const cutoff = extensionCutoff(facts);
  // Units that only follow the item (a supervising county bureau, a lead outside the meeting) read it
  // without being members of the minutes: the source is named, not linked.
  const sourceFacts = await loadDocumentFacts(item.sourceDocument.id);
  const sourceReadable = sourceFacts !== null && documentAccess(user.actor, sourceFacts) !== "none";
  return json({
    item: {
      id: item.id,
      kindLabel: ITEM_KIND_LABELS[item.kind as ItemKind] ?? item.kind,
      number: item.number,
      wording: item.wording,
      status: item.status,
      statusLabel: labels.statusLabel(item.status),
      labels: { lead: labels.lead, supporting: labels.supporting, due: labels.due },
      ownerLabel: OWNER_LABELS[kind],
      supervisors: item.orgs.filter((o) => o.role === "SUPERVISING").map((o) => o.org.name),
      responsible: item.responsible,
      standard: item.standard,
      extensionCutoff: kind === "SUPERVISED_CASE" && cutoff ? formatDate(cutoff) : null,
      // The lead could ask under the general rule, but a case's last month is closed to extensions.
      extensionClosed:
        !abilities.requestExtension && canRequestExtension(user.actor, { ...facts, kind: "AGREED_ITEM" }, now),
      overdueDays: daysOverdue(item, now),
      overdue: isOverdue(item, now),
      dueDate: item.dueDate ? formatDate(item.dueDate) : null,
      dueIso: item.dueDate ? item.dueDate.toISOString().slice(0, 10) : null,
      feedback: FEEDBACK_CYCLE_LABELS[item.feedbackCycle as FeedbackCycle] ?? item.feedbackCycle,
      owner: item.ownerOrg.name,
      lead: item.orgs.find((o) => o.role === "LEAD")?.org.name ?? null,
      supporting: item.orgs.filter((o) => o.role === "SUPPORTING").map((o) => o.org.name),
      activatedAt: item.activatedAt ? formatDateTime(item.activatedAt) : null,
      closedAt: item.closedAt ? formatDateTime(item.closedAt) : null,
      source: {
        id: item.sourceDocument.id,
        title: item.sourceDocument.title,
        issue: item.sourceDocument.consultation
          ? `${item.sourceDocument.consultation.series} 第${item.sourceDocument.consultation.number}期`
          : null,
        consultationId: item.sourceDocument.consultation?.id ?? null,
        readable: sourceReadable,
      },
    },
    reports: item.reports.map((r) => ({
      id: r.id,
      org: orgNames.get(r.orgId) ?? "",
      author: people.get(r.authorId) ?? "",
      text: r.text,
      newStatus: r.newStatus ? (ITEM_STATUS_LABELS[r.newStatus as ItemStatus] ?? r.newStatus) : null,
      at: formatDateTime(r.createdAt),
      attachments: r.attachments.map((a) => ({ id: a.id, name: a.fileName, size: a.size })),
    })),
    extensions: item.extensions.map((e) => ({
      id: e.id,
      reason: e.reason,
      from: formatDate(e.currentDue),
      to: formatDate(e.requestedDue),
      status: e.status,
      comment: e.decisionComment,
      at: formatDateTime(e.createdAt),
    })),
    timeline,
    abilities,
    mentionCandidates: abilities.report ? await itemMentionCandidates(facts) : [],
    release: {
      round: release.round,
      open: release.rows.some((r) => r.decision === "PENDING"),
      myTurn: release.rows.some((r) => r.decision === "PENDING" && myReleaseOrgs.has(r.orgId)),
      rows: release.rows.map((r) => ({
        org: releaseNames.get(r.orgId) ?? "",
        decision: r.decision,
        comment: r.comment,
        at: r.decidedAt ? formatDateTime(r.decidedAt) : null,
      })),
    },
    limits: uploadLimits(),
  });
}

const isoDate = z
  .string({ required_error: "请选择日期" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 2026-03-12")
  .refine(isIsoDay, "日期无效");
const comment = optionalText({ max: 500 });

/** The intents of the item page, one schema each (a switch dispatches them). */
const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("progress"),
    text: text({ max: 2000, label: "进展情况" }),
    newStatus: z.enum(["", "IN_PROGRESS", "DONE"], { errorMap: () => ({ message: "状态选择无效" }) }).default(""),
    mentionUser: z
      .array(idField, { invalid_type_error: "提及的人员无效" })
      .max(20, "一次最多提及 20 个人员或单位。")
      .default([]),
    mentionOrg: z
      .array(idField, { invalid_type_error: "提及的单位无效" })
      .max(20, "一次最多提及 20 个人员或单位。")
      .default([]),
  }),
  z.object({ intent: z.literal("extension"), newDate: isoDate, reason: text({ max: 500, label: "延期理由" }) }),
  z.object({
    intent: z.literal("decideExtension"),
    requestId: idField,
    decision: z.enum(["approve", "refuse"], { errorMap: () => ({ message: "请选择同意或不同意" }) }),
    comment,
  }),
  z.object({ intent: z.enum(["close", "sendBack", "reopen"]), comment }),
  z.object({ intent: z.literal("requestRelease"), comment }),
  z.object({ intent: z.enum(["confirmRelease", "returnRelease"]), comment }),
]);

/**
 * The submitted form: a progress report comes as multipart (its attachments), everything else
 * url-encoded; a progress report is accepted only as multipart, as the page sends it.
 */
async function readIntent(request: Request) {
  if (isMultipart(request)) {
    const read = await readMultipartForm(request, MAX_ATTACHMENT_BYTES);
    if (!read.ok) throw invalid(read.message);
    const form = read.form;
    if (form.get("intent") !== "progress") throw invalid("未知的操作。");
    const fields = {
      intent: "progress",
      text: form.get("text") ?? undefined,
      newStatus: form.get("newStatus") ?? "",
      mentionUser: form.getAll("mentionUser"),
      mentionOrg: form.getAll("mentionOrg"),
    };
    return { fields, files: await formFiles(form, "files") };
  }
  const fields = Object.fromEntries(await readFormData(request));
  if (fields.intent === "progress") throw invalid("未知的操作。");
  return { fields, files: [] };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, facts } = await requireItem(request, params.itemId);
  const ctx = commandContext(request, context);
  return runAction(async () => {
    const { fields, files } = await readIntent(request);
    const parsed = Intent.safeParse(fields);
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? "填写的内容有误。");
    const v = parsed.data;
    switch (v.intent) {
      case "progress":
        await reportProgress(
          user,
          facts.id,
          {
            text: v.text,
            newStatus: v.newStatus || null,
            files,
            mentions: { userIds: v.mentionUser, orgIds: v.mentionOrg },
          },
          ctx,
        );
        break;
      case "extension":
        await requestExtension(user, facts.id, { reason: v.reason, newDate: v.newDate }, ctx);
        break;
      case "decideExtension": {
        const decision = { requestId: v.requestId, approve: v.decision === "approve", comment: v.comment };
        await decideExtension(user, facts.id, decision, ctx);
        break;
      }
      case "close":
      case "sendBack":
      case "reopen":
        await transitionItem(user, facts.id, v.intent, v.comment, ctx);
        break;
      case "requestRelease":
        await requestRelease(user, facts.id, v.comment, ctx);
        break;
      case "confirmRelease":
      case "returnRelease":
        await decideRelease(user, facts.id, { approve: v.intent === "confirmRelease", comment: v.comment }, ctx);
        break;
    }
    return redirect(`/items/${facts.id}?done=${v.intent}`);
  });
}

const DONE_MESSAGES: Record<string, string> = {
  progress: "进展已报送。",
  extension: "延期申请已提交，等待审批。",
  decideExtension: "延期申请已处理。",
  close: "事项已销号。",
  sendBack: "已退回继续办理。",
  reopen: "事项已重新打开。",
  requestRelease: "已申请解除挂牌，等待其他督办单位确认。",
  confirmRelease: "已确认解除挂牌。",
  returnRelease: "已退回，案件继续办理。",
};

const RELEASE_DECISIONS: Record<string, string> = {
  PENDING: "待确认",
  APPROVED: "已确认",
  RETURNED: "已退回",
  CANCELLED: "本轮终止",
};

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

type ItemData = SerializeFrom<typeof loader>;
type Item = ItemData["item"];

export default function ItemPage() {
  const { item, reports, extensions, timeline, abilities, limits, release, mentionCandidates } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  // After a report, a request or a decision went through, its form starts empty again.
  const resetKey = useResetAfterSuccess();
  const [params] = useSearchParams();
  const done = params.get("done");
  const pending = extensions.find((e) => e.status === "PENDING");
  return (
    <div className="flex flex-col gap-4">
      <ItemHeader item={item} />
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      {done && DONE_MESSAGES[done] ? <Notice tone="success">{DONE_MESSAGES[done]}</Notice> : null}
      {item.status === "DRAFT" ? (
        <Notice>所在纪要尚未定稿，事项处于草拟状态；定稿后开始跟踪，完成时限开始计算。</Notice>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex flex-col gap-4 lg:col-span-2">
          <ItemDetails item={item} />
          {abilities.report ? (
            <ProgressForm key={resetKey} item={item} limits={limits} busy={busy} candidates={mentionCandidates} />
          ) : null}
          <ReportsCard item={item} reports={reports} />
        </div>

        <div className="flex flex-col gap-4">
          {release.round !== null || abilities.requestRelease ? (
            <ReleaseCard key={resetKey} release={release} canRequest={abilities.requestRelease} busy={busy} />
          ) : null}
          {abilities.close || abilities.reopen ? (
            <CloseCard key={resetKey} close={abilities.close} busy={busy} />
          ) : null}
          {pending && abilities.decideExtension ? (
            <ExtensionDecision key={resetKey} pending={pending} busy={busy} />
          ) : null}
          {item.extensionClosed && !pending ? (
            <Card title="申请延期">
              <p className="text-sm text-amber-800" role="note">
                挂牌督办案件须在督办期限届满一个月前申请延期（本案最迟于 {item.extensionCutoff}{" "}
                前申请），现已不能申请延期。
              </p>
            </Card>
          ) : null}
          {abilities.requestExtension && !pending ? <ExtensionRequest key={resetKey} item={item} busy={busy} /> : null}
          {extensions.length ? <ExtensionHistory extensions={extensions} /> : null}

          <Card title="办理记录">
            <AuditTimeline entries={timeline} />
          </Card>
          <p className="flex items-center gap-1 text-xs text-slate-500">
            <FileText className="h-3 w-3" aria-hidden />
            事项措辞以定稿文书为准，定稿后不可修改。
          </p>
        </div>
      </div>
    </div>
  );
}

function ItemHeader({ item }: { item: Item }) {
  return (
    <div>
      <BackLink to="/ledger" label="台账" />
      <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold text-slate-900">
        {item.kindLabel} {item.number}
        <span data-testid="item-status">
          <Badge tone={STATUS_TONES[item.status] ?? "slate"}>{item.statusLabel}</Badge>
        </span>
        {item.overdue ? <Badge tone="red">逾期 {item.overdueDays} 天</Badge> : null}
      </h1>
      <p className="mt-1 text-sm text-slate-500">
        来源：
        {item.source.readable ? (
          <Link
            to={`/documents/${item.source.id}#item-${item.id}`}
            className="text-brand-700 underline hover:text-brand-800"
          >
            {item.source.title}
          </Link>
        ) : (
          <span className="text-slate-700">{item.source.title}</span>
        )}
        {item.source.issue ? ` · ${item.source.issue}` : ""} · {item.ownerLabel} {item.owner}
      </p>
    </div>
  );
}

/** 事项内容: the wording and the fields of the item's kind. */
function ItemDetails({ item }: { item: Item }) {
  return (
    <Card title="事项内容">
      <p className="gongwen whitespace-pre-wrap">{item.wording || "（未填写）"}</p>
      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        {item.supervisors.length ? (
          <div className="sm:col-span-2">
            <dt className="text-slate-500">督办单位</dt>
            <dd className="font-medium" data-testid="item-supervisors">
              {item.supervisors.join("、")}
            </dd>
          </div>
        ) : null}
        <div>
          <dt className="text-slate-500">{item.labels.lead}</dt>
          <dd className="font-medium">{item.lead ?? "未指定"}</dd>
        </div>
        <div>
          <dt className="text-slate-500">{item.labels.supporting}</dt>
          <dd>{item.supporting.length ? item.supporting.join("、") : "无"}</dd>
        </div>
        {item.responsible ? (
          <div>
            <dt className="text-slate-500">责任人</dt>
            <dd>{item.responsible}</dd>
          </div>
        ) : null}
        {item.standard ? (
          <div className="sm:col-span-2">
            <dt className="text-slate-500">整改标准</dt>
            <dd>{item.standard}</dd>
          </div>
        ) : null}
        <div>
          <dt className="text-slate-500">{item.labels.due}</dt>
          <dd className={item.overdue ? "font-medium text-red-700" : ""}>{item.dueDate ?? "未设定"}</dd>
        </div>
        <div>
          <dt className="text-slate-500">反馈周期</dt>
          <dd>{item.feedback}</dd>
        </div>
        {item.activatedAt ? (
          <div>
            <dt className="text-slate-500">开始跟踪</dt>
            <dd>{item.activatedAt}</dd>
          </div>
        ) : null}
        {item.closedAt ? (
          <div>
            <dt className="text-slate-500">销号时间</dt>
            <dd>{item.closedAt}</dd>
          </div>
        ) : null}
      </dl>
    </Card>
  );
}

function ProgressForm({
  item,
  limits,
  busy,
  candidates,
}: {
  item: Item;
  limits: ItemData["limits"];
  busy: boolean;
  candidates: readonly MentionCandidate[];
}) {
  const [text, setText] = useState<MentionText>({ body: "", userIds: [], orgIds: [] });
  return (
    <Card title="报送进展">
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3">
        <input type="hidden" name="intent" value="progress" />
        <input type="hidden" name="text" value={text.body} />
        {text.userIds.map((id) => (
          <input key={id} type="hidden" name="mentionUser" value={id} />
        ))}
        {text.orgIds.map((id) => (
          <input key={id} type="hidden" name="mentionOrg" value={id} />
        ))}
        <div className="flex flex-col gap-1 text-sm">
          <MentionTextarea
            label="进展情况"
            visibleLabel
            candidates={candidates}
            value={text.body}
            onChange={setText}
            placeholder="本阶段完成的工作、下一步安排；键入 @ 提及相关人员或单位"
            maxLength={2000}
          />
        </div>
        <div className="flex flex-wrap gap-4">
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">更新状态</span>
            <select name="newStatus" defaultValue="" className="rounded-md border border-slate-300 px-2 py-1.5">
              <option value="">不变（{item.statusLabel}）</option>
              <option value="IN_PROGRESS">推进中</option>
              <option value="DONE">已完成待销号</option>
            </select>
          </label>
          <FilesField label="附件" limits={limits} />
        </div>
        <div>
          <Button type="submit" disabled={busy}>
            报送
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function ReportsCard({ item, reports }: { item: Item; reports: ItemData["reports"] }) {
  return (
    <Card title={`进展报告（${reports.length}）`}>
      {reports.length === 0 ? (
        <p className="text-sm text-slate-500">尚无进展报告。</p>
      ) : (
        <ol className="flex flex-col gap-3" data-testid="reports">
          {reports.map((r) => (
            <li key={r.id} className="rounded-md border border-slate-100 p-3">
              <p className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
                <span className="font-medium text-slate-700">{r.org}</span>
                <span>{r.author}</span>
                <span>{r.at}</span>
                {r.newStatus ? <Badge tone="blue">状态：{r.newStatus}</Badge> : null}
              </p>
              <p className="mt-1 whitespace-pre-wrap text-sm text-slate-800">{r.text}</p>
              {r.attachments.length ? (
                <ul className="mt-2 flex flex-wrap gap-2">
                  {r.attachments.map((a) => (
                    <li key={a.id}>
                      <a
                        href={`/items/${item.id}/attachments/${a.id}`}
                        className="inline-flex items-center gap-1 rounded border border-slate-200 px-2 py-0.5 text-xs text-brand-700 hover:bg-slate-50"
                      >
                        <Paperclip className="h-3 w-3" aria-hidden />
                        {a.name}（{formatSize(a.size)}）
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

/** 解除挂牌: the latest round's confirmations, the request, and this org's decision when it is its turn. */
function ReleaseCard({
  release,
  canRequest,
  busy,
}: {
  release: ItemData["release"];
  canRequest: boolean;
  busy: boolean;
}) {
  return (
    <Card title="解除挂牌">
      {release.rows.length ? (
        <ul className="mb-3 flex flex-col gap-1 text-sm" data-testid="release-rows">
          {release.rows.map((r) => (
            <li key={r.org} className="flex items-start justify-between gap-2">
              <span>
                {r.org}
                {r.comment ? <span className="block text-xs text-slate-500">意见：{r.comment}</span> : null}
              </span>
              <Badge
                tone={
                  r.decision === "APPROVED"
                    ? "green"
                    : r.decision === "RETURNED"
                      ? "red"
                      : r.decision === "PENDING"
                        ? "amber"
                        : "slate"
                }
              >
                {RELEASE_DECISIONS[r.decision] ?? r.decision}
              </Badge>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-3 text-sm text-slate-500">承办单位已报告办结。解除挂牌须经全部督办单位确认。</p>
      )}
      {canRequest && !release.open ? (
        <Form method="post" className="flex flex-col gap-2">
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">说明（可选）</span>
            <textarea
              name="comment"
              rows={2}
              maxLength={500}
              className="rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          <div>
            <Button type="submit" name="intent" value="requestRelease" disabled={busy}>
              申请解除挂牌
            </Button>
          </div>
        </Form>
      ) : null}
      {release.myTurn ? (
        <Form method="post" className="flex flex-col gap-2 border-t border-slate-100 pt-3">
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">本单位意见（退回时必填）</span>
            <textarea
              name="comment"
              rows={2}
              maxLength={500}
              className="rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          <div className="flex gap-2">
            <Button type="submit" name="intent" value="confirmRelease" disabled={busy}>
              确认解除挂牌
            </Button>
            <Button type="submit" name="intent" value="returnRelease" variant="danger" disabled={busy}>
              退回继续办理
            </Button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}

/** 销号审核 (close or send back) or 重新打开. */
function CloseCard({ close, busy }: { close: boolean; busy: boolean }) {
  return (
    <Card title={close ? "销号审核" : "重新打开"}>
      <Form method="post" className="flex flex-col gap-2">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">{close ? "意见（退回时必填）" : "重新打开的理由"}</span>
          <textarea name="comment" rows={2} maxLength={500} className="rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <div className="flex flex-wrap gap-2">
          {close ? (
            <>
              <Button type="submit" name="intent" value="close" disabled={busy}>
                销号
              </Button>
              <Button type="submit" name="intent" value="sendBack" variant="secondary" disabled={busy}>
                退回继续办理
              </Button>
            </>
          ) : (
            <Button type="submit" name="intent" value="reopen" variant="secondary" disabled={busy}>
              重新打开
            </Button>
          )}
        </div>
      </Form>
    </Card>
  );
}

function ExtensionDecision({ pending, busy }: { pending: ItemData["extensions"][number]; busy: boolean }) {
  return (
    <Card title="延期审批">
      <p className="text-sm">
        申请由 {pending.from} 延至 <strong>{pending.to}</strong>：{pending.reason}
      </p>
      <Form method="post" className="mt-2 flex flex-col gap-2">
        <input type="hidden" name="intent" value="decideExtension" />
        <input type="hidden" name="requestId" value={pending.id} />
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">意见（不同意时必填）</span>
          <textarea name="comment" rows={2} maxLength={500} className="rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <div className="flex gap-2">
          <Button type="submit" name="decision" value="approve" disabled={busy}>
            同意延期
          </Button>
          <Button type="submit" name="decision" value="refuse" variant="danger" disabled={busy}>
            不同意
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function ExtensionRequest({ item, busy }: { item: Item; busy: boolean }) {
  return (
    <Card title="申请延期">
      {item.extensionCutoff ? (
        <p className="mb-2 text-xs text-amber-700">
          挂牌督办案件须在督办期限届满一个月前申请延期，本案最迟于 {item.extensionCutoff} 前申请。
        </p>
      ) : null}
      <Form method="post" className="flex flex-col gap-2">
        <input type="hidden" name="intent" value="extension" />
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">延期至</span>
          <input
            type="date"
            name="newDate"
            required
            min={item.dueIso ?? undefined}
            className="rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">延期理由</span>
          <textarea
            name="reason"
            required
            rows={2}
            maxLength={500}
            className="rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
        <div>
          <Button type="submit" variant="secondary" disabled={busy}>
            提交申请
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function ExtensionHistory({ extensions }: { extensions: ItemData["extensions"] }) {
  return (
    <Card title="延期记录">
      <ul className="flex flex-col gap-2 text-sm">
        {extensions.map((e) => (
          <li key={e.id}>
            <Badge tone={e.status === "APPROVED" ? "green" : e.status === "REFUSED" ? "red" : "amber"}>
              {e.status === "APPROVED" ? "已同意" : e.status === "REFUSED" ? "未同意" : "待审批"}
            </Badge>{" "}
            {e.from} → {e.to}
            <span className="block text-xs text-slate-500">
              {e.reason}
              {e.comment ? `；审批意见：${e.comment}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
