/**
 * .docx export of a co-drafted document in the GB/T 9704-2012 layout (architecture.md "Document formats"): A4, 版心
 * 156 × 225 mm on a 22 × 28 document grid, 仿宋 三号 body at a fixed 28.95 pt, red 纪要标志 and
 * rule, 小标宋 二号 title, 出席/请假/列席 block at the end, "— n —" page numbers (odd right, even left)
 * and Word's own 草稿 watermark on drafts. Given comment threads (the 含批注 export only), they become
 * native Word comments on the text their marks cover; without them the `comment` mark is ignored.
 */
import type {
  AlignmentType,
  IParagraphOptions,
  IRunOptions,
  LineRuleType,
  Paragraph,
  ParagraphChild,
  Table,
} from "docx";
import { INVALID_CHART_TEXT } from "~/domain/chart";
import {
  captionLine,
  layoutDocument,
  splitEnd,
  tableGrid,
  type AttendanceLine,
  type Block,
  type Inline,
  type Revision,
  type TableCell as CellBlock,
} from "./blocks";
import {
  emWidth,
  FIGURE_HEIGHT_MM,
  FIGURE_LINES,
  FIGURE_WIDTH_MM,
  FONT,
  LINE_PT,
  mmToTwips,
  PAGE,
  ptToTwips,
  RED,
  redHeaderSizePt,
  SIZE,
  WATERMARK_GREY,
  WATERMARK_TEXT,
  type FontKey,
} from "./layout";
import { chartPng } from "./chart-png.server";
import { CommentAnchors } from "./docx-comments.server";
import type { ExportCommentThread, ExportModel, Progress } from "./model";
import { loadDocx, loadJSZip, type Docx } from "~/services/libraries.server";

const PAGE_W = mmToTwips(PAGE.widthMm); // 11906
const PAGE_H = mmToTwips(PAGE.heightMm); // 16838
const MARGIN = {
  top: mmToTwips(PAGE.marginTopMm), // 2098
  bottom: mmToTwips(PAGE.marginBottomMm), // 1984
  left: mmToTwips(PAGE.marginLeftMm), // 1587
  right: mmToTwips(PAGE.marginRightMm), // 1474
};
const TEXT_W = PAGE_W - MARGIN.left - MARGIN.right; // 8845 ≈ 156 mm
/** 28.95 pt, the fixed body line (579 twips) and the grid's line pitch. */
const LINE = ptToTwips(LINE_PT);
/** One character on the 28-character grid (≈ 316 twips). */
const CHAR = Math.round(TEXT_W / PAGE.charsPerLine);
/**
 * 28 characters per line without a character grid: every run is condensed by this much (twips,
 * w:spacing), so a 三号 character advances ≈ 15.75 pt and 28 of them fill the 156 mm line. A
 * linesAndChars grid (w:docGrid charSpace) says the same to Word, but LibreOffice and WPS measure it
 * against another base size and fit only 15–18 characters (ADR 022); character spacing means the
 * same thing to every office suite. Rounded down: 28 characters must fit, not 27.9.
 */
export const CHAR_SPACING = Math.floor((TEXT_W / 20 / PAGE.charsPerLine - SIZE.sanHao) * 20);
/** The page number's 一字线 sits 7 mm below the 版心: footer baseline area ≈ 25 mm above the page edge. */
const FOOTER_DISTANCE = mmToTwips(25);

const half = (pt: number) => Math.round(pt * 2);

function font(key: FontKey, eastAsiaKey: FontKey = key) {
  const name = FONT[key].word;
  return { ascii: name, hAnsi: name, cs: name, eastAsia: FONT[eastAsiaKey].word };
}

interface RunStyle {
  font: FontKey;
  size: number;
  bold?: boolean;
  color?: string;
}

const BODY: RunStyle = { font: "fangsong", size: SIZE.sanHao };
const CELL: RunStyle = { font: "fangsong", size: SIZE.siHao };

