import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  AlertTriangle,
  BadgeCheck,
  CheckCircle2,
  CircleDashed,
  Clock,
  ClipboardList,
  ListChecks,
  Loader,
} from "lucide-react";
import { HorizontalBarChart, TrendChart, type BarTone } from "~/components/charts";
import { ExportButton } from "~/components/export-button";
import {
  CopyLinkButton,
  FilterButtons,
  FilterChips,
  FilterField,
  FilterForm as ListFilterForm,
  ListHeading,
  SearchField,
  SeriesSelect,
  fieldClass,
  pageHref,
} from "~/components/list-controls";
import { Badge, EmptyState, FilterSelect, PageHeader, Pagination, cx } from "~/components/ui";
import {
  DEFAULT_LEDGER_QUERY,
  LEDGER_PAGE_SIZE,
  LEDGER_SORT_LABELS,
  LEDGER_SORTS,
  effectiveStatuses,
  hasLedgerFilters,
  ledgerFilterLabels,
  ledgerSearch,
  parseLedgerQuery,
  type LedgerQuery,
  type LedgerRow,
} from "~/models/ledger.server";
import {
  daysOverdue,
  FEEDBACK_CYCLE_LABELS,
  ITEM_KIND_LABELS,
  ITEM_KINDS,
  ITEM_STATUS_LABELS,
  itemLabels,
  OPEN_STATUSES,
  type FeedbackCycle,
  type ItemKind,
  type ItemStatus,
} from "~/domain/tracked-item";
import { requireUser } from "~/services/auth/current-user.server";
import { loadLedger } from "~/services/ledger.server";
import { daysLeft, formatDate } from "~/domain/dates";
import type { Actor } from "~/domain/actor";
import { documentFactsOf } from "~/models/document.server";
import { documentAccess } from "~/policies/document";

export const meta: MetaFunction = () => [{ title: "台账 · 会商协同" }];

/** The loader's Server-Timing (db = the ledger's queries, total = the whole loader) reaches the browser and the bench. */
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers({ "Cache-Control": "private, no-store" });
  const timing = loaderHeaders.get("Server-Timing");
  if (timing) out.set("Server-Timing", timing);
  return out;
};

const DUE_SOON_DAYS = 7;
const LEAD_BARS = 8;
const DUE_CHOICES = [3, 7, 15, 30, 60];

const STATUS_TONE: Record<string, BarTone> = {
  NOT_STARTED: "slate",
  IN_PROGRESS: "blue",
  DONE: "sky",
  CLOSED: "green",
  DRAFT: "muted",
};
const BADGE_TONE: Record<string, "slate" | "blue" | "green"> = {
  NOT_STARTED: "slate",
  IN_PROGRESS: "blue",
  DONE: "blue",
  CLOSED: "green",
  DRAFT: "slate",
};

function presentRow(r: LedgerRow, now: Date, actor: Actor) {
  const overdue = daysOverdue(r, now);
  const left = r.dueDate && OPEN_STATUSES.has(r.status) && !overdue ? daysLeft(now, r.dueDate) : null;
  const consultation = r.sourceDocument.consultation;
  return {
    id: r.id,
    number: r.number,
    kind: ITEM_KIND_LABELS[r.kind as ItemKind] ?? r.kind,
    wording: r.wording,
    lead: r.leadOrg ? { name: r.leadOrg.name, short: r.leadOrg.shortName ?? r.leadOrg.name } : null,
    supporting: r.orgs.map((o) => ({ name: o.org.name, short: o.org.shortName ?? o.org.name })),
    due: r.dueDate ? formatDate(r.dueDate) : null,
    cycle: FEEDBACK_CYCLE_LABELS[r.feedbackCycle as FeedbackCycle] ?? r.feedbackCycle,
    status: r.status,
    statusLabel: itemLabels(
      (ITEM_KINDS as readonly string[]).includes(r.kind) ? (r.kind as ItemKind) : "AGREED_ITEM",
    ).statusLabel(r.status),
    overdueDays: overdue,
    /** Whole days left when due within DUE_SOON_DAYS (0 = today). */
    dueSoonDays: left !== null && left < DUE_SOON_DAYS ? left : null,
    source: {
      id: r.sourceDocument.id,
      title: r.sourceDocument.title,
      issue: consultation ? `${consultation.series} 第${consultation.number}期` : null,
      readable: documentAccess(actor, documentFactsOf(r.sourceDocument)) !== "none",
    },
    progress: r.lastProgressText
      ? { text: r.lastProgressText, at: r.lastProgressAt ? formatDate(r.lastProgressAt) : null }
      : null,
  };
}

