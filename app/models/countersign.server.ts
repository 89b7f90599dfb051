import type { Tx } from "~/db.server";
import { newId } from "~/utils/ids";

/**
 * Countersign rows (会签, ADR 006/010): one row per org and round on a subject — a document ("") or
 * one of its tracked items (解除挂牌). Rounds are numbered per subject.
 */

/** The number of the latest round on a subject, or null when none was opened. */
export async function getLatestRoundNumber(tx: Tx, documentId: string, subject: string): Promise<number | null> {
  const last = await tx.countersign.findFirst({
    where: { documentId, subject },
    orderBy: { round: "desc" },
    select: { round: true },
  });
  return last?.round ?? null;
}

const roundRowSelect = {
  id: true,
  orgId: true,
  decision: true,
  comment: true,
  decidedAt: true,
  versionId: true,
} as const;

export async function listRoundRows(tx: Tx, documentId: string, subject: string, round: number) {
  return tx.countersign.findMany({
    where: { documentId, subject, round },
    select: roundRowSelect,
    orderBy: { createdAt: "asc" },
  });
}

/** The version frozen for the latest round on a subject (the text under review), or null. */
export async function getLatestRoundVersionJson(tx: Tx, documentId: string, subject: string): Promise<string | null> {
  return (await getLatestRoundVersion(tx, documentId, subject))?.version.json ?? null;
}

export async function createRoundRows(
  tx: Tx,
  input: {
    documentId: string;
    subject: string;
    round: number;
    versionId: string;
    orgIds: readonly string[];
    approvedBy?: { orgId: string; userId: string };
    now: Date;
  },
): Promise<void> {
  await tx.countersign.createMany({
    data: input.orgIds.map((orgId) => {
      const approved = input.approvedBy?.orgId === orgId;
      return {
        id: newId(),
        documentId: input.documentId,
        subject: input.subject,
        round: input.round,
        versionId: input.versionId,
        orgId,
        ...(approved ? { decision: "APPROVED", decidedById: input.approvedBy!.userId, decidedAt: input.now } : {}),
      };
    }),
  });
}

/** Records a decision on a row still PENDING; false when someone decided it meanwhile. */
export async function decidePendingRow(
  tx: Tx,
  rowId: string,
  input: { decision: "APPROVED" | "RETURNED"; comment: string | null; userId: string; now: Date },
): Promise<boolean> {
  const taken = await tx.countersign.updateMany({
    where: { id: rowId, decision: "PENDING" },
    data: { decision: input.decision, comment: input.comment, decidedById: input.userId, decidedAt: input.now },
  });
  return taken.count > 0;
}

/** A return ends the round: the rows still pending are cancelled. */
export async function cancelPendingRows(tx: Tx, documentId: string, subject: string, round: number): Promise<void> {
  await tx.countersign.updateMany({
    where: { documentId, subject, round, decision: "PENDING" },
    data: { decision: "CANCELLED" },
  });
}

export async function countPendingRows(tx: Tx, documentId: string, subject: string, round: number): Promise<number> {
  return tx.countersign.count({ where: { documentId, subject, round, decision: "PENDING" } });
}

/**
 * The latest round on a subject as pages show it: its number and version, and every org's row; null
 * when none was opened.
 */
export async function getLatestRoundView(tx: Tx, documentId: string, subject: string) {
  const round = await getLatestRoundNumber(tx, documentId, subject);
  if (round === null) return null;
  const rows = await tx.countersign.findMany({
    where: { documentId, subject, round },
    select: {
      orgId: true,
      decision: true,
      comment: true,
      decidedAt: true,
      version: { select: { number: true, sha256: true } },
    },
  });
  return { round, rows };
}

/** The version frozen for the latest round on a subject (the text under review) with its round, or null. */
export async function getLatestRoundVersion(tx: Tx, documentId: string, subject: string) {
  const row = await tx.countersign.findFirst({
    where: { documentId, subject },
    orderBy: { round: "desc" },
    select: { round: true, version: { select: { number: true, json: true } } },
  });
  return row ? { round: row.round, version: row.version } : null;
}
