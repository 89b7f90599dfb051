import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { MentionCandidate } from "~/domain/comment";
import { cx } from "./ui";

/** What a comment's author wrote and whom it mentions. */
export interface MentionText {
  body: string;
  userIds: string[];
  orgIds: string[];
}

/** Candidates matching what follows "@": by name, unit or pinyin initials (张伟 → zw). */
export function matchCandidates(candidates: readonly MentionCandidate[], query: string, max = 8): MentionCandidate[] {
  const q = query.trim().toLowerCase();
  if (!q) return candidates.slice(0, max);
  return candidates.filter((c) => c.name.includes(q) || c.unit.includes(q) || c.initials.startsWith(q)).slice(0, max);
}

/** The "@query" the caret is in, if any: from the last "@" before the caret, without spaces. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at < 0) return null;
  const query = before.slice(at + 1);
  return /^[^\s@]{0,20}$/.test(query) ? { start: at, query } : null;
}

/** The mentions still present in the text (a removed "@张伟" is no longer a mention). */
function mentionsIn(text: string, chosen: readonly MentionCandidate[]) {
  const kept = chosen.filter((c) => text.includes(`@${c.name}`));
  return {
    userIds: kept.filter((c) => c.kind === "user").map((c) => c.id),
    orgIds: kept.filter((c) => c.kind === "org").map((c) => c.id),
  };
}

/**
 * A comment box with @mentions: typing "@" opens a list of the document's people and units
 * (searchable by name, unit or pinyin initials); ↑/↓ choose, Enter or Tab insert, Escape closes the
 * list only. The list is an ARIA listbox owned by the textarea (combobox pattern).
 */
export function MentionTextarea(props: {
  label: string;
  /** Show the label above the box (a form field) instead of only to screen readers (a composer). */
  visibleLabel?: boolean;
  candidates: readonly MentionCandidate[];
  value: string;
  onChange: (value: MentionText) => void;
  placeholder?: string;
  autoFocus?: boolean;
  maxLength: number;
  onSubmit?: () => void;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [chosen, setChosen] = useState<MentionCandidate[]>([]);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const options = useMemo(
    () => (query ? matchCandidates(props.candidates, query.query) : []),
    [props.candidates, query],
  );
  const open = query !== null && options.length > 0;

  const emit = (text: string, picked = chosen) => props.onChange({ body: text, ...mentionsIn(text, picked) });
  const update = (text: string, caret: number) => {
    setQuery(mentionQuery(text, caret));
    setActive(0);
    emit(text);
  };
  const insert = (c: MentionCandidate) => {
    if (!query || !area.current) return;
    const caret = area.current.selectionStart;
    const text = `${props.value.slice(0, query.start)}@${c.name} ${props.value.slice(caret)}`;
    const picked = chosen.some((x) => x.id === c.id) ? chosen : [...chosen, c];
    setChosen(picked);
    setQuery(null);
    emit(text, picked);
    const at = query.start + c.name.length + 2;
    requestAnimationFrame(() => area.current?.setSelectionRange(at, at));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      setActive((i) => (i + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
    } else if (open && (e.key === "Enter" || e.key === "Tab")) {
      e.preventDefault();
      insert(options[active]);
    } else if (open && e.key === "Escape") {
      // Closes the list only, not the form or dialog around it.
      e.preventDefault();
      e.stopPropagation();
      setQuery(null);
    } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      props.onSubmit?.();
    }
  };

  return (
    <div className="relative">
      <label htmlFor={`${id}-text`} className={props.visibleLabel ? "text-sm font-medium text-slate-700" : "sr-only"}>
        {props.label}
      </label>
      <textarea
        ref={area}
        id={`${id}-text`}
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={open ? `${id}-opt-${active}` : undefined}
        value={props.value}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        rows={3}
        maxLength={props.maxLength}
        onChange={(e) => update(e.target.value, e.target.selectionStart)}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        className="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-200"
      />
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label="提及人员或单位"
        hidden={!open}
        className="absolute z-30 mt-1 max-h-56 w-full overflow-y-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
      >
        {options.map((c, i) => (
          <li
            key={`${c.kind}:${c.id}`}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              insert(c);
            }}
            className={cx(
              "cursor-pointer px-3 py-1.5 text-sm",
              i === active ? "bg-brand-50 text-brand-900" : "text-slate-800",
            )}
          >
            {c.name}
            <span className="ml-2 text-xs text-slate-600">{c.kind === "org" ? "单位" : c.unit}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
