import { Form, Link, useLocation } from "@remix-run/react";
import { Filter, Link2, Search, X } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { EmptyState, FilterSelect, Notice, Pagination, cx } from "~/components/ui";

/**
 * The parts of a list whose filters, sort and page live in the URL (台账, 文书, 会商): a GET form
 * with a search box and selects, the 当前筛选 chips, the result count that takes the focus when the
 * query changes, the sort links and 复制链接.
 */

export const fieldClass =
  "w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-brand-600";

/** A labelled control of a filter form. */
export function FilterField({
  label,
  htmlFor,
  children,
  className,
}: {
  label: string;
  htmlFor: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <label htmlFor={htmlFor} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
    </div>
  );
}

/** The search box (name "q"), with its magnifier. */
export function SearchField({
  id,
  label,
  value,
  placeholder = "多个词用空格分隔，须同时包含",
  className = "col-span-2",
}: {
  id: string;
  label: string;
  value: string;
  placeholder?: string;
  className?: string;
}) {
  return (
    <FilterField label={label} htmlFor={id} className={className}>
      <div className="relative">
        <Search className="pointer-events-none absolute left-2.5 top-2 h-4 w-4 text-slate-500" aria-hidden />
        <input
          id={id}
          name="q"
          type="search"
          defaultValue={value}
          maxLength={200}
          placeholder={placeholder}
          className={cx(fieldClass, "pl-8")}
        />
      </div>
    </FilterField>
  );
}

/** 起止日期: two day inputs named "from" and "to". */
export function DayRangeFields({
  idPrefix,
  label,
  from,
  to,
}: {
  idPrefix: string;
  label: string;
  from: string | null;
  to: string | null;
}) {
  return (
    <>
      <FilterField label={`${label}（起）`} htmlFor={`${idPrefix}-from`}>
        <input id={`${idPrefix}-from`} name="from" type="date" defaultValue={from ?? ""} className={fieldClass} />
      </FilterField>
      <FilterField label={`${label}（止）`} htmlFor={`${idPrefix}-to`}>
        <input id={`${idPrefix}-to`} name="to" type="date" defaultValue={to ?? ""} className={fieldClass} />
      </FilterField>
    </>
  );
}

/** 清除 (when something is filtered) and 筛选. */
export function FilterButtons({ clearHref, className }: { clearHref: string | null; className?: string }) {
  return (
    <div className={cx("flex items-end justify-end gap-2", className)}>
      {clearHref ? (
        <Link
          to={clearHref}
          className="inline-flex items-center gap-1 rounded-md px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
        >
          <X className="h-4 w-4" aria-hidden />
          清除
        </Link>
      ) : null}
      <button
        type="submit"
        className="inline-flex items-center gap-1.5 rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
      >
        <Filter className="h-4 w-4" aria-hidden />
        筛选
      </button>
    </div>
  );
}

/** The GET form of a list's filters, keyed by the current search so it resets on navigation. */
export function FilterForm({
  action,
  search,
  label,
  keptSort = null,
  children,
  footer,
}: {
  action: string;
  search: string;
  label: string;
  /** A sort other than the default, kept when the filters change. */
  keptSort?: string | null;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <Form
      method="get"
      action={action}
      key={search}
      className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      aria-label={label}
    >
      {children}
      {keptSort ? <input type="hidden" name="sort" value={keptSort} /> : null}
      {footer}
    </Form>
  );
}

/**
 * The number of matching records. When the filters, the sort or the page change (筛选, a removed
 * chip, 下一页), the focus moves here and the count is read out, instead of dropping to the page body.
 */
export function ResultCount({ text }: { text: string }) {
  const { search } = useLocation();
  const ref = useRef<HTMLParagraphElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [search]);
  return (
    <p
      ref={ref}
      role="status"
      tabIndex={-1}
      className="rounded text-slate-600 outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
    >
      {text}
    </p>
  );
}

export interface FilterChip {
  label: string;
  remove: string;
}

