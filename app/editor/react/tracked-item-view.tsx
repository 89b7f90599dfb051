import * as Popover from "@radix-ui/react-popover";
import { Link } from "@remix-run/react";
import type { Node as PMNode } from "@tiptap/pm/model";
import {
  NodeViewContent,
  NodeViewWrapper,
  ReactNodeViewRenderer,
  useEditorState,
  type Editor,
  type NodeViewProps,
} from "@tiptap/react";
import { AlertTriangle, ArrowUpRight, Settings2, X } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Badge, cx } from "~/components/ui";
import {
  FEEDBACK_CYCLE_LABELS,
  FEEDBACK_CYCLES,
  isOverdue,
  ITEM_EXTRA_LABELS,
  itemLabels,
  type FeedbackCycle,
  type ItemKind,
  type ItemLabels,
} from "~/domain/tracked-item";
import { CHINA_TZ, endOfChinaDay, formatDate } from "~/domain/dates";
import {
  joinOrgIds,
  normalizeItemText,
  RESPONSIBLE_MAX,
  splitOrgIds,
  STANDARD_MAX,
  TRACKED_ITEM,
  TrackedItem,
  type TrackedItemAttrs,
} from "../schema/tracked-item";
import { useTrackedItems, type ItemOrg } from "./tracked-items-context";

/** The item node with its React node view: browser only (the server uses `TrackedItem`). */
export const TrackedItemWithView = TrackedItem.extend({
  addNodeView() {
    return ReactNodeViewRenderer(TrackedItemView);
  },
});

const STATUS_TONES: Record<string, "slate" | "blue" | "amber" | "green" | "red"> = {
  DRAFT: "slate",
  NOT_STARTED: "slate",
  IN_PROGRESS: "blue",
  DONE: "amber",
  CLOSED: "green",
  REMOVED: "slate",
};

/** What the empty wording of an item invites the drafter to write. */
const PLACEHOLDERS: Record<ItemKind, string> = {
  AGREED_ITEM: "在此输入议定事项内容…",
  RECTIFICATION_MEASURE: "在此输入整改措施内容…",
  SUPERVISED_CASE: "在此输入督办案件及督办事项…",
};

/** Shown for a case without its own 督办单位. */
export const DEFAULT_SUPERVISORS_TEXT = "（默认：清单全部督办单位）";

/** Today in China time as YYYY-MM-DD (the earliest due date the settings accept). */
export function chinaToday(now = new Date()): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: CHINA_TZ, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(now)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2026-12-31" → "2026年12月31日" (null for anything else). */
function showDate(d: string | null): string | null {
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? formatDate(endOfChinaDay(d)) : null;
}

// Positions of the item nodes of a document, computed once per document version.
const positionsCache = new WeakMap<PMNode, number[]>();
function itemPositions(doc: PMNode): number[] {
  let list = positionsCache.get(doc);
  if (!list) {
    const found: number[] = [];
    doc.descendants((node, pos) => {
      if (node.type.name === TRACKED_ITEM) {
        found.push(pos);
        return false;
      }
      return true;
    });
    positionsCache.set(doc, found);
    list = found;
  }
  return list;
}

