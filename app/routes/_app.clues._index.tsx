import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BarChart3, FileSearch, Send } from "lucide-react";
import { Badge, Button, EmptyState, FilterSelect, LinkButton, PageHeader, Table, Td, cx } from "~/components/ui";
import {
  CLUE_SOURCE_LABELS,
  CLUE_SOURCES,
  CLUE_VIEWS,
  CLUE_STATUS_LABELS,
  CLUE_STATUSES,
  type ClueSource,
  type ClueStatus,
} from "~/domain/clue";
import { canViewClueStats, isClueHandler, transferringOrgIds } from "~/policies/clue";
import { requireUser } from "~/services/auth/current-user.server";
import { loadClueRegister, presentClueRow } from "~/services/clue-pages.server";
import { httpError } from "~/utils/errors";

export const meta: MetaFunction = () => [{ title: "线索移送 · 会商协同" }];

const OVERDUE = { receipt: "逾期未签收", feedback: "逾期未反馈", any: "全部逾期" } as const;
type Overdue = keyof typeof OVERDUE;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!isClueHandler(user.actor)) throw httpError("FORBIDDEN", "线索登记簿仅供参与线索移送的单位的督办协调员使用。");
  const params = new URL(request.url).searchParams;
  const pick = <T extends string>(name: string, values: readonly T[]): T | undefined => {
    const v = params.get(name) ?? "";
    return (values as readonly string[]).includes(v) ? (v as T) : undefined;
  };
  const filter = {
    status: pick<ClueStatus>("status", CLUE_STATUSES),
    source: pick<ClueSource>("source", CLUE_SOURCES),
    overdue: pick<Overdue>("overdue", Object.keys(OVERDUE) as Overdue[]),
  };
  const now = new Date();
  const { view, counts, rows } = await loadClueRegister(user.actor, params.get("view"), { ...filter, now });
  return json({
    view,
    counts,
    filters: { status: filter.status ?? "", source: filter.source ?? "", overdue: filter.overdue ?? "" },
    canTransfer: transferringOrgIds(user.actor).length > 0,
    canStats: canViewClueStats(user.actor),
    rows: rows.map((r) => presentClueRow(r, now)),
  });
}

type Data = SerializeFrom<typeof loader>;
type View = Data["view"];

export default function Clues() {
  const { view, counts, filters, rows, canTransfer, canStats } = useLoaderData<typeof loader>();
  const views = (Object.keys(CLUE_VIEWS) as View[]).filter((v) => v !== "granted" || counts.granted.total > 0);
  const filtered = Boolean(filters.status || filters.source || filters.overdue);
  return (
    <>
      <PageHeader
        title="线索移送"
        description="本单位移出和移入的问题线索：签收、退回、办理和反馈。线索内容仅移送单位和接收单位的督办协调员可见，每次查阅都记入审计。"
        actions={
          <div className="flex gap-2">
            {canStats ? (
              <LinkButton to="/clues/stats">
                <BarChart3 className="h-4 w-4" aria-hidden />
                移送统计
              </LinkButton>
            ) : null}
            {canTransfer ? (
              <LinkButton to="/clues/new" variant="primary">
                <Send className="h-4 w-4" aria-hidden />
                移送线索
              </LinkButton>
            ) : null}
          </div>
        }
      />
      <nav aria-label="线索分类" className="mb-4 flex gap-1 border-b border-slate-200">
        {views.map((v) => (
          <Link
            key={v}
            to={`?view=${v}`}
            aria-current={view === v ? "page" : undefined}
            className={cx(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              view === v ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900",
            )}
          >
            {CLUE_VIEWS[v]}（{counts[v].total}）
          </Link>
        ))}
      </nav>
      <OverdueTiles view={view} counts={counts[view]} />
      <ClueFilters view={view} filters={filters} />
      {rows.length === 0 ? (
        <EmptyState
          icon={<FileSearch className="h-8 w-8 text-slate-300" aria-hidden />}
          title={filtered ? "没有符合条件的线索" : `暂无${CLUE_VIEWS[view]}的线索`}
        >
          移送后，移送单位和接收单位的督办协调员都能在这里看到它的签收和反馈情况。
        </EmptyState>
      ) : (
        <ClueTable view={view} rows={rows} />
      )}
    </>
  );
}

