import { isId } from "~/domain/ids";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OrgChoiceList } from "~/components/org-choice-list";
import { Button, Card, FormErrors, LinkButton, PageHeader, SelectField, TextField } from "~/components/ui";
import { batchOf, CASE_FIELDS } from "~/domain/typical-case";
import { canCreateCase } from "~/policies/typical-case";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { listOrgDirectory } from "~/services/org-directory.server";
import { createTypicalCase } from "~/services/typical-cases.server";
import { chinaDay } from "~/domain/dates";
import { actionError, httpError, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { idField, invalidInput, lineListField, text, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "起草典型案例 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const owners = user.memberships.filter((m) => canCreateCase(user.actor, m.org.id));
  if (owners.length === 0) throw httpError("FORBIDDEN", "只有起草人、督办协调员或管理员可以起草典型案例。");
  const orgs = await listOrgDirectory(user.actor.memberships.map((m) => m.regionPath));
  return json({
    owners: [...new Map(owners.map((m) => [m.org.id, { value: m.org.id, label: m.org.name }])).values()],
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, region: o.region.name })),
    batch: batchOf(chinaDay()),
  });
}

const Schema = z.object({
  title: text({ max: 100 }),
  ownerOrgId: idField,
  field: z.enum(CASE_FIELDS, { errorMap: () => ({ message: "请选择领域" }) }),
  batch: text({ max: 20 }),
  parties: lineListField({ maxChars: 3000 }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  const writerOrgIds: string[] = [];
  for (const [key, value] of form.entries()) {
    if (key.startsWith("access.") && value === "WRITE" && isId(key.slice(7))) writerOrgIds.push(key.slice(7));
  }
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const parsed = Schema.safeParse({
    title: str("title"),
    ownerOrgId: str("ownerOrgId"),
    field: str("field"),
    batch: str("batch"),
    parties: str("parties"),
  });
  if (!parsed.success) return json(actionError(invalidInput(parsed.error)), { status: 400 });
  const input = { ...parsed.data, writerOrgIds };
  return runAction(async () => {
    const created = await createTypicalCase(user, input, commandContext(request, context));
    return redirect(`/documents/${created.id}`);
  });
}

export default function NewTypicalCase() {
  const { owners, orgs, batch } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  // A refusal that names no field shows above the form.
  const formError = actionData && !actionData.fieldErrors ? [actionData.error] : null;
  const navigation = useNavigation();
  return (
    <>
      <PageHeader
        title="起草典型案例"
        description="正文按 关键词、基本案情、处理结果、典型意义、关联法条 分部分起草；当事人只用于脱敏检查，不会公开。"
      />
      <Form method="post" className="flex flex-col gap-4">
        <FormErrors errors={formError} />
        <Card>
          <div className="grid gap-4 md:grid-cols-3">
            <div className="md:col-span-3">
              <TextField
                label="标题"
                name="title"
                required
                maxLength={100}
                errors={errors.title}
                placeholder="例如：示例市司法局对某县市场监管局行政处罚程序违法监督案"
              />
            </div>
            <SelectField label="牵头发布单位" name="ownerOrgId" required errors={errors.ownerOrgId} options={owners} />
            <SelectField
              label="领域"
              name="field"
              required
              errors={errors.field}
              placeholder="请选择"
              options={CASE_FIELDS.map((f) => ({ value: f, label: f }))}
            />
            <TextField
              label="批次"
              name="batch"
              required
              maxLength={20}
              defaultValue={batch}
              errors={errors.batch}
              hint="例如：2026年上半年"
            />
            <div className="md:col-span-3">
              <label className="flex flex-col gap-1 text-sm">
                <span className="font-medium text-slate-700">当事人（不公开，每行一个姓名或单位名称）</span>
                <textarea
                  name="parties"
                  rows={3}
                  maxLength={3000}
                  className="rounded-md border border-slate-300 px-3 py-2 text-sm"
                  placeholder={"张三\n示例市某某化工有限公司"}
                />
                <FormErrors errors={errors.parties} />
              </label>
            </div>
          </div>
        </Card>
        <Card title="共同发布单位（可选）">
          <FormErrors errors={errors.writerOrgIds} />
          <OrgChoiceList
            orgs={orgs}
            prefix="access"
            choices={[{ value: "WRITE", label: "共同起草、联合发布" }]}
            noneLabel="不参与"
            ariaSuffix="是否参与"
          />
        </Card>
        <div className="flex gap-2">
          <Button type="submit" disabled={navigation.state !== "idle"}>
            {navigation.state !== "idle" ? "正在创建…" : "创建并开始起草"}
          </Button>
          <LinkButton to="/typical-cases">取消</LinkButton>
        </div>
      </Form>
    </>
  );
}
