import { markSearchDirty } from "~/models/search.server";
import type { Prisma, Tx } from "~/db.server";
import { supervisingRegionPaths, type Actor } from "~/domain/actor";
import type { ItemFacts, ItemKind } from "~/domain/tracked-item";
import { addMonthsIso, chinaDay, endOfChinaDay } from "~/domain/dates";
import { ENFORCEMENT_KINDS, ENFORCEMENT_SUPERVISING_KINDS, SUPERVISING_KINDS } from "~/domain/organization";
import { belowRegionWhere } from "~/models/region.server";

/** A `trackedItem` node as found in a document's ProseMirror JSON. */
export interface ItemNode {
  itemId: string;
  number: number;
  wording: string;
  leadOrgId: string | null;
  supportingOrgIds: string[];
  dueDate: string | null;
  feedbackCycle: "NONE" | "WEEKLY" | "MONTHLY";
  /** 督办单位 of a supervised case (empty: the listing's supervising orgs). */
  supervisorOrgIds: string[];
  /** 责任人 and 整改标准 of a rectification measure. */
  responsible: string | null;
  standard: string | null;
}

type PM = { type?: unknown; attrs?: Record<string, unknown>; content?: unknown; text?: unknown };

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function textOf(node: PM): string {
  if (typeof node.text === "string") return node.text;
  return Array.isArray(node.content) ? (node.content as PM[]).map(textOf).join("") : "";
}

function shortText(v: unknown, max: number): string | null {
  if (typeof v !== "string") return null;
  const t = v.replace(/\s+/g, " ").trim().slice(0, max);
  return t || null;
}

/** The `supportingOrgIds` attribute: a comma-separated string (or, tolerated, an array) of org ids. */
export function parseOrgIds(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : [];
  return [...new Set(list.map((x) => String(x).trim()).filter((x) => ID.test(x)))];
}

/** Finds the `trackedItem` nodes of a document in order; nodes without a valid id are ignored. */
export function findItemNodes(doc: unknown): ItemNode[] {
  const out: ItemNode[] = [];
  const seen = new Set<string>();
  const walk = (node: PM) => {
    if (!node || typeof node !== "object") return;
    if (node.type === "trackedItem") {
      const a = node.attrs ?? {};
      const itemId = typeof a.itemId === "string" ? a.itemId : "";
      if (ID.test(itemId) && !seen.has(itemId)) {
        seen.add(itemId);
        const lead = typeof a.leadOrgId === "string" && ID.test(a.leadOrgId) ? a.leadOrgId : null;
        const cycle = a.feedbackCycle === "WEEKLY" || a.feedbackCycle === "MONTHLY" ? a.feedbackCycle : "NONE";
        out.push({
          itemId,
          number: out.length + 1,
          wording: textOf(node).replace(/\s+/g, " ").trim().slice(0, 2000),
          leadOrgId: lead,
          supportingOrgIds: parseOrgIds(a.supportingOrgIds).filter((id) => id !== lead),
          dueDate:
            typeof a.dueDate === "string" && DATE.test(a.dueDate) && !Number.isNaN(endOfChinaDay(a.dueDate).getTime())
              ? a.dueDate
              : null,
          feedbackCycle: cycle,
          supervisorOrgIds: parseOrgIds(a.supervisorOrgIds),
          responsible: shortText(a.responsible, 50),
          standard: shortText(a.standard, 500),
        });
      }
      return;
    }
    if (Array.isArray(node.content)) for (const child of node.content as PM[]) walk(child);
  };
  walk(doc as PM);
  return out;
}

// Defined in the (pure) policy module, which the browser shares; re-exported for existing imports.
import { KIND_BY_DOCUMENT_TYPE as KINDS_OF_DOCUMENT_TYPES } from "~/domain/tracked-item";
export const KIND_BY_DOCUMENT_TYPE: Record<string, ItemKind> = KINDS_OF_DOCUMENT_TYPES;

export interface SyncResult {
  created: number;
  updated: number;
  removed: number;
  /** Ids of the rows created or brought back (undo), for open editors to link their blocks. */
  appeared: string[];
}

/**
 * Derives the document's TrackedItem rows from its content (architecture.md "Document formats"): new nodes create rows,
 * changed nodes update them, nodes gone from the text mark their rows REMOVED (an undo brings them
 * back). Rows of a draft stay DRAFT. Only runs while the document is a draft, or with `frozen` for
 * the version being finalized. Unknown or inactive orgs are dropped; an id already used by another
 * document is ignored.
 */
