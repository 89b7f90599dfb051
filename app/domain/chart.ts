/**
 * Statistical figures (图) of a document: a bar or line chart the server writes into a report as a
 * `statChart` node (attributes: the spec as JSON, and a caption), frozen with the document like its
 * text. The spec comes back from a node any collaborator could have written, so it is parsed as
 * untrusted input; the SVG is drawn here, once, for the editor, the PDF and (as PNG) the .docx.
 *
 * Pure: no I/O, no React. The SVG carries no script and no external reference, every text escaped.
 */

export interface ChartSpec {
  /** bar: grouped vertical bars, one group per category, one bar per series; line: one line per series. */
  kind: "bar" | "line";
  title: string;
  /** Unit of the values, shown at the y axis and after every number: 件, %, 万元. */
  unit: string;
  categories: string[];
  series: Array<{ name: string; values: Array<number | null> }>;
}

export const CHART_LIMITS = {
  title: 80,
  unit: 10,
  label: 30,
  categories: 24,
  series: 6,
  maxValue: 1e9,
  /** Longest JSON string a spec is parsed from. */
  json: 64_000,
} as const;

/** Shown instead of a figure whose spec does not parse. */
export const INVALID_CHART_TEXT = "［图表数据无效］";

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 360;
export const CHART_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';

/** Series fills, each ≥ 3:1 on white (WCAG 1.4.11). */
export const CHART_COLORS = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#dc2626", "#475569"] as const;
/** The same hues dark enough for text (≥ 4.5:1 on white): a line's value labels. */
const TEXT_COLORS = ["#1d4ed8", "#b45309", "#047857", "#6d28d9", "#b91c1c", "#334155"] as const;
const INK = "#1e293b";
const MUTED = "#334155";
const GRID = "#e2e8f0";
const AXIS = "#475569";

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * The spec of a node attribute (an object or its JSON), or null when it is anything but a valid
 * spec: 1–24 categories, 1–6 series of exactly as many values, each a finite number in [0, 1e9] or
 * null, bounded strings. Control characters are dropped from strings; unknown keys are ignored.
 */
export function parseChartSpec(raw: unknown): ChartSpec | null {
  let value = raw;
  if (typeof raw === "string") {
    if (raw.length === 0 || raw.length > CHART_LIMITS.json) return null;
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!isRecord(value)) return null;
  const kind = value.kind;
  if (kind !== "bar" && kind !== "line") return null;
  const title = text(value.title ?? "", CHART_LIMITS.title);
  const unit = text(value.unit ?? "", CHART_LIMITS.unit);
  if (title === null || unit === null) return null;
  const rawCategories = value.categories;
  if (!Array.isArray(rawCategories) || rawCategories.length < 1 || rawCategories.length > CHART_LIMITS.categories)
    return null;
  const categories: string[] = [];
  for (const c of rawCategories) {
    const label = text(c, CHART_LIMITS.label);
    if (label === null) return null;
    categories.push(label);
  }
  const rawSeries = value.series;
  if (!Array.isArray(rawSeries) || rawSeries.length < 1 || rawSeries.length > CHART_LIMITS.series) return null;
  const series: ChartSpec["series"] = [];
  for (const s of rawSeries) {
    if (!isRecord(s) || !Array.isArray(s.values) || s.values.length !== categories.length) return null;
    const name = text(s.name ?? "", CHART_LIMITS.label);
    if (name === null) return null;
    const values: Array<number | null> = [];
    for (const v of s.values) {
      if (v === null) values.push(null);
      else if (typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= CHART_LIMITS.maxValue) values.push(v);
      else return null;
    }
    series.push({ name, values });
  }
  return { kind, title, unit, categories, series };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** A string without control characters or lone surrogates, trimmed, at most `max` characters; null otherwise. */
function text(v: unknown, max: number): string | null {
  if (typeof v !== "string") return null;
  let out = "";
  for (const ch of v) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || c === 0x7f || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) {
      if (c === 0x09 || c === 0x0a || c === 0x0d) out += " ";
      continue;
    }
    out += ch;
  }
  out = out.replace(/\s+/g, " ").trim();
  return [...out].length <= max ? out : null;
}

