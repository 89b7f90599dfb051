import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Activity, Building2, KeyRound, ScrollText, Send, UsersRound } from "lucide-react";
import { ErrorPage } from "~/components/error-page";
import { PageHeader, TabNav } from "~/components/ui";
import { requireAdmin } from "~/services/admin.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const scopeNames = ctx.user.memberships.filter((m) => m.role === "ADMIN").map((m) => m.org.region.name);
  return json({ scopeNames: [...new Set(scopeNames)] });
}

const TABS = [
  { to: "/admin/orgs", label: "单位与区划", icon: Building2 },
  { to: "/admin/users", label: "用户", icon: UsersRound },
  { to: "/admin/audit", label: "审计日志", icon: ScrollText },
  { to: "/admin/api-tokens", label: "接口令牌", icon: KeyRound },
  { to: "/admin/webhooks", label: "事件推送", icon: Send },
  { to: "/admin/diagnostics", label: "运行诊断", icon: Activity },
];

export default function AdminLayout() {
  const { scopeNames } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="系统管理" description={`管理范围：${scopeNames.join("、")}及其下辖区划`} />
      <TabNav label="系统管理导航" items={TABS} />
      <Outlet />
    </>
  );
}

function messageOf(data: unknown): string | undefined {
  let value = data;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === "object" && "error" in value) {
    const error = (value as { error?: { message?: unknown } }).error;
    return typeof error?.message === "string" ? error.message : undefined;
  }
  return undefined;
}

/** Errors of the admin pages render inside the app shell, in Chinese (403, 404, …). */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) return <ErrorPage status={error.status} message={messageOf(error.data)} />;
  return <ErrorPage status={500} />;
}
