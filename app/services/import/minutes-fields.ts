import { field, type TemplateNode } from "~/services/document-templates";

/**
 * A 纪要 imported from Word (ADR 020): its header lines (会议名称：… 时间：… 地点：… 主持人：… 记录人：…)
 * and its attendance lines (出席：… 列席：… 请假：…) become the fields the 纪要 template writes — a
 * paragraph with the bold label and its colon, then the value (create-minutes.server.ts `field`) —
 * which the export sets as the header and the attendance block (app/services/export/blocks.ts).
 * Header lines count before the first heading only (a “时间：” in the body is text); attendance lines
 * anywhere in the body. A paragraph of several such lines separated by line breaks becomes one field
 * each. Words Word users write for the same label (会议时间, 出席人员, 参会单位…) map to the template's.
 */

const HEADER: Record<string, string> = {
  会议名称: "会议名称",
  会议主题: "会议名称",
  期号: "期号",
  期数: "期号",
  时间: "时间",
  会议时间: "时间",
  地点: "地点",
  会议地点: "地点",
  主持人: "主持人",
  主持: "主持人",
  会议主持: "主持人",
  记录人: "记录人",
  记录: "记录人",
};

const ATTENDANCE: Record<string, string> = Object.fromEntries(
  (
    [
      [
        "出席",
        ["出席", "出席人员", "出席单位", "参会人员", "参会单位", "参加人员", "参加单位", "与会人员", "与会单位"],
      ],
      ["列席", ["列席", "列席人员", "列席单位"]],
      ["请假", ["请假", "请假人员", "请假单位", "缺席", "缺席人员"]],
    ] as const
  ).flatMap(([label, words]) => words.map((w) => [w, label])),
);

/** 时间：, 地 点:, 出席人员： (labels padded with ideographic spaces too) — a label of up to 12 characters, spaces inside it allowed, a colon, the value. */
const LINE = /^[\s\u3000]*([\u4e00-\u9fff][\u4e00-\u9fff\s\u3000]{0,11}?)[\s\u3000]*[：:][\s\u3000]*([\s\S]*)$/;

/** The top-level blocks with the 纪要 header and attendance lines as fields. */
export function recogniseMinutesFields(content: TemplateNode[]): TemplateNode[] {
  const out: TemplateNode[] = [];
  let inBody = false;
  for (const node of content) {
    if (node.type === "heading") inBody = true;
    const fields =
      node.type === "paragraph" ? asFields(node, inBody ? ATTENDANCE : { ...HEADER, ...ATTENDANCE }) : null;
    if (fields) out.push(...fields);
    else out.push(node);
  }
  return out;
}

/** The paragraph as fields when every non-empty line of it is one; otherwise null. */
function asFields(paragraph: TemplateNode, labels: Record<string, string>): TemplateNode[] | null {
  const lines: string[] = [""];
  for (const inline of paragraph.content ?? []) {
    if (inline.type === "hardBreak") lines.push("");
    else lines[lines.length - 1] += inline.text ?? "";
  }
  const fields: TemplateNode[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const m = LINE.exec(line);
    const label = m ? labels[m[1]!.replace(/[\s\u3000]/g, "")] : undefined;
    if (!m || !label) return null;
    fields.push(field(label, m[2]!.trim()));
  }
  return fields.length ? fields : null;
}
