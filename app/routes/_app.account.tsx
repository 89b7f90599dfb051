import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Button, Card, FormErrors, Notice, PageHeader, TextField } from "~/components/ui";
import { requireUser } from "~/services/auth/current-user.server";
import { changePassword } from "~/services/auth/change-password.server";
import { PASSWORD_RULE, isAcceptablePassword } from "~/utils/password-rule";
import { ROLE_LABELS, isRole } from "~/utils/domain";
import { clientIp, readFormData } from "~/utils/request.server";
import { z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "账号设置 · 会商协同" }];

const PasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: "请输入当前密码" }).max(256, "当前密码不正确"),
    newPassword: z.string({ required_error: "请输入新密码" }).refine(isAcceptablePassword, PASSWORD_RULE),
    confirmPassword: z.string({ required_error: "请再次输入新密码" }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "两次输入的新密码不一致", path: ["confirmPassword"] })
  .refine((v) => v.newPassword !== v.currentPassword, { message: "新密码不能与当前密码相同", path: ["newPassword"] });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({
    username: user.username,
    displayName: user.displayName,
    memberships: user.memberships.map((m) => ({ id: m.id, org: m.org.name, role: isRole(m.role) ? ROLE_LABELS[m.role] : m.role })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readFormData(request), { schema: PasswordSchema });
  const hide = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") return json(submission.reply({ hideFields: hide }), { status: 400 });
  const result = await changePassword({
    userId: user.id,
    displayName: user.displayName,
    orgId: user.memberships[0]?.org.id ?? null,
    currentPassword: submission.value.currentPassword,
    newPassword: submission.value.newPassword,
    ip: clientIp(request),
    userAgent: request.headers.get("User-Agent"),
  });
  if (!result.ok) return json(submission.reply({ fieldErrors: { [result.field]: [result.message] }, hideFields: hide }), { status: 400 });
  return redirect("/account?changed=1", { headers: { "Set-Cookie": result.setCookie } });
}

export default function Account() {
  const { username, displayName, memberships } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({ lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordSchema }), shouldValidate: "onBlur" });
  return (
    <>
      <PageHeader title="账号设置" description={`${displayName}（${username}）`} />
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="所属单位与角色">
          <ul className="flex flex-col gap-2 text-sm">
            {memberships.map((m) => (
              <li key={m.id}>
                {m.org} · <span className="text-slate-500">{m.role}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="修改密码">
          {params.get("changed") ? (
            <div className="mb-4">
              <Notice tone="success">密码已修改。其他设备上的登录已全部退出。</Notice>
            </div>
          ) : null}
          <Form method="post" className="flex flex-col gap-3" {...getFormProps(form)}>
            <FormErrors errors={form.errors} />
            <TextField label="当前密码" type="password" autoComplete="current-password" name={fields.currentPassword.name} errors={fields.currentPassword.errors} required />
            <TextField label="新密码" type="password" autoComplete="new-password" name={fields.newPassword.name} errors={fields.newPassword.errors} hint={PASSWORD_RULE} required />
            <TextField label="确认新密码" type="password" autoComplete="new-password" name={fields.confirmPassword.name} errors={fields.confirmPassword.errors} required />
            <div>
              <Button type="submit" disabled={navigation.state !== "idle"}>
                修改密码并退出其他设备
              </Button>
            </div>
          </Form>
        </Card>
      </div>
    </>
  );
}
