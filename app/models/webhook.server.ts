import type { Tx } from "~/db.server";

/** Rows of outbound webhooks (ADR 027): subscriptions and their delivery log. */

export function createWebhookSubscriptionRow(
  db: Tx,
  data: { id: string; orgId: string; url: string; events: string; secret: string; createdById: string },
) {
  return db.webhookSubscription.create({ data, select: { id: true } });
}

export function listActiveWebhookSubscriptions(db: Tx, orgIds: string[]) {
  return db.webhookSubscription.findMany({
    where: { orgId: { in: orgIds }, active: true },
    select: { id: true, orgId: true, events: true },
  });
}

export function listOrgWebhookSubscriptions(db: Tx, orgId: string) {
  return db.webhookSubscription.findMany({
    where: { orgId },
    orderBy: { createdAt: "desc" },
    select: { id: true, url: true, events: true, active: true, createdAt: true },
  });
}

export function getWebhookSubscription(db: Tx, id: string) {
  return db.webhookSubscription.findUnique({
    where: { id },
    select: { id: true, orgId: true, url: true, active: true },
  });
}

export function deactivateWebhookSubscriptionRow(db: Tx, id: string) {
  return db.webhookSubscription.update({ where: { id }, data: { active: false }, select: { id: true } });
}

export async function webhookDeliveryExists(db: Tx, subscriptionId: string, dedupeKey: string): Promise<boolean> {
  const row = await db.webhookDelivery.findUnique({
    where: { subscriptionId_dedupeKey: { subscriptionId, dedupeKey } },
    select: { id: true },
  });
  return row !== null;
}

export function createWebhookDeliveryRow(
  db: Tx,
  data: { id: string; subscriptionId: string; event: string; dedupeKey: string; payload: string; nextAttemptAt: Date },
) {
  return db.webhookDelivery.create({ data, select: { id: true } });
}

export function listDueWebhookDeliveries(db: Tx, now: Date, limit: number, subscriptionIds?: string[]) {
  return db.webhookDelivery.findMany({
    where: {
      status: "PENDING",
      nextAttemptAt: { lte: now },
      ...(subscriptionIds ? { subscriptionId: { in: subscriptionIds } } : {}),
    },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: limit,
    include: { subscription: { select: { url: true, secret: true, active: true } } },
  });
}

export function updateWebhookDelivery(
  db: Tx,
  id: string,
  data: {
    attempts?: number;
    status?: string;
    lastStatusCode?: number | null;
    lastError?: string | null;
    nextAttemptAt?: Date;
    deliveredAt?: Date;
  },
) {
  return db.webhookDelivery.update({ where: { id }, data, select: { id: true } });
}

export function listOrgWebhookDeliveries(db: Tx, orgId: string, take = 100) {
  return db.webhookDelivery.findMany({
    where: { subscription: { orgId } },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      event: true,
      attempts: true,
      status: true,
      lastStatusCode: true,
      lastError: true,
      nextAttemptAt: true,
      deliveredAt: true,
      createdAt: true,
      subscription: { select: { url: true, active: true } },
    },
  });
}

export function getWebhookDelivery(db: Tx, id: string) {
  return db.webhookDelivery.findUnique({ where: { id } });
}

/** A delivery with what deciding a 重发 needs: its subscription's org and state. */
export function getWebhookDeliveryFacts(db: Tx, id: string) {
  return db.webhookDelivery.findUnique({
    where: { id },
    select: { id: true, event: true, status: true, subscription: { select: { orgId: true, active: true, url: true } } },
  });
}

/** FAILED → PENDING with a fresh set of attempts, due now; false when it was not FAILED any more. */
export async function requeueFailedWebhookDelivery(db: Tx, id: string, now: Date): Promise<boolean> {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id, status: "FAILED" },
    data: { status: "PENDING", attempts: 0, nextAttemptAt: now, lastError: null, lastStatusCode: null },
  });
  return count === 1;
}
