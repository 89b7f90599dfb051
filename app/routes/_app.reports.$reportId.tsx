import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Notice, SubpageHeader, Table, Td } from "~/components/ui";
import { formatDateTime } from "~/domain/dates";
import { THEMATIC_SECTION_TITLES, figureLines } from "~/domain/thematic-report";
import { requireUser } from "~/services/auth/current-user.server";
import { compareThematicFigures } from "~/services/thematic-reports.server";
import { orThrowHttp } from "~/utils/errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `数据比对：${data.report.title} · 会商协同` : "数据比对 · 会商协同" },
];

/**
 * 数据比对 (ADR 026): the figures frozen into a 专题报告 at generation next to the same figures read
 * now, with what changed; the drafters decide what to write about it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  const c = await orThrowHttp(() => compareThematicFigures(user, params.reportId ?? "", now));
  const current = new Map(figureLines(c.current).map((l) => [`${l.section}|${l.label}`, l.value]));
  return json({
    report: { ...c.report, generatedAt: formatDateTime(c.report.generatedAt) },
    readAt: formatDateTime(now),
    changes: c.changes.map((l) => ({ ...l, section: THEMATIC_SECTION_TITLES[l.section] })),
    lines: figureLines(c.frozen).map((l) => ({
      section: THEMATIC_SECTION_TITLES[l.section],
      label: l.label,
      unit: l.unit,
      frozen: l.value,
      now: current.get(`${l.section}|${l.label}`) ?? null,
    })),
  });
}

const show = (v: number | null, unit: string) => (v === null ? "—" : unit === "%" ? `${v.toFixed(1)}%` : `${v}${unit}`);

export default function ThematicComparison() {
  const { report, readAt, changes, lines } = useLoaderData<typeof loader>();
  return (
    <>
      <SubpageHeader
        back={{ to: `/documents/${report.documentId}`, label: "专题报告" }}
        title="数据比对"
        subtitle={`${report.title}：${report.regionName}，${report.period}。报告数据截至 ${report.generatedAt}，系统数据读取于 ${readAt}。`}
      />
      <div className="mb-4" role="status">
        {changes.length === 0 ? (
          <Notice tone="success">生成报告以来，系统数据没有变化。</Notice>
        ) : (
          <Notice>
            生成报告以来有 {changes.length} 项数据发生变化。报告正文中的数字不会自动改变，请起草单位核对后修改。
          </Notice>
        )}
      </div>
      {changes.length ? (
        <section aria-labelledby="changes-heading" className="mb-6">
          <h2 id="changes-heading" className="mb-2 text-base font-semibold text-slate-800">
            发生变化的数据
          </h2>
          <Table head={["部分", "数据项", "报告中", "当前", "变化"]} caption="发生变化的数据">
            {changes.map((c) => (
              <tr key={`${c.section}${c.label}`} data-testid="changed-figure">
                <Td>{c.section}</Td>
                <Td>{c.label}</Td>
                <Td className="tabular-nums">{show(c.before, c.unit)}</Td>
                <Td className="tabular-nums font-medium">{show(c.value, c.unit)}</Td>
                <Td className="tabular-nums">
                  {c.before !== null && c.value !== null
                    ? `${c.value > c.before ? "+" : ""}${(c.value - c.before).toFixed(c.unit === "%" ? 1 : 0)}`
                    : "—"}
                </Td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
      <section aria-labelledby="all-heading">
        <h2 id="all-heading" className="mb-2 text-base font-semibold text-slate-800">
          全部数据
        </h2>
        {[...new Set(lines.map((l) => l.section))].map((section) => (
          <div key={section} className="mb-4">
            <h3 className="mb-1 text-sm font-semibold text-slate-700">{section}</h3>
            <Table head={["数据项", "报告中", "当前"]} caption={section}>
              {lines
                .filter((l) => l.section === section)
                .map((l) => (
                  <tr key={l.label}>
                    <Td>{l.label}</Td>
                    <Td className="tabular-nums">{show(l.frozen, l.unit)}</Td>
                    <Td className="tabular-nums">{show(l.now, l.unit)}</Td>
                  </tr>
                ))}
            </Table>
          </div>
        ))}
      </section>
      <p className="mt-4 text-sm">
        <Link to={`/documents/${report.documentId}`} className="text-brand-700 hover:underline">
          返回报告正文
        </Link>
      </p>
    </>
  );
}
