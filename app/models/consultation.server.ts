import type { Tx } from "~/db.server";
import type { ConsultationFacts } from "~/domain/consultation";

export async function getConsultationFacts(tx: Tx, id: string): Promise<(ConsultationFacts & { id: string }) | null> {
  const row = await tx.consultation.findUnique({
    where: { id },
    select: {
      id: true,
      conveningOrgId: true,
      conveningOrg: { select: { region: { select: { path: true } } } },
      participants: { select: { orgId: true, userId: true } },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    conveningOrgId: row.conveningOrgId,
    conveningRegionPath: row.conveningOrg.region.path,
    participants: row.participants,
  };
}

export async function getConsultationDetail(tx: Tx, id: string) {
  return tx.consultation.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      title: true,
      series: true,
      number: true,
      startsAt: true,
      endsAt: true,
      place: true,
      agenda: true,
      status: true,
      minutesId: true,
      conveningOrg: { select: { id: true, name: true } },
      participants: {
        select: {
          id: true,
          role: true,
          attendance: true,
          absenceReason: true,
          org: { select: { id: true, name: true } },
          user: { select: { id: true, displayName: true } },
        },
        orderBy: { createdAt: "asc" },
      },
    },
  });
}

/** Consultations the user sees: convened by one of their orgs, or inviting their org or them. */
export async function listConsultationsForUser(tx: Tx, userId: string, orgIds: string[], take = 100) {
  return tx.consultation.findMany({
    where: {
      OR: [
        { conveningOrgId: { in: orgIds } },
        { participants: { some: { orgId: { in: orgIds }, userId: null } } },
        { participants: { some: { userId } } },
      ],
    },
    select: {
      id: true,
      kind: true,
      title: true,
      series: true,
      number: true,
      startsAt: true,
      endsAt: true,
      place: true,
      status: true,
      conveningOrg: { select: { name: true } },
      _count: { select: { participants: true } },
    },
    orderBy: { startsAt: "desc" },
    take,
  });
}

export async function nextSeriesNumber(tx: Tx, conveningOrgId: string, series: string): Promise<number> {
  const last = await tx.consultation.findFirst({
    where: { conveningOrgId, series },
    orderBy: { number: "desc" },
    select: { number: true },
  });
  return (last?.number ?? 0) + 1;
}

/** The stored agenda (a JSON array of strings); anything else reads as no agenda. */
export function parseAgenda(stored: string): string[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** A stored JSON array of ids (e.g. carried item ids); anything else reads as empty. */
export function parseIdList(stored: string): string[] {
  return parseAgenda(stored).filter((x) => /^[A-Za-z0-9_-]{1,64}$/.test(x));
}

/** Finalized minutes finalize their consultation. */
export async function markConsultationFinalizedByMinutes(tx: Tx, minutesId: string): Promise<void> {
  await tx.consultation.updateMany({ where: { minutesId }, data: { status: "FINALIZED" } });
}
