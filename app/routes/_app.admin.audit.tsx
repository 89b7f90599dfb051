import { parseWithZod } from "@conform-to/zod";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ScrollText, Search } from "lucide-react";
import {
  Button,
  EmptyState,
  FormErrors,
  LinkButton,
  Pagination,
  SelectField,
  Table,
  Td,
  TextField,
} from "~/components/ui";
import { AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS, isAuditAction } from "~/domain/audit";
import { AuditSearchSchema, requireAdmin, searchAuditLog } from "~/services/admin.server";
import { formatDateTime } from "~/domain/dates";

export const meta: MetaFunction = () => [{ title: "审计日志 · 系统管理 · 会商协同" }];

const PAGE_SIZE = 50;

const FIELD_LABELS: Record<string, string> = { q: "搜索词", action: "操作类型", page: "页码" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const parsed = parseWithZod(new URL(request.url).searchParams, { schema: AuditSearchSchema });
  const filters = parsed.status === "success" ? parsed.value : { q: null, action: null, page: undefined };
  const queryErrors =
    parsed.status === "success"
      ? []
      : Object.entries(parsed.error ?? {}).flatMap(([field, messages]) =>
          (messages ?? []).map((m) => `${FIELD_LABELS[field] ?? "查询条件"}：${m}`),
        );
  const page = filters.page ?? 1;
  const { total, rows } = await searchAuditLog(ctx, {
    q: filters.q ?? undefined,
    action: filters.action ?? undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  return json(
    {
      q: filters.q ?? "",
      action: filters.action ?? "",
      page,
      total,
      pageCount: Math.ceil(total / PAGE_SIZE),
      queryErrors,
      actionOptions: Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label })),
      rows: rows.map((r) => ({
        id: r.id,
        at: formatDateTime(r.at),
        actor: r.actorName ?? "系统",
        action: isAuditAction(r.action) ? AUDIT_ACTION_LABELS[r.action] : r.action,
        actionCode: r.action,
        summary: r.summary,
        targetType: AUDIT_TARGET_LABELS[r.targetType] ?? r.targetType,
        targetLink:
          r.targetId && r.targetType === "User"
            ? `/admin/users/${r.targetId}`
            : r.targetId && r.targetType === "Organization"
              ? `/admin/orgs/${r.targetId}`
              : null,
        ip: r.ip,
      })),
    },
    { status: queryErrors.length ? 400 : 200 },
  );
}

export default function AdminAudit() {
  const { q, action, page, total, pageCount, queryErrors, actionOptions, rows } = useLoaderData<typeof loader>();
  const hrefFor = (p: number) => {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    if (action) params.set("action", action);
    params.set("page", String(p));
    return `/admin/audit?${params.toString()}`;
  };
  return (
    <div className="flex flex-col gap-4">
      <Form method="get" role="search" className="flex flex-wrap items-end gap-2" data-testid="audit-search">
        <div className="min-w-[12rem] flex-1 sm:max-w-xs">
          <TextField
            label="搜索"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="摘要、操作人、IP 或对象 ID"
            maxLength={100}
          />
        </div>
        <SelectField
          label="操作类型"
          name="action"
          defaultValue={action}
          options={actionOptions}
          placeholder="全部操作"
        />
        <Button type="submit" variant="secondary">
          <Search className="h-4 w-4" aria-hidden />
          筛选
        </Button>
        {q || action ? (
          <LinkButton to="/admin/audit" variant="ghost">
            清除
          </LinkButton>
        ) : null}
      </Form>
      <FormErrors errors={queryErrors} />
      {rows.length === 0 ? (
        <EmptyState
          icon={<ScrollText className="h-8 w-8 text-slate-300" aria-hidden />}
          title={q || action ? "没有符合条件的审计记录" : "暂无审计记录"}
        />
      ) : (
        <Table head={["时间", "操作人", "操作", "摘要", "对象", "IP"]} caption="审计日志">
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row" data-action={r.actionCode}>
              <Td className="whitespace-nowrap text-xs text-slate-600">{r.at}</Td>
              <Td className="whitespace-nowrap">{r.actor}</Td>
              <Td className="whitespace-nowrap">{r.action}</Td>
              <Td className="min-w-[16rem]">{r.summary}</Td>
              <Td className="whitespace-nowrap text-xs">
                {r.targetLink ? (
                  <Link to={r.targetLink} className="text-brand-700 hover:underline">
                    {r.targetType}
                  </Link>
                ) : (
                  r.targetType
                )}
              </Td>
              <Td className="whitespace-nowrap font-mono text-xs text-slate-500">{r.ip ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} hrefFor={hrefFor} />
    </div>
  );
}
