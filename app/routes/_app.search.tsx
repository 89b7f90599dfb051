import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Search } from "lucide-react";
import { MarkedText } from "~/components/search-box";
import { DayRangeFields, FilterChips, type FilterChip } from "~/components/list-controls";
import { Badge, EmptyState, FilterSelect, PageHeader, cx } from "~/components/ui";
import {
  MAX_QUERY_LENGTH,
  SEARCH_KINDS,
  SEARCH_KIND_LABELS,
  SEARCH_STATUS_LABELS,
  searchStatusLabel,
  type SearchFilters,
  type SearchOutcome,
} from "~/domain/search";
import { requireUser } from "~/services/auth/current-user.server";
import { search, searchUnitChoices } from "~/services/search/search.server";
import { dayParam, idParam, pickChoice, pickParam } from "~/utils/list-query";

export const meta: MetaFunction = () => [{ title: "搜索 · 会商协同" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

/** The filters of the URL: each falls back to none when missing or invalid (a stale link still opens). */
function parseFilters(url: URL): { filters: SearchFilters; notice: string | null } {
  const p = url.searchParams;
  const kind = pickChoice(SEARCH_KINDS, p.get("kind"));
  const statusRaw = p.get("status");
  const status = kind && statusRaw && statusRaw in SEARCH_STATUS_LABELS[kind] ? statusRaw : null;
  let from = pickParam(dayParam, p.get("from"), null as string | null);
  let to = pickParam(dayParam, p.get("to"), null as string | null);
  let notice: string | null = null;
  if (from && to && from > to) {
    notice = "起始日期晚于截止日期，已忽略日期范围。";
    from = to = null;
  }
  return {
    filters: { kind, unit: pickParam(idParam, p.get("unit"), null as string | null), status, from, to },
    notice,
  };
}

/** GET /search?q=&kind=&unit=&status=&from=&to=&limit= — the results page, and the shell's quick search (limit). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim();
  const { filters, notice } = parseFilters(url);
  const limitParam = Number(url.searchParams.get("limit"));
  const quick = Number.isInteger(limitParam) && limitParam >= 1 && limitParam <= 50;
  const [outcome, units] = await Promise.all([
    search(user.actor, { q, filters, limit: quick ? limitParam : 50 }),
    // The quick search box shows no filters.
    quick ? Promise.resolve([]) : searchUnitChoices(user.actor),
  ]);
  return json({ q, filters, notice, units, ...(outcome satisfies SearchOutcome) });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** The page's URL with some filters changed (null removes one); the kind's status goes with the kind. */
function searchHref(data: Pick<Data, "q" | "filters">, changes: Partial<SearchFilters>): string {
  const f = { ...data.filters, ...changes };
  if (changes.kind !== undefined && changes.kind !== data.filters.kind) f.status = null;
  const p = new URLSearchParams({ q: data.q });
  for (const key of ["kind", "unit", "status", "from", "to"] as const) {
    const v = f[key];
    if (v) p.set(key, v);
  }
  return `/search?${p}`;
}

function filterChips(data: Data): FilterChip[] {
  const f = data.filters;
  const chips: FilterChip[] = [];
  if (f.unit)
    chips.push({
      label: `单位：${data.units.find((u) => u.id === f.unit)?.name ?? "（其他单位）"}`,
      remove: searchHref(data, { unit: null }),
    });
  if (f.kind && f.status)
    chips.push({
      label: `状态：${searchStatusLabel(f.kind, f.status) ?? f.status}`,
      remove: searchHref(data, { status: null }),
    });
  if (f.from) chips.push({ label: `日期自 ${f.from}`, remove: searchHref(data, { from: null }) });
  if (f.to) chips.push({ label: `日期至 ${f.to}`, remove: searchHref(data, { to: null }) });
  return chips;
}

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  const f = data.filters;
  const statuses = f.kind ? Object.entries(SEARCH_STATUS_LABELS[f.kind]) : [];
  const chips = filterChips(data);
  return (
    <div>
      <PageHeader
        title="搜索"
        description="在您有权查看的文书、会商、督办事项、建议书、线索、批注和已发布的典型案例中搜索。"
      />
      <Form
        method="get"
        role="search"
        key={`${data.q}|${f.unit}|${f.status}|${f.from}|${f.to}`}
        className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      >
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor="search-q" className="mb-1 block text-sm font-medium text-slate-700">
              搜索内容
            </label>
            <input
              id="search-q"
              name="q"
              type="search"
              defaultValue={data.q}
              maxLength={MAX_QUERY_LENGTH * 2}
              className="w-full rounded-md border border-slate-300 px-3 py-2"
              aria-describedby="search-hint"
            />
          </div>
          {f.kind ? <input type="hidden" name="kind" value={f.kind} /> : null}
          <button
            type="submit"
            className="flex items-center gap-1 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            <Search className="h-4 w-4" aria-hidden />
            搜索
          </button>
        </div>
        <p id="search-hint" className="mt-1 text-xs text-slate-500">
          多个词语用空格分开，结果须包含全部词语；最多 {MAX_QUERY_LENGTH} 个字。
        </p>
        <fieldset className="mt-3 grid grid-cols-2 gap-3 border-t border-slate-100 pt-3 lg:grid-cols-4">
          <legend className="sr-only">筛选条件</legend>
          <div className="col-span-2 lg:col-span-1">
            <FilterSelect
              label="单位"
              name="unit"
              value={f.unit ?? ""}
              all="全部单位"
              idPrefix="search"
              choices={data.units.map((u) => ({ value: u.id, label: u.name }))}
            />
          </div>
          {f.kind && statuses.length ? (
            <div className="col-span-2 lg:col-span-1">
              <FilterSelect
                label={`${SEARCH_KIND_LABELS[f.kind]}状态`}
                name="status"
                value={f.status ?? ""}
                all="全部状态"
                idPrefix="search"
                choices={statuses.map(([value, label]) => ({ value, label }))}
              />
            </div>
          ) : null}
          <DayRangeFields idPrefix="search" label="日期" from={f.from} to={f.to} />
        </fieldset>
        <FilterChips chips={chips} />
        {data.notice ? (
          <p role="alert" className="mt-2 text-sm text-amber-800">
            {data.notice}
          </p>
        ) : null}
      </Form>
      <div aria-busy={busy}>
        <Results data={data} />
      </div>
    </div>
  );
}

function Results({ data }: { data: Data }) {
  if (data.state === "tooLong")
    return (
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
        {data.message}
      </p>
    );
  if (data.state === "empty")
    return (
      <EmptyState icon={<Search className="h-8 w-8 text-slate-400" aria-hidden />} title="输入词语开始搜索">
        也可以在任意页面按 Ctrl+K（⌘K）打开快速搜索。
      </EmptyState>
    );
  const current = data.filters.kind;
  const kinds = current ? [current] : SEARCH_KINDS.filter((k) => data.results.some((r) => r.kind === k));
  // The kinds with matches (and the chosen one), so the row stays short.
  const tabs = [null, ...SEARCH_KINDS.filter((k) => data.counts[k] > 0 || k === current)];
  return (
    <>
      <nav aria-label="按类别筛选" className="mb-4 flex flex-wrap gap-2">
        {tabs.map((k) => {
          const here = k === current;
          const count = k ? data.counts[k] : data.total;
          return (
            <Link
              key={k ?? "all"}
              to={searchHref(data, { kind: k })}
              aria-current={here ? "page" : undefined}
              className={cx(
                "rounded-full border px-3 py-1 text-sm",
                here ? "border-brand-600 bg-brand-50 font-semibold text-brand-800" : "border-slate-300 text-slate-600",
              )}
            >
              {k ? SEARCH_KIND_LABELS[k] : "全部"}（{count}）
            </Link>
          );
        })}
      </nav>
      <p className="sr-only" role="status">
        找到 {current ? data.counts[current] : data.total} 条结果
      </p>
      {data.results.length === 0 ? (
        <EmptyState
          icon={<Search className="h-8 w-8 text-slate-400" aria-hidden />}
          title={`没有找到与“${data.q}”相关的内容`}
        >
          换个词语试试，或减少词语和筛选条件。只显示您有权查看的内容。
        </EmptyState>
      ) : (
        kinds.map((k) => {
          const rows = data.results.filter((r) => r.kind === k);
          return (
            <section key={k} aria-labelledby={`search-kind-${k}`} className="mb-6">
              <h2 id={`search-kind-${k}`} className="mb-2 text-base font-semibold text-slate-800">
                {SEARCH_KIND_LABELS[k]}（{data.counts[k]}）
              </h2>
              <ol
                className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white"
                data-testid={`search-results-${k}`}
              >
                {rows.map((r) => (
                  <li key={`${r.kind}-${r.id}`} className="px-4 py-3" data-testid="search-result">
                    <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
                      <Link to={r.href} className="font-medium text-brand-800 hover:underline">
                        <MarkedText parts={r.title} />
                      </Link>
                      {r.statusLabel ? <Badge tone="slate">{r.statusLabel}</Badge> : null}
                      {r.date ? <span className="text-xs text-slate-500">{r.date}</span> : null}
                    </div>
                    <p className="mt-1 text-sm text-slate-600">
                      <MarkedText parts={r.passage} />
                    </p>
                  </li>
                ))}
              </ol>
              {rows.length < data.counts[k] ? (
                <p className="mt-1 text-xs text-slate-500">
                  仅显示前 {rows.length} 条。
                  {current ? (
                    "请增加词语或筛选条件缩小范围。"
                  ) : (
                    <Link to={searchHref(data, { kind: k })} className="text-brand-700 underline">
                      只看{SEARCH_KIND_LABELS[k]}
                    </Link>
                  )}
                </p>
              ) : null}
            </section>
          );
        })
      )}
    </>
  );
}