function OverdueTiles({ view, counts }: { view: View; counts: Data["counts"][View] }) {
  const tiles = [
    { key: "receipt", label: "逾期未签收", value: counts.overdueReceipt },
    { key: "feedback", label: "逾期未反馈", value: counts.overdueFeedback },
  ];
  return (
    <section aria-label="逾期情况" className="mb-4 grid max-w-md grid-cols-2 gap-3">
      {tiles.map((t) => (
        <Link
          key={t.key}
          to={`?view=${view}&overdue=${t.key}`}
          className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm hover:bg-slate-50"
        >
          <span className="block text-xs text-slate-500">{t.label}</span>
          <span
            className={cx("block text-2xl font-semibold tabular-nums", t.value ? "text-red-700" : "text-slate-900")}
            data-testid={`overdue-${t.key}`}
          >
            {t.value}
          </span>
        </Link>
      ))}
    </section>
  );
}

function ClueFilters({ view, filters }: { view: View; filters: Data["filters"] }) {
  return (
    <Form
      method="get"
      className="mb-3 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm"
      aria-label="筛选"
    >
      <input type="hidden" name="view" value={view} />
      <FilterSelect
        idPrefix="clues"
        label="状态"
        name="status"
        value={filters.status}
        all="全部状态"
        choices={CLUE_STATUSES.map((s) => ({ value: s, label: CLUE_STATUS_LABELS[s] }))}
      />
      <FilterSelect
        idPrefix="clues"
        label="线索来源"
        name="source"
        value={filters.source}
        all="全部来源"
        choices={CLUE_SOURCES.map((s) => ({ value: s, label: CLUE_SOURCE_LABELS[s] }))}
      />
      <FilterSelect
        idPrefix="clues"
        label="逾期"
        name="overdue"
        value={filters.overdue}
        all="不限"
        choices={(Object.keys(OVERDUE) as Overdue[]).map((k) => ({ value: k, label: OVERDUE[k] }))}
      />
      <Button type="submit" variant="secondary">
        筛选
      </Button>
    </Form>
  );
}

const STATUS_TONES: Record<string, "slate" | "blue" | "amber" | "green" | "red"> = {
  TRANSFERRED: "amber",
  RECEIVED: "blue",
  HANDLING: "blue",
  FEEDBACK: "green",
  CLOSED: "green",
  RETURNED: "slate",
};

function ClueTable({ view, rows }: { view: View; rows: Data["rows"] }) {
  return (
    <Table
      head={[
        "移送文号",
        "线索类别",
        "来源",
        view === "out" ? "接收单位" : "移送单位",
        "移送日期",
        "签收",
        "反馈",
        "状态",
      ]}
      caption={`${CLUE_VIEWS[view]}的线索`}
    >
      {rows.map((r) => (
        <tr
          key={r.id}
          className={cx("hover:bg-slate-50", r.receipt.overdue || r.feedback.overdue ? "bg-red-50/60" : "")}
          data-testid="clue-row"
        >
          <Td className="whitespace-nowrap">
            <Link to={`/clues/${r.id}`} className="font-medium text-brand-700 hover:underline">
              {r.docNumber}
            </Link>
          </Td>
          <Td>{r.category}</Td>
          <Td className="whitespace-nowrap">{r.source}</Td>
          <Td>
            {view === "out" ? r.to : r.from}
            {view === "granted" ? <span className="block text-xs text-slate-500">→ {r.to}</span> : null}
          </Td>
          <Td className="whitespace-nowrap">{r.transferredAt}</Td>
          <Td className="whitespace-nowrap">
            <Badge tone={r.receipt.tone}>{r.receipt.label}</Badge>
          </Td>
          <Td className="whitespace-nowrap">
            <Badge tone={r.feedback.tone}>{r.feedback.label}</Badge>
            {r.outcome ? <span className="ml-1 text-xs text-slate-600">{r.outcome}</span> : null}
          </Td>
          <Td className="whitespace-nowrap">
            <Badge tone={STATUS_TONES[r.status] ?? "slate"}>{r.statusLabel}</Badge>
          </Td>
        </tr>
      ))}
    </Table>
  );
}
