/**
 * The input of the document export renderers (.docx and PDF, architecture.md "Document formats"): everything they need to
 * lay a co-drafted document out as a GB/T 9704-2012 公文, gathered by the caller (no DB access here).
 */

import type { ItemKind } from "~/domain/tracked-item";

/** A ProseMirror JSON node as the Tiptap editor stores it (treated as untrusted input). */
export interface PMNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMNode[];
  text?: string;
  marks?: PMMark[];
}

export interface PMMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface ExportModel {
  /** Red 版头 text, e.g. "行政执法监督协调会商纪要" (纪要标志) */
  redHeader: string;
  /** e.g. "第3期" shown centered under the red header; may be null for non-minutes */
  issueNumber: string | null;
  /** Issuing/convening org name, printed left on the line above the red rule */
  issuer: string;
  /** Printed right on the line above the red rule, in China time: 2026年11月23日 */
  date: Date;
  /** 标题, 小标宋 二号 centered */
  title: string;
  /** ProseMirror JSON doc (type "doc") from the editor schema */
  content: PMNode;
  /** SHA-256 hex of the finalized version, printed in the closing block; null for drafts */
  hash: string | null;
  /** e.g. "第4版" */
  versionLabel: string | null;
  /** true => watermark 草稿 on every page and the draft notice in the closing block */
  draft: boolean;
  /** The kind of the document's `trackedItem` blocks: the labels of their line (议定事项 / 整改措施 / 督办案件) */
  itemKind: ItemKind;
}

/**
 * One Word comment of the 含批注 export: a thread's first comment or one of its replies, attributed
 * as 显示名（单位名）.
 */
export interface ExportCommentEntry {
  author: string;
  initials: string;
  date: Date;
  /** Plain text; line breaks start new paragraphs of the comment. */
  text: string;
}

/**
 * An open comment thread (批注) to print as native Word comments on the text its `comment` mark
 * covers: the first entry is the thread's comment, the others its replies in order.
 */
export interface ExportCommentThread {
  threadId: string;
  entries: ExportCommentEntry[];
}

/** Optional progress callback: fraction in [0, 1] and a short Chinese label, e.g. "排版正文". */
export type Progress = (fraction: number, label: string) => void;

/** A failed export. The message is safe to show to users; details (stderr, exit codes) stay in `cause`. */
export class ExportError extends Error {
  override readonly name = "ExportError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