/** docx's LineRuleType.EXACT: lines of exactly the given height. */
const EXACT: typeof LineRuleType.EXACT = "exact";
const exactLine = (twips: number) => ({ line: twips, lineRule: EXACT });

export async function renderDocx(
  model: ExportModel,
  onProgress?: Progress,
  commentThreads?: readonly ExportCommentThread[],
): Promise<Buffer> {
  // docx loads with the first .docx export, not at start (ADR 030).
  const docx = await loadDocx();
  onProgress?.(0.05, "排版正文");
  revisionIds = 0;
  const layout = layoutDocument(model);
  const end = splitEnd(layout.blocks);
  const anchors = commentThreads?.length
    ? new CommentAnchors(docx, commentThreads, layout.blocks, layout.attendance)
    : undefined;
  const pictures = await figurePictures(layout.blocks);
  const children: Array<Paragraph | Table> = [
    ...versionHead(docx, model, layout.date),
    new docx.Paragraph({
      alignment: docx.AlignmentType.CENTER,
      spacing: { before: 2 * LINE, after: LINE, ...exactLine(LINE) },
      keepNext: true,
      children: [new docx.TextRun({ text: model.title, font: font("title"), size: half(SIZE.erHao), bold: true })],
    }),
    // The last body block keeps with the 出席/列席 block and the closing block after it, so they never
    // stand alone on the last page (the PDF does the same with break-before: avoid).
    ...renderBlocks(end.body, { docx, base: BODY, inCell: false, anchors, pictures }),
    ...renderBlocks(end.lead, { docx, base: BODY, inCell: false, anchors, pictures, keepNext: true }),
    ...attendance(docx, layout.attendance, anchors),
    ...(anchors?.closing() ?? []),
    ...closing(docx, layout.closing),
  ];
  onProgress?.(0.5, "生成 Word 文件");

  const watermark = model.draft
    ? new docx.Header({
        children: [
          new docx.Paragraph({
            children: [
              new docx.TextWatermark({
                text: WATERMARK_TEXT,
                font: FONT.hei.word,
                color: WATERMARK_GREY,
                opacity: 0.5,
                layout: "diagonal",
              }),
            ],
          }),
        ],
      })
    : null;
  const pageNumber = (odd: boolean) =>
    new docx.Footer({
      children: [
        new docx.Paragraph({
          alignment: odd ? docx.AlignmentType.RIGHT : docx.AlignmentType.LEFT,
          spacing: exactLine(ptToTwips(SIZE.siHao * 1.5)),
          indent: odd ? { right: ptToTwips(SIZE.siHao) } : { left: ptToTwips(SIZE.siHao) },
          children: [
            new docx.TextRun({
              children: ["— ", docx.PageNumber.CURRENT, " —"],
              font: font("song"),
              size: half(SIZE.siHao),
              snapToGrid: false,
            }),
          ],
        }),
      ],
    });

  const doc = new docx.Document({
    title: model.title,
    creator: model.issuer,
    lastModifiedBy: model.issuer,
    description: model.draft ? "草稿" : model.versionLabel ? `定稿（${model.versionLabel}）` : "定稿",
    evenAndOddHeaderAndFooters: true,
    ...(anchors?.comments ? { comments: anchors.comments } : {}),
    styles: {
      default: {
        document: {
          run: {
            font: font("fangsong"),
            size: half(SIZE.sanHao),
            characterSpacing: CHAR_SPACING,
            language: { value: "zh-CN", eastAsia: "zh-CN" },
          },
          paragraph: { alignment: docx.AlignmentType.JUSTIFIED, spacing: { before: 0, after: 0, ...exactLine(LINE) } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE_W, height: PAGE_H },
            margin: { ...MARGIN, header: mmToTwips(15), footer: FOOTER_DISTANCE, gutter: 0 },
          },
          // No document grid: exact 28.95 pt lines give 22 lines per page by themselves, as in the PDF.
          grid: { type: docx.DocumentGridType.DEFAULT, linePitch: LINE },
        },
        headers: watermark ? { default: watermark, even: watermark } : undefined,
        footers: { default: pageNumber(true), even: pageNumber(false) },
        children,
      },
    ],
  });
  const buffer = await finishPackage(await docx.Packer.toBuffer(doc));
  onProgress?.(1, "完成");
  return buffer;
}

