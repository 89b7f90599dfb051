import { database } from "~/models/unit-of-work.server";
import { formatDateTime } from "~/domain/dates";
import { notFound } from "~/domain/errors";
import { listAuditTimeline } from "~/models/audit.server";
import { getOrganizationNames } from "~/models/organization.server";
import { getItemPage, type getItemFacts } from "~/models/tracked-item.server";
import { getUserNames } from "~/models/user.server";
import { latestRound } from "~/services/countersign.server";

type Facts = NonNullable<Awaited<ReturnType<typeof getItemFacts>>>;

/**
 * What the item page shows besides the policy facts: the item with its reports and extensions, who
 * wrote the reports for which org, its 办理记录, and for a supervised case the latest 解除挂牌 round.
 */
export async function loadItemPage(facts: Facts) {
  const db = database();
  const item = await getItemPage(db, facts.id);
  if (!item) throw notFound("事项不存在或已从纪要中删除。");
  // 解除挂牌 confirmations of a supervised case: the latest round on the case (ADR 010).
  const [people, orgNames, timeline, release] = await Promise.all([
    getUserNames(
      db,
      item.reports.map((r) => r.authorId),
    ),
    getOrganizationNames(db, [...new Set(item.reports.map((r) => r.orgId))]),
    listAuditTimeline(db, "TrackedItem", item.id, formatDateTime),
    item.kind === "SUPERVISED_CASE" ? latestRound(db, item.sourceDocument.id, item.id) : { round: null, rows: [] },
  ]);
  const releaseNames = await getOrganizationNames(
    db,
    release.rows.map((r) => r.orgId),
  );
  return { item, people, orgNames, timeline, release, releaseNames };
}
