import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { renderCaret, renderSelection } from "./caret";
import { useEditor, type Editor } from "@tiptap/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { PendingComment } from "~/components/comment-panel";
import type { ItemKind } from "~/domain/tracked-item";
import { EmptyBlockCaret } from "../schema/empty-block-caret";
import { contentExtensions, YJS_FRAGMENT } from "../schema/extensions";
import { RedactionHighlight } from "../schema/redaction-highlight";
import { STAT_CHART } from "../schema/chart";
import { TRACKED_ITEM } from "../schema/tracked-item";
import { ConnectionIndicator } from "./connection-indicator";
import { PresenceList, usePresence } from "./presence-list";
import { Toolbar } from "./toolbar";
import { StatChartWithView } from "./stat-chart-view";
import { TrackedItemWithView } from "./tracked-item-view";
import { useTrackedItems } from "./tracked-items-context";
import { useCollabSession, type CollabSession } from "./use-collab-session";
import { commentSelection } from "./comment-selection";
import { CommentOnlyToolbar, CommentShortcut, EditorWithMenu } from "./comment-controls";
import { CommentsSidebar } from "./comments-sidebar";
import { useComments } from "./use-comments";
import { SuggestMode } from "./suggest-mode";
import { SuggestionsPanel } from "./suggestions-panel";

export interface EditorUser {
  id: string;
  name: string;
  org: string | null;
  color: string;
  /** The unit the user acts for in this document (its 修订 carry it). */
  orgId?: string | null;
  /** The user's units (the comment panel's 我单位 and 提到我). */
  orgIds: string[];
}

/** What the user may do with 修订 here (ADR 019; the page's `suggestionAbilities`). */
export interface EditorSuggestions {
  /** Edits only as proposals (SUGGEST access). */
  suggestOnly: boolean;
  /** May switch 修订 on (writers) or always suggests (SUGGEST). */
  propose: boolean;
  /** May accept and reject (the drafting unit). */
  decide: boolean;
}

/**
 * The co-editing editor: Tiptap + Yjs over our collab server (the session: `useCollabSession`), with
 * the toolbar, the connection status and who else has the document open.
 */
export function CollaborativeEditor({
  documentId,
  user,
  canWrite,
  canComment,
  suggestions = { suggestOnly: false, propose: false, decide: false },
  initialThreadId,
  readOnlyReason,
  settledLabel = null,
  onAccessChanged,
  onEditor,
}: {
  documentId: string;
  user: EditorUser;
  canWrite: boolean;
  /** May open comment threads (COMMENT access or more, on a draft). */
  canComment: boolean;
  suggestions?: EditorSuggestions;
  /** A comment thread to show first (from a notification's link). */
  initialThreadId: string | null;
  readOnlyReason: string | null;
  /** A final document's state (已定稿（只读）): shown instead of connection states, which cannot matter. */
  settledLabel?: string | null;
  onAccessChanged: () => void;
  /** The page gets the editor (e.g. to mark and fix 脱敏检查 findings); null when it goes away. */
  onEditor?: (editor: Editor | null) => void;
}) {
  // The kind of the document's items: the item node's insert defaults (督办期限) follow it.
  const { kind } = useTrackedItems();
  // One session per mounted editor (the page keys the editor by document and access).
  const session = useCollabSession(documentId, { onAccessChanged });
  const { refusal, notice } = session.status;
  const presence = usePresence(session.provider);
  const comments = useComments(documentId);
  const [pending, setPending] = useState<PendingComment | null>(null);
  const editorRef = useRef<Editor | null>(null);
  const startComment = useCallback(() => {
    const selection = editorRef.current ? commentSelection(editorRef.current) : null;
    setPending(selection);
    return selection !== null;
  }, []);
  // 修订: always on for a SUGGEST member, a switch for writers.
  const [suggestSwitch, setSuggestSwitch] = useState(false);
  const suggesting = suggestions.suggestOnly || (suggestions.propose && suggestSwitch);
  const [suggestNotice, setSuggestNotice] = useState<string | null>(null);
  const editor = useCollabEditor({
    session,
    user,
    kind,
    canWrite: canWrite || suggestions.suggestOnly,
    refusal,
    onEditor,
    onComment: canComment ? startComment : null,
    onSuggestRefused: setSuggestNotice,
  });
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.storage.suggestMode.enabled = suggesting;
  }, [editor, suggesting]);
  editorRef.current = editor;
  const myOrgIds = useMemo(() => new Set(user.orgIds), [user.orgIds]);

  return (
    <div className="flex flex-col gap-3 lg:flex-row">
      <div className="min-w-0 flex-1 rounded-lg border border-slate-200 bg-white shadow-sm">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-3 py-2">
          {(canWrite || suggestions.suggestOnly) && !refusal ? (
            <Toolbar
              editor={editor}
              onComment={canComment ? startComment : null}
              suggesting={suggesting}
              onToggleSuggesting={
                suggestions.propose && !suggestions.suggestOnly ? () => setSuggestSwitch((on) => !on) : null
              }
            />
          ) : canComment && !refusal ? (
            <CommentOnlyToolbar onComment={startComment} note={readOnlyReason} />
          ) : (
            <p className="text-sm text-slate-600">{refusal ?? readOnlyReason ?? "只读"}</p>
          )}
          <ConnectionIndicator status={session.status} settledLabel={settledLabel} />
        </div>
        {refusal ? (
          <p role="alert" className="border-b border-red-100 bg-red-50 px-4 py-2 text-sm text-red-800">
            {refusal}
          </p>
        ) : suggestNotice ? (
          <p
            role="status"
            data-testid="suggest-notice"
            className="flex items-center justify-between gap-2 border-b border-amber-100 bg-amber-50 px-4 py-2 text-sm text-amber-900"
          >
            {suggestNotice}
            <button type="button" className="underline" onClick={() => setSuggestNotice(null)}>
              知道了
            </button>
          </p>
        ) : notice ? (
          <p
            role="status"
            data-testid="collab-notice"
            className="border-b border-amber-100 bg-amber-50 px-4 py-2 text-sm text-amber-900"
          >
            {notice}
          </p>
        ) : null}
        <EditorWithMenu editor={editor} onComment={canComment && !refusal ? startComment : null} />
      </div>
      <div className="flex w-full flex-col gap-3 lg:w-80 lg:shrink-0">
        <PresenceList presence={presence} />
        <SuggestionsPanel editor={editor} documentId={documentId} userId={user.id} canDecide={suggestions.decide} />
        <CommentsSidebar
          editor={editor}
          comments={comments}
          pending={pending}
          onPendingDone={() => setPending(null)}
          myOrgIds={myOrgIds}
          initialThreadId={initialThreadId}
        />
      </div>
    </div>
  );
}

