import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, FormErrors, LinkButton, PageHeader, SelectField, TextField } from "~/components/ui";
import { chinaDay } from "~/domain/dates";
import { THEMATIC_SECTIONS, THEMATIC_SECTION_TITLES } from "~/domain/thematic-report";
import { reportingOrgIds } from "~/policies/thematic-report";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { generateThematicReport } from "~/services/thematic-reports.server";
import { httpError, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";

export const meta: MetaFunction = () => [{ title: "生成专题报告 · 会商协同" }];

/** 生成专题报告 (ADR 026): a unit, a period; the draft opens in the editor. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const orgIds = reportingOrgIds(user.actor);
  if (orgIds.length === 0) throw httpError("FORBIDDEN", "专题报告由司法行政机关或依法治理办公室的督办协调员生成。");
  const today = chinaDay();
  return json({
    orgs: user.memberships
      .filter((m) => orgIds.includes(m.org.id))
      .map((m) => ({ value: m.org.id, label: m.org.name }))
      .filter((o, i, all) => all.findIndex((x) => x.value === o.value) === i),
    today,
    yearStart: `${today.slice(0, 4)}-01-01`,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ctx = commandContext(request, context);
  return runAction(async () => {
    const form = await readFormData(request);
    const str = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" ? v.trim() : "";
    };
    const { documentId } = await generateThematicReport(
      user,
      { orgId: str("orgId"), from: str("from"), to: str("to") },
      ctx,
    );
    return redirect(`/documents/${documentId}`);
  });
}

export default function NewThematicReport() {
  const { orgs, today, yearStart } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader
        title="生成专题报告"
        description="按本单位所在区划（含所辖地区）和统计期间，从系统数据汇总生成专题报告初稿：每部分有自动生成的文字、统计表和统计图，生成后在文书中共同修改、会签、导出。"
      />
      <Form method="post" className="flex flex-col gap-4">
        <FormErrors errors={actionData && !actionData.fieldErrors ? [actionData.error] : null} />
        <Card title="统计范围">
          <div className="grid gap-4 md:grid-cols-3">
            <SelectField
              label="报告单位"
              name="orgId"
              required
              errors={errors.orgId}
              options={orgs}
              defaultValue={orgs[0]?.value}
            />
            <TextField
              label="开始日期"
              name="from"
              type="date"
              required
              max={today}
              defaultValue={yearStart}
              errors={errors.from}
            />
            <TextField label="结束日期" name="to" type="date" required defaultValue={today} errors={errors.to} />
          </div>
        </Card>
        <Card title="报告包含的部分">
          <ol className="list-decimal pl-5 text-sm text-slate-700">
            {THEMATIC_SECTIONS.map((s) => (
              <li key={s}>{THEMATIC_SECTION_TITLES[s]}</li>
            ))}
          </ol>
          <p className="mt-2 text-xs text-slate-500">
            数据在生成时固定写入报告，并记录截止时间；之后可在“数据比对”中查看系统数据的变化。线索只统计数量，不含线索内容和人员信息。
          </p>
        </Card>
        <div className="flex gap-2">
          <Button type="submit" disabled={busy}>
            {busy ? "正在生成…" : "生成报告初稿"}
          </Button>
          <LinkButton to="/documents">取消</LinkButton>
        </div>
      </Form>
    </>
  );
}
