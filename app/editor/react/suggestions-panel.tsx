import type { Editor } from "@tiptap/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Button } from "~/components/ui";
import { orgColor } from "../schema/colors";
import { listSuggestions, type SuggestionSummary } from "../schema/suggestions";

/** One proposal as the panel shows it: a deletion and an insertion with the same id are one change. */
interface Proposal {
  id: string;
  orgId: string | null;
  orgName: string;
  authorId: string | null;
  authorName: string;
  at: string | null;
  deleted: string;
  inserted: string;
  formatting: boolean;
}

function proposals(list: readonly SuggestionSummary[]): Proposal[] {
  const byId = new Map<string, Proposal>();
  for (const s of list) {
    let p = byId.get(s.id);
    if (!p) {
      p = {
        id: s.id,
        orgId: s.orgId,
        orgName: s.orgName ?? "个人",
        authorId: s.authorId,
        authorName: s.authorName ?? "",
        at: s.at,
        deleted: "",
        inserted: "",
        formatting: false,
      };
      byId.set(s.id, p);
    }
    if (s.kind === "deletion") p.deleted += s.text;
    else if (s.kind === "insertion") p.inserted += s.text;
    else p.formatting = true;
  }
  return [...byId.values()];
}

/** A bold-toggle is recorded as the same text struck and re-inserted: say so rather than show it twice. */
function describe(p: Proposal): string {
  const q = (s: string) => `「${s.length > 40 ? `${s.slice(0, 40)}…` : s}」`;
  if (p.deleted && p.inserted)
    return p.deleted === p.inserted ? `修改${q(p.inserted)}的格式` : `将${q(p.deleted)}改为${q(p.inserted)}`;
  if (p.inserted) return `插入${q(p.inserted)}`;
  if (p.deleted) return `删除${q(p.deleted)}`;
  // Only anchors: a paragraph break or an empty block, nothing typed in it yet.
  return p.formatting ? "修改格式" : "插入换行或新段落";
}

