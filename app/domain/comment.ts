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

/** A person or unit that may be @mentioned in a document's comments. */
export interface MentionCandidate {
  kind: "user" | "org";
  id: string;
  name: string;
  /** The person's unit (short name when there is one); empty for a unit. */
  unit: string;
  /** Pinyin initials for searching (张伟 → zw). */
  initials: string;
}

/** One comment as the side panel shows it (a deleted one has no body). */
export interface CommentView {
  id: string;
  body: string | null;
  author: { id: string; name: string };
  org: string | null;
  createdAt: string;
  editedAt: string | null;
  mine: boolean;
}

/** One thread as the side panel shows it. */
export interface ThreadView {
  id: string;
  quote: string;
  status: string;
  /** false: the anchored text is gone (原文已删除). */
  anchored: boolean;
  author: { id: string; name: string };
  org: { id: string; name: string } | null;
  createdAt: string;
  resolvedAt: string | null;
  /** Mentions the viewer (or one of the viewer's units). */
  mentionsMe: boolean;
  comments: CommentView[];
  abilities: { reply: boolean; resolve: boolean; reopen: boolean };
}

/** GET /documents/:id/comments. */
export interface CommentsPayload {
  threads: ThreadView[];
  abilities: { read: boolean; open: boolean };
  candidates: MentionCandidate[];
}
