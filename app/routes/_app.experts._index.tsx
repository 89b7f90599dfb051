import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GraduationCap, UserPlus } from "lucide-react";
import {
  Badge,
  Button,
  EmptyState,
  FilterInput,
  FilterSelect,
  LinkButton,
  PageHeader,
  Table,
  Td,
} from "~/components/ui";
import {
  EXPERT_FIELDS,
  EXTERNAL_KIND_LABELS,
  EXTERNAL_KINDS,
  EXTERNAL_STATUS_LABELS,
  EXTERNAL_STATUSES,
} from "~/domain/external";
import { requireUser } from "~/services/auth/current-user.server";
import { loadPool } from "~/services/external-pool-pages.server";
import { orThrowHttp } from "~/utils/errors";
import { optionalText } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "专家库 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const pick = <T extends string>(name: string, values: readonly T[]): T | undefined => {
    const v = params.get(name) ?? "";
    return (values as readonly string[]).includes(v) ? (v as T) : undefined;
  };
  // A free text that does not parse (too long, control characters) filters nothing.
  const free = (name: string, max: number) => {
    const parsed = optionalText({ max }).safeParse(params.get(name) ?? undefined);
    return parsed.success ? parsed.data : null;
  };
  const filters = {
    kind: pick("kind", EXTERNAL_KINDS) ?? "",
    field: free("field", 20) ?? "",
    q: free("q", 50) ?? "",
    status: pick("status", EXTERNAL_STATUSES) ?? "",
  };
  const pool = await orThrowHttp(() => loadPool(user.actor, filters));
  return json({ filters, ...pool });
}

type Data = SerializeFrom<typeof loader>;

export default function Experts() {
  const { filters, rows, canAdd } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.kind || filters.field || filters.q || filters.status);
  return (
    <>
      <PageHeader
        title="专家库"
        description="本地区及上级地区的专家、特邀行政执法监督员、人大代表和政协委员，可邀请参加会商。联系方式仅由本地区司法行政机关维护和查看。"
        actions={
          canAdd ? (
            <LinkButton to="/experts/new" variant="primary">
              <UserPlus className="h-4 w-4" aria-hidden />
              添加人员
            </LinkButton>
          ) : null
        }
      />
      <PoolFilters filters={filters} />
      {rows.length === 0 ? (
        <EmptyState
          icon={<GraduationCap className="h-8 w-8 text-slate-300" aria-hidden />}
          title={filtered ? "没有符合条件的人员" : "专家库暂无人员"}
        >
          {canAdd ? "点击“添加人员”录入专家、特邀监督员、人大代表或政协委员。" : "本地区司法行政机关录入后在此显示。"}
        </EmptyState>
      ) : (
        <PoolTable rows={rows} />
      )}
    </>
  );
}

function PoolFilters({ filters }: { filters: Data["filters"] }) {
  const fields: readonly string[] = EXPERT_FIELDS;
  const fieldChoices = [...fields, ...(filters.field && !fields.includes(filters.field) ? [filters.field] : [])];
  return (
    <Form
      method="get"
      className="mb-3 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm"
      aria-label="筛选"
    >
      <FilterSelect
        idPrefix="experts"
        label="类别"
        name="kind"
        value={filters.kind}
        all="全部类别"
        choices={EXTERNAL_KINDS.map((k) => ({ value: k, label: EXTERNAL_KIND_LABELS[k] }))}
      />
      <FilterSelect
        idPrefix="experts"
        label="领域"
        name="field"
        value={filters.field}
        all="全部领域"
        choices={fieldChoices.map((f) => ({ value: f, label: f }))}
      />
      <FilterInput idPrefix="experts" label="关键词" name="q" value={filters.q} placeholder="姓名、工作单位或职称" />
      <FilterSelect
        idPrefix="experts"
        label="状态"
        name="status"
        value={filters.status}
        all="全部状态"
        choices={EXTERNAL_STATUSES.map((s) => ({ value: s, label: EXTERNAL_STATUS_LABELS[s] }))}
      />
      <Button type="submit" variant="secondary">
        筛选
      </Button>
    </Form>
  );
}

function PoolTable({ rows }: { rows: Data["rows"] }) {
  return (
    <Table head={["姓名", "类别", "领域", "职称", "工作单位", "所属地区", "账号", "状态"]} caption="专家库人员">
      {rows.map((r) => (
        <tr key={r.id} className="hover:bg-slate-50" data-testid="expert-row">
          <Td className="whitespace-nowrap font-medium">
            {r.canEdit ? (
              <Link to={`/experts/${r.id}`} className="text-brand-700 hover:underline" aria-label={`维护 ${r.name}`}>
                {r.name}
              </Link>
            ) : (
              r.name
            )}
          </Td>
          <Td className="whitespace-nowrap">{r.kind}</Td>
          <Td>{r.fields.join("、")}</Td>
          <Td>{r.title}</Td>
          <Td>{r.employer}</Td>
          <Td className="whitespace-nowrap">{r.region}</Td>
          <Td className="whitespace-nowrap">
            <Badge tone={r.hasAccount ? "blue" : "slate"}>{r.hasAccount ? "已开通" : "未开通"}</Badge>
          </Td>
          <Td className="whitespace-nowrap">
            <Badge tone={r.status === "ACTIVE" ? "green" : "slate"}>{r.statusLabel}</Badge>
          </Td>
        </tr>
      ))}
    </Table>
  );
}