// eslint-disable-next-line max-lines-per-function -- one reconciliation of content against rows inside a transaction; split, its invariants would be spread over helpers
export async function syncTrackedItems(
  tx: Tx,
  documentId: string,
  content: unknown,
  opts: { frozen?: boolean; now?: Date } = {},
): Promise<SyncResult> {
  const now = opts.now ?? new Date();
  const result: SyncResult = { created: 0, updated: 0, removed: 0, appeared: [] };
  const doc = await tx.document.findUnique({
    where: { id: documentId },
    select: {
      type: true,
      status: true,
      title: true,
      ownerOrgId: true,
      consultation: { select: { id: true, series: true } },
      members: { where: { access: "WRITE", orgId: { not: null } }, select: { orgId: true } },
    },
  });
  if (!doc) return result;
  const kind = KIND_BY_DOCUMENT_TYPE[doc.type];
  if (!kind || (doc.status !== "DRAFT" && !opts.frozen)) return result;
  const nodes = findItemNodes(content);
  // A supervised case without named 督办单位 is supervised by every org drafting the listing.
  const listingSupervisors = [doc.ownerOrgId, ...doc.members.map((m) => m.orgId as string)];
  const orgIds = [
    ...new Set(
      nodes
        .flatMap((n) => [
          n.leadOrgId,
          ...n.supportingOrgIds,
          ...n.supervisorOrgIds,
          ...(kind === "SUPERVISED_CASE" ? listingSupervisors : []),
        ])
        .filter((x): x is string => Boolean(x)),
    ),
  ];
  const orgs = new Map(
    (
      await tx.organization.findMany({ where: { id: { in: orgIds }, active: true }, select: { id: true, name: true } })
    ).map((o) => [o.id, o.name]),
  );
  const existing = new Map(
    (
      await tx.trackedItem.findMany({
        where: { id: { in: nodes.map((n) => n.itemId) } },
        select: {
          id: true,
          sourceDocumentId: true,
          status: true,
          number: true,
          wording: true,
          leadOrgId: true,
          dueDate: true,
          feedbackCycle: true,
          responsible: true,
          standard: true,
          orgs: { select: { orgId: true, role: true } },
        },
      })
    ).map((r) => [r.id, r]),
  );
  for (const n of nodes) {
    const lead = n.leadOrgId && orgs.has(n.leadOrgId) ? n.leadOrgId : null;
    const supporting = n.supportingOrgIds.filter((id) => orgs.has(id));
    const dueDate = n.dueDate ? endOfChinaDay(n.dueDate) : null;
    const searchText = [n.wording, lead ? orgs.get(lead) : "", ...supporting.map((id) => orgs.get(id)), doc.title]
      .join(" ")
      .toLowerCase();
    const measure = kind === "RECTIFICATION_MEASURE";
    const data: {
      number: number;
      wording: string;
      leadOrgId: string | null;
      dueDate: Date | null;
      feedbackCycle: string;
      searchText: string;
      responsible: string | null;
      standard: string | null;
    } = {
      number: n.number,
      wording: n.wording,
      leadOrgId: lead,
      dueDate,
      feedbackCycle: n.feedbackCycle,
      searchText,
      responsible: measure ? n.responsible : null,
      standard: measure ? n.standard : null,
    };
    const working = new Set([lead, ...supporting]);
    const named = n.supervisorOrgIds.filter((id) => orgs.has(id));
    const supervisors =
      kind === "SUPERVISED_CASE"
        ? (named.length ? named : listingSupervisors.filter((id) => orgs.has(id))).filter((id) => !working.has(id))
        : [];
    const roles = [
      ...(lead ? [{ orgId: lead, role: "LEAD" }] : []),
      ...supporting.map((orgId) => ({ orgId, role: "SUPPORTING" })),
      ...[...new Set(supervisors)].map((orgId) => ({ orgId, role: "SUPERVISING" })),
    ];
    const row = existing.get(n.itemId);
    if (row && row.sourceDocumentId !== documentId) continue;
    if (!row) {
      // A deadline already past when the item is created is not accepted (the editor says so too).
      if (dueDate && dueDate.getTime() < now.getTime()) data.dueDate = null;
      await tx.trackedItem.create({
        data: {
          id: n.itemId,
          kind,
          sourceDocumentId: documentId,
          ownerOrgId: doc.ownerOrgId,
          consultationId: doc.consultation?.id ?? null,
          series: doc.consultation?.series ?? null,
          status: "DRAFT",
          ...data,
          orgs: { create: roles },
        },
      });
      result.created++;
      result.appeared.push(n.itemId);
      continue;
    }
    const sameRoles =
      row.orgs.length === roles.length &&
      roles.every((r) => row.orgs.some((o) => o.orgId === r.orgId && o.role === r.role));
    const same =
      sameRoles &&
      row.status !== "REMOVED" &&
      row.number === n.number &&
      row.wording === n.wording &&
      row.leadOrgId === lead &&
      (row.dueDate?.getTime() ?? null) === (dueDate?.getTime() ?? null) &&
      row.feedbackCycle === n.feedbackCycle &&
      row.responsible === data.responsible &&
      row.standard === data.standard;
    if (same) continue;
    await tx.trackedItem.update({
      where: { id: n.itemId },
      data: { ...data, ...(row.status === "REMOVED" ? { status: "DRAFT" } : {}) },
    });
    if (row.status === "REMOVED") result.appeared.push(n.itemId);
    if (!sameRoles) {
      await tx.trackedItemOrg.deleteMany({ where: { itemId: n.itemId } });
      if (roles.length) await tx.trackedItemOrg.createMany({ data: roles.map((r) => ({ itemId: n.itemId, ...r })) });
    }
    result.updated++;
  }
  const goneWhere = { sourceDocumentId: documentId, status: "DRAFT", id: { notIn: nodes.map((n) => n.itemId) } };
  const goneIds = (await tx.trackedItem.findMany({ where: goneWhere, select: { id: true } })).map((r) => r.id);
  const gone = await tx.trackedItem.updateMany({ where: goneWhere, data: { status: "REMOVED" } });
  result.removed = gone.count;
  if (result.created || result.updated || goneIds.length)
    await markSearchDirty(tx, "item", [...nodes.map((n) => n.itemId), ...goneIds]);
  return result;
}

