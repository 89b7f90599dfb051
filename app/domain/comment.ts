/** 批注: comment threads on a document's text (ADR 017). */

/** Longest comment body. */
export const COMMENT_MAX_LENGTH = 2000;
/** Longest anchored text kept as the thread's quote. */
export const QUOTE_MAX_LENGTH = 500;

export const THREAD_STATUSES = ["OPEN", "RESOLVED"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];
export const THREAD_STATUS_LABELS: Record<ThreadStatus, string> = { OPEN: "未解决", RESOLVED: "已解决" };

/** The side panel's filters: 全部 / 未解决 / 我单位 / 提到我. */
export const THREAD_FILTERS = ["all", "open", "mine", "mentions"] as const;
export type ThreadFilter = (typeof THREAD_FILTERS)[number];
export const THREAD_FILTER_LABELS: Record<ThreadFilter, string> = {
  all: "全部",
  open: "未解决",
  mine: "我单位",
  mentions: "提到我",
};

/** The mark that anchors a thread in the text (y-tiptap stores it as `comment--<hash>`). */
export const COMMENT_MARK = "comment";

/** What the comment policies read about a thread. */
export interface ThreadFacts {
  id: string;
  documentId: string;
  authorId: string;
  orgId: string | null;
  status: string;
  /** Opened on a frozen version during countersign (a return's range comment). */
  versionId: string | null;
}

/** What the comment policies read about one comment. */
export interface CommentFacts {
  id: string;
  threadId: string;
  authorId: string;
  deleted: boolean;
}
