import * as Popover from "@radix-ui/react-popover";
import type { Editor } from "@tiptap/react";
import { Settings2, X } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { OrgPicker } from "~/components/org-picker";
import { CHINA_TZ, endOfChinaDay, formatDate } from "~/domain/dates";
import {
  FEEDBACK_CYCLE_LABELS,
  FEEDBACK_CYCLES,
  ITEM_EXTRA_LABELS,
  type FeedbackCycle,
  type ItemKind,
  type ItemLabels,
} from "~/domain/tracked-item";
import {
  joinOrgIds,
  normalizeItemText,
  RESPONSIBLE_MAX,
  splitOrgIds,
  STANDARD_MAX,
  type TrackedItemAttrs,
} from "../schema/tracked-item";
import type { ItemOrg } from "./tracked-items-context";

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
export function showDate(d: string | null): string | null {
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? formatDate(endOfChinaDay(d)) : null;
}

/** What the settings form holds while it is open (the node's attributes change only on 应用). */
interface Draft {
  lead: string | null;
  supporting: string[];
  supervisors: string[];
  dueDate: string;
  cycle: FeedbackCycle;
  responsible: string;
  standard: string;
}

interface DraftErrors {
  lead?: string;
  due?: string;
}

function cycleOf(attrs: TrackedItemAttrs): FeedbackCycle {
  return (FEEDBACK_CYCLES as readonly string[]).includes(attrs.feedbackCycle) ? attrs.feedbackCycle : "NONE";
}

function draftOf(attrs: TrackedItemAttrs): Draft {
  return {
    lead: attrs.leadOrgId,
    supporting: splitOrgIds(attrs.supportingOrgIds),
    supervisors: splitOrgIds(attrs.supervisorOrgIds),
    dueDate: attrs.dueDate ?? "",
    cycle: cycleOf(attrs),
    responsible: attrs.responsible ?? "",
    standard: attrs.standard ?? "",
  };
}

/** A lead is required; a changed due date must be a date and not before today. */
function validate(draft: Draft, attrs: TrackedItemAttrs, labels: ItemLabels, today: string): DraftErrors {
  const errors: DraftErrors = {};
  if (!draft.lead) errors.lead = `请选择${labels.lead}。`;
  if (draft.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(draft.dueDate)) errors.due = "请填写有效的日期。";
  else if (draft.dueDate && draft.dueDate !== attrs.dueDate && draft.dueDate < today)
    errors.due = `${labels.due}不能早于今天（${showDate(today)}）。`;
  return errors;
}

/** The attributes to set: the common fields, plus those of the kind (others are left as they are). */
function changesOf(draft: Draft, kind: ItemKind): Partial<TrackedItemAttrs> {
  const changes: Partial<TrackedItemAttrs> = {
    leadOrgId: draft.lead,
    supportingOrgIds: joinOrgIds(draft.supporting.filter((id) => id !== draft.lead)),
    dueDate: draft.dueDate || null,
    feedbackCycle: draft.cycle,
  };
  if (kind === "RECTIFICATION_MEASURE") {
    changes.responsible = normalizeItemText(draft.responsible, RESPONSIBLE_MAX);
    changes.standard = normalizeItemText(draft.standard, STANDARD_MAX, true);
  }
  if (kind === "SUPERVISED_CASE") changes.supervisorOrgIds = joinOrgIds(draft.supervisors);
  return changes;
}