/**
 * The font table (word/fontTable.xml), which docx leaves empty: every face the runs name, with what
 * Word and WPS use to substitute a face the machine lacks — the alternative name (the GB2312 faces
 * of older 公文 machines, 华文中宋 for 小标宋), the GB 2312 character set (86), family, pitch, PANOSE
 * and code-page signature, as Word itself writes them. LibreOffice substitutes through fontconfig
 * instead (README "Fonts").
 */
export const FONT_TABLE: ReadonlyArray<{
  name: string;
  altName?: string;
  panose: string;
  charset: string;
  family: "roman" | "swiss" | "modern" | "script" | "decorative" | "auto";
  pitch: "fixed" | "variable";
  cjk: boolean;
}> = [
  {
    name: FONT.fangsong.word,
    altName: "仿宋_GB2312",
    panose: "02010609060101010101",
    charset: "86",
    family: "modern",
    pitch: "fixed",
    cjk: true,
  },
  {
    name: FONT.kai.word,
    altName: "楷体_GB2312",
    panose: "02010609060101010101",
    charset: "86",
    family: "modern",
    pitch: "fixed",
    cjk: true,
  },
  {
    name: FONT.hei.word,
    altName: "SimHei",
    panose: "02010609060101010101",
    charset: "86",
    family: "modern",
    pitch: "fixed",
    cjk: true,
  },
  {
    name: FONT.song.word,
    altName: "SimSun",
    panose: "02010600030101010101",
    charset: "86",
    family: "auto",
    pitch: "variable",
    cjk: true,
  },
  {
    name: FONT.title.word,
    altName: "华文中宋",
    panose: "02010600040101010101",
    charset: "86",
    family: "auto",
    pitch: "variable",
    cjk: true,
  },
  {
    name: FONT.latin.word,
    panose: "02020603050405020304",
    charset: "00",
    family: "roman",
    pitch: "variable",
    cjk: false,
  },
  { name: FONT.mono.word, panose: "02070309020205020404", charset: "00", family: "modern", pitch: "fixed", cjk: false },
];

const escapeXml = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

/**
 * What docx cannot say, written into the package: the font table, and a paragraph default that makes
 * Word, WPS and LibreOffice break lines as the PDF does — no punctuation hanging past the right
 * margin (w:overflowPunct). The space every suite puts between Chinese and Latin letters or digits
 * (w:autoSpaceDE / w:autoSpaceDN) stays at its default, on: LibreOffice cannot switch it off, so
 * the PDF adds it too (CSS text-autospace) and all of them break lines alike.
 */
