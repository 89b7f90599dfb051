import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { KeyRound } from "lucide-react";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  FormErrors,
  Notice,
  SelectField,
  Table,
  Td,
  TextField,
} from "~/components/ui";
import { API_SCOPE_LABELS, API_TOKEN_MAX_DAYS, isApiScope } from "~/domain/api-token";
import { formatDateTime } from "~/domain/dates";
import { invalid } from "~/domain/errors";
import { apiTokenOrgIds } from "~/policies/api-token";
import { requireAdmin } from "~/services/admin.server";
import { createToken, loadApiTokens, revokeToken } from "~/services/api-tokens.server";
import { commandContext } from "~/services/context.server";
import { runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { idField, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "接口令牌 · 系统管理 · 会商协同" }];

/** The org whose tokens the page shows: `?org=` among the orgs the user is ADMIN of, else the first. */
function chosenOrg(orgIds: string[], asked: string | null): string | null {
  return asked && orgIds.includes(asked) ? asked : (orgIds[0] ?? null);
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const orgIds = apiTokenOrgIds(ctx.user.actor);
  const orgs = ctx.user.memberships
    .filter((m) => m.role === "ADMIN")
    .map((m) => ({ id: m.org.id, name: m.org.name }))
    .filter((o, i, all) => all.findIndex((x) => x.id === o.id) === i);
  const orgId = chosenOrg(orgIds, new URL(request.url).searchParams.get("org"));
  const now = Date.now();
  const tokens = orgId ? await loadApiTokens(ctx.user, orgId) : [];
  return json({
    orgs,
    orgId,
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      scope: isApiScope(t.scopes) ? API_SCOPE_LABELS[t.scopes] : t.scopes,
      expiresAt: formatDateTime(t.expiresAt),
      expired: t.expiresAt.getTime() <= now,
      lastUsedAt: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : null,
      revokedAt: t.revokedAt ? formatDateTime(t.revokedAt) : null,
    })),
  });
}

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    orgId: idField,
    name: z.string().trim().min(1, "请填写令牌名称").max(60, "名称不超过 60 个字"),
    scope: z.enum(["READ", "READ_WRITE"], { errorMap: () => ({ message: "请选择权限范围" }) }),
    days: z.coerce
      .number({ invalid_type_error: "请填写天数" })
      .int("请填写整数天数")
      .min(1, "有效期至少 1 天")
      .max(API_TOKEN_MAX_DAYS, `有效期最长 ${API_TOKEN_MAX_DAYS} 天`),
  }),
  z.object({ intent: z.literal("revoke"), tokenId: idField }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const command = commandContext(request, context);
  return runAction(async () => {
    const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)));
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? "填写的内容有误。");
    const v = parsed.data;
    switch (v.intent) {
      case "create": {
        const created = await createToken(
          ctx.user,
          { orgId: v.orgId, name: v.name, scope: v.scope, days: v.days },
          command,
        );
        return json({ ok: true as const, token: created.token, name: v.name });
      }
      case "revoke":
        await revokeToken(ctx.user, v.tokenId, command);
        return json({ ok: true as const, token: null, name: null });
    }
  });
}

export default function ApiTokens() {
  const { orgs, orgId, tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  if (!orgId) return <Notice>您不是任何单位的系统管理员，不能管理接口令牌。</Notice>;
  return (
    <div className="flex flex-col gap-4">
      {orgs.length > 1 ? (
        <nav aria-label="选择单位" className="flex flex-wrap gap-2 text-sm">
          {orgs.map((o) => (
            <Link
              key={o.id}
              to={`?org=${o.id}`}
              aria-current={o.id === orgId ? "page" : undefined}
              className={o.id === orgId ? "font-semibold text-slate-900" : "text-brand-700 hover:underline"}
            >
              {o.name}
            </Link>
          ))}
        </nav>
      ) : null}
      {result && result.ok && result.token ? <NewToken name={result.name ?? ""} token={result.token} /> : null}
      {result && !result.ok ? <FormErrors errors={[result.error]} /> : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="新建接口令牌" className="self-start">
          <Form method="post" className="flex flex-col gap-3">
            <input type="hidden" name="intent" value="create" />
            <input type="hidden" name="orgId" value={orgId} />
            <TextField label="名称" name="name" required maxLength={60} hint="例如：市政务数据平台" />
            <SelectField
              label="权限范围"
              name="scope"
              required
              defaultValue="READ"
              hint="只读：查询台账、建议书、线索、府院联动数据等；读写：另可报送事项进展，签收、退回和反馈线索。"
              options={[
                { value: "READ", label: "只读" },
                { value: "READ_WRITE", label: "读写" },
              ]}
            />
            <TextField
              label="有效期（天）"
              name="days"
              type="number"
              min={1}
              max={API_TOKEN_MAX_DAYS}
              defaultValue="90"
              required
              hint={`1 至 ${API_TOKEN_MAX_DAYS} 天`}
            />
            <Button type="submit" disabled={busy}>
              创建令牌
            </Button>
          </Form>
        </Card>
        <div className="min-w-0 lg:col-span-2">
          <Card title={`本单位的接口令牌（${tokens.length}）`}>
            {tokens.length === 0 ? (
              <EmptyState icon={<KeyRound className="h-8 w-8 text-slate-300" aria-hidden />} title="尚未创建接口令牌" />
            ) : (
              <Table head={["名称", "前缀", "权限", "到期", "最近使用", "状态", "操作"]} caption="接口令牌">
                {tokens.map((t) => (
                  <tr key={t.id} data-testid="api-token-row">
                    <Td>{t.name}</Td>
                    <Td className="font-mono text-xs">{t.prefix}…</Td>
                    <Td>{t.scope === "READ_WRITE" ? "读写" : "只读"}</Td>
                    <Td>{t.expiresAt}</Td>
                    <Td>{t.lastUsedAt ?? "从未使用"}</Td>
                    <Td>
                      {t.revokedAt ? (
                        <Badge tone="slate">已吊销（{t.revokedAt}）</Badge>
                      ) : t.expired ? (
                        <Badge tone="slate">已过期</Badge>
                      ) : (
                        <Badge tone="green">有效</Badge>
                      )}
                    </Td>
                    <Td>
                      {t.revokedAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={t.id} />
                          <Button
                            type="submit"
                            variant="danger"
                            className="py-1"
                            disabled={busy}
                            aria-label={`吊销令牌「${t.name}」`}
                          >
                            吊销
                          </Button>
                        </Form>
                      )}
                    </Td>
                  </tr>
                ))}
              </Table>
            )}
          </Card>
        </div>
      </div>
      <p className="text-sm text-slate-600">
        令牌以本单位协调员的权限访问数据交换接口，每次调用都记入审计日志。接口说明见{" "}
        <a href="/api/docs" className="text-brand-700 underline">
          接口文档
        </a>
        。
      </p>
    </div>
  );
}

/** The new token, shown this once. */
function NewToken({ name, token }: { name: string; token: string }) {
  return (
    <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
      <p className="font-medium text-amber-900">已创建接口令牌「{name}」。令牌只显示这一次，请立即复制并妥善保管：</p>
      <code className="mt-2 block break-all rounded bg-white p-2 font-mono text-sm" data-testid="new-api-token">
        {token}
      </code>
      <p className="mt-2 text-amber-900">调用时放在请求头中：Authorization: Bearer &lt;令牌&gt;。不要放在网址里。</p>
    </div>
  );
}