/**
 * The Tiptap editor bound to a session: the shared schema (with the item node view swapped in),
 * Yjs binding and carets, the empty-paragraph caret fix and the 脱敏检查 marks. Remote changes wait
 * while an input method composes; the page gets the editor through `onEditor`.
 */
function useCollabEditor({
  session: { gate, provider },
  user,
  kind,
  canWrite,
  refusal,
  onEditor,
  onComment,
  onSuggestRefused,
}: {
  session: CollabSession;
  user: EditorUser;
  kind: ItemKind;
  canWrite: boolean;
  /** Why the server refused the session (the editor is then read-only), or null. */
  refusal: string | null;
  onEditor?: (editor: Editor | null) => void;
  /** 批注 on the selection (Mod-Alt-m), or null when the user may not comment. */
  onComment: (() => boolean) | null;
  /** A change that could not be made as a 修订 (shown, nothing sent). */
  onSuggestRefused: (message: string) => void;
}): Editor | null {
  const onCommentRef = useRef(onComment);
  onCommentRef.current = onComment;
  const onRefusedRef = useRef(onSuggestRefused);
  onRefusedRef.current = onSuggestRefused;
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: canWrite,
      extensions: [
        // The shared schema, with the item and figure node views (React) swapped in for the browser.
        ...contentExtensions().map((e) =>
          e.name === TRACKED_ITEM
            ? TrackedItemWithView.configure({ kind })
            : e.name === STAT_CHART
              ? StatChartWithView
              : e,
        ),
        Collaboration.configure({ document: gate.viewDoc, field: YJS_FRAGMENT }),
        CollaborationCaret.configure({
          provider,
          user: { name: user.name, color: user.color, org: user.org },
          render: renderCaret,
          selectionRender: renderSelection,
        }),
        EmptyBlockCaret,
        RedactionHighlight,
        CommentShortcut.configure({ onComment: () => onCommentRef.current?.() ?? false }),
        SuggestMode.configure({
          author: { userId: user.id, name: user.name, orgId: user.orgId ?? null, orgName: user.org },
          onRefused: (message) => onRefusedRef.current(message),
        }),
      ],
      editorProps: {
        attributes: {
          class: "gongwen prose-none min-h-[24rem] px-8 py-6 outline-none",
          "aria-label": "文书正文",
          role: "textbox",
          "aria-multiline": "true",
          "data-testid": "editor",
          id: "document-editor",
        },
      },
    },
    [provider, gate, kind],
  );

  useEffect(() => {
    editor?.setEditable(canWrite && !refusal);
  }, [editor, canWrite, refusal]);

  const onEditorRef = useRef(onEditor);
  onEditorRef.current = onEditor;
  useEffect(() => {
    onEditorRef.current?.(editor ?? null);
    return () => onEditorRef.current?.(null);
  }, [editor]);

  // Hold remote changes while an input method composes; apply them once it commits.
  useEffect(() => {
    if (!editor) return;
    const dom = editor.view.dom;
    const start = () => gate.setComposing(true);
    const end = () => setTimeout(() => gate.setComposing(false), 0);
    dom.addEventListener("compositionstart", start);
    dom.addEventListener("compositionend", end);
    return () => {
      dom.removeEventListener("compositionstart", start);
      dom.removeEventListener("compositionend", end);
      gate.setComposing(false);
    };
  }, [editor, gate]);

  return editor;
}
