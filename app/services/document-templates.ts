import { createId } from "@paralleldrive/cuid2";
import type { ChartSpec } from "~/domain/chart";
import { addMonthsIso, chinaDay } from "~/domain/dates";

/**
 * The first content of generated documents (ProseMirror JSON of the editor schema): 整改方案 from a
 * recommendation, 联合挂牌督办清单, 书面回复. Minutes have their own template (create-minutes).
 */

export type TemplateNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TemplateNode[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
};

export const textNode = (text: string, bold = false): TemplateNode =>
  bold ? { type: "text", text, marks: [{ type: "bold" }] } : { type: "text", text };
export const field = (label: string, value: string): TemplateNode => ({
  type: "paragraph",
  content: [textNode(`${label}：`, true), ...(value ? [textNode(value)] : [])],
});
export const heading = (text: string, level = 1): TemplateNode => ({
  type: "heading",
  attrs: { level },
  content: [textNode(text)],
});
export const paragraph = (text: string): TemplateNode => ({ type: "paragraph", content: text ? [textNode(text)] : [] });

/** A table of plain cells whose first row is the header row (repeated on every page when printed). */
export function tableNode(rows: string[][]): TemplateNode {
  return {
    type: "table",
    content: rows.map((cells, i) => ({
      type: "tableRow",
      content: cells.map((text) => ({
        type: i === 0 ? "tableHeader" : "tableCell",
        attrs: { colspan: 1, rowspan: 1, colwidth: null },
        content: [paragraph(text)],
      })),
    })),
  };
}

/** A figure (图N): a `statChart` node carrying its data, drawn by the editor and the exports. */
export function chartNode(spec: ChartSpec, caption: string): TemplateNode {
  return { type: "statChart", attrs: { spec: JSON.stringify(spec), caption } };
}

/** A `trackedItem` block with a fresh id (see app/editor/schema/tracked-item.ts for the attributes). */
export function itemBlock(
  wording: string,
  attrs: {
    leadOrgId?: string | null;
    supportingOrgIds?: string;
    dueDate?: string | null;
    feedbackCycle?: string;
    supervisorOrgIds?: string;
    responsible?: string | null;
    standard?: string | null;
  } = {},
): TemplateNode {
  return {
    type: "trackedItem",
    attrs: {
      itemId: createId(),
      leadOrgId: attrs.leadOrgId ?? null,
      supportingOrgIds: attrs.supportingOrgIds ?? "",
      dueDate: attrs.dueDate ?? null,
      feedbackCycle: attrs.feedbackCycle ?? "NONE",
      supervisorOrgIds: attrs.supervisorOrgIds ?? "",
      responsible: attrs.responsible ?? null,
      standard: attrs.standard ?? null,
    },
    content: wording ? [textNode(wording)] : [],
  };
}

export interface PlanTemplateInput {
  recipient: { id: string; name: string };
  issuer: string;
  kindLabel: string;
  docNumber: string;
  title: string;
  receivedOn: Date;
  /** YYYY-MM-DD: the measures' default 整改时限. */
  replyDue: string;
  problems: string[];
  helpers: string[];
}

/** 整改方案: 基本情况, 问题清单, 整改措施 (tracked blocks: 责任单位 / 责任人 / 整改时限 / 整改标准), 保障措施. */
export function planTemplate(p: PlanTemplateInput): TemplateNode {
  const problems = p.problems.length ? p.problems : ["（请逐条列出建议书指出的问题）"];
  return {
    type: "doc",
    content: [
      heading("一、基本情况"),
      paragraph(
        `${formatDay(p.receivedOn)}，${p.recipient.name}收到${p.issuer}《${p.title}》（${p.docNumber}，${p.kindLabel}）。${p.recipient.name}高度重视，${p.helpers.length ? `在${p.helpers.join("、")}指导下，` : ""}对照建议逐项研究，制定本整改方案。`,
      ),
      heading("二、问题清单"),
      {
        type: "orderedList",
        attrs: { start: 1 },
        content: problems.map((t) => ({ type: "listItem", content: [paragraph(t)] })),
      },
      heading("三、整改措施"),
      paragraph("每项整改措施写明责任单位、责任人、整改时限和整改标准；措施定稿后逐项跟踪，按期报送整改进展。"),
      itemBlock("", { leadOrgId: p.recipient.id, dueDate: p.replyDue }),
      heading("四、保障措施"),
      paragraph("（组织领导、督促检查、建章立制等）"),
    ],
  };
}