// ---------------------------------------------------------------------------------------------
// Words

/** A value as printed on the chart and in its description: at most two decimals, no trailing zeros. */
export function formatChartValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(2)));
}

function withUnit(v: number | null, unit: string): string {
  return v === null ? "无数据" : `${formatChartValue(v)}${unit}`;
}

/**
 * The numbers of a chart in a sentence (an image's alternative text, a screen reader's only way to
 * the data): 图：各单位收案数。示例市公安局 12件，示例市司法局 8件。 With several series, each
 * series in turn: 2025年：第一季度 12件，…；2026年：…。 `caption` wins over the spec's title.
 */
export function chartDescription(spec: ChartSpec, caption = ""): string {
  const name = caption.trim() || spec.title;
  const head = name ? `图：${name}。` : "图。";
  const list = (values: Array<number | null>) =>
    spec.categories.map((c, i) => `${c} ${withUnit(values[i] ?? null, spec.unit)}`).join("，");
  if (spec.series.length === 1) return `${head}${list(spec.series[0].values)}。`;
  return `${head}${spec.series.map((s, i) => `${s.name || `系列${i + 1}`}：${list(s.values)}`).join("；")}。`;
}

/** Every word a chart shows (title, unit, categories, series names), one per line: for search and the redaction check. */
export function chartWords(spec: ChartSpec): string {
  return [spec.title, spec.unit, ...spec.categories, ...spec.series.map((s) => s.name)].filter(Boolean).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Drawing

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A coordinate with at most one decimal, so the same spec always gives the same string. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** Estimated width of a text in px at `size`: CJK and other wide characters 1 em, the rest 0.6 em. */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6;
  return w * size;
}

/** Cuts a text to `width` px at `size`, with an ellipsis when cut. */
function fit(s: string, width: number, size: number): string {
  if (textWidth(s, size) <= width) return s;
  let out = "";
  for (const ch of s) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * The y scale: 0 to a rounded maximum in 4 or 5 equal steps of 1, 2 or 5 × 10ⁿ (25 × 10ⁿ too for
 * n ≥ 0), so the gridlines read as round numbers.
 */
export function niceScale(max: number): { max: number; step: number; ticks: number } {
  if (!(max > 0)) return { max: 4, step: 1, ticks: 4 };
  const exp = Math.floor(Math.log10(max / 5));
  for (let e = exp - 1; e <= exp + 2; e++) {
    for (const m of [1, 2, 2.5, 5]) {
      if (m === 2.5 && e < 1) continue;
      const step = m * 10 ** e;
      const count = Math.ceil(max / step - 1e-9);
      if (count <= 5) {
        const ticks = Math.max(count, 4);
        return { max: Number((step * ticks).toPrecision(12)), step: Number(step.toPrecision(12)), ticks };
      }
    }
  }
  return { max, step: max / 5, ticks: 5 };
}

function tickLabel(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(decimals, 6));
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  scale: { max: number; step: number; ticks: number };
  y: (v: number) => number;
  slot: number;
}

/**
 * A standalone SVG document of the chart (default 640 × 360): white background, axes with a round
 * y scale and its gridlines, category labels under the x axis (wrapped or turned when many), every
 * value written at its bar or point, a legend when there are several series, the unit at the y
 * axis. Series differ by colour and by pattern (bars) or marker (lines), so a grey print still
 * tells them apart. Deterministic: the same spec always gives the same string.
 */