function TrackedItemView({ node, editor, getPos, updateAttributes }: NodeViewProps) {
  const attrs = node.attrs as TrackedItemAttrs;
  const { kind, orgById, orgs, items, live } = useTrackedItems();
  const labels = itemLabels(kind);
  const view = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      let index = 0;
      try {
        const pos = getPos();
        if (typeof pos === "number") index = itemPositions(e.state.doc).indexOf(pos) + 1;
      } catch {
        index = 0;
      }
      return { index, editable: e.isEditable };
    },
  });
  const [open, setOpen] = useState(false);

  // The insert command asks the new item to open its settings.
  useEffect(() => {
    const storage = editor.storage.trackedItem;
    if (attrs.itemId && storage?.pendingSettings === attrs.itemId) {
      storage.pendingSettings = null;
      setOpen(true);
    }
  }, [editor, attrs.itemId]);

  const row = attrs.itemId ? items.get(attrs.itemId) : undefined;
  const status = row?.status ?? "DRAFT";
  const rowDue = row?.dueDate ?? null;
  const attrDue = attrs.dueDate && /^\d{4}-\d{2}-\d{2}$/.test(attrs.dueDate) ? endOfChinaDay(attrs.dueDate) : null;
  const overdue = isOverdue({ status, dueDate: rowDue ? new Date(rowDue) : attrDue }, new Date());
  const supporting = splitOrgIds(attrs.supportingOrgIds).filter((id) => id !== attrs.leadOrgId);
  const supervisors = splitOrgIds(attrs.supervisorOrgIds);
  const orgName = (id: string) => orgById.get(id)?.name ?? "（未知单位）";
  const due = rowDue ? formatDate(rowDue) : showDate(attrs.dueDate);
  const cycle = FEEDBACK_CYCLE_LABELS[attrs.feedbackCycle as FeedbackCycle] ?? FEEDBACK_CYCLE_LABELS.NONE;
  const editable = view?.editable ?? editor.isEditable;
  const number = view?.index ?? 0;

  return (
    <NodeViewWrapper
      as="div"
      id={attrs.itemId ? `item-${attrs.itemId}` : undefined}
      className="tracked-item my-3 scroll-mt-24 rounded-md border border-slate-300 border-l-4 border-l-brand-600 bg-slate-50/70"
      data-testid="tracked-item"
      data-item-id={attrs.itemId ?? ""}
      data-status={status}
      data-live={live ? "true" : "false"}
    >
      <div
        contentEditable={false}
        className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-1.5 font-sans text-sm"
        suppressContentEditableWarning
      >
        <span className="font-semibold text-brand-800">
          {labels.item} {number || ""}
        </span>
        <span data-testid="item-status" className="inline-flex items-center gap-1">
          <Badge tone={STATUS_TONES[status] ?? "slate"}>{labels.statusLabel(status)}</Badge>
          {overdue ? (
            <Badge tone="red">
              <AlertTriangle className="h-3 w-3" aria-hidden />
              逾期
            </Badge>
          ) : null}
        </span>
        <span className="ml-auto flex items-center gap-1">
          {row && attrs.itemId ? (
            <Link
              to={`/items/${attrs.itemId}`}
              className="inline-flex items-center gap-0.5 rounded px-1.5 py-0.5 text-xs text-brand-700 hover:bg-brand-50 hover:underline"
            >
              查看事项
              <ArrowUpRight className="h-3 w-3" aria-hidden />
            </Link>
          ) : null}
          {editable ? (
            <ItemSettings
              open={open}
              onOpenChange={setOpen}
              editor={editor}
              getPos={getPos}
              number={number}
              kind={kind}
              labels={labels}
              attrs={attrs}
              orgs={orgs}
              onApply={(next) => {
                updateAttributes(next);
                setOpen(false);
              }}
            />
          ) : null}
        </span>
      </div>
      <div className="relative px-3 py-1">
        {node.content.size === 0 ? (
          <span
            contentEditable={false}
            className="pointer-events-none absolute left-3 top-1 select-none text-slate-400"
            aria-hidden
            suppressContentEditableWarning
          >
            {editable ? PLACEHOLDERS[kind] : "（未填写事项内容）"}
          </span>
        ) : null}
        <NodeViewContent as="div" className="tracked-item-wording min-h-[1.9em]" />
      </div>
      <dl
        contentEditable={false}
        className="flex flex-wrap gap-x-5 gap-y-0.5 border-t border-slate-200 px-3 py-1.5 font-sans text-xs text-slate-600"
        suppressContentEditableWarning
      >
        {kind === "SUPERVISED_CASE" ? (
          <div className="flex gap-1">
            <dt className="text-slate-500">{ITEM_EXTRA_LABELS.supervisors}：</dt>
            <dd data-testid="item-supervisors" className={supervisors.length ? "text-slate-800" : "text-slate-500"}>
              {supervisors.length ? supervisors.map(orgName).join("、") : DEFAULT_SUPERVISORS_TEXT}
            </dd>
          </div>
        ) : null}
        <div className="flex gap-1">
          <dt className="text-slate-500">{labels.lead}：</dt>
          <dd data-testid="item-lead" className={attrs.leadOrgId ? "font-medium text-slate-800" : "text-amber-700"}>
            {attrs.leadOrgId ? orgName(attrs.leadOrgId) : "未指定"}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-slate-500">{labels.supporting}：</dt>
          <dd data-testid="item-supporting" className="text-slate-800">
            {supporting.length ? supporting.map(orgName).join("、") : "无"}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-slate-500">{labels.due}：</dt>
          <dd data-testid="item-due" className={overdue ? "font-medium text-red-700" : "text-slate-800"}>
            {due ?? "未设定"}
          </dd>
        </div>
        {kind === "RECTIFICATION_MEASURE" && attrs.responsible ? (
          <div className="flex gap-1">
            <dt className="text-slate-500">{ITEM_EXTRA_LABELS.responsible}：</dt>
            <dd data-testid="item-responsible" className="text-slate-800">
              {attrs.responsible}
            </dd>
          </div>
        ) : null}
        <div className="flex gap-1">
          <dt className="text-slate-500">{labels.feedback}：</dt>
          <dd className="text-slate-800">{cycle}</dd>
        </div>
        {kind === "RECTIFICATION_MEASURE" && attrs.standard ? (
          <div className="flex basis-full gap-1">
            <dt className="shrink-0 text-slate-500">{ITEM_EXTRA_LABELS.standard}：</dt>
            <dd data-testid="item-standard" className="whitespace-pre-line text-slate-800">
              {attrs.standard}
            </dd>
          </div>
        ) : null}
      </dl>
    </NodeViewWrapper>
  );
}

