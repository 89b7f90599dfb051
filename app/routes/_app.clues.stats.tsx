import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FileSearch } from "lucide-react";
import { HorizontalBarChart, type BarDatum } from "~/components/charts";
import { EmptyState, SubpageHeader, Table, Td, cx } from "~/components/ui";
import { FEEDBACK_OUTCOME_LABELS } from "~/domain/clue";
import { canViewClueStats } from "~/policies/clue";
import { requireUser } from "~/services/auth/current-user.server";
import { loadClueStats } from "~/services/clue-pages.server";
import { httpError } from "~/utils/errors";

export const meta: MetaFunction = () => [{ title: "线索移送统计 · 会商协同" }];

/** 线索移送统计 of a justice bureau: how many clues it sent, along which routes, and how they ended — counts only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canViewClueStats(user.actor)) throw httpError("FORBIDDEN", "线索移送统计供司法行政机关的督办协调员使用。");
  const stats = await loadClueStats(user.actor, new Date());
  const byOutcome: BarDatum[] = stats.byOutcome.map((o) => ({
    key: o.outcome,
    label: FEEDBACK_OUTCOME_LABELS[o.outcome],
    value: o.value,
    tone: "blue" as const,
  }));
  const byReceiver: BarDatum[] = stats.byReceiver.slice(0, 10).map((r) => ({
    key: r.name,
    label: r.name.replace(/^示例[省市]/, ""),
    fullLabel: r.name,
    value: r.value,
    tone: "blue" as const,
  }));
  return json({ summary: stats.summary, byRoute: stats.byRoute, charts: { byOutcome, byReceiver } });
}

export default function ClueStats() {
  const { summary, byRoute, charts } = useLoaderData<typeof loader>();
  const tiles = [
    { label: "移送线索", value: summary.total, tone: "text-slate-900" },
    { label: "待签收", value: summary.awaitingReceipt, tone: "text-brand-700" },
    { label: "逾期未签收", value: summary.overdueReceipt, tone: "text-red-700" },
    { label: "被退回", value: summary.returned, tone: "text-slate-700" },
    { label: "逾期未反馈", value: summary.overdueFeedback, tone: "text-red-700" },
    { label: "已反馈", value: summary.feedback, tone: "text-green-700" },
    { label: "已办结", value: summary.closed, tone: "text-green-700" },
  ];
  return (
    <>
      <SubpageHeader
        back={{ to: "/clues", label: "线索移送" }}
        title="线索移送统计"
        subtitle="本单位移送的线索：按移送路径、接收单位和反馈的办理结果统计。只含数量，不含线索内容和人员信息。"
      />
      <section aria-label="汇总" className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        {tiles.map((t) => (
          <div key={t.label} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
            <p className="text-xs text-slate-500">{t.label}</p>
            <p className={cx("text-2xl font-semibold tabular-nums", t.tone)} data-testid={`tile-${t.label}`}>
              {t.value}
            </p>
          </div>
        ))}
      </section>
      {summary.total === 0 ? (
        <EmptyState icon={<FileSearch className="h-8 w-8 text-slate-300" aria-hidden />} title="本单位尚未移送线索" />
      ) : (
        <>
          <section aria-label="统计图" className="mb-4 grid gap-4 lg:grid-cols-2">
            <HorizontalBarChart title="按办理结果" note="接收单位反馈的结果" data={charts.byOutcome} width={420} />
            <HorizontalBarChart
              title="按接收单位"
              note="前 10 个单位"
              data={charts.byReceiver}
              width={420}
              labelWidth={132}
            />
          </section>
          <Table head={["线索类别", "移送路径", "移送", "已签收", "被退回", "已反馈", "已办结"]} caption="按移送路径">
            {byRoute.map((r) => (
              <tr key={r.key} data-testid="route-row">
                <Td>{r.label}</Td>
                <Td className="text-slate-600">{r.direction}</Td>
                <Td className="tabular-nums">{r.total}</Td>
                <Td className="tabular-nums">{r.received}</Td>
                <Td className="tabular-nums">{r.returned}</Td>
                <Td className="tabular-nums">{r.feedback}</Td>
                <Td className="tabular-nums">{r.closed}</Td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </>
  );
}
