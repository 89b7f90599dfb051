import { CheckCircle2, RotateCcw } from "lucide-react";
import { useState } from "react";
import { COMMENT_MAX_LENGTH, type CommentView, type MentionCandidate, type ThreadView } from "~/domain/comment";
import { formatDateTime } from "~/domain/dates";
import { CommentComposer } from "./comment-composer";
import type { MentionText } from "./mention-textarea";
import { Button, cx } from "./ui";

/** What a thread card may ask of the page (each resolves with an error message, or null). */
export interface ThreadActions {
  reveal: (threadId: string) => void;
  reply: (threadId: string, text: MentionText) => Promise<string | null>;
  setResolved: (threadId: string, resolved: boolean) => Promise<string | null>;
  edit: (commentId: string, body: string) => Promise<string | null>;
  remove: (commentId: string) => Promise<string | null>;
}

function CommentItem(props: { comment: CommentView; candidates: readonly MentionCandidate[]; actions: ThreadActions }) {
  const { comment } = props;
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (editing) {
    return (
      <CommentComposer
        title="修改批注"
        initial={comment.body ?? ""}
        candidates={props.candidates}
        submitLabel="保存修改"
        maxLength={COMMENT_MAX_LENGTH}
        onSubmit={async (text) => {
          const failed = await props.actions.edit(comment.id, text.body);
          if (!failed) setEditing(false);
          return failed;
        }}
        onCancel={() => setEditing(false)}
      />
    );
  }
  return (
    <div className="text-sm" data-testid="comment">
      <p className="text-xs text-slate-600">
        <span className="font-medium text-slate-800">{comment.author.name}</span>
        {comment.org ? `（${comment.org}）` : ""} · {formatDateTime(comment.createdAt)}
        {comment.editedAt ? " · 已修改" : ""}
      </p>
      {comment.body === null ? (
        <p className="italic text-slate-600">该批注已被作者删除。</p>
      ) : (
        <p className="whitespace-pre-wrap break-words text-slate-900">{comment.body}</p>
      )}
      {comment.mine ? (
        <div className="mt-0.5 flex gap-2 text-xs">
          <button type="button" className="text-brand-700 underline" onClick={() => setEditing(true)}>
            修改
          </button>
          <button
            type="button"
            className="text-red-700 underline"
            onClick={async () => setError(await props.actions.remove(comment.id))}
          >
            删除
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** One thread: its quote (or 原文已删除), its comments, a reply box and 解决 / 重新打开. */
export function ThreadCard(props: {
  thread: ThreadView;
  active: boolean;
  color: string;
  candidates: readonly MentionCandidate[];
  actions: ThreadActions;
}) {
  const { thread: t, actions } = props;
  const resolved = t.status === "RESOLVED";
  const [expanded, setExpanded] = useState(!resolved);
  const [error, setError] = useState<string | null>(null);
  const toggle = async (value: boolean) => setError(await actions.setResolved(t.id, value));
  return (
    <article
      data-testid="comment-thread"
      data-thread-id={t.id}
      data-status={t.status}
      aria-label={`${t.org?.name ?? ""}的批注：${t.quote}`}
      className={cx("rounded-md border bg-white p-2", props.active ? "ring-2 ring-amber-400" : "border-slate-200")}
      style={{ borderLeft: `4px solid ${props.color}` }}
    >
      <div className="flex items-start justify-between gap-2">
        <button
          type="button"
          className="min-w-0 flex-1 text-left text-xs text-slate-700 hover:underline"
          onClick={() => (t.anchored ? actions.reveal(t.id) : setExpanded((x) => !x))}
          title={t.anchored ? "在正文中显示" : undefined}
        >
          <span className="font-semibold" style={{ color: props.color }}>
            {t.org?.name ?? t.author.name}
          </span>
          <span className="ml-1 line-clamp-2">「{t.quote}」</span>
          {!t.anchored ? <span className="ml-1 rounded bg-slate-100 px-1 text-slate-700">原文已删除</span> : null}
        </button>
        {resolved ? (
          <span className="inline-flex shrink-0 items-center gap-0.5 text-xs text-green-800">
            <CheckCircle2 className="h-3.5 w-3.5" aria-hidden />
            已解决
          </span>
        ) : null}
      </div>
      {resolved && !expanded ? (
        <button type="button" className="mt-1 text-xs text-brand-700 underline" onClick={() => setExpanded(true)}>
          展开 {t.comments.length} 条意见
        </button>
      ) : (
        <ThreadBody {...props} onToggle={toggle} />
      )}
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </article>
  );
}

function ThreadBody(props: {
  thread: ThreadView;
  candidates: readonly MentionCandidate[];
  actions: ThreadActions;
  onToggle: (resolved: boolean) => Promise<void>;
}) {
  const { thread: t, actions } = props;
  return (
    <div className="mt-2 flex flex-col gap-2">
      {t.comments.map((c) => (
        <CommentItem key={c.id} comment={c} candidates={props.candidates} actions={actions} />
      ))}
      {t.abilities.reply ? (
        <CommentComposer
          title="回复批注"
          candidates={props.candidates}
          submitLabel="回复"
          maxLength={COMMENT_MAX_LENGTH}
          autoFocus={false}
          onSubmit={(text) => actions.reply(t.id, text)}
        />
      ) : null}
      <div className="flex justify-end gap-2">
        {t.abilities.resolve ? (
          <Button
            type="button"
            variant="secondary"
            className="px-2 py-1 text-xs"
            onClick={() => void props.onToggle(true)}
          >
            <CheckCircle2 className="h-3.5 w-3.5" aria-hidden />
            解决
          </Button>
        ) : null}
        {t.abilities.reopen ? (
          <Button
            type="button"
            variant="secondary"
            className="px-2 py-1 text-xs"
            onClick={() => void props.onToggle(false)}
          >
            <RotateCcw className="h-3.5 w-3.5" aria-hidden />
            重新打开
          </Button>
        ) : null}
      </div>
    </div>
  );
}
