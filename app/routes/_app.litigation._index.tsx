import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Scale } from "lucide-react";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  FormErrors,
  LinkButton,
  PageHeader,
  SelectField,
  Table,
  Td,
} from "~/components/ui";
import { formatDate } from "~/domain/dates";
import {
  LITIGATION_REFUSAL,
  LITIGATION_STATUS_LABELS,
  QUARTER_NAMES,
  quarterLabel,
  type LitigationStatus,
} from "~/domain/litigation";
import { invalid } from "~/domain/errors";
import { canOpenLitigation, canViewLitigationTrends } from "~/policies/litigation";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { openLitigationQuarter } from "~/services/litigation.server";
import { loadLitigationIndex } from "~/services/litigation-pages.server";
import { httpError, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { idField, z, zodFieldErrors } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "府院联动 · 会商协同" }];

/** 府院联动 (ADR 025): the quarterly reports the user reads; courts open a quarter to file. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canOpenLitigation(user.actor)) throw httpError("FORBIDDEN", LITIGATION_REFUSAL);
  const page = await loadLitigationIndex(user, new Date());
  return json({
    courts: page.courts,
    current: page.current,
    trends: canViewLitigationTrends(user.actor),
    reports: page.reports.map((r) => ({
      id: r.id,
      quarter: quarterLabel(r.year, r.quarter),
      court: r.courtName,
      status: r.status as LitigationStatus,
      submittedAt: r.submittedAt ? formatDate(r.submittedAt) : null,
      agencies: r.agencies,
      cases: r.cases,
      bulletinDocumentId: r.bulletinDocumentId,
    })),
  });
}

const Schema = z.object({
  courtOrgId: idField,
  year: z.coerce.number({ invalid_type_error: "请选择年度" }).int("请选择年度"),
  quarter: z.coerce
    .number({ invalid_type_error: "请选择季度" })
    .int("请选择季度")
    .min(1, "请选择季度")
    .max(4, "请选择季度"),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ctx = commandContext(request, context);
  return runAction(async () => {
    const form = await readFormData(request);
    const parsed = Schema.safeParse(Object.fromEntries(form));
    if (!parsed.success) throw invalid("请选择法院、年度和季度", zodFieldErrors(parsed.error));
    const { id } = await openLitigationQuarter(user, parsed.data, ctx);
    return redirect(`/litigation/${id}`);
  });
}

export default function LitigationIndex() {
  const { courts, current, trends, reports } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  const navigation = useNavigation();
  const years = [current.year, current.year - 1, current.year - 2];
  return (
    <>
      <PageHeader
        title="府院联动"
        description="法院按季度报送全地区行政诉讼案件审理情况：各被告单位的收案、审结、败诉、负责人出庭应诉和调解撤诉数，以及典型案件；司法行政机关据此跟踪趋势、共同起草通报。"
        actions={trends ? <LinkButton to="/litigation/trends">趋势与预警</LinkButton> : null}
      />
      {courts.length ? (
        <Card title="填报季度数据">
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <FormErrors errors={actionData && !actionData.fieldErrors ? [actionData.error] : null} />
            {courts.length > 1 ? (
              <SelectField
                label="填报法院"
                name="courtOrgId"
                required
                errors={errors.courtOrgId}
                options={courts.map((c) => ({ value: c.id, label: c.name }))}
              />
            ) : (
              <input type="hidden" name="courtOrgId" value={courts[0].id} />
            )}
            <SelectField
              label="年度"
              name="year"
              required
              defaultValue={String(current.year)}
              errors={errors.year}
              options={years.map((y) => ({ value: String(y), label: `${y}年` }))}
            />
            <SelectField
              label="季度"
              name="quarter"
              required
              defaultValue={String(current.quarter)}
              errors={errors.quarter}
              options={QUARTER_NAMES.map((n, i) => ({ value: String(i + 1), label: `第${n}季度` }))}
            />
            <Button type="submit" disabled={navigation.state !== "idle"}>
              填报
            </Button>
            <p className="basis-full text-xs text-slate-500">
              {courts.length === 1 ? `以${courts[0].name}名义填报。` : ""}
              已填报的季度会直接打开，可继续修改，报送后不能再修改。
            </p>
          </Form>
        </Card>
      ) : null}
      <section aria-labelledby="reports-heading" className="mt-6">
        <h2 id="reports-heading" className="mb-3 text-base font-semibold text-slate-800">
          季度数据
        </h2>
        {reports.length === 0 ? (
          <EmptyState icon={<Scale className="h-8 w-8 text-slate-300" aria-hidden />} title="还没有季度数据">
            {courts.length ? "选择季度开始填报。" : "法院报送后会出现在这里。"}
          </EmptyState>
        ) : (
          <Table head={["季度", "填报法院", "状态", "被告单位", "典型案件", "通报"]} caption="季度数据">
            {reports.map((r) => (
              <tr key={r.id} data-testid="litigation-row">
                <Td className="whitespace-nowrap">
                  <Link to={`/litigation/${r.id}`} className="font-medium text-brand-700 hover:underline">
                    {r.quarter}
                  </Link>
                </Td>
                <Td className="min-w-[8rem]">{r.court}</Td>
                <Td>
                  <Badge tone={r.status === "SUBMITTED" ? "green" : "amber"}>
                    {LITIGATION_STATUS_LABELS[r.status]}
                  </Badge>
                  {r.submittedAt ? <span className="ml-2 text-xs text-slate-500">{r.submittedAt}</span> : null}
                </Td>
                <Td className="tabular-nums">{r.agencies}</Td>
                <Td className="tabular-nums">{r.cases}</Td>
                <Td>
                  {r.bulletinDocumentId ? (
                    <Link to={`/documents/${r.bulletinDocumentId}`} className="text-brand-700 hover:underline">
                      打开通报
                    </Link>
                  ) : (
                    <span className="text-slate-500">未生成</span>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </>
  );
}
