import type { Prisma, Tx } from "~/db.server";
import { newId } from "~/utils/ids";

/** 延期申请: the lead org asks for a later due date; the convening org approves or refuses it once. */

export async function hasPendingExtension(tx: Tx, itemId: string): Promise<boolean> {
  return (await tx.extensionRequest.count({ where: { itemId, status: "PENDING" } })) > 0;
}

export async function createExtensionRequest(
  tx: Tx,
  input: { itemId: string; orgId: string; requestedById: string; reason: string; currentDue: Date; requestedDue: Date },
): Promise<void> {
  await tx.extensionRequest.create({ data: { id: newId(), ...input }, select: { id: true } });
}

const requestSelect = { id: true, status: true, requestedDue: true, requestedById: true } as const;

export type ExtensionRequestRow = Prisma.ExtensionRequestGetPayload<{ select: typeof requestSelect }>;

/** A request on the item, or null (an id from another item is none). */
export async function getExtensionRequest(tx: Tx, itemId: string, id: string): Promise<ExtensionRequestRow | null> {
  return tx.extensionRequest.findFirst({ where: { id, itemId }, select: requestSelect });
}

/** Decides a request still PENDING; false when it was decided meanwhile. */
export async function decidePendingExtension(
  tx: Tx,
  id: string,
  input: { approve: boolean; userId: string; comment: string | null; now: Date },
): Promise<boolean> {
  const taken = await tx.extensionRequest.updateMany({
    where: { id, status: "PENDING" },
    data: {
      status: input.approve ? "APPROVED" : "REFUSED",
      decidedById: input.userId,
      decidedAt: input.now,
      decisionComment: input.comment,
    },
  });
  return taken.count > 0;
}
