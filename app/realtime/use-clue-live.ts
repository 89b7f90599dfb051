import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { acquireSocket } from "~/realtime/socket.client";

/**
 * Keeps a clue page current (ADR 023): the page watches the clue's socket.io room, which the server
 * lets it join only under the clue policy; on `clue:changed` (签收, 退回, 反馈, 办结, 授权…) the page's
 * data is reloaded through HTTP, where the policy decides again. The event itself carries no content.
 */
export function useClueLive(clueId: string): void {
  const revalidator = useRevalidator();
  const reload = useRef(revalidator.revalidate);
  reload.current = revalidator.revalidate;

  useEffect(() => {
    const { socket, release } = acquireSocket();
    const watch = () => socket.emit("clue:watch", { clueId });
    const changed = (payload: { clueId?: string }) => {
      if (payload?.clueId === clueId) reload.current();
    };
    if (socket.connected) watch();
    socket.on("connect", watch);
    socket.on("clue:changed", changed);
    return () => {
      socket.emit("clue:unwatch", { clueId });
      socket.off("connect", watch);
      socket.off("clue:changed", changed);
      release();
    };
  }, [clueId]);
}
