import { database } from "~/models/unit-of-work.server";
import { awaitsReply } from "~/domain/recommendation";
import { listConsultationsForUser } from "~/models/consultation.server";
import { listAwaitingCountersign, listDocumentsForUser } from "~/models/document.server";
import { listRecommendationsForOrgs } from "~/models/recommendation.server";
import { listWorkbenchItems } from "~/models/tracked-item.server";
import { dismissTour, isTourDismissed } from "~/models/user.server";
import { countersigningOrgIds } from "~/policies/document";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { loadMarkedDocuments } from "~/services/document-marks.server";

/**
 * 工作台: what waits for the user — documents and consultations of their orgs, countersigns and
 * releases awaiting their org, tracked items to work on or to close, and recommendations addressed
 * to their orgs still awaiting the written reply; the documents they starred (我关注的) and opened
 * last (最近打开), those they may still read.
 */
export async function loadWorkbench(user: CurrentUser) {
  const orgIds = user.actor.memberships.map((m) => m.orgId);
  const db = database();
  const [docs, consultations, awaiting, items, addressed, tourDismissed, marked] = await Promise.all([
    listDocumentsForUser(db, user.id, orgIds, 50),
    listConsultationsForUser(db, user.id, orgIds, 50),
    listAwaitingCountersign(db, countersigningOrgIds(user.actor), countersigningOrgIds(user.actor, "TYPICAL_CASE")),
    listWorkbenchItems(db, user.actor, 8),
    listRecommendationsForOrgs(db, orgIds, "to", 20),
    isTourDismissed(db, user.id),
    loadMarkedDocuments(user),
  ]);
  return {
    docs,
    consultations,
    awaiting,
    items,
    toReply: addressed.filter(awaitsReply).slice(0, 6),
    tourDismissed,
    starred: marked.starred,
    recent: marked.recent,
  };
}

/**
 * 不再显示 on the first-use card: a preference of the user's own, kept across devices (not a change
 * of a shared record, so not audited).
 */
export async function closeTour(user: CurrentUser, now = new Date()): Promise<void> {
  await dismissTour(database(), user.id, now);
}
