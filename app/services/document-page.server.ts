import { database } from "~/models/unit-of-work.server";
import { suggestionAbilities } from "~/policies/suggestion";
import { listOpenThreads } from "~/models/comment.server";
import { getLatestRoundView } from "~/models/countersign.server";
import { documentScopeWhere, getDocumentPage, type DocumentFactsOf } from "~/models/document.server";
import {
  countDocuments,
  DOCUMENT_PAGE_SIZE,
  documentFilterOptions,
  documentListWhere,
  listDocumentPage,
  type DocumentListQuery,
} from "~/models/document-list.server";
import { isDocumentStarred } from "~/models/document-preference.server";
import { dayRange, readPage } from "~/utils/list-query";
import { getOrganizationNames } from "~/models/organization.server";
import { findRecommendationOfDocument } from "~/models/recommendation.server";
import { findGeneratedSource } from "~/models/thematic-report.server";
import { listDocumentItemBadges } from "~/models/tracked-item.server";
import {
  actingMembership,
  canCreateDocument,
  canManageDocumentMembers,
  canRequestCountersign,
  countersigningOrgIds,
  documentAbilities,
  documentAccess,
} from "~/policies/document";
import { formatDate, formatDateTime } from "~/domain/dates";
import {
  DOCUMENT_STATUS_LABELS,
  DOCUMENT_TYPE_LABELS,
  type DocumentStatus,
  type DocumentType,
} from "~/domain/document";
import { forbidden, notFound } from "~/domain/errors";
import { isOverdue, KIND_BY_DOCUMENT_TYPE } from "~/domain/tracked-item";
import { CASE_STATUS_LABELS } from "~/domain/typical-case";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { listOrgDirectory } from "~/services/org-directory.server";
import { mayOpenThread } from "~/services/comments.server";
import { presentCasePanel } from "~/services/typical-cases.server";

/**
 * 文书 list: the documents the user reaches through an org membership or individually (the scope is
 * the one the list always had; filters only narrow it), one page of the query, the filter choices
 * and which rows the user starred. A page beyond the end shows the last one.
 */
export async function listMyDocuments(user: CurrentUser, query: DocumentListQuery) {
  const db = database();
  const scope = documentScopeWhere(
    user.id,
    user.actor.memberships.map((m) => m.orgId),
  );
  const { range, notice } = dayRange(query.from, query.to);
  const where = documentListWhere(scope, query, { userId: user.id, created: range });
  const [{ rows, ...paging }, options] = await Promise.all([
    readPage(
      query.page,
      DOCUMENT_PAGE_SIZE,
      () => countDocuments(db, where),
      (page) => listDocumentPage(db, where, { userId: user.id, sort: query.sort, page }),
    ),
    documentFilterOptions(db, scope),
  ]);
  return {
    canCreate: user.actor.memberships.some((m) => canCreateDocument(user.actor, m.orgId)),
    ...paging,
    notice,
    options,
    documents: rows.map((d) => ({
      id: d.id,
      title: d.title,
      type: DOCUMENT_TYPE_LABELS[d.type as DocumentType] ?? d.type,
      status: d.status,
      statusLabel: DOCUMENT_STATUS_LABELS[d.status as DocumentStatus] ?? d.status,
      owner: d.ownerOrg.name,
      issue: d.consultation ? `${d.consultation.series} 第${d.consultation.number}期` : null,
      members: d._count.members,
      created: formatDate(d.createdAt),
      updatedAt: formatDateTime(d.snapshot?.updatedAt ?? d.updatedAt),
      starred: d.starred,
    })),
  };
}

/** The 会签 panel: the latest round, whose turn it is, the final hash. */
async function countersignView(user: CurrentUser, facts: DocumentFactsOf, finalHash: string | null) {
  const latest = await getLatestRoundView(database(), facts.id, "");
  const rows = latest?.rows ?? [];
  const orgNames = await getOrganizationNames(
    database(),
    rows.map((r) => r.orgId),
  );
  const mine = new Set(countersigningOrgIds(user.actor, facts.type));
  const open = await listOpenThreads(database(), facts.id);
  const openBy = (orgId: string) => open.filter((t) => t.orgId === orgId).length;
  return {
    canRequest: canRequestCountersign(user.actor, facts),
    round: latest?.round ?? null,
    version: rows[0]?.version ?? null,
    finalHash,
    myTurn: facts.status === "COUNTERSIGNING" && rows.some((r) => r.decision === "PENDING" && mine.has(r.orgId)),
    rows: rows.map((r) => ({
      org: orgNames.get(r.orgId) ?? r.orgId,
      decision: r.decision,
      comment: r.comment,
      decidedAt: r.decidedAt ? formatDateTime(r.decidedAt) : null,
      openThreads: openBy(r.orgId),
    })),
    openThreads: open.map((t) => ({
      id: t.id,
      quote: t.quote.length > 40 ? `${t.quote.slice(0, 40)}…` : t.quote,
      org: t.org?.name ?? "个人",
      author: t.author.displayName,
    })),
  };
}

