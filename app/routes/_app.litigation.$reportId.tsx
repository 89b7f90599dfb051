import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Download } from "lucide-react";
import {
  Badge,
  Button,
  Card,
  FormErrors,
  Notice,
  SelectField,
  SubpageHeader,
  Table,
  Td,
  TextAreaField,
  TextField,
} from "~/components/ui";
import { formatDate } from "~/domain/dates";
import { invalid, type FieldErrors } from "~/domain/errors";
import {
  CASE_LABELS,
  CASE_LIMITS,
  FIGURE_FIELDS,
  FIGURE_LABELS,
  LITIGATION_STATUS_LABELS,
  appearanceRate,
  lossRate,
  percentLabel,
  quarterLabel,
  sumFigures,
  type Figures,
  type LitigationStatus,
} from "~/domain/litigation";
import type { CaseRow, FigureRow } from "~/models/litigation.server";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import {
  createLitigationBulletin,
  importLitigationWorkbook,
  saveLitigationCases,
  saveLitigationFigures,
  submitLitigationReport,
} from "~/services/litigation.server";
import { loadLitigationReport } from "~/services/litigation-pages.server";
import { MAX_WORKBOOK_BYTES } from "~/services/import/litigation-workbook.server";
import { orThrowHttp, runAction } from "~/utils/errors";
import { formFiles, isMultipart, readFormData, readMultipartForm } from "~/utils/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · 会商协同` : "行政诉讼数据 · 会商协同" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await orThrowHttp(() => loadLitigationReport(user, params.reportId ?? ""));
  const { facts, detail, agencies, abilities } = page;
  return json({
    id: facts.id,
    title: `${facts.courtName}${quarterLabel(facts.year, facts.quarter)}行政诉讼案件数据`,
    court: facts.courtName,
    region: facts.regionName,
    status: facts.status as LitigationStatus,
    submittedAt: detail.submittedAt ? formatDate(detail.submittedAt) : null,
    bulletinDocumentId: facts.bulletinDocumentId,
    figures: detail.figures,
    cases: detail.cases,
    agencies: agencies.map((a) => ({ id: a.id, name: a.name })),
    abilities,
  });
}

/** The figures of the form: `f.<agencyId>.<field>`; an agency whose fields are all blank is left out. */
function readFigures(form: FormData): { rows: FigureRow[]; errors: FieldErrors } {
  const byAgency = new Map<string, Partial<Record<string, string>>>();
  for (const [key, value] of form) {
    const m = /^f\.([A-Za-z0-9_-]{1,40})\.(\w+)$/.exec(key);
    if (!m || typeof value !== "string" || !(FIGURE_FIELDS as readonly string[]).includes(m[2])) continue;
    byAgency.set(m[1], { ...byAgency.get(m[1]), [m[2]]: value.trim() });
  }
  const rows: FigureRow[] = [];
  const errors: FieldErrors = {};
  for (const [agencyOrgId, values] of byAgency) {
    if (FIGURE_FIELDS.every((k) => !values[k])) continue;
    const bad = FIGURE_FIELDS.filter((k) => values[k] && !/^\d{1,6}$/.test(values[k]!));
    if (bad.length) {
      errors[`agency.${agencyOrgId}`] = bad.map((k) => `${FIGURE_LABELS[k]}应为不小于 0 的整数`);
      continue;
    }
    const f = Object.fromEntries(FIGURE_FIELDS.map((k) => [k, values[k] ? Number(values[k]) : 0])) as Figures;
    rows.push({ agencyOrgId, ...f });
  }
  return { rows, errors };
}