export function chartSvg(spec: ChartSpec, opts: { width?: number; height?: number; fontFamily?: string } = {}): string {
  const width = clampSize(opts.width, CHART_WIDTH);
  const height = clampSize(opts.height, CHART_HEIGHT);
  const font = opts.fontFamily ?? CHART_FONT;
  const multi = spec.series.length > 1;
  const legend = multi ? legendSvg(spec, width) : { svg: "", height: 0 };
  const xLabels = categoryLabels(spec.categories, width, height);
  const values = spec.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const scale = niceScale(Math.max(0, ...values));
  const tickWidth = Math.max(
    ...Array.from({ length: scale.ticks + 1 }, (_, i) => textWidth(tickLabel(i * scale.step, scale.step), 12)),
  );
  const valueLabels = spec.series.flatMap((s) => s.values.map((v) => (v === null ? "—" : formatChartValue(v))));
  const left = Math.max(40, Math.ceil(tickWidth) + 14);
  const right = width - 16;
  const unitTop = 10 + legend.height;
  const bottom = height - xLabels.space;
  const slot = (right - left) / spec.categories.length;
  const barWidth = spec.kind === "bar" ? barGeometry(slot, spec.series.length).bar : slot;
  const turned = spec.kind === "bar" && valueLabelsTurned(valueLabels, barWidth);
  const headroom = turned ? Math.max(...valueLabels.map((l) => textWidth(l, valueFont(barWidth)))) + 6 : 18;
  const top = unitTop + 18 + headroom;
  const frame: Frame = {
    width,
    height,
    left,
    right,
    top,
    bottom,
    scale,
    y: (v) => bottom - (v / scale.max) * (bottom - top),
    slot,
  };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(font)}" role="img">`,
    `<title>${esc(spec.title || "统计图")}</title>`,
    patternDefs(spec),
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    legend.svg,
    spec.unit
      ? `<text x="${n(8)}" y="${n(unitTop + 13)}" font-size="13" fill="${MUTED}">单位：${esc(spec.unit)}</text>`
      : "",
    gridSvg(frame),
    spec.kind === "bar" ? barsSvg(spec, frame) : linesSvg(spec, frame),
    axesSvg(frame),
    xLabels.svg(frame),
    "</svg>",
  ];
  return parts.filter(Boolean).join("\n");
}

function clampSize(v: number | undefined, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? Math.min(Math.max(Math.round(v), 160), 4000) : fallback;
}

function patternDefs(spec: ChartSpec): string {
  if (spec.kind !== "bar" || spec.series.length < 2) return "";
  // Series 2… of a bar chart: white hatching over the colour, a different direction for each.
  const paths = ["M0 8L8 0", "M0 0L8 8", "M0 4H8", "M4 0V8", "M0 8L8 0M0 0L8 8"];
  const defs = spec.series.slice(1).map((_, i) => {
    const color = CHART_COLORS[(i + 1) % CHART_COLORS.length];
    return `<pattern id="p${i + 1}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${color}"/><path d="${paths[i % paths.length]}" stroke="#ffffff" stroke-width="1.6"/></pattern>`;
  });
  return `<defs>${defs.join("")}</defs>`;
}

function seriesFill(spec: ChartSpec, i: number): string {
  return spec.kind === "bar" && i > 0 ? `url(#p${i})` : CHART_COLORS[i % CHART_COLORS.length];
}

function legendSvg(spec: ChartSpec, width: number): { svg: string; height: number } {
  const size = 13;
  const items = spec.series.map((s, i) => ({ i, label: fit(s.name || `系列${i + 1}`, width / 2, size) }));
  const rows: Array<typeof items> = [[]];
  let used = 0;
  for (const item of items) {
    const w = 22 + textWidth(item.label, size) + 16;
    if (used + w > width - 32 && rows[rows.length - 1].length) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push(item);
    used += w;
  }
  const out: string[] = [];
  rows.forEach((row, r) => {
    const total = row.reduce((a, it) => a + 22 + textWidth(it.label, size) + 16, -16);
    let x = (width - total) / 2;
    const y = 10 + r * 20 + 10;
    for (const it of row) {
      out.push(swatch(spec, it.i, x, y));
      out.push(`<text x="${n(x + 22)}" y="${n(y + 4)}" font-size="${size}" fill="${INK}">${esc(it.label)}</text>`);
      x += 22 + textWidth(it.label, size) + 16;
    }
  });
  return { svg: `<g>${out.join("")}</g>`, height: rows.length * 20 + 6 };
}

