import { useEffect, useState } from "react";
import type { WebsocketProvider } from "y-websocket";

export interface PresenceEntry {
  clientId: number;
  name: string;
  org: string | null;
  color: string;
  readOnly: boolean;
  self: boolean;
}

type AwarenessUser = { user?: { name?: string; org?: string | null; color?: string; readOnly?: boolean } };

/** Who has the document open, from the provider's awareness (the editor's carets publish the user). */
export function usePresence(provider: WebsocketProvider): PresenceEntry[] {
  const [presence, setPresence] = useState<PresenceEntry[]>([]);
  useEffect(() => {
    const onAwareness = () => {
      const states = provider.awareness.getStates() as Map<number, AwarenessUser>;
      const list: PresenceEntry[] = [];
      states.forEach((state, clientId) => {
        if (!state.user?.name) return;
        list.push({
          clientId,
          name: state.user.name,
          org: state.user.org ?? null,
          color: state.user.color ?? "#334155",
          readOnly: Boolean(state.user.readOnly),
          self: clientId === provider.awareness.clientID,
        });
      });
      setPresence(list);
    };
    provider.awareness.on("change", onAwareness);
    return () => {
      provider.awareness.off("change", onAwareness);
    };
  }, [provider]);
  return presence;
}

/** 正在查看: the people who have the document open, with their org and whether they only read. */
export function PresenceList({ presence }: { presence: readonly PresenceEntry[] }) {
  return (
    <aside className="w-full shrink-0" aria-label="在线人员">
      <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
        <h2 className="mb-2 text-sm font-semibold text-slate-700">正在查看（{presence.length}）</h2>
        <ul className="flex flex-col gap-2" data-testid="presence">
          {presence.map((p) => (
            <li key={p.clientId} className="flex items-start gap-2 text-sm">
              <span className="mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full" style={{ background: p.color }} aria-hidden />
              <span>
                <span className="font-medium">{p.name}</span>
                {p.self ? <span className="text-slate-600">（我）</span> : null}
                <span className="block text-xs text-slate-500">
                  {p.org ?? ""}
                  {p.readOnly ? " · 只读" : ""}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </aside>
  );
}
