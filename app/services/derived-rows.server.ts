import { transaction } from "~/models/unit-of-work.server";
import type { EventBus } from "~/domain/events";
import { syncTrackedItems } from "~/models/tracked-item.server";
import { syncCommentAnchors } from "./comments.server";

/**
 * The rows derived from a document's live content, brought in step with it (the collab server calls
 * this after a pause in editing and when the document is stored):
 * - tracked items: blocks whose row now exists (new, or back after an undo) get their badge and link
 *   at once (`item.status_changed`);
 * - comment threads: those whose anchor disappeared show 原文已删除, and come back with a restore
 *   (`comment.changed`, ADR 017).
 */
export async function syncDerivedRows(
  documentId: string,
  content: { rejected: unknown; kept: unknown },
  ctx: { events: EventBus },
): Promise<void> {
  // Items only from text that counts (open 修订 rejected, ADR 019); anchors wherever the text is.
  const synced = await transaction((tx) => syncTrackedItems(tx, documentId, content.rejected));
  for (const itemId of synced.appeared)
    ctx.events.publish({ type: "item.status_changed", documentId, itemId, status: "DRAFT", dueDate: null });
  await syncCommentAnchors(documentId, content.kept, (threadId) =>
    ctx.events.publish({ type: "comment.changed", documentId, threadId }),
  );
}