function swatch(spec: ChartSpec, i: number, x: number, y: number): string {
  if (spec.kind === "bar")
    return `<rect x="${n(x)}" y="${n(y - 6)}" width="16" height="12" fill="${seriesFill(spec, i)}" stroke="${CHART_COLORS[i % CHART_COLORS.length]}"/>`;
  const color = CHART_COLORS[i % CHART_COLORS.length];
  return `<line x1="${n(x)}" y1="${n(y)}" x2="${n(x + 18)}" y2="${n(y)}" stroke="${color}" stroke-width="2"/>${marker(i, x + 9, y, color)}`;
}

/** Marker of line series i: circle, square, triangle, diamond, inverted triangle, cross. */
function marker(i: number, x: number, y: number, color: string): string {
  switch (i % 6) {
    case 0:
      return `<circle cx="${n(x)}" cy="${n(y)}" r="4" fill="${color}"/>`;
    case 1:
      return `<rect x="${n(x - 3.5)}" y="${n(y - 3.5)}" width="7" height="7" fill="${color}"/>`;
    case 2:
      return `<path d="M${n(x)} ${n(y - 5)}L${n(x + 4.5)} ${n(y + 3.5)}L${n(x - 4.5)} ${n(y + 3.5)}Z" fill="${color}"/>`;
    case 3:
      return `<path d="M${n(x)} ${n(y - 5)}L${n(x + 5)} ${n(y)}L${n(x)} ${n(y + 5)}L${n(x - 5)} ${n(y)}Z" fill="${color}"/>`;
    case 4:
      return `<path d="M${n(x)} ${n(y + 5)}L${n(x + 4.5)} ${n(y - 3.5)}L${n(x - 4.5)} ${n(y - 3.5)}Z" fill="${color}"/>`;
    default:
      return `<path d="M${n(x - 4)} ${n(y - 4)}L${n(x + 4)} ${n(y + 4)}M${n(x + 4)} ${n(y - 4)}L${n(x - 4)} ${n(y + 4)}" stroke="${color}" stroke-width="2.2"/>`;
  }
}

function gridSvg(f: Frame): string {
  const out: string[] = [];
  for (let i = 0; i <= f.scale.ticks; i++) {
    const v = i * f.scale.step;
    const y = f.y(v);
    if (i > 0)
      out.push(
        `<line x1="${n(f.left)}" y1="${n(y)}" x2="${n(f.right)}" y2="${n(y)}" stroke="${GRID}" stroke-width="1"/>`,
      );
    out.push(
      `<text x="${n(f.left - 6)}" y="${n(y + 4)}" font-size="12" text-anchor="end" fill="${MUTED}">${tickLabel(v, f.scale.step)}</text>`,
    );
  }
  return `<g>${out.join("")}</g>`;
}

function axesSvg(f: Frame): string {
  return (
    `<line x1="${n(f.left)}" y1="${n(f.top - 6)}" x2="${n(f.left)}" y2="${n(f.bottom)}" stroke="${AXIS}" stroke-width="1"/>` +
    `<line x1="${n(f.left)}" y1="${n(f.bottom)}" x2="${n(f.right)}" y2="${n(f.bottom)}" stroke="${AXIS}" stroke-width="1"/>`
  );
}

function barGeometry(slot: number, count: number): { bar: number; start: number } {
  const inner = slot * 0.8;
  const bar = Math.min(inner / count, 56);
  return { bar, start: (slot - bar * count) / 2 };
}

/** Font size of a bar's value label: 12 px, smaller when the bars are narrow (not below 7). */
function valueFont(bar: number): number {
  return Math.max(7, Math.min(12, bar + 1));
}

function valueLabelsTurned(labels: string[], bar: number): boolean {
  const size = valueFont(bar);
  return labels.some((l) => textWidth(l, size) > bar + 4);
}

