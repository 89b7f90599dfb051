import type { Tx } from "~/db.server";
import { newId } from "~/utils/ids";
import { attachmentData, type StoredFile } from "./attachment.server";
import { markSearchDirty } from "./search.server";

/** 进展报告: what a working org reports on an item, with its attachments. */
export async function createProgressReport(
  tx: Tx,
  input: {
    itemId: string;
    orgId: string;
    authorId: string;
    text: string;
    newStatus: string | null;
    files: readonly StoredFile[];
  },
): Promise<string> {
  const id = newId();
  await tx.progressReport.create({
    data: {
      id,
      itemId: input.itemId,
      orgId: input.orgId,
      authorId: input.authorId,
      text: input.text,
      newStatus: input.newStatus,
      attachments: { create: input.files.map(attachmentData) },
    },
    select: { id: true },
  });
  await markSearchDirty(tx, "item", [input.itemId]);
  return id;
}

/**
 * Whether the author already sent this very report on the item since `since` (a double click, a
 * resent form): the second one is not stored again.
 */
export async function hasRecentSameReport(
  tx: Tx,
  input: { itemId: string; authorId: string; text: string; since: Date },
): Promise<boolean> {
  const row = await tx.progressReport.findFirst({
    where: { itemId: input.itemId, authorId: input.authorId, text: input.text, createdAt: { gte: input.since } },
    select: { id: true },
  });
  return row !== null;
}
