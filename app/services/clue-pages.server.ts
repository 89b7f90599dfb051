import { database, transaction } from "~/models/unit-of-work.server";
import { actorProvinceRoots, type Actor } from "~/domain/actor";
import {
  CLUE_GRANTEE_KINDS,
  CLUE_KINDS,
  CLUE_ROUTE_KEYS,
  CLUE_SOURCE_LABELS,
  CLUE_ROUTES,
  FEEDBACK_OUTCOMES,
  clueRouteDirection,
  clueRouteLabel,
  clueStatusLabel,
  feedbackOutcomeLabel,
  feedbackState,
  isClueView,
  receiptState,
  type ClueRelation,
} from "~/domain/clue";
import { formatDate, formatDateTime } from "~/domain/dates";
import { notFound } from "~/domain/errors";
import { isId } from "~/domain/ids";
import { getClueFile, type AttachmentFile } from "~/models/attachment.server";
import { listAuditTimeline, type AuditAction } from "~/models/audit.server";
import {
  type ClueListRow,
  countCluesForOrgs,
  getCluePage,
  listCluesForOrgs,
  listGrantCandidates,
  listSentCluesForStats,
  type ClueFactsRow,
  type ClueFilter,
  type ClueView,
} from "~/models/clue.server";
import { listDirectoryOrganizations } from "~/models/organization.server";
import { getUserNames } from "~/models/user.server";
import { authorizeClue, clueHandlerOrgIds, clueRelation, clueStatsOrgIds, isGrantableUnit } from "~/policies/clue";
import { enforce } from "~/policies/decision";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { clueAudit, requireClue, type ClueContext } from "~/services/clues.server";

/**
 * Queries of the clue pages (线索移送, ADR 023): the register, the statistics, one clue and its
 * materials. Every view of a clue's page and every download of a material is recorded (`clue.viewed`,
 * `clue.file_downloaded`) in the audit trail before anything of it is returned.
 */

/** The actions that are reads: the page's 查阅记录, kept apart from its 办理记录. */
const READ_ACTIONS: readonly AuditAction[] = ["clue.viewed", "clue.file_downloaded"];

/** A clue the user may read, with how the user relates to it; 404 / 403 in Chinese otherwise. */
export async function requireReadableClue(
  user: CurrentUser,
  id: string | undefined,
): Promise<{ facts: ClueFactsRow; relation: ClueRelation }> {
  const facts = await requireClue(user, id);
  return { facts, relation: clueRelation(user.actor, facts)! };
}

/**
 * The clue page: records the view (who read it, when, from where), then reads the clue — 涉及人员
 * included — its 办理记录, its 查阅记录, the names of who signed, returned and reported, and the
 * units that may be granted access.
 */
export async function loadCluePage(user: CurrentUser, facts: ClueFactsRow, ctx: Pick<ClueContext, "ip">) {
  enforce(authorizeClue(user.actor, "read", facts));
  await transaction((tx) =>
    clueAudit(tx, user, facts, { action: "clue.viewed", summary: `查阅线索（${facts.docNumber}）` }, ctx.ip),
  );
  const db = database();
  const clue = await getCluePage(db, facts.id);
  if (!clue) throw notFound("线索不存在。");
  const canGrant = authorizeClue(user.actor, "grant", facts).allowed;
  const [timeline, reads, names, candidates] = await Promise.all([
    listAuditTimeline(db, "Clue", clue.id, formatDateTime, 100, { notIn: READ_ACTIONS }),
    listAuditTimeline(db, "Clue", clue.id, formatDateTime, 50, { in: READ_ACTIONS }),
    getUserNames(
      db,
      [clue.receivedById, clue.feedbackById].filter((x): x is string => x !== null),
    ),
    canGrant ? listGrantCandidates(db, [...CLUE_GRANTEE_KINDS], [facts.fromRegionPath, facts.toRegionPath]) : [],
  ]);
  const grantable = candidates
    .filter((o) => isGrantableUnit({ kind: o.kind, regionPath: o.region.path }, facts))
    .filter((o) => !facts.grantOrgIds.includes(o.id))
    .map((o) => ({ id: o.id, name: o.name }));
  return { clue, timeline, reads, names, grantable };
}

