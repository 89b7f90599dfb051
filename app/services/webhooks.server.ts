import { createHmac, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { lookup } from "node:dns/promises";
import { acquireJobLock, releaseJobLock } from "~/models/job-lock.server";
import type { Actor } from "~/domain/actor";
import { conflict, invalid, notFound } from "~/domain/errors";
import { isId } from "~/domain/ids";
import { recordAudit } from "~/models/audit.server";
import { database, transaction, type Tx } from "~/models/unit-of-work.server";
import { authorizeApiToken } from "~/policies/api-token";
import { enforce } from "~/policies/decision";
import type { CommandContext } from "~/services/context.server";
import { newId } from "~/utils/ids";
import {
  createWebhookDeliveryRow,
  createWebhookSubscriptionRow,
  deactivateWebhookSubscriptionRow,
  getWebhookDeliveryFacts,
  getWebhookSubscription,
  listOrgWebhookDeliveries,
  listOrgWebhookSubscriptions,
  listActiveWebhookSubscriptions,
  listDueWebhookDeliveries,
  requeueFailedWebhookDelivery,
  updateWebhookDelivery,
  webhookDeliveryExists,
} from "~/models/webhook.server";

/**
 * Outbound webhooks of an organisation (ADR 027): its own events are queued as `WebhookDelivery`
 * rows in the transaction of the command that caused them, and one process (the `webhooks` job
 * lease) POSTs them, signed with the subscription's secret, retrying with backoff.
 */

export const WEBHOOK_EVENTS = ["item.overdue", "recommendation.registered", "clue.transferred"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "item.overdue": "事项逾期",
  "recommendation.registered": "建议登记",
  "clue.transferred": "线索移送",
};
/** Delay before attempt n+1 after n failed attempts (1 min, 5 min, 30 min, 2 h, 12 h); attempt 6 is the last. */
export const WEBHOOK_BACKOFF_MS = [60_000, 300_000, 1_800_000, 7_200_000, 43_200_000];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_BACKOFF_MS.length + 1;
export const WEBHOOK_TIMEOUT_MS = 5_000;
export const WEBHOOK_LOCK = "webhooks";

export function isWebhookEvent(e: string): e is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(e);
}

export class WebhookUrlError extends Error {}

/**
 * Syntax checks of a subscription URL: http or https only, no user:password, no fragment. Where it
 * may point (SSRF) is decided at delivery time by `checkWebhookTarget`, after DNS resolution.
 */
export function validateWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new WebhookUrlError("地址格式不正确。");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new WebhookUrlError("地址只能是 http 或 https。");
  if (url.username || url.password) throw new WebhookUrlError("地址中不得包含用户名或密码。");
  if (url.hash) throw new WebhookUrlError("地址中不得包含 # 片段。");
  if (raw.length > 500) throw new WebhookUrlError("地址过长。");
  return url;
}

/**
 * SSRF guard for a government intranet: receivers are other units' systems on private addresses, so
 * private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are allowed; loopback, link-local (cloud
 * metadata 169.254.169.254), "this host" (0.0.0.0/8), multicast and reserved ranges are refused unless
 * the host or address is listed in WEBHOOK_ALLOWED_HOSTS (comma-separated; tests list 127.0.0.1).
 * The resolved address is checked, so a DNS name pointing at loopback is refused too.
 */
export function isForbiddenAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split(".").map(Number);
    return a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224 || (a === 100 && b >= 64 && b < 128);
  }
  const v6 = ip.toLowerCase();
  if (v6.startsWith("::ffff:")) return isForbiddenAddress(v6.slice(7));
  return (
    v6 === "::" ||
    v6 === "::1" ||
    v6.startsWith("fe8") ||
    v6.startsWith("fe9") ||
    v6.startsWith("fea") ||
    v6.startsWith("feb") ||
    v6.startsWith("ff")
  );
}

