import { ImportRevisions } from "~/components/import-revisions";
import { WordImportNotice } from "~/components/word-import-notice";
import { ID_PATTERN, isId } from "~/domain/ids";
import {
  GRANTABLE_ACCESS_LEVELS,
  isSealedStatus,
  MEMBER_ACCESS_LABELS,
  type MemberAccessLevel,
} from "~/domain/document";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useSearchParams,
} from "@remix-run/react";
import { History, ShieldCheck } from "lucide-react";
import { ExportButton } from "~/components/export-button";
import { useEffect, useState } from "react";
import { BackLink, Badge, Button, FormErrors, Notice } from "~/components/ui";
import { personColor } from "~/editor/schema/colors";
import { CollaborativeEditor } from "~/editor/react/collaborative-editor";
import { TrackedItemsContext, useLiveTrackedItems } from "~/editor/react/tracked-items-context";
import { CasePanel } from "~/components/case-panel";
import type { Editor } from "@tiptap/react";
import { requireUser } from "~/services/auth/current-user.server";
import { decideCountersign, requestCountersign } from "~/services/countersign.server";
import { submitCase } from "~/services/typical-cases.server";
import { updateDocumentMembers } from "~/services/update-document-members.server";
import { loadDocumentPage } from "~/services/document-page.server";
import { noteDocumentVisit, starDocument } from "~/services/document-marks.server";
import { StarButton } from "~/components/star-button";
import { invalid } from "~/domain/errors";
import { actionError, httpError, orThrowHttp, runAction } from "~/utils/errors";
import { requireDocumentAccess } from "~/services/document-access.server";
import { commandContext } from "~/services/context.server";
import { readFormData } from "~/utils/request.server";
import { optionalText, z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.document.title ?? "文书"} · 会商协同` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = params.documentId ?? "";
  if (!isId(id)) throw httpError("NOT_FOUND");
  const page = await orThrowHttp(() => loadDocumentPage(user, id));
  // 最近打开: the page loaded, so the user may read it; recorded without holding up the response.
  void noteDocumentVisit(user, id);
  const me = { ...page.user, orgId: page.user.orgId ?? null };
  // The page offers 导出 Word（含批注） when a thread is open (the countersign panel lists them already).
  const hasOpenComments = page.countersign.openThreads.length > 0;
  return json({ ...page, hasOpenComments, user: { ...me, color: personColor(me.id) } });
}

/** Starring changes nothing the page shows but the button, which already shows it: no reload of the document. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "star" ? false : defaultShouldRevalidate;

const AccessValue = z.enum([...GRANTABLE_ACCESS_LEVELS, "REMOVE"], { errorMap: () => ({ message: "权限选择无效" }) });

const MemberChange = z.object({ orgId: z.string().regex(ID_PATTERN), access: AccessValue });

/** The intents of the document page, one schema each (a switch dispatches them). */
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("requestCountersign"), confirmOpenThreads: z.literal("on").optional() }),
  // 征求意见: every other unit to 可修订 at once (ADR 019).
  z.object({ intent: z.literal("reviewPhase") }),
  z.object({
    intent: z.enum(["approve", "return"]),
    comment: optionalText({ max: 500 }),
  }),
  // ☆/★ 关注 (ADR 029): the user's own mark, answered with the new state (the button posts it without navigating).
  z.object({
    intent: z.literal("star"),
    starred: z.enum(["0", "1"], { errorMap: () => ({ message: "关注状态无效。" }) }),
  }),
  z.object({
    intent: z.literal("members"),
    changes: z.array(MemberChange, { invalid_type_error: "提交的参与单位或权限无效。" }),
    add: MemberChange.extend({
      access: z.enum(GRANTABLE_ACCESS_LEVELS, { errorMap: () => ({ message: "权限选择无效" }) }),
    }).nullable(),
  }),
]);

/** The form's fields as the intent schemas read them (member.<orgId> = access; addOrgId + addAccess). */
function intentInput(form: FormData) {
  const addOrgId = form.get("addOrgId");
  return {
    intent: form.get("intent") ?? "members",
    comment: form.get("comment") ?? undefined,
    confirmOpenThreads: form.get("confirmOpenThreads") ?? undefined,
    starred: form.get("starred") ?? undefined,
    changes: [...form.entries()]
      .filter(([key]) => key.startsWith("member."))
      .map(([key, access]) => ({ orgId: key.slice(7), access })),
    add: typeof addOrgId === "string" && addOrgId !== "" ? { orgId: addOrgId, access: form.get("addAccess") } : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const parsed = Intent.safeParse(intentInput(await readFormData(request)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message = issue?.path[0] === "add" ? "请选择要添加的单位及其权限。" : (issue?.message ?? "未知的操作。");
    return json(actionError(invalid(message)), { status: 400 });
  }
  const ctx = commandContext(request, context);
  const input = parsed.data;
  return runAction(async () => {
    switch (input.intent) {
      case "requestCountersign": {
        // A typical case goes to review only through its checks (脱敏检查, required sections).
        const options = { confirmOpenThreads: input.confirmOpenThreads === "on" };
        const result =
          facts.type === "TYPICAL_CASE"
            ? await submitCase(user, facts, ctx, options)
            : await requestCountersign(user, facts, ctx, options);
        return redirect(`/documents/${facts.id}?countersign=${result.status}`);
      }
      case "approve":
      case "return": {
        const decision = input.intent === "approve" ? "APPROVED" : "RETURNED";
        const result = await decideCountersign(user, facts, { decision, comment: input.comment }, ctx);
        return redirect(`/documents/${facts.id}?countersign=${result.status}`);
      }
      case "reviewPhase": {
        const changes = facts.members.flatMap((m) =>
          m.orgId && m.orgId !== facts.ownerOrgId ? [{ orgId: m.orgId, access: "SUGGEST" as const }] : [],
        );
        const result = await updateDocumentMembers(user, facts, changes, ctx);
        return redirect(`/documents/${facts.id}?members=${result.changed}`);
      }
      case "star":
        return json(await starDocument(user, facts, input.starred === "1"));
      case "members": {
        const changes = [...input.changes, ...(input.add ? [input.add] : [])];
        const result = await updateDocumentMembers(user, facts, changes, ctx);
        return redirect(`/documents/${facts.id}?members=${result.changed}`);
      }
    }
  });
}

export default function DocumentPage() {
  const {
    document,
    abilities,
    readOnlyReason,
    user,
    canManage,
    candidates,
    countersign,
    canComment,
    suggestions,
    orgs,
    items,
    itemKind,
    isReply,
    recommendation,
    source,
    typicalCase,
    starred,
  } = useLoaderData<typeof loader>();
  const [editor, setEditor] = useState<Editor | null>(null);
  const trackedItems = useLiveTrackedItems(document.id, orgs, items, itemKind);
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const revalidator = useRevalidator();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  useScrollToItemHash();
  return (
    <div className="flex flex-col gap-4">
      <a
        href="#document-editor"
        onClick={(e) => {
          // The body is a contenteditable: put the caret in it rather than only scrolling to it.
          const body = window.document.querySelector<HTMLElement>('[data-testid="editor"]');
          if (!body?.isContentEditable) return;
          e.preventDefault();
          body.focus();
        }}
        className="sr-only focus:not-sr-only focus:w-fit focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:ring-2 focus:ring-brand-600"
      >
        跳到编辑区
      </a>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <BackLink to="/documents" label="文书" />
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h1 className="text-xl font-semibold text-slate-900">{document.title}</h1>
            <StarButton documentId={document.id} title={document.title} starred={starred} />
          </div>
          <DocumentFacts
            document={document}
            recommendation={recommendation}
            isReply={isReply}
            source={source}
            readOnly={!abilities.write}
          />
        </div>
        <MembersPanel
          document={document}
          canManage={canManage}
          candidates={candidates}
          open={Boolean(actionData && "error" in actionData)}
          busy={navigation.state !== "idle"}
        />
      </div>
      <DocumentActions document={document} />
      <FormErrors errors={actionData && "error" in actionData ? [actionData.error] : null} />
      {params.get("members") ? <Notice tone="success">参与单位已更新。</Notice> : null}
      <WordImportNotice />
      {isReply ? (
        recommendation && document.status === "DRAFT" ? (
          <Notice>
            书面回复由本单位修改后发出，无需会签。改好后请到
            <Link to={`/recommendations/${recommendation.id}`} className="mx-1 font-medium text-brand-700 underline">
              建议书页面
            </Link>
            发出；发出后内容冻结，发出单位可以查看。
          </Notice>
        ) : null
      ) : (
        <CountersignPanel
          status={document.status}
          countersign={typicalCase ? { ...countersign, canRequest: false } : countersign}
          busy={navigation.state !== "idle"}
          title={typicalCase ? "审核" : "会签"}
        />
      )}
      {typicalCase ? <CasePanel data={typicalCase} editor={editor} /> : null}
      {mounted ? (
        <TrackedItemsContext.Provider value={trackedItems}>
          <CollaborativeEditor
            key={`${document.id}:${abilities.write}:${suggestions.suggestOnly}`}
            documentId={document.id}
            user={user}
            canWrite={abilities.write}
            canComment={canComment}
            suggestions={suggestions}
            initialThreadId={params.get("thread")}
            readOnlyReason={readOnlyReason}
            settledLabel={SETTLED_LABELS[document.status] ?? null}
            onAccessChanged={() => revalidator.revalidate()}
            onEditor={setEditor}
          />
        </TrackedItemsContext.Provider>
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white p-8 text-center text-sm text-slate-500">
          正在加载编辑器…
        </div>
      )}
    </div>
  );
}

type PageData = SerializeFrom<typeof loader>;

/** A final document's state, shown instead of connection states. */
const SETTLED_LABELS: Partial<Record<string, string>> = { FINALIZED: "已定稿（只读）", PUBLISHED: "已发布（只读）" };

/**
 * A link to one 议定事项 (/documents/<id>#item-<itemId>, e.g. from the item page): scrolls to its block
 * once the editor has rendered it, and marks it briefly.
 */
function useScrollToItemHash() {
  useEffect(() => {
    const target = window.location.hash.slice(1);
    if (!/^item-[A-Za-z0-9_-]{8,64}$/.test(target)) return;
    let tries = 0;
    const timer = window.setInterval(() => {
      const el = window.document.getElementById(target);
      if (el) {
        window.clearInterval(timer);
        el.scrollIntoView({ block: "center" });
        el.classList.add("ring-2", "ring-amber-400");
        window.setTimeout(() => el.classList.remove("ring-2", "ring-amber-400"), 2500);
      } else if (++tries > 100) window.clearInterval(timer);
    }, 100);
    return () => window.clearInterval(timer);
  }, []);
}

/** 参与单位: the member orgs, and for the owner's drafters the form that changes them. */
function MembersPanel({
  document,
  canManage,
  candidates,
  open,
  busy,
}: {
  document: PageData["document"];
  canManage: boolean;
  candidates: PageData["candidates"];
  open: boolean;
  busy: boolean;
}) {
  return (
    <details className="text-sm text-slate-600" open={open}>
      <summary className="cursor-pointer select-none">参与单位（{document.members.length + 1}）</summary>
      {canManage ? (
        <Form
          method="post"
          className="mt-2 flex w-80 flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
        >
          <input type="hidden" name="intent" value="members" />
          <p className="font-medium text-slate-800">{document.owner}（牵头）</p>
          {document.members.map((m) =>
            m.orgId ? (
              <label key={m.id} className="flex items-center justify-between gap-2">
                <span>{m.name}</span>
                <select
                  name={`member.${m.orgId}`}
                  defaultValue={m.access}
                  aria-label={`${m.name}的权限`}
                  className="rounded border border-slate-300 px-2 py-1"
                >
                  {GRANTABLE_ACCESS_LEVELS.map((level) => (
                    <option key={level} value={level}>
                      {MEMBER_ACCESS_LABELS[level]}
                    </option>
                  ))}
                  <option value="REMOVE">移出</option>
                </select>
              </label>
            ) : null,
          )}
          {candidates.length ? (
            <div className="flex items-center gap-2 border-t border-slate-100 pt-2">
              <select
                name="addOrgId"
                aria-label="添加单位"
                defaultValue=""
                className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1"
              >
                <option value="">添加单位…</option>
                {candidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <select
                name="addAccess"
                aria-label="新单位的权限"
                defaultValue="WRITE"
                className="rounded border border-slate-300 px-2 py-1"
              >
                {GRANTABLE_ACCESS_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {MEMBER_ACCESS_LABELS[level]}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <Button type="submit" disabled={busy}>
            保存参与单位
          </Button>
          <p className="text-xs text-slate-500">
            可修订：修改以修订方式提出，由牵头单位接受或拒绝。可批注：能阅读并添加批注，不能改动正文。移出或降低权限后，对方正在打开的编辑器会立即重新校验权限。
          </p>
        </Form>
      ) : null}
      {canManage && document.members.some((m) => m.orgId && m.access !== "SUGGEST") ? (
        <Form method="post" className="mt-2 w-80">
          <input type="hidden" name="intent" value="reviewPhase" />
          <Button type="submit" variant="secondary" disabled={busy} className="w-full">
            征求意见：其他单位均改为可修订
          </Button>
        </Form>
      ) : null}
      {canManage ? null : (
        <ul className="mt-2 flex flex-col gap-1">
          <li>{document.owner}（牵头）</li>
          {document.members.map((m) => (
            <li key={m.id}>
              {m.name}（{MEMBER_ACCESS_LABELS[m.access as MemberAccessLevel] ?? "只读"}）
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

/** 版本历史, the exports and 定稿校验. */
function DocumentActions({ document }: { document: PageData["document"] }) {
  const { hasOpenComments, suggestions } = useLoaderData<typeof loader>();
  return (
    <nav aria-label="文书操作" className="flex flex-wrap items-start gap-2">
      <Link
        to={`/documents/${document.id}/versions`}
        className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
      >
        <History className="h-4 w-4" aria-hidden />
        版本历史
      </Link>
      <ExportButton
        href={`/documents/${document.id}/export/docx`}
        label={isSealedStatus(document.status) ? "导出 Word" : "导出 Word（草稿）"}
        fallbackName={`${document.title}.docx`}
      />
      {hasOpenComments ? (
        <ExportButton
          href={`/documents/${document.id}/export/docx-comments`}
          label="导出 Word（含批注）"
          fallbackName={`《${document.title}》（含批注）.docx`}
        />
      ) : null}
      {document.status === "DRAFT" ? (
        // 修订 are open only in a draft: Word shows them as its own tracked changes (ADR 019).
        <ExportButton
          href={`/documents/${document.id}/export/docx-revisions`}
          label="导出 Word（含修订）"
          fallbackName={`《${document.title}》（含修订）.docx`}
        />
      ) : null}
      <ExportButton
        href={`/documents/${document.id}/export/pdf`}
        label={isSealedStatus(document.status) ? "导出 PDF" : "导出 PDF（草稿）"}
        fallbackName={`${document.title}.pdf`}
      />
      {suggestions.propose ? <ImportRevisions documentId={document.id} /> : null}
      {isSealedStatus(document.status) ? (
        <Link
          to={`/documents/${document.id}/verify`}
          className="inline-flex items-center gap-1 rounded-md border border-green-300 bg-green-50 px-3 py-1.5 text-sm font-medium text-green-800 shadow-sm hover:bg-green-100"
        >
          <ShieldCheck className="h-4 w-4" aria-hidden />
          定稿校验
        </Link>
      ) : null}
    </nav>
  );
}

const DECISION_LABELS: Record<string, { label: string; tone: "slate" | "green" | "red" | "amber" }> = {
  PENDING: { label: "待会签", tone: "amber" },
  APPROVED: { label: "已同意", tone: "green" },
  RETURNED: { label: "已退回", tone: "red" },
  CANCELLED: { label: "本轮终止", tone: "slate" },
};

interface CountersignView {
  canRequest: boolean;
  round: number | null;
  version: { number: number; sha256: string } | null;
  finalHash: string | null;
  myTurn: boolean;
  rows: Array<{ org: string; decision: string; comment: string | null; decidedAt: string | null; openThreads: number }>;
  openThreads: Array<{ id: string; quote: string; org: string; author: string }>;
}

/** Sending a draft with open 批注 to countersign: the threads listed, and a confirmation the server checks. */
function OpenThreadsWarning({ threads, busy }: { threads: CountersignView["openThreads"]; busy: boolean }) {
  return (
    <Form method="post" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      <input type="hidden" name="intent" value="requestCountersign" />
      <p className="font-medium" id="open-threads-title">
        {`尚有 ${threads.length} 条未解决的批注，建议处理后再发起会签：`}
      </p>
      <ul className="mt-1 list-disc pl-5" aria-labelledby="open-threads-title">
        {threads.slice(0, 10).map((t) => (
          <li key={t.id}>
            <a className="underline" href={`?thread=${encodeURIComponent(t.id)}`}>
              「{t.quote}」
            </a>
            <span className="text-amber-800">
              {" "}
              —— {t.author}（{t.org}）
            </span>
          </li>
        ))}
        {threads.length > 10 ? <li>另有 {threads.length - 10} 条……</li> : null}
      </ul>
      <label className="mt-2 flex items-center gap-2">
        <input type="checkbox" name="confirmOpenThreads" required />
        仍要发起会签（未解决的批注随会签稿一并提交各单位）
      </label>
      <Button type="submit" className="mt-2" disabled={busy}>
        冻结当前内容并发起会签
      </Button>
    </Form>
  );
}

/** 会签: request (owner), decide (each co-drafting org), final hash. */
function CountersignPanel({
  status,
  countersign,
  busy,
  title,
}: {
  status: string;
  countersign: CountersignView;
  busy: boolean;
  title: string;
}) {
  if (status === "DRAFT" && !countersign.canRequest && countersign.round === null) return null;
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-base font-semibold text-slate-800">
          {title}
          {countersign.round
            ? `（第${countersign.round}轮${countersign.version ? `，版本 ${countersign.version.number}` : ""}）`
            : ""}
        </h2>
        {status === "DRAFT" && countersign.canRequest && countersign.openThreads.length === 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="requestCountersign" />
            <Button type="submit" disabled={busy}>
              冻结当前内容并发起会签
            </Button>
          </Form>
        ) : null}
      </div>
      {status === "DRAFT" && countersign.canRequest && countersign.openThreads.length > 0 ? (
        <OpenThreadsWarning threads={countersign.openThreads} busy={busy} />
      ) : null}
      {status === "FINALIZED" && countersign.finalHash ? (
        <p className="mt-2 text-sm text-green-800" data-testid="final-hash">
          ✓ 已定稿，内容不可再修改。SHA-256：
          <code className="break-all font-mono text-xs">{countersign.finalHash}</code>
        </p>
      ) : null}
      {countersign.rows.length ? (
        <ul className="mt-3 grid gap-2 sm:grid-cols-2">
          {countersign.rows.map((r) => (
            <li
              key={r.org}
              className="flex items-start justify-between gap-2 rounded border border-slate-100 px-3 py-2 text-sm"
            >
              <span>
                {r.org}
                {r.comment ? <span className="block text-xs text-slate-500">意见：{r.comment}</span> : null}
                {r.openThreads ? (
                  <span className="block text-xs text-amber-800">{`未解决批注 ${r.openThreads} 条`}</span>
                ) : null}
              </span>
              <span className="shrink-0 text-right">
                <Badge tone={DECISION_LABELS[r.decision]?.tone ?? "slate"}>
                  {DECISION_LABELS[r.decision]?.label ?? r.decision}
                </Badge>
                {r.decidedAt ? <span className="block text-xs text-slate-500">{r.decidedAt}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {countersign.myTurn ? (
        <Form method="post" className="mt-3 flex flex-col gap-2 border-t border-slate-100 pt-3">
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">本单位会签意见（退回时必填）</span>
            <span className="text-xs text-slate-500">
              可在正文中选中文字添加批注；退回后，这些批注会标注在重新打开的草稿中。
            </span>
            <textarea
              name="comment"
              rows={2}
              maxLength={500}
              className="rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          <div className="flex gap-2">
            <Button type="submit" name="intent" value="approve" disabled={busy}>
              同意
            </Button>
            <Button type="submit" name="intent" value="return" variant="danger" disabled={busy}>
              退回修改
            </Button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

/** The line under the title: type, drafting unit, what the document answers or was generated from, status. */
function DocumentFacts({
  document,
  recommendation,
  isReply,
  source,
  readOnly,
}: {
  document: { type: string; owner: string; status: string; statusLabel: string };
  recommendation: { id: string; title: string; docNumber: string } | null;
  isReply: boolean;
  source: { kind: "litigation" | "thematic"; id: string } | null;
  readOnly: boolean;
}) {
  return (
    <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-500">
      <span>{document.type}</span>
      <span>·</span>
      <span>牵头：{document.owner}</span>
      {recommendation ? (
        <>
          <span>·</span>
          <Link to={`/recommendations/${recommendation.id}`} className="text-brand-700 hover:underline">
            {isReply ? "回复" : "落实"}《{recommendation.title}》（{recommendation.docNumber}）
          </Link>
        </>
      ) : null}
      {source ? (
        <>
          <span>·</span>
          <Link
            to={source.kind === "litigation" ? `/litigation/${source.id}` : `/reports/${source.id}`}
            className="text-brand-700 hover:underline"
          >
            {source.kind === "litigation" ? "数据来源：法院报送的行政诉讼数据" : "数据比对"}
          </Link>
        </>
      ) : null}
      <Badge tone={document.status === "DRAFT" ? "blue" : "green"}>{document.statusLabel}</Badge>
      {readOnly ? <Badge tone="slate">只读</Badge> : null}
    </p>
  );
}
