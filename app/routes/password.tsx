import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { KeyRound } from "lucide-react";
import { PasswordChangeForm } from "~/components/password-change-form";
import { getCurrentUser, type CurrentUser } from "~/services/auth/current-user.server";
import { passwordChangeAction } from "~/services/auth/change-password.server";

export const meta: MetaFunction = () => [{ title: "设置登录密码 · 会商协同" }];

/**
 * First sign-in after an administrator created the account or reset its password: the user chooses
 * their own password before anything else (every other page and live connection refuses them).
 */
async function requirePendingUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (!user) throw redirect("/login");
  if (!user.mustChangePassword) throw redirect("/");
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePendingUser(request);
  return json({ displayName: user.displayName, username: user.username });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user?.mustChangePassword) {
    // Not for this caller: the body is read and dropped (an unread one would reset the connection).
    await request.arrayBuffer().catch(() => undefined);
    throw redirect(user ? "/" : "/login");
  }
  return passwordChangeAction(request, user, context.events, "/");
}

export default function SetPassword() {
  const { displayName, username } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-slate-100 p-4">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-lg">
        <div className="mb-4 flex items-center gap-3">
          <KeyRound className="h-8 w-8 text-brand-700" aria-hidden />
          <h1 className="text-xl font-semibold text-slate-900">设置您自己的登录密码</h1>
        </div>
        <p className="mb-4 text-sm leading-relaxed text-slate-700">
          {displayName}（{username}
          ），您的账号密码由系统管理员设置。为保护账号安全，请先设置只有您自己知道的新密码，然后再使用系统。
        </p>
        <PasswordChangeForm
          lastResult={lastResult}
          currentLabel="管理员告知的密码"
          submitLabel="设置新密码并进入系统"
        />
        <Form method="post" action="/logout" className="mt-4">
          <button type="submit" className="text-sm text-slate-700 underline">
            退出登录
          </button>
        </Form>
      </div>
    </main>
  );
}
