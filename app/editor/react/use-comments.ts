import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef } from "react";
import type { CommentsPayload } from "~/domain/comment";
import { acquireSocket } from "~/realtime/socket.client";

export interface CommentsState {
  data: CommentsPayload | null;
  loading: boolean;
  refresh: () => void;
  /** POSTs one intent; resolves with the server's answer (`{ ok: true, … }` or the refusal). */
  submit: (fields: Record<string, string | string[]>) => Promise<CommentAnswer>;
}

export type CommentAnswer = { ok: true; threadId?: string } | { ok: false; error: string };

/**
 * The document's comment threads (批注, ADR 017), kept live: loaded from /documents/:id/comments and
 * reloaded whenever the document's socket.io room announces a change (`comment:changed`) — a new
 * comment, reply or resolution appears in every open editor within a second.
 */
export function useComments(documentId: string): CommentsState {
  const fetcher = useFetcher<CommentsPayload>();
  const href = `/documents/${documentId}/comments`;
  const loadRef = useRef(fetcher.load);
  loadRef.current = fetcher.load;
  const refresh = useCallback(() => loadRef.current(href), [href]);

  useEffect(() => {
    refresh();
    const { socket, release } = acquireSocket();
    const watch = () => socket.emit("document:watch", { documentId });
    if (socket.connected) watch();
    socket.on("connect", watch);
    // Reconnected after a gap: something may have changed meanwhile.
    socket.on("connect", refresh);
    socket.on("comment:changed", refresh);
    return () => {
      socket.off("connect", watch);
      socket.off("connect", refresh);
      socket.off("comment:changed", refresh);
      release();
    };
  }, [documentId, refresh]);

  const submit = useCallback(
    async (fields: Record<string, string | string[]>): Promise<CommentAnswer> => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      try {
        const res = await fetch(href, { method: "POST", body, headers: { Accept: "application/json" } });
        const answer = (await res.json()) as { ok?: boolean; threadId?: string; error?: unknown };
        if (res.ok && answer.ok) {
          refresh();
          return { ok: true, threadId: answer.threadId };
        }
        const error = typeof answer.error === "string" ? answer.error : "操作未成功，请稍后重试。";
        return { ok: false, error };
      } catch {
        return { ok: false, error: "网络连接中断，批注未能提交，请稍后重试。" };
      }
    },
    [href, refresh],
  );

  return useMemo(
    () => ({ data: fetcher.data ?? null, loading: fetcher.state !== "idle", refresh, submit }),
    [fetcher.data, fetcher.state, refresh, submit],
  );
}
