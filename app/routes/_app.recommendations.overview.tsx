import { isId } from "~/domain/ids";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AlertTriangle, FileWarning } from "lucide-react";
import { HorizontalBarChart, type BarDatum } from "~/components/charts";
import { Badge, Button, EmptyState, FilterSelect, LinkButton, SubpageHeader, cx } from "~/components/ui";
import { presentRecommendationRow } from "~/models/recommendation.server";
import {
  awaitsReply,
  RECOMMENDATION_KIND_LABELS,
  RECOMMENDATION_KINDS,
  RECOMMENDATION_STATUS_LABELS,
  RECOMMENDATION_STATUSES,
  replyState,
  type RecommendationKind,
  type RecommendationStatus,
} from "~/domain/recommendation";
import { canViewRecommendationOverview } from "~/policies/recommendation";
import { requireUser } from "~/services/auth/current-user.server";
import { loadRegionOverview } from "~/services/recommendation-pages.server";
import { httpError } from "~/utils/errors";

export const meta: MetaFunction = () => [{ title: "建议书辖区总览 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canViewRecommendationOverview(user.actor)) throw httpError("FORBIDDEN", "辖区总览供司法行政机关使用。");
  const params = new URL(request.url).searchParams;
  const kind = (RECOMMENDATION_KINDS as readonly string[]).includes(params.get("kind") ?? "")
    ? (params.get("kind") as RecommendationKind)
    : undefined;
  const status = (RECOMMENDATION_STATUSES as readonly string[]).includes(params.get("status") ?? "")
    ? (params.get("status") as RecommendationStatus)
    : undefined;
  const recipient = isId(params.get("recipient")) ? params.get("recipient")! : undefined;
  const overdueOnly = params.get("overdue") === "1";
  const now = new Date();
  const { all, rows } = await loadRegionOverview(user.actor, {
    kind,
    status,
    recipientOrgId: recipient,
    overdueOnly,
    now,
  });
  const states = new Map(all.map((r) => [r.id, replyState(r, now)]));
  const link = (key: string, value: string) => `?${new URLSearchParams({ [key]: value }).toString()}`;
  const byKind: BarDatum[] = RECOMMENDATION_KINDS.map((k) => {
    const list = all.filter((r) => r.kind === k);
    return {
      key: k,
      label: RECOMMENDATION_KIND_LABELS[k],
      value: list.length,
      overdue: list.filter((r) => states.get(r.id)?.overdue).length,
      tone: "blue" as const,
      href: link("kind", k),
    };
  }).filter((d) => d.value > 0);
  const byStatus: BarDatum[] = RECOMMENDATION_STATUSES.map((s) => {
    const list = all.filter((r) => r.status === s);
    return {
      key: s,
      label: RECOMMENDATION_STATUS_LABELS[s],
      value: list.length,
      overdue: list.filter((r) => states.get(r.id)?.overdue).length,
      tone: s === "CLOSED" || s === "REPLIED" ? ("green" as const) : ("blue" as const),
      href: link("status", s),
    };
  }).filter((d) => d.value > 0);
  const recipients = new Map<string, { name: string; value: number; overdue: number }>();
  for (const r of all) {
    const entry = recipients.get(r.recipientOrgId) ?? { name: r.recipientOrg.name, value: 0, overdue: 0 };
    entry.value++;
    if (states.get(r.id)?.overdue) entry.overdue++;
    recipients.set(r.recipientOrgId, entry);
  }
  const byRecipient: BarDatum[] = [...recipients.entries()]
    .sort((a, b) => b[1].value - a[1].value)
    .slice(0, 10)
    .map(([id, e]) => ({
      key: id,
      label: e.name.replace(/^示例[省市]/, ""),
      fullLabel: e.name,
      value: e.value,
      overdue: e.overdue,
      tone: "blue" as const,
      href: link("recipient", id),
    }));
  return json({
    filters: { kind: kind ?? "", status: status ?? "", recipient: recipient ?? "", overdue: overdueOnly },
    options: { recipients: [...recipients.entries()].map(([id, e]) => ({ value: id, label: e.name })) },
    summary: {
      total: all.length,
      rectifying: all.filter(awaitsReply).length,
      onTime: all.filter((r) => r.repliedAt && !r.repliedLate).length,
      late: all.filter((r) => r.repliedLate).length,
      overdueOpen: all.filter((r) => !r.repliedAt && states.get(r.id)?.overdue).length,
    },
    charts: { byKind, byStatus, byRecipient },
    rows: rows.map((r) => presentRecommendationRow(r, now)),
  });
}

export default function RecommendationOverview() {
  const { summary, charts, rows, filters, options } = useLoaderData<typeof loader>();
  const tiles = [
    { label: "建议书总数", value: summary.total, tone: "text-slate-900" },
    { label: "尚未回复", value: summary.rectifying, tone: "text-brand-700" },
    { label: "按期回复", value: summary.onTime, tone: "text-green-700" },
    { label: "逾期回复", value: summary.late, tone: "text-red-700" },
    { label: "逾期未回复", value: summary.overdueOpen, tone: "text-red-700" },
  ];
  return (
    <>
      <SubpageHeader
        back={{ to: "/recommendations", label: "建议书与整改" }}
        title="建议书辖区总览"
        subtitle="本辖区及下级区域各单位收到的建议书、意见书：按种类、主送单位和办理状态统计，逾期回复以红色标出。"
      />
      <section aria-label="汇总" className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-5">
        {tiles.map((t) => (
          <div key={t.label} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
            <p className="text-xs text-slate-500">{t.label}</p>
            <p className={cx("text-2xl font-semibold tabular-nums", t.tone)} data-testid={`tile-${t.label}`}>
              {t.value}
            </p>
          </div>
        ))}
      </section>
      {summary.total > 0 ? (
        <section aria-label="统计图" className="mb-4 grid gap-4 lg:grid-cols-3">
          <HorizontalBarChart title="按种类" note="红色为逾期" data={charts.byKind} width={360} labelWidth={112} />
          <HorizontalBarChart title="按办理状态" note="红色为逾期" data={charts.byStatus} width={360} labelWidth={96} />
          <HorizontalBarChart
            title="按主送单位"
            note="前 10 个单位"
            data={charts.byRecipient}
            width={360}
            labelWidth={132}
          />
        </section>
      ) : null}
      <OverviewFilters filters={filters} recipients={options.recipients} />
      {rows.length === 0 ? (
        <EmptyState
          icon={<FileWarning className="h-8 w-8 text-slate-300" aria-hidden />}
          title="没有符合条件的建议书"
        />
      ) : (
        <OverviewTable rows={rows} />
      )}
    </>
  );
}

type OverviewData = SerializeFrom<typeof loader>;

function OverviewFilters({
  filters,
  recipients,
}: {
  filters: OverviewData["filters"];
  recipients: OverviewData["options"]["recipients"];
}) {
  return (
    <Form
      method="get"
      className="mb-3 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm"
      aria-label="筛选"
    >
      <FilterSelect
        idPrefix="overview"
        label="种类"
        name="kind"
        value={filters.kind}
        all="全部种类"
        choices={RECOMMENDATION_KINDS.map((k) => ({ value: k, label: RECOMMENDATION_KIND_LABELS[k] }))}
      />
      <FilterSelect
        idPrefix="overview"
        label="状态"
        name="status"
        value={filters.status}
        all="全部状态"
        choices={RECOMMENDATION_STATUSES.map((s) => ({ value: s, label: RECOMMENDATION_STATUS_LABELS[s] }))}
      />
      <FilterSelect
        idPrefix="overview"
        label="主送单位"
        name="recipient"
        value={filters.recipient}
        all="全部单位"
        choices={recipients}
      />
      <label className="flex items-center gap-2 pb-2">
        <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} />
        只看逾期
      </label>
      <Button type="submit" variant="secondary">
        筛选
      </Button>
      <LinkButton to="/recommendations/overview">清除</LinkButton>
    </Form>
  );
}

