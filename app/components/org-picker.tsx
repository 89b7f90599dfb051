import { X } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import type { OrgOption } from "./org-choice-list";
import { cx } from "./ui";

/** Orgs whose name or region contains every word of the query. */
export function filterOrgs(
  orgs: readonly OrgOption[],
  query: string,
  exclude: ReadonlySet<string>,
  limit = 50,
): OrgOption[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const out: OrgOption[] = [];
  for (const o of orgs) {
    if (exclude.has(o.id)) continue;
    const hay = `${o.name} ${o.region}`.toLowerCase();
    if (words.every((w) => hay.includes(w))) out.push(o);
    if (out.length >= limit) break;
  }
  return out;
}

export interface OrgPickerProps {
  /** The field's visible label (e.g. 牵头单位); also names the combobox, the chosen list and the options. */
  label: string;
  orgs: readonly OrgOption[];
  selected: string[];
  /** Orgs never offered (e.g. the lead among the supporting orgs). */
  exclude: string[];
  multiple: boolean;
  onChange: (ids: string[]) => void;
  required?: boolean;
  error?: string;
  hint?: string;
}

/**
 * A searchable org picker (WAI-ARIA combobox + listbox): type to filter by name or region, arrows to
 * move, Enter to pick, Escape to close the list only (a surrounding dialog stays open), Backspace in
 * an empty field to remove the last choice. Focus stays in, or returns to, the text field.
 */
export function OrgPicker({
  label,
  orgs,
  selected,
  exclude,
  multiple,
  onChange,
  required,
  error,
  hint,
}: OrgPickerProps) {
  const id = useId();
  const byId = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  const hidden = useMemo(() => new Set([...exclude, ...(multiple ? selected : [])]), [exclude, selected, multiple]);
  const combobox = useOrgCombobox({ id, orgs, hidden, selected, multiple, onChange });
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-input`} className="font-medium text-slate-700">
        {label}
        {required ? (
          <span className="ml-0.5 text-red-600" aria-hidden>
            *
          </span>
        ) : null}
      </label>
      <ChosenOrgs
        label={label}
        selected={selected}
        byId={byId}
        onRemove={(orgId) => {
          combobox.remove(orgId);
          // The chip's button goes away with it: keep the keyboard in the field.
          combobox.refocus();
        }}
      />
      <div className="relative">
        <input
          ref={combobox.inputRef}
          id={`${id}-input`}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={combobox.expanded}
          aria-controls={combobox.listId}
          aria-activedescendant={combobox.activeDescendant}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          aria-required={required}
          placeholder={multiple || !selected.length ? "输入单位名称或地区搜索" : `输入以更换${label}`}
          value={combobox.query}
          onChange={(e) => combobox.type(e.target.value)}
          onFocus={combobox.onFocus}
          onBlur={() => combobox.setExpanded(false)}
          onKeyDown={combobox.onKeyDown}
          className="w-full rounded-md border border-slate-300 px-2 py-1.5 shadow-sm placeholder:text-slate-400 aria-[invalid=true]:border-red-500"
        />
        {combobox.expanded ? (
          <OrgListbox
            listRef={combobox.listRef}
            listId={combobox.listId}
            label={label}
            results={combobox.results}
            active={combobox.active}
            optionId={combobox.optionId}
            onHover={combobox.setActive}
            onPick={combobox.pick}
          />
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The combobox state: query, open list, highlighted option, and what the keys do. */
function useOrgCombobox({
  id,
  orgs,
  hidden,
  selected,
  multiple,
  onChange,
}: {
  id: string;
  orgs: readonly OrgOption[];
  hidden: ReadonlySet<string>;
  selected: string[];
  multiple: boolean;
  onChange: (ids: string[]) => void;
}) {
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  // Set while the picker itself moves the focus back to the field (which does not open the list).
  const refocusing = useRef(false);
  const listRef = useRef<HTMLUListElement>(null);
  const results = useMemo(() => filterOrgs(orgs, query, hidden), [orgs, query, hidden]);
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;

  useEffect(() => {
    setActive(0);
  }, [query]);
  useEffect(() => {
    listRef.current?.querySelector(`#${CSS.escape(optionId(active))}`)?.scrollIntoView({ block: "nearest" });
    // optionId is derived from the stable id.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  // Escape with the list open closes the list only. A dialog around the picker listens before the
  // field does (Radix: on the document, capture phase), so the key is taken on the window first.
  useEffect(() => {
    if (!expanded) return;
    const onEscape = (e: globalThis.KeyboardEvent) => {
      if (e.key !== "Escape" || e.target !== inputRef.current) return;
      e.preventDefault();
      e.stopPropagation();
      setExpanded(false);
    };
    window.addEventListener("keydown", onEscape, true);
    return () => window.removeEventListener("keydown", onEscape, true);
  }, [expanded]);

  const pick = (org: OrgOption) => {
    onChange(multiple ? [...selected.filter((x) => x !== org.id), org.id] : [org.id]);
    setQuery("");
    setExpanded(multiple);
    setActive(0);
  };
  const remove = (orgId: string) => onChange(selected.filter((x) => x !== orgId));

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setExpanded(true);
      setActive((a) => Math.min(a + 1, Math.max(results.length - 1, 0)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      // Enter picks the highlighted org instead of submitting the form.
      if (expanded && results[active]) {
        e.preventDefault();
        pick(results[active]);
      } else if (query) e.preventDefault();
    } else if (e.key === "Backspace" && !query && selected.length) {
      remove(selected[selected.length - 1]);
    }
  };

  return {
    inputRef,
    onFocus: () => {
      if (!refocusing.current) setExpanded(true);
    },
    refocus: () => {
      refocusing.current = true;
      inputRef.current?.focus();
      refocusing.current = false;
    },
    query,
    type: (value: string) => {
      setQuery(value);
      setExpanded(true);
    },
    expanded,
    setExpanded,
    active,
    setActive,
    results,
    listRef,
    listId,
    optionId,
    activeDescendant: expanded && results[active] ? optionId(active) : undefined,
    pick,
    remove,
    onKeyDown,
  };
}