function allowedHosts(): Set<string> {
  return new Set(
    (process.env.WEBHOOK_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

export async function checkWebhookTarget(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const allowed = allowedHosts();
  if (allowed.has(host)) return;
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    if (isForbiddenAddress(address) && !allowed.has(address)) throw new WebhookUrlError(`目标地址 ${address} 不允许。`);
  }
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("hex")}`;
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, as in the X-Consult-Signature header. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface WebhookSubscriptionInput {
  orgId: string;
  url: string;
  events: string[];
  createdById: string;
}

export async function createWebhookSubscription(
  db: Tx,
  input: WebhookSubscriptionInput,
  newId: () => string,
): Promise<{ id: string; secret: string }> {
  const url = validateWebhookUrl(input.url);
  const events = [...new Set(input.events)].filter(isWebhookEvent);
  if (!events.length || events.length !== new Set(input.events).size) throw new WebhookUrlError("请选择事件。");
  const secret = generateWebhookSecret();
  const id = newId();
  await createWebhookSubscriptionRow(db, {
    id,
    orgId: input.orgId,
    url: url.toString(),
    events: events.join(","),
    secret,
    createdById: input.createdById,
  });
  return { id, secret };
}

/**
 * Queues `event` for every active subscription of `orgIds` that asked for it. Call inside the
 * command's transaction: the delivery exists exactly when the command committed. `dedupeKey` names
 * the occurrence, so the same occurrence is queued once per subscription.
 */
export async function enqueueWebhookEvent(
  tx: Tx,
  input: { orgIds: string[]; event: WebhookEvent; dedupeKey: string; data: unknown; now: Date },
  newId: () => string,
): Promise<number> {
  const subs = await listActiveWebhookSubscriptions(tx, [...new Set(input.orgIds)]);
  let queued = 0;
  for (const sub of subs) {
    if (!sub.events.split(",").includes(input.event)) continue;
    if (await webhookDeliveryExists(tx, sub.id, input.dedupeKey)) continue;
    const id = newId();
    const payload = JSON.stringify({
      id,
      event: input.event,
      orgId: sub.orgId,
      occurredAt: input.now.toISOString(),
      data: input.data,
    });
    await createWebhookDeliveryRow(tx, {
      id,
      subscriptionId: sub.id,
      event: input.event,
      dedupeKey: input.dedupeKey,
      payload,
      nextAttemptAt: input.now,
    });
    queued++;
  }
  return queued;
}

export interface WebhookRunResult {
  ran: boolean;
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * One worker run: takes the `webhooks` lease, sends every PENDING delivery whose nextAttemptAt has
 * come (oldest first, at most `limit`), records the outcome, gives the lease back.
 */
export async function runWebhookDeliveries(
  now: Date,
  options: { holder: string; limit?: number; subscriptionIds?: string[]; leaseMs?: number },
): Promise<WebhookRunResult> {
  const db = database();
  const result: WebhookRunResult = { ran: false, delivered: 0, retried: 0, failed: 0 };
  if (!(await acquireJobLock(db, WEBHOOK_LOCK, options.holder, options.leaseMs ?? 120_000, now))) return result;
  result.ran = true;
  try {
    const due = await listDueWebhookDeliveries(db, now, options.limit ?? 100, options.subscriptionIds);
    for (const d of due) {
      if (!d.subscription.active) {
        await updateWebhookDelivery(db, d.id, { status: "FAILED", lastError: "订阅已停用" });
        result.failed++;
        continue;
      }
      const outcome = await attempt(d.subscription.url, d.subscription.secret, d.id, d.event, d.payload, now);
      const attempts = d.attempts + 1;
      if (outcome.ok) {
        await updateWebhookDelivery(db, d.id, {
          attempts,
          status: "DELIVERED",
          lastStatusCode: outcome.status,
          lastError: null,
          deliveredAt: now,
        });
        result.delivered++;
      } else if (attempts >= WEBHOOK_MAX_ATTEMPTS) {
        await updateWebhookDelivery(db, d.id, {
          attempts,
          status: "FAILED",
          lastStatusCode: outcome.status,
          lastError: outcome.error,
        });
        result.failed++;
      } else {
        await updateWebhookDelivery(db, d.id, {
          attempts,
          lastStatusCode: outcome.status,
          lastError: outcome.error,
          nextAttemptAt: new Date(now.getTime() + WEBHOOK_BACKOFF_MS[attempts - 1]),
        });
        result.retried++;
      }
    }
  } finally {
    await releaseJobLock(db, WEBHOOK_LOCK, options.holder).catch(() => undefined);
  }
  return result;
}

async function attempt(
  rawUrl: string,
  secret: string,
  deliveryId: string,
  event: string,
  body: string,
  now: Date,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const url = new URL(rawUrl);
    await checkWebhookTarget(url);
    const res = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Consult-Webhook/1",
        "X-Consult-Event": event,
        "X-Consult-Delivery": deliveryId,
        "X-Consult-Timestamp": timestamp,
        "X-Consult-Signature": signWebhook(secret, timestamp, body),
      },
      body,
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, error: null };
    return { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { ok: false, status: null, error: msg.slice(0, 200) };
  }
}

interface Caller {
  id: string;
  displayName: string;
  actor: Actor;
}

/** The org's subscriptions and its latest deliveries, for its ADMINs (same policy as API tokens). */
export async function loadWebhooks(caller: Caller, orgId: string) {
  enforce(authorizeApiToken(caller.actor, "list", { orgId }));
  const db = database();
  const [subscriptions, deliveries] = await Promise.all([
    listOrgWebhookSubscriptions(db, orgId),
    listOrgWebhookDeliveries(db, orgId),
  ]);
  return { subscriptions, deliveries };
}

/** Creates a subscription; the secret is returned this once. Audited. */
export async function createWebhook(
  caller: Caller,
  input: { orgId: string; url: string; events: string[] },
  ctx: Pick<CommandContext, "ip" | "now">,
): Promise<{ id: string; secret: string }> {
  enforce(authorizeApiToken(caller.actor, "create", { orgId: input.orgId }));
  try {
    validateWebhookUrl(input.url);
  } catch (err) {
    if (err instanceof WebhookUrlError) throw invalid(err.message, { url: [err.message] });
    throw err;
  }
  if (!input.events.length || !input.events.every(isWebhookEvent))
    throw invalid("请选择要推送的事件。", { events: ["请选择要推送的事件。"] });
  return transaction(async (tx) => {
    const created = await createWebhookSubscription(tx, { ...input, createdById: caller.id }, newId);
    await recordAudit(tx, {
      actorId: caller.id,
      actorName: caller.displayName,
      orgId: input.orgId,
      action: "api.webhook_created",
      targetType: "WebhookSubscription",
      targetId: created.id,
      summary: `创建事件推送 ${new URL(input.url).origin}（${input.events.join("、")}）`,
      ip: ctx.ip,
    });
    return created;
  });
}

/** Deactivates a subscription: nothing more is queued for it, its pending deliveries end FAILED. Audited. */
export async function deactivateWebhook(caller: Caller, id: string, ctx: Pick<CommandContext, "ip" | "now">) {
  if (!isId(id)) throw notFound("事件推送不存在。");
  const row = await getWebhookSubscription(database(), id);
  if (!row) throw notFound("事件推送不存在。");
  enforce(authorizeApiToken(caller.actor, "revoke", { orgId: row.orgId }));
  if (!row.active) return;
  await transaction(async (tx) => {
    await deactivateWebhookSubscriptionRow(tx, row.id);
    await recordAudit(tx, {
      actorId: caller.id,
      actorName: caller.displayName,
      orgId: row.orgId,
      action: "api.webhook_deactivated",
      targetType: "WebhookSubscription",
      targetId: row.id,
      summary: `停用事件推送 ${new URL(row.url).origin}`,
      ip: ctx.ip,
    });
  });
}

/**
 * 重发: a FAILED delivery of an active subscription is queued again with a fresh set of attempts
 * (same delivery id, so a receiver that did process it drops the repeat). The org's ADMINs. Audited.
 */
export async function resendWebhookDelivery(caller: Caller, id: string, ctx: Pick<CommandContext, "ip" | "now">) {
  if (!isId(id)) throw notFound("推送记录不存在。");
  const row = await getWebhookDeliveryFacts(database(), id);
  if (!row) throw notFound("推送记录不存在。");
  enforce(authorizeApiToken(caller.actor, "revoke", { orgId: row.subscription.orgId }));
  if (!row.subscription.active) throw conflict("该事件推送已停用，不能重发。");
  await transaction(async (tx) => {
    if (!(await requeueFailedWebhookDelivery(tx, row.id, ctx.now)))
      throw conflict("只有发送失败的推送可以重发，请刷新后重试。");
    await recordAudit(tx, {
      actorId: caller.id,
      actorName: caller.displayName,
      orgId: row.subscription.orgId,
      action: "api.webhook_resent",
      targetType: "WebhookDelivery",
      targetId: row.id,
      summary: `重发 ${row.event} 推送至 ${new URL(row.subscription.url).origin}`,
      ip: ctx.ip,
    });
  });
}