/** A material of a clue, for whoever may read the clue; the download is recorded first. */
export async function readClueFile(
  user: CurrentUser,
  clueId: string | undefined,
  fileId: string | undefined,
  ctx: Pick<ClueContext, "ip">,
): Promise<AttachmentFile> {
  if (!isId(clueId) || !isId(fileId)) throw notFound("附件不存在。");
  const facts = await requireClue(user, clueId);
  const file = await getClueFile(database(), facts.id, fileId);
  if (!file) throw notFound("附件不存在。");
  const part = file.cluePart === "FEEDBACK" ? "反馈材料" : "移送材料";
  await transaction((tx) =>
    clueAudit(
      tx,
      user,
      facts,
      { action: "clue.file_downloaded", summary: `下载线索（${facts.docNumber}）的${part}` },
      ctx.ip,
    ),
  );
  return file;
}

/**
 * The register of the user's handling units: counts (and overdue counts) per view, and the rows of
 * the view asked for — by default 移入 when anything came in, else 移出.
 */
export async function loadClueRegister(actor: Actor, asked: string | null, filter: ClueFilter) {
  const orgIds = clueHandlerOrgIds(actor);
  const db = database();
  const counts = await countCluesForOrgs(db, orgIds, filter.now);
  const view: ClueView = isClueView(asked) ? asked : counts.in.total ? "in" : counts.out.total ? "out" : "in";
  return { view, counts, rows: await listCluesForOrgs(db, orgIds, view, filter) };
}

/**
 * The justice bureau's statistics of the clues it sent: by route, by state and by the outcome the
 * receivers reported — counts only (no summary, no unit or person concerned).
 */
export async function loadClueStats(actor: Actor, now: Date) {
  const rows = await listSentCluesForStats(database(), clueStatsOrgIds(actor));
  const count = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).length;
  const byRoute = CLUE_ROUTE_KEYS.map((key) => {
    const list = rows.filter((r) => r.route === key);
    return {
      key,
      label: CLUE_ROUTES[key].label,
      direction: clueRouteDirection(key),
      total: list.length,
      received: list.filter((r) => r.receivedAt !== null).length,
      returned: list.filter((r) => r.status === "RETURNED").length,
      feedback: list.filter((r) => r.feedbackAt !== null).length,
      closed: list.filter((r) => r.status === "CLOSED").length,
    };
  }).filter((r) => r.total > 0);
  const byOutcome = FEEDBACK_OUTCOMES.map((outcome) => ({
    outcome,
    value: count((r) => r.feedbackOutcome === outcome),
  }));
  const receivers = new Map<string, number>();
  for (const r of rows) receivers.set(r.toOrg.name, (receivers.get(r.toOrg.name) ?? 0) + 1);
  return {
    summary: {
      total: rows.length,
      awaitingReceipt: count((r) => r.status === "TRANSFERRED"),
      overdueReceipt: count((r) => receiptState(r, now).overdue),
      returned: count((r) => r.status === "RETURNED"),
      overdueFeedback: count((r) => feedbackState(r, now).overdue),
      feedback: count((r) => r.feedbackAt !== null),
      closed: count((r) => r.status === "CLOSED"),
    },
    byRoute,
    byOutcome,
    byReceiver: [...receivers.entries()].sort((a, b) => b[1] - a[1]).map(([name, value]) => ({ name, value })),
  };
}

/**
 * The new-clue form's choices: the user's sending units, and the units of its provinces that take
 * part in clue transfer (the route is checked again on submit).
 */
export async function transferDirectory(actor: Actor) {
  const orgs = await listDirectoryOrganizations(database(), actorProvinceRoots(actor));
  return orgs.filter((o) => (CLUE_KINDS as ReadonlySet<string>).has(o.kind));
}

/** A register row as the list shows it: 文号, category, source, the units, dates and states — no content. */
export function presentClueRow(r: ClueListRow, now: Date) {
  return {
    id: r.id,
    docNumber: r.docNumber,
    category: clueRouteLabel(r.route),
    source: (CLUE_SOURCE_LABELS as Record<string, string>)[r.source] ?? r.source,
    from: r.fromOrg.name,
    to: r.toOrg.name,
    transferredAt: formatDate(r.transferredAt),
    receipt: receiptState(r, now),
    feedback: feedbackState(r, now),
    outcome: feedbackOutcomeLabel(r.feedbackOutcome),
    status: r.status,
    statusLabel: clueStatusLabel(r.status),
  };
}
