import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilePlus2, FileText } from "lucide-react";
import {
  CopyLinkButton,
  DayRangeFields,
  FilterButtons,
  FilterChips,
  FilterForm,
  ListResults,
  SearchField,
  SeriesSelect,
} from "~/components/list-controls";
import { StarButton } from "~/components/star-button";
import { Badge, FilterSelect, LinkButton, PageHeader, Table, Td } from "~/components/ui";
import {
  DEFAULT_DOCUMENT_QUERY,
  DOCUMENT_SORT_LABELS,
  DOCUMENT_SORTS,
  documentSearch,
  parseDocumentQuery,
  type DocumentListQuery,
} from "~/models/document-list.server";
import { DOCUMENT_STATUS_LABELS, DOCUMENT_STATUSES, DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES } from "~/domain/document";
import { requireUser } from "~/services/auth/current-user.server";
import { listMyDocuments } from "~/services/document-page.server";
import { canGenerateThematicReport } from "~/policies/thematic-report";
import { listLinks } from "~/utils/list-query";

export const meta: MetaFunction = () => [{ title: "文书 · 会商协同" }];

/** The active filters in words, each with the field a chip removes. */
function filterLabels(
  query: DocumentListQuery,
  orgs: ReadonlyArray<{ id: string; name: string }>,
): Array<{ field: keyof DocumentListQuery; label: string }> {
  const out: Array<{ field: keyof DocumentListQuery; label: string }> = [];
  if (query.q) out.push({ field: "q", label: `搜索“${query.q}”` });
  if (query.type) out.push({ field: "type", label: `类型：${DOCUMENT_TYPE_LABELS[query.type]}` });
  if (query.status) out.push({ field: "status", label: `状态：${DOCUMENT_STATUS_LABELS[query.status]}` });
  if (query.owner)
    out.push({ field: "owner", label: `牵头：${orgs.find((o) => o.id === query.owner)?.name ?? "（未知单位）"}` });
  if (query.series) out.push({ field: "series", label: `会商系列：${query.series}` });
  if (query.from) out.push({ field: "from", label: `创建自 ${query.from}` });
  if (query.to) out.push({ field: "to", label: `创建至 ${query.to}` });
  if (query.starred) out.push({ field: "starred", label: "仅看我关注的" });
  return out;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = parseDocumentQuery(new URL(request.url).searchParams);
  const list = await listMyDocuments(user, query);
  return json({
    ...list,
    ...listLinks({
      path: "/documents",
      query,
      defaults: DEFAULT_DOCUMENT_QUERY,
      searchOf: documentSearch,
      sorts: DOCUMENT_SORTS,
      sortLabels: DOCUMENT_SORT_LABELS,
      labels: filterLabels(query, list.options.orgs),
      page: list.page,
    }),
    canReport: canGenerateThematicReport(user.actor),
    query,
    types: DOCUMENT_TYPES.map((t) => ({ value: t, label: DOCUMENT_TYPE_LABELS[t] })),
    statuses: DOCUMENT_STATUSES.map((s) => ({ value: s, label: DOCUMENT_STATUS_LABELS[s] })),
  });
}

const statusTone = { DRAFT: "blue", COUNTERSIGNING: "amber", FINALIZED: "green", PUBLISHED: "green" } as const;

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function DocumentFilters({ data }: { data: Data }) {
  const { query, options } = data;
  return (
    <FilterForm
      action="/documents"
      search={data.search}
      keptSort={data.keptSort}
      label="筛选文书"
      footer={<FilterChips chips={data.chips} />}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 md:grid-cols-4 lg:grid-cols-6">
        <SearchField id="documents-q" label="搜索标题" value={query.q} className="sm:col-span-2" />
        <FilterSelect
          idPrefix="documents"
          label="类型"
          name="type"
          value={query.type ?? ""}
          all="全部类型"
          choices={data.types}
        />
        <FilterSelect
          idPrefix="documents"
          label="状态"
          name="status"
          value={query.status ?? ""}
          all="全部状态"
          choices={data.statuses}
        />
        <FilterSelect
          idPrefix="documents"
          label="牵头单位"
          name="owner"
          value={query.owner ?? ""}
          all="全部"
          choices={options.orgs.map((o) => ({ value: o.id, label: o.name }))}
        />
        <SeriesSelect idPrefix="documents" value={query.series} series={options.series} />
        <DayRangeFields idPrefix="documents" label="创建日期" from={query.from} to={query.to} />
        <label className="inline-flex items-end gap-1.5 pb-1.5 text-sm text-slate-700">
          <input
            type="checkbox"
            name="starred"
            value="1"
            defaultChecked={query.starred}
            className="h-4 w-4 rounded border-slate-300"
          />
          仅看我关注的
        </label>
        <FilterButtons clearHref={data.filtered ? data.clearHref : null} className="sm:col-span-2 md:col-span-1" />
      </div>
    </FilterForm>
  );
}

export default function Documents() {
  const data = useLoaderData<typeof loader>();
  const { documents, canCreate, canReport } = data;
  return (
    <>
      <PageHeader
        title="文书"
        description="与各单位实时共同起草的会商纪要、督办清单、整改方案和典型案例。"
        actions={
          <>
            <CopyLinkButton />
            {canReport ? <LinkButton to="/reports/new">生成专题报告</LinkButton> : null}
            {canCreate ? (
              <LinkButton to="/documents/new" variant="primary">
                <FilePlus2 className="h-4 w-4" aria-hidden />
                新建文书
              </LinkButton>
            ) : null}
          </>
        }
      />
      <DocumentFilters data={data} />
      <ListResults
        path="/documents"
        list={data}
        unit="份"
        empty={{
          icon: <FileText className="h-8 w-8 text-slate-300" aria-hidden />,
          noun: "文书",
          hint: "本单位牵头或受邀参与的文书会显示在这里。",
        }}
      >
        <Table head={["关注", "标题", "类型", "牵头单位", "参与单位", "状态", "创建", "最近修改"]} caption="文书列表">
          {documents.map((d) => (
            <tr key={d.id} className="hover:bg-slate-50" data-testid="document-row">
              <Td>
                <StarButton documentId={d.id} title={d.title} starred={d.starred} compact />
              </Td>
              <Td className="min-w-[14rem]">
                <Link to={`/documents/${d.id}`} className="font-medium text-brand-700 hover:underline">
                  {d.title}
                </Link>
                {d.issue ? <span className="mt-0.5 block text-xs text-slate-500">{d.issue}</span> : null}
              </Td>
              <Td>{d.type}</Td>
              <Td>{d.owner}</Td>
              <Td>{d.members}</Td>
              <Td className="whitespace-nowrap">
                <Badge tone={statusTone[d.status as keyof typeof statusTone] ?? "slate"}>{d.statusLabel}</Badge>
              </Td>
              <Td className="whitespace-nowrap text-slate-500">{d.created}</Td>
              <Td className="whitespace-nowrap text-slate-500">{d.updatedAt}</Td>
            </tr>
          ))}
        </Table>
      </ListResults>
    </>
  );
}
