import { database } from "~/models/unit-of-work.server";
import type { Actor } from "~/domain/actor";
import {
  admitLedgerLoad,
  getRegionPath,
  ledgerFilterOptions,
  ledgerStats,
  ledgerWhere,
  listLedgerPage,
  type LedgerQuery,
} from "~/models/ledger.server";

/**
 * 台账 as the page shows it (always inside the actor's scope): one page of rows, the summary and chart
 * counts over the same filters, and the filter choices. Admitted a few at a time (see
 * `admitLedgerLoad`). `regionPath` is null when the region filter is unknown (it is then ignored).
 */
export async function loadLedger(actor: Actor, query: LedgerQuery, now: Date, dueSoonDays: number) {
  const db = database();
  const regionPath = await getRegionPath(db, query.region);
  const where = ledgerWhere(actor, query, { now, regionPath });
  // While a series is chosen, its choices are those of the query without it.
  const seriesWhere = query.series ? ledgerWhere(actor, { ...query, series: null }, { now, regionPath }) : null;
  const [rows, stats, options] = await admitLedgerLoad(() =>
    Promise.all([
      listLedgerPage(db, where, query),
      ledgerStats(db, where, now, dueSoonDays),
      ledgerFilterOptions(db, actor, { consultationId: query.consultation, seriesWhere }),
    ]),
  );
  return { regionPath, rows, stats, options };
}
