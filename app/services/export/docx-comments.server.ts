/**
 * Native Word comments for the 含批注 export: each open thread (批注) becomes a Word comment anchored
 * on exactly the text its `comment` mark covers (which may span several runs and paragraphs), and
 * each reply a threaded Word reply (`parentId`, written to commentsExtended.xml) on the same range.
 * The clean exports never build this, so they carry no comments.
 */
import type { ICommentOptions, Paragraph, ParagraphChild } from "docx";
import type { Docx } from "~/services/libraries.server";
import { clean, type AttendanceLine, type Block, type Inline } from "./blocks";
import { FONT, SIZE } from "./layout";
import type { ExportCommentThread } from "./model";

type TextInline = Extract<Inline, { kind: "text" }>;

/** Every text inline of the body blocks (table cells included) and of the attendance lines. */
function* textInlines(blocks: Block[], attendance: AttendanceLine[] = []): Generator<TextInline> {
  for (const b of blocks) {
    if (b.kind === "heading" || b.kind === "paragraph" || b.kind === "field") {
      for (const i of b.inlines) if (i.kind === "text") yield i;
    } else if (b.kind === "table") {
      for (const row of b.rows) for (const cell of row) yield* textInlines(cell.blocks);
    }
  }
  for (const line of attendance) for (const i of line.inlines) if (i.kind === "text") yield i;
}

const commentFont = { ascii: FONT.song.word, hAnsi: FONT.song.word, cs: FONT.song.word, eastAsia: FONT.song.word };

/** The body of a Word comment: one 宋体 小四 paragraph per line, single-spaced, off the document grid. */
function commentParagraphs(docx: Docx, text: string): Paragraph[] {
  const lines = clean(text, true).split("\n");
  return lines.map(
    (line) =>
      new docx.Paragraph({
        alignment: docx.AlignmentType.LEFT,
        spacing: { before: 0, after: 0, line: 240, lineRule: docx.LineRuleType.AUTO },
        children: [new docx.TextRun({ text: line, font: commentFont, size: SIZE.xiaoSi * 2, snapToGrid: false })],
      }),
  );
}

/**
 * Places the comment ranges while the runs are written: the renderer asks `before(inline)` for what
 * goes ahead of a run (the ranges that start there) and `after(inline)` for what follows it (the
 * ranges that end there, each with its reference run). A range starts at the first marked run
 * written and ends after the last one, counted beforehand; threads whose mark is not in the
 * exported text get no Word comment.
 */
export class CommentAnchors {
  /** thread id → the Word comment ids of its entries (first comment, then replies) */
  private readonly ids = new Map<string, number[]>();
  /** thread id → marked runs not written yet */
  private readonly remaining = new Map<string, number>();
  private readonly started = new Set<string>();
  private readonly options: ICommentOptions[] = [];

  /** `docx`: the library, loaded by the renderer (ADR 030). */
  constructor(
    private readonly docx: Docx,
    threads: readonly ExportCommentThread[],
    blocks: Block[],
    attendance: AttendanceLine[],
  ) {
    const counts = new Map<string, number>();
    for (const inline of textInlines(blocks, attendance))
      for (const id of inline.threads ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
    let next = 0;
    for (const thread of threads) {
      const count = counts.get(thread.threadId) ?? 0;
      if (count === 0 || thread.entries.length === 0 || this.ids.has(thread.threadId)) continue;
      const ids = thread.entries.map(() => next++);
      this.ids.set(thread.threadId, ids);
      this.remaining.set(thread.threadId, count);
      thread.entries.forEach((entry, k) =>
        this.options.push({
          id: ids[k],
          author: clean(entry.author),
          initials: clean(entry.initials),
          date: entry.date,
          ...(k > 0 ? { parentId: ids[0] } : {}),
          children: commentParagraphs(docx, entry.text),
        }),
      );
    }
  }

  /** The `comments` option of the Word document; undefined when no thread is anchored in the text. */
  get comments(): { children: ICommentOptions[] } | undefined {
    return this.options.length ? { children: this.options } : undefined;
  }

  /** The comment ranges that start at this run. */
  before(inline: TextInline): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const thread of inline.threads ?? []) {
      const ids = this.ids.get(thread);
      if (!ids || this.started.has(thread)) continue;
      this.started.add(thread);
      for (const id of ids) out.push(new this.docx.CommentRangeStart(id));
    }
    return out;
  }

  /** The comment ranges that end after this run, each followed by its reference run. */
  after(inline: TextInline): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const thread of inline.threads ?? []) {
      const left = this.remaining.get(thread) ?? 0;
      if (left === 0) continue;
      this.remaining.set(thread, left - 1);
      if (left === 1) out.push(...this.close(thread));
    }
    return out;
  }

  /**
   * A last paragraph closing any range still open (none when every marked run was written, as the
   * renderer does); it keeps the package valid should a marked run ever be left out.
   */
  closing(): Paragraph[] {
    const open = [...this.remaining].filter(([thread, left]) => left > 0 && this.started.has(thread)).map(([t]) => t);
    for (const thread of open) this.remaining.set(thread, 0);
    return open.length ? [new this.docx.Paragraph({ children: open.flatMap((thread) => this.close(thread)) })] : [];
  }

  private close(thread: string): ParagraphChild[] {
    return (this.ids.get(thread) ?? []).flatMap((id) => [
      new this.docx.CommentRangeEnd(id),
      new this.docx.TextRun({ children: [new this.docx.CommentReference(id)] }),
    ]);
  }
}
