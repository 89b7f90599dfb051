import { database } from "~/models/unit-of-work.server";
import { consultationScopeWhere, getConsultationDetail } from "~/models/consultation.server";
import {
  CONSULTATION_PAGE_SIZE,
  consultationFilterOptions,
  consultationListWhere,
  countConsultations,
  listConsultationPage,
  type ConsultationListQuery,
} from "~/models/consultation-list.server";
import { dayRange, readPage } from "~/utils/list-query";
import { listCarryCandidates } from "~/models/tracked-item.server";
import { listActiveStaff } from "~/models/user.server";
import { listExternalPeople } from "~/models/external-person.server";
import { notFound } from "~/domain/errors";
import type { Actor } from "~/domain/actor";
import { externalKindLabel } from "~/domain/external";
import { browsablePoolRegionPaths } from "~/policies/external";
import type { CurrentUser } from "~/services/auth/current-user.server";

/**
 * Queries of the 会商 pages (the commands are convene-consultation, create-minutes,
 * record-attendance, consultation-replies and consultation-schedule).
 */

/**
 * 会商 list: the consultations the user sees (the scope the list always had; filters only narrow it),
 * one page of the query and the filter choices. A page beyond the end shows the last one.
 */
export async function listMyConsultations(user: CurrentUser, query: ConsultationListQuery) {
  const db = database();
  const scope = consultationScopeWhere(
    user.id,
    user.actor.memberships.map((m) => m.orgId),
  );
  const { range, notice } = dayRange(query.from, query.to);
  const where = consultationListWhere(scope, query, range);
  const [paged, options] = await Promise.all([
    readPage(
      query.page,
      CONSULTATION_PAGE_SIZE,
      () => countConsultations(db, where),
      (page) => listConsultationPage(db, where, { sort: query.sort, page }),
    ),
    consultationFilterOptions(db, scope),
  ]);
  return { ...paged, notice, options };
}

/** One consultation with its convener and participants (the caller has checked access); 404 when gone. */
export async function getConsultation(id: string) {
  const c = await getConsultationDetail(database(), id);
  if (!c) throw notFound();
  return c;
}

/**
 * What the 召集会商 form offers the convening orgs: their active staff (主持人, 记录人) and the
 * unfinished items of their earlier meetings (跟进事项).
 */
export async function loadConveneChoices(conveningOrgIds: readonly string[]) {
  const db = database();
  const [staff, carry] = await Promise.all([
    listActiveStaff(db, conveningOrgIds),
    listCarryCandidates(db, [...conveningOrgIds]),
  ]);
  return { staff, carry };
}

/**
 * Whom the 召集会商 form offers as 特邀 guests (ADR 024): the active people with an account of the
 * pools the actor may browse — its convening regions' and those above them; never the contact.
 */
export async function listInvitableGuests(actor: Actor) {
  const people = await listExternalPeople(database(), {
    regionPaths: browsablePoolRegionPaths(actor),
    status: "ACTIVE",
  });
  return people
    .filter((p) => p.userId && p.user?.active)
    .map((p) => ({
      id: p.id,
      name: p.name,
      kind: externalKindLabel(p.kind),
      fields: p.fields,
      title: p.title,
      employer: p.employer,
      region: p.region.name,
    }));
}

/**
 * Whom a reply may delegate to (委派他人): the active members of the orgs whose rows the user
 * answers, by org, without the user themselves.
 */
export async function loadDelegateChoices(user: CurrentUser, orgIds: readonly string[]) {
  if (orgIds.length === 0) return new Map<string, Array<{ id: string; name: string }>>();
  const staff = await listActiveStaff(database(), [...new Set(orgIds)]);
  const byOrg = new Map<string, Array<{ id: string; name: string }>>();
  for (const m of staff)
    if (m.userId !== user.id)
      byOrg.set(m.orgId, [...(byOrg.get(m.orgId) ?? []), { id: m.userId, name: m.user.displayName }]);
  return byOrg;
}
