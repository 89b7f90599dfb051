import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { PasswordChangeForm } from "~/components/password-change-form";
import { Card, Notice, PageHeader } from "~/components/ui";
import { requireUser } from "~/services/auth/current-user.server";
import { passwordChangeAction } from "~/services/auth/change-password.server";
import { ROLE_LABELS, isRole } from "~/domain/organization";

export const meta: MetaFunction = () => [{ title: "账号设置 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({
    username: user.username,
    displayName: user.displayName,
    memberships: user.memberships.map((m) => ({
      id: m.id,
      org: m.org.name,
      role: isRole(m.role) ? ROLE_LABELS[m.role] : m.role,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  return passwordChangeAction(request, user, context.events, "/account?changed=1");
}

export default function Account() {
  const { username, displayName, memberships } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
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
          <PasswordChangeForm lastResult={lastResult} currentLabel="当前密码" submitLabel="修改密码并退出其他设备" />
        </Card>
      </div>
    </>
  );
}
