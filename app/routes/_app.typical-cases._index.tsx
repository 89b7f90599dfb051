import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BookOpenCheck, ExternalLink, FilePlus2 } from "lucide-react";
import { Badge, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { canCreateCase } from "~/policies/typical-case";
import { requireUser } from "~/services/auth/current-user.server";
import { listCaseBatches } from "~/services/typical-cases.server";

export const meta: MetaFunction = () => [{ title: "典型案例 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({
    canCreate: user.actor.memberships.some((m) => canCreateCase(user.actor, m.orgId)),
    batches: await listCaseBatches(user),
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