/**
 * Finalizing the source starts tracking: its draft items become NOT_STARTED (deadlines count). A
 * supervised case listed without a 督办期限 gets the default: six months from listing.
 */
export async function activateItems(tx: Tx, documentId: string, now = new Date()): Promise<string[]> {
  const items = await tx.trackedItem.findMany({
    where: { sourceDocumentId: documentId, status: "DRAFT" },
    select: { id: true },
  });
  await tx.trackedItem.updateMany({
    where: { sourceDocumentId: documentId, status: "DRAFT", kind: "SUPERVISED_CASE", dueDate: null },
    data: { dueDate: endOfChinaDay(addMonthsIso(chinaDay(now), CASE_DEFAULT_MONTHS)) },
  });
  await tx.trackedItem.updateMany({
    where: { sourceDocumentId: documentId, status: "DRAFT" },
    data: { status: "NOT_STARTED", activatedAt: now },
  });
  await markSearchDirty(
    tx,
    "item",
    items.map((i) => i.id),
  );
  return items.map((i) => i.id);
}

/** 督办期限 by default (months from listing). */
export const CASE_DEFAULT_MONTHS = 6;

/**
 * Items an actor may see, as a query: owned by, led or supported by one of their orgs, from a
 * document their org or they were given, or (supervising orgs) owned by an org of a lower region.
 * Mirrors `canReadItem` for lists (the ledger).
 */
export function itemScopeWhere(actor: Actor): Prisma.TrackedItemWhereInput {
  const orgIds = actor.memberships.map((m) => m.orgId);
  return {
    status: { not: "REMOVED" },
    OR: [
      { ownerOrgId: { in: orgIds } },
      { orgs: { some: { orgId: { in: orgIds } } } },
      { sourceDocument: { members: { some: { OR: [{ orgId: { in: orgIds } }, { userId: actor.userId }] } } } },
      ...supervisingRegionPaths(actor, SUPERVISING_KINDS).map((path) => ({
        ownerOrg: { region: belowRegionWhere(path) },
      })),
      ...enforcementSupervisionWhere(actor),
    ],
  };
}

/**
 * 行政执法监督 (policies/tracked-item.ts supervisesEnforcementOf): items that law-enforcement units of
 * the actor's region (and below) lead or support, one condition per supervising membership.
 */
