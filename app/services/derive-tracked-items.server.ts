import { getDb } from "~/db.server";
import type { EventBus } from "~/domain/events";
import { syncTrackedItems } from "~/models/tracked-item.server";

/**
 * Derives a document's tracked items from its live content (the collab server calls this after a
 * pause in editing and when the document is stored), in one transaction. Blocks whose row now exists
 * (new, or back after an undo) get their badge and link at once: `item.status_changed` for each.
 */
export async function deriveTrackedItems(
  documentId: string,
  content: unknown,
  ctx: { events: EventBus },
): Promise<void> {
  const synced = await getDb().$transaction((tx) => syncTrackedItems(tx, documentId, content));
  for (const itemId of synced.appeared)
    ctx.events.publish({ type: "item.status_changed", documentId, itemId, status: "DRAFT", dueDate: null });
}
