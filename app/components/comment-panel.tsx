import { MessageSquarePlus } from "lucide-react";
import { useState } from "react";
import {
  COMMENT_MAX_LENGTH,
  THREAD_FILTER_LABELS,
  THREAD_FILTERS,
  type CommentsPayload,
  type ThreadFilter,
  type ThreadView,
} from "~/domain/comment";
import { CommentComposer } from "./comment-composer";
import { ThreadCard, type ThreadActions } from "./comment-thread";
import { cx } from "./ui";

/** A selection waiting for its first comment (from the toolbar, the context menu or Mod-Alt-m). */
export interface PendingComment {
  quote: string;
  anchor: string;
  head: string;
}

function visible(threads: readonly ThreadView[], filter: ThreadFilter, myOrgIds: ReadonlySet<string>): ThreadView[] {
  switch (filter) {
    case "all":
      return [...threads];
    case "open":
      return threads.filter((t) => t.status === "OPEN");
    case "mine":
      return threads.filter((t) => t.org && myOrgIds.has(t.org.id));
    case "mentions":
      return threads.filter((t) => t.mentionsMe);
  }
}

/**
 * 批注 beside the editor (ADR 017): a new comment on the selected text, then every thread with its
 * quote, the commenting unit's colour, replies, 解决 / 重新打开; resolved threads collapse. Filters:
 * 全部 / 未解决 / 我单位 / 提到我. Clicking a thread shows its text in the editor.
 */
export function CommentPanel(props: {
  data: CommentsPayload | null;
  pending: PendingComment | null;
  activeThreadId: string | null;
  myOrgIds: ReadonlySet<string>;
  colorOf: (orgId: string | null) => string;
  actions: ThreadActions & {
    openThread: (
      pending: PendingComment,
      text: { body: string; userIds: string[]; orgIds: string[] },
    ) => Promise<string | null>;
  };
  onCancelPending: () => void;
}) {
  const [filter, setFilter] = useState<ThreadFilter>("open");
  const threads = props.data?.threads ?? [];
  const shown = visible(threads, filter, props.myOrgIds);
  const openCount = threads.filter((t) => t.status === "OPEN").length;
  return (
    <section aria-labelledby="comment-panel-title" className="flex flex-col gap-2" data-testid="comment-panel">
      <h2 id="comment-panel-title" className="flex items-center gap-1.5 text-sm font-semibold text-slate-800">
        <MessageSquarePlus className="h-4 w-4" aria-hidden />
        批注
        <span className="text-xs font-normal text-slate-600">（未解决 {openCount} 条）</span>
      </h2>
      {props.pending ? (
        <CommentComposer
          title="新批注"
          quote={props.pending.quote}
          candidates={props.data?.candidates ?? []}
          submitLabel="发表批注"
          maxLength={COMMENT_MAX_LENGTH}
          onSubmit={(text) => props.actions.openThread(props.pending as PendingComment, text)}
          onCancel={props.onCancelPending}
        />
      ) : null}
      <div role="group" aria-label="筛选批注" className="flex flex-wrap gap-1">
        {THREAD_FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
            className={cx(
              "rounded-full border px-2.5 py-0.5 text-xs",
              filter === f
                ? "border-brand-600 bg-brand-50 font-semibold text-brand-800"
                : "border-slate-300 text-slate-700",
            )}
          >
            {THREAD_FILTER_LABELS[f]}
          </button>
        ))}
      </div>
      <p role="status" className="sr-only">
        {`${THREAD_FILTER_LABELS[filter]}：${shown.length} 条批注`}
      </p>
      {shown.length === 0 ? (
        <p className="rounded border border-dashed border-slate-200 px-3 py-4 text-center text-xs text-slate-600">
          {threads.length === 0 ? "还没有批注。选中正文中的文字后点击“批注”即可发表意见。" : "没有符合筛选条件的批注。"}
        </p>
      ) : (
        <ul className="flex flex-col gap-2">
          {shown.map((t) => (
            <li key={t.id}>
              <ThreadCard
                thread={t}
                active={t.id === props.activeThreadId}
                color={props.colorOf(t.org?.id ?? null)}
                candidates={props.data?.candidates ?? []}
                actions={props.actions}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
