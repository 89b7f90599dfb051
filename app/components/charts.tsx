import { useId, type ReactNode } from "react";

/**
 * Hand-made SVG charts (no chart library): each is a <figure> with a visible title, an SVG with an
 * aria-label that states the numbers, and a visually hidden table carrying the same data for
 * screen readers. A bar chart whose bars lead somewhere is a group of links (each named, reachable
 * with Tab, with a focus ring); one without links is an image. Colour never carries meaning alone:
 * every bar has its number beside it, the legend names each colour (逾期 red, 已销号 green), and
 * series told apart also differ in shape (outlined against solid). Bars and lines are at least 3:1
 * against white (WCAG 1.4.11).
 */

const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

/** Bar colours (literal class names so Tailwind keeps them). */
export const BAR_TONES = {
  slate: "fill-slate-500",
  blue: "fill-blue-600",
  sky: "fill-sky-600",
  green: "fill-green-600",
  amber: "fill-amber-600",
  muted: "fill-slate-300",
} as const;
export type BarTone = keyof typeof BAR_TONES;

function ChartFrame({
  title,
  note,
  children,
  className,
}: {
  title: string;
  note?: string;
  children: (ids: { titleId: string }) => ReactNode;
  className?: string;
}) {
  const titleId = useId();
  return (
    <figure
      aria-labelledby={titleId}
      className={`flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className ?? ""}`}
    >
      <figcaption className="mb-2 flex items-baseline justify-between gap-2">
        <h2 id={titleId} className="text-sm font-semibold text-slate-800">
          {title}
        </h2>
        {note ? <span className="text-xs text-slate-500">{note}</span> : null}
      </figcaption>
      {children({ titleId })}
    </figure>
  );
}

function Legend({ items }: { items: Array<{ label: string; className: string }> }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden>
      {items.map((i) => (
        <li key={i.label} className="flex items-center gap-1.5">
          <svg width="10" height="10" aria-hidden>
            <rect x="1" y="1" width="8" height="8" rx="2" strokeWidth={1.5} className={i.className} />
          </svg>
          {i.label}
        </li>
      ))}
    </ul>
  );
}

export interface BarDatum {
  key: string;
  label: string;
  /** Full name for the tooltip and the table when `label` is abbreviated. */
  fullLabel?: string;
  value: number;
  /** The part of `value` drawn red (逾期). */
  overdue?: number;
  tone: BarTone;
  href?: string;
}

/** Cuts a label to about `max` columns (CJK counts two, Latin one) with an ellipsis. */
function fit(label: string, max: number): string {
  let width = 0;
  for (let i = 0; i < label.length; i++) {
    width += label.charCodeAt(i) > 0xff ? 2 : 1;
    if (width > max) return `${label.slice(0, Math.max(1, i - 1))}…`;
  }
  return label;
}

/**
 * Horizontal bars, one row per datum, with its count at the end; the overdue part of a bar is red
 * and counted in red text beside it.
 */
// eslint-disable-next-line max-lines-per-function -- one SVG drawing: axes, bars or lines, labels and the accessible table read top to bottom
export function HorizontalBarChart({
  title,
  note,
  data,
  width = 400,
  labelWidth = 96,
  emptyText = "没有数据",
  rowHeight = 26,
  className,
}: {
  title: string;
  note?: string;
  data: BarDatum[];
  width?: number;
  labelWidth?: number;
  emptyText?: string;
  /** Height of one row in SVG units (the bar is 10 less). */
  rowHeight?: number;
  className?: string;
}) {
  const row = rowHeight;
  const valueWidth = 92;
  const max = Math.max(1, ...data.map((d) => d.value));
  const barSpace = width - labelWidth - valueWidth - 8;
  const height = Math.max(row, data.length * row);
  const anyOverdue = data.some((d) => (d.overdue ?? 0) > 0);
  const linked = data.some((d) => d.href);
  const summary = data
    .map((d) => `${d.fullLabel ?? d.label} ${d.value} 项${d.overdue ? `，其中逾期 ${d.overdue} 项` : ""}`)
    .join("；");
  return (
    <ChartFrame title={title} note={note} className={className}>
      {() =>
        data.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-500">{emptyText}</p>
        ) : (
          <>
            <svg
              viewBox={`0 0 ${width} ${height}`}
              width="100%"
              role={linked ? "group" : "img"}
              aria-label={`${title}：${summary}`}
              style={{ fontFamily: FONT }}
            >
              {data.map((d, i) => {
                const y = i * row;
                const w = d.value > 0 ? Math.max(2, (d.value / max) * barSpace) : 0;
                const ow = d.overdue ? Math.max(2, (d.overdue / max) * barSpace) : 0;
                const bar = (
                  <g>
                    <title>{`${d.fullLabel ?? d.label}：${d.value} 项${d.overdue ? `，逾期 ${d.overdue} 项` : ""}`}</title>
                    <rect x={0} y={y} width={width} height={row} className="fill-transparent hover:fill-slate-50" />
                    <text
                      x={labelWidth - 8}
                      y={y + row / 2}
                      dominantBaseline="central"
                      textAnchor="end"
                      fontSize={12}
                      className="fill-slate-700"
                    >
                      {fit(d.label, Math.floor((labelWidth - 8) / 6.2))}
                    </text>
                    <rect x={labelWidth} y={y + 5} width={w} height={row - 10} rx={2} className={BAR_TONES[d.tone]} />
                    {ow ? (
                      <rect
                        x={labelWidth}
                        y={y + 5}
                        width={Math.min(ow, w)}
                        height={row - 10}
                        rx={2}
                        className="fill-red-600"
                      />
                    ) : null}
                    {ow && ow < w ? (
                      <line
                        x1={labelWidth + Math.min(ow, w)}
                        x2={labelWidth + Math.min(ow, w)}
                        y1={y + 5}
                        y2={y + row - 5}
                        className="stroke-white"
                        strokeWidth={1.5}
                      />
                    ) : null}
                    <text
                      x={labelWidth + w + 6}
                      y={y + row / 2}
                      dominantBaseline="central"
                      fontSize={12}
                      className="fill-slate-800"
                      fontWeight={600}
                    >
                      {d.value}
                      {d.overdue ? (
                        <tspan className="fill-red-700" fontWeight={600}>
                          {`  逾期 ${d.overdue}`}
                        </tspan>
                      ) : null}
                    </text>
                  </g>
                );
                return d.href ? (
                  <a
                    key={d.key}
                    href={d.href}
                    aria-label={`${d.fullLabel ?? d.label}：${d.value} 项${d.overdue ? `，其中逾期 ${d.overdue} 项` : ""}`}
                    className="outline-none focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
                  >
                    {bar}
                  </a>
                ) : (
                  <g key={d.key}>{bar}</g>
                );
              })}
            </svg>
            {anyOverdue ? <Legend items={[{ label: "逾期部分", className: "fill-red-600" }]} /> : null}
            <table className="sr-only">
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">项目</th>
                  <th scope="col">事项数</th>
                  {anyOverdue ? <th scope="col">其中逾期</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.key}>
                    <th scope="row">{d.fullLabel ?? d.label}</th>
                    <td>{d.value}</td>
                    {anyOverdue ? <td>{d.overdue ?? 0}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
      }
    </ChartFrame>
  );
}

/** 1, 2, 5 × 10ⁿ steps so that about `count` ticks cover `max`. */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(Math.round(v));
  return ticks;
}

