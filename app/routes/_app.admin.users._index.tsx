import { parseWithZod } from "@conform-to/zod";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Plus, Search, UsersRound } from "lucide-react";
import { Badge, Button, EmptyState, FormErrors, LinkButton, Notice, Table, Td, TextField } from "~/components/ui";
import { UserSearchSchema, requireAdmin, searchUsers } from "~/services/admin.server";
import { ROLE_LABELS, isRole } from "~/domain/organization";

export const meta: MetaFunction = () => [{ title: "用户 · 系统管理 · 会商协同" }];

const LIMIT = 200;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const url = new URL(request.url);
  const parsed = parseWithZod(url.searchParams, { schema: UserSearchSchema });
  const q = parsed.status === "success" ? (parsed.value.q ?? undefined) : undefined;
  const queryError = parsed.status === "success" ? null : `搜索词${parsed.error?.q?.[0] ?? "有误"}`;
  const users = await searchUsers(ctx, q, LIMIT);
  return json(
    {
      q: parsed.status === "success" ? (q ?? "") : "",
      queryError,
      limited: users.length >= LIMIT,
      users: users.map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        active: u.active,
        memberships: u.memberships.map((m) => ({
          id: m.id,
          orgName: m.org.name,
          role: isRole(m.role) ? ROLE_LABELS[m.role] : m.role,
        })),
      })),
    },
    { status: queryError ? 400 : 200 },
  );
}

export default function AdminUsers() {
  const { q, queryError, limited, users } = useLoaderData<typeof loader>();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <Form method="get" role="search" className="flex flex-wrap items-end gap-2" data-testid="user-search">
          <TextField
            label="搜索用户"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="用户名或姓名"
            maxLength={50}
          />
          <Button type="submit" variant="secondary">
            <Search className="h-4 w-4" aria-hidden />
            搜索
          </Button>
          {q ? (
            <LinkButton to="/admin/users" variant="ghost">
              清除
            </LinkButton>
          ) : null}
        </Form>
        <LinkButton to="/admin/users/new" variant="primary" data-testid="new-user-link">
          <Plus className="h-4 w-4" aria-hidden />
          新建用户
        </LinkButton>
      </div>
      <FormErrors errors={queryError ? [queryError] : null} />
      {limited ? <Notice>仅显示前 {users.length} 个用户，请输入搜索词缩小范围。</Notice> : null}
      {users.length === 0 ? (
        <EmptyState
          icon={<UsersRound className="h-8 w-8 text-slate-300" aria-hidden />}
          title={q ? `没有找到与“${q}”相关的用户` : "管理范围内暂无用户"}
        />
      ) : (
        <Table head={["姓名", "用户名", "单位与角色", "状态", ""]} caption="用户列表">
          {users.map((u) => (
            <tr key={u.id} data-testid="admin-user-row">
              <Td className="whitespace-nowrap font-medium">{u.displayName}</Td>
              <Td className="font-mono text-xs">{u.username}</Td>
              <Td>
                <ul className="flex flex-col gap-0.5">
                  {u.memberships.map((m) => (
                    <li key={m.id} className="text-xs text-slate-600">
                      {m.orgName} · {m.role}
                    </li>
                  ))}
                </ul>
              </Td>
              <Td>{u.active ? <Badge tone="green">启用</Badge> : <Badge tone="slate">停用</Badge>}</Td>
              <Td className="whitespace-nowrap text-right">
                <Link
                  to={`/admin/users/${u.id}`}
                  className="text-brand-700 hover:underline"
                  aria-label={`管理用户 ${u.displayName}`}
                >
                  管理
                </Link>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
