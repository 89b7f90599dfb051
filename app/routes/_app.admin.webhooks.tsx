import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Send } from "lucide-react";
import { Badge, Button, Card, EmptyState, FormErrors, Notice, Table, Td, TextField } from "~/components/ui";
import { formatDateTime } from "~/domain/dates";
import { invalid } from "~/domain/errors";
import { apiTokenOrgIds } from "~/policies/api-token";
import { requireAdmin } from "~/services/admin.server";
import { commandContext } from "~/services/context.server";
import {
  createWebhook,
  deactivateWebhook,
  resendWebhookDelivery,
  isWebhookEvent,
  loadWebhooks,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENTS,
} from "~/services/webhooks.server";
import { runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { idField, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "事件推送 · 系统管理 · 会商协同" }];

const STATUS_LABELS: Record<string, string> = { PENDING: "待发送", DELIVERED: "已送达", FAILED: "失败" };

const eventLabel = (e: string) => (isWebhookEvent(e) ? WEBHOOK_EVENT_LABELS[e] : e);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const orgIds = apiTokenOrgIds(ctx.user.actor);
  const orgs = ctx.user.memberships
    .filter((m) => m.role === "ADMIN")
    .map((m) => ({ id: m.org.id, name: m.org.name }))
    .filter((o, i, all) => all.findIndex((x) => x.id === o.id) === i);
  const asked = new URL(request.url).searchParams.get("org");
  const orgId = asked && orgIds.includes(asked) ? asked : (orgIds[0] ?? null);
  const data = orgId ? await loadWebhooks(ctx.user, orgId) : { subscriptions: [], deliveries: [] };
  return json({
    orgs,
    orgId,
    subscriptions: data.subscriptions.map((s) => ({
      id: s.id,
      url: s.url,
      events: s.events.split(",").map(eventLabel).join("、"),
      active: s.active,
      createdAt: formatDateTime(s.createdAt),
    })),
    deliveries: data.deliveries.map((d) => ({
      id: d.id,
      url: d.subscription.url,
      active: d.subscription.active,
      event: eventLabel(d.event),
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      at: formatDateTime(d.deliveredAt ?? d.nextAttemptAt),
      createdAt: formatDateTime(d.createdAt),
    })),
  });
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), orgId: idField, url: z.string().trim().min(1, "请填写接收地址").max(500) }),
  z.object({ intent: z.literal("deactivate"), subscriptionId: idField }),
  z.object({ intent: z.literal("resend"), deliveryId: idField }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const command = commandContext(request, context);
  return runAction(async () => {
    const form = await readFormData(request);
    const parsed = Intent.safeParse(Object.fromEntries(form));
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? "填写的内容有误。");
    const v = parsed.data;
    switch (v.intent) {
      case "create": {
        const events = form.getAll("events").map(String);
        const created = await createWebhook(ctx.user, { orgId: v.orgId, url: v.url, events }, command);
        return json({ ok: true as const, secret: created.secret });
      }
      case "deactivate":
        await deactivateWebhook(ctx.user, v.subscriptionId, command);
        return json({ ok: true as const, secret: null });
      case "resend":
        await resendWebhookDelivery(ctx.user, v.deliveryId, command);
        return json({ ok: true as const, secret: null });
    }
  });
}

