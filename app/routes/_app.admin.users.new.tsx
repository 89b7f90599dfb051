import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MembershipFields } from "~/components/admin-fields";
import { Button, Card, FormErrors, LinkButton, TextField } from "~/components/ui";
import { adminCreateUser } from "~/services/admin-users.server";
import { PASSWORD_RULE, UserCreateSchema, orgOptions, requireAdmin } from "~/services/admin.server";
import { ROLES, ROLE_LABELS } from "~/domain/organization";
import { runFormAction } from "~/utils/errors";
import type { z } from "~/utils/validation";
import { readFormData } from "~/utils/request.server";

export const meta: MetaFunction = () => [{ title: "新建用户 · 系统管理 · 会商协同" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const options = await orgOptions(ctx);
  const wanted = new URL(request.url).searchParams.get("orgId");
  return json({
    orgOptions: options,
    defaultOrgId: options.some((o) => o.value === wanted) ? wanted : null,
    roleOptions: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
    passwordRule: PASSWORD_RULE,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: UserCreateSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  return runFormAction(
    submission,
    async () => {
      const created = await adminCreateUser(ctx, submission.value);
      return redirect(`/admin/users/${created.id}?saved=created`);
    },
    { hideFields: ["password"] },
  );
}

export default function NewUser() {
  const { orgOptions, defaultOrgId, roleOptions, passwordRule } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof UserCreateSchema>>({
    lastResult,
    id: "user-form",
    defaultValue: { orgId: defaultOrgId ?? "" },
  });
  const busy = navigation.state === "submitting";
  return (
    <Card title="新建用户" className="max-w-2xl">
      <Form
        method="post"
        className="flex flex-col gap-4"
        autoComplete="off"
        {...getFormProps(form)}
        data-testid="user-form"
      >
        <FormErrors errors={form.errors} />
        <div className="grid gap-4 md:grid-cols-2">
          <TextField
            label="用户名"
            required
            autoFocus
            autoComplete="off"
            name={fields.username.name}
            errors={fields.username.errors}
            defaultValue={fields.username.initialValue}
            maxLength={32}
            hint="3–32 位小写字母、数字、点、下划线或连字符，用于登录"
          />
          <TextField
            label="姓名"
            required
            name={fields.displayName.name}
            errors={fields.displayName.errors}
            defaultValue={fields.displayName.initialValue}
            maxLength={30}
          />
        </div>
        <TextField
          label="初始密码"
          required
          type="password"
          autoComplete="new-password"
          name={fields.password.name}
          errors={fields.password.errors}
          maxLength={128}
          hint={`${passwordRule}。请通过安全渠道告知用户。`}
        />
        <MembershipFields fields={fields} orgOptions={orgOptions} roleOptions={roleOptions} orgLabel="所属单位" />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy}>
            {busy ? "正在保存…" : "新建用户"}
          </Button>
          <LinkButton to="/admin/users">取消</LinkButton>
        </div>
      </Form>
    </Card>
  );
}