export interface TrendDatum {
  key: string;
  /** Short axis label ("3月"). */
  label: string;
  /** Full label for the table ("2026年3月"). */
  fullLabel: string;
  due: number;
  closed: number;
}

/** Paired columns per month: items due in the month (outlined) and items closed in it (solid green). */
// eslint-disable-next-line max-lines-per-function -- one SVG drawing: axes, bars or lines, labels and the accessible table read top to bottom
export function TrendChart({
  title,
  note,
  data,
  width = 520,
  height = 220,
  className,
}: {
  title: string;
  note?: string;
  data: TrendDatum[];
  width?: number;
  height?: number;
  className?: string;
}) {
  const left = 34;
  const bottom = 22;
  const top = 14;
  const plotW = width - left - 4;
  const plotH = height - top - bottom;
  const ticks = niceTicks(Math.max(1, ...data.flatMap((d) => [d.due, d.closed])));
  const max = ticks[ticks.length - 1] || 1;
  const group = plotW / Math.max(1, data.length);
  const bar = Math.min(14, (group - 6) / 2);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const summary = data.map((d) => `${d.fullLabel}到期 ${d.due} 项、销号 ${d.closed} 项`).join("；");
  return (
    <ChartFrame title={title} note={note} className={className}>
      {() => (
        <>
          <svg
            viewBox={`0 0 ${width} ${height}`}
            width="100%"
            role="img"
            aria-label={`${title}：${summary}`}
            style={{ fontFamily: FONT }}
          >
            {ticks.map((t) => (
              <g key={t}>
                <line
                  x1={left}
                  x2={width - 4}
                  y1={y(t)}
                  y2={y(t)}
                  className={t === 0 ? "stroke-slate-400" : "stroke-slate-200"}
                  strokeWidth={1}
                />
                <text
                  x={left - 6}
                  y={y(t)}
                  dominantBaseline="central"
                  textAnchor="end"
                  fontSize={11}
                  className="fill-slate-500"
                >
                  {t}
                </text>
              </g>
            ))}
            {data.map((d, i) => {
              const x0 = left + i * group + (group - bar * 2 - 2) / 2;
              return (
                <g key={d.key}>
                  <title>{`${d.fullLabel}：到期 ${d.due} 项，销号 ${d.closed} 项`}</title>
                  <rect
                    x={left + i * group}
                    y={top}
                    width={group}
                    height={plotH}
                    className="fill-transparent hover:fill-slate-50"
                  />
                  <rect
                    x={x0}
                    y={y(d.due)}
                    width={bar}
                    height={Math.max(0, y(0) - y(d.due))}
                    rx={1.5}
                    className="fill-white stroke-slate-600"
                    strokeWidth={1.5}
                  />
                  <rect
                    x={x0 + bar + 2}
                    y={y(d.closed)}
                    width={bar}
                    height={Math.max(0, y(0) - y(d.closed))}
                    rx={1.5}
                    className="fill-green-600"
                  />
                  <text
                    x={left + i * group + group / 2}
                    y={height - 6}
                    textAnchor="middle"
                    fontSize={11}
                    className={i === data.length - 1 ? "fill-slate-800" : "fill-slate-500"}
                    fontWeight={i === data.length - 1 ? 600 : 400}
                  >
                    {d.label}
                  </text>
                </g>
              );
            })}
          </svg>
          <Legend
            items={[
              { label: "当月到期（空心）", className: "fill-white stroke-slate-600" },
              { label: "当月销号（实心）", className: "fill-green-600" },
            ]}
          />
          <table className="sr-only">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">月份</th>
                <th scope="col">当月到期</th>
                <th scope="col">当月销号</th>
              </tr>
            </thead>
            <tbody>
              {data.map((d) => (
                <tr key={d.key}>
                  <th scope="row">{d.fullLabel}</th>
                  <td>{d.due}</td>
                  <td>{d.closed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </ChartFrame>
  );
}
