import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarChart3, FilePlus2, FileWarning } from "lucide-react";
import { Badge, EmptyState, LinkButton, PageHeader, Table, Td, cx } from "~/components/ui";
import { presentRecommendationRow } from "~/models/recommendation.server";
import { canViewRecommendationOverview, registeringOrgIds } from "~/policies/recommendation";
import { requireUser } from "~/services/auth/current-user.server";
import { loadRegister } from "~/services/recommendation-pages.server";

export const meta: MetaFunction = () => [{ title: "建议书与整改 · 会商协同" }];

const VIEWS = { to: "发给本单位", from: "本单位发出", copy: "抄送本单位" } as const;
type View = keyof typeof VIEWS;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { view, counts, rows } = await loadRegister(user.actor, new URL(request.url).searchParams.get("view"));
  const now = new Date();
  return json({
    view,
    counts,
    overview: canViewRecommendationOverview(user.actor),
    // The same rule as the register page: offer 登记建议书 only to whoever may register.
    canRegister: registeringOrgIds(user.actor).length > 0,
    rows: rows.map((r) => presentRecommendationRow(r, now)),
  });
}

export default function Recommendations() {
  const { view, counts, rows, overview, canRegister } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="建议书与整改"
        description="检察建议书、司法建议书、纪检监察建议书、行政复议意见书和行政执法监督意见书：登记、制定整改方案、跟踪整改措施、书面回复。"
        actions={
          <div className="flex gap-2">
            {overview ? (
              <LinkButton to="/recommendations/overview">
                <BarChart3 className="h-4 w-4" aria-hidden />
                辖区总览
              </LinkButton>
            ) : null}
            {canRegister ? (
              <LinkButton to="/recommendations/new" variant="primary">
                <FilePlus2 className="h-4 w-4" aria-hidden />
                登记建议书
              </LinkButton>
            ) : null}
          </div>
        }
      />
      <nav aria-label="建议书分类" className="mb-4 flex gap-1 border-b border-slate-200">
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <Link
            key={v}
            to={`?view=${v}`}
            aria-current={view === v ? "page" : undefined}
            className={cx(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              view === v ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900",
            )}
          >
            {VIEWS[v]}（{counts[v]}）
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <EmptyState
          icon={<FileWarning className="h-8 w-8 text-slate-300" aria-hidden />}
          title={`暂无${VIEWS[view]}的建议书`}
        >
          登记后，发出单位、主送单位和抄送单位都能在这里看到它和回复期限。
        </EmptyState>
      ) : (
        <Table
          head={[
            "文号",
            "种类",
            "事由",
            view === "from" ? "主送单位" : "发出单位",
            "收到日期",
            "回复期限",
            "回复情况",
            "状态",
          ]}
          caption={VIEWS[view]}
        >
          {rows.map((r) => (
            <tr
              key={r.id}
              className={cx("hover:bg-slate-50", r.reply.overdue && r.statusCode !== "CLOSED" ? "bg-red-50/60" : "")}
            >
              <Td className="whitespace-nowrap">{r.docNumber}</Td>
              <Td className="whitespace-nowrap">{r.kind}</Td>
              <Td>
                <Link to={`/recommendations/${r.id}`} className="font-medium text-brand-700 hover:underline">
                  {r.title}
                </Link>
                {view === "copy" ? (
                  <span className="block text-xs text-slate-500">
                    {r.issuer} → {r.recipient}
                  </span>
                ) : null}
              </Td>
              <Td>{view === "from" ? r.recipient : r.issuer}</Td>
              <Td className="whitespace-nowrap">{r.received}</Td>
              <Td className="whitespace-nowrap">{r.due}</Td>
              <Td className="whitespace-nowrap">
                <Badge tone={r.reply.tone}>{r.reply.label}</Badge>
              </Td>
              <Td className="whitespace-nowrap">{r.status}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
