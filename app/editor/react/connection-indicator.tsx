import { useEffect, useRef, useState } from "react";
import { cx } from "~/components/ui";
import { describeConnection, type CollabStatus } from "./use-collab-session";

const TONES = {
  ok: "bg-green-100 text-green-800",
  pending: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
} as const;

/** A drop from 已同步 is shown only once it has lasted this long: a quick reconnect shows nothing. */
export const CALM_MS = 1000;

/**
 * The status line of the editor: 已连接 / 正在连接 / 正在重连 — N 处修改未同步 / 离线 / 连接已断开.
 * A final document (`settledLabel`, e.g. 已定稿（只读）) cannot change, so its connection is no alarm.
 * `data-state` always tells the real state (tests wait on it); only the words stay calm.
 */
export function ConnectionIndicator({ status, settledLabel }: { status: CollabStatus; settledLabel?: string | null }) {
  const actual = describeConnection(status);
  const shown = useCalmDescription(actual);
  const { label, tone } =
    settledLabel && status.connection !== "refused" ? { label: settledLabel, tone: "ok" as const } : shown;
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection"
      data-state={actual.state}
      className={cx("rounded px-2 py-1 text-xs font-medium", TONES[tone])}
    >
      {label}
    </span>
  );
}

type Description = ReturnType<typeof describeConnection>;

/**
 * Keeps showing 已同步 for up to CALM_MS after the connection drops (the timer starts at the drop and
 * is not restarted by further changes, so a flapping connection shows within a second); anything
 * else shows at once.
 */
function useCalmDescription(actual: Description): Description {
  const [shown, setShown] = useState(actual);
  const latest = useRef(actual);
  latest.current = actual;
  const calmDrop = shown.tone === "ok" && actual.tone !== "ok" && actual.state !== "refused";
  useEffect(() => {
    if (!calmDrop) return;
    const timer = setTimeout(() => setShown(latest.current), CALM_MS);
    return () => clearTimeout(timer);
  }, [calmDrop]);
  if (!calmDrop && (shown.label !== actual.label || shown.tone !== actual.tone)) setShown(actual);
  return calmDrop ? shown : actual;
}
