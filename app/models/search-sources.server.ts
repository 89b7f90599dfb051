import type { Tx } from "~/db.server";
import { chinaDay } from "~/domain/dates";
import { ITEM_KIND_LABELS, type ItemKind } from "~/domain/tracked-item";
import type { SearchKind } from "~/domain/search";

/**
 * Where each kind of search entry comes from (ADR 028): the text a record is found by and shown with, the link
 * it opens, the units, status and day it is filtered by, and when its source last changed (the sweep
 * re-indexes a record whose source is newer than its entry). A reader returns null when the record is gone or
 * is not to be found (a removed item, a withdrawn case): its entry is then removed.
 */

export interface SearchSource {
  title: string;
  /** The text the passage is taken from. */
  body: string;
  href: string;
  units: string[];
  status: string;
  recordDay: string;
  sourceAt: Date;
}

const later = (a: Date, ...others: Array<Date | null | undefined>) =>
  others.reduce<Date>((max, d) => (d && d > max ? d : max), a);

const lines = (...parts: Array<string | null | undefined | false>) =>
  parts.filter((p): p is string => typeof p === "string" && p.trim() !== "").join("\n");

const short = (text: string, max = 80) => {
  const one = text.replace(/\s+/g, " ").trim();
  return [...one].length > max ? `${[...one].slice(0, max).join("")}…` : one;
};

// ---- documents (title, current text, the names of its named versions) -------------------------------------

export async function readDocumentSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const doc = await tx.document.findUnique({
    where: { id },
    select: {
      title: true,
      status: true,
      ownerOrgId: true,
      createdAt: true,
      updatedAt: true,
      snapshot: { select: { text: true, updatedAt: true } },
      members: { where: { orgId: { not: null } }, select: { orgId: true } },
      versions: {
        where: { name: { not: null } },
        orderBy: { number: "asc" },
        select: { number: true, name: true, createdAt: true },
      },
    },
  });
  if (!doc) return null;
  const versionNames = doc.versions.map((v) => `第${v.number}版：${v.name}`);
  return {
    title: doc.title,
    body: lines(doc.snapshot?.text ?? "", versionNames.length ? `版本 ${versionNames.join("；")}` : null),
    href: `/documents/${id}`,
    units: [doc.ownerOrgId, ...doc.members.flatMap((m) => (m.orgId ? [m.orgId] : []))],
    status: doc.status,
    recordDay: chinaDay(doc.createdAt),
    sourceAt: later(doc.updatedAt, doc.snapshot?.updatedAt, ...doc.versions.map((v) => v.createdAt)),
  };
}

async function documentTimes(tx: Tx, ids?: readonly string[]): Promise<Map<string, number>> {
  const where = ids ? { id: { in: [...ids] } } : {};
  const [rows, versions] = await Promise.all([
    tx.document.findMany({ where, select: { id: true, updatedAt: true, snapshot: { select: { updatedAt: true } } } }),
    tx.documentVersion.groupBy({
      by: ["documentId"],
      where: { name: { not: null }, ...(ids ? { documentId: { in: [...ids] } } : {}) },
      _max: { createdAt: true },
    }),
  ]);
  const named = new Map(versions.map((v) => [v.documentId, v._max.createdAt]));
  return new Map(rows.map((r) => [r.id, later(r.updatedAt, r.snapshot?.updatedAt, named.get(r.id)).getTime()]));
}

// ---- consultations (title, series and number, agenda, place, the case put to experts) ----------------------

export async function readConsultationSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const c = await tx.consultation.findUnique({
    where: { id },
    select: {
      title: true,
      series: true,
      number: true,
      agenda: true,
      place: true,
      caseSummary: true,
      status: true,
      startsAt: true,
      conveningOrgId: true,
      updatedAt: true,
      participants: { select: { orgId: true } },
    },
  });
  if (!c) return null;
  let agenda: string[] = [];
  try {
    const parsed: unknown = JSON.parse(c.agenda);
    if (Array.isArray(parsed)) agenda = parsed.filter((a): a is string => typeof a === "string");
  } catch {
    agenda = [c.agenda];
  }
  return {
    title: c.title,
    body: lines(`${c.series} 第${c.number}期`, ...agenda, `地点：${c.place}`, c.caseSummary),
    href: `/consultations/${id}`,
    units: [c.conveningOrgId, ...c.participants.flatMap((p) => (p.orgId ? [p.orgId] : []))],
    status: c.status,
    recordDay: chinaDay(c.startsAt),
    sourceAt: c.updatedAt,
  };
}

// ---- tracked items (wording, units, 责任人, standard, every progress report) ---------------------------------

