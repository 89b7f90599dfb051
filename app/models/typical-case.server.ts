import type { Prisma, Tx } from "~/db.server";
import { newId } from "~/utils/ids";

/**
 * 典型案例: the private metadata of a TYPICAL_CASE document (领域, 批次, 当事人), the publishers'
 * overrides of the redaction check, and the document facts a release is made of. 当事人 never leave
 * the signed-in side: the public pages read Publication only (publication.server.ts).
 */

export interface CaseMeta {
  field: string;
  batch: string;
  /** 当事人: one name per entry. */
  parties: readonly string[];
}

export async function createCaseMeta(tx: Tx, documentId: string, meta: CaseMeta): Promise<void> {
  await tx.typicalCase.create({
    data: { documentId, field: meta.field, batch: meta.batch, parties: JSON.stringify(meta.parties) },
  });
}

export async function saveCaseMeta(tx: Tx, documentId: string, meta: CaseMeta): Promise<void> {
  await tx.typicalCase.update({
    where: { documentId },
    data: { field: meta.field, batch: meta.batch, parties: JSON.stringify(meta.parties) },
  });
}

/** 领域, 批次 and the stored 当事人 (a JSON array) of a case, or null. */
export async function getCaseMeta(tx: Tx, documentId: string) {
  return tx.typicalCase.findUnique({ where: { documentId }, select: { field: true, batch: true, parties: true } });
}

const checkFactsSelect = {
  parties: true,
  overrides: { select: { key: true, reason: true, byId: true, createdAt: true } },
} as const;

export type CaseCheckFacts = Prisma.TypicalCaseGetPayload<{ select: typeof checkFactsSelect }> & {
  /** Names of the users who made the overrides, by id. */
  overriders: Map<string, string>;
};

/** What the 脱敏检查 reads besides the text: the 当事人 and the overrides with who made them; null for no case. */
export async function getCaseCheckFacts(tx: Tx, documentId: string): Promise<CaseCheckFacts | null> {
  const meta = await tx.typicalCase.findUnique({ where: { documentId }, select: checkFactsSelect });
  if (!meta) return null;
  const users = await tx.user.findMany({
    where: { id: { in: [...new Set(meta.overrides.map((o) => o.byId))] } },
    select: { id: true, displayName: true },
  });
  return { ...meta, overriders: new Map(users.map((u) => [u.id, u.displayName])) };
}

/** A publisher's decision that one finding is no personal data (unique per case and key). */
export async function createRedactionOverride(
  tx: Tx,
  input: { documentId: string; key: string; reason: string; byId: string },
): Promise<void> {
  await tx.redactionOverride.create({ data: { id: newId(), ...input } });
}

const releaseSelect = {
  finalVersionId: true,
  finalHash: true,
  ownerOrg: { select: { name: true } },
  members: { where: { access: "WRITE" }, select: { org: { select: { name: true } } } },
  typicalCase: { select: { field: true, batch: true } },
} as const;

/** What a release of a case is made of besides its text: the final version, the releasing orgs, 领域 and 批次. */
export type CaseRelease = Prisma.DocumentGetPayload<{ select: typeof releaseSelect }>;

export async function getCaseRelease(tx: Tx, documentId: string): Promise<CaseRelease | null> {
  return tx.document.findUnique({ where: { id: documentId }, select: releaseSelect });
}

const listSelect = {
  id: true,
  title: true,
  status: true,
  updatedAt: true,
  ownerOrg: { select: { name: true } },
  typicalCase: { select: { batch: true, field: true } },
  publications: { where: { current: true }, select: { slug: true, state: true } },
} as const;

/**
 * Cases of the given orgs (owned or co-released), and every case owned in the given regions and below
 * (a justice bureau's batch tracking), most recently changed first.
 */
export async function listTypicalCases(
  tx: Tx,
  scope: { orgIds: readonly string[]; regionPaths: readonly string[] },
  take = 500,
) {
  const orgIds = [...scope.orgIds];
  return tx.document.findMany({
    where: {
      type: "TYPICAL_CASE",
      OR: [
        { ownerOrgId: { in: orgIds } },
        { members: { some: { orgId: { in: orgIds } } } },
        ...scope.regionPaths.map((path) => ({ ownerOrg: { region: { path: { startsWith: path } } } })),
      ],
    },
    select: listSelect,
    orderBy: { updatedAt: "desc" },
    take,
  });
}
