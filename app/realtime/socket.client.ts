import { io, type Socket } from "socket.io-client";

let shared: Socket | null = null;
let users = 0;

/**
 * The page's one socket.io connection (notifications, export progress, live statuses), opened by
 * the first component that needs it and closed when the last one lets go.
 */
export function acquireSocket(): { socket: Socket; release: () => void } {
  shared ??= io({ path: "/socket.io/", transports: ["websocket"], withCredentials: true });
  users++;
  const socket = shared;
  let released = false;
  return {
    socket,
    release() {
      if (released) return;
      released = true;
      users--;
      if (users === 0 && shared) {
        shared.disconnect();
        shared = null;
      }
    },
  };
}