const time = (at: string | null) => {
  if (!at) return "";
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString("zh-CN", {
    timeZone: "Asia/Shanghai",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
};

/** Colours each unit's proposals in the text (inserted underlined on a light tint, deleted struck through). */
function suggestionStyles(orgIds: ReadonlySet<string | null>): string {
  return [...orgIds]
    .map((orgId) => {
      const c = orgColor(orgId);
      const sel = orgId
        ? `[data-suggestion-org-id="${orgId.replace(/[^A-Za-z0-9_-]/g, "")}"]`
        : ":not([data-suggestion-org-id])";
      // The decoration in the unit's colour; the text in a darker shade of it, readable on every tint.
      const text = `color-mix(in srgb, ${c} 60%, #000)`;
      return `.gongwen ins${sel}{color:${text};text-decoration-color:${c};background-color:${c}14}.gongwen del${sel}{color:${text};text-decoration-color:${c}}`;
    })
    .join("\n");
}

/** The first position of a proposal in the editor: selected and scrolled to. */
function reveal(editor: Editor, id: string) {
  let found: { from: number; to: number } | null = null;
  editor.state.doc.descendants((node, pos) => {
    if (node.isInline && node.marks.some((m) => String(m.attrs.id ?? "") === id && m.type.name !== "comment")) {
      found = found ? { from: found.from, to: pos + node.nodeSize } : { from: pos, to: pos + node.nodeSize };
    }
    return true;
  });
  if (!found) return;
  editor.chain().focus().setTextSelection(found).scrollIntoView().run();
}

/**
 * 修订 side list (ADR 019): the open proposals in document order, grouped by unit, with old and new
 * text; the drafting unit accepts or rejects one, a unit's or all, authors withdraw their own. The
 * decision is the server's (one Yjs transaction, audited): the panel only asks, and the text changes
 * in every open editor when the change arrives.
 */
export function SuggestionsPanel({
  editor,
  documentId,
  userId,
  canDecide,
}: {
  editor: Editor | null;
  documentId: string;
  userId: string;
  canDecide: boolean;
}) {
  const [list, setList] = useState<Proposal[]>([]);
  useEffect(() => {
    if (!editor) return;
    const read = () => setList(proposals(listSuggestions(editor.state.doc)));
    read();
    editor.on("update", read);
    return () => {
      editor.off("update", read);
    };
  }, [editor]);
  const groups = useMemo(() => {
    const byOrg = new Map<string, { orgId: string | null; orgName: string; items: Proposal[] }>();
    for (const p of list) {
      const key = p.orgId ?? p.orgName;
      let g = byOrg.get(key);
      if (!g) byOrg.set(key, (g = { orgId: p.orgId, orgName: p.orgName, items: [] }));
      g.items.push(p);
    }
    return [...byOrg.values()];
  }, [list]);
  const orgIds = useMemo(() => new Set(list.map((p) => p.orgId)), [list]);

  const { busy, error, decide } = useDecide(documentId);

  if (!list.length) return <style>{""}</style>;
  return (
    <section
      aria-labelledby="suggestions-heading"
      className="rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm"
      data-testid="suggestions-panel"
    >
      <style>{suggestionStyles(orgIds)}</style>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="suggestions-heading" className="font-semibold text-slate-800">
          修订（{list.length}）
        </h2>
        {canDecide ? (
          <div className="flex gap-1">
            <Button variant="secondary" disabled={busy} onClick={() => decide("accept", { all: true })}>
              全部接受
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => decide("reject", { all: true })}>
              全部拒绝
            </Button>
          </div>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="mt-2 rounded bg-red-50 px-2 py-1 text-red-800">
          {error}
        </p>
      ) : null}
      {groups.map((g) => (
        <div key={g.orgId ?? g.orgName} className="mt-3" data-testid="suggestion-group">
          <div className="flex flex-wrap items-center justify-between gap-1">
            <h3 className="flex items-center gap-1.5 font-medium text-slate-800">
              <span
                aria-hidden
                className="inline-block h-2.5 w-2.5 rounded-full"
                style={{ background: orgColor(g.orgId) }}
              />
              {g.orgName}（{g.items.length}）
            </h3>
            {canDecide && g.orgId && groups.length > 1 ? (
              <div className="flex gap-1 text-xs">
                <button
                  type="button"
                  className="rounded px-1.5 py-0.5 text-brand-700 underline hover:bg-slate-100"
                  disabled={busy}
                  onClick={() => decide("accept", { orgId: g.orgId! })}
                >
                  接受该单位全部
                </button>
                <button
                  type="button"
                  className="rounded px-1.5 py-0.5 text-red-700 underline hover:bg-slate-100"
                  disabled={busy}
                  onClick={() => decide("reject", { orgId: g.orgId! })}
                >
                  拒绝该单位全部
                </button>
              </div>
            ) : null}
          </div>
          <ul className="mt-1 flex flex-col gap-2">
            {g.items.map((p) => (
              <ProposalItem
                key={p.id}
                proposal={p}
                busy={busy}
                canDecide={canDecide}
                own={p.authorId === userId}
                onReveal={() => editor && reveal(editor, p.id)}
                onDecide={(intent) => decide(intent, { ids: [p.id] })}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

type Scope = { ids?: string[]; orgId?: string; all?: boolean };

/** Asks the server to accept, reject or withdraw; the answer's refusal is kept for the panel to show. */
function useDecide(documentId: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = useCallback(
    async (intent: "accept" | "reject" | "withdraw", scope: Scope) => {
      setBusy(true);
      setError(null);
      const body = new URLSearchParams({ intent });
      for (const id of scope.ids ?? []) body.append("id", id);
      if (scope.orgId) body.set("orgId", scope.orgId);
      if (scope.all) body.set("all", "on");
      try {
        const res = await fetch(`/documents/${documentId}/suggestions`, {
          method: "POST",
          body,
          headers: { Accept: "application/json" },
        });
        const answer = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: unknown };
        if (!res.ok || !answer.ok)
          setError(typeof answer.error === "string" ? answer.error : "操作未成功，请稍后重试。");
      } catch {
        setError("网络连接中断，修订未能处理，请稍后重试。");
      } finally {
        setBusy(false);
      }
    },
    [documentId],
  );
  return { busy, error, decide };
}

/** One proposal: what it changes, by whom and when, and what the user may do with it. */
function ProposalItem({
  proposal: p,
  busy,
  canDecide,
  own,
  onReveal,
  onDecide,
}: {
  proposal: Proposal;
  busy: boolean;
  canDecide: boolean;
  own: boolean;
  onReveal: () => void;
  onDecide: (intent: "accept" | "reject" | "withdraw") => void;
}) {
  const what = describe(p);
  return (
    <li className="rounded border border-slate-100 p-2" data-testid="suggestion" data-suggestion-id={p.id}>
      <button type="button" className="text-left text-slate-800 hover:underline" onClick={onReveal}>
        {what}
      </button>
      <p className="mt-0.5 text-xs text-slate-600">
        {p.authorName}
        {p.at ? ` · ${time(p.at)}` : ""}
      </p>
      <div className="mt-1 flex gap-1">
        {canDecide ? (
          <>
            <Button variant="secondary" disabled={busy} aria-label={`接受：${what}`} onClick={() => onDecide("accept")}>
              接受
            </Button>
            <Button variant="secondary" disabled={busy} aria-label={`拒绝：${what}`} onClick={() => onDecide("reject")}>
              拒绝
            </Button>
          </>
        ) : null}
        {own && !canDecide ? (
          <Button variant="secondary" disabled={busy} aria-label={`撤回：${what}`} onClick={() => onDecide("withdraw")}>
            撤回
          </Button>
        ) : null}
      </div>
    </li>
  );
}
