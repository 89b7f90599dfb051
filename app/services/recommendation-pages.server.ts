import { isId } from "~/domain/ids";
import { database } from "~/models/unit-of-work.server";
import { actorProvinceRoots, type Actor } from "~/domain/actor";
import { formatDateTime } from "~/domain/dates";
import { forbidden, notFound } from "~/domain/errors";
import type { RecommendationRelation } from "~/domain/recommendation";
import { getRecommendationFile, type AttachmentFile } from "~/models/attachment.server";
import { listAuditTimeline } from "~/models/audit.server";
import { listDirectoryOrganizations } from "~/models/organization.server";
import {
  countRecommendationsForOrgs,
  getRecommendationFacts,
  getRecommendationPage,
  listPlanMeasures,
  listRecommendationsForOrgs,
  listRecommendationsInRegion,
} from "~/models/recommendation.server";
import { enforce } from "~/policies/decision";
import { authorizeRecommendation, canReadRecommendation, recommendationRelation } from "~/policies/recommendation";
import type { CurrentUser } from "~/services/auth/current-user.server";

/** Queries of the recommendation pages (建议书与整改): the register, the overview, one recommendation. */

type Facts = NonNullable<Awaited<ReturnType<typeof getRecommendationFacts>>>;

/** A recommendation the user may see, with how the user relates to it; 404 / 403 in Chinese otherwise. */
export async function requireReadableRecommendation(
  user: CurrentUser,
  id: string | undefined,
): Promise<{ facts: Facts; relation: RecommendationRelation }> {
  const facts = id ? await getRecommendationFacts(database(), id) : null;
  if (!facts) throw notFound("建议书不存在。");
  enforce(authorizeRecommendation(user.actor, "read", facts));
  return { facts, relation: recommendationRelation(user.actor, facts)! };
}

/** What the recommendation page shows: the record, its plan's measures and its 办理记录. */
export async function loadRecommendationPage(facts: Facts) {
  const db = database();
  const rec = await getRecommendationPage(db, facts.id);
  if (!rec) throw notFound("建议书不存在。");
  const [measures, timeline] = await Promise.all([
    rec.planDocument ? listPlanMeasures(db, rec.planDocument.id) : [],
    listAuditTimeline(db, "Recommendation", rec.id, formatDateTime),
  ]);
  return { rec, measures, timeline };
}

export type RegisterView = "to" | "from" | "copy";

/** The orgs whose register the actor reads: the orgs of the actor's memberships. */
export function registerOrgIds(actor: Actor): string[] {
  return [...new Set(actor.memberships.map((m) => m.orgId))];
}

/**
 * One org's register (the user's orgs): the counts of each view, and the rows of the view asked
 * for — by default the first view that has any.
 */
export async function loadRegister(actor: Actor, asked: string | null, take?: number) {
  const orgIds = registerOrgIds(actor);
  const db = database();
  const counts = await countRecommendationsForOrgs(db, orgIds);
  const view: RegisterView =
    asked === "to" || asked === "from" || asked === "copy"
      ? asked
      : counts.to
        ? "to"
        : counts.from
          ? "from"
          : counts.copy
            ? "copy"
            : "to";
  return { view, counts, rows: await listRecommendationsForOrgs(db, orgIds, view, take) };
}

type RegionFilter = Parameters<typeof listRecommendationsInRegion>[2];

/** The overview of a justice bureau: everything in its region (for the charts), and the filtered rows. */
export async function loadRegionOverview(actor: Actor, filter: RegionFilter) {
  const db = database();
  // The charts count the whole region; the table follows the filters.
  const all = await listRecommendationsInRegion(db, actor, { now: filter.now });
  const filtered = filter.kind || filter.status || filter.recipientOrgId || filter.overdueOnly;
  return { all, rows: filtered ? await listRecommendationsInRegion(db, actor, filter) : all };
}

/** An original (原件) of a recommendation, for whoever may read it. */
export async function readRecommendationFile(
  user: CurrentUser,
  recommendationId: string | undefined,
  fileId: string | undefined,
): Promise<AttachmentFile> {
  if (!isId(recommendationId) || !isId(fileId)) throw notFound("附件不存在。");
  const db = database();
  const facts = await getRecommendationFacts(db, recommendationId!);
  if (!facts) throw notFound("附件不存在。");
  if (!canReadRecommendation(user.actor, facts)) throw forbidden("您无权查看该附件。");
  const file = await getRecommendationFile(db, facts.id, fileId!);
  if (!file) throw notFound("附件不存在。");
  return file;
}

/** The orgs a registration may name: the directory of the user's provinces. */
export async function registrationDirectory(actor: Actor) {
  return listDirectoryOrganizations(database(), actorProvinceRoots(actor));
}
