import { useState } from "react";
import type { MentionCandidate } from "~/domain/comment";
import { MentionTextarea, type MentionText } from "./mention-textarea";
import { Button } from "./ui";

/**
 * Writing a comment (a new thread, a reply or an edit): the quoted text, the box with @mentions,
 * and the answer of the server in Chinese when it refuses. Ctrl/⌘+Enter submits.
 */
export function CommentComposer(props: {
  title: string;
  quote?: string;
  initial?: string;
  candidates: readonly MentionCandidate[];
  submitLabel: string;
  maxLength: number;
  /** Resolves with an error message, or null when done. */
  onSubmit: (text: MentionText) => Promise<string | null>;
  onCancel?: () => void;
  /** Takes the focus when it appears (default); not for the reply box every thread shows. */
  autoFocus?: boolean;
}) {
  const [text, setText] = useState<MentionText>({ body: props.initial ?? "", userIds: [], orgIds: [] });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (busy) return;
    if (!text.body.trim()) return setError("批注内容不能为空。");
    setBusy(true);
    const failed = await props.onSubmit(text);
    setBusy(false);
    setError(failed);
    if (!failed) setText({ body: "", userIds: [], orgIds: [] });
  };
  return (
    <form
      aria-label={props.title}
      className="flex flex-col gap-2 rounded-md border border-brand-200 bg-brand-50/40 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {props.quote ? (
        <blockquote className="border-l-2 border-brand-400 pl-2 text-xs text-slate-700">{props.quote}</blockquote>
      ) : null}
      <MentionTextarea
        label={props.title}
        candidates={props.candidates}
        value={text.body}
        onChange={setText}
        placeholder="输入意见，键入 @ 提及人员或单位"
        autoFocus={props.autoFocus ?? true}
        maxLength={props.maxLength}
        onSubmit={() => void submit()}
      />
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        {props.onCancel ? (
          <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={props.onCancel}>
            取消
          </Button>
        ) : null}
        <Button type="submit" className="px-2 py-1 text-xs" disabled={busy}>
          {busy ? "正在提交…" : props.submitLabel}
        </Button>
      </div>
    </form>
  );
}