interface SettingsProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  editor: Editor;
  getPos: () => number | undefined;
  number: number;
  kind: ItemKind;
  labels: ItemLabels;
  attrs: TrackedItemAttrs;
  orgs: readonly ItemOrg[];
  onApply: (attrs: Partial<TrackedItemAttrs>) => void;
}

function cycleOf(attrs: TrackedItemAttrs): FeedbackCycle {
  return (FEEDBACK_CYCLES as readonly string[]).includes(attrs.feedbackCycle) ? attrs.feedbackCycle : "NONE";
}

/**
 * 设置: lead (one, required), supporting (any, not the lead), due date (not in the past), feedback
 * cycle; a rectification measure adds 责任人 and 整改标准, a supervised case adds 督办单位. Labels follow
 * the kind; fields of the other kinds are left as they are.
 */
function ItemSettings({
  open,
  onOpenChange,
  editor,
  getPos,
  number,
  kind,
  labels,
  attrs,
  orgs,
  onApply,
}: SettingsProps) {
  const formId = useId();
  const [lead, setLead] = useState<string | null>(attrs.leadOrgId);
  const [supporting, setSupporting] = useState<string[]>(splitOrgIds(attrs.supportingOrgIds));
  const [supervisors, setSupervisors] = useState<string[]>(splitOrgIds(attrs.supervisorOrgIds));
  const [dueDate, setDueDate] = useState(attrs.dueDate ?? "");
  const [cycle, setCycle] = useState<FeedbackCycle>(cycleOf(attrs));
  const [responsible, setResponsible] = useState(attrs.responsible ?? "");
  const [standard, setStandard] = useState(attrs.standard ?? "");
  const [errors, setErrors] = useState<{ lead?: string; due?: string }>({});
  const title = `${labels.item}${number ? ` ${number}` : ""}`;

  // Every opening starts from the node's current attributes (another client may have changed them).
  useEffect(() => {
    if (!open) return;
    setLead(attrs.leadOrgId);
    setSupporting(splitOrgIds(attrs.supportingOrgIds));
    setSupervisors(splitOrgIds(attrs.supervisorOrgIds));
    setDueDate(attrs.dueDate ?? "");
    setCycle(cycleOf(attrs));
    setResponsible(attrs.responsible ?? "");
    setStandard(attrs.standard ?? "");
    setErrors({});
    // Only when opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const today = chinaToday();
  const apply = () => {
    const next: { lead?: string; due?: string } = {};
    if (!lead) next.lead = `请选择${labels.lead}。`;
    if (dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) next.due = "请填写有效的日期。";
    else if (dueDate && dueDate !== attrs.dueDate && dueDate < today)
      next.due = `${labels.due}不能早于今天（${showDate(today)}）。`;
    setErrors(next);
    if (next.lead || next.due) return;
    const changes: Partial<TrackedItemAttrs> = {
      leadOrgId: lead,
      supportingOrgIds: joinOrgIds(supporting.filter((id) => id !== lead)),
      dueDate: dueDate || null,
      feedbackCycle: cycle,
    };
    if (kind === "RECTIFICATION_MEASURE") {
      changes.responsible = normalizeItemText(responsible, RESPONSIBLE_MAX);
      changes.standard = normalizeItemText(standard, STANDARD_MAX, true);
    }
    if (kind === "SUPERVISED_CASE") changes.supervisorOrgIds = joinOrgIds(supervisors);
    onApply(changes);
    // Focus the wording now: Radix returns focus one tick after closing, and keys typed meanwhile would be lost.
    const pos = getPos();
    if (typeof pos === "number" && editor.isEditable)
      editor
        .chain()
        .focus(pos + 1 + (editor.state.doc.nodeAt(pos)?.content.size ?? 0))
        .run();
  };

  const fieldsHint = [
    labels.lead,
    labels.supporting,
    ...(kind === "SUPERVISED_CASE" ? [ITEM_EXTRA_LABELS.supervisors] : []),
    ...(kind === "RECTIFICATION_MEASURE" ? [ITEM_EXTRA_LABELS.responsible, ITEM_EXTRA_LABELS.standard] : []),
    labels.due,
  ];

  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      <Popover.Trigger asChild>
        <button
          type="button"
          className="inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-100"
          aria-label={`设置${title}`}
          title={`设置${fieldsHint.join("、")}和${labels.feedback}`}
        >
          <Settings2 className="h-3.5 w-3.5" aria-hidden />
          设置
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          side="bottom"
          align="end"
          sideOffset={6}
          collisionPadding={12}
          aria-label={`${labels.item} ${number || ""} 设置`}
          className="z-50 w-[26rem] max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white p-4 font-sans text-sm shadow-lg"
          onCloseAutoFocus={(e) => {
            // Back to the item's wording rather than the 设置 button.
            e.preventDefault();
            const pos = getPos();
            if (typeof pos === "number" && editor.isEditable)
              editor
                .chain()
                .focus(pos + 1 + (editor.state.doc.nodeAt(pos)?.content.size ?? 0))
                .run();
          }}
        >
          <form
            id={formId}
            noValidate
            className="flex flex-col gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              apply();
            }}
          >
            <div className="flex items-center justify-between">
              <h3 className="text-base font-semibold text-slate-800">
                {labels.item} {number || ""} 设置
              </h3>
              <Popover.Close className="rounded p-1 text-slate-500 hover:bg-slate-100" aria-label="关闭">
                <X className="h-4 w-4" aria-hidden />
              </Popover.Close>
            </div>
            {kind === "SUPERVISED_CASE" ? (
              <OrgPicker
                label={ITEM_EXTRA_LABELS.supervisors}
                orgs={orgs}
                selected={supervisors}
                exclude={[]}
                multiple
                onChange={setSupervisors}
                hint="可选多个；不选则为清单全部督办单位。"
              />
            ) : null}
            <OrgPicker
              label={labels.lead}
              required
              orgs={orgs}
              selected={lead ? [lead] : []}
              exclude={[]}
              multiple={false}
              error={errors.lead}
              onChange={(ids) => {
                const id = ids[0] ?? null;
                setLead(id);
                if (id) setSupporting((s) => s.filter((x) => x !== id));
                setErrors((e) => ({ ...e, lead: undefined }));
              }}
            />
            <OrgPicker
              label={labels.supporting}
              orgs={orgs}
              selected={supporting}
              exclude={lead ? [lead] : []}
              multiple
              onChange={setSupporting}
              hint={`可选多个；不含${labels.lead}。`}
            />
            {kind === "RECTIFICATION_MEASURE" ? (
              <div className="flex flex-col gap-1">
                <label htmlFor={`${formId}-responsible`} className="font-medium text-slate-700">
                  {ITEM_EXTRA_LABELS.responsible}
                </label>
                <input
                  id={`${formId}-responsible`}
                  type="text"
                  autoComplete="off"
                  maxLength={RESPONSIBLE_MAX}
                  value={responsible}
                  onChange={(e) => setResponsible(e.target.value)}
                  placeholder="姓名及职务，如：张某（副局长）"
                  className="rounded-md border border-slate-300 px-2 py-1.5 shadow-sm placeholder:text-slate-400"
                />
              </div>
            ) : null}
            <div className="grid grid-cols-2 gap-3">
              <div className="flex flex-col gap-1">
                <label htmlFor={`${formId}-due`} className="font-medium text-slate-700">
                  {labels.due}
                </label>
                <input
                  id={`${formId}-due`}
                  type="date"
                  min={today}
                  value={dueDate}
                  onChange={(e) => {
                    setDueDate(e.target.value);
                    setErrors((x) => ({ ...x, due: undefined }));
                  }}
                  aria-invalid={errors.due ? true : undefined}
                  aria-describedby={errors.due ? `${formId}-due-error` : undefined}
                  className="rounded-md border border-slate-300 px-2 py-1.5 shadow-sm aria-[invalid=true]:border-red-500"
                />
              </div>
              <div className="flex flex-col gap-1">
                <label htmlFor={`${formId}-cycle`} className="font-medium text-slate-700">
                  {labels.feedback}
                </label>
                <select
                  id={`${formId}-cycle`}
                  value={cycle}
                  onChange={(e) => setCycle(e.target.value as FeedbackCycle)}
                  className="rounded-md border border-slate-300 px-2 py-1.5 shadow-sm"
                >
                  {FEEDBACK_CYCLES.map((c) => (
                    <option key={c} value={c}>
                      {FEEDBACK_CYCLE_LABELS[c]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {errors.due ? (
              <p id={`${formId}-due-error`} role="alert" className="-mt-1 text-sm text-red-700">
                {errors.due}
              </p>
            ) : null}
            {kind === "RECTIFICATION_MEASURE" ? (
              <div className="flex flex-col gap-1">
                <label htmlFor={`${formId}-standard`} className="font-medium text-slate-700">
                  {ITEM_EXTRA_LABELS.standard}
                </label>
                <textarea
                  id={`${formId}-standard`}
                  rows={3}
                  maxLength={STANDARD_MAX}
                  value={standard}
                  onChange={(e) => setStandard(e.target.value)}
                  onKeyDown={(e) => {
                    // Enter starts a new line here; Ctrl/⌘+Enter applies, as Enter does in the other fields.
                    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                      e.preventDefault();
                      apply();
                    }
                  }}
                  aria-describedby={`${formId}-standard-hint`}
                  className="resize-y rounded-md border border-slate-300 px-2 py-1.5 shadow-sm"
                />
                <p id={`${formId}-standard-hint`} className="text-xs text-slate-500">
                  整改到位的验收标准，最多 {STANDARD_MAX} 字（已输入 {[...standard].length} 字）；Ctrl/⌘+Enter 应用。
                </p>
              </div>
            ) : null}
            <div className="flex justify-end gap-2 border-t border-slate-100 pt-3">
              <Popover.Close className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50">
                取消
              </Popover.Close>
              <button
                type="submit"
                className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700"
              >
                应用
              </button>
            </div>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** Orgs whose name or region contains every word of the query. */
export function filterOrgs(
  orgs: readonly ItemOrg[],
  query: string,
  exclude: ReadonlySet<string>,
  limit = 50,
): ItemOrg[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const out: ItemOrg[] = [];
  for (const o of orgs) {
    if (exclude.has(o.id)) continue;
    const hay = `${o.name} ${o.region}`.toLowerCase();
    if (words.every((w) => hay.includes(w))) out.push(o);
    if (out.length >= limit) break;
  }
  return out;
}

interface OrgPickerProps {
  label: string;
  orgs: readonly ItemOrg[];
  selected: string[];
  exclude: string[];
  multiple: boolean;
  onChange: (ids: string[]) => void;
  required?: boolean;
  error?: string;
  hint?: string;
}

/** A searchable org combobox (WAI-ARIA combobox + listbox): type to filter, arrows to move, Enter to pick. */
function OrgPicker({ label, orgs, selected, exclude, multiple, onChange, required, error, hint }: OrgPickerProps) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const byId = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  const hidden = useMemo(() => new Set([...exclude, ...(multiple ? selected : [])]), [exclude, selected, multiple]);
  const results = useMemo(() => filterOrgs(orgs, query, hidden), [orgs, query, hidden]);
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;

  useEffect(() => {
    setActive(0);
  }, [query]);
  useEffect(() => {
    listRef.current?.querySelector(`#${CSS.escape(optionId(active))}`)?.scrollIntoView({ block: "nearest" });
    // optionId is derived from the stable id.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  const pick = (org: ItemOrg) => {
    onChange(multiple ? [...selected.filter((x) => x !== org.id), org.id] : [org.id]);
    setQuery("");
    setExpanded(multiple);
    setActive(0);
  };
  const remove = (orgId: string) => onChange(selected.filter((x) => x !== orgId));

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setExpanded(true);
      setActive((a) => Math.min(a + 1, Math.max(results.length - 1, 0)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      // Enter picks the highlighted org instead of submitting the form.
      if (expanded && results[active]) {
        e.preventDefault();
        pick(results[active]);
      } else if (query) e.preventDefault();
    } else if (e.key === "Escape") {
      if (expanded) {
        // Close the list, not the whole popover.
        e.preventDefault();
        e.stopPropagation();
        setExpanded(false);
      }
    } else if (e.key === "Backspace" && !query && selected.length) {
      remove(selected[selected.length - 1]);
    }
  };

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-input`} className="font-medium text-slate-700">
        {label}
        {required ? (
          <span className="ml-0.5 text-red-600" aria-hidden>
            *
          </span>
        ) : null}
      </label>
      {selected.length ? (
        <ul className="flex flex-wrap gap-1" aria-label={`已选${label}`}>
          {selected.map((orgId) => (
            <li
              key={orgId}
              className="inline-flex items-center gap-1 rounded bg-brand-50 py-0.5 pl-2 pr-1 text-xs text-brand-800"
            >
              {byId.get(orgId)?.name ?? "（未知单位）"}
              <button
                type="button"
                onClick={() => remove(orgId)}
                className="rounded p-0.5 hover:bg-brand-100"
                aria-label={`移除${label}：${byId.get(orgId)?.name ?? orgId}`}
              >
                <X className="h-3 w-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="relative">
        <input
          id={`${id}-input`}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && results[active] ? optionId(active) : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          aria-required={required}
          placeholder={multiple || !selected.length ? "输入单位名称或地区搜索" : `输入以更换${label}`}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setExpanded(true);
          }}
          onFocus={() => setExpanded(true)}
          onBlur={() => setExpanded(false)}
          onKeyDown={onKeyDown}
          className="w-full rounded-md border border-slate-300 px-2 py-1.5 shadow-sm placeholder:text-slate-400 aria-[invalid=true]:border-red-500"
        />
        {expanded ? (
          <ul
            ref={listRef}
            id={listId}
            role="listbox"
            aria-label={`${label}候选`}
            className="absolute left-0 right-0 top-full z-10 mt-1 max-h-48 overflow-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
          >
            {results.length ? (
              results.map((o, i) => (
                <li
                  key={o.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => pick(o)}
                  className={cx(
                    "flex cursor-pointer items-baseline justify-between gap-2 px-2 py-1",
                    i === active ? "bg-brand-50 text-brand-800" : "text-slate-800",
                  )}
                >
                  <span>{o.name}</span>
                  <span className="shrink-0 text-xs text-slate-400">{o.region}</span>
                </li>
              ))
            ) : (
              <li className="px-2 py-1 text-slate-500" role="presentation">
                没有匹配的单位
              </li>
            )}
          </ul>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