/** 联合挂牌督办清单: 说明, the listed cases (tracked blocks), 工作要求. */
export function listingTemplate(now = new Date()): TemplateNode {
  return {
    type: "doc",
    content: [
      heading("一、挂牌督办说明"),
      paragraph("经研究，决定对下列案件实行联合挂牌督办。督办单位共同跟踪案件办理，承办单位按反馈周期报送办理进展。"),
      heading("二、挂牌督办案件"),
      itemBlock("", { dueDate: addMonthsIso(chinaDay(now), 6), feedbackCycle: "MONTHLY" }),
      heading("三、工作要求"),
      paragraph(
        "督办期限一般为六个月。确需延期的，承办单位应在督办期限届满一个月前提出申请并说明理由。案件办结后，经全部督办单位确认，方可解除挂牌。",
      ),
    ],
  };
}

export interface ReplyTemplateInput {
  issuer: string;
  recipient: string;
  kindLabel: string;
  docNumber: string;
  title: string;
  receivedOn: Date;
  copies: string[];
  measures: Array<{
    number: number;
    wording: string;
    lead: string | null;
    responsible: string | null;
    due: string | null;
    status: string;
    progress: string | null;
  }>;
  now?: Date;
}

/** 书面回复: addressed to the issuer, one paragraph per measure with its status and latest progress. */
export function replyTemplate(r: ReplyTemplateInput): TemplateNode {
  const done = r.measures.filter((m) => m.status === "已完成待销号" || m.status === "已销号").length;
  return {
    type: "doc",
    content: [
      paragraph(`${r.issuer}：`),
      paragraph(
        `${formatDay(r.receivedOn)}，我单位收到贵单位《${r.title}》（${r.docNumber}）。我单位高度重视，制定整改方案，明确整改措施 ${r.measures.length} 项，逐项落实。截至目前，已完成 ${done} 项，其余正在推进。现将整改情况回复如下：`,
      ),
      heading("一、整改措施落实情况"),
      ...r.measures.flatMap((m) => [
        { type: "paragraph", content: [textNode(`（${toChineseNumber(m.number)}）${m.wording}`, true)] },
        paragraph(
          `责任单位：${m.lead ?? "未指定"}${m.responsible ? `；责任人：${m.responsible}` : ""}；整改时限：${m.due ?? "未设定"}；办理状态：${m.status}。`,
        ),
        paragraph(`落实情况：${m.progress ?? "（请补充落实情况）"}`),
      ]),
      heading("二、下一步工作"),
      paragraph("（请填写巩固整改成果、建立长效机制的安排）"),
      paragraph("特此回复。"),
      paragraph(""),
      paragraph(r.recipient),
      paragraph(formatDay(r.now ?? new Date())),
      ...(r.copies.length ? [paragraph(`抄送：${r.copies.join("，")}。`)] : []),
    ],
  };
}

/** 典型案例: the sections of architecture.md "Document formats" with a hint each (the title is the document's title). */
export function caseTemplate(): TemplateNode {
  return {
    type: "doc",
    content: [
      heading("关键词"),
      paragraph(""),
      heading("基本案情"),
      paragraph(""),
      heading("处理结果"),
      paragraph(""),
      heading("典型意义"),
      paragraph(""),
      heading("关联法条"),
      paragraph(""),
    ],
  };
}

/** The first content of a document created from the 新建文书 form, by type (null: empty). */
export function documentTemplate(type: string): TemplateNode | null {
  if (type === "SUPERVISION_LISTING") return listingTemplate();
  if (type === "TYPICAL_CASE") return caseTemplate();
  return null;
}

function formatDay(d: Date): string {
  const [y, m, day] = chinaDay(d).split("-").map(Number);
  return `${y}年${m}月${day}日`;
}

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
/** 1 → 一, 12 → 十二, 25 → 二十五 (up to 99). */
export function toChineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ""}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ""}`;
  return String(n);
}