type Href = (changes: Partial<LedgerQuery>) => string;
type Loaded = Awaited<ReturnType<typeof loadLedger>>;

/** The active filters as removable chips (ignored ones, e.g. an unknown region, are not shown). */
/** The 当前筛选 chips: the same wording as the export's title row (ledgerFilterLabels), each removable. */
function filterChips(query: LedgerQuery, options: Loaded["options"] & { regionPath: string | null }, href: Href) {
  return ledgerFilterLabels(query, options).map((l) => ({
    label: l.label,
    remove: href({ [l.field]: DEFAULT_LEDGER_QUERY[l.field] }),
  }));
}

/** The summary tiles, each a link to the items it counts. */
function summaryTiles(stats: Loaded["stats"], href: Href) {
  const closed = stats.byStatus.find((s) => s.status === "CLOSED")?.count ?? 0;
  const done = stats.byStatus.find((s) => s.status === "DONE")?.count ?? 0;
  const open = stats.byStatus.filter((s) => OPEN_STATUSES.has(s.status)).reduce((a, s) => a + s.count, 0);
  return [
    { key: "total", label: "事项总数", value: stats.total, tone: "slate", href: null },
    {
      key: "open",
      label: "未完成",
      value: open,
      tone: "blue",
      href: href({ statuses: ["NOT_STARTED", "IN_PROGRESS"] }),
    },
    {
      key: "overdue",
      label: "逾期",
      value: stats.overdue,
      tone: "red",
      href: href({ overdue: true, dueWithin: null }),
    },
    {
      key: "soon",
      label: `${DUE_SOON_DAYS} 天内到期`,
      value: stats.dueSoon,
      tone: "amber",
      href: href({ dueWithin: DUE_SOON_DAYS, overdue: false }),
    },
    { key: "done", label: "已完成待销号", value: done, tone: "blue", href: href({ statuses: ["DONE"] }) },
    { key: "closed", label: "已销号", value: closed, tone: "green", href: href({ statuses: ["CLOSED"] }) },
  ] as const;
}

const STATUS_ORDER = ["NOT_STARTED", "IN_PROGRESS", "DONE", "CLOSED", "DRAFT"];

