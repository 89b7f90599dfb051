/**
 * GB/T 9704-2012 page geometry, type sizes and fonts, shared by the .docx and the HTML/PDF
 * renderers so both lay a document out the same way (architecture.md "Document formats").
 */
import { CHART_HEIGHT, CHART_WIDTH } from "~/domain/chart";

/** 1 mm in twips (1/1440 in): 1440 / 25.4. */
export const TWIPS_PER_MM = 1440 / 25.4;
export const mmToTwips = (mm: number): number => Math.round(mm * TWIPS_PER_MM);
export const ptToTwips = (pt: number): number => Math.round(pt * 20);

/** A4 and the 版心 (text block): 156 × 225 mm, 22 lines × 28 characters. */
export const PAGE = {
  widthMm: 210,
  heightMm: 297,
  marginTopMm: 37,
  marginBottomMm: 35,
  marginLeftMm: 28,
  marginRightMm: 26,
  linesPerPage: 22,
  charsPerLine: 28,
} as const;

export const TEXT_WIDTH_MM = PAGE.widthMm - PAGE.marginLeftMm - PAGE.marginRightMm; // 156
export const TEXT_HEIGHT_MM = PAGE.heightMm - PAGE.marginTopMm - PAGE.marginBottomMm; // 225

/** Chinese type sizes (字号) in points. */
export const SIZE = {
  /** 小初 */
  xiaoChu: 36,
  /** 二号 */
  erHao: 22,
  /** 三号 */
  sanHao: 16,
  /** 四号 */
  siHao: 14,
  /** 小四 */
  xiaoSi: 12,
} as const;

/** Fixed line spacing: 28.95 pt ≈ 225 mm / 22 lines (579 twips). */
export const LINE_PT = 28.95;

/** Body character pitch on the 28-characters grid, in points (≈ 15.79 pt for a 16 pt font). */
export const CHAR_PITCH_PT = ((TEXT_WIDTH_MM / 25.4) * 72) / PAGE.charsPerLine;

/**
 * A statistical figure in both exports: 150 mm wide (within the 156 mm line), its height from the
 * chart's aspect ratio, set in a block of whole body lines (`FIGURE_LINES`) so the text after a
 * figure stays on the page's line grid; its caption line below is one more body line.
 */
export const FIGURE_WIDTH_MM = 150;
export const FIGURE_HEIGHT_MM = (FIGURE_WIDTH_MM * CHART_HEIGHT) / CHART_WIDTH; // 84.375
export const FIGURE_LINES = Math.ceil(((FIGURE_HEIGHT_MM / 25.4) * 72 + 4) / LINE_PT); // 9

/** The red used for the 版头 text and rule. */
export const RED = "FF0000";

/** Light grey of the 草稿 watermark (solid, painted behind the text). */
export const WATERMARK_GREY = "D0D0D0";
export const WATERMARK_TEXT = "草稿";

export const DRAFT_NOTICE = "草稿，未定稿，不得作为正式文书使用";

/**
 * Font families. `word` is the single name a .docx run can carry (Word has no fallback list; names
 * are ones stock Chinese Windows/Office has, except 方正小标宋简体 which Word substitutes when
 * missing); `css` is the fallback stack for the browser that prints the PDF.
 */
export const FONT = {
  title: {
    word: "方正小标宋简体",
    css: `"方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", "华文中宋", "SimSun", "宋体", "Noto Serif CJK SC", serif`,
  },
  fangsong: {
    word: "仿宋",
    css: `"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", serif`,
  },
  hei: { word: "黑体", css: `"SimHei", "黑体", "STHeiti", "Noto Sans CJK SC", sans-serif` },
  kai: {
    word: "楷体",
    css: `"KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", serif`,
  },
  song: { word: "宋体", css: `"SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", serif` },
  mono: { word: "Courier New", css: `"Noto Sans Mono CJK SC", "Courier New", "Liberation Mono", monospace` },
  /** Latin digits of the hash: half-width, so 64 hex digits fit one line at 小四. */
  latin: { word: "Times New Roman", css: `"Times New Roman", "Liberation Serif", serif` },
} as const;

export type FontKey = keyof typeof FONT;

/** Width of a string in em: CJK and other wide characters 1, ASCII ½. */
export function emWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! < 0x2e80 ? 0.5 : 1;
  return w;
}

/**
 * Font size of the red 纪要标志: as large as 小初 allows while it stays on one line of the text block
 * (GB/T 9704 leaves the size to the issuer), never below 二号 (long names then wrap).
 */
export function redHeaderSizePt(text: string): number {
  const widthPt = (TEXT_WIDTH_MM / 25.4) * 72 * 0.98;
  const fit = Math.floor((widthPt / Math.max(emWidth(text), 1)) * 2) / 2;
  return Math.max(SIZE.erHao, Math.min(SIZE.xiaoChu, fit));
}
