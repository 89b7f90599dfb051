import * as Popover from "@radix-ui/react-popover";
import { acquireSocket } from "~/realtime/socket.client";
import { useFetcher } from "@remix-run/react";
import { Bell } from "lucide-react";
import { useEffect, useState } from "react";
import { formatDateTime } from "~/domain/dates";

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt?: string | null;
}

interface ListData {
  notifications: NotificationView[];
  unread: number;
}

/** Bell with the unread count; new notifications arrive over socket.io without reloading. */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const [unread, setUnread] = useState(initialUnread);
  const [live, setLive] = useState<NotificationView[]>([]);
  const [connected, setConnected] = useState(false);
  // Read out by screen readers when a notification arrives, whether or not the list is open (4.1.3).
  const [announcement, setAnnouncement] = useState("");
  const list = useFetcher<ListData>();
  const action = useFetcher<{ ok: boolean }>();

  useEffect(() => setUnread(initialUnread), [initialUnread]);

  useEffect(() => {
    const { socket, release } = acquireSocket();
    const onConnect = () => setConnected(true);
    const onDisconnect = () => setConnected(false);
    const onNotification = (n: NotificationView) => {
      setUnread((u) => u + 1);
      setLive((items) => [n, ...items.filter((i) => i.id !== n.id)].slice(0, 20));
      setAnnouncement(`新通知：${n.title}`);
    };
    setConnected(socket.connected);
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("notification", onNotification);
    return () => {
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("notification", onNotification);
      release();
    };
  }, []);

  const fetched = list.data?.notifications ?? [];
  const items = [...live.filter((l) => !fetched.some((f) => f.id === l.id)), ...fetched];

  return (
    <>
      <p role="status" className="sr-only" data-testid="notification-announcement">
        {announcement}
      </p>
      <Popover.Root onOpenChange={(open) => open && list.load("/api/notifications")}>
        <Popover.Trigger
          className="relative rounded-full p-2 text-slate-600 hover:bg-slate-100"
          aria-label={unread > 0 ? `通知，${unread} 条未读` : "通知"}
          data-testid="notification-bell"
          data-connected={connected ? "true" : "false"}
        >
          <Bell className="h-5 w-5" aria-hidden />
          {unread > 0 ? (
            <span
              data-testid="unread-count"
              className="absolute -right-0.5 -top-0.5 min-w-[1.25rem] rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white"
            >
              {unread > 99 ? "99+" : unread}
            </span>
          ) : null}
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            align="end"
            sideOffset={8}
            className="z-50 w-80 rounded-lg border border-slate-200 bg-white shadow-xl"
          >
            <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
              <span className="text-sm font-semibold">通知</span>
              <action.Form method="post" action="/api/notifications" onSubmit={() => setUnread(0)}>
                <input type="hidden" name="intent" value="markAllRead" />
                <button className="text-xs text-brand-700 hover:underline" type="submit">
                  全部标为已读
                </button>
              </action.Form>
            </div>
            <ul className="max-h-80 overflow-y-auto" aria-live="polite">
              {items.length === 0 ? (
                <li className="px-3 py-6 text-center text-sm text-slate-500">
                  {list.state === "loading" ? "正在加载…" : "暂无通知"}
                </li>
              ) : null}
              {items.map((n) => (
                <li key={n.id} className="border-b border-slate-50 px-3 py-2 text-sm">
                  <p className={n.readAt ? "text-slate-600" : "font-medium text-slate-900"}>
                    {n.link ? (
                      <a href={n.link} className="hover:underline">
                        {n.title}
                      </a>
                    ) : (
                      n.title
                    )}
                  </p>
                  {n.body ? <p className="text-xs text-slate-500">{n.body}</p> : null}
                  <p className="mt-0.5 text-xs text-slate-500">{formatDateTime(n.createdAt)}</p>
                </li>
              ))}
            </ul>
            <div className="flex items-center justify-between px-3 py-2 text-xs text-slate-500">
              <span>{connected ? "● 实时连接正常" : "○ 实时连接已断开，正在重连"}</span>
            </div>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
    </>
  );
}
