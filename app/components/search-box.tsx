import { useFetcher, useNavigate } from "@remix-run/react";
import { Search } from "lucide-react";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { PassagePart, SearchOutcome } from "~/domain/search";

/** Text with the query's words in <mark>: React escapes every part, nothing is parsed as HTML. */
export function MarkedText({ parts }: { parts: readonly PassagePart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.mark ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-slate-900">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

const QUICK_LIMIT = 8;

/**
 * The shell's quick search (ADR 028): a button, and Ctrl+K / ⌘K anywhere, open a dialog with a combobox; the
 * first results come from /search as the user types; ↑/↓ choose, Enter opens the chosen one (or the results
 * page), Esc closes.
 */
export function SearchBox() {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const fetcher = useFetcher<Outcome>();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [active, setActive] = useState(-1);
  const listId = useId();
  const labelId = useId();

  const open = useCallback(() => {
    const d = dialogRef.current;
    if (d && !d.open) d.showModal();
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        open();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);

  const { load } = fetcher;
  useEffect(() => {
    const query = q.trim();
    if (!query) return;
    const t = setTimeout(() => load(`/search?${new URLSearchParams({ q: query, limit: String(QUICK_LIMIT) })}`), 150);
    return () => clearTimeout(t);
  }, [q, load]);

  const data = q.trim() && fetcher.data && fetcher.data.q === q.trim() ? fetcher.data : null;
  const results = data?.state === "results" ? data.results : [];

  const close = () => dialogRef.current?.close();
  const go = (href: string) => {
    close();
    navigate(href);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" && results.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % results.length);
    } else if (e.key === "ArrowUp" && results.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? results.length - 1 : a - 1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const chosen = results[active] ?? null;
      if (chosen) go(chosen.href);
      else if (q.trim()) go(`/search?${new URLSearchParams({ q: q.trim() })}`);
    }
  };

  return (
    <>
      <button
        type="button"
        onClick={open}
        className="flex items-center gap-1 rounded-md border border-slate-200 px-2 py-1.5 text-sm text-slate-600 hover:bg-slate-100"
        aria-label="搜索（Ctrl+K）"
        aria-keyshortcuts="Control+K Meta+K"
        title="全局搜索（Ctrl+K）"
        data-testid="search-open"
      >
        <Search className="h-4 w-4" aria-hidden />
        <span className="hidden lg:inline">搜索</span>
        <kbd className="hidden rounded border border-slate-300 px-1 text-xs text-slate-500 2xl:inline">Ctrl K</kbd>
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={labelId}
        className="w-[min(40rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
        onClose={() => setActive(-1)}
      >
        <div className="border-b border-slate-200 p-3">
          <label id={labelId} htmlFor={`${listId}-input`} className="mb-1 block text-sm font-medium text-slate-700">
            全局搜索
          </label>
          <input
            ref={inputRef}
            id={`${listId}-input`}
            type="search"
            value={q}
            maxLength={200}
            autoComplete="off"
            role="combobox"
            aria-expanded={results.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={active >= 0 && results[active] ? `${listId}-${active}` : undefined}
            onChange={(e) => {
              setQ(e.target.value);
              setActive(-1);
            }}
            onKeyDown={onKeyDown}
            placeholder="输入文书、会商、事项、建议书等中的词语"
            className="w-full rounded-md border border-slate-300 px-3 py-2 text-base"
            data-testid="search-input"
          />
        </div>
        <QuickResults results={results} active={active} listId={listId} onChoose={go} onHover={setActive} />
        <QuickStatus data={data} />
      </dialog>
    </>
  );
}

type Outcome = SearchOutcome & { q: string };
type Hit = Extract<SearchOutcome, { state: "results" }>["results"][number];

function QuickResults(props: {
  results: readonly Hit[];
  active: number;
  listId: string;
  onChoose: (href: string) => void;
  onHover: (i: number) => void;
}) {
  const { results, active, listId } = props;
  return (
    <ul id={listId} role="listbox" aria-label="搜索结果" className="max-h-[60vh] overflow-y-auto p-1">
      {results.map((r, i) => (
        // The input keeps the focus; the options answer to the mouse and to ↑/↓ + Enter on the input.
        <li
          key={`${r.kind}-${r.id}`}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === active}
          onClick={() => props.onChoose(r.href)}
          onMouseEnter={() => props.onHover(i)}
          className={`cursor-pointer rounded-md px-3 py-2 ${i === active ? "bg-brand-50 ring-1 ring-brand-300" : ""}`}
          data-testid="search-option"
        >
          <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{r.kindLabel}</span>
          <span className="font-medium text-slate-900">
            <MarkedText parts={r.title} />
          </span>
          <span className="mt-0.5 block text-sm text-slate-600">
            <MarkedText parts={r.passage} />
          </span>
        </li>
      ))}
    </ul>
  );
}

function QuickStatus({ data }: { data: Outcome | null }) {
  const text =
    data?.state === "tooLong"
      ? data.message
      : data?.state === "results" && !data.results.length
        ? "没有找到相关的文书或会商。"
        : data?.state === "results"
          ? `共 ${data.total} 条结果；↑↓ 选择，Enter 打开，Esc 关闭。`
          : "↑↓ 选择，Enter 打开，Esc 关闭。";
  return (
    <p className="border-t border-slate-200 px-3 py-2 text-xs text-slate-500" aria-live="polite">
      {text}
    </p>
  );
}