/** The charts: by status, by lead org, and the 12-month trend; each bar links to its items. */
function ledgerCharts(stats: Loaded["stats"], query: LedgerQuery, href: Href) {
  return {
    status: stats.byStatus
      .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))
      .map((s) => ({
        key: s.status,
        label: ITEM_STATUS_LABELS[s.status as ItemStatus] ?? s.status,
        value: s.count,
        overdue: s.overdue,
        tone: STATUS_TONE[s.status] ?? "slate",
        href: href({
          statuses: s.status === "DRAFT" ? [] : [s.status as Exclude<ItemStatus, "DRAFT" | "REMOVED">],
          drafts: s.status === "DRAFT" ? true : query.drafts,
        }),
      })),
    lead: stats.byLead.slice(0, LEAD_BARS).map((l) => ({
      key: l.orgId ?? "none",
      label: l.shortName,
      fullLabel: l.name,
      value: l.count,
      overdue: l.overdue,
      tone: "blue" as BarTone,
      href: l.orgId ? href({ lead: l.orgId }) : undefined,
    })),
    leadMore: Math.max(0, stats.byLead.length - LEAD_BARS),
    trend: stats.trend.map((t) => ({
      key: t.month,
      label: t.label,
      fullLabel: `${t.month.slice(0, 4)}年${Number(t.month.slice(5))}月`,
      due: t.due,
      closed: t.closed,
    })),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const started = performance.now();
  const user = await requireUser(request);
  const query = parseLedgerQuery(new URL(request.url).searchParams);
  const now = new Date();
  const dbStarted = performance.now();
  const { regionPath, rows, stats, options } = await loadLedger(user.actor, query, now, DUE_SOON_DAYS);
  const dbMs = performance.now() - dbStarted;

  const search = ledgerSearch(query);
  const href = (changes: Partial<LedgerQuery>) => {
    const s = ledgerSearch(query, { page: 1, ...changes });
    return s ? `/ledger?${s}` : "/ledger";
  };
  const chips = filterChips(query, { ...options, regionPath }, href);

  const pageCount = Math.max(1, Math.ceil(stats.total / LEDGER_PAGE_SIZE));
  const body = {
    query: { ...query, effectiveStatuses: effectiveStatuses(query) },
    search,
    exportHref: `/ledger/export.xlsx${ledgerSearch(query, { page: 1 }) ? `?${ledgerSearch(query, { page: 1 })}` : ""}`,
    filtered: hasLedgerFilters(query),
    chips,
    clearHref: href({ ...DEFAULT_LEDGER_QUERY, sort: query.sort }),
    sorts: LEDGER_SORTS.map((s) => ({
      value: s,
      label: LEDGER_SORT_LABELS[s],
      href: href({ sort: s }),
      current: s === query.sort,
    })),
    rows: rows.map((r) => presentRow(r, now, user.actor)),
    page: query.page,
    pageCount,
    today: formatDate(now),
    summary: summaryTiles(stats, href),
    charts: ledgerCharts(stats, query, href),
    options: {
      kinds: ITEM_KINDS.map((k) => ({ value: k, label: ITEM_KIND_LABELS[k] })),

      orgs: options.orgs,
      regions: options.regions,
      series: options.series ?? stats.series,
      consultation: options.consultation,
    },
  };
  const total = performance.now() - started;
  return json(body, {
    headers: {
      "Server-Timing": `db;desc="ledger queries";dur=${dbMs.toFixed(1)}, total;dur=${total.toFixed(1)}`,
      "Cache-Control": "private, no-store",
    },
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

const TILE_TONES = {
  slate: "border-slate-200 text-slate-900",
  blue: "border-blue-200 text-blue-800",
  red: "border-red-300 bg-red-50 text-red-800",
  amber: "border-amber-300 bg-amber-50 text-amber-900",
  green: "border-green-200 text-green-800",
} as const;
const TILE_ICONS = {
  total: ClipboardList,
  open: Loader,
  overdue: AlertTriangle,
  soon: Clock,
  done: CheckCircle2,
  closed: BadgeCheck,
} as const;

function SummaryTiles({ summary }: { summary: Data["summary"] }) {
  return (
    <ul className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="台账概况">
      {summary.map((s) => {
        const Icon = TILE_ICONS[s.key];
        const inner = (
          <>
            <span className="flex items-center gap-1.5 text-xs font-medium">
              <Icon className="h-4 w-4" aria-hidden />
              {s.label}
            </span>
            <span className="mt-1 block text-2xl font-semibold tabular-nums">{s.value}</span>
          </>
        );
        const cls = cx("block rounded-lg border bg-white px-3 py-2 shadow-sm", TILE_TONES[s.tone]);
        return (
          <li key={s.key}>
            {s.href ? (
              <Link
                to={s.href}
                className={cx(cls, "hover:ring-2 hover:ring-brand-100")}
                aria-label={`${s.label} ${s.value} 项，点击筛选`}
              >
                {inner}
              </Link>
            ) : (
              <div className={cls}>{inner}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function FilterForm({ data }: { data: Data }) {
  const { query, options } = data;
  const orgChoices = options.orgs.map((o) => ({ value: o.id, label: o.name }));
  return (
    <ListFilterForm action="/ledger" search={data.search} label="筛选台账" footer={<FilterChips chips={data.chips} />}>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-6">
        <SearchField id="ledger-q" label="搜索事项、单位或文书" value={query.q} />
        <FilterSelect
          idPrefix="ledger"
          label="类别"
          name="kind"
          value={query.kind ?? ""}
          all="全部类别"
          choices={options.kinds}
        />
        <FilterSelect
          idPrefix="ledger"
          label="牵头单位"
          name="lead"
          value={query.lead ?? ""}
          all="全部"
          choices={orgChoices}
        />
        <FilterSelect
          idPrefix="ledger"
          label="配合单位"
          name="support"
          value={query.supporting ?? ""}
          all="全部"
          choices={orgChoices}
        />
        <FilterSelect
          idPrefix="ledger"
          label="召集单位所在区划"
          name="region"
          value={query.region ?? ""}
          all="全部区划"
          choices={options.regions.map((r) => ({ value: r.id, label: `${"\u3000".repeat(r.depth)}${r.name}` }))}
        />
        <SeriesSelect value={query.series} series={options.series} />
        <FilterField label="完成时限" htmlFor="ledger-due">
          <select
            id="ledger-due"
            name="due"
            defaultValue={query.dueWithin === null ? "" : String(query.dueWithin)}
            className={fieldClass}
          >
            <option value="">不限</option>
            {[...new Set([...DUE_CHOICES, ...(query.dueWithin !== null ? [query.dueWithin] : [])])]
              .sort((a, b) => a - b)
              .map((d) => (
                <option key={d} value={d}>
                  {d} 天内到期（未完成）
                </option>
              ))}
          </select>
        </FilterField>
        <StatusFilters query={query} />
        <FilterButtons
          clearHref={data.filtered ? data.clearHref : null}
          className="col-span-2 md:col-span-4 lg:col-span-1"
        />
      </div>
      {query.consultation ? <input type="hidden" name="consultation" value={query.consultation} /> : null}
      {query.sort !== "due" ? <input type="hidden" name="sort" value={query.sort} /> : null}
    </ListFilterForm>
  );
}

/** 状态 checkboxes, 仅看逾期 and 含草拟中. */
function StatusFilters({ query }: { query: Data["query"] }) {
  return (
    <fieldset className="col-span-2 flex flex-col gap-1 md:col-span-4 lg:col-span-3">
      <legend className="mb-1 text-xs font-medium text-slate-600">状态（不选即全部跟踪中事项）</legend>
      <div className="flex min-h-[2.125rem] flex-wrap items-center gap-x-3.5 gap-y-1.5 text-sm text-slate-700">
        {(["NOT_STARTED", "IN_PROGRESS", "DONE", "CLOSED"] as const).map((s) => (
          <label key={s} className="inline-flex items-center gap-1.5">
            <input
              type="checkbox"
              name="status"
              value={s}
              defaultChecked={query.statuses.includes(s)}
              className="h-4 w-4 rounded border-slate-300"
            />
            {ITEM_STATUS_LABELS[s]}
          </label>
        ))}
        <label className="inline-flex items-center gap-1.5 font-medium text-red-700">
          <input
            type="checkbox"
            name="overdue"
            value="1"
            defaultChecked={query.overdue}
            className="h-4 w-4 rounded border-slate-300"
          />
          <AlertTriangle className="h-4 w-4" aria-hidden />
          仅看逾期
        </label>
        <label
          className="inline-flex items-center gap-1.5 text-slate-600"
          title="草拟中：所在文书尚未定稿，事项还未开始跟踪"
        >
          <input
            type="checkbox"
            name="drafts"
            value="1"
            defaultChecked={query.drafts}
            className="h-4 w-4 rounded border-slate-300"
          />
          含草拟中
        </label>
      </div>
    </fieldset>
  );
}

function StatusCell({ row }: { row: Data["rows"][number] }) {
  const Icon =
    row.status === "CLOSED"
      ? BadgeCheck
      : row.status === "DONE"
        ? CheckCircle2
        : row.status === "IN_PROGRESS"
          ? Loader
          : row.status === "DRAFT"
            ? CircleDashed
            : ListChecks;
  return (
    <div className="flex flex-col items-start gap-1 whitespace-nowrap">
      <Badge tone={BADGE_TONE[row.status] ?? "slate"}>
        <Icon className="h-3 w-3" aria-hidden />
        {row.statusLabel}
      </Badge>
      {row.overdueDays ? (
        <Badge tone="red">
          <AlertTriangle className="h-3 w-3" aria-hidden />
          {`逾期 ${row.overdueDays} 天`}
        </Badge>
      ) : row.dueSoonDays !== null ? (
        <Badge tone="amber">
          <Clock className="h-3 w-3" aria-hidden />
          {row.dueSoonDays === 0 ? "今日到期" : `${row.dueSoonDays} 天后到期`}
        </Badge>
      ) : null}
    </div>
  );
}

const HEAD = ["序号", "事项", "牵头单位", "配合单位", "完成时限", "反馈周期", "状态", "来源", "最新进展"];

function LedgerTable({ rows }: { rows: Data["rows"] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table data-testid="ledger-table" className="w-full min-w-[64rem] table-fixed divide-y divide-slate-200 text-sm">
        <caption className="sr-only">台账事项列表</caption>
        <colgroup>
          <col className="w-12" />
          <col />
          <col className="w-28" />
          <col className="w-36" />
          <col className="w-[8.5rem]" />
          <col className="w-[4.5rem]" />
          <col className="w-28" />
          <col className="w-36" />
          <col className="w-44" />
        </colgroup>
        <thead className="bg-slate-50">
          <tr>
            {HEAD.map((h) => (
              <th
                key={h}
                scope="col"
                className="whitespace-nowrap px-3 py-2 text-left text-xs font-semibold text-slate-600"
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} className={cx("align-top hover:bg-slate-50", r.overdueDays ? "bg-red-50/40" : undefined)}>
              <td className="px-3 py-2 tabular-nums text-slate-500">{r.number}</td>
              <td className="px-3 py-2">
                <Link
                  to={`/items/${r.id}`}
                  className="line-clamp-3 font-medium text-slate-900 hover:text-brand-700 hover:underline"
                  title={r.wording}
                >
                  {r.wording}
                </Link>
                <span className="mt-0.5 block text-xs text-slate-500">{r.kind}</span>
              </td>
              <td className="px-3 py-2 text-slate-800" title={r.lead?.name}>
                {r.lead ? r.lead.short : <span className="text-slate-500">未指定</span>}
              </td>
              <td className="px-3 py-2 text-slate-700">
                {r.supporting.length ? (
                  <ul>
                    {r.supporting.map((s) => (
                      <li key={s.name} title={s.name} className="truncate">
                        {s.short}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
              <td
                className={cx(
                  "whitespace-nowrap px-3 py-2 tabular-nums",
                  r.overdueDays
                    ? "font-semibold text-red-700"
                    : r.dueSoonDays !== null
                      ? "text-amber-800"
                      : "text-slate-800",
                )}
              >
                {r.due ?? <span className="text-slate-500">未设定</span>}
              </td>
              <td className="px-3 py-2 text-slate-600">{r.cycle}</td>
              <td className="px-3 py-2">
                <StatusCell row={r} />
              </td>
              <td className="px-3 py-2 text-xs">
                {r.source.issue ? <span className="block text-slate-700">{r.source.issue}</span> : null}
                {r.source.readable ? (
                  <Link
                    to={`/documents/${r.source.id}`}
                    className="line-clamp-2 text-brand-700 hover:underline"
                    title={r.source.title}
                  >
                    {r.source.title}
                  </Link>
                ) : (
                  <span className="line-clamp-2 text-slate-700" title={r.source.title}>
                    {r.source.title}
                  </span>
                )}
              </td>
              <td className="px-3 py-2 text-xs text-slate-700">
                {r.progress ? (
                  <>
                    <span className="line-clamp-2" title={r.progress.text}>
                      {r.progress.text}
                    </span>
                    {r.progress.at ? <span className="mt-0.5 block text-slate-500">{r.progress.at}</span> : null}
                  </>
                ) : (
                  <span className="text-slate-500">尚无进展</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Ledger() {
  const data = useLoaderData<typeof loader>();
  const { charts, rows } = data;
  const hrefFor = (page: number) => pageHref("/ledger", data.search, page);
  return (
    <>
      <PageHeader
        title="台账"
        description={`议定事项、整改措施和挂牌督办案件的跟踪台账。逾期按完成时限与当前时间（${data.today}）计算。`}
        actions={
          <>
            <CopyLinkButton />
            <ExportButton href={data.exportHref} label="导出 Excel" fallbackName="台账.xlsx" />
          </>
        }
      />
      <SummaryTiles summary={data.summary} />
      <FilterForm data={data} />
      {data.summary[0].value > 0 ? (
        <section aria-label="统计图" className="mb-4 grid gap-4 lg:grid-cols-12">
          <HorizontalBarChart
            className="lg:col-span-3"
            title="按状态"
            note="红色为逾期"
            data={charts.status}
            width={300}
            labelWidth={92}
            rowHeight={charts.status.length > 4 ? 34 : 40}
          />
          <HorizontalBarChart
            className="lg:col-span-4"
            title="按牵头单位"
            note={charts.leadMore ? `前 ${charts.lead.length} 个单位，另有 ${charts.leadMore} 个` : undefined}
            data={charts.lead}
            width={400}
            labelWidth={124}
          />
          <TrendChart
            className="lg:col-span-5"
            title="近 12 个月完成情况"
            note="按月统计到期与销号事项"
            data={charts.trend}
            width={500}
            height={200}
          />
        </section>
      ) : null}
      {rows.length === 0 ? (
        data.summary[0].value > 0 ? (
          <EmptyState
            icon={<ClipboardList className="h-8 w-8 text-slate-300" aria-hidden />}
            title={`第 ${data.page} 页没有事项`}
          >
            <Link to={hrefFor(1)} className="text-brand-700 hover:underline">
              回到第一页
            </Link>
          </EmptyState>
        ) : (
          <EmptyState
            icon={<ClipboardList className="h-8 w-8 text-slate-300" aria-hidden />}
            title={data.filtered ? "没有符合筛选条件的事项" : "暂无跟踪事项"}
          >
            {data.filtered ? (
              <Link to={data.clearHref} className="text-brand-700 hover:underline">
                清除筛选条件
              </Link>
            ) : (
              "纪要定稿后，其中的议定事项会出现在这里。"
            )}
          </EmptyState>
        )
      ) : (
        <>
          <ListHeading
            text={`共 ${data.summary[0].value} 项，第 ${data.page} / ${data.pageCount} 页`}
            sorts={data.sorts}
          />
          <LedgerTable rows={rows} />
          <Pagination page={data.page} pageCount={data.pageCount} total={data.summary[0].value} hrefFor={hrefFor} />
        </>
      )}
    </>
  );
}
