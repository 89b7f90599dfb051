import { createContext, useContext, useEffect, useMemo, useState } from "react";
import { isOverdue, type ItemKind } from "~/domain/tracked-item";
import { acquireSocket } from "~/realtime/socket.client";

/** An organization the item pickers offer (the directory of the document owner's province). */
export interface ItemOrg {
  id: string;
  name: string;
  /** 行政区划 name, e.g. 示例市 / 甲县 */
  region: string;
}

/** The tracking side of an item (its TrackedItem row), as the page loader and socket.io give it. */
export interface ItemRow {
  id: string;
  number: number | null;
  status: string;
  /** ISO instant (end of the due day in China time), or null. */
  dueDate: string | null;
  overdue: boolean;
}

/** What the item node views read: the document's item kind, org names for the pickers and the rows' live status. */
export interface TrackedItemsContextValue {
  /** The kind of the document's items (议定事项 / 整改措施 / 督办案件): labels and fields follow it. */
  kind: ItemKind;
  /** false in documents that track no items (典型案例, 书面回复): no insert button. */
  tracksItems?: boolean;
  orgs: readonly ItemOrg[];
  orgById: ReadonlyMap<string, ItemOrg>;
  items: ReadonlyMap<string, ItemRow>;
  /** false until the page joined the document's room (live badges). */
  live: boolean;
}

const EMPTY: TrackedItemsContextValue = {
  kind: "AGREED_ITEM",
  orgs: [],
  orgById: new Map(),
  items: new Map(),
  live: false,
};

export const TrackedItemsContext = createContext<TrackedItemsContextValue>(EMPTY);

export function useTrackedItems(): TrackedItemsContextValue {
  return useContext(TrackedItemsContext);
}

/** The payload of the socket.io `item:status` event (room `doc:<documentId>`). */
export interface ItemStatusMessage {
  itemId: string;
  status: string;
  dueDate: string | null;
}

/** Applies an `item:status` message to the rows (exported for tests). */
export function applyItemStatus(
  items: ReadonlyMap<string, ItemRow>,
  msg: ItemStatusMessage,
  now = new Date(),
): Map<string, ItemRow> {
  const next = new Map(items);
  const prev = items.get(msg.itemId);
  // A null due date in the message means "not part of this change" (activation sends none).
  const dueDate = msg.dueDate ?? prev?.dueDate ?? null;
  const overdue = isOverdue({ status: msg.status, dueDate: dueDate ? new Date(dueDate) : null }, now);
  next.set(msg.itemId, { id: msg.itemId, number: prev?.number ?? null, status: msg.status, dueDate, overdue });
  return next;
}

function isStatusMessage(v: unknown): v is ItemStatusMessage {
  if (!v || typeof v !== "object") return false;
  const m = v as Record<string, unknown>;
  return (
    typeof m.itemId === "string" &&
    typeof m.status === "string" &&
    (m.dueDate === null || typeof m.dueDate === "string")
  );
}

/**
 * The context value for a document page: the loader's rows, kept live by joining the document's
 * socket.io room (`document:watch`, again after every reconnect) and applying `item:status`.
 * `kind` is the kind of the document's items (from its type).
 */
export function useLiveTrackedItems(
  documentId: string,
  orgs: readonly ItemOrg[],
  initialItems: readonly ItemRow[],
  documentKind: ItemKind | null = "AGREED_ITEM",
): TrackedItemsContextValue {
  const kind: ItemKind = documentKind ?? "AGREED_ITEM";
  const tracksItems = documentKind !== null;
  const [items, setItems] = useState<ReadonlyMap<string, ItemRow>>(() => new Map(initialItems.map((i) => [i.id, i])));
  const [live, setLive] = useState(false);

  // New loader data (revalidation) replaces the rows.
  useEffect(() => {
    setItems(new Map(initialItems.map((i) => [i.id, i])));
  }, [initialItems]);

  useEffect(() => {
    const { socket, release } = acquireSocket();
    let active = true;
    const watch = () => {
      socket.emit("document:watch", { documentId }, (res: { ok: boolean } | undefined) => {
        if (active) setLive(Boolean(res?.ok));
      });
    };
    const onStatus = (msg: unknown) => {
      if (isStatusMessage(msg)) setItems((current) => applyItemStatus(current, msg));
    };
    const onDisconnect = () => setLive(false);
    socket.on("connect", watch);
    socket.on("disconnect", onDisconnect);
    socket.on("item:status", onStatus);
    if (socket.connected) watch();
    return () => {
      active = false;
      socket.off("connect", watch);
      socket.off("disconnect", onDisconnect);
      socket.off("item:status", onStatus);
      if (socket.connected) socket.emit("document:unwatch", { documentId });
      release();
    };
  }, [documentId]);

  const orgById = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  return useMemo(
    () => ({ kind, tracksItems, orgs, orgById, items, live }),
    [kind, tracksItems, orgs, orgById, items, live],
  );
}