/** The report's notable cases as stored, in order: the list an added or removed case changes. */
async function storedCases(user: Parameters<typeof loadLitigationReport>[0], id: string): Promise<CaseRow[]> {
  const { detail } = await loadLitigationReport(user, id);
  return detail.cases.map((c) => ({
    agencyOrgId: c.agencyOrgId,
    caseNumber: c.caseNumber,
    cause: c.cause,
    outcome: c.outcome,
    problem: c.problem,
  }));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ctx = commandContext(request, context);
  const id = params.reportId ?? "";
  return runAction(async () => {
    if (isMultipart(request)) {
      const read = await readMultipartForm(request, MAX_WORKBOOK_BYTES);
      if (!read.ok) throw invalid(read.message, { workbook: [read.message] });
      const [file] = await formFiles(read.form, "workbook");
      if (!file) throw invalid("请选择法院工作簿（.xlsx）", { workbook: ["请选择法院工作簿（.xlsx）"] });
      const done = await importLitigationWorkbook(user, id, file, ctx);
      return redirect(`/litigation/${id}?imported=${done.figures}-${done.cases}`);
    }
    const form = await readFormData(request);
    const intent = form.get("intent");
    switch (intent) {
      case "saveFigures": {
        const { rows, errors } = readFigures(form);
        if (Object.keys(errors).length)
          throw invalid(`有 ${Object.keys(errors).length} 个单位的数据需要修改，未保存。`, errors);
        await saveLitigationFigures(user, id, rows, ctx);
        return redirect(`/litigation/${id}?saved=figures`);
      }
      case "addCase": {
        const existingCases = await storedCases(user, id);
        const str = (k: string) => {
          const v = form.get(k);
          return typeof v === "string" ? v.trim() : "";
        };
        const added: CaseRow = {
          agencyOrgId: str("agencyOrgId"),
          caseNumber: str("caseNumber"),
          cause: str("cause"),
          outcome: str("outcome"),
          problem: str("problem"),
        };
        try {
          await saveLitigationCases(user, id, [...existingCases, added], ctx);
        } catch (error) {
          // The new case's problems belong to the add form's fields.
          const fieldErrors = (error as { fieldErrors?: FieldErrors }).fieldErrors;
          const mine = fieldErrors?.[`case.${existingCases.length}`];
          if (mine) throw invalid("典型案件有需要修改的地方，未保存。", { newCase: mine });
          throw error;
        }
        return redirect(`/litigation/${id}?saved=case`);
      }
      case "removeCase": {
        const existingCases = await storedCases(user, id);
        const raw = form.get("index");
        // A missing or blank index is no index (Number("") would be the first case).
        const index = typeof raw === "string" && /^\d{1,3}$/.test(raw) ? Number(raw) : -1;
        if (index < 0 || index >= existingCases.length) throw invalid("该案件已不存在，请刷新页面。");
        await saveLitigationCases(
          user,
          id,
          existingCases.filter((_, i) => i !== index),
          ctx,
        );
        return redirect(`/litigation/${id}?saved=case`);
      }
      case "submit":
        await submitLitigationReport(user, id, ctx);
        return redirect(`/litigation/${id}?saved=submitted`);
      case "bulletin": {
        const { documentId } = await createLitigationBulletin(user, id, ctx);
        return redirect(`/documents/${documentId}`);
      }
      default:
        throw invalid("未知的操作。");
    }
  });
}

const DONE: Record<string, string> = {
  figures: "已保存各单位数据。",
  case: "已保存典型案件。",
  submitted: "已报送。司法行政机关已收到通知。",
};

