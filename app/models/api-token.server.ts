import type { Tx } from "~/db.server";
import { newId } from "~/utils/ids";

/** API tokens (ADR 027): only the SHA-256 hash of a token is stored. */

const apiTokenRowSelect = {
  id: true,
  orgId: true,
  name: true,
  scopes: true,
  prefix: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  createdById: true,
  createdAt: true,
} as const;

export interface ApiTokenRow {
  id: string;
  orgId: string;
  name: string;
  scopes: string;
  prefix: string;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdById: string;
  createdAt: Date;
}

export async function createApiToken(
  tx: Tx,
  input: {
    orgId: string;
    name: string;
    scopes: string;
    tokenHash: string;
    prefix: string;
    expiresAt: Date;
    createdById: string;
  },
): Promise<ApiTokenRow> {
  return tx.apiToken.create({ data: { id: newId(), ...input }, select: apiTokenRowSelect });
}

export async function listApiTokens(tx: Tx, orgId: string): Promise<ApiTokenRow[]> {
  return tx.apiToken.findMany({ where: { orgId }, orderBy: { createdAt: "desc" }, select: apiTokenRowSelect });
}

export async function getApiToken(tx: Tx, id: string): Promise<ApiTokenRow | null> {
  return tx.apiToken.findUnique({ where: { id }, select: apiTokenRowSelect });
}

/** The token of a hash with its org's kind and region (what the API's actor is built from). */
export async function findApiTokenByHash(tx: Tx, tokenHash: string) {
  return tx.apiToken.findUnique({
    where: { tokenHash },
    select: {
      ...apiTokenRowSelect,
      org: {
        select: {
          id: true,
          name: true,
          shortName: true,
          kind: true,
          active: true,
          region: { select: { id: true, name: true, level: true, path: true } },
        },
      },
    },
  });
}

/** Revokes a token that is not yet revoked; false when it was already. */
export async function revokeApiToken(tx: Tx, id: string, at: Date): Promise<boolean> {
  const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  return count === 1;
}

export async function touchApiToken(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.apiToken.updateMany({ where: { id }, data: { lastUsedAt: at } });
}
