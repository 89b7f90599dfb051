import { useMemo } from "react";
import { chartDescription, chartSvg, INVALID_CHART_TEXT, parseChartSpec } from "~/domain/chart";

/** The SVG of a chart as an image address: an <img> never runs or styles anything of it. */
export function chartImageSrc(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** 图2 各单位收案数: the caption line, without the number when it is unknown. */
export function figureCaption(number: number | null, caption: string): string {
  const label = number ? `图${number}` : "图";
  return caption ? `${label}\u3000${caption}` : label;
}

/**
 * A statistical figure (统计图) as the document shows it on screen, in the editor and in a stored
 * version: the chart as an image whose alternative text states every number, and the caption line
 * 图N … under it. `spec` and `caption` are the node's attributes, untrusted: a spec that does not
 * parse shows ［图表数据无效］.
 */
export function StatChartFigure({
  spec: rawSpec,
  caption: rawCaption,
  number,
  className,
}: {
  spec: unknown;
  caption: unknown;
  /** Its place among the document's figures (1-based), or null when not known. */
  number: number | null;
  className?: string;
}) {
  const spec = useMemo(() => parseChartSpec(rawSpec), [rawSpec]);
  const src = useMemo(() => (spec ? chartImageSrc(chartSvg(spec)) : null), [spec]);
  const caption = (typeof rawCaption === "string" ? rawCaption.replace(/\s+/g, " ").trim() : "") || spec?.title || "";
  if (!spec || !src)
    return (
      <figure
        className={["stat-chart my-3 text-center text-slate-600", className].filter(Boolean).join(" ")}
        data-testid="stat-chart"
      >
        <p>{INVALID_CHART_TEXT}</p>
      </figure>
    );
  return (
    <figure className={["stat-chart my-4 text-center", className].filter(Boolean).join(" ")} data-testid="stat-chart">
      <img
        src={src}
        alt={chartDescription(spec, caption)}
        width={640}
        height={360}
        className="mx-auto block h-auto w-full max-w-[640px] rounded border border-slate-200 bg-white"
      />
      <figcaption className="mt-1 text-center">{figureCaption(number, caption)}</figcaption>
    </figure>
  );
}