export default function LitigationReportPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  const [params] = useSearchParams();
  const imported = params.get("imported")?.split("-");
  const done = params.get("saved");
  const total = sumFigures(data.figures);
  const busy = useNavigation().state !== "idle";
  const formError = actionData && !actionData.fieldErrors ? [actionData.error] : null;
  return (
    <>
      <SubpageHeader
        back={{ to: "/litigation", label: "府院联动" }}
        title={data.title}
        subtitle={`${data.region} · 以行政机关为被告的一审行政案件`}
      />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <Badge tone={data.status === "SUBMITTED" ? "green" : "amber"}>{LITIGATION_STATUS_LABELS[data.status]}</Badge>
        {data.submittedAt ? <span className="text-sm text-slate-600">报送于 {data.submittedAt}</span> : null}
        {data.bulletinDocumentId ? (
          <Link
            to={`/documents/${data.bulletinDocumentId}`}
            className="text-sm font-medium text-brand-700 hover:underline"
          >
            打开府院联动通报
          </Link>
        ) : null}
        {data.abilities.generateBulletin ? (
          <Form method="post">
            <input type="hidden" name="intent" value="bulletin" />
            <Button type="submit" disabled={busy}>
              生成通报
            </Button>
          </Form>
        ) : null}
      </div>
      <div className="mb-4 flex flex-col gap-2" aria-live="polite">
        {imported ? (
          <Notice tone="success">
            已导入 {imported[0]} 个被告单位的数据和 {imported[1]} 件典型案件。
          </Notice>
        ) : null}
        {done && DONE[done] ? <Notice tone="success">{DONE[done]}</Notice> : null}
        <FormErrors errors={formError} />
      </div>
      <section aria-label="汇总" className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {[
          ["收案数", String(total.filed)],
          ["审结数", String(total.concluded)],
          ["败诉数", String(total.lost)],
          ["败诉率", percentLabel(lossRate(total))],
          ["出庭应诉率", percentLabel(appearanceRate(total))],
          ["调解撤诉数", String(total.mediatedWithdrawn)],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
            <p className="text-xs text-slate-500">{label}</p>
            <p className="text-2xl font-semibold tabular-nums text-slate-900" data-testid={`tile-${label}`}>
              {value}
            </p>
          </div>
        ))}
      </section>
      {data.abilities.edit ? <WorkbookCard id={data.id} errors={errors.workbook} busy={busy} /> : null}
      {data.abilities.edit ? (
        <FiguresForm agencies={data.agencies} figures={data.figures} errors={errors} busy={busy} />
      ) : (
        <FiguresTable figures={data.figures} />
      )}
      <CasesCard
        cases={data.cases}
        agencies={data.agencies}
        edit={data.abilities.edit}
        errors={errors.newCase}
        busy={busy}
      />
      {data.abilities.submit ? (
        <Form method="post" className="mt-4 flex flex-wrap items-center gap-3">
          <input type="hidden" name="intent" value="submit" />
          <Button type="submit" disabled={busy}>
            报送
          </Button>
          <span className="text-sm text-slate-600">
            报送后数据不能再修改，本地区司法局会收到通知，并可与法院共同起草通报。
          </span>
        </Form>
      ) : null}
    </>
  );
}

function WorkbookCard({ id, errors, busy }: { id: string; errors: string[] | undefined; busy: boolean }) {
  return (
    <Card title="上传法院工作簿">
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3">
        <p className="text-sm text-slate-600">
          下载模板（已列出本地区行政机关和已填的数据），在 Excel 或 WPS
          中填写后上传。系统逐行检查，有任何问题都不会导入。
        </p>
        <div className="flex flex-wrap items-end gap-3">
          <a
            href={`/litigation/${id}/workbook`}
            className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
          >
            <Download className="h-4 w-4" aria-hidden />
            下载模板
          </a>
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">法院工作簿（.xlsx）</span>
            <input
              type="file"
              name="workbook"
              required
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={errors ? "workbook-errors" : undefined}
              className="text-sm"
            />
          </label>
          <Button type="submit" disabled={busy}>
            上传并导入
          </Button>
        </div>
        {errors ? (
          <ul id="workbook-errors" className="list-disc pl-5 text-sm text-red-700" data-testid="workbook-errors">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        ) : null}
      </Form>
    </Card>
  );
}

type Row = Figures & { agencyOrgId: string; agencyName: string };