/** 当前筛选: the active filters, each a link that removes it. */
export function FilterChips({ chips }: { chips: readonly FilterChip[] }) {
  if (!chips.length) return null;
  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3">
      <span className="text-xs text-slate-500">当前筛选：</span>
      <ul className="flex flex-wrap gap-1.5" aria-label="当前筛选条件">
        {chips.map((c) => (
          <li key={c.label}>
            <Link
              to={c.remove}
              className="inline-flex items-center gap-1 rounded-full border border-brand-100 bg-brand-50 px-2.5 py-0.5 text-xs text-brand-800 hover:border-brand-600"
              aria-label={`移除筛选条件：${c.label}`}
            >
              {c.label}
              <X className="h-3 w-3" aria-hidden />
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface SortChoice {
  value: string;
  label: string;
  href: string;
  current: boolean;
}

/** 排序: one link per order, the current one marked. */
export function SortLinks({ sorts }: { sorts: readonly SortChoice[] }) {
  return (
    <nav aria-label="排序" className="flex flex-wrap items-center gap-1">
      <span className="mr-1 text-xs text-slate-500">排序：</span>
      {sorts.map((s) => (
        <Link
          key={s.value}
          to={s.href}
          aria-current={s.current ? "true" : undefined}
          className={cx(
            "rounded-md px-2.5 py-1 text-xs",
            s.current
              ? "bg-brand-600 font-medium text-white"
              : "border border-slate-200 bg-white text-slate-700 hover:bg-slate-50",
          )}
        >
          {s.label}
        </Link>
      ))}
    </nav>
  );
}

/** The count and the sort links above a list. */
export function ListHeading({ text, sorts }: { text: string; sorts: readonly SortChoice[] }) {
  return (
    <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm">
      <ResultCount text={text} />
      <SortLinks sorts={sorts} />
    </div>
  );
}

/** 复制链接: a saved filter is just this page's URL. */
export function CopyLinkButton() {
  const [state, setState] = useState<"idle" | "copied" | "manual">("idle");
  async function copy() {
    const url = window.location.href;
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(url);
      else {
        // Plain-HTTP intranets have no Clipboard API: fall back to a selected textarea.
        const area = document.createElement("textarea");
        area.value = url;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        const ok = document.execCommand("copy");
        area.remove();
        if (!ok) throw new Error("copy refused");
      }
      setState("copied");
      setTimeout(() => setState("idle"), 2000);
    } catch {
      setState("manual");
    }
  }
  return (
    <span className="inline-flex flex-col gap-1">
      <button
        type="button"
        onClick={copy}
        className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
        title="复制本页链接：筛选条件都在链接里，可收藏或发给同事"
      >
        <Link2 className="h-4 w-4" aria-hidden />
        {state === "copied" ? "已复制链接" : "复制链接"}
      </button>
      <span role="status" className="max-w-xs text-xs text-slate-600">
        {state === "manual" ? "浏览器不允许自动复制，请从地址栏复制本页链接。" : ""}
      </span>
    </span>
  );
}

/** The page links of a list: its canonical search with the page set (page 1 left out). */
export function pageHref(path: string, search: string, page: number): string {
  const next = new URLSearchParams(search);
  if (page > 1) next.set("page", String(page));
  else next.delete("page");
  const s = next.toString();
  return s ? `${path}?${s}` : path;
}

/** 会商系列: the series among the records, and the chosen one even when none is left. */
export function SeriesSelect({
  idPrefix,
  value,
  series,
}: {
  idPrefix?: string;
  value: string | null;
  series: readonly string[];
}) {
  return (
    <FilterSelect
      idPrefix={idPrefix}
      label="会商系列"
      name="series"
      value={value ?? ""}
      all="全部"
      choices={[...(value && !series.includes(value) ? [value] : []), ...series].map((x) => ({ value: x, label: x }))}
    />
  );
}

/**
 * A filtered list's results: the count and sort links, the rows and the page links; or the empty
 * state, which offers to clear the filters when there are some.
 */
export function ListResults({
  path,
  list,
  unit,
  empty,
  children,
}: {
  path: string;
  /** The loader's paging and links (`readPage` and `listLinks`) and the notice of an ignored filter. */
  list: {
    search: string;
    total: number;
    page: number;
    pageCount: number;
    sorts: readonly SortChoice[];
    filtered: boolean;
    clearHref: string;
    notice: string | null;
  };
  /** 份, 次, 项… */
  unit: string;
  empty: { icon: ReactNode; noun: string; hint: string };
  children: ReactNode;
}) {
  const { search, total, page, pageCount, sorts, filtered, clearHref } = list;
  const notice = list.notice ? <Notice>{list.notice}</Notice> : null;
  if (total === 0)
    return (
      <>
        {notice}
        <EmptyState icon={empty.icon} title={filtered ? `没有符合筛选条件的${empty.noun}` : `暂无${empty.noun}`}>
          {filtered ? (
            <Link to={clearHref} className="text-brand-700 hover:underline">
              清除筛选条件
            </Link>
          ) : (
            empty.hint
          )}
        </EmptyState>
      </>
    );
  return (
    <>
      {notice}
      <ListHeading text={`共 ${total} ${unit}，第 ${page} / ${pageCount} 页`} sorts={sorts} />
      {children}
      <Pagination page={page} pageCount={pageCount} total={total} hrefFor={(p) => pageHref(path, search, p)} />
    </>
  );
}