function enforcementSupervisionWhere(actor: Actor, roles?: ReadonlySet<string>): Prisma.TrackedItemWhereInput[] {
  const scoped = roles ? { ...actor, memberships: actor.memberships.filter((m) => roles.has(m.role)) } : actor;
  return supervisingRegionPaths(scoped, ENFORCEMENT_SUPERVISING_KINDS).map((path) => ({
    orgs: {
      some: {
        role: { in: ["LEAD", "SUPPORTING"] },
        org: { kind: { in: [...ENFORCEMENT_KINDS] }, region: { path: { startsWith: path } } },
      },
    },
  }));
}

/** What item policies need, or null. */
export async function getItemFacts(
  tx: Tx,
  id: string,
): Promise<(ItemFacts & { id: string; sourceDocumentId: string; wording: string; number: number }) | null> {
  const row = await tx.trackedItem.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      status: true,
      ownerOrgId: true,
      leadOrgId: true,
      dueDate: true,
      wording: true,
      number: true,
      sourceDocumentId: true,
      orgs: {
        select: { orgId: true, role: true, org: { select: { kind: true, region: { select: { path: true } } } } },
      },
      sourceDocument: {
        select: {
          status: true,
          ownerOrgId: true,
          ownerOrg: { select: { region: { select: { path: true } } } },
          members: { select: { orgId: true, userId: true, access: true } },
        },
      },
    },
  });
  if (!row) return null;
  const d = row.sourceDocument;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    ownerOrgId: row.ownerOrgId,
    leadOrgId: row.leadOrgId,
    dueDate: row.dueDate,
    wording: row.wording,
    number: row.number,
    sourceDocumentId: row.sourceDocumentId,
    orgs: row.orgs.map((o) => ({ orgId: o.orgId, role: o.role, orgKind: o.org.kind, regionPath: o.org.region.path })),
    document: {
      status: d.status,
      ownerOrgId: d.ownerOrgId,
      ownerRegionPath: d.ownerOrg.region.path,
      members: d.members,
    },
  };
}

/** Unfinished items of earlier meetings convened by `orgIds`, by series: offered for the next meeting's agenda (跟进事项). */
export async function listCarryCandidates(tx: Tx, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  return tx.trackedItem.findMany({
    where: {
      ownerOrgId: { in: orgIds },
      status: { in: ["NOT_STARTED", "IN_PROGRESS", "DONE"] },
      series: { not: null },
    },
    select: {
      id: true,
      number: true,
      wording: true,
      series: true,
      status: true,
      dueDate: true,
      ownerOrgId: true,
      leadOrg: { select: { name: true } },
      sourceDocument: { select: { consultation: { select: { number: true } } } },
    },
    orderBy: [{ dueDate: "asc" }, { number: "asc" }],
    take: 500,
  });
}

/** The carried items of a consultation, with what the minutes show about each (status, lead, last progress). */
export async function getCarriedItems(tx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await tx.trackedItem.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      number: true,
      wording: true,
      status: true,
      dueDate: true,
      lastProgressText: true,
      leadOrg: { select: { name: true } },
      sourceDocument: { select: { consultation: { select: { number: true } } } },
    },
  });
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is (typeof rows)[number] => Boolean(r));
}

/** The items of a document as its page badges them (number, status, due date), REMOVED ones left out. */
export async function listDocumentItemBadges(tx: Tx, documentId: string) {
  return tx.trackedItem.findMany({
    where: { sourceDocumentId: documentId, status: { not: "REMOVED" } },
    select: { id: true, number: true, status: true, dueDate: true },
    orderBy: { number: "asc" },
  });
}

/**
 * How many of `ids` may be carried onto the next meeting of a series: unfinished items owned by the
 * convening org in that series.
 */
export async function countCarriableItems(
  tx: Tx,
  input: { ids: readonly string[]; ownerOrgId: string; series: string },
): Promise<number> {
  return tx.trackedItem.count({
    where: {
      id: { in: [...input.ids] },
      ownerOrgId: input.ownerOrgId,
      series: input.series,
      status: { in: ["NOT_STARTED", "IN_PROGRESS", "DONE"] },
    },
  });
}

/**
 * Moves an item from one status to another (`closedAt` set or cleared with it when given); false when
 * it was no longer in `from` (someone else moved it first).
 */