export default function Webhooks() {
  const { orgs, orgId, subscriptions, deliveries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  if (!orgId) return <Notice>您不是任何单位的系统管理员，不能管理事件推送。</Notice>;
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
      {result && result.ok && result.secret ? (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
          <p className="font-medium text-amber-900">已创建事件推送。签名密钥只显示这一次，请立即复制到接收系统：</p>
          <code
            className="mt-2 block break-all rounded bg-white p-2 font-mono text-sm"
            data-testid="new-webhook-secret"
          >
            {result.secret}
          </code>
        </div>
      ) : null}
      {result && !result.ok ? <FormErrors errors={[result.error]} /> : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="新建事件推送" className="self-start">
          <Form method="post" className="flex flex-col gap-3">
            <input type="hidden" name="intent" value="create" />
            <input type="hidden" name="orgId" value={orgId} />
            <TextField
              label="接收地址"
              name="url"
              required
              maxLength={500}
              hint="http:// 或 https://，不含用户名密码"
            />
            <fieldset className="flex flex-col gap-1 text-sm">
              <legend className="font-medium">推送的事件</legend>
              {WEBHOOK_EVENTS.map((e) => (
                <label key={e} className="flex items-center gap-2">
                  <input type="checkbox" name="events" value={e} defaultChecked /> {WEBHOOK_EVENT_LABELS[e]}（{e}）
                </label>
              ))}
            </fieldset>
            <Button type="submit" disabled={busy}>
              创建
            </Button>
          </Form>
        </Card>
        <div className="lg:col-span-2">
          <Card title={`本单位的事件推送（${subscriptions.length}）`}>
            {subscriptions.length === 0 ? (
              <EmptyState icon={<Send className="h-8 w-8 text-slate-300" aria-hidden />} title="尚未创建事件推送" />
            ) : (
              <Table head={["接收地址", "事件", "创建", "状态", "操作"]} caption="事件推送">
                {subscriptions.map((s) => (
                  <tr key={s.id} data-testid="webhook-row">
                    <Td className="break-all font-mono text-xs">{s.url}</Td>
                    <Td>{s.events}</Td>
                    <Td>{s.createdAt}</Td>
                    <Td>{s.active ? <Badge tone="green">启用</Badge> : <Badge tone="slate">已停用</Badge>}</Td>
                    <Td>
                      {s.active ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="deactivate" />
                          <input type="hidden" name="subscriptionId" value={s.id} />
                          <Button type="submit" variant="danger" className="py-1" disabled={busy}>
                            停用
                          </Button>
                        </Form>
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </Table>
            )}
          </Card>
        </div>
      </div>
      <DeliveryLog deliveries={deliveries} busy={busy} />
      <p className="text-sm text-slate-600">
        每次推送为 JSON 的 POST 请求，带 X-Consult-Event、X-Consult-Delivery、X-Consult-Timestamp 和
        X-Consult-Signature（sha256=HMAC-SHA256(密钥, &quot;时间戳.请求体&quot;)）；失败后按 1 分钟、5 分钟、30 分钟、2
        小时、12 小时重试，共 6 次。接收方应核对签名、拒绝 5 分钟以前的时间戳，并按投递编号去重。说明见{" "}
        <a href="/api/docs" className="text-brand-700 underline">
          接口文档
        </a>
        。
      </p>
    </div>
  );
}

/** The org's latest deliveries with their status. */
function DeliveryLog({
  deliveries,
  busy,
}: {
  deliveries: ReturnType<typeof useLoaderData<typeof loader>>["deliveries"];
  busy: boolean;
}) {
  return (
    <Card title="最近的推送记录">
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-600">暂无推送记录。</p>
      ) : (
        <Table head={["事件", "接收地址", "状态", "尝试次数", "最近结果", "时间", "操作"]} caption="推送记录">
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="webhook-delivery-row">
              <Td>{d.event}</Td>
              <Td className="break-all font-mono text-xs">{d.url}</Td>
              <Td>
                <Badge tone={d.status === "DELIVERED" ? "green" : "slate"}>{STATUS_LABELS[d.status] ?? d.status}</Badge>
              </Td>
              <Td>{d.attempts}</Td>
              <Td>{d.lastStatusCode ?? d.lastError ?? "—"}</Td>
              <Td>{d.at}</Td>
              <Td>
                {d.status === "FAILED" && d.active ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="resend" />
                    <input type="hidden" name="deliveryId" value={d.id} />
                    <Button
                      type="submit"
                      variant="secondary"
                      className="py-1"
                      disabled={busy}
                      aria-label={`重发 ${d.event} 推送（${d.at}）`}
                    >
                      重发
                    </Button>
                  </Form>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
