import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Search } from "lucide-react";
import { MarkedText } from "~/components/search-box";
import { EmptyState, PageHeader, cx } from "~/components/ui";
import {
  MAX_QUERY_LENGTH,
  SEARCH_KINDS,
  SEARCH_KIND_LABELS,
  isSearchKind,
  type SearchKind,
  type SearchOutcome,
} from "~/domain/search";
import { requireUser } from "~/services/auth/current-user.server";
import { search } from "~/services/search/search.server";

export const meta: MetaFunction = () => [{ title: "搜索 · 会商协同" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

/** GET /search?q=&kind=&limit= — the results page, and the shell's quick search (limit) through a fetcher. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  // Only the first value of each counts; anything unknown falls back to the default (no 4xx for a bad filter).
  const q = (url.searchParams.get("q") ?? "").trim();
  const kindParam = url.searchParams.get("kind") ?? "";
  const kind: SearchKind | null = isSearchKind(kindParam) ? kindParam : null;
  const limitParam = Number(url.searchParams.get("limit"));
  const limit = Number.isInteger(limitParam) && limitParam >= 1 && limitParam <= 50 ? limitParam : 50;
  const outcome: SearchOutcome = await search(user.actor, { q, kind, limit });
  return json({ q, kind, ...outcome });
}

function kindHref(q: string, kind: SearchKind | null): string {
  const p = new URLSearchParams({ q });
  if (kind) p.set("kind", kind);
  return `/search?${p}`;
}

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  return (
    <div>
      <PageHeader title="搜索" description="在您有权查看的文书（标题和正文）与会商（名称、议程、地点）中搜索。" />
      <Form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <label htmlFor="search-q" className="mb-1 block text-sm font-medium text-slate-700">
            搜索内容
          </label>
          <input
            id="search-q"
            name="q"
            type="search"
            defaultValue={data.q}
            key={data.q}
            maxLength={MAX_QUERY_LENGTH * 2}
            className="w-full rounded-md border border-slate-300 px-3 py-2"
            aria-describedby="search-hint"
          />
        </div>
        {data.kind ? <input type="hidden" name="kind" value={data.kind} /> : null}
        <button
          type="submit"
          className="flex items-center gap-1 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          <Search className="h-4 w-4" aria-hidden />
          搜索
        </button>
        <p id="search-hint" className="w-full text-xs text-slate-500">
          多个词语用空格分开，结果须包含全部词语；最多 {MAX_QUERY_LENGTH} 个字。
        </p>
      </Form>
      <div aria-busy={busy}>
        <Results data={data} />
      </div>
    </div>
  );
}

function Results({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
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
  const kinds = data.kind ? [data.kind] : SEARCH_KINDS.filter((k) => data.results.some((r) => r.kind === k));
  return (
    <>
      <nav aria-label="按类别筛选" className="mb-4 flex flex-wrap gap-2">
        {[null, ...SEARCH_KINDS].map((k) => {
          const current = k === data.kind;
          const count = k ? data.counts[k] : data.total;
          return (
            <Link
              key={k ?? "all"}
              to={kindHref(data.q, k)}
              aria-current={current ? "page" : undefined}
              className={cx(
                "rounded-full border px-3 py-1 text-sm",
                current
                  ? "border-brand-600 bg-brand-50 font-semibold text-brand-800"
                  : "border-slate-300 text-slate-600",
              )}
            >
              {k ? SEARCH_KIND_LABELS[k] : "全部"}（{count}）
            </Link>
          );
        })}
      </nav>
      <p className="sr-only" role="status">
        找到 {data.kind ? data.counts[data.kind] : data.total} 条结果
      </p>
      {data.results.length === 0 ? (
        <EmptyState
          icon={<Search className="h-8 w-8 text-slate-400" aria-hidden />}
          title={`没有找到与“${data.q}”相关的内容`}
        >
          换个词语试试，或减少词语的数量。只显示您有权查看的文书和会商。
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
                  <li key={r.id} className="px-4 py-3" data-testid="search-result">
                    <Link to={r.href} className="font-medium text-brand-800 hover:underline">
                      <MarkedText parts={r.title} />
                    </Link>
                    <p className="mt-1 text-sm text-slate-600">
                      <MarkedText parts={r.passage} />
                    </p>
                  </li>
                ))}
              </ol>
              {rows.length < data.counts[k] ? (
                <p className="mt-1 text-xs text-slate-500">仅显示前 {rows.length} 条，请增加词语缩小范围。</p>
              ) : null}
            </section>
          );
        })
      )}
    </>
  );
}