async function finishPackage(packed: Buffer): Promise<Buffer> {
  const zip = await (await loadJSZip()).loadAsync(packed);
  const styles = zip.file("word/styles.xml");
  if (styles) {
    const xml = await styles.async("string");
    zip.file("word/styles.xml", xml.replace(/(<w:pPrDefault><w:pPr>)/, '$1<w:overflowPunct w:val="0"/>'));
  }
  const part = zip.file("word/fontTable.xml");
  if (!part) return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  const xml = await part.async("string");
  const fonts = FONT_TABLE.map(
    (f) =>
      `<w:font w:name="${escapeXml(f.name)}">` +
      (f.altName ? `<w:altName w:val="${escapeXml(f.altName)}"/>` : "") +
      `<w:panose1 w:val="${f.panose}"/><w:charset w:val="${f.charset}"/><w:family w:val="${f.family}"/><w:pitch w:val="${f.pitch}"/>` +
      (f.cjk
        ? `<w:sig w:usb0="800002BF" w:usb1="38CF7CFA" w:usb2="00000016" w:usb3="00000000" w:csb0="00040001" w:csb1="00000000"/>`
        : `<w:sig w:usb0="E0002AFF" w:usb1="C0007841" w:usb2="00000009" w:usb3="00000000" w:csb0="000001FF" w:csb1="00000000"/>`) +
      `</w:font>`,
  ).join("");
  // docx writes an empty <w:fonts …/>: open it and put the fonts in.
  const filled = xml
    .replace(/<w:fonts([^>]*?)\/>\s*$/, `<w:fonts$1>${fonts}</w:fonts>`)
    .replace(/<w:fonts([^>]*)><\/w:fonts>/, `<w:fonts$1>${fonts}</w:fonts>`);
  zip.file("word/fontTable.xml", filled);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** 版头: red 纪要标志 35 mm below the 版心 top, 期号, issuer and date, then the red rule. */
function versionHead(docx: Docx, model: ExportModel, date: string): Paragraph[] {
  const size = redHeaderSizePt(model.redHeader);
  const out = [
    new docx.Paragraph({
      alignment: docx.AlignmentType.CENTER,
      spacing: { before: mmToTwips(35), ...exactLine(ptToTwips(size * 1.25)) },
      keepNext: true,
      children: [
        new docx.TextRun({ text: model.redHeader, font: font("title"), size: half(size), color: RED, bold: true }),
      ],
    }),
  ];
  if (model.issueNumber) {
    out.push(
      new docx.Paragraph({
        alignment: docx.AlignmentType.CENTER,
        spacing: { before: LINE, ...exactLine(LINE) },
        keepNext: true,
        children: [new docx.TextRun({ text: model.issueNumber, font: font("fangsong"), size: half(SIZE.sanHao) })],
      }),
    );
  }
  out.push(
    new docx.Paragraph({
      alignment: docx.AlignmentType.LEFT,
      indent: { left: CHAR, right: CHAR },
      tabStops: [{ type: docx.TabStopType.RIGHT, position: TEXT_W - CHAR }],
      spacing: { before: model.issueNumber ? 0 : LINE, ...exactLine(LINE) },
      border: { bottom: { style: docx.BorderStyle.SINGLE, size: 12, color: RED, space: 11 } },
      children: [
        new docx.TextRun({ text: model.issuer, font: font("fangsong") }),
        new docx.TextRun({ text: `\t${date}`, font: font("fangsong") }),
      ],
    }),
  );
  return out;
}

interface BlockCtx {
  docx: Docx;
  base: RunStyle;
  /** table cell: no first-line indent, tighter lines */
  inCell: boolean;
  alignment?: (typeof AlignmentType)[keyof typeof AlignmentType];
  /** The 含批注 export's comment ranges; absent in the clean export. */
  anchors?: CommentAnchors;
  /** The PNG of each figure (`figurePictures`); a figure without one prints the placeholder. */
  pictures: Pictures;
  /** Keep every paragraph with the next one (the body's last block, before the end blocks). */
  keepNext?: boolean;
}

function renderBlocks(blocks: Block[], ctx: BlockCtx): Array<Paragraph | Table> {
  const { docx, base, inCell, alignment, anchors, keepNext } = ctx;
  const out: Array<Paragraph | Table> = [];
  const firstLine = inCell ? undefined : { firstLine: 2 * CHAR, firstLineChars: 200 };
  const spacing = inCell ? exactLine(ptToTwips(base.size * 1.5)) : exactLine(LINE);
  const para = (options: IParagraphOptions) =>
    new docx.Paragraph({ alignment, spacing, ...options, ...(keepNext ? { keepNext: true } : {}) });
  for (const b of blocks) {
    switch (b.kind) {
      case "heading": {
        const style: RunStyle =
          b.level === 1
            ? { ...base, font: "hei" }
            : b.level === 2
              ? { ...base, font: "kai" }
              : { ...base, bold: b.level === 3 };
        out.push(
          para({
            indent: firstLine,
            keepNext: true,
            outlineLevel: b.level - 1,
            children: runs(docx, b.inlines, style, anchors),
          }),
        );
        break;
      }
      case "paragraph": {
        const style: RunStyle = b.quote ? { ...base, font: "kai" } : base;
        const marker = b.marker ? [new docx.TextRun({ text: b.marker, ...runProps(style) })] : [];
        const indent = {
          ...firstLine,
          ...(b.indent ? { left: b.indent * CHAR } : {}),
          ...(b.quote ? { right: 2 * CHAR } : {}),
        };
        out.push(
          para({
            ...(Object.keys(indent).length ? { indent } : {}),
            children: [...marker, ...runs(docx, b.inlines, style, anchors)],
          }),
        );
        break;
      }
      case "field":
        out.push(
          para({
            indent: firstLine,
            children: [
              new docx.TextRun({ text: `${b.label}：`, ...runProps({ ...base, font: "hei" }) }),
              ...runs(docx, b.inlines, base, anchors),
            ],
          }),
        );
        break;
      case "code":
        for (const line of b.lines) {
          out.push(
            para({
              alignment: docx.AlignmentType.LEFT,
              indent: { left: (b.indent + (inCell ? 0 : 2)) * CHAR },
              spacing: exactLine(ptToTwips(SIZE.xiaoSi * 1.6)),
              children: [
                new docx.TextRun({
                  text: line,
                  font: font("mono", "fangsong"),
                  size: half(SIZE.xiaoSi),
                  snapToGrid: false,
                }),
              ],
            }),
          );
        }
        break;
      case "rule":
        out.push(
          para({
            spacing: exactLine(Math.round(LINE / 2)),
            border: { bottom: { style: docx.BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
            children: [],
          }),
        );
        break;
      case "table":
        out.push(table(b.rows, inCell ? null : TEXT_W, ctx));
        break;
      case "figure":
        out.push(...figure(b, ctx));
        break;
    }
  }
  return out;
}

type FigureBlock = Extract<Block, { kind: "figure" }>;
type Pictures = ReadonlyMap<FigureBlock, Buffer>;

/**
 * At most this many figures of one document are drawn (each takes resvg a few tenths of a second,
 * off the event loop); any further ones print the placeholder. A report carries a handful.
 */
const MAX_FIGURES = 50;

/** The PNG of every figure of the body (table cells included), drawn one after the other; a failed one has none. */
async function figurePictures(blocks: Block[]): Promise<Pictures> {
  const figures: FigureBlock[] = [];
  const collect = (list: Block[]) => {
    for (const b of list) {
      if (b.kind === "figure") figures.push(b);
      else if (b.kind === "table") for (const row of b.rows) for (const cell of row) collect(cell.blocks);
    }
  };
  collect(blocks);
  const pictures = new Map<FigureBlock, Buffer>();
  for (const f of figures.slice(0, MAX_FIGURES)) {
    const png = await chartPng(f.spec).catch(() => null);
    if (png) pictures.set(f, png);
  }
  return pictures;
}

/** Display size of a figure's picture in pixels at 96 dpi (docx's unit): 15 cm wide in the body, 6 cm in a table cell. */
const figurePx = (inCell: boolean) => {
  const mm = inCell ? 60 : FIGURE_WIDTH_MM;
  const px = (v: number) => Math.round((v / 25.4) * 96);
  return { width: px(mm), height: px((mm * FIGURE_HEIGHT_MM) / FIGURE_WIDTH_MM) };
};

/** Space above and below a figure's picture in the body: with it, the picture takes about `FIGURE_LINES` body lines, as in the PDF. */
const FIGURE_PAD = Math.max(0, Math.round((FIGURE_LINES * LINE - mmToTwips(FIGURE_HEIGHT_MM)) / 2));

/**
 * A figure: a centred paragraph holding the chart as a PNG (with its numbers as alternative text),
 * kept with the caption paragraph 图N … (仿宋 四号, centred, one body line) below it. A chart that
 * cannot be drawn prints the placeholder instead.
 */
function figure(b: FigureBlock, ctx: BlockCtx): Paragraph[] {
  const { docx } = ctx;
  const caption = captionLine(b);
  const png = ctx.pictures.get(b);
  if (!png) {
    return [
      new docx.Paragraph({
        alignment: docx.AlignmentType.CENTER,
        spacing: ctx.inCell ? exactLine(ptToTwips(ctx.base.size * 1.5)) : exactLine(LINE),
        children: [new docx.TextRun({ text: INVALID_CHART_TEXT, ...runProps(ctx.base) })],
      }),
    ];
  }
  const picture = new docx.ImageRun({
    type: "png",
    data: png,
    transformation: figurePx(ctx.inCell),
    altText: { name: `图${b.number}`, title: caption, description: b.alt },
  });
  return [
    new docx.Paragraph({
      alignment: docx.AlignmentType.CENTER,
      keepNext: true,
      keepLines: true,
      // Single spacing: a line of exact height clips the picture in LibreOffice and WPS.
      spacing: {
        line: 240,
        lineRule: docx.LineRuleType.AUTO,
        ...(ctx.inCell ? {} : { before: FIGURE_PAD, after: FIGURE_PAD }),
      },
      children: [picture],
    }),
    new docx.Paragraph({
      alignment: docx.AlignmentType.CENTER,
      spacing: ctx.inCell ? exactLine(ptToTwips(SIZE.siHao * 1.5)) : exactLine(LINE),
      ...(ctx.keepNext ? { keepNext: true } : {}),
      children: [
        new docx.TextRun({
          text: caption,
          ...runProps({ font: "fangsong", size: ctx.inCell ? ctx.base.size : SIZE.siHao }),
        }),
      ],
    }),
  ];
}

function table(rows: CellBlock[][], width: number | null, { docx, anchors, pictures }: BlockCtx): Table {
  const border = { style: docx.BorderStyle.SINGLE, size: 4, color: "000000" };
  const emptyCell = () => new docx.Paragraph({ spacing: exactLine(ptToTwips(CELL.size * 1.5)), children: [] });
  return new docx.Table({
    width: width ? { size: width, type: docx.WidthType.DXA } : { size: 100, type: docx.WidthType.PERCENTAGE },
    columnWidths: width ? tableGrid(rows, width, ptToTwips(CELL.size)) : undefined,
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    rows: rows.map(
      (row, i) =>
        new docx.TableRow({
          tableHeader: i === 0 && row.every((c) => c.header),
          cantSplit: true,
          children: row.map((c) => {
            const ctx: BlockCtx = c.header
              ? {
                  docx,
                  base: { ...CELL, font: "hei" },
                  inCell: true,
                  alignment: docx.AlignmentType.CENTER,
                  anchors,
                  pictures,
                }
              : { docx, base: CELL, inCell: true, anchors, pictures };
            const children = renderBlocks(c.blocks, ctx);
            return new docx.TableCell({
              ...(c.colspan > 1 ? { columnSpan: c.colspan } : {}),
              ...(c.rowspan > 1 ? { rowSpan: c.rowspan } : {}),
              verticalAlign: docx.VerticalAlignTable.CENTER,
              children: children.length ? children : [emptyCell()],
            });
          }),
        }),
    ),
  });
}

/** 出席 / 请假 / 列席: one blank line below the body, 2 characters in, label 黑体, names 仿宋 aligned after the colon. */
function attendance(docx: Docx, lines: AttendanceLine[], anchors: CommentAnchors | undefined): Paragraph[] {
  return lines.map((line, i) => {
    const label = `${line.label}：`;
    const hanging = Math.round(emWidth(label)) * CHAR;
    return new docx.Paragraph({
      alignment: docx.AlignmentType.LEFT,
      spacing: { before: i === 0 ? LINE : 0, ...exactLine(LINE) },
      indent: { left: 2 * CHAR + hanging, hanging },
      keepLines: true,
      // With the closing block below: the 出席/列席 block and the hash stay together.
      keepNext: true,
      children: [
        new docx.TextRun({ text: label, ...runProps({ ...BODY, font: "hei" }) }),
        ...runs(docx, line.inlines, BODY, anchors),
      ],
    });
  });
}

/** Half a line below, between two rules (as a 版记): the SHA-256 of the final version, or the draft notice. 小四 仿宋. */
function closing(docx: Docx, lines: { text: string; latin: boolean }[]): Paragraph[] {
  const rule = { style: docx.BorderStyle.SINGLE, size: 8, color: "000000", space: 4 };
  return lines.map(
    (line, i) =>
      new docx.Paragraph({
        alignment: docx.AlignmentType.LEFT,
        spacing: { before: i === 0 ? Math.round(LINE / 2) : 0, ...exactLine(ptToTwips(SIZE.xiaoSi * 1.75)) },
        keepNext: i < lines.length - 1,
        keepLines: true,
        border: { ...(i === 0 ? { top: rule } : {}), ...(i === lines.length - 1 ? { bottom: rule } : {}) },
        indent: { left: CHAR / 2, right: CHAR / 2 },
        children: [
          new docx.TextRun({
            text: line.text,
            font: line.latin ? font("latin", "fangsong") : font("fangsong"),
            size: half(SIZE.xiaoSi),
            snapToGrid: false,
          }),
        ],
      }),
  );
}

function runProps(style: RunStyle): IRunOptions {
  return {
    font: font(style.font),
    size: half(style.size),
    ...(style.bold ? { bold: true } : {}),
    ...(style.color ? { color: style.color } : {}),
  };
}

/**
 * Ids of Word's tracked changes (w:ins / w:del), unique within one file: reset by each renderDocx,
 * whose paragraphs are built synchronously before the file is packed.
 */
let revisionIds = 0;

/** An open 修订 as Word's own tracked change, with its author (person（unit）) and time. */
function trackedRun(docx: Docx, revision: Revision, props: IRunOptions): ParagraphChild {
  const change = {
    ...props,
    id: ++revisionIds,
    author: revision.author,
    // xsd:dateTime without fractions: what Word and WPS write themselves.
    date: (revision.date ?? new Date().toISOString()).replace(/\.\d+Z$/, "Z"),
  };
  return revision.kind === "insertion" ? new docx.InsertedTextRun(change) : new docx.DeletedTextRun(change);
}

function runs(docx: Docx, inlines: Inline[], style: RunStyle, anchors?: CommentAnchors): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const inline of inlines) {
    if (inline.kind === "break") {
      out.push(new docx.TextRun({ break: 1 }));
      continue;
    }
    const { marks } = inline;
    const props: IRunOptions = {
      ...runProps(style),
      text: inline.text,
      ...(marks.bold || style.bold ? { bold: true } : {}),
      ...(marks.italic ? { italics: true } : {}),
      ...(marks.underline || inline.href ? { underline: {} } : {}),
      ...(marks.strike ? { strike: true } : {}),
      ...(marks.code ? { font: font("mono", style.font) } : {}),
    };
    if (anchors) out.push(...anchors.before(inline));
    out.push(
      inline.revision
        ? trackedRun(docx, inline.revision, props)
        : inline.href
          ? new docx.ExternalHyperlink({ link: inline.href, children: [new docx.TextRun(props)] })
          : new docx.TextRun(props),
    );
    if (anchors) out.push(...anchors.after(inline));
  }
  return out;
}
