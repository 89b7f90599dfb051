import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import {
  Building2,
  CalendarClock,
  ClipboardCheck,
  FilePen,
  FileWarning,
  History,
  ListChecks,
  Star,
} from "lucide-react";
import { Badge, Card, EmptyState, PageHeader } from "~/components/ui";
import { documentAccess } from "~/policies/document";
import { DOCUMENT_TYPE_LABELS, type DocumentType } from "~/domain/document";
import { isOverdue, ITEM_KIND_LABELS, ITEM_STATUS_LABELS, type ItemKind, type ItemStatus } from "~/domain/tracked-item";
import { RECOMMENDATION_KIND_LABELS, replyState, type RecommendationKind } from "~/domain/recommendation";
import { requireUser } from "~/services/auth/current-user.server";
import { closeTour, loadWorkbench } from "~/services/workbench.server";
import { topicsForRoles } from "~/domain/guide";
import { readFormData } from "~/utils/request.server";
import { invalid } from "~/domain/errors";
import { runAction } from "~/utils/errors";
import { formatDate, formatTime } from "~/domain/dates";
import { ORG_KIND_LABELS, ROLE_LABELS, isOrgKind, isRole } from "~/domain/organization";
import { CONSULTATION_KIND_LABELS, isUpcoming, type ConsultationKind } from "~/domain/consultation";
import { EXTERNAL_KIND_LABELS } from "~/domain/external";

export const meta: MetaFunction = () => [{ title: "工作台 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const {
    docs,
    consultations,
    awaiting,
    items: myItems,
    toReply,
    tourDismissed,
    starred,
    recent,
  } = await loadWorkbench(user);
  const now = Date.now();
  return json({
    tour:
      tourDismissed || user.actor.external
        ? null
        : topicsForRoles(user.actor.memberships.map((m) => m.role)).map((t) => ({
            slug: t.slug,
            title: t.title,
            summary: t.summary,
          })),
    toReply: toReply.map((r) => ({
      id: r.id,
      title: r.title,
      kind: RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? r.kind,
      issuer: r.issuerOrg.name,
      due: formatDate(r.replyDueDate),
      reply: replyState(r, new Date(now)),
    })),
    canCreateDocument: user.actor.memberships.some(
      (m) => m.role === "ADMIN" || m.role === "COORDINATOR" || m.role === "DRAFTER",
    ),
    upcoming: consultations
      .filter((c) => isUpcoming(c, new Date(now)))
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .slice(0, 5)
      .map((c) => ({
        id: c.id,
        title: c.title,
        issue: `${c.series} 第${c.number}期`,
        when: `${formatDate(c.startsAt)} ${formatTime(c.startsAt)}`,
        place: c.place,
        convener: c.conveningOrg.name,
      })),
    items: myItems.map((i) => ({
      id: i.id,
      title: `${ITEM_KIND_LABELS[i.kind as ItemKind] ?? "事项"}${i.number}：${i.wording.length > 36 ? `${i.wording.slice(0, 36)}…` : i.wording}`,
      status: ITEM_STATUS_LABELS[i.status as ItemStatus] ?? i.status,
      lead: i.leadOrg?.name ?? "",
      due: i.dueDate ? formatDate(i.dueDate) : "未设定",
      overdue: isOverdue(i, new Date(now)),
      toClose: i.status === "DONE",
    })),
    awaiting: awaiting.map((a) => ({
      id: a.document.id,
      href: a.subject ? `/items/${a.subject}` : `/documents/${a.document.id}`,
      release: Boolean(a.subject),
      title: a.document.title,
      type: DOCUMENT_TYPE_LABELS[a.document.type as DocumentType] ?? a.document.type,
      owner: a.document.ownerOrg.name,
      org: a.orgName,
      round: a.round,
      since: formatDate(a.createdAt),
    })),
    drafts: docs
      .filter(
        (d) =>
          documentAccess(user.actor, {
            status: d.status,
            ownerOrgId: d.ownerOrgId,
            ownerRegionPath: d.ownerOrg.region.path,
            members: d.members,
          }) === "write",
      )
      .slice(0, 6)
      .map((d) => ({
        id: d.id,
        title: d.title,
        type: DOCUMENT_TYPE_LABELS[d.type as DocumentType] ?? d.type,
        owner: d.ownerOrg.name,
        updatedAt: formatDate(d.snapshot?.updatedAt ?? d.updatedAt),
      })),
    starred,
    recent,
    displayName: user.displayName,
    today: formatDate(new Date()),
    // An outside participant (ADR 024) sees what it is invited to, and nothing of any unit.
    invited: user.actor.external
      ? {
          kind: EXTERNAL_KIND_LABELS[user.actor.external],
          consultations: consultations.map((c) => ({
            id: c.id,
            title: c.title,
            kind: CONSULTATION_KIND_LABELS[c.kind as ConsultationKind] ?? c.kind,
            when: `${formatDate(c.startsAt)} ${formatTime(c.startsAt)}`,
            convener: c.conveningOrg.name,
          })),
          documents: docs.map((d) => ({
            id: d.id,
            title: d.title,
            type: DOCUMENT_TYPE_LABELS[d.type as DocumentType] ?? d.type,
            owner: d.ownerOrg.name,
            open: d.status === "DRAFT",
          })),
        }
      : null,
    memberships: user.memberships.map((m) => ({
      id: m.id,
      orgName: m.org.name,
      orgKind: isOrgKind(m.org.kind) ? ORG_KIND_LABELS[m.org.kind] : m.org.kind,
      region: m.org.region.name,
      role: isRole(m.role) ? ROLE_LABELS[m.role] : m.role,
    })),
  });
}

