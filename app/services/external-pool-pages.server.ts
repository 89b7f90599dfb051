import { database } from "~/models/unit-of-work.server";
import type { Actor } from "~/domain/actor";
import { formatDateTime } from "~/domain/dates";
import { externalKindLabel, externalStatusLabel } from "~/domain/external";
import { listAuditTimeline } from "~/models/audit.server";
import { listExternalPeople, type ExternalPersonRow, type PoolFilter } from "~/models/external-person.server";
import { enforce } from "~/policies/decision";
import {
  authorizePool,
  browsablePoolRegionPaths,
  canKeepPool,
  poolEntryAbilities,
  poolKeeperRegionPaths,
} from "~/policies/external";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { poolEntryFacts, type KeptPerson } from "~/services/external-people.server";

/**
 * Queries of the 专家库 pages (ADR 024): the list of the pools the actor may browse (its regions' and
 * those above; never the contact), the regions it keeps (the add form), and one entry for its keeper.
 */

/** A list row as the page shows it: no contact; `canEdit` for the keepers of its region. */
export function presentPoolRow(r: ExternalPersonRow, actor: Actor) {
  return {
    id: r.id,
    name: r.name,
    kind: externalKindLabel(r.kind),
    fields: r.fields,
    title: r.title,
    employer: r.employer,
    region: r.region.name,
    hasAccount: r.userId !== null,
    status: r.status,
    statusLabel: externalStatusLabel(r.status),
    canEdit: canKeepPool(actor, r.region.path),
  };
}

/** The pools the actor may browse, filtered: 403 (in Chinese) for who may not open the pool. */
export async function loadPool(actor: Actor, filter: Omit<PoolFilter, "regionPaths">) {
  enforce(authorizePool(actor, "open"));
  const rows = await listExternalPeople(database(), { ...filter, regionPaths: browsablePoolRegionPaths(actor) });
  return {
    rows: rows.map((r) => presentPoolRow(r, actor)),
    canAdd: authorizePool(actor, "add").allowed,
  };
}

/** The regions whose pool the user keeps (the add form's choice); 403 when none. */
export function poolKeeperRegions(user: CurrentUser): Array<{ id: string; name: string }> {
  enforce(authorizePool(user.actor, "add"));
  const kept = new Set(poolKeeperRegionPaths(user.actor));
  const regions = new Map<string, string>();
  for (const m of user.memberships) if (kept.has(m.org.region.path)) regions.set(m.org.region.id, m.org.region.name);
  return [...regions].map(([id, name]) => ({ id, name }));
}

/** The keeper's page of one entry: the entry with its contact, what may be done, its 维护记录. */
export async function loadKeptPersonPage(user: CurrentUser, p: KeptPerson) {
  const timeline = await listAuditTimeline(database(), "ExternalPerson", p.id, formatDateTime, 50);
  return {
    person: {
      id: p.id,
      kind: p.kind,
      kindLabel: externalKindLabel(p.kind),
      name: p.name,
      fields: p.fields,
      title: p.title,
      employer: p.employer,
      contact: p.contact,
      region: p.region.name,
      status: p.status,
      statusLabel: externalStatusLabel(p.status),
      account: p.user ? { username: p.user.username, active: p.user.active } : null,
    },
    abilities: poolEntryAbilities(user.actor, poolEntryFacts(p)),
    timeline,
  };
}