/** Puts the caret at the end of the item's wording. */
function focusWording(editor: Editor, getPos: () => number | undefined) {
  const pos = getPos();
  if (typeof pos === "number" && editor.isEditable)
    editor
      .chain()
      .focus(pos + 1 + (editor.state.doc.nodeAt(pos)?.content.size ?? 0))
      .run();
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

/**
 * 设置: lead (one, required), supporting (none or several, never the lead), due date (not in the past), feedback
 * cycle; a rectification measure adds 责任人 and 整改标准, a supervised case adds 督办单位. Labels follow
 * the kind; fields of the other kinds are left as they are.
 */
export function ItemSettings({
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
  const [draft, setDraft] = useState<Draft>(() => draftOf(attrs));
  const [errors, setErrors] = useState<DraftErrors>({});
  const title = `${labels.item}${number ? ` ${number}` : ""}`;

  // Every opening starts from the node's current attributes (another client may have changed them).
  useEffect(() => {
    if (!open) return;
    setDraft(draftOf(attrs));
    setErrors({});
    // Only when opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const today = chinaToday();
  const apply = () => {
    const next = validate(draft, attrs, labels, today);
    setErrors(next);
    if (next.lead || next.due) return;
    onApply(changesOf(draft, kind));
    // Focus the wording now: Radix returns focus one tick after closing, and keys typed meanwhile would be lost.
    focusWording(editor, getPos);
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
            focusWording(editor, getPos);
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
            <SettingsFields
              formId={formId}
              kind={kind}
              labels={labels}
              orgs={orgs}
              draft={draft}
              setDraft={setDraft}
              errors={errors}
              setErrors={setErrors}
              today={today}
              onApply={apply}
            />
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

interface FieldsProps {
  formId: string;
  kind: ItemKind;
  labels: ItemLabels;
  orgs: readonly ItemOrg[];
  draft: Draft;
  setDraft: (update: (draft: Draft) => Draft) => void;
  errors: DraftErrors;
  setErrors: (update: (errors: DraftErrors) => DraftErrors) => void;
  today: string;
  onApply: () => void;
}

/** The fields of the settings form, in the order the kind shows them. */
function SettingsFields(props: FieldsProps) {
  const { formId, kind, labels, orgs, draft, setDraft, errors, setErrors } = props;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <>
      {kind === "SUPERVISED_CASE" ? (
        <OrgPicker
          label={ITEM_EXTRA_LABELS.supervisors}
          orgs={orgs}
          selected={draft.supervisors}
          exclude={[]}
          multiple
          onChange={(supervisors) => set({ supervisors })}
          hint="可选多个；不选则为清单全部督办单位。"
        />
      ) : null}
      <OrgPicker
        label={labels.lead}
        required
        orgs={orgs}
        selected={draft.lead ? [draft.lead] : []}
        exclude={[]}
        multiple={false}
        error={errors.lead}
        onChange={(ids) => {
          const id = ids[0] ?? null;
          setDraft((d) => ({ ...d, lead: id, supporting: id ? d.supporting.filter((x) => x !== id) : d.supporting }));
          setErrors((e) => ({ ...e, lead: undefined }));
        }}
      />
      <OrgPicker
        label={labels.supporting}
        orgs={orgs}
        selected={draft.supporting}
        exclude={draft.lead ? [draft.lead] : []}
        multiple
        onChange={(supporting) => set({ supporting })}
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
            value={draft.responsible}
            onChange={(e) => set({ responsible: e.target.value })}
            placeholder="姓名及职务，如：张某（副局长）"
            className="rounded-md border border-slate-300 px-2 py-1.5 shadow-sm placeholder:text-slate-400"
          />
        </div>
      ) : null}
      <DueAndCycleFields {...props} />
      {kind === "RECTIFICATION_MEASURE" ? <StandardField {...props} /> : null}
    </>
  );
}

function DueAndCycleFields({ formId, labels, draft, setDraft, errors, setErrors, today }: FieldsProps) {
  return (
    <>
      <div className="grid grid-cols-2 gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${formId}-due`} className="font-medium text-slate-700">
            {labels.due}
          </label>
          <input
            id={`${formId}-due`}
            type="date"
            min={today}
            value={draft.dueDate}
            onChange={(e) => {
              const dueDate = e.target.value;
              setDraft((d) => ({ ...d, dueDate }));
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
            value={draft.cycle}
            onChange={(e) => {
              const cycle = e.target.value as FeedbackCycle;
              setDraft((d) => ({ ...d, cycle }));
            }}
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
    </>
  );
}

function StandardField({ formId, draft, setDraft, onApply }: FieldsProps) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${formId}-standard`} className="font-medium text-slate-700">
        {ITEM_EXTRA_LABELS.standard}
      </label>
      <textarea
        id={`${formId}-standard`}
        rows={3}
        maxLength={STANDARD_MAX}
        value={draft.standard}
        onChange={(e) => {
          const standard = e.target.value;
          setDraft((d) => ({ ...d, standard }));
        }}
        onKeyDown={(e) => {
          // Enter starts a new line here; Ctrl/⌘+Enter applies, as Enter does in the other fields.
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            onApply();
          }
        }}
        aria-describedby={`${formId}-standard-hint`}
        className="resize-y rounded-md border border-slate-300 px-2 py-1.5 shadow-sm"
      />
      <p id={`${formId}-standard-hint`} className="text-xs text-slate-500">
        整改到位的验收标准，最多 {STANDARD_MAX} 字（已输入 {[...draft.standard].length} 字）；Ctrl/⌘+Enter 应用。
      </p>
    </div>
  );
}