/** 不再显示 on the first-use card. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  return runAction(async () => {
    if (form.get("intent") !== "dismissTour") throw invalid("无法识别的操作。");
    await closeTour(user);
    return redirect("/");
  });
}

export default function Workbench() {
  const {
    displayName,
    today,
    memberships,
    drafts,
    upcoming,
    awaiting,
    items,
    canCreateDocument,
    toReply,
    tour,
    invited,
    starred,
    recent,
  } = useLoaderData<typeof loader>();
  if (invited) return <InvitedWorkbench displayName={displayName} today={today} invited={invited} />;
  return (
    <>
      <PageHeader title={`您好，${displayName}`} description={`今天是 ${today}`} />
      {tour ? <TourCard topics={tour} /> : null}
      <div className="grid gap-4 md:grid-cols-3">
        <UpcomingCard upcoming={upcoming} />
        <MembershipsCard memberships={memberships} />
        <RecentCard recent={recent} />
        <StarredCard starred={starred} />
        <ItemsCard items={items} />
        <AwaitingCard awaiting={awaiting} />
        {toReply.length ? <ToReplyCard toReply={toReply} /> : null}
        <DraftsCard drafts={drafts} canCreateDocument={canCreateDocument} />
      </div>
    </>
  );
}

type WorkbenchData = SerializeFrom<typeof loader>;

/** The workbench of an outside participant: the consultations and documents it is invited to. */
function InvitedWorkbench({
  displayName,
  today,
  invited,
}: {
  displayName: string;
  today: string;
  invited: NonNullable<WorkbenchData["invited"]>;
}) {
  return (
    <>
      <PageHeader
        title={`您好，${displayName}`}
        description={`${invited.kind} · 今天是 ${today}。您可以查看受邀参加的会商和文书，并在文书中以批注提出书面意见。`}
      />
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="受邀参加的会商与咨询">
          {invited.consultations.length ? (
            <ul className="flex flex-col gap-3">
              {invited.consultations.map((c) => (
                <li key={c.id}>
                  <Link to={`/consultations/${c.id}`} className="font-medium text-brand-700 hover:underline">
                    {c.title}
                  </Link>
                  <p className="text-xs text-slate-500">
                    {c.kind} · {c.when} · 召集：{c.convener}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="暂无受邀的会商">召集单位邀请您后，会在这里和通知中看到。</EmptyState>
          )}
        </Card>
        <Card title="请您审阅的文书">
          {invited.documents.length ? (
            <ul className="flex flex-col gap-3">
              {invited.documents.map((d) => (
                <li key={d.id}>
                  <Link to={`/documents/${d.id}`} className="font-medium text-brand-700 hover:underline">
                    {d.title}
                  </Link>
                  <p className="text-xs text-slate-500">
                    {d.type} · {d.owner}
                    {d.open ? " · 可提出批注意见" : " · 已冻结，仅可查看"}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="暂无受邀审阅的文书">受邀审阅的纪要、专家咨询意见会在这里列出。</EmptyState>
          )}
        </Card>
      </div>
    </>
  );
}

/** First use: the guide's topics for the user's roles, until 不再显示. */
function TourCard({ topics }: { topics: NonNullable<WorkbenchData["tour"]> }) {
  return (
    <section
      aria-labelledby="tour-title"
      data-testid="tour"
      className="mb-4 rounded-lg border border-brand-100 bg-brand-50 p-4"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="tour-title" className="text-base font-semibold text-brand-800">
            初次使用会商协同？从这几件事开始
          </h2>
          <p className="mt-0.5 text-sm text-slate-700">
            按您的岗位挑选的使用指南；全部指南随时可从右上角的“使用指南”打开。
          </p>
        </div>
        <Form method="post">
          <input type="hidden" name="intent" value="dismissTour" />
          <button
            type="submit"
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
          >
            不再显示
          </button>
        </Form>
      </div>
      <ol className="mt-3 grid gap-3 md:grid-cols-3">
        {topics.map((t, i) => (
          <li key={t.slug} className="rounded-md bg-white p-3 text-sm shadow-sm">
            <Link to={`/guide/${t.slug}`} className="font-medium text-brand-700 underline hover:text-brand-800">
              {i + 1}. {t.title}
            </Link>
            <p className="mt-1 text-slate-600">{t.summary}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function UpcomingCard({ upcoming }: { upcoming: WorkbenchData["upcoming"] }) {
  return (
    <Card
      title="即将召开的会商"
      className="md:col-span-2"
      actions={
        <Link to="/consultations" className="text-sm text-brand-700 hover:underline">
          全部会商
        </Link>
      }
    >
      {upcoming.length === 0 ? (
        <EmptyState icon={<CalendarClock className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无即将召开的会商">
          受邀参加的协调会商会显示在这里。
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {upcoming.map((c) => (
            <li key={c.id} className="flex flex-col gap-0.5 py-2">
              <Link
                to={`/consultations/${c.id}`}
                className="flex items-center gap-2 font-medium text-brand-700 hover:underline"
              >
                <CalendarClock className="h-4 w-4 shrink-0" aria-hidden />
                {c.title}
              </Link>
              <span className="pl-6 text-xs text-slate-500">
                {c.when} · {c.place} · {c.issue} · {c.convener}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function MembershipsCard({ memberships }: { memberships: WorkbenchData["memberships"] }) {
  return (
    <Card title="我的单位与角色">
      <ul className="flex flex-col gap-3">
        {memberships.map((m) => (
          <li key={m.id} className="flex items-start gap-2">
            <Building2 className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" aria-hidden />
            <div>
              <p className="font-medium text-slate-800">{m.orgName}</p>
              <p className="text-xs text-slate-500">
                {m.region} · {m.orgKind} · {m.role}
              </p>
            </div>
          </li>
        ))}
        {memberships.length === 0 ? <li className="text-sm text-slate-500">尚未分配单位，请联系系统管理员。</li> : null}
      </ul>
    </Card>
  );
}

function ItemsCard({ items }: { items: WorkbenchData["items"] }) {
  return (
    <Card
      title="待办督办事项"
      className="md:col-span-2"
      actions={
        <Link to="/ledger" className="text-sm text-brand-700 hover:underline">
          台账
        </Link>
      }
    >
      {items.length === 0 ? (
        <EmptyState icon={<ListChecks className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无待办事项">
          本单位牵头或配合的议定事项、待销号的事项会显示在这里。
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="my-items">
          {items.map((i) => (
            <li
              key={i.id}
              className="flex flex-col gap-0.5 py-2 xl:flex-row xl:items-center xl:justify-between xl:gap-3"
            >
              <Link
                to={`/items/${i.id}`}
                className="flex items-center gap-2 font-medium text-brand-700 hover:underline"
              >
                <ListChecks className={`h-4 w-4 shrink-0 ${i.overdue ? "text-red-600" : ""}`} aria-hidden />
                {i.title}
              </Link>
              <span className={`shrink-0 text-xs ${i.overdue ? "font-medium text-red-700" : "text-slate-500"}`}>
                {i.toClose ? "待销号" : i.status} · 牵头 {i.lead} · 时限 {i.due}
                {i.overdue ? " · 已逾期" : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function AwaitingCard({ awaiting }: { awaiting: WorkbenchData["awaiting"] }) {
  return (
    <Card title={`待本单位会签${awaiting.length ? `（${awaiting.length}）` : ""}`}>
      {awaiting.length === 0 ? (
        <EmptyState icon={<ClipboardCheck className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无待会签文书" />
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="awaiting-countersign">
          {awaiting.map((a) => (
            <li key={`${a.href}:${a.org}`} className="flex flex-col gap-0.5 py-2">
              <Link to={a.href} className="flex items-center gap-2 font-medium text-brand-700 hover:underline">
                <ClipboardCheck className="h-4 w-4 shrink-0 text-amber-600" aria-hidden />
                {a.title}
              </Link>
              <span className="pl-6 text-xs text-slate-500">
                {a.release
                  ? `解除挂牌确认 · ${a.title} · ${a.since} · 待${a.org}确认`
                  : `${a.type} · ${a.owner}发起第${a.round}轮 · ${a.since} · 待${a.org}会签`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ToReplyCard({ toReply }: { toReply: WorkbenchData["toReply"] }) {
  return (
    <Card
      title={`待书面回复的建议书（${toReply.length}）`}
      className="md:col-span-3"
      actions={
        <Link to="/recommendations?view=to" className="text-sm text-brand-700 hover:underline">
          建议书与整改
        </Link>
      }
    >
      <ul className="divide-y divide-slate-100" data-testid="to-reply">
        {toReply.map((r) => (
          <li key={r.id} className="flex flex-col gap-0.5 py-2 xl:flex-row xl:items-center xl:justify-between xl:gap-3">
            <Link
              to={`/recommendations/${r.id}`}
              className="flex items-center gap-2 font-medium text-brand-700 hover:underline"
            >
              <FileWarning className={`h-4 w-4 shrink-0 ${r.reply.overdue ? "text-red-600" : ""}`} aria-hidden />
              {r.title}
            </Link>
            <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
              {r.kind} · {r.issuer} · 回复期限 {r.due}
              <Badge tone={r.reply.tone}>{r.reply.label}</Badge>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function DraftsCard({
  drafts,
  canCreateDocument,
}: {
  drafts: WorkbenchData["drafts"];
  canCreateDocument: WorkbenchData["canCreateDocument"];
}) {
  return (
    <Card
      title="我参与的草稿"
      className="md:col-span-3"
      actions={
        <Link to="/documents" className="text-sm text-brand-700 hover:underline">
          全部文书
        </Link>
      }
    >
      {drafts.length === 0 ? (
        <EmptyState icon={<FilePen className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无草稿">
          {canCreateDocument ? (
            <Link to="/documents/new" className="text-brand-700 hover:underline">
              新建文书
            </Link>
          ) : (
            "受邀共同起草的文书会显示在这里。"
          )}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {drafts.map((d) => (
            <li
              key={d.id}
              className="flex flex-col gap-0.5 py-2 xl:flex-row xl:items-center xl:justify-between xl:gap-3"
            >
              <Link
                to={`/documents/${d.id}`}
                className="flex items-center gap-2 font-medium text-brand-700 hover:underline"
              >
                <FilePen className="h-4 w-4 shrink-0" aria-hidden />
                {d.title}
              </Link>
              <span className="shrink-0 text-xs text-slate-500">
                {d.type} · {d.owner} · {d.updatedAt}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** A short list of documents (最近打开, 我关注的): title, then type, owner and when. */
function MarkedList({ docs, testId, when }: { docs: WorkbenchData["recent"]; testId: string; when: string }) {
  return (
    <ul className="divide-y divide-slate-100" data-testid={testId}>
      {docs.map((d) => (
        <li key={d.id} className="flex flex-col gap-0.5 py-2">
          <Link to={`/documents/${d.id}`} className="font-medium text-brand-700 hover:underline">
            {d.title}
          </Link>
          <span className="text-xs text-slate-500">
            {d.type} · {d.owner} · {when} {d.at}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** 最近打开: the documents the user opened last (ADR 029). */
function RecentCard({ recent }: { recent: WorkbenchData["recent"] }) {
  return (
    <Card title="最近打开" className="md:col-span-2">
      {recent.length === 0 ? (
        <EmptyState icon={<History className="h-8 w-8 text-slate-300" aria-hidden />} title="还没有打开过文书">
          打开过的文书会按时间列在这里，方便回到刚才的工作。
        </EmptyState>
      ) : (
        <MarkedList docs={recent} testId="recent-documents" when="打开于" />
      )}
    </Card>
  );
}

/** 我关注的: the documents the user starred (☆ on the document page or in the list). */
function StarredCard({ starred }: { starred: WorkbenchData["starred"] }) {
  return (
    <Card
      title="我关注的"
      actions={
        <Link to="/documents?starred=1" className="text-sm text-brand-700 hover:underline">
          全部关注
        </Link>
      }
    >
      {starred.length === 0 ? (
        <EmptyState icon={<Star className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无关注的文书">
          在文书页或文书列表中点击 ☆ 关注，文书会显示在这里。
        </EmptyState>
      ) : (
        <MarkedList docs={starred} testId="starred-documents" when="关注于" />
      )}
    </Card>
  );
}
