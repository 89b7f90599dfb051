import type { Prisma, Tx } from "~/db.server";
import { isId } from "~/domain/ids";
import { parseFields } from "~/domain/external";

/**
 * The pool of outside participants (ADR 024). `contact` is selected only by `getExternalPerson`
 * (the keeper's page): lists, pickers and invitations never read it.
 */

const listSelect = {
  id: true,
  kind: true,
  name: true,
  fields: true,
  title: true,
  employer: true,
  status: true,
  userId: true,
  regionId: true,
  region: { select: { name: true, path: true } },
  user: { select: { username: true, active: true } },
} as const;

export type ExternalPersonRow = Omit<Prisma.ExternalPersonGetPayload<{ select: typeof listSelect }>, "fields"> & {
  fields: string[];
};

function withFields<T extends { fields: string }>(row: T): Omit<T, "fields"> & { fields: string[] } {
  return { ...row, fields: parseFields(row.fields) };
}

export interface PoolFilter {
  /** Pools of these regions (exact region paths). */
  regionPaths: readonly string[];
  kind?: string | null;
  field?: string | null;
  /** Part of the name, employer or title. */
  q?: string | null;
  status?: string | null;
}

/** Pool entries of the given regions, filtered; newest last within a kind, by name. */
export async function listExternalPeople(tx: Tx, f: PoolFilter): Promise<ExternalPersonRow[]> {
  if (f.regionPaths.length === 0) return [];
  const q = f.q?.trim();
  const rows = await tx.externalPerson.findMany({
    where: {
      region: { path: { in: [...f.regionPaths] } },
      ...(f.kind ? { kind: f.kind } : {}),
      ...(f.status ? { status: f.status } : {}),
      // 领域 is a JSON array of strings: the quoted value matches one element exactly.
      ...(f.field ? { fields: { contains: JSON.stringify(f.field) } } : {}),
      ...(q ? { OR: [{ name: { contains: q } }, { employer: { contains: q } }, { title: { contains: q } }] } : {}),
    },
    select: listSelect,
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    take: 500,
  });
  return rows.map(withFields);
}

/** Active pool entries with an account, among `ids` (the people a convener picked). */
export async function listInvitableExternalPeople(tx: Tx, ids: readonly string[]): Promise<ExternalPersonRow[]> {
  const valid = ids.filter(isId);
  if (valid.length === 0) return [];
  const rows = await tx.externalPerson.findMany({
    where: { id: { in: valid }, status: "ACTIVE", user: { active: true } },
    select: listSelect,
  });
  return rows.map(withFields);
}

/** One entry with its private contact (the keeper's page), or null. */
export async function getExternalPerson(tx: Tx, id: string) {
  if (!isId(id)) return null;
  const row = await tx.externalPerson.findUnique({ where: { id }, select: { ...listSelect, contact: true } });
  return row ? withFields(row) : null;
}

/** The pool entry of an outside participant's account (its signature: 专家 张某（法学）), or null. */
export async function getExternalPersonOfUser(tx: Tx, userId: string) {
  const row = await tx.externalPerson.findUnique({
    where: { userId },
    select: { id: true, kind: true, name: true, fields: true },
  });
  return row ? withFields(row) : null;
}

/** The signatures of several accounts at once (comment lists, participant lists). */
export async function getExternalPeopleOfUsers(tx: Tx, userIds: readonly string[]) {
  if (userIds.length === 0) return new Map<string, { kind: string; name: string; fields: string[] }>();
  const rows = await tx.externalPerson.findMany({
    where: { userId: { in: [...userIds] } },
    select: { userId: true, kind: true, name: true, fields: true },
  });
  return new Map(rows.map((r) => [r.userId as string, { kind: r.kind, name: r.name, fields: parseFields(r.fields) }]));
}

/** What a keeper writes of an entry (the region is chosen once, at creation). */
export interface ExternalPersonData {
  kind: string;
  name: string;
  fields: readonly string[];
  title: string;
  employer: string;
  contact: string;
}

export async function createExternalPerson(
  tx: Tx,
  input: ExternalPersonData & { id: string; regionId: string; createdById: string },
): Promise<void> {
  await tx.externalPerson.create({
    data: {
      id: input.id,
      regionId: input.regionId,
      kind: input.kind,
      name: input.name,
      fields: JSON.stringify(input.fields),
      title: input.title,
      employer: input.employer,
      contact: input.contact,
      createdById: input.createdById,
    },
    select: { id: true },
  });
}

export async function updateExternalPerson(tx: Tx, id: string, input: ExternalPersonData): Promise<void> {
  await tx.externalPerson.update({
    where: { id },
    data: { ...input, fields: JSON.stringify(input.fields) },
    select: { id: true },
  });
}

/** 停用 / 启用, guarded by the status it is in: false when it was changed meanwhile. */
export async function setExternalPersonStatus(tx: Tx, id: string, from: string, to: string): Promise<boolean> {
  const { count } = await tx.externalPerson.updateMany({ where: { id, status: from }, data: { status: to } });
  return count === 1;
}

/** Links the entry's sign-in account, unless it has one already (false then). */
export async function linkExternalAccount(tx: Tx, id: string, userId: string): Promise<boolean> {
  const { count } = await tx.externalPerson.updateMany({ where: { id, userId: null }, data: { userId } });
  return count === 1;
}

/** The linked account follows its entry: its display name and its kind. */
export async function updateExternalAccount(
  tx: Tx,
  userId: string,
  input: { displayName: string; externalKind: string },
): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: input, select: { id: true } });
}