export async function readItemSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const item = await tx.trackedItem.findUnique({
    where: { id },
    select: {
      kind: true,
      number: true,
      series: true,
      wording: true,
      status: true,
      responsible: true,
      standard: true,
      ownerOrgId: true,
      createdAt: true,
      activatedAt: true,
      updatedAt: true,
      lastProgressAt: true,
      ownerOrg: { select: { name: true } },
      orgs: { select: { orgId: true, role: true, org: { select: { name: true } } } },
      reports: { orderBy: { createdAt: "asc" }, select: { text: true, createdAt: true } },
    },
  });
  if (!item || item.status === "REMOVED") return null;
  const named = (role: string) =>
    item.orgs
      .filter((o) => o.role === role)
      .map((o) => o.org.name)
      .join("、");
  const label = ITEM_KIND_LABELS[item.kind as ItemKind] ?? "事项";
  return {
    title: `${label}：${short(item.wording)}`,
    body: lines(
      item.wording,
      named("LEAD") && `牵头单位：${named("LEAD")}`,
      named("SUPPORTING") && `配合单位：${named("SUPPORTING")}`,
      named("SUPERVISING") && `督办单位：${named("SUPERVISING")}`,
      `召集单位：${item.ownerOrg.name}${item.series ? `（${item.series}）` : ""}`,
      item.responsible && `责任人：${item.responsible}`,
      item.standard && `完成标准：${item.standard}`,
      ...item.reports.map((r) => `进展（${chinaDay(r.createdAt)}）：${r.text}`),
    ),
    href: `/items/${id}`,
    units: [item.ownerOrgId, ...item.orgs.map((o) => o.orgId)],
    status: item.status,
    recordDay: chinaDay(item.activatedAt ?? item.createdAt),
    sourceAt: later(item.updatedAt, item.lastProgressAt),
  };
}

// ---- recommendations (文号, 事由, problems, the units) ------------------------------------------------------

export async function readRecommendationSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const r = await tx.recommendation.findUnique({
    where: { id },
    select: {
      docNumber: true,
      title: true,
      problems: true,
      status: true,
      issuedOn: true,
      updatedAt: true,
      issuerOrgId: true,
      recipientOrgId: true,
      issuerOrg: { select: { name: true } },
      recipientOrg: { select: { name: true } },
      copies: { select: { orgId: true, org: { select: { name: true } } } },
    },
  });
  if (!r) return null;
  return {
    title: `${r.docNumber}\u3000${r.title}`,
    body: lines(
      `${r.issuerOrg.name} → ${r.recipientOrg.name}`,
      r.copies.length ? `抄送：${r.copies.map((c) => c.org.name).join("、")}` : null,
      r.problems,
    ),
    href: `/recommendations/${id}`,
    units: [r.issuerOrgId, r.recipientOrgId, ...r.copies.map((c) => c.orgId)],
    status: r.status,
    recordDay: chinaDay(r.issuedOn),
    sourceAt: r.updatedAt,
  };
}

// ---- clues (文号, 问题摘要, 涉及单位, the outcome): read only by their handlers (ADR 023); 涉及人员 never -----------

export async function readClueSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const c = await tx.clue.findUnique({
    where: { id },
    select: {
      docNumber: true,
      summary: true,
      involvedUnits: true,
      feedbackText: true,
      returnedReason: true,
      status: true,
      transferredAt: true,
      updatedAt: true,
      fromOrgId: true,
      toOrgId: true,
      fromOrg: { select: { name: true } },
      toOrg: { select: { name: true } },
    },
  });
  if (!c) return null;
  return {
    title: `${c.docNumber}\u3000${c.fromOrg.name} → ${c.toOrg.name}`,
    body: lines(
      c.summary,
      c.involvedUnits && `涉及单位：${c.involvedUnits}`,
      c.feedbackText && `办理结果：${c.feedbackText}`,
      c.returnedReason && `退回理由：${c.returnedReason}`,
    ),
    href: `/clues/${id}`,
    units: [c.fromOrgId, c.toOrgId],
    status: c.status,
    recordDay: chinaDay(c.transferredAt),
    sourceAt: c.updatedAt,
  };
}

// ---- comment threads (the passage commented on and every comment not deleted) -------------------------------

export async function readCommentSource(tx: Tx, id: string): Promise<SearchSource | null> {
  const t = await tx.commentThread.findUnique({
    where: { id },
    select: {
      documentId: true,
      quote: true,
      status: true,
      orgId: true,
      createdAt: true,
      updatedAt: true,
      document: { select: { title: true, ownerOrgId: true } },
      comments: {
        where: { deletedAt: null },
        orderBy: { createdAt: "asc" },
        select: { body: true, orgId: true, org: { select: { name: true } } },
      },
    },
  });
  if (!t || !t.comments.length) return null;
  return {
    title: `《${t.document.title}》的批注`,
    body: lines(
      t.quote && `原文：“${short(t.quote, 60)}”`,
      ...t.comments.map((c) => (c.org ? `${c.org.name}：${c.body}` : c.body)),
    ),
    href: `/documents/${t.documentId}?thread=${id}`,
    units: [t.document.ownerOrgId, ...(t.orgId ? [t.orgId] : []), ...t.comments.flatMap((c) => c.orgId ?? [])],
    status: t.status,
    recordDay: chinaDay(t.createdAt),
    sourceAt: t.updatedAt,
  };
}

