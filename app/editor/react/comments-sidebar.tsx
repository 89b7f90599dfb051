import type { Editor } from "@tiptap/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { CommentPanel, type PendingComment } from "~/components/comment-panel";
import type { ThreadActions } from "~/components/comment-thread";
import type { MentionText } from "~/components/mention-textarea";
import type { ThreadView } from "~/domain/comment";
import { orgColor } from "../schema/colors";
import { revealThread } from "./comment-selection";
import type { CommentsState } from "./use-comments";

/** Highlights each open thread's text in its unit's colour (resolved threads are not highlighted). */
function anchorStyles(threads: readonly ThreadView[], active: string | null): string {
  return threads
    .filter((t) => t.status === "OPEN")
    .map((t) => {
      const c = orgColor(t.org?.id ?? null);
      const sel = `.gongwen [data-comment-thread="${t.id.replace(/[^A-Za-z0-9_-]/g, "")}"]`;
      const ring = t.id === active ? `outline:2px solid ${c};` : "";
      return `${sel}{background-color:${c}1f;border-bottom:2px solid ${c};${ring}}`;
    })
    .join("\n");
}

const fields = (text: MentionText) => ({ body: text.body, mentionUser: text.userIds, mentionOrg: text.orgIds });

/**
 * The comment side of the editor (ADR 017): the panel, the highlight of every open thread, and the
 * glue between them — a click on a thread shows its text, a click on highlighted text opens its
 * thread, a new comment goes to the server which anchors it for everyone.
 */
export function CommentsSidebar(props: {
  editor: Editor | null;
  comments: CommentsState;
  pending: PendingComment | null;
  onPendingDone: () => void;
  myOrgIds: ReadonlySet<string>;
  /** A thread to show first (a notification's link: ?thread=…). */
  initialThreadId: string | null;
}) {
  const { editor, comments } = props;
  const [active, setActive] = useState<string | null>(props.initialThreadId);
  const threads = useMemo(() => comments.data?.threads ?? [], [comments.data]);
  const answer = useCallback(
    async (f: Record<string, string | string[]>) => {
      const res = await comments.submit(f);
      return res.ok ? null : res.error;
    },
    [comments],
  );
  // The composer closes (sent or cancelled): focus goes back to the text it was opened from.
  const { onPendingDone } = props;
  const closeComposer = useCallback(() => {
    onPendingDone();
    editor?.commands.focus();
  }, [editor, onPendingDone]);
  const reveal = useCallback(
    (threadId: string) => {
      setActive(threadId);
      if (editor) revealThread(editor, threadId);
    },
    [editor],
  );
  const actions: ThreadActions & { openThread: (p: PendingComment, t: MentionText) => Promise<string | null> } =
    useMemo(
      () => ({
        reveal,
        reply: (threadId, text) => answer({ intent: "reply", threadId, ...fields(text) }),
        setResolved: (threadId, resolved) => answer({ intent: resolved ? "resolve" : "reopen", threadId }),
        edit: (commentId, body) => answer({ intent: "edit", commentId, body }),
        remove: (commentId) => answer({ intent: "delete", commentId }),
        openThread: async (p, text) => {
          const res = await comments.submit({
            intent: "open",
            anchor: p.anchor,
            head: p.head,
            quote: p.quote,
            ...fields(text),
          });
          if (!res.ok) return res.error;
          closeComposer();
          if (res.threadId) setActive(res.threadId);
          return null;
        },
      }),
      [answer, closeComposer, comments, reveal],
    );

  // A click on commented text opens its thread in the panel.
  useEffect(() => {
    const dom = editor?.view.dom;
    if (!dom) return;
    const onClick = (e: MouseEvent) => {
      const el = (e.target as HTMLElement | null)?.closest("[data-comment-thread]");
      const id = el?.getAttribute("data-comment-thread");
      if (id) setActive(id);
    };
    dom.addEventListener("click", onClick);
    return () => dom.removeEventListener("click", onClick);
  }, [editor]);

  // Opened from a notification: show that thread's text once it is there.
  useEffect(() => {
    if (props.initialThreadId && editor && threads.some((t) => t.id === props.initialThreadId)) {
      revealThread(editor, props.initialThreadId);
    }
  }, [editor, props.initialThreadId, threads]);

  return (
    <>
      <style>{anchorStyles(threads, active)}</style>
      <CommentPanel
        data={comments.data}
        pending={props.pending}
        activeThreadId={active}
        myOrgIds={props.myOrgIds}
        colorOf={orgColor}
        actions={actions}
        onCancelPending={closeComposer}
      />
    </>
  );
}
