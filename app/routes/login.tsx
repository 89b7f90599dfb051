import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Landmark } from "lucide-react";
import { Button, FormErrors, TextField } from "~/components/ui";
import { getCurrentUser, SET_PASSWORD_PATH } from "~/services/auth/current-user.server";
import { isDomainError } from "~/domain/errors";
import { signIn } from "~/services/auth/sign-in.server";
import { conformReply } from "~/utils/errors";
import { clientIp, readFormData, safeRedirect } from "~/utils/request.server";
import { z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "登录 · 会商协同" }];

const LoginSchema = z.object({
  username: z.string({ required_error: "请输入用户名" }).max(64, "用户名或密码错误。"),
  password: z.string({ required_error: "请输入密码" }).max(256, "用户名或密码错误。"),
  redirectTo: z.string().max(2000).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  if (user) {
    throw redirect(
      user.mustChangePassword
        ? SET_PASSWORD_PATH
        : safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/"),
    );
  }
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: LoginSchema });
  if (submission.status !== "success") {
    return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { username, password, redirectTo } = submission.value;
  try {
    const signedIn = await signIn({
      username,
      password,
      ip: clientIp(request),
      userAgent: request.headers.get("User-Agent"),
    });
    const target = signedIn.mustChangePassword ? SET_PASSWORD_PATH : safeRedirect(redirectTo, "/");
    return redirect(target, { headers: { "Set-Cookie": signedIn.setCookie } });
  } catch (error) {
    // Wrong credentials (401) or locked (429): the message above the form, the password not echoed.
    if (!isDomainError(error)) throw error;
    return json(submission.reply({ ...conformReply(error), hideFields: ["password"] }), { status: error.status });
  }
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  const busy = navigation.state !== "idle";
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-slate-100 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-lg">
        <div className="mb-6 flex items-center gap-3">
          <Landmark className="h-9 w-9 text-brand-700" aria-hidden />
          <div>
            <h1 className="text-xl font-semibold text-slate-900">会商协同</h1>
            <p className="text-sm text-slate-500">行政执法协调监督 · 联合会商与督办平台</p>
          </div>
        </div>
        <Form method="post" className="flex flex-col gap-4" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
          <TextField
            label="用户名"
            autoComplete="username"
            autoFocus
            errors={fields.username.errors}
            name={fields.username.name}
            defaultValue={fields.username.initialValue}
          />
          <TextField
            label="密码"
            autoComplete="current-password"
            errors={fields.password.errors}
            type="password"
            name={fields.password.name}
          />
          <Button type="submit" disabled={busy} className="mt-2 w-full py-2.5">
            {busy ? "正在登录…" : "登录"}
          </Button>
        </Form>
        <p className="mt-6 text-xs leading-relaxed text-slate-500">
          连续多次输入错误将临时锁定账号。忘记密码请联系本单位系统管理员重置。
        </p>
      </div>
    </main>
  );
}
