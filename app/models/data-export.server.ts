import type { Prisma, Tx } from "~/db.server";
import { ledgerRowSelect, type LedgerRow } from "~/models/ledger.server";
import {
  LIST_SELECT,
  REGISTER_VIEWS,
  registerViewWhere,
  type RecommendationListRow,
} from "~/models/recommendation.server";

/**
 * The reads of the data-exchange API's bulk export (ADR 027): every row of a scope in keyset pages
 * on the primary key (`id > last`, `batch` rows a query), so memory stays flat however many rows
 * match and no page costs an OFFSET scan. The scopes themselves come from the ledger
 * (`ledgerWhere`) and the recommendations register (`registerViewWhere`).
 */

export const EXPORT_BATCH = 500;

/** Pages of rows in id order: `read` gets the id to start after (null first) and the page size. */
async function* pagesById<T extends { id: string }>(
  read: (after: string | null, take: number) => Promise<T[]>,
  batch: number,
): AsyncGenerator<T[]> {
  let after: string | null = null;
  for (;;) {
    const page = await read(after, batch);
    if (page.length) yield page;
    if (page.length < batch) return;
    after = page[page.length - 1].id;
  }
}

const afterId = (after: string | null) => (after === null ? [] : [{ id: { gt: after } }]);

/** Every ledger row of `where` (the rows the API's /items answers), in id order. */
export function iterateItemRowsById(
  tx: Tx,
  where: Prisma.TrackedItemWhereInput,
  batch = EXPORT_BATCH,
): AsyncGenerator<LedgerRow[]> {
  return pagesById(
    (after, take) =>
      tx.trackedItem.findMany({
        where: { AND: [where, ...afterId(after)] },
        orderBy: { id: "asc" },
        take,
        select: ledgerRowSelect,
      }),
    batch,
  );
}

/** A supervised case (挂牌督办) as exported: the ledger row with the 督办单位 (SUPERVISING) beside the 协办单位. */
export const listingRowSelect = {
  ...ledgerRowSelect,
  ownerOrgId: true,
  orgs: {
    where: { role: { in: ["SUPPORTING", "SUPERVISING"] } },
    select: { orgId: true, role: true, org: { select: { name: true, shortName: true } } },
    orderBy: { orgId: "asc" },
  },
} satisfies Prisma.TrackedItemSelect;

export type ListingRow = Prisma.TrackedItemGetPayload<{ select: typeof listingRowSelect }>;

/** Every supervised case of `where` (a ledger scope narrowed to SUPERVISED_CASE), in id order. */
export function iterateListingRowsById(
  tx: Tx,
  where: Prisma.TrackedItemWhereInput,
  batch = EXPORT_BATCH,
): AsyncGenerator<ListingRow[]> {
  return pagesById(
    (after, take) =>
      tx.trackedItem.findMany({
        where: { AND: [where, ...afterId(after)] },
        orderBy: { id: "asc" },
        take,
        select: listingRowSelect,
      }),
    batch,
  );
}

/**
 * The orgs' whole register: the three views (to / from / copy) as one condition, so a
 * recommendation in several views (addressed to the org and copied to it) is one row.
 */
function wholeRegisterWhere(orgIds: string[]): Prisma.RecommendationWhereInput {
  return { OR: REGISTER_VIEWS.map((view) => registerViewWhere(orgIds, view)) };
}

export async function countWholeRegister(tx: Tx, orgIds: string[]): Promise<number> {
  return tx.recommendation.count({ where: wholeRegisterWhere(orgIds) });
}

/** Every recommendation of the orgs' register (each once), in id order. */
export function iterateWholeRegisterById(
  tx: Tx,
  orgIds: string[],
  batch = EXPORT_BATCH,
): AsyncGenerator<RecommendationListRow[]> {
  const where = wholeRegisterWhere(orgIds);
  return pagesById(
    (after, take) =>
      tx.recommendation.findMany({
        where: { AND: [where, ...afterId(after)] },
        orderBy: { id: "asc" },
        take,
        select: LIST_SELECT,
      }),
    batch,
  );
}

/** One page of supervised cases of `where`, newest listing first (GET /api/v1/listings). */
export function listListingPage(tx: Tx, where: Prisma.TrackedItemWhereInput, page: number, pageSize: number) {
  return tx.trackedItem.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    select: listingRowSelect,
  });
}