function FiguresForm({
  agencies,
  figures,
  errors,
  busy,
}: {
  agencies: Array<{ id: string; name: string }>;
  figures: Row[];
  errors: Record<string, string[] | undefined>;
  busy: boolean;
}) {
  const byId = new Map(figures.map((f) => [f.agencyOrgId, f]));
  return (
    <Card title="各被告单位数据">
      <Form method="post" className="flex flex-col gap-3">
        <input type="hidden" name="intent" value="saveFigures" />
        <p className="text-sm text-slate-600">没有案件的单位留空即可。败诉率和出庭应诉率按审结数计算。</p>
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="sr-only">各被告单位数据（可编辑）</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-600">
                <th scope="col" className="px-2 py-2 font-medium">
                  被告单位
                </th>
                {FIGURE_FIELDS.map((k) => (
                  <th key={k} scope="col" className="px-2 py-2 font-medium">
                    {FIGURE_LABELS[k]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {agencies.map((a) => {
                const f = byId.get(a.id);
                const rowErrors = errors[`agency.${a.id}`];
                return (
                  <tr key={a.id} className="border-b border-slate-100 align-top" data-testid="figure-row">
                    <th scope="row" className="px-2 py-1.5 text-left font-normal">
                      {a.name}
                      {rowErrors ? (
                        <span id={`err-${a.id}`} className="block text-xs text-red-700">
                          {rowErrors.join("；")}
                        </span>
                      ) : null}
                    </th>
                    {FIGURE_FIELDS.map((k) => (
                      <td key={k} className="px-2 py-1.5">
                        <input
                          name={`f.${a.id}.${k}`}
                          inputMode="numeric"
                          pattern="[0-9]*"
                          maxLength={6}
                          defaultValue={f ? String(f[k]) : ""}
                          aria-label={`${a.name} ${FIGURE_LABELS[k]}`}
                          aria-invalid={rowErrors ? true : undefined}
                          aria-describedby={rowErrors ? `err-${a.id}` : undefined}
                          className="w-20 rounded border border-slate-300 px-2 py-1 text-right tabular-nums"
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div>
          <Button type="submit" disabled={busy}>
            保存数据
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function FiguresTable({ figures }: { figures: Row[] }) {
  return (
    <Table
      head={["被告单位", "收案数", "审结数", "败诉数", "败诉率", "出庭应诉数", "出庭率", "调解撤诉数"]}
      caption="各被告单位数据"
    >
      {figures.map((f) => (
        <tr key={f.agencyOrgId} data-testid="figure-row">
          <Td>{f.agencyName}</Td>
          <Td className="tabular-nums">{f.filed}</Td>
          <Td className="tabular-nums">{f.concluded}</Td>
          <Td className="tabular-nums">{f.lost}</Td>
          <Td className="tabular-nums">{percentLabel(lossRate(f))}</Td>
          <Td className="tabular-nums">{f.headAppeared}</Td>
          <Td className="tabular-nums">{percentLabel(appearanceRate(f))}</Td>
          <Td className="tabular-nums">{f.mediatedWithdrawn}</Td>
        </tr>
      ))}
    </Table>
  );
}

function CasesCard({
  cases,
  agencies,
  edit,
  errors,
  busy,
}: {
  cases: Array<{ id: string; agencyName: string; caseNumber: string; cause: string; outcome: string; problem: string }>;
  agencies: Array<{ id: string; name: string }>;
  edit: boolean;
  errors: string[] | undefined;
  busy: boolean;
}) {
  return (
    <Card title={`典型案件（${cases.length}）`}>
      {cases.length === 0 ? <p className="text-sm text-slate-600">本季度没有需要通报的典型案件。</p> : null}
      <ol className="flex flex-col gap-3">
        {cases.map((c, i) => (
          <li key={c.id} className="rounded-md border border-slate-200 p-3 text-sm" data-testid="case-row">
            <p className="font-medium text-slate-800">
              {c.caseNumber} {c.agencyName} · {c.cause}
            </p>
            <p className="mt-1 text-slate-700">裁判结果：{c.outcome}</p>
            <p className="mt-1 text-slate-700">暴露的执法问题：{c.problem}</p>
            {edit ? (
              <Form method="post" className="mt-2">
                <input type="hidden" name="intent" value="removeCase" />
                <input type="hidden" name="index" value={i} />
                <Button type="submit" variant="secondary" disabled={busy} aria-label={`删除案件 ${c.caseNumber}`}>
                  删除
                </Button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      {edit ? (
        <Form method="post" className="mt-4 grid gap-3 border-t border-slate-200 pt-4 md:grid-cols-2">
          <input type="hidden" name="intent" value="addCase" />
          <h3 className="text-sm font-semibold text-slate-800 md:col-span-2">添加典型案件</h3>
          <div className="md:col-span-2">
            <FormErrors errors={errors} />
          </div>
          <SelectField
            label="被告单位"
            name="agencyOrgId"
            required
            placeholder="请选择"
            options={agencies.map((a) => ({ value: a.id, label: a.name }))}
          />
          <TextField
            label={CASE_LABELS.caseNumber}
            name="caseNumber"
            required
            maxLength={CASE_LIMITS.caseNumber}
            placeholder="例如：（2026）示01行初15号"
          />
          <TextField
            label={CASE_LABELS.cause}
            name="cause"
            required
            maxLength={CASE_LIMITS.cause}
            placeholder="例如：行政处罚"
          />
          <TextField
            label={CASE_LABELS.outcome}
            name="outcome"
            required
            maxLength={CASE_LIMITS.outcome}
            placeholder="例如：判决撤销被诉处罚决定"
          />
          <div className="md:col-span-2">
            <TextAreaField
              label={CASE_LABELS.problem}
              name="problem"
              required
              maxLength={CASE_LIMITS.problem}
              rows={3}
            />
          </div>
          <div>
            <Button type="submit" disabled={busy}>
              添加案件
            </Button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}
