import { useMemo, useState } from "react";

export interface OrgOption {
  id: string;
  name: string;
  region: string;
}

/**
 * A filterable list of organizations, each with a select of what it takes part as (e.g. 共同起草 /
 * 只读, or 出席 / 列席). Fields are named `${prefix}.${orgId}`; the empty value means "not chosen";
 * `initial` pre-chooses some (a page that sent the user here with a unit in mind).
 */
export function OrgChoiceList({
  orgs,
  prefix,
  choices,
  noneLabel,
  ariaSuffix,
  initial,
}: {
  orgs: OrgOption[];
  initial?: Readonly<Record<string, string>>;
  prefix: string;
  choices: Array<{ value: string; label: string }>;
  noneLabel: string;
  ariaSuffix: string;
}) {
  const [filter, setFilter] = useState("");
  const shown = useMemo(
    () => new Set(orgs.filter((o) => !filter || o.name.includes(filter) || o.region.includes(filter)).map((o) => o.id)),
    [orgs, filter],
  );
  return (
    <>
      <label className="mb-3 flex flex-col gap-1 text-sm">
        <span className="font-medium text-slate-700">筛选单位</span>
        <input
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="输入单位或区划名称"
          className="rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
      </label>
      <ul className="grid max-h-96 gap-1 overflow-y-auto sm:grid-cols-2">
        {orgs.map((o) => (
          // Hidden rather than removed, so a filtered-out choice is still submitted.
          <li
            key={o.id}
            className={
              shown.has(o.id) ? "flex items-center justify-between gap-2 rounded px-2 py-1 hover:bg-slate-50" : "hidden"
            }
          >
            <span className="text-sm">
              {o.name} <span className="text-xs text-slate-500">{o.region}</span>
            </span>
            <select
              name={`${prefix}.${o.id}`}
              aria-label={`${o.name}${ariaSuffix}`}
              defaultValue={initial?.[o.id] ?? ""}
              className="rounded border border-slate-300 px-2 py-1 text-sm"
            >
              <option value="">{noneLabel}</option>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </li>
        ))}
      </ul>
    </>
  );
}
