import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CalendarPlus, Users } from "lucide-react";
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
import { Badge, FilterSelect, LinkButton, PageHeader, Table, Td } from "~/components/ui";
import { canConvene } from "~/policies/consultation";
import {
  CONSULTATION_KIND_LABELS,
  CONSULTATION_STATUS_LABELS,
  CONSULTATION_STATUSES,
  type ConsultationKind,
  type ConsultationStatus,
  isUpcoming,
} from "~/domain/consultation";
import {
  CONSULTATION_SORT_LABELS,
  CONSULTATION_SORTS,
  DEFAULT_CONSULTATION_QUERY,
  consultationSearch,
  parseConsultationQuery,
  type ConsultationListQuery,
} from "~/models/consultation-list.server";
import { requireUser } from "~/services/auth/current-user.server";
import { listMyConsultations } from "~/services/consultations.server";
import { formatDate, formatTime } from "~/domain/dates";
import { listLinks } from "~/utils/list-query";

export const meta: MetaFunction = () => [{ title: "会商 · 会商协同" }];

/** The active filters in words, each with the field a chip removes. */
function filterLabels(
  query: ConsultationListQuery,
  orgs: ReadonlyArray<{ id: string; name: string }>,
): Array<{ field: keyof ConsultationListQuery; label: string }> {
  const out: Array<{ field: keyof ConsultationListQuery; label: string }> = [];
  if (query.q) out.push({ field: "q", label: `搜索“${query.q}”` });
  if (query.status) out.push({ field: "status", label: `状态：${CONSULTATION_STATUS_LABELS[query.status]}` });
  if (query.convener)
    out.push({
      field: "convener",
      label: `召集：${orgs.find((o) => o.id === query.convener)?.name ?? "（未知单位）"}`,
    });
  if (query.series) out.push({ field: "series", label: `会商系列：${query.series}` });
  if (query.from) out.push({ field: "from", label: `会议自 ${query.from}` });
  if (query.to) out.push({ field: "to", label: `会议至 ${query.to}` });
  return out;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = parseConsultationQuery(new URL(request.url).searchParams);
  const { rows, ...list } = await listMyConsultations(user, query);
  const now = new Date();
  return json({
    ...list,
    ...listLinks({
      path: "/consultations",
      query,
      defaults: DEFAULT_CONSULTATION_QUERY,
      searchOf: consultationSearch,
      sorts: CONSULTATION_SORTS,
      sortLabels: CONSULTATION_SORT_LABELS,
      labels: filterLabels(query, list.options.orgs),
      page: list.page,
    }),
    query,
    statuses: CONSULTATION_STATUSES.map((s) => ({ value: s, label: CONSULTATION_STATUS_LABELS[s] })),
    canConvene: user.actor.memberships.some((m) => canConvene(user.actor, m.orgId)),
    consultations: rows.map((c) => ({
      id: c.id,
      title: c.title,
      issue: `${c.series} 第${c.number}期`,
      kind: CONSULTATION_KIND_LABELS[c.kind as ConsultationKind] ?? c.kind,
      when: `${formatDate(c.startsAt)} ${formatTime(c.startsAt)}至${formatTime(c.endsAt)}`,
      place: c.place,
      convener: c.conveningOrg.name,
      participants: c._count.participants,
      status: CONSULTATION_STATUS_LABELS[c.status as ConsultationStatus] ?? c.status,
      upcoming: isUpcoming(c, now),
      cancelled: c.status === "CANCELLED",
    })),
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function ConsultationFilters({ data }: { data: Data }) {
  const { query, options } = data;
  return (
    <FilterForm
      action="/consultations"
      search={data.search}
      keptSort={data.keptSort}
      label="筛选会商"
      footer={<FilterChips chips={data.chips} />}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 md:grid-cols-4 lg:grid-cols-6">
        <SearchField id="consultations-q" label="搜索会议名称、议题或地点" value={query.q} className="sm:col-span-2" />
        <FilterSelect
          idPrefix="consultations"
          label="状态"
          name="status"
          value={query.status ?? ""}
          all="全部状态"
          choices={data.statuses}
        />
        <FilterSelect
          idPrefix="consultations"
          label="召集单位"
          name="convener"
          value={query.convener ?? ""}
          all="全部"
          choices={options.orgs.map((o) => ({ value: o.id, label: o.name }))}
        />
        <SeriesSelect idPrefix="consultations" value={query.series} series={options.series} />
        <DayRangeFields idPrefix="consultations" label="会议日期" from={query.from} to={query.to} />
        <FilterButtons
          clearHref={data.filtered ? data.clearHref : null}
          className="sm:col-span-2 md:col-span-2 lg:col-span-4"
        />
      </div>
    </FilterForm>
  );
}

export default function Consultations() {
  const data = useLoaderData<typeof loader>();
  const { consultations, canConvene } = data;
  return (
    <>
      <PageHeader
        title="会商"
        description="协调会商、联席会议与个案会商：召集、邀请参会单位，会后共同起草纪要。"
        actions={
          <>
            <CopyLinkButton />
            {canConvene ? (
              <LinkButton to="/consultations/new" variant="primary">
                <CalendarPlus className="h-4 w-4" aria-hidden />
                召集会商
              </LinkButton>
            ) : null}
          </>
        }
      />
      <ConsultationFilters data={data} />
      <ListResults
        path="/consultations"
        list={data}
        unit="次"
        empty={{
          icon: <Users className="h-8 w-8 text-slate-300" aria-hidden />,
          noun: "会商",
          hint: "本单位召集或受邀参加的会商会显示在这里。",
        }}
      >
        <Table head={["会议", "期号", "类型", "时间", "地点", "召集单位", "状态"]} caption="会商列表">
          {consultations.map((c) => (
            <tr key={c.id} className="hover:bg-slate-50" data-testid="consultation-row">
              <Td className="min-w-[14rem]">
                <Link to={`/consultations/${c.id}`} className="font-medium text-brand-700 hover:underline">
                  {c.title}
                </Link>
              </Td>
              <Td className="whitespace-nowrap">{c.issue}</Td>
              <Td>{c.kind}</Td>
              <Td className="whitespace-nowrap">{c.when}</Td>
              <Td>{c.place}</Td>
              <Td>{c.convener}</Td>
              <Td className="whitespace-nowrap">
                <Badge tone={c.cancelled ? "red" : c.upcoming ? "blue" : "slate"}>{c.status}</Badge>
              </Td>
            </tr>
          ))}
        </Table>
      </ListResults>
    </>
  );
}