function barsSvg(spec: ChartSpec, f: Frame): string {
  const { bar, start } = barGeometry(f.slot, spec.series.length);
  const size = valueFont(bar);
  const labels = spec.series.flatMap((s) => s.values.map((v) => (v === null ? "—" : formatChartValue(v))));
  const turned = valueLabelsTurned(labels, bar);
  const out: string[] = [];
  spec.categories.forEach((_, c) => {
    spec.series.forEach((s, i) => {
      const v = s.values[c];
      const x = f.left + c * f.slot + start + i * bar;
      const cx = x + bar / 2;
      const top = v === null ? f.bottom : f.y(v);
      if (v !== null && f.bottom - top > 0)
        out.push(
          `<rect x="${n(x + 0.5)}" y="${n(top)}" width="${n(Math.max(bar - 1, 1))}" height="${n(f.bottom - top)}" fill="${seriesFill(spec, i)}"/>`,
        );
      const label = v === null ? "—" : formatChartValue(v);
      out.push(
        turned
          ? `<text x="${n(cx + size / 3)}" y="${n(top - 4)}" font-size="${n(size)}" fill="${INK}" transform="rotate(-90 ${n(cx + size / 3)} ${n(top - 4)})">${esc(label)}</text>`
          : `<text x="${n(cx)}" y="${n(top - 4)}" font-size="${n(size)}" text-anchor="middle" fill="${INK}">${esc(label)}</text>`,
      );
    });
  });
  return `<g>${out.join("")}</g>`;
}

