import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BookOpenCheck, ExternalLink, FilePlus2 } from "lucide-react";
import { Badge, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { batchDeadline, CASE_STATUS_LABELS } from "~/domain/typical-case";
import { requireUser } from "~/services/auth/current-user.server";
import { chinaDay, endOfChinaDay, formatDate } from "~/domain/dates";

export const meta: MetaFunction = () => [{ title: "典型案例 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const orgIds = user.actor.memberships.map((m) => m.orgId);
  // A justice bureau sees the cases of its region and the regions below (batch tracking).
  const regions = [
    ...new Set(user.actor.memberships.filter((m) => m.orgKind === "JUSTICE_BUREAU").map((m) => m.regionPath)),
  ];
  const db = getDb();
  const cases = await db.document.findMany({
    where: {
      type: "TYPICAL_CASE",
      OR: [
        { ownerOrgId: { in: orgIds } },
        { members: { some: { orgId: { in: orgIds } } } },
        ...regions.map((path) => ({ ownerOrg: { region: { path: { startsWith: path } } } })),
      ],
    },
    select: {
      id: true,
      title: true,
      status: true,
      updatedAt: true,
      ownerOrg: { select: { name: true } },
      typicalCase: { select: { batch: true, field: true } },
      publications: { where: { current: true }, select: { slug: true, state: true } },
    },
    orderBy: { updatedAt: "desc" },
    take: 500,
  });
  const firstPublished = await db.publication.groupBy({
    by: ["documentId"],
    where: { documentId: { in: cases.map((c) => c.id) }, version: 1 },
    _min: { publishedAt: true },
  });
  const publishedAt = new Map(firstPublished.map((p) => [p.documentId, p._min.publishedAt]));
  const today = chinaDay();
  const batches = new Map<string, typeof cases>();
  for (const c of cases) {
    const batch = c.typicalCase?.batch ?? "未分批";
    batches.set(batch, [...(batches.get(batch) ?? []), c]);
  }
  return json({
    canCreate: user.actor.memberships.some(
      (m) => m.role === "ADMIN" || m.role === "COORDINATOR" || m.role === "DRAFTER",
    ),
    batches: [...batches.entries()]
      .sort((a, b) => b[0].localeCompare(a[0], "zh-CN"))
      .map(([batch, list]) => {
        const deadline = batchDeadline(batch);
        const published = list.filter((c) => publishedAt.get(c.id));
        const onTime = deadline
          ? published.some((c) => publishedAt.get(c.id)!.getTime() <= endOfChinaDay(deadline).getTime())
          : false;
        const state = onTime
          ? { tone: "green" as const, label: "已按时发布" }
          : deadline && today > deadline
            ? { tone: "red" as const, label: published.length ? "逾期发布" : "逾期未发布" }
            : { tone: "amber" as const, label: published.length ? "已发布" : "待发布" };
        return {
          batch,
          deadline: deadline ? formatDate(endOfChinaDay(deadline)) : null,
          state,
          total: list.length,
          published: published.length,
          cases: list.map((c) => ({
            id: c.id,
            title: c.title,
            owner: c.ownerOrg.name,
            field: c.typicalCase?.field ?? "",
            status: CASE_STATUS_LABELS[c.status] ?? c.status,
            statusCode: c.status,
            publicSlug: c.publications[0]?.state === "PUBLISHED" ? c.publications[0].slug : null,
          })),
        };
      }),
  });
}

export default function TypicalCases() {
  const { batches, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="典型案例"
        description="从案卷评查中遴选典型案例，共同起草、脱敏检查、审核后向社会公布；原则上每半年公布一批。"
        actions={
          <div className="flex gap-2">
            <LinkButton to="/cases" reloadDocument>
              <ExternalLink className="h-4 w-4" aria-hidden />
              公开案例库
            </LinkButton>
            {canCreate ? (
              <LinkButton to="/typical-cases/new" variant="primary">
                <FilePlus2 className="h-4 w-4" aria-hidden />
                起草典型案例
              </LinkButton>
            ) : null}
          </div>
        }
      />
      {batches.length === 0 ? (
        <EmptyState icon={<BookOpenCheck className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无典型案例">
          本单位起草或共同发布的案例会按批次显示在这里。
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          {batches.map((b) => (
            <section
              key={b.batch}
              aria-label={b.batch}
              className="rounded-lg border border-slate-200 bg-white shadow-sm"
              data-testid="batch"
            >
              <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
                <h2 className="text-base font-semibold text-slate-800">{b.batch}</h2>
                <p className="flex items-center gap-2 text-sm text-slate-600">
                  <span>
                    共 {b.total} 件，已发布 {b.published} 件
                  </span>
                  {b.deadline ? <span>· 应于 {b.deadline} 前发布</span> : null}
                  <Badge tone={b.state.tone}>{b.state.label}</Badge>
                </p>
              </header>
              <ul className="divide-y divide-slate-100">
                {b.cases.map((c) => (
                  <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
                    <Link to={`/documents/${c.id}`} className="font-medium text-brand-700 hover:underline">
                      {c.title}
                    </Link>
                    <span className="flex items-center gap-2 text-xs text-slate-500">
                      {c.field} · {c.owner}
                      <Badge
                        tone={c.statusCode === "PUBLISHED" ? "green" : c.statusCode === "DRAFT" ? "slate" : "blue"}
                      >
                        {c.status}
                      </Badge>
                      {c.publicSlug ? (
                        <a href={`/cases/${c.publicSlug}`} className="text-brand-700 hover:underline">
                          公开页面
                        </a>
                      ) : null}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
