import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Scale } from "lucide-react";
import { Badge, Button, EmptyState, FilterSelect, SubpageHeader, Table, Td } from "~/components/ui";
import { chartDescription, chartSvg, type ChartSpec } from "~/domain/chart";
import { LITIGATION_REFUSAL, percentLabel } from "~/domain/litigation";
import { canViewLitigationTrends } from "~/policies/litigation";
import { registeringOrgIds } from "~/policies/recommendation";
import { canConvene } from "~/policies/consultation";
import { requireUser } from "~/services/auth/current-user.server";
import { loadLitigationTrends } from "~/services/litigation-pages.server";
import { httpError } from "~/utils/errors";

export const meta: MetaFunction = () => [{ title: "府院联动趋势与预警 · 会商协同" }];

/**
 * 趋势与预警 (ADR 025): per defendant agency, the submitted figures of the last eight quarters; an
 * agency whose 败诉率 rose two quarters in a row is flagged and can be sent a 行政执法监督意见书 or
 * put on the next 协调会商's agenda from here (both open their usual form, filled in).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canViewLitigationTrends(user.actor)) throw httpError("FORBIDDEN", LITIGATION_REFUSAL);
  const region = new URL(request.url).searchParams.get("region");
  const page = await loadLitigationTrends(user, region, new Date());
  if (!page) throw httpError("FORBIDDEN", LITIGATION_REFUSAL);
  return json({
    ...page,
    can: {
      recommend: registeringOrgIds(user.actor).length > 0,
      convene: user.actor.memberships.some((m) => canConvene(user.actor, m.orgId)),
    },
  });
}

export default function LitigationTrends() {
  const { regions, regionPath, quarters, trend, totals, can, region } = useLoaderData<typeof loader>();
  const regionName = regions.find((r) => r.path === regionPath)?.name ?? "";
  const rising = trend.filter((t) => t.rising);
  const spec: ChartSpec = {
    kind: "line",
    title: `${regionName}行政机关败诉率`,
    unit: "%",
    categories: quarters,
    series: [{ name: "败诉率", values: totals.map((t) => t?.lossRate ?? null) }],
  };
  const hasData = totals.some((t) => t !== null);
  return (
    <>
      <SubpageHeader
        back={{ to: "/litigation", label: "府院联动" }}
        title="趋势与预警"
        subtitle="各被告单位近八个季度的收案数和败诉率（法院报送的数据）。败诉率连续两个季度上升的单位列为预警；双下降指本年度已报送季度的收案数和败诉率均低于上年同期。"
      />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
        <FilterSelect
          label="区划"
          name="region"
          value={regionPath}
          all="本单位所在区划"
          choices={regions.map((r) => ({ value: r.path, label: r.name }))}
        />
        <Button type="submit" variant="secondary">
          查看
        </Button>
      </Form>
      {!hasData ? (
        <EmptyState
          icon={<Scale className="h-8 w-8 text-slate-300" aria-hidden />}
          title="本区划还没有法院报送的数据"
        />
      ) : (
        <>
          <div className="mb-4 grid items-start gap-4 lg:grid-cols-2">
            <figure className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <img
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(chartSvg(spec))}`}
                alt={chartDescription(spec)}
                className="mx-auto w-full"
              />
              <figcaption className="mt-2 text-center text-sm text-slate-600">{spec.title}（各季度合计）</figcaption>
            </figure>
            <div className="flex flex-col gap-2">
              {region ? (
                <p className="text-sm text-slate-700" data-testid="region-double-decline">
                  {`全地区${region.year}年双下降${region.met ? "已实现" : "未实现"}：收案数 ${region.filed[0]} → ${region.filed[1]} 件，败诉率 ${percentLabel(region.lossRate[0])} → ${percentLabel(region.lossRate[1])}（与上年同期相比）。`}
                </p>
              ) : null}
              <p
                className={rising.length ? "text-sm font-medium text-red-800" : "text-sm text-slate-700"}
                role="status"
                data-testid="rising-summary"
              >
                {rising.length
                  ? `预警：${rising.map((r) => r.agencyName).join("、")}败诉率连续两个季度上升。`
                  : "没有败诉率连续两个季度上升的单位。"}
              </p>
              <p className="text-xs text-slate-500">各季度一栏为“收案数 / 败诉率”，败诉率按审结数计算。</p>
            </div>
          </div>
          <Table
            head={["被告单位", "预警与处置", "双下降", ...quarters]}
            caption="各被告单位趋势（各季度：收案数 / 败诉率）"
          >
            {trend.map((t) => (
              <tr key={t.agencyOrgId} data-testid="trend-row" data-rising={t.rising ? "yes" : "no"}>
                <Td className="whitespace-nowrap font-medium">{t.agencyName}</Td>
                <Td>
                  <FlagActions row={t} can={can} />
                </Td>
                <Td className="whitespace-nowrap">
                  {t.doubleDecline ? (
                    <Badge tone={t.doubleDecline.met ? "green" : "slate"}>
                      {t.doubleDecline.met ? "已实现" : "未实现"}
                    </Badge>
                  ) : (
                    <span className="text-slate-500">无上年同期数据</span>
                  )}
                </Td>
                {t.cells.map((c, i) => (
                  <Td key={quarters[i]} className="whitespace-nowrap tabular-nums">
                    {c ? `${c.filed} / ${percentLabel(c.lossRate)}` : "—"}
                  </Td>
                ))}
              </tr>
            ))}
          </Table>
        </>
      )}
    </>
  );
}

/** 预警与处置: a flagged agency's badge and its two one-step actions (each opens its usual form, filled in). */
function FlagActions({
  row,
  can,
}: {
  row: { agencyOrgId: string; agencyName: string; rising: boolean; cells: Array<{ lossRate: number | null } | null> };
  can: { recommend: boolean; convene: boolean };
}) {
  if (!row.rising) return <span className="text-slate-500">—</span>;
  const rates = row.cells
    .filter((c): c is { lossRate: number | null } => c !== null)
    .slice(-3)
    .map((c) => percentLabel(c.lossRate))
    .join(" → ");
  return (
    <div className="flex flex-col gap-1">
      <Badge tone="red">败诉率连续上升</Badge>
      {can.recommend ? (
        <Link
          className="text-sm text-brand-700 hover:underline"
          to={`/recommendations/new?${new URLSearchParams({
            kind: "SUPERVISION",
            recipient: row.agencyOrgId,
            title: `关于${row.agencyName}行政诉讼败诉率连续上升问题的行政执法监督意见书`,
            problems: `行政诉讼败诉率连续两个季度上升（${rates}）`,
          })}`}
        >
          发出行政执法监督意见书
        </Link>
      ) : null}
      {can.convene ? (
        <Link
          className="text-sm text-brand-700 hover:underline"
          to={`/consultations/new?${new URLSearchParams({
            agenda: `研究${row.agencyName}行政诉讼败诉率连续上升问题`,
            attend: row.agencyOrgId,
          })}`}
        >
          列入下次协调会商议题
        </Link>
      ) : null}
    </div>
  );
}