// ---- published typical cases (the published, redacted text only; by the case's document id) -----------------

export async function readCaseSource(tx: Tx, documentId: string): Promise<SearchSource | null> {
  const p = await tx.publication.findFirst({
    where: { documentId, current: true, state: "PUBLISHED" },
    select: {
      slug: true,
      title: true,
      keywords: true,
      field: true,
      text: true,
      publishedAt: true,
      document: { select: { ownerOrgId: true } },
    },
  });
  if (!p) return null;
  return {
    title: p.title,
    body: lines(p.text, p.keywords && `关键词：${p.keywords}`, p.field && `领域：${p.field}`),
    href: `/cases/${p.slug}`,
    units: [p.document.ownerOrgId],
    status: "PUBLISHED",
    recordDay: chinaDay(p.publishedAt),
    sourceAt: p.publishedAt,
  };
}

export const SEARCH_SOURCES: Record<SearchKind, (tx: Tx, id: string) => Promise<SearchSource | null>> = {
  document: readDocumentSource,
  consultation: readConsultationSource,
  item: readItemSource,
  recommendation: readRecommendationSource,
  clue: readClueSource,
  comment: readCommentSource,
  case: readCaseSource,
};

// ---- the sweep: every record of a kind with the time its source last changed ----------------------------------

/** A page of a kind's records in id order (keyset: the sweep never holds every row at once), or given ids. */
export type SourceSelection = { after: string | null; take: number } | { ids: readonly string[] };

interface IdPage {
  where: { id?: { in: string[] } | { gt: string } };
  take?: number;
  orderBy?: { id: "asc" };
}

/** Ids and the times their sources last changed, for the selected records that are to be found. */
export async function sourceTimes(tx: Tx, kind: SearchKind, sel: SourceSelection): Promise<Array<[string, number]>> {
  const byId = (): IdPage =>
    "ids" in sel
      ? { where: { id: { in: [...sel.ids] } } }
      : { take: sel.take, orderBy: { id: "asc" }, where: sel.after ? { id: { gt: sel.after } } : {} };
  const stamp = (rows: Array<{ id: string; updatedAt: Date }>): Array<[string, number]> =>
    rows.map((r) => [r.id, r.updatedAt.getTime()]);
  switch (kind) {
    case "document": {
      const ids = (await tx.document.findMany({ ...byId(), select: { id: true } })).map((r) => r.id);
      const times = await documentTimes(tx, ids);
      return ids.map((id) => [id, times.get(id) ?? 0]);
    }
    case "consultation":
      return stamp(await tx.consultation.findMany({ ...byId(), select: { id: true, updatedAt: true } }));
    case "item": {
      const q = byId();
      const rows = await tx.trackedItem.findMany({
        ...q,
        where: { ...q.where, status: { not: "REMOVED" } },
        select: { id: true, updatedAt: true, lastProgressAt: true },
      });
      return rows.map((r) => [r.id, later(r.updatedAt, r.lastProgressAt).getTime()]);
    }
    case "recommendation":
      return stamp(await tx.recommendation.findMany({ ...byId(), select: { id: true, updatedAt: true } }));
    case "clue":
      return stamp(await tx.clue.findMany({ ...byId(), select: { id: true, updatedAt: true } }));
    case "comment": {
      const q = byId();
      return stamp(
        await tx.commentThread.findMany({
          ...q,
          where: { ...q.where, comments: { some: { deletedAt: null } } },
          select: { id: true, updatedAt: true },
        }),
      );
    }
    case "case": {
      const rows = await tx.publication.findMany({
        ...("ids" in sel ? {} : { take: sel.take, orderBy: { documentId: "asc" as const } }),
        where: {
          current: true,
          state: "PUBLISHED",
          documentId: "ids" in sel ? { in: [...sel.ids] } : sel.after ? { gt: sel.after } : undefined,
        },
        select: { documentId: true, publishedAt: true },
      });
      return rows.map((r) => [r.documentId, r.publishedAt.getTime()]);
    }
  }
}

/** Names of every organisation (the user dictionary of the segmenter). */
export async function organisationNames(tx: Tx): Promise<string[]> {
  const rows = await tx.organization.findMany({ select: { name: true, shortName: true } });
  return rows.flatMap((r) => (r.shortName ? [r.name, r.shortName] : [r.name]));
}