export async function moveItemStatus(
  tx: Tx,
  id: string,
  from: string,
  to: string,
  closedAt?: Date | null,
): Promise<boolean> {
  const moved = await tx.trackedItem.updateMany({
    where: { id, status: from },
    data: { status: to, ...(closedAt !== undefined ? { closedAt } : {}) },
  });
  if (moved.count > 0) await markSearchDirty(tx, "item", [id]);
  return moved.count > 0;
}

/** 解除挂牌: every 督办单位 confirmed, the case is closed. */
export async function releaseItem(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.trackedItem.update({ where: { id }, data: { status: "CLOSED", closedAt: now }, select: { id: true } });
  await markSearchDirty(tx, "item", [id]);
}

/** The latest progress, as the ledger and the reply show it. */
export async function recordItemProgress(tx: Tx, id: string, at: Date, text: string): Promise<void> {
  await tx.trackedItem.update({
    where: { id },
    data: { lastProgressAt: at, lastProgressText: text.slice(0, 500) },
    select: { id: true },
  });
  await markSearchDirty(tx, "item", [id]);
}

export async function setItemDueDate(tx: Tx, id: string, dueDate: Date): Promise<void> {
  await tx.trackedItem.update({ where: { id }, data: { dueDate }, select: { id: true } });
}

const itemPageSelect = {
  id: true,
  kind: true,
  number: true,
  wording: true,
  status: true,
  dueDate: true,
  feedbackCycle: true,
  responsible: true,
  standard: true,
  activatedAt: true,
  closedAt: true,
  series: true,
  ownerOrg: { select: { name: true } },
  orgs: { select: { role: true, org: { select: { id: true, name: true } } } },
  sourceDocument: {
    select: {
      id: true,
      title: true,
      status: true,
      consultation: { select: { id: true, number: true, series: true } },
    },
  },
  reports: {
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      orgId: true,
      authorId: true,
      text: true,
      newStatus: true,
      createdAt: true,
      attachments: { select: { id: true, fileName: true, size: true } },
    },
  },
  extensions: {
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      reason: true,
      currentDue: true,
      requestedDue: true,
      status: true,
      decisionComment: true,
      createdAt: true,
      decidedAt: true,
    },
  },
} as const;

export type ItemPage = Prisma.TrackedItemGetPayload<{ select: typeof itemPageSelect }>;

/** Everything the item page shows: its orgs, source, progress reports and extension requests. */
export async function getItemPage(tx: Tx, id: string): Promise<ItemPage | null> {
  return tx.trackedItem.findUnique({ where: { id }, select: itemPageSelect });
}

const workbenchItemSelect = {
  id: true,
  kind: true,
  number: true,
  wording: true,
  status: true,
  dueDate: true,
  leadOrg: { select: { name: true } },
} as const;

export type WorkbenchItem = Prisma.TrackedItemGetPayload<{ select: typeof workbenchItemSelect }>;

/**
 * 待办事项 of the workbench: open items `orgIds` lead or support, and completed ones awaiting the
 * 销号 of `coordinatorOrgIds` (the orgs where the user coordinates), earliest due first.
 */
const WORKBENCH_SUPERVISING_ROLES: ReadonlySet<string> = new Set(["COORDINATOR"]);

export async function listWorkbenchItems(tx: Tx, actor: Actor, take = 8): Promise<WorkbenchItem[]> {
  const orgIds = actor.memberships.map((m) => m.orgId);
  const coordinatorOrgIds = actor.memberships.filter((m) => m.role === "COORDINATOR").map((m) => m.orgId);
  return tx.trackedItem.findMany({
    where: {
      OR: [
        {
          status: { in: ["NOT_STARTED", "IN_PROGRESS"] },
          orgs: { some: { orgId: { in: orgIds }, role: { in: ["LEAD", "SUPPORTING"] } } },
        },
        { status: "DONE", ownerOrgId: { in: coordinatorOrgIds } },
        // A justice bureau's coordinator follows the active items of the region's law-enforcement units.
        ...enforcementSupervisionWhere(actor, WORKBENCH_SUPERVISING_ROLES).map((where) => ({
          status: { in: ["NOT_STARTED", "IN_PROGRESS", "DONE"] },
          ...where,
        })),
      ],
    },
    select: workbenchItemSelect,
    orderBy: [{ dueDate: "asc" }],
    take,
  });
}
