import { Clock } from "lucide-react";

export interface TimelineEntry {
  id: string;
  label: string;
  actor: string | null;
  summary: string;
  at: string;
}

/** 办理记录: audit events of one record, newest first. */
export function AuditTimeline({ entries }: { entries: readonly TimelineEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-500">暂无记录。</p>;
  return (
    <ol className="relative flex flex-col gap-3 border-l border-slate-200 pl-4" data-testid="timeline">
      {entries.map((t) => (
        <li key={t.id} className="text-sm">
          <span
            className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border-2 border-white bg-brand-600"
            aria-hidden
          />
          <p className="font-medium text-slate-800">{t.label}</p>
          <p className="text-xs text-slate-500">
            <Clock className="mr-1 inline h-3 w-3" aria-hidden />
            {t.at} · {t.actor}
          </p>
          <p className="text-xs text-slate-600">{t.summary}</p>
        </li>
      ))}
    </ol>
  );
}