function ChosenOrgs({
  label,
  selected,
  byId,
  onRemove,
}: {
  label: string;
  selected: string[];
  byId: ReadonlyMap<string, OrgOption>;
  onRemove: (orgId: string) => void;
}) {
  if (!selected.length) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label={`已选${label}`}>
      {selected.map((orgId) => (
        <li
          key={orgId}
          className="inline-flex items-center gap-1 rounded bg-brand-50 py-0.5 pl-2 pr-1 text-xs text-brand-800"
        >
          {byId.get(orgId)?.name ?? "（未知单位）"}
          <button
            type="button"
            onClick={() => onRemove(orgId)}
            className="rounded p-0.5 hover:bg-brand-100"
            aria-label={`移除${label}：${byId.get(orgId)?.name ?? orgId}`}
          >
            <X className="h-3 w-3" aria-hidden />
          </button>
        </li>
      ))}
    </ul>
  );
}

function OrgListbox({
  listRef,
  listId,
  label,
  results,
  active,
  optionId,
  onHover,
  onPick,
}: {
  listRef: RefObject<HTMLUListElement>;
  listId: string;
  label: string;
  results: readonly OrgOption[];
  active: number;
  optionId: (i: number) => string;
  onHover: (i: number) => void;
  onPick: (org: OrgOption) => void;
}) {
  return (
    <ul
      ref={listRef}
      id={listId}
      role="listbox"
      aria-label={`${label}候选`}
      className="absolute left-0 right-0 top-full z-10 mt-1 max-h-48 overflow-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
    >
      {results.length ? (
        results.map((o, i) => (
          <li
            key={o.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            // Keep the focus in the field while clicking an option.
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => onHover(i)}
            onClick={() => onPick(o)}
            className={cx(
              "flex cursor-pointer items-baseline justify-between gap-2 px-2 py-1",
              i === active ? "bg-brand-50 text-brand-800" : "text-slate-800",
            )}
          >
            <span>{o.name}</span>
            <span className="shrink-0 text-xs text-slate-500">{o.region}</span>
          </li>
        ))
      ) : (
        <li className="px-2 py-1 text-slate-500" role="presentation">
          没有匹配的单位
        </li>
      )}
    </ul>
  );
}
