/**
 * A statistical figure as PNG for the .docx (Word, WPS and LibreOffice all show PNG; SVG in a .docx
 * needs a PNG fallback anyway): the domain's SVG rasterized by resvg, 1280 px wide for a sharp print
 * at 15 cm, with the system's CJK fonts so the Chinese labels render.
 */
import { chartSvg, type ChartSpec } from "~/domain/chart";

/** Pixel width of the PNG: ≈ 215 dpi at the 15 cm the .docx shows it. */
export const CHART_PNG_WIDTH = 1280;

/** No figure's SVG comes near this (24 categories × 6 series is ~ 60 kB); anything larger is refused. */
const MAX_SVG_BYTES = 1_000_000;
/** A 1280 × 720 chart compresses to well under 1 MB; a larger PNG means something went wrong. */
const MAX_PNG_BYTES = 8_000_000;

/**
 * The PNG of a parsed spec, drawn on libuv's thread pool (resvg loads the fonts and lays the text
 * out for a few tenths of a second; the event loop goes on meanwhile). Rejects when the SVG or the
 * PNG is out of bounds or resvg fails: the caller prints a placeholder.
 */
export async function chartPng(spec: ChartSpec): Promise<Buffer> {
  const svg = chartSvg(spec);
  if (Buffer.byteLength(svg, "utf8") > MAX_SVG_BYTES) throw new Error("chart SVG too large");
  // resvg (a native addon) loads with the first figure drawn, not at start (ADR 030).
  const { renderAsync } = await import("@resvg/resvg-js");
  const image = await renderAsync(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: "Noto Sans CJK SC", sansSerifFamily: "Noto Sans CJK SC" },
    fitTo: { mode: "width", value: CHART_PNG_WIDTH },
    background: "#ffffff",
    logLevel: "off",
  });
  const png = image.asPng();
  if (png.length > MAX_PNG_BYTES) throw new Error("chart PNG too large");
  return png;
}