/** The 议定事项 badges of the editor. */
async function itemBadges(documentId: string, now: Date) {
  const rows = await listDocumentItemBadges(database(), documentId);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    dueDate: r.dueDate ? r.dueDate.toISOString() : null,
    overdue: isOverdue(r, now),
  }));
}

/**
 * Everything the document page shows: the document and its members, what the user may do (members,
 * countersign, writing), the 会签 panel, the items, the recommendation it answers, a typical case's
 * panel, and the org directory of the owner's province (candidates to add; the item org pickers).
 * 404 when it does not exist, 403 when the user may not read it.
 */
export async function loadDocumentPage(user: CurrentUser, id: string) {
  const db = database();
  const loaded = await getDocumentPage(db, id);
  if (!loaded) throw notFound("文书不存在或已被删除。");
  const { page, facts } = loaded;
  const access = documentAccess(user.actor, facts);
  if (access === "none") throw forbidden("您不是此文书的参与单位成员，无权查看。");
  const memberOrgIds = new Set([page.ownerOrg.id, ...page.members.flatMap((m) => (m.org ? [m.org.id] : []))]);
  const acting = actingMembership(user.actor, facts);
  const myOrg = user.memberships.find((m) => m.org.id === acting?.orgId)?.org ?? null;
  const status = page.status as DocumentStatus;
  const canManage = canManageDocumentMembers(user.actor, facts);
  const directory = await listOrgDirectory([facts.ownerRegionPath]);
  return {
    canManage,
    candidates: canManage
      ? directory.filter((o) => !memberOrgIds.has(o.id)).map((o) => ({ id: o.id, name: o.name }))
      : [],
    orgs: directory.map((o) => ({ id: o.id, name: o.name, region: o.region.name })),
    items: await itemBadges(id, new Date()),
    itemKind: KIND_BY_DOCUMENT_TYPE[page.type] ?? null,
    isReply: page.type === "REPLY",
    typicalCase: page.type === "TYPICAL_CASE" ? await presentCasePanel(user, facts, page.title) : null,
    recommendation: await findRecommendationOfDocument(db, id),
    /** Where a generated document's figures came from (府院联动 report, 专题报告 comparison). */
    source: await findGeneratedSource(db, id),
    countersign: await countersignView(user, facts, page.finalHash),
    starred: await isDocumentStarred(db, user.id, id),
    // On a draft by access; in countersign, a unit still to decide comments on the frozen text.
    canComment: await mayOpenThread(user, { ...facts, id, title: page.title, type: page.type }),
    document: {
      id: page.id,
      title: page.title,
      type: DOCUMENT_TYPE_LABELS[page.type as DocumentType] ?? page.type,
      status,
      statusLabel:
        (page.type === "TYPICAL_CASE" ? CASE_STATUS_LABELS[status] : null) ??
        DOCUMENT_STATUS_LABELS[status] ??
        page.status,
      owner: page.ownerOrg.name,
      members: page.members.map((m) => ({
        id: m.id,
        orgId: m.org?.id ?? null,
        name: m.org?.name ?? m.user?.displayName ?? "",
        access: m.access,
      })),
    },
    abilities: documentAbilities(user.actor, facts),
    /** 修订 (ADR 019): whether the user edits only by proposals, may propose, may accept or reject. */
    suggestions: suggestionAbilities(user.actor, facts),
    readOnlyReason:
      access === "write" || access === "suggest"
        ? null
        : status === "DRAFT"
          ? access === "comment"
            ? "您可以批注，不能直接修改正文。"
            : "您对此文书只有查看权限。"
          : `本文书${DOCUMENT_STATUS_LABELS[status] ?? ""}，内容不可修改。`,
    /** The org the user acts for here (the editor colours carets by it). */
    user: {
      id: user.id,
      name: user.displayName,
      org: myOrg?.name ?? null,
      orgId: myOrg?.id,
      orgIds: user.memberships.map((m) => m.org.id),
    },
  };
}
