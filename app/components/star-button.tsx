import { useFetcher } from "@remix-run/react";
import { cx } from "~/components/ui";

/**
 * ☆/★ 关注 a document (我关注的 on the 工作台, ADR 029): a toggle button (aria-pressed) posting the
 * document page's `star` intent without leaving the page; it shows the new state at once.
 */
export function StarButton({
  documentId,
  title,
  starred,
  compact = false,
}: {
  documentId: string;
  title: string;
  starred: boolean;
  /** In a list row: the star alone (its name says which document). */
  compact?: boolean;
}) {
  const fetcher = useFetcher<{ starred?: boolean }>();
  const pending = fetcher.formData ? fetcher.formData.get("starred") === "1" : undefined;
  const on = pending ?? fetcher.data?.starred ?? starred;
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}`} className="inline-flex">
      <input type="hidden" name="intent" value="star" />
      <input type="hidden" name="starred" value={on ? "0" : "1"} />
      <button
        type="submit"
        aria-pressed={on}
        aria-label={compact ? `关注《${title}》` : undefined}
        title={on ? "已关注，点击取消关注" : "关注后显示在工作台的“我关注的”中"}
        className={cx(
          "inline-flex items-center gap-1 rounded-md text-sm font-medium",
          compact ? "px-1.5 py-0.5" : "border px-3 py-1.5 shadow-sm",
          on
            ? "border-amber-300 bg-amber-50 text-amber-800 hover:bg-amber-100"
            : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
        )}
      >
        <span aria-hidden className={cx("text-base leading-none", on ? "text-amber-500" : "text-slate-500")}>
          {on ? "★" : "☆"}
        </span>
        {compact ? null : <span>关注</span>}
      </button>
    </fetcher.Form>
  );
}
