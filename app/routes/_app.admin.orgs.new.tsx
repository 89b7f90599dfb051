import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OrgFields } from "~/components/admin-fields";
import { Button, Card, FormErrors, LinkButton } from "~/components/ui";
import { adminCreateOrg } from "~/services/admin-orgs.server";
import { OrgSchema, regionOptions, requireAdmin } from "~/services/admin.server";
import { ORG_KINDS, ORG_KIND_LABELS } from "~/domain/organization";
import { runFormAction } from "~/utils/errors";
import type { z } from "~/utils/validation";
import { readFormData } from "~/utils/request.server";

export const meta: MetaFunction = () => [{ title: "新建单位 · 系统管理 · 会商协同" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  return json({
    regionOptions: await regionOptions(ctx),
    kindOptions: ORG_KINDS.map((k) => ({ value: k, label: ORG_KIND_LABELS[k] })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: OrgSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { name, shortName, kind, regionId } = submission.value;
  return runFormAction(submission, async () => {
    const created = await adminCreateOrg(ctx, { name, shortName, kind, regionId });
    return redirect(`/admin/orgs/${created.id}?saved=created`);
  });
}

export default function NewOrg() {
  const { regionOptions, kindOptions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof OrgSchema>>({ lastResult, id: "org-form" });
  const busy = navigation.state === "submitting";
  return (
    <Card title="新建单位" className="max-w-2xl">
      <Form method="post" className="flex flex-col gap-4" {...getFormProps(form)} data-testid="org-form">
        <FormErrors errors={form.errors} />
        <OrgFields fields={fields} kindOptions={kindOptions} regionOptions={regionOptions} autoFocus />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy}>
            {busy ? "正在保存…" : "新建单位"}
          </Button>
          <LinkButton to="/admin/orgs">取消</LinkButton>
        </div>
      </Form>
    </Card>
  );
}
