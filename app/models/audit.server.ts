import type { Prisma, Tx } from "~/db.server";
import { AUDIT_ACTION_LABELS, isAuditAction, type AuditAction } from "~/domain/audit";
import { newId } from "~/utils/ids";

/** The vocabulary lives in the domain; services that record events import it from here too. */
export { AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS, isAuditAction, type AuditAction } from "~/domain/audit";

export interface AuditInput {
  actorId?: string | null;
  actorName?: string | null;
  orgId?: string | null;
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  summary: string;
  ip?: string | null;
}

/** Appends an audit event; pass the transaction of the change it records (architecture.md "Conventions"). */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      id: newId(),
      actorId: input.actorId ?? null,
      actorName: input.actorName ?? null,
      orgId: input.orgId ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      summary: input.summary.slice(0, 1000),
      ip: input.ip ?? null,
    },
  });
}

export interface AuditQuery {
  q?: string;
  action?: string;
  actorId?: string;
  /** Restrict to events by actors/orgs in these org ids; undefined = no restriction. */
  orgIds?: string[];
  page: number;
  pageSize: number;
}

const auditRowSelect = {
  id: true,
  actorName: true,
  action: true,
  targetType: true,
  targetId: true,
  summary: true,
  ip: true,
  at: true,
} as const;

export type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof auditRowSelect }>;

/** One page of the audit trail, newest first, with the number of events matching. */
export async function listAuditEvents(tx: Tx, query: AuditQuery): Promise<{ total: number; rows: AuditRow[] }> {
  const where = {
    ...(query.action ? { action: query.action } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.orgIds ? { OR: [{ orgId: { in: query.orgIds } }, { orgId: null }] } : {}),
    ...(query.q
      ? {
          AND: [
            {
              OR: [
                { summary: { contains: query.q } },
                { actorName: { contains: query.q } },
                { targetId: query.q },
                { ip: { contains: query.q } },
              ],
            },
          ],
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    tx.auditEvent.count({ where }),
    tx.auditEvent.findMany({
      where,
      orderBy: { at: "desc" },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: auditRowSelect,
    }),
  ]);
  return { total, rows };
}

/**
 * The audit events of one record, newest first, as the 办理记录 timeline shows them; `actions` keeps
 * only those actions (`in`) or leaves them out (`notIn`), e.g. a clue's reads (查阅记录) apart from
 * its handling.
 */
export async function listAuditTimeline(
  tx: Tx,
  targetType: string,
  targetId: string,
  format: (d: Date) => string,
  take = 100,
  actions?: { in: readonly AuditAction[] } | { notIn: readonly AuditAction[] },
) {
  const rows = await tx.auditEvent.findMany({
    where: {
      targetType,
      targetId,
      ...(actions ? { action: "in" in actions ? { in: [...actions.in] } : { notIn: [...actions.notIn] } } : {}),
    },
    orderBy: { at: "desc" },
    take,
    select: { id: true, action: true, actorName: true, summary: true, at: true },
  });
  return rows.map((t) => ({
    id: t.id,
    label: isAuditAction(t.action) ? AUDIT_ACTION_LABELS[t.action] : t.action,
    actor: t.actorName,
    summary: t.summary,
    at: format(t.at),
  }));
}
