import { Link } from "@remix-run/react";
import type { Node as PMNode } from "@tiptap/pm/model";
import {
  NodeViewContent,
  NodeViewWrapper,
  ReactNodeViewRenderer,
  useEditorState,
  type NodeViewProps,
} from "@tiptap/react";
import { AlertTriangle, ArrowUpRight } from "lucide-react";
import { useEffect, useState, type ReactNode } from "react";
import { Badge } from "~/components/ui";
import { endOfChinaDay, formatDate } from "~/domain/dates";
import {
  FEEDBACK_CYCLE_LABELS,
  isOverdue,
  ITEM_EXTRA_LABELS,
  itemLabels,
  type FeedbackCycle,
  type ItemKind,
  type ItemLabels,
} from "~/domain/tracked-item";
import { splitOrgIds, TRACKED_ITEM, TrackedItem, type TrackedItemAttrs } from "../schema/tracked-item";
import { ItemSettings, showDate } from "./item-settings";
import { useTrackedItems, type ItemRow } from "./tracked-items-context";

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
      <ItemHeader labels={labels} number={number} status={status} overdue={overdue} row={row} itemId={attrs.itemId}>
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
      </ItemHeader>
      <div className="relative px-3 py-1">
        {node.content.size === 0 ? (
          <span
            contentEditable={false}
            className="pointer-events-none absolute left-3 top-1 select-none text-slate-500"
            aria-hidden
            suppressContentEditableWarning
          >
            {editable ? PLACEHOLDERS[kind] : "（未填写事项内容）"}
          </span>
        ) : null}
        <NodeViewContent as="div" className="tracked-item-wording min-h-[1.9em]" />
      </div>
      <ItemFacts
        kind={kind}
        labels={labels}
        attrs={attrs}
        overdue={overdue}
        rowDue={rowDue}
        orgName={(id) => orgById.get(id)?.name ?? "（未知单位）"}
      />
    </NodeViewWrapper>
  );
}

/** 议定事项 N, its status (and 逾期), the link to the item page and the 设置 button (`children`). */
function ItemHeader({
  labels,
  number,
  status,
  overdue,
  row,
  itemId,
  children,
}: {
  labels: ItemLabels;
  number: number;
  status: string;
  overdue: boolean;
  row: ItemRow | undefined;
  itemId: string | null;
  children: ReactNode;
}) {
  return (
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
        {row && itemId ? (
          <Link
            to={`/items/${itemId}`}
            className="inline-flex items-center gap-0.5 rounded px-1.5 py-0.5 text-xs text-brand-700 hover:bg-brand-50 hover:underline"
          >
            查看事项
            <ArrowUpRight className="h-3 w-3" aria-hidden />
          </Link>
        ) : null}
        {children}
      </span>
    </div>
  );
}

/** The tracking facts under the wording: orgs, due date, feedback cycle and the kind's own fields. */
function ItemFacts({
  kind,
  labels,
  attrs,
  overdue,
  rowDue,
  orgName,
}: {
  kind: ItemKind;
  labels: ItemLabels;
  attrs: TrackedItemAttrs;
  overdue: boolean;
  rowDue: string | null;
  orgName: (id: string) => string;
}) {
  const supporting = splitOrgIds(attrs.supportingOrgIds).filter((id) => id !== attrs.leadOrgId);
  const supervisors = splitOrgIds(attrs.supervisorOrgIds);
  const due = rowDue ? formatDate(rowDue) : showDate(attrs.dueDate);
  const cycle = FEEDBACK_CYCLE_LABELS[attrs.feedbackCycle as FeedbackCycle] ?? FEEDBACK_CYCLE_LABELS.NONE;
  return (
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
  );
}