function linesSvg(spec: ChartSpec, f: Frame): string {
  const out: string[] = [];
  const x = (c: number) => f.left + (c + 0.5) * f.slot;
  const size = f.slot < 30 ? 9 : 12;
  spec.series.forEach((s, i) => {
    const color = CHART_COLORS[i % CHART_COLORS.length];
    // A missing value breaks the line.
    let d = "";
    let pen = false;
    s.values.forEach((v, c) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${n(x(c))} ${n(f.y(v))}`;
      pen = true;
    });
    if (d) out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2.2" stroke-linejoin="round"/>`);
  });
  spec.series.forEach((s, i) => {
    s.values.forEach((v, c) => {
      if (v !== null) out.push(marker(i, x(c), f.y(v), CHART_COLORS[i % CHART_COLORS.length]));
    });
  });
  spec.categories.forEach((_, c) => {
    for (const l of pointLabels(spec, c, x(c), f, size))
      out.push(
        `<text x="${n(l.x)}" y="${n(l.baseline)}" font-size="${size}" text-anchor="${l.anchor}" fill="${TEXT_COLORS[l.i % TEXT_COLORS.length]}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${esc(l.text)}</text>`,
      );
  });
  return `<g>${out.join("")}</g>`;
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Where the values of one category of a line chart are written: from the highest point down, each
 * above its point, else below, right or left of it, wherever it covers neither a marker of that
 * category nor a label already placed (the lowest point tries below first) — so the labels of
 * close lines do not print over each other.
 */
function pointLabels(
  spec: ChartSpec,
  c: number,
  x: number,
  f: Frame,
  size: number,
): Array<{ i: number; text: string; x: number; baseline: number; anchor: "middle" | "start" | "end" }> {
  const points = spec.series
    .map((s, i) => ({ i, v: s.values[c] }))
    .filter((p): p is { i: number; v: number } => p.v !== null)
    .sort((a, b) => b.v - a.v || a.i - b.i);
  const taken: Box[] = points.map((p) => ({ x0: x - 5, x1: x + 5, y0: f.y(p.v) - 5, y1: f.y(p.v) + 5 }));
  return points.map((p, k) => {
    const y = f.y(p.v);
    const text = formatChartValue(p.v);
    const w = textWidth(text, size);
    const box = (x0: number, baseline: number): Box => ({
      x0,
      x1: x0 + w,
      y0: baseline - 0.8 * size,
      y1: baseline + 0.2 * size,
    });
    const above = { x, baseline: y - 8, anchor: "middle" as const, box: box(x - w / 2, y - 8) };
    const below = { x, baseline: y + size + 6, anchor: "middle" as const, box: box(x - w / 2, y + size + 6) };
    const right = { x: x + 8, baseline: y + size * 0.35, anchor: "start" as const, box: box(x + 8, y + size * 0.35) };
    const left = { x: x - 8, baseline: y + size * 0.35, anchor: "end" as const, box: box(x - 8 - w, y + size * 0.35) };
    const lowest = k === points.length - 1 && k > 0;
    const candidates = (lowest ? [below, above, right, left] : [above, below, right, left]).filter(
      (o) => o.box.y1 <= f.bottom - 1 && o.box.x1 <= f.width,
    );
    const chosen = candidates.find((o) => !taken.some((t) => overlaps(t, o.box))) ?? candidates[0] ?? above;
    taken.push(chosen.box);
    return { i: p.i, text, x: chosen.x, baseline: chosen.baseline, anchor: chosen.anchor };
  });
}

/**
 * Category labels under the x axis: on one line when they fit their slot, on two when that is
 * enough, else turned 45° (cut with … if even that is too long). `space` is the height they take.
 */
function categoryLabels(
  categories: string[],
  width: number,
  height: number,
): { space: number; svg: (f: Frame) => string } {
  const slotGuess = (width - 70) / categories.length;
  const size = categories.length > 12 ? 10 : 13;
  const widest = Math.max(...categories.map((c) => textWidth(c, size)));
  if (widest <= slotGuess - 4) {
    return {
      space: size + 14,
      svg: (f) =>
        `<g>${categories.map((c, i) => `<text x="${n(f.left + (i + 0.5) * f.slot)}" y="${n(f.bottom + size + 6)}" font-size="${size}" text-anchor="middle" fill="${INK}">${esc(c)}</text>`).join("")}</g>`,
    };
  }
  const halves = categories.map((c) => splitInTwo(c, size));
  if (halves.every(([a, b]) => Math.max(textWidth(a, size), textWidth(b, size)) <= slotGuess - 4)) {
    return {
      space: 2 * size + 18,
      svg: (f) =>
        `<g>${halves
          .map(([a, b], i) => {
            const x = n(f.left + (i + 0.5) * f.slot);
            return `<text x="${x}" y="${n(f.bottom + size + 6)}" font-size="${size}" text-anchor="middle" fill="${INK}"><tspan x="${x}">${esc(a)}</tspan><tspan x="${x}" dy="${size + 3}">${esc(b)}</tspan></text>`;
          })
          .join("")}</g>`,
    };
  }
  // Turned 45°, each ending under its slot: cut to the height given to them and to the room on the left.
  // A label of width w turned 45° reaches 10 + (w + size) × √½ below the axis.
  const room = Math.max(40, height * 0.34);
  const along = (room - 14) / Math.SQRT1_2 - size;
  const reach = (w: number) => 14 + (w + size) * Math.SQRT1_2;
  const space = Math.min(room, reach(Math.max(...categories.map((c) => textWidth(c, size)))));
  return {
    space,
    svg: (f) =>
      `<g>${categories
        .map((c, i) => {
          const x = f.left + (i + 0.5) * f.slot + size / 3;
          const y = f.bottom + 10;
          const label = fit(c, Math.min(along, (x - 4) / Math.SQRT1_2 - size), size);
          return `<text x="${n(x)}" y="${n(y)}" font-size="${size}" text-anchor="end" fill="${INK}" transform="rotate(-45 ${n(x)} ${n(y)})">${esc(label)}</text>`;
        })
        .join("")}</g>`,
  };
}

/** A label in two lines of about equal width (characters, not words: most labels are Chinese). */
function splitInTwo(s: string, size: number): [string, string] {
  const chars = [...s];
  let best: [string, string] = [s, ""];
  let bestWidth = Infinity;
  for (let i = 1; i < chars.length; i++) {
    const a = chars.slice(0, i).join("");
    const b = chars.slice(i).join("");
    const w = Math.max(textWidth(a, size), textWidth(b, size));
    if (w < bestWidth) {
      best = [a, b];
      bestWidth = w;
    }
  }
  return best;
}
