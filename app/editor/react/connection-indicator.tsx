import { cx } from "~/components/ui";
import { describeConnection, type CollabStatus } from "./use-collab-session";

const TONES = {
  ok: "bg-green-100 text-green-800",
  pending: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
} as const;

/** The status line of the editor: 已连接 / 正在连接 / 正在重连 — N 处修改未同步 / 离线 / 连接已断开. */
export function ConnectionIndicator({ status }: { status: CollabStatus }) {
  const { label, tone, state } = describeConnection(status);
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection"
      data-state={state}
      className={cx("rounded px-2 py-1 text-xs font-medium", TONES[tone])}
    >
      {label}
    </span>
  );
}