function OverviewTable({ rows }: { rows: OverviewData["rows"] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="overview-table">
        <caption className="sr-only">辖区建议书</caption>
        <thead className="bg-slate-50 text-left text-xs text-slate-600">
          <tr>
            {["文号", "种类", "事由", "发出单位", "主送单位", "回复期限", "回复情况", "状态"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} data-testid="overview-row" className={r.reply.overdue ? "bg-red-50" : undefined}>
              <td className="whitespace-nowrap px-3 py-2">{r.docNumber}</td>
              <td className="whitespace-nowrap px-3 py-2">{r.kind}</td>
              <td className="px-3 py-2">
                <Link to={`/recommendations/${r.id}`} className="font-medium text-brand-700 hover:underline">
                  {r.title}
                </Link>
              </td>
              <td className="px-3 py-2">{r.issuer}</td>
              <td className="px-3 py-2">
                {r.recipient}
                <span className="block text-xs text-slate-600">{r.region}</span>
              </td>
              <td className="whitespace-nowrap px-3 py-2 tabular-nums">{r.due}</td>
              <td className="whitespace-nowrap px-3 py-2">
                <Badge tone={r.reply.tone}>
                  {r.reply.overdue ? <AlertTriangle className="h-3 w-3" aria-hidden /> : null}
                  {r.reply.label}
                </Badge>
                {r.repliedAt ? <span className="block text-xs text-slate-600">{r.repliedAt}</span> : null}
              </td>
              <td className="whitespace-nowrap px-3 py-2">{r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
